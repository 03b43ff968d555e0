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

/** An Events API envelope of an `app_mention` whose message text is `text` as sent (the mention included). */
export function mentionEnvelope(slack: Pick<FakeSlack, 'botUserId'>, eventId: string, channel: string, ts: string, text: string, threadTs?: string): Record<string, unknown> {
  return {
    token: 'deprecated-verification-token',
    team_id: 'T0ACME001',
    api_app_id: 'A0APIGWDR1',
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: 'T0ACME001', user_id: slack.botUserId, is_bot: true }],
    event: { type: 'app_mention', user: 'U0BOB0001', text, ts, channel, event_ts: ts, ...(threadTs ? { thread_ts: threadTs } : {}) },
  };
}

/** The messages the bot posted in a channel (roots and replies). */
export const posts = (calls: readonly SlackCall[], channel: string): SlackCall[] => calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === channel);
/** A call's `text` (the notification fallback), or ''. */
export const textOf = (c: SlackCall | undefined): string => (typeof c?.args.text === 'string' ? c.args.text : '');
/** Everything a call said, blocks and text, to search in. */
export const blocksText = (c: SlackCall | undefined): string => JSON.stringify(c?.args.blocks ?? '') + textOf(c);
