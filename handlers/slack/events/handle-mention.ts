/**
 * One @mention of the bot, however it arrived (`app_mention` or `message`): taken once, parsed,
 * authorized and queued; anything the asker must hear from here (usage, a refusal, a failure) is a
 * reply in the mention's thread, posted after Bolt acked the event. A queued investigation is answered
 * by the worker, in the same thread.
 *
 * Taken once, and never lost: the delivery (its `event_id`, and the message's channel + ts, since one
 * mention arrives as both `app_mention` and `message`) is claimed in one Redis step for a short lease,
 * and confirmed only once its outcome is stored: the job queued, or the reply posted. A process that
 * dies in between leaves a claim that lapses before Slack's next retry, which is then taken; a
 * redelivery that finds its own mention's job already queued (a death after queueing) starts nothing
 * (the job id is fixed by the message). While the same event is still being handled, a redelivery is
 * answered with an error so that Slack tries again later. When Redis cannot be reached, the error is
 * rethrown in HTTP mode so the event is not acknowledged (a 500) and Slack delivers it again; the
 * asker hears about it on the first attempt and after the last retry.
 */
import type { ThreadContext } from '../../../src/queue/thread-context';
import type { DeliveryClaim } from '../../../src/queue/investigations';
import type { RequestSpec } from '../../../src/requests';
import { followUpHelpMessage, parseMentionText, parseThreadMessage, planRequest, REQUESTS, specNamed } from '../../../src/requests';
import { failureMessage } from '../../../src/slack/blocks';
import type { SlackMessage } from '../../../src/slack/poster';
import type { BotRequest } from '../../../src/slack/request';
import { carryOut, refusalMessage, refusalOf } from '../carry-out';
import type { Carried } from '../carry-out';
import type { SlackDeps, ThreadClient } from '../deps';
import { queueFailureText, requestFields } from '../messages';

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

/** What a message in the thread of an answer asks, when it is not chatter: read before anything is claimed. */
export interface ThreadAsk {
  thread: ThreadContext;
  spec?: RequestSpec;
  request: BotRequest;
}

/**
 * A mention, or a message in the thread of an answer that asks something (`ask`, read by the caller).
 * In a thread the bot answered, a mention is read as a follow-up first (`widen 24h`), then as a new
 * command when it starts with one (`why 504 payments-api`); anything else gets the follow-up help,
 * never an investigation of an API named after the first word.
 */
export async function handleMention(deps: SlackDeps, mention: Mention, client: ThreadClient, ask?: ThreadAsk): Promise<void> {
  const log = deps.logger.child({
    listener: mention.via,
    user: mention.userId,
    team: mention.teamId,
    channel: mention.channelId,
    ts: mention.ts,
    eventId: mention.eventId,
    ...(mention.threadTs !== undefined ? { thread: mention.threadTs } : {}),
    ...(mention.retryNum !== undefined ? { retryNum: mention.retryNum } : {}),
    ...(ask ? { followUp: true } : {}),
  });
  const reply = async (message: SlackMessage): Promise<void> => {
    try {
      await client.chat.postMessage({ channel: mention.channelId, thread_ts: mention.threadTs ?? mention.ts, text: message.text, ...(message.blocks ? { blocks: [...message.blocks] } : {}) });
    } catch (e) {
      log.error({ err: e }, 'could not reply in the thread');
    }
  };
  const redelivered = (deps.eventsRedelivered ?? true) && (mention.retryNum ?? 0) < LAST_RETRY;
  /** Redis failed after the claim (or before it: `claimed` false): take the claim back so the redelivery is taken. */
  const unavailable = async (error: unknown, claimed: boolean): Promise<void> => {
    const forgotten = !claimed || (await deps.queue.forgetDelivery(mention.eventId, mention.channelId, mention.ts));
    const willRetry = forgotten && redelivered;
    log.error({ err: error, willRetry }, 'could not queue the request');
    if (!willRetry) await reply(failureMessage(queueFailureText(error)));
    else if (mention.retryNum === undefined) await reply(failureMessage(`${queueFailureText(error)} (Slack will also deliver your message again over the next few minutes; I'll pick it up if Redis is back by then.)`));
    if (willRetry) throw error;
  };
  /** The outcome is out: Slack's retries and the mention's other event are dropped from now on. */
  const done = async (): Promise<void> => {
    try {
      await deps.queue.confirmDelivery(mention.eventId, mention.channelId, mention.ts);
    } catch (e) {
      // The claim lapses; a redelivery then finds the same job (or posts the same short reply again).
      log.warn({ err: e }, 'could not mark the mention handled');
    }
  };
  const answer = async (message: SlackMessage): Promise<void> => {
    await reply(message);
    await done();
  };

  let claim: DeliveryClaim;
  try {
    claim = await deps.queue.claimDelivery(mention.eventId, mention.channelId, mention.ts);
  } catch (e) {
    return unavailable(e, false);
  }
  if (claim === 'taken' || claim === 'sibling') {
    log.info({ claim }, claim === 'taken' ? 'already taken (a Slack retry, or the other event of the same mention); ignored' : 'the other event of the same mention is being handled; ignored');
    return;
  }
  if (claim === 'in-progress') {
    log.warn({ willRetry: redelivered }, 'the same event is still being handled (or its handler died moments ago)');
    // A 500 makes Slack deliver it again later, by when it is either handled or its claim has lapsed.
    if (redelivered) throw new Error(`Slack event ${mention.eventId} is still being handled; asking Slack to deliver it again later`);
    return;
  }

  let thread = ask?.thread;
  if (!ask && mention.threadTs !== undefined) {
    try {
      thread = await deps.answers.thread({ channelId: mention.channelId, threadTs: mention.threadTs });
    } catch (e) {
      return unavailable(e, true);
    }
  }
  const timeZone = await timeZoneOf(deps, mention.userId, mention.text);
  const now = deps.now();
  let spec = ask?.spec;
  let request: BotRequest;
  if (ask) {
    request = ask.request;
  } else if (thread) {
    const read = readInAnsweredThread(mention.text, deps.botUserId, now, timeZone);
    if (read === undefined) {
      log.info({ text: mention.text }, 'mention in an answered thread, not understood: follow-up help');
      return answer(followUpHelpMessage(REQUESTS, firstWords(mention.text, deps.botUserId)));
    }
    ({ spec, request } = read);
  } else {
    request = parseMentionText(mention.text, deps.botUserId, now, timeZone);
  }
  log.info({ request: requestFields(request), ...(request.kind === 'follow-up' && request.followUp.intent === 'paste' ? {} : { text: mention.text }), ...(timeZone ? { timeZone } : {}) }, ask ? 'follow-up' : 'mention');
  const refusal = refusalOf(deps, mention.channelId, request, thread);
  if (refusal !== undefined) {
    log.warn({ reason: refusal }, 'request refused in this channel');
    return answer(refusalMessage(refusal));
  }
  const plan = planRequest(
    request,
    {
      origin: { via: ask ? 'thread' : 'mention', userId: mention.userId, teamId: mention.teamId, channelId: mention.channelId, messageTs: mention.ts, ...(mention.threadTs !== undefined ? { threadTs: mention.threadTs } : {}), now, ...(timeZone !== undefined ? { timeZone } : {}) },
      ...(thread ? { thread } : {}),
    },
    spec,
  );
  let carried: Carried;
  try {
    carried = await carryOut(plan, deps, { channelId: mention.channelId, userId: mention.userId });
  } catch (e) {
    return unavailable(e, true);
  }
  if (plan.kind !== 'queue') return answer(carried.message ?? failureMessage('Nothing to say.'));
  await done();
  log.info({ jobId: carried.jobId, joined: carried.joined, ...(carried.repeated ? { repeated: true } : {}) }, carried.repeated ? 'already queued by an earlier delivery of this message' : carried.joined ? 'joined the running investigation' : 'queued');
  if (carried.message) await reply(carried.message);
}

/**
 * A mention in a thread the bot answered: a follow-up (or pasted text), or a command when it starts
 * with one (`why 504 payments-api`, `help`); undefined for anything else.
 */
function readInAnsweredThread(text: string, botUserId: string, now: Date, timeZone: string | undefined): { spec?: RequestSpec; request: BotRequest } | undefined {
  const followUp = parseThreadMessage(text, botUserId, { now, ...(timeZone !== undefined ? { timeZone } : {}) });
  if (followUp) return followUp;
  const first = firstWords(text, botUserId).split(/\s+/)[0] ?? '';
  if (specNamed(first, 'command') !== undefined || /^5(?:\d\d|xx)s?$/i.test(first)) return { request: parseMentionText(text, botUserId, now, timeZone) };
  return undefined;
}

/** The mention's text without the bot's mention, clipped: what the help quotes back. */
function firstWords(text: string, botUserId: string): string {
  return text.replace(new RegExp(`<@${botUserId}(?:\\|[^>]*)?>`, 'g'), ' ').trim().slice(0, 60);
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
