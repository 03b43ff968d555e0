/**
 * `message` (message.channels, message.groups): only to take @mentions that arrive as a `message`
 * before their `app_mention` — both come for one mention, so whichever is first claims the message
 * (channel + ts) and the other is ignored. Bots, edits, joins and every other subtype are ignored;
 * so is text that does not mention the bot.
 */
import type { SlackDeps, ThreadClient } from '../deps';
import { handleMention, mentionOf } from './handle-mention';

/** The fields of Bolt's `message` event arguments this listener reads (any message subtype fits). */
export interface MessageArgs {
  event: { subtype?: string; channel: string; ts: string; user?: string; text?: string; thread_ts?: string; bot_id?: string; team?: string };
  body: { event_id: string; team_id: string };
  context: { retryNum?: number };
  client: ThreadClient;
}

/** True when `text` mentions the user (`<@U123>` or `<@U123|name>`). */
export function mentions(text: string, userId: string): boolean {
  return text.includes(`<@${userId}>`) || text.includes(`<@${userId}|`);
}

export function message(deps: SlackDeps): (args: MessageArgs) => Promise<void> {
  return async ({ event, body, context, client }) => {
    if (event.subtype !== undefined || event.bot_id !== undefined || event.user === undefined || event.text === undefined) return;
    if (!mentions(event.text, deps.botUserId)) return;
    await handleMention(deps, mentionOf('message', { event: { ...event, user: event.user, text: event.text }, body, context }), client);
  };
}
