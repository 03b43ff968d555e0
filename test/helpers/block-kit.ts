/** Reading the Block Kit the bot builds, for assertions on what a user sees and clicks. */
import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import type { SlackMessage } from '../../src/slack/blocks';

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
