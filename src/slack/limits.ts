/**
 * Block Kit's limits (platform-facts §5) and block builders that keep to them by construction: a
 * section's text is clipped to 3,000 characters, a header's to 150, a context block holds at most 10
 * elements. What a whole message may hold (50 blocks, about 12,000 characters) is the caller's budget;
 * `messageChars` measures it the way the budget counts it.
 */
import type { ContextBlock, DividerBlock, HeaderBlock, KnownBlock, SectionBlock } from '@slack/types';
import { clipMrkdwn, clipText, wellFormed } from './mrkdwn';

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
