/**
 * How an investigation's answer is delivered and what is kept in Redis so that a rerun of its job
 * continues instead of repeating itself (see handlers/jobs/investigate.ts for the order of the steps):
 * the root message (posted once, or the thread's own root for a follow-up), the stored answer, and the
 * askers who joined, each told once. Slack is reached only through the `Poster`.
 */
import type { Redis } from 'ioredis';
import { retargetThreadButtons } from '../slack/actions';
import { failureMessage } from '../slack/blocks';
import type { Poster, SlackMessage } from '../slack/poster';
import type { ChannelUnavailableError } from '../slack/poster';
import { MessageUnavailableError } from '../slack/poster';
import type { Asker, InvestigateJob } from './contracts';
import { JOB_STATE_TTL_S } from './keys';
import type { ThreadRef } from './thread-context';

/** What delivering an answer needs: the poster, the worker's Redis, a logger. */
export interface AnswerDeps {
  poster: Poster;
  redis: Redis;
  logger: { warn(obj: object, msg?: string): void };
}

/** Where the root message is, and the thread the answer goes to. */
export interface Root {
  channel: string;
  ts: string;
  threadTs: string;
}

/** The answer as stored for a rerun that only has joiners left to tell. */
export interface StoredAnswer {
  findings: SlackMessage;
  verdict: SlackMessage;
}

const INVITE = '/invite @apigw-doctor';

/** The root message: the one an earlier attempt posted, or a new one (a reply in the mention's thread for a mention). */
export async function ensureRoot(deps: AnswerDeps, key: string, data: InvestigateJob, message: SlackMessage): Promise<Root> {
  const existing = await loadRoot(deps.redis, key);
  if (existing) return existing;
  if (data.root) {
    // A follow-up's investigation: the thread's root shows its progress, then its verdict.
    const root: Root = { ...data.root };
    await deps.redis.set(key, JSON.stringify(root), 'EX', JOB_STATE_TTL_S);
    await editRoot(deps, root, message, { jobId: key });
    return root;
  }
  const channel = data.asker.channelId;
  const askedIn = threadOf(data.asker);
  let root: Root;
  if (askedIn !== undefined) {
    const ts = await deps.poster.reply(channel, askedIn, message);
    root = { channel, ts, threadTs: askedIn };
  } else {
    const ts = await deps.poster.postRoot(channel, message);
    root = { channel, ts, threadTs: ts };
  }
  await deps.redis.set(key, JSON.stringify(root), 'EX', JOB_STATE_TTL_S);
  return root;
}

export async function loadRoot(redis: Redis, key: string): Promise<Root | undefined> {
  const raw = await redis.get(key);
  if (raw === null) return undefined;
  const root = JSON.parse(raw) as Partial<Root>;
  return typeof root.channel === 'string' && typeof root.ts === 'string' && typeof root.threadTs === 'string' ? (root as Root) : undefined;
}

export async function loadAnswer(redis: Redis, key: string): Promise<StoredAnswer | undefined> {
  const raw = await redis.get(key);
  return raw === null ? undefined : (JSON.parse(raw) as StoredAnswer);
}

/** The thread an asker asked in: a mention's thread (or the mention itself); none for a slash command. */
export function threadOf(asker: Asker): string | undefined {
  return asker.threadTs ?? asker.messageTs;
}

/** Edits the root; a root someone deleted is not worth failing the job over. */
export async function editRoot(deps: AnswerDeps, root: Root, message: SlackMessage, log: object): Promise<void> {
  try {
    await deps.poster.update(root.channel, root.ts, message);
  } catch (e) {
    if (!(e instanceof MessageUnavailableError)) throw e;
    deps.logger.warn({ ...log, err: e }, 'the progress message can no longer be edited');
  }
}

/**
 * The askers besides the first, one per thread other than the answer's: a mention's thread gets
 * `say.inThread` as a reply, a slash command (no thread) `say.privately` through its response_url.
 * Each is told once across reruns. A failure is logged, not retried: the answer itself is out.
 */
export async function tellJoiners(deps: AnswerDeps, toldKey: string, first: Asker, root: Root, askers: readonly Asker[], say: { inThread: SlackMessage; privately: SlackMessage }): Promise<ThreadRef[]> {
  const threads: ThreadRef[] = [];
  const seen = new Set([placeOf(first), `${root.channel}/${root.threadTs}`]);
  for (const asker of askers) {
    const place = placeOf(asker);
    if (seen.has(place)) continue;
    seen.add(place);
    if ((await deps.redis.sadd(toldKey, place)) === 0) continue;
    await deps.redis.expire(toldKey, JOB_STATE_TTL_S);
    const thread = threadOf(asker);
    try {
      if (thread !== undefined) {
        // The answer's buttons name the thread they are in, so that a click there finds its context.
        await deps.poster.reply(asker.channelId, thread, { ...say.inThread, ...(say.inThread.blocks ? { blocks: retargetThreadButtons(say.inThread.blocks, thread) } : {}) });
        threads.push({ channelId: asker.channelId, threadTs: thread });
      } else if (asker.responseUrl !== undefined) {
        await deps.poster.tellViaResponseUrl(asker.responseUrl, say.privately);
      }
    } catch (e) {
      deps.logger.warn({ err: e, channel: asker.channelId }, 'could not tell a joined asker');
    }
  }
  return threads;
}

/** A failure said in the root is also said where each joiner asked. */
export async function tellFailure(deps: AnswerDeps, toldKey: string, first: Asker, root: Root, askers: readonly Asker[], message: SlackMessage): Promise<void> {
  await tellJoiners(deps, toldKey, first, root, askers, { inThread: message, privately: message });
}

/** What a slash-command joiner is told privately: where the answer is. */
export function pointerTo(root: Root): SlackMessage {
  return { text: `Someone asked the same a moment before you: the answer is in the thread of the investigation in <#${root.channel}>.` };
}

/** Each asker who can be told privately learns why the bot cannot post there, and what to do. */
export async function tellCannotPost(deps: AnswerDeps, askers: readonly Asker[], error: ChannelUnavailableError): Promise<void> {
  const channel = error.channel;
  const message = cannotPostMessage(error);
  const urls = new Set(askers.map((a) => a.responseUrl).filter((u): u is string => u !== undefined));
  for (const url of urls) {
    try {
      await deps.poster.tellViaResponseUrl(url, message);
    } catch (e) {
      deps.logger.warn({ err: e, channel }, 'could not tell the asker that the bot cannot post in the channel');
    }
  }
}

/** Why the bot cannot post in a channel, by Slack's error: not invited, archived, or not visible to it. */
function cannotPostMessage(error: ChannelUnavailableError): SlackMessage {
  const channel = error.channel;
  switch (error.code) {
    case 'is_archived':
      return failureMessage(`<#${channel}> is archived, so nobody can post there: ask in a channel that is not archived (or unarchive this one).`, undefined, [channel]);
    case 'channel_not_found':
      return failureMessage(`I can't see <#${channel}> (a private channel or conversation I'm not in, or one that was deleted): invite me with ${INVITE} there, or ask in a channel I'm in.`, INVITE, [channel]);
    case 'not_in_channel':
      return failureMessage(`I'm not in <#${channel}>: invite me with ${INVITE}, then ask again.`, INVITE, [channel]);
  }
}

export function placeOf(asker: Asker): string {
  return `${asker.channelId}/${threadOf(asker) ?? `user:${asker.userId}`}`;
}

