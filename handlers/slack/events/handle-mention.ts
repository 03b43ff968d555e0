/**
 * One @mention of the bot, however it arrived (`app_mention` or `message`): taken once, parsed,
 * authorized and queued; anything the asker must hear from here (usage, a refusal, a failure) is a
 * reply in the mention's thread, posted after Bolt acked the event. A queued investigation is answered
 * by the worker, in the same thread.
 *
 * Taken once: Slack's retries carry the same `event_id` and the two events of one mention the same
 * channel + ts, both remembered in Redis. When Redis cannot be reached before anything was stored,
 * the error is rethrown in HTTP mode so the event is not acknowledged (a 500) and Slack delivers it
 * again; the asker hears about it on the first attempt and after the last retry.
 */
import type { InvestigateJob } from '../../../src/queue/contracts';
import { failureMessage, helpMessage } from '../../../src/slack/blocks';
import { parseMentionText } from '../../../src/slack/parse-request';
import type { SlackMessage } from '../../../src/slack/poster';
import type { SlackDeps, ThreadClient } from '../deps';
import { cliOnlyMessage, joinedMessage, queueFailureText, requestFields } from '../messages';

/** Slack retries a failed event delivery three times (`X-Slack-Retry-Num` 1–3). */
const LAST_RETRY = 3;

export interface Mention {
  via: 'app_mention' | 'message';
  eventId: string;
  userId: string;
  teamId: string;
  channelId: string;
  ts: string;
  threadTs?: string;
  text: string;
  /** `context.retryNum`: absent on the first delivery. */
  retryNum?: number;
}

/** The fields of an `app_mention` or `message` event (and its envelope) a mention is read from. */
export interface MentionEvent {
  event: { user: string; team?: string; channel: string; ts: string; text: string; thread_ts?: string };
  body: { event_id: string; team_id: string };
  context: { retryNum?: number };
}

/** A mention as `handleMention` takes it, from either event. */
export function mentionOf(via: Mention['via'], { event, body, context }: MentionEvent): Mention {
  return {
    via,
    eventId: body.event_id,
    userId: event.user,
    teamId: event.team ?? body.team_id,
    channelId: event.channel,
    ts: event.ts,
    text: event.text,
    ...(event.thread_ts !== undefined ? { threadTs: event.thread_ts } : {}),
    ...(context.retryNum !== undefined ? { retryNum: context.retryNum } : {}),
  };
}

export async function handleMention(deps: SlackDeps, mention: Mention, client: ThreadClient): Promise<void> {
  const log = deps.logger.child({
    listener: mention.via,
    user: mention.userId,
    team: mention.teamId,
    channel: mention.channelId,
    ts: mention.ts,
    eventId: mention.eventId,
    ...(mention.threadTs !== undefined ? { thread: mention.threadTs } : {}),
    ...(mention.retryNum !== undefined ? { retryNum: mention.retryNum } : {}),
  });
  const reply = async (message: SlackMessage): Promise<void> => {
    try {
      await client.chat.postMessage({ channel: mention.channelId, thread_ts: mention.threadTs ?? mention.ts, text: message.text, ...(message.blocks ? { blocks: [...message.blocks] } : {}) });
    } catch (e) {
      log.error({ err: e }, 'could not reply in the thread');
    }
  };
  /** Redis failed. `storedNothing`: no key was written yet, so a redelivery of this event will be taken. */
  const unavailable = async (error: unknown, storedNothing: boolean): Promise<void> => {
    // Keys already written would make Slack's redelivery look like a duplicate: take them back first.
    const forgotten = storedNothing || (deps.queue.forgetDelivery ? await deps.queue.forgetDelivery(mention.eventId, mention.channelId, mention.ts) : false);
    const willRetry = forgotten && (deps.eventsRedelivered ?? true) && (mention.retryNum ?? 0) < LAST_RETRY;
    log.error({ err: error, willRetry }, 'could not queue the mention');
    if (!willRetry) await reply(failureMessage(queueFailureText(error)));
    else if (mention.retryNum === undefined) await reply(failureMessage(`${queueFailureText(error)} (Slack will also deliver your message again over the next few minutes; I'll pick it up if Redis is back by then.)`));
    if (willRetry) throw error;
  };

  let fresh: boolean;
  try {
    fresh = await deps.queue.firstDelivery(mention.eventId);
  } catch (e) {
    return unavailable(e, true);
  }
  if (!fresh) {
    log.info('event already taken (a Slack retry); ignored');
    return;
  }
  let claimed: boolean;
  try {
    claimed = await deps.queue.claimMessage(mention.channelId, mention.ts);
  } catch (e) {
    return unavailable(e, false);
  }
  if (!claimed) {
    log.info('message already taken (the other event of the same mention); ignored');
    return;
  }

  const timeZone = await timeZoneOf(deps, mention.userId, mention.text);
  const request = parseMentionText(mention.text, deps.botUserId, deps.now(), timeZone);
  log.info({ request: requestFields(request), text: mention.text, ...(timeZone ? { timeZone } : {}) }, 'mention');
  if (request.kind === 'help') return reply(helpMessage(request.topic));
  if (request.kind === 'invalid') return reply(failureMessage(request.problem, request.example));
  const decision = deps.permissions.authorize(mention.channelId, request);
  if (!decision.allowed) {
    log.warn({ reason: decision.reason }, 'request refused in this channel');
    return reply(failureMessage(`Not in this channel: ${decision.reason}.`));
  }
  if (request.kind === 'check' || request.kind === 'apis') return reply(cliOnlyMessage(request));
  const job: InvestigateJob = {
    question: request.question,
    asker: { userId: mention.userId, teamId: mention.teamId, channelId: mention.channelId, threadTs: mention.threadTs ?? mention.ts, messageTs: mention.ts },
    askedAt: deps.now().toISOString(),
    source: 'mention',
  };
  let result: { jobId: string; joined: boolean };
  try {
    result = await deps.queue.ask(job);
  } catch (e) {
    return unavailable(e, false);
  }
  log.info({ jobId: result.jobId, joined: result.joined }, result.joined ? 'joined the running investigation' : 'investigation queued');
  if (result.joined) await reply(joinedMessage(request.question, 'thread'));
}

/** "9am", "9:30", "14:00", "noon": a clock time, which only means something in the asker's time zone. */
const CLOCK_TIME = /\d\s*(?:am|pm)\b|\b\d{1,2}:\d{2}\b|\b(?:noon|midnight)\b/i;

/**
 * The asker's time zone, when the text names a clock time and the deps can tell (a `users.info`
 * call, so only then); never a reason to fail the mention.
 */
async function timeZoneOf(deps: SlackDeps, userId: string, text: string): Promise<string | undefined> {
  if (!deps.timeZoneOf || !CLOCK_TIME.test(text)) return undefined;
  try {
    return await deps.timeZoneOf(userId);
  } catch (e) {
    deps.logger.debug({ err: e, user: userId }, 'time zone unknown; using UTC');
    return undefined;
  }
}
