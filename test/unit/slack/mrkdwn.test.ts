import fc from 'fast-check';
import { clipMrkdwn, clipText, codeBlock, defuseFences, escapeMrkdwn, inlineCode, link, plain, wellFormed } from '../../../src/slack/mrkdwn';
import { MAX_HEADER_TEXT, blockChars, context, header, section } from '../../../src/slack/limits';

describe('escaping', () => {
  it('escapes only Slack’s control characters', () => {
    expect(escapeMrkdwn('a < b > c & <!channel> é *x*')).toBe('a &lt; b &gt; c &amp; &lt;!channel&gt; é *x*');
  });

  it('replaces lone surrogates, keeps pairs', () => {
    expect(wellFormed('a\ud800b\udc00c😀')).toBe('a\ufffdb\ufffdc😀');
  });

  it('defuses fences so nothing can close a code block', () => {
    expect(defuseFences('a ``` b ```` c `` d')).toBe('a ˋˋˋ b ˋˋˋˋ c `` d');
    expect(plain('```<x>')).toBe('ˋˋˋ&lt;x&gt;');
  });

  it('makes one line of inline code that its own backticks cannot end', () => {
    expect(inlineCode('a `b`\nc & d')).toBe('`a ˋbˋ ↵ c &amp; d`');
    expect(inlineCode('')).toBe('` `');
    expect(inlineCode('x'.repeat(50), 10)).toBe('`xxxxxxxxx…`');
  });

  it('fences a code block that stays closed', () => {
    expect(codeBlock('aws x --payload \'```\'\r\necho <y>')).toBe("```\naws x --payload 'ˋˋˋ'\necho &lt;y&gt;\n```");
  });

  it('links only plain https URLs', () => {
    expect(link('https://example.com/a?b=1&c=2', 'Docs <1>')).toBe('<https://example.com/a?b=1&amp;c=2|Docs &lt;1&gt;>');
    expect(link('https://example.com/x', 'a|b')).toBe('<https://example.com/x|a b>');
    expect(link('javascript:alert(1)', 'x')).toBe('x');
    expect(link('https://example.com/a b', 'x')).toBe('x');
    expect(link('https://example.com/a|b', 'x')).toBe('x');
    expect(link('http://example.com', 'x')).toBe('x');
  });
});

describe('clipping', () => {
  it('clips plain text without splitting a surrogate pair', () => {
    expect(clipText('abcdef', 4)).toBe('abc…');
    expect(clipText('ab😀cd', 4)).toBe('ab…');
    expect(clipText('abc', 3)).toBe('abc');
  });

  it('closes a code block it cuts', () => {
    const text = `*Fix:*\n${codeBlock('x'.repeat(100))}`;
    const clipped = clipMrkdwn(text, 40);
    expect(clipped.length).toBeLessThanOrEqual(40);
    expect(clipped.endsWith('…\n```')).toBe(true);
    expect(clipped.split('```')).toHaveLength(3);
  });

  it('closes an inline code span it cuts, and drops a split entity or link whole', () => {
    expect(clipMrkdwn('see `abcdefghijklmnop`', 14)).toBe('see `abcd…`');
    expect(clipMrkdwn('aaaa &amp; bbbbbbbb', 12)).toBe('aaaa …');
    expect(clipMrkdwn('go <https://example.com/xxxxxxxx|here> now', 20)).toBe('go …');
  });

  it('never leaves a fence open or exceeds the limit (property)', () => {
    const piece = fc.oneof(fc.string({ maxLength: 50 }), fc.string({ maxLength: 80 }).map(codeBlock), fc.string({ maxLength: 30 }).map((s) => inlineCode(s)), fc.constant('&amp;'), fc.constant('<https://x.example.com|x>'));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 20 }), fc.integer({ min: 6, max: 400 }), (pieces, max) => {
        const text = pieces.join('\n');
        const clipped = clipMrkdwn(text, max);
        expect(clipped.length).toBeLessThanOrEqual(Math.max(max, 0));
        expect((clipped.match(/```/g) ?? []).length % 2).toBe(0);
      }),
    );
  });
});

describe('block builders', () => {
  it('clip a section to 3,000 characters and a header to 150', () => {
    const s = section('y'.repeat(5000));
    expect(blockChars(s)).toBeLessThanOrEqual(3000);
    const h = header(`${'z'.repeat(200)}\ud800`);
    expect(blockChars(h)).toBeLessThanOrEqual(MAX_HEADER_TEXT);
    expect(section('').text?.text).toBe(' ');
  });

  it('keep a context block to 10 non-empty elements', () => {
    const c = context(...Array.from({ length: 15 }, (_, i) => `e${i}`), '', '  ');
    expect(c.elements).toHaveLength(10);
    expect(context('', ' ').elements).toEqual([{ type: 'mrkdwn', text: ' ' }]);
  });
});
