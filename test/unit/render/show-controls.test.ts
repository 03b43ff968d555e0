import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REDRAW_SEQUENCE, STYLE_SEQUENCES, showControls, showControlsIn, toOneLine } from '../../../src/render/show-controls';
import { styles } from '../../../src/render/text-report';

describe('showControls', () => {
  test.each([
    ['ESC and an OSC title', 'a\x1b]0;title\x07b', 'a\\u001b]0;title\\u0007b'],
    ['clear screen (CSI)', '\x1b[2J\x1b[H', '\\u001b[2J\\u001b[H'],
    ['carriage return, backspace, form feed: JSON short escapes', 'ok\rFAKE\b\f', 'ok\\rFAKE\\b\\f'],
    ['NUL and DEL', '\x00\x7f', '\\u0000\\u007f'],
    ['C1 controls: CSI and NEL', '\u009b31m\u0085', '\\u009b31m\\u0085'],
    ['bidi overrides and isolates (Trojan Source)', '\u202egnp.exe\u202c \u2066x\u2069 \u200e\u200f\u061c', '\\u202egnp.exe\\u202c \\u2066x\\u2069 \\u200e\\u200f\\u061c'],
    ['line and paragraph separators, a stray byte-order mark', '\u2028\u2029\ufeff', '\\u2028\\u2029\\ufeff'],
  ])('%s', (_, input, shown) => {
    expect(showControls(input)).toBe(shown);
  });

  test('printable text, accents, emoji and CJK are left alone', () => {
    const text = 'Execution failed: 502 — café ✓ ✗ · 🚀 日本語 «x»';
    expect(showControls(text)).toBe(text);
  });

  test('newlines and tabs are kept unless the text must be one line', () => {
    expect(showControls('a\n\tb')).toBe('a\n\tb');
    expect(showControls('a\n\tb', { lineBreaks: false })).toBe('a\\n\\tb');
  });

  test('the reports’ own styles are kept when asked, and nothing else', () => {
    const styled = `\x1b[1mbold\x1b[22m \x1b[2mdim\x1b[22m \x1b[32m✓\x1b[39m \x1b[31m✗\x1b[39m`;
    expect(showControls(styled, { styles: true })).toBe(styled);
    expect(showControls(styled)).not.toContain('\x1b');
    expect(showControls('\x1b[1;31m\x1b[8m\x1b]8;;http://x\x07\x1b[2J', { styles: true })).toBe('\\u001b[1;31m\\u001b[8m\\u001b]8;;http://x\\u0007\\u001b[2J');
    expect(showControls(`${REDRAW_SEQUENCE}⠋ reading`, { styles: true })).toBe('\\r\\u001b[2K⠋ reading');
    expect(showControls(`${REDRAW_SEQUENCE}⠋ reading`, { styles: true, redraw: true })).toBe(`${REDRAW_SEQUENCE}⠋ reading`);
    // A lone CR or ESC[2K is not the redraw.
    expect(showControls('\rx\x1b[2K', { redraw: true })).toBe('\\rx\\u001b[2K');
  });

  test('the styles text-report.ts writes survive', () => {
    const { bold, dim } = styles(true);
    const line = `${bold('1. Malformed Lambda proxy response')} ${dim('(malformed-lambda-proxy-response)')}`;
    expect(showControls(line, { styles: true })).toBe(line);
  });

  test('every ANSI sequence written in src/render is one that is kept', () => {
    const dir = join(__dirname, '..', '..', '..', 'src', 'render');
    const found = new Set<string>();
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      for (const m of readFileSync(join(dir, file), 'utf8').matchAll(/(\\r)?\\x1b\[[0-9;]*[A-Za-z]/g)) {
        found.add(m[0].replace(/\\r/, '\r').replace(/\\x1b/, '\x1b'));
      }
    }
    expect(found.size).toBeGreaterThan(0);
    for (const seq of found) expect([...STYLE_SEQUENCES, REDRAW_SEQUENCE]).toContain(seq);
  });

  test('showing twice changes nothing more', () => {
    const once = showControls('\x1b[2J\u009b\u202e\r\n');
    expect(showControls(once)).toBe(once);
  });

  test('JSON passed through is still JSON with the same values', () => {
    const value = { message: '\x1b]0;t\x07 \u009b31m \u202e \u2028 \x7f \ufeff \r\n\t', list: ['\u0085'] };
    const json = JSON.stringify(value, null, 2);
    const shown = showControls(json);
    expect(shown).not.toMatch(/[\u007f-\u009f\u202e\u2028\ufeff]/);
    expect(JSON.parse(shown)).toEqual(value);
  });
});

describe('showControlsIn', () => {
  test('every string of nested records and arrays; the input is not changed', () => {
    const input = { title: 'ok', evidence: [{ message: 'x\x1b[2Jy', requestIds: ['a\rb'] }], count: 3, fix: 'line 1\nline 2', none: null };
    const out = showControlsIn(input);
    expect(out).toEqual({ title: 'ok', evidence: [{ message: 'x\\u001b[2Jy', requestIds: ['a\\rb'] }], count: 3, fix: 'line 1\nline 2', none: null });
    expect(input.evidence[0]!.message).toBe('x\x1b[2Jy');
  });

  test('parts without control characters are shared, not copied', () => {
    const clean = { title: 'ok', fixes: [{ command: 'aws …' }] };
    const input = { clean, dirty: { message: '\x07' } };
    const out = showControlsIn(input);
    expect(out.clean).toBe(clean);
    expect(showControlsIn(clean)).toBe(clean);
  });

  test('instances are left as they are', () => {
    const when = new Date(0);
    expect(showControlsIn({ when }).when).toBe(when);
  });
});

describe('toOneLine', () => {
  test('line breaks and controls are shown; a short message is whole', () => {
    expect(toOneLine('x.json is not JSON (Unexpected token, "{"a":\n\x1b[31m1,\n" is not valid JSON)')).toBe('x.json is not JSON (Unexpected token, "{"a":\\n\\u001b[31m1,\\n" is not valid JSON)');
  });

  test('a long message loses its middle, keeps its start and end, and fits', () => {
    const message = `cannot read ${'x'.repeat(10_000)}: no such file; try: apigw-doctor apis`;
    const line = toOneLine(message, 200);
    expect(line.length).toBeLessThanOrEqual(200);
    expect(line.startsWith('cannot read xxx')).toBe(true);
    expect(line.endsWith(': no such file; try: apigw-doctor apis')).toBe(true);
    expect(line).toContain('xxx…xxx');
  });

  test('an escape or a character outside the BMP is never cut in half', () => {
    for (let max = 20; max < 40; max++) {
      const line = toOneLine('\x1b'.repeat(100), max);
      expect(line.length).toBeLessThanOrEqual(max);
      expect(line).toMatch(/^(\\u001b)+…(\\u001b)+$/);
      const emoji = toOneLine('🚀'.repeat(100), max);
      expect(emoji).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
    }
  });
});
