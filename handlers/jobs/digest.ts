/**
 * The 5xx digest: every API stage of the configured accounts and Regions over the period (the 24 hours
 * before it is due, or the window asked for), compared with the period before, the likely cause of the
 * worst, posted in the digest channel (or where `/apigw digest now` was asked).
 *
 * Exactly one digest per period, however many workers run and however often they restart: BullMQ's job
 * scheduler makes one job per due time (its id carries the time), and the post is claimed per channel
 * and period in Redis before it is made:
 *   <prefix>:digest:posted:<channel>:<period end ms>   `posting` (a 30 s lease), then the message's ts
 * Its rows and data are kept (7 days) under an id its buttons carry, stored before the post.
 * A worker that dies mid-digest leaves the job to BullMQ's stalled-job recovery; the next attempt
 * collects again and, finding no ts, posts. A lease left by a worker that died while posting lapses, and
 * the next attempt posts then; only a death between Slack accepting the message and its ts being stored
 * (milliseconds) could post a second one.
 */
import { randomUUID } from 'node:crypto';
import { UnrecoverableError } from 'bullmq';
import { collectDigest } from '../../src/collect/digest';
import type { DigestData } from '../../src/collect/digest-data';
import type { AwsPorts } from '../../src/collect/ports';
import { formatSince } from '../../src/collect/window';
import type { Asker, DigestJob } from '../../src/queue/contracts';
import type { DigestSchedule } from '../../src/queue/digest-schedule';
import { DIGEST_SCHEDULER_ID } from '../../src/queue/digest-schedule';
import { JOB_STATE_TTL_S } from '../../src/queue/keys';
import type { ListingRow } from '../../src/queue/listings';
import { saveDigest, saveListing } from '../../src/queue/listings';
import { digestMessage } from '../../src/slack/digest-blocks';
import { postAnswer } from './answer-place';
import type { InvestigateDeps } from './investigate';

/** Where the digest reads: each configured account and Region (the sandbox: one). */
export interface DigestTarget {
  account?: string;
  ports: AwsPorts;
}

export interface DigestDeps extends InvestigateDeps {
  /** The digest's settings in force (channel, schedule, on or off). */
  digestSchedule: Pick<DigestSchedule, 'settings'>;
  /** Every account and Region the digest covers; one that cannot be set up is a part the digest says it could not read. */
  digestTargets: () => Promise<{ targets: DigestTarget[]; unreadable: { account?: string; region: string; reason: string; fix: string }[] }>;
}

export interface DigestJobRun {
  id?: string | undefined;
  data: DigestJob;
  /** When BullMQ created the job (ms). */
  timestamp?: number;
}

const DAY_MS = 24 * 3_600_000;
/** How long a claim to post holds: longer than posting takes, short enough that a dead worker's lapses before the retries run out. */
const POST_LEASE_MS = 30_000;
const POLL_MS = 500;

export const digestPostedKey = (prefix: string, channelId: string, periodEndMs: number): string => `${prefix}:digest:posted:${channelId}:${periodEndMs}`;

/** When a scheduled digest was due: the time in its job id (`repeat:daily-digest:<ms>`), else when the job was made. */
export function dueTimeOf(job: Pick<DigestJobRun, 'id' | 'timestamp'>, now: Date): Date {
  const m = new RegExp(`^repeat:${DIGEST_SCHEDULER_ID}:(\\d+)$`).exec(job.id ?? '');
  const ms = m?.[1] !== undefined ? Number(m[1]) : job.timestamp;
  // Whole seconds (cron's finest step): every attempt at the same due time reads the same period.
  return new Date(Math.floor((ms !== undefined && Number.isFinite(ms) ? ms : now.getTime()) / 1_000) * 1_000);
}

export async function handleDigestJob(job: DigestJobRun, deps: DigestDeps): Promise<void> {
  const data = job.data;
  const settings = await deps.digestSchedule.settings();
  const askedAt = data.askedAt !== undefined ? Date.parse(data.askedAt) : NaN;
  const end = data.scheduled ? dueTimeOf(job, deps.now()) : new Date(Number.isFinite(askedAt) ? Math.floor(askedAt / 60_000) * 60_000 : deps.now().getTime());
  const sinceMs = data.sinceMs ?? DAY_MS;
  const window = { from: new Date(end.getTime() - sinceMs), to: end };
  const asker: Asker | undefined = data.scheduled ? (settings.channel !== undefined ? { userId: 'digest', teamId: '', channelId: settings.channel } : undefined) : data.asker;
  const log = { jobId: job.id, channel: asker?.channelId, periodEnd: end.toISOString(), scheduled: data.scheduled === true };
  if (data.scheduled && (!settings.enabled || asker === undefined)) {
    deps.logger.info(log, settings.enabled ? 'digest due but no channel is set (DIGEST_CHANNEL or /apigw digest here)' : 'digest due but turned off (/apigw digest off)');
    return;
  }
  if (!asker) throw new UnrecoverableError('a digest asked for with no asker');

  const key = data.scheduled ? digestPostedKey(deps.prefix, asker.channelId, end.getTime()) : `${deps.prefix}:digest:posted:job:${job.id ?? 'unknown'}`;
  if (await alreadyPosted(deps, key)) {
    deps.logger.info(log, 'digest for this period already posted');
    return;
  }

  deps.logger.info(log, 'digest: collecting');
  const { targets, unreadable } = await deps.digestTargets();
  const collected = await collectDigest(targets, window, { knowledge: deps.knowledge, now: deps.now() });
  const digest: DigestData = { ...collected, unreadable: [...unreadable, ...collected.unreadable] };
  const periodLabel = data.scheduled || sinceMs === DAY_MS ? 'in the last 24h' : `in the last ${formatSince(sinceMs)}`;
  // Kept before the post, under an id its buttons carry: a click a moment after the post finds them.
  const listId = randomUUID();
  const rows: ListingRow[] = digest.rows.map((r) => ({ apiId: r.apiId, apiName: r.apiName, stage: r.stage, region: r.region, ...(r.account !== undefined ? { account: r.account } : {}), sinceMs }));
  await saveListing(deps.redis, deps.prefix, asker.channelId, listId, rows);
  await saveDigest(deps.redis, deps.prefix, asker.channelId, listId, { data: digest, periodLabel });
  const message = digestMessage(digest, { periodLabel, listId });

  if (!(await claimPost(deps, key))) {
    deps.logger.info(log, 'another worker posted this digest meanwhile');
    return;
  }
  let ts: string | undefined;
  try {
    ts = await postAnswer(deps, asker, message);
  } catch (e) {
    // Nothing was posted: let the retry post it.
    await deps.redis.del(key);
    throw e;
  }
  if (ts === undefined) {
    await deps.redis.del(key);
    throw new UnrecoverableError(`cannot post the digest in ${asker.channelId}`);
  }
  await deps.redis.set(key, ts, 'EX', 3 * JOB_STATE_TTL_S);
  deps.logger.info({ ...log, ts, stages: digest.rows.length, count5xx: digest.totals.count5xx, unreadable: digest.unreadable.length }, 'digest posted');
}

async function alreadyPosted(deps: DigestDeps, key: string): Promise<boolean> {
  const value = await deps.redis.get(key);
  return value !== null && value !== 'posting';
}

/**
 * Claims the post for this period: true when this attempt may post. A claim held by another attempt is
 * waited for: it ends posted (false) or lapses (then claimed here).
 */
async function claimPost(deps: DigestDeps, key: string): Promise<boolean> {
  const deadline = Date.now() + POST_LEASE_MS + 5_000;
  for (;;) {
    if ((await deps.redis.set(key, 'posting', 'PX', POST_LEASE_MS, 'NX')) === 'OK') return true;
    if (await alreadyPosted(deps, key)) return false;
    if (Date.now() > deadline) throw new Error('another attempt is still posting this digest');
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
