/**
 * `app_mention`: "@apigw-doctor why is orders-api throwing 504s since 9am?" — handled by
 * `handleMention` unless it is a retry or the same mention already arrived as a `message`.
 */
import type { SlackDeps, ThreadClient } from '../deps';
import { handleMention, mentionOf } from './handle-mention';

/** The fields of Bolt's `app_mention` arguments this listener reads. */
export interface AppMentionArgs {
  event: { text: string; ts: string; channel: string; thread_ts?: string; user?: string; team?: string; bot_id?: string };
  body: { event_id: string; team_id: string };
  context: { retryNum?: number };
  client: ThreadClient;
}

export function appMention(deps: SlackDeps): (args: AppMentionArgs) => Promise<void> {
  return async ({ event, body, context, client }) => {
    // Another bot's mention (ours are dropped by Bolt's ignoreSelf) is not a question.
    if (event.user === undefined || event.bot_id !== undefined) return;
    await handleMention(deps, mentionOf('app_mention', { event: { ...event, user: event.user, text: event.text }, body, context }), client);
  };
}
