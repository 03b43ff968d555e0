/** Reading the Block Kit the bot builds, for assertions on what a user sees and clicks. */
import type { ActionsBlock, Button, KnownBlock, SectionBlock } from '@slack/types';
import type { SlackMessage } from '../../src/slack/blocks';
import { MAX_BLOCKS, MAX_CONTEXT_ELEMENTS, MAX_MESSAGE_CHARS, messageChars } from '../../src/slack/limits';

/** Every piece of text a user sees in a message, with its kind. */
export function texts(message: SlackMessage): { kind: 'section' | 'context' | 'header'; text: string }[] {
  const out: { kind: 'section' | 'context' | 'header'; text: string }[] = [];
  for (const b of message.blocks) {
    if (b.type === 'section' && b.text) out.push({ kind: 'section', text: b.text.text });
    if (b.type === 'context') for (const e of b.elements) if ('text' in e && typeof e.text === 'string') out.push({ kind: 'context', text: e.text });
    if (b.type === 'header') out.push({ kind: 'header', text: b.text.text });
  }
  return out;
}

/** All of a message's visible text, one piece a line. */
export const all = (message: SlackMessage): string =>
  texts(message)
    .map((t) => t.text)
    .join('\n');

/** The buttons of a message's actions blocks. */
export function buttons(blocks: readonly KnownBlock[]): Button[] {
  return blocks.filter((b): b is ActionsBlock => b.type === 'actions').flatMap((b) => b.elements.filter((e): e is Button => e.type === 'button'));
}

/** The sections with a button accessory (a listing's rows), with the button. */
export function rowsWithButtons(blocks: readonly KnownBlock[]): { text: string; button: Button }[] {
  return blocks
    .filter((b): b is SectionBlock => b.type === 'section')
    .flatMap((b) => (b.accessory?.type === 'button' ? [{ text: b.text?.text ?? '', button: b.accessory }] : []));
}

/** Slack's limits on a whole message: a fallback text without markup, 1–50 blocks, 12,000 characters, 10 context elements. */
export function expectMessageLimits(message: SlackMessage): void {
  expect(message.text.trim().length).toBeGreaterThan(0);
  expect(message.text.length).toBeLessThanOrEqual(3000);
  expect(message.text).not.toMatch(/</);
  expect(message.blocks.length).toBeGreaterThan(0);
  expect(message.blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
  expect(messageChars(message.blocks)).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
  for (const b of message.blocks) if (b.type === 'context') expect(b.elements.length).toBeLessThanOrEqual(MAX_CONTEXT_ELEMENTS);
}
