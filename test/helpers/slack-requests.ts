/**
 * What Slack sends the web process, and reading what the bot sent Slack: the fields of an `/apigw` slash
 * command and an `app_mention` envelope as Slack builds them (sign and post them with
 * `processes.ts`), and filters over the fake Web API's recorded calls.
 */
import { randomUUID } from 'node:crypto';
import type { FakeSlack, SlackCall } from './fake-slack';

/** The form fields of `/apigw <text>` typed in `channel`; its response_url points at the fake Slack. */
export function slashCommand(slack: Pick<FakeSlack, 'url'>, channel: string, text: string, user = 'U0ALICE01'): Record<string, string> {
  return {
    token: 'deprecated-verification-token',
    team_id: 'T0ACME001',
    team_domain: 'acme',
    channel_id: channel,
    channel_name: 'oncall',
    user_id: user,
    user_name: 'alice',
    command: '/apigw',
    text,
    api_app_id: 'A0APIGWDR1',
    is_enterprise_install: 'false',
    response_url: `${slack.url}/response/${channel}-${randomUUID()}`,
    trigger_id: '1234567890.0987654321.abcdef',
  };
}

/** The Events API envelope Slack wraps `event` in. */
function eventEnvelope(eventId: string, event: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    token: 'deprecated-verification-token',
    team_id: 'T0ACME001',
    api_app_id: 'A0APIGWDR1',
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    ...extra,
    event,
  };
}

/** An Events API envelope of an `app_mention` whose message text is `text` as sent (the mention included). */
export function mentionEnvelope(slack: Pick<FakeSlack, 'botUserId'>, eventId: string, channel: string, ts: string, text: string, threadTs?: string): Record<string, unknown> {
  return eventEnvelope(
    eventId,
    { type: 'app_mention', user: 'U0BOB0001', text, ts, channel, event_ts: ts, ...(threadTs ? { thread_ts: threadTs } : {}) },
    { authorizations: [{ team_id: 'T0ACME001', user_id: slack.botUserId, is_bot: true }] },
  );
}

/** The messages the bot posted in a channel (roots and replies). */
export const posts = (calls: readonly SlackCall[], channel: string): SlackCall[] => calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === channel);
/** A call's `text` (the notification fallback), or ''. */
export const textOf = (c: SlackCall | undefined): string => (typeof c?.args.text === 'string' ? c.args.text : '');
/** Everything a call said, blocks and text, to search in. */
export const blocksText = (c: SlackCall | undefined): string => JSON.stringify(c?.args.blocks ?? '') + textOf(c);

/** An Events API envelope of a plain channel `message` (no mention needed), in `threadTs`'s thread when given. */
export function messageEnvelope(eventId: string, channel: string, ts: string, text: string, threadTs?: string, user = 'U0BOB0001'): Record<string, unknown> {
  return eventEnvelope(eventId, { type: 'message', channel_type: 'channel', user, text, ts, channel, event_ts: ts, ...(threadTs ? { thread_ts: threadTs } : {}) });
}

/** A `block_actions` payload as Slack sends it when `user` clicks the button `actionId` (value `value`) on message `messageTs`. */
export function blockAction(slack: Pick<FakeSlack, 'url'>, where: { channel: string; messageTs: string; threadTs?: string }, actionId: string, value: string, user = 'U0ALICE01'): Record<string, unknown> {
  return {
    type: 'block_actions',
    user: { id: user, username: 'alice', name: 'alice', team_id: 'T0ACME001' },
    api_app_id: 'A0APIGWDR1',
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: where.messageTs, channel_id: where.channel, is_ephemeral: false, ...(where.threadTs ? { thread_ts: where.threadTs } : {}) },
    trigger_id: '1234567890.0987654321.abcdef',
    team: { id: 'T0ACME001', domain: 'acme' },
    channel: { id: where.channel, name: 'oncall' },
    message: { type: 'message', ts: where.messageTs, ...(where.threadTs ? { thread_ts: where.threadTs } : {}), text: '' },
    response_url: `${slack.url}/response/action-${randomUUID()}`,
    actions: [{ type: 'button', action_id: actionId, block_id: 'b', value, action_ts: String(Date.now() / 1000) }],
  };
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
