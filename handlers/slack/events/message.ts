/**
 * `message` (message.channels, message.groups): two jobs.
 * - @mentions that arrive as a `message` before their `app_mention` — both come for one mention, so
 *   whichever is first claims the message (channel + ts) and the other is ignored.
 * - Messages in the thread of one of the bot's answers that ask a follow-up without a mention
 *   (`evidence`, `widen 24h`, pasted log lines). Anything else in such a thread is chatter and left
 *   alone; so is a follow-up word that opens a longer sentence which does not read as one.
 * Bots, edits, joins and every other subtype are ignored.
 */
import { parseThreadMessage } from '../../../src/requests';
import type { SlackDeps, ThreadClient } from '../deps';
import { handleMention, mentionOf } from './handle-mention';

/** The fields of Bolt's `message` event arguments this listener reads (any message subtype fits). */
export interface MessageArgs {
  event: { subtype?: string; channel: string; ts: string; user?: string; text?: string; thread_ts?: string; bot_id?: string; team?: string };
  body: { event_id: string; team_id: string };
  context: { retryNum?: number };
  client: ThreadClient;
}

/** A follow-up word followed by this many words or fewer is answered even when it does not parse (it was meant for the bot). */
const SHORT_FOLLOW_UP_WORDS = 3;

/** True when `text` mentions the user (`<@U123>` or `<@U123|name>`). */
export function mentions(text: string, userId: string): boolean {
  return text.includes(`<@${userId}>`) || text.includes(`<@${userId}|`);
}

export function message(deps: SlackDeps): (args: MessageArgs) => Promise<void> {
  return async ({ event, body, context, client }) => {
    if (event.subtype !== undefined || event.bot_id !== undefined || event.user === undefined || event.text === undefined) return;
    const mention = mentionOf('message', { event: { ...event, user: event.user, text: event.text }, body, context });
    if (mentions(event.text, deps.botUserId)) return handleMention(deps, mention, client);
    // A reply in a thread (not the thread's own first message) may be a follow-up.
    if (event.thread_ts === undefined || event.thread_ts === event.ts) return;
    // Read first (no I/O): only a message that reads as a follow-up costs a Redis lookup of its thread.
    const read = parseThreadMessage(event.text, deps.botUserId, { now: deps.now() });
    if (!read) return;
    if (read.request.kind === 'invalid' && event.text.trim().split(/\s+/).length > SHORT_FOLLOW_UP_WORDS + 1) return;
    let thread;
    try {
      thread = await deps.answers.thread({ channelId: event.channel, threadTs: event.thread_ts });
    } catch (e) {
      // Redis being down is not worth a redelivery of what may still be chatter.
      deps.logger.warn({ err: e, channel: event.channel, thread: event.thread_ts }, 'could not look up the thread of a message; ignored');
      return;
    }
    if (!thread) return;
    await handleMention(deps, mention, client, { thread, ...(read.spec ? { spec: read.spec } : {}), request: read.request });
  };
}
