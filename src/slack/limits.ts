/**
 * Block Kit's limits (platform-facts §5) and block builders that keep to them by construction: a
 * section's text is clipped to 3,000 characters, a header's to 150, a context block holds at most 10
 * elements. What a whole message may hold (50 blocks, about 12,000 characters) is the caller's budget;
 * `messageChars` measures it the way the budget counts it.
 */
import type { Button, ContextBlock, DividerBlock, HeaderBlock, KnownBlock, SectionBlock } from '@slack/types';
import { clipMrkdwn, clipText, plain, wellFormed } from './mrkdwn';

/** Blocks in one message. */
export const MAX_BLOCKS = 50;
/** Characters in a section's text (and in a context block's text element). */
export const MAX_SECTION_TEXT = 3000;
/** Characters in a header. */
export const MAX_HEADER_TEXT = 150;
/** Elements in a context block. */
export const MAX_CONTEXT_ELEMENTS = 10;
/**
 * Characters across every block's text. Slack documents no such limit but refuses messages of about
 * 13,200 (`msg_blocks_too_long`, bolt-js #2509); 12,000 leaves room.
 */
export const MAX_MESSAGE_CHARS = 12_000;
/** Characters in the fallback `text` (Slack truncates beyond 4,000; notifications show far less). */
export const MAX_FALLBACK_TEXT = 3000;

/** A mrkdwn section; its text clipped to the section limit. Empty text becomes a blank (Slack rejects ""). */
export function section(text: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: clipMrkdwn(text, MAX_SECTION_TEXT) || ' ' } };
}

/** A context block of mrkdwn elements (at most 10, each clipped). */
export function context(...texts: string[]): ContextBlock {
  const elements = texts
    .filter((t) => t.trim() !== '')
    .slice(0, MAX_CONTEXT_ELEMENTS)
    .map((t) => ({ type: 'mrkdwn' as const, text: clipMrkdwn(t, MAX_SECTION_TEXT) }));
  return { type: 'context', elements: elements.length > 0 ? elements : [{ type: 'mrkdwn', text: ' ' }] };
}

/** A header: plain text, one line, clipped to 150 characters. */
export function header(text: string): HeaderBlock {
  return { type: 'header', text: { type: 'plain_text', text: clipText(wellFormed(text).replace(/\s+/g, ' ').trim() || ' ', MAX_HEADER_TEXT), emoji: true } };
}

export function divider(): DividerBlock {
  return { type: 'divider' };
}

/** The characters of a block's texts, as the message budget counts them. */
export function blockChars(block: KnownBlock): number {
  if (block.type === 'section') return (block.text?.text.length ?? 0) + (block.fields ?? []).reduce((n, f) => n + f.text.length, 0);
  if (block.type === 'context') return block.elements.reduce((n, e) => n + ('text' in e && typeof e.text === 'string' ? e.text.length : 0), 0);
  if (block.type === 'header') return block.text.text.length;
  // The builders here make no other block with text (dividers only).
  return 0;
}

/** The characters of a message's blocks. */
export function messageChars(blocks: readonly KnownBlock[]): number {
  return blocks.reduce((n, b) => n + blockChars(b), 0);
}

/** Slack's limit on a button's text and accessibility label. */
export const MAX_BUTTON_TEXT = 75;

/** Text on one line, well-formed: what a button label or a fallback shows. */
export function oneLine(text: string): string {
  return wellFormed(text).replace(/\s+/g, ' ').trim();
}

/** A button carrying `value` (a reference, see actions.ts), with its label and accessibility label within Slack's limits. */
export function button(actionId: string, text: string, value: string, a11y: string): Button {
  return {
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: clipText(oneLine(text) || ' ', MAX_BUTTON_TEXT), emoji: true },
    value,
    accessibility_label: clipText(oneLine(a11y), MAX_BUTTON_TEXT),
  };
}

/** A message's fallback text: the one line a notification shows, escaped and clipped; never blank. */
export function fallbackText(line: string): string {
  const text = plain(clipText(line.replace(/\s+/g, ' ').trim(), MAX_FALLBACK_TEXT - 100));
  return text.trim() === '' ? 'apigw-doctor' : text;
}

/**
 * The blocks within Slack's limits whatever a builder's own budget missed: at most 50, and the largest
 * blocks but the first (the headline) dropped while the message is too long, so Slack never refuses it.
 */
export function keepWithinLimits(blocks: readonly KnownBlock[]): KnownBlock[] {
  const out = blocks.slice(0, MAX_BLOCKS);
  while (out.length > 1 && messageChars(out) > MAX_MESSAGE_CHARS) {
    const sizes = out.map((b, i) => (i === 0 ? -1 : blockChars(b)));
    out.splice(sizes.indexOf(Math.max(...sizes)), 1);
  }
  return out;
}
