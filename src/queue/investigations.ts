/**
 * The producer side of the investigations queue, as the web process uses it: drop Slack's retries and
 * double deliveries, and turn a question into a BullMQ job, or into a place in the list of askers of
 * the same question's running job (DESIGN.md §4: nothing lost, nothing twice).
 *
 * Joining works through a holder key per question (`<prefix>:question:<questionKey>`):
 * - the first asker claims it as `pending:<jobId>` (a few seconds), adds the BullMQ job, then confirms
 *   it as `<jobId>` for `dedupeWindowS`;
 * - a later asker of the same question in that window appends itself to the job's askers list;
 *   one who finds it still pending waits for the confirmation (or for the claim to lapse, when its
 *   owner died before adding the job, and then claims it itself);
 * - the worker releases the key when the job ends (`finishQuestion`), reading the askers list in the
 *   same step: whoever asks after that starts a new investigation instead of joining a finished one.
 * Each step is one Lua script, so two processes asking at once cannot both start a job.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import type { JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Asker, InvestigateJob, JobData } from './contracts';
import { INVESTIGATIONS_QUEUE, questionKey } from './contracts';
import { DEFAULT_QUEUE_PREFIX, QueueUnavailableError, describeRedis, whenReady } from './connection';
import { JOB_STATE_TTL_S, eventKey, jobKeys, messageKey, questionHolderKey } from './keys';

/** The BullMQ job name of an investigation. */
export const INVESTIGATE_JOB_NAME = 'why';

/**
 * Every investigation's job options: three attempts 2 s and 4 s apart (a worker crash or an AWS
 * hiccup), finished jobs kept a day (completed) or a week (failed) for inspection.
 */
export const INVESTIGATE_JOB_OPTIONS: Readonly<JobsOptions> = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 24 * 3_600, count: 1_000 },
  removeOnFail: { age: 7 * 24 * 3_600 },
};

/** Slack retries after about 0 s, 1 min and 5 min: three hours is well past the last. */
const DEFAULT_EVENT_TTL_S = 3 * 3_600;
/**
 * How long a delivery's claim holds unconfirmed: longer than handling a mention takes (Redis waits
 * included), shorter than Slack's one minute before its second retry, so the delivery of a process
 * that died is taken by that retry.
 */
const DEFAULT_DELIVERY_LEASE_MS = 20_000;
const DEFAULT_CLAIM_MS = 5_000;
const POLL_MS = 25;

export interface InvestigationQueueOptions {
  /** A producer connection (`producerConnection`): fails fast when Redis is down. Not closed by `close()`. */
  connection: Redis;
  /** The key prefix of BullMQ and of our own keys (`QUEUE_PREFIX`). Default `apigw`; `{hash-tagged}` on Redis Cluster. */
  prefix?: string;
  /** `DEDUPE_WINDOW_S`: the same question in the same channel this soon joins the running job. 0 never joins. */
  dedupeWindowS: number;
  /** How long an event id (and a message's channel + ts) is remembered. Default 3 h, longer than Slack's retries. */
  eventTtlS?: number;
  /** How long an unconfirmed claim of a delivery holds (see `DeliveryClaim`). Default 20,000 ms. */
  deliveryLeaseMs?: number;
  /** How long a claimed question may stay unconfirmed before another asker takes it over. Default 5,000 ms. */
  claimMs?: number;
  /** How long to wait for Redis while the first connection is made. Default 2,000 ms. */
  connectTimeoutMs?: number;
}

/** The hash behind question keys: hex, so safe in a BullMQ job id. */
export function hashQuestion(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/** The key of a job's question (same question, same channel: same key). */
export function questionKeyOf(job: InvestigateJob): string {
  return questionKey(job.question, job.asker.channelId, hashQuestion);
}

/** `why-<questionKey>-<n>`: no `:`, never an integer (BullMQ's rules for custom ids). */
export function investigationJobId(key: string, n: number | string): string {
  return `why-${key}-${typeof n === 'number' ? Math.trunc(n) : n}`;
}

/**
 * The job id of a job: a mention's is fixed by its message (channel, in the key, and ts), so a
 * redelivery of the same mention names the same job and cannot start a second one; a slash command
 * (never redelivered) is numbered by when it was asked.
 */
export function jobIdOf(job: InvestigateJob, key = questionKeyOf(job)): string {
  const ts = job.source === 'mention' || job.source === 'follow-up' ? job.asker.messageTs : undefined;
  if (ts !== undefined && /^\d{1,12}\.\d{1,9}$/.test(ts)) return investigationJobId(key, ts.replace('.', ''));
  const askedAtMs = Date.parse(job.askedAt);
  return investigationJobId(key, Number.isFinite(askedAtMs) ? askedAtMs : Date.now());
}

/** The question key inside an investigation's job id, when it is one. */
export function questionKeyOfJobId(jobId: string): string | undefined {
  return /^why-([0-9a-f]+)-\d+$/.exec(jobId)?.[1];
}

/** Reads a list of JSON askers, skipping anything that is not one. */
function parseAskers(raw: unknown): Asker[] {
  if (!Array.isArray(raw)) return [];
  const askers: Asker[] = [];
  for (const item of raw) {
    if (typeof item !== 'string') continue;
    try {
      const a = JSON.parse(item) as Partial<Asker> | null;
      if (a && typeof a.userId === 'string' && typeof a.teamId === 'string' && typeof a.channelId === 'string') askers.push(a as Asker);
    } catch {
      // A foreign entry: ignore it rather than fail the whole answer.
    }
  }
  return askers;
}

/**
 * How a delivery of a Slack event stands:
 * - `claimed`: this delivery handles it; `confirmDelivery` once its outcome is stored (the job queued,
 *   the reply posted), `forgetDelivery` when that failed. Unconfirmed, the claim lapses after the lease.
 * - `taken`: already handled (a retry, or the other event of the same mention);
 * - `in-progress`: this same event is being handled now, or its handler died less than a lease ago:
 *   Slack should deliver it again later;
 * - `sibling`: the other event of the same mention is being handled; a crash there is covered by
 *   that event's own redeliveries.
 */
export type DeliveryClaim = 'claimed' | 'taken' | 'in-progress' | 'sibling';

// KEYS: event, message. ARGV: event id, lease ms.
const CLAIM_DELIVERY_SCRIPT = `
local e = redis.call('GET', KEYS[1])
if e == 'done' then return 'taken' end
if e then return 'in-progress' end
local m = redis.call('GET', KEYS[2])
if m == 'done' then return 'taken' end
if m then return 'sibling' end
redis.call('SET', KEYS[1], 'pending', 'PX', ARGV[2])
redis.call('SET', KEYS[2], 'pending:' .. ARGV[1], 'PX', ARGV[2])
return 'claimed'
`;

// KEYS: holder, askers of the holder read before (or of the new job), askers of the new job.
// ARGV: holder value read before ('' for none), new job id, asker JSON, claim ms, askers TTL s.
const ASK_SCRIPT = `
local holder = redis.call('GET', KEYS[1]) or ''
if holder ~= ARGV[1] then return {'moved', holder} end
if holder == '' then
  redis.call('SET', KEYS[1], 'pending:' .. ARGV[2], 'PX', ARGV[4])
  redis.call('DEL', KEYS[3])
  redis.call('RPUSH', KEYS[3], ARGV[3])
  redis.call('EXPIRE', KEYS[3], ARGV[5])
  return {'claimed', ARGV[2]}
end
if string.sub(holder, 1, 8) == 'pending:' then return {'pending', string.sub(holder, 9)} end
redis.call('RPUSH', KEYS[2], ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[5])
return {'joined', holder}
`;

// KEYS: holder. ARGV: job id, window ms.
const CONFIRM_SCRIPT = `
if redis.call('GET', KEYS[1]) == 'pending:' .. ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
`;

// KEYS: holder. ARGV: job id.
const RELEASE_CLAIM_SCRIPT = `
if redis.call('GET', KEYS[1]) == 'pending:' .. ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

// KEYS: holder, askers. ARGV: job id.
const FINISH_SCRIPT = `
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] or holder == 'pending:' .. ARGV[1] then redis.call('DEL', KEYS[1]) end
return redis.call('LRANGE', KEYS[2], 0, -1)
`;

/**
 * Ends a job's question: whoever asks it from now on starts a new investigation. Returns everyone
 * who asked (the first asker, then the joiners), read in the same step, so nobody can join after
 * the list was read. Idempotent: a retried job gets the same list.
 */
export async function finishQuestion(redis: Redis, prefix: string, jobId: string): Promise<Asker[]> {
  const key = questionKeyOfJobId(jobId);
  const askersKey = jobKeys(prefix, jobId).askers;
  if (key === undefined) return parseAskers(await redis.lrange(askersKey, 0, -1));
  return parseAskers(await redis.eval(FINISH_SCRIPT, 2, questionHolderKey(prefix, key), askersKey, jobId));
}

/** The askers of a job: the first, then those who joined. */
export async function readAskers(redis: Redis, prefix: string, jobId: string): Promise<Asker[]> {
  return parseAskers(await redis.lrange(jobKeys(prefix, jobId).askers, 0, -1));
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** What `ask` did: started `jobId`, or joined it; `repeated` when this same asking had already been queued (a redelivery). */
export interface Asked {
  jobId: string;
  joined: boolean;
  repeated?: boolean;
}

/** Whether a job of the id was there already: no, still to answer, or answered. */
type Existing = false | 'queued' | 'finished';

/** The web process's handle on the investigations queue. */
export class InvestigationQueue {
  readonly prefix: string;
  private readonly redis: Redis;
  private readonly dedupeWindowS: number;
  private readonly eventTtlS: number;
  private readonly deliveryLeaseMs: number;
  private readonly claimMs: number;
  private readonly connectTimeoutMs: number;
  private bull: Queue | undefined;
  private closed = false;

  constructor(opts: InvestigationQueueOptions) {
    this.redis = opts.connection;
    this.prefix = opts.prefix ?? DEFAULT_QUEUE_PREFIX;
    this.dedupeWindowS = Math.max(0, opts.dedupeWindowS);
    this.eventTtlS = opts.eventTtlS ?? DEFAULT_EVENT_TTL_S;
    this.deliveryLeaseMs = opts.deliveryLeaseMs ?? DEFAULT_DELIVERY_LEASE_MS;
    this.claimMs = opts.claimMs ?? DEFAULT_CLAIM_MS;
    this.connectTimeoutMs = opts.connectTimeoutMs ?? 2_000;
  }

  /**
   * Claims a delivery of a Slack event (its id, and the message's channel + ts: an @mention also
   * arrives as a `message` event), in one step, for `deliveryLeaseMs` (see `DeliveryClaim`).
   */
  async claimDelivery(eventId: string, channelId: string, ts: string): Promise<DeliveryClaim> {
    const what = 'remember the Slack event';
    await this.ready(what);
    const result = await this.guard(what, () => this.redis.eval(CLAIM_DELIVERY_SCRIPT, 2, eventKey(this.prefix, eventId), messageKey(this.prefix, channelId, ts), eventId, this.deliveryLeaseMs));
    if (result === 'claimed' || result === 'taken' || result === 'in-progress' || result === 'sibling') return result;
    throw new Error(`claiming a delivery answered ${String(result)}`);
  }

  /**
   * Marks a claimed delivery handled, for `eventTtlS`: Slack's later retries, and the other event of
   * the same mention, are dropped from now on.
   */
  async confirmDelivery(eventId: string, channelId: string, ts: string): Promise<void> {
    await this.guard('remember the Slack event', async () => {
      await this.redis.multi().set(eventKey(this.prefix, eventId), 'done', 'EX', this.eventTtlS).set(messageKey(this.prefix, channelId, ts), 'done', 'EX', this.eventTtlS).exec();
    });
  }

  /**
   * Undoes `claimDelivery` for an event whose job could not be queued, so that Slack's redelivery is
   * taken at once instead of after the lease. Best effort: false when Redis cannot be reached.
   */
  async forgetDelivery(eventId: string, channelId: string, ts: string): Promise<boolean> {
    try {
      await this.redis.del(eventKey(this.prefix, eventId), messageKey(this.prefix, channelId, ts));
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Starts an investigation, or joins the same question's running one (same channel, within
   * `dedupeWindowS`, not yet answered). Resolves once the job or the join is stored in Redis; rejects
   * with a `QueueUnavailableError` within about `connectTimeoutMs` when Redis cannot be reached.
   */
  async ask(job: InvestigateJob): Promise<Asked> {
    await this.ready('queue the investigation');
    const key = questionKeyOf(job);
    const jobId = jobIdOf(job, key);
    const asker = JSON.stringify(job.asker);
    const mine = jobKeys(this.prefix, jobId);
    if (this.dedupeWindowS === 0) {
      await this.guard('queue the investigation', async () => {
        await this.redis.multi().del(mine.askers).rpush(mine.askers, asker).expire(mine.askers, JOB_STATE_TTL_S).exec();
      });
      const existed = await this.add(jobId, job);
      return { jobId, joined: false, ...(existed ? { repeated: true } : {}) };
    }
    const holderKey = questionHolderKey(this.prefix, key);
    // A claim left pending by a process that died is taken over once it lapses (claimMs).
    const deadline = Date.now() + this.claimMs + this.connectTimeoutMs;
    for (;;) {
      const holder = await this.guard('queue the investigation', () => this.redis.get(holderKey));
      const holderJob = holder === null ? jobId : holder.replace(/^pending:/, '');
      const result = await this.guard('queue the investigation', () =>
        this.redis.eval(ASK_SCRIPT, 3, holderKey, jobKeys(this.prefix, holderJob).askers, mine.askers, holder ?? '', jobId, asker, this.claimMs, JOB_STATE_TTL_S),
      );
      const [outcome, id] = Array.isArray(result) ? (result as unknown[]) : [];
      // Joining the job this very mention started (a redelivery after a crash): nothing new to say.
      if (outcome === 'joined' && id === jobId && (job.source === 'mention' || job.source === 'follow-up')) return { jobId, joined: false, repeated: true };
      if (outcome === 'joined' && typeof id === 'string') return { jobId: id, joined: true };
      if (outcome === 'claimed') break;
      if (Date.now() > deadline) throw new QueueUnavailableError('queue the investigation', describeRedis(this.redis), new Error(`the same question stayed claimed by job ${String(id)} without being queued`));
      if (outcome === 'pending') await sleep(POLL_MS);
    }
    let existed: Existing;
    try {
      existed = await this.add(jobId, job);
    } catch (e) {
      // Let the next asker start it; a lost release only delays that until the claim lapses.
      await this.redis.eval(RELEASE_CLAIM_SCRIPT, 1, holderKey, jobId).catch(() => undefined);
      throw e;
    }
    if (existed === 'finished') {
      // A redelivery of a mention whose job already answered: nobody may join a finished job.
      await this.guard('queue the investigation', () => this.redis.eval(RELEASE_CLAIM_SCRIPT, 1, holderKey, jobId));
      return { jobId, joined: false, repeated: true };
    }
    await this.guard('queue the investigation', () => this.redis.eval(CONFIRM_SCRIPT, 1, holderKey, jobId, this.dedupeWindowS * 1_000));
    return { jobId, joined: false, ...(existed ? { repeated: true } : {}) };
  }

  /**
   * Queues a job that is not an investigation (a follow-up, `check`, `apis`): nothing joins these.
   * A job asked by a message (a follow-up typed in a thread) has its id fixed by that message, so a
   * redelivery of the message queues nothing new; `repeated` says so.
   */
  async enqueue(job: Exclude<JobData, InvestigateJob>): Promise<{ jobId: string; repeated: boolean }> {
    await this.ready('queue the request');
    const ts = job.asker?.messageTs;
    const jobId = ts !== undefined && job.asker && /^\d{1,12}\.\d{1,9}$/.test(ts) ? `${job.kind}-${job.asker.channelId}-${ts.replace('.', '')}` : `${job.kind}-${randomUUID()}`;
    const existed = await this.add(jobId, job, job.kind);
    return { jobId, repeated: existed !== false };
  }

  /** Everyone who asked a job's question: the first asker, then those who joined. */
  async askers(jobId: string): Promise<Asker[]> {
    return readAskers(this.redis, this.prefix, jobId);
  }

  /** Closes the BullMQ queue. The connection belongs to the caller, who closes it. */
  async close(): Promise<void> {
    this.closed = true;
    const bull = this.bull;
    this.bull = undefined;
    await bull?.close();
  }

  private async setOnce(key: string, what: string): Promise<boolean> {
    await this.ready(what);
    const set = await this.guard(what, () => this.redis.set(key, '1', 'EX', this.eventTtlS, 'NX'));
    return set === 'OK';
  }

  /** Adds the job unless a job of that id exists already (a redelivered mention), and says which. */
  private async add(jobId: string, job: JobData, name: string = INVESTIGATE_JOB_NAME): Promise<Existing> {
    if (this.closed) throw new Error('the investigation queue is closed');
    const bull = (this.bull ??= this.createQueue());
    return this.guard('queue the investigation', async () => {
      try {
        await bull.waitUntilReady();
      } catch (e) {
        // A BullMQ queue whose first connection failed stays broken: start afresh next time.
        if (this.bull === bull) this.bull = undefined;
        await bull.close().catch(() => undefined);
        throw e;
      }
      const existing = await bull.getJob(jobId);
      if (existing) return existing.finishedOn !== undefined ? 'finished' : 'queued';
      await bull.add(name, job, { ...INVESTIGATE_JOB_OPTIONS, jobId });
      return false;
    });
  }

  private createQueue(): Queue {
    const queue = new Queue(INVESTIGATIONS_QUEUE, { connection: this.redis, prefix: this.prefix });
    // Connection errors also reach each caller as a rejection; this only keeps them from crashing the process.
    queue.on('error', () => undefined);
    return queue;
  }

  private async ready(what: string): Promise<void> {
    try {
      await whenReady(this.redis, this.connectTimeoutMs);
    } catch (e) {
      throw new QueueUnavailableError(what, describeRedis(this.redis), e);
    }
  }

  private async guard<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (e) {
      // Only a lost connection is "unavailable"; anything else (a script error) is a defect, rethrown as it is.
      if (e instanceof QueueUnavailableError || this.redis.status === 'ready') throw e;
      throw new QueueUnavailableError(what, describeRedis(this.redis), e);
    }
  }
}
