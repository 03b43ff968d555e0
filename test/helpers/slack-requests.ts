/**
 * What Slack sends the web process, and reading what the bot sent Slack: the fields of an `/apigw` slash
 * command and an `app_mention` envelope as Slack builds them (`src/demo/slack-wire.ts`, shared with the
 * demo; sign and post them with `processes.ts`), and filters over the fake Web API's recorded calls.
 */
import { randomUUID } from 'node:crypto';
import { appMentionEnvelope, blockActionsPayload, messageEnvelope as wireMessageEnvelope, slashCommandFields } from '../../src/demo/slack-wire';
import type { FakeSlack, SlackCall } from './fake-slack';

/** The form fields of `/apigw <text>` typed in `channel`; its response_url points at the fake Slack. */
export function slashCommand(slack: Pick<FakeSlack, 'url'>, channel: string, text: string, user = 'U0ALICE01'): Record<string, string> {
  return slashCommandFields({ channel, user, responseUrl: `${slack.url}/response/${channel}-${randomUUID()}` }, text);
}

/** An Events API envelope of an `app_mention` whose message text is `text` as sent (the mention included). */
export function mentionEnvelope(slack: Pick<FakeSlack, 'botUserId'>, eventId: string, channel: string, ts: string, text: string, threadTs?: string): Record<string, unknown> {
  return appMentionEnvelope(eventId, { channel, user: 'U0BOB0001', text, ts, ...(threadTs ? { threadTs } : {}) }, slack.botUserId);
}

/** The messages the bot posted in a channel (roots and replies). */
export const posts = (calls: readonly SlackCall[], channel: string): SlackCall[] => calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === channel);
/** A call's `text` (the notification fallback), or ''. */
export const textOf = (c: SlackCall | undefined): string => (typeof c?.args.text === 'string' ? c.args.text : '');
/** Everything a call said, blocks and text, to search in. */
export const blocksText = (c: SlackCall | undefined): string => JSON.stringify(c?.args.blocks ?? '') + textOf(c);

/** An Events API envelope of a plain channel `message` (no mention needed), in `threadTs`'s thread when given. */
export function messageEnvelope(eventId: string, channel: string, ts: string, text: string, threadTs?: string, user = 'U0BOB0001'): Record<string, unknown> {
  return wireMessageEnvelope(eventId, { channel, user, text, ts, ...(threadTs ? { threadTs } : {}) });
}

/** A `block_actions` payload as Slack sends it when `user` clicks the button `actionId` (value `value`) on message `messageTs`. */
export function blockAction(slack: Pick<FakeSlack, 'url'>, where: { channel: string; messageTs: string; threadTs?: string }, actionId: string, value: string, user = 'U0ALICE01'): Record<string, unknown> {
  return blockActionsPayload({ ...where, user, actionId, blockId: 'b', value, responseUrl: `${slack.url}/response/action-${randomUUID()}` });
}

/** Every button (action id and value) in a posted message's blocks. */
export function buttonsOf(c: SlackCall | undefined): { actionId: string; value: string; text: string }[] {
  const out: { actionId: string; value: string; text: string }[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    const n = node as Record<string, unknown>;
    if (n.type === 'button' && typeof n.action_id === 'string') out.push({ actionId: n.action_id, value: typeof n.value === 'string' ? n.value : '', text: JSON.stringify(n.text ?? '') });
    Object.values(n).forEach(visit);
  };
  visit(c?.args.blocks);
  return out;
}
