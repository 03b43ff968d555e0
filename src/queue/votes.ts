/**
 * Votes on findings: 👍 or 👎 per person per finding of a thread, and what a 👎 voter says the cause
 * was instead. `/apigw stats` reads them back per cause over the last days (how often the cause was
 * right). They live in Redis, so they outlast restarts and deploys, under the queue prefix:
 *
 * - `<prefix>:votes:records`: a hash, one field per vote (`<channel>:<threadTs>:<finding>:<user>`),
 *   its value JSON `{ cause, title, vote, at, instead?, insteadTitle? }` (`at` in epoch ms);
 * - `<prefix>:votes:latest`: a sorted set of the same fields scored by their `at`, the vote's latest
 *   time: a window of days is one range of it, and so is what is past retention.
 *
 * Both share the prefix, so they are in one hash slot whenever the prefix is `{hash-tagged}`. Each
 * change is one Lua script: two clicks at once cannot count twice. Every vote also trims a bounded
 * batch of votes past retention and keeps both keys alive for the retention from then on.
 */
import type { Redis } from 'ioredis';

/** 👍 or 👎. */
export type VoteKind = 'up' | 'down';

/** One click on 👍 or 👎 under a finding. */
export interface Vote {
  channelId: string;
  /** The thread (its first message's ts) the finding was posted in. */
  threadTs: string;
  /** The finding's number as shown (1-based). */
  finding: number;
  causeId: string;
  /** The cause's title as shown, for `/apigw stats`. */
  causeTitle: string;
  userId: string;
  vote: VoteKind;
  /** When it was clicked. */
  at: Date;
}

/** The answer of a 👎 voter to "what was it?". */
export interface InsteadAnswer {
  channelId: string;
  threadTs: string;
  finding: number;
  userId: string;
  /** The cause named instead, or `other` (something else). */
  instead: string;
  /** That cause's title as shown; none for `other`. */
  insteadTitle?: string;
  at: Date;
}

/** How a 👎 voter's answer to "what was it?" counts for a cause. */
export interface InsteadCount {
  /** The cause named instead, or `other` (something else). */
  causeId: string;
  /** Its title, when one was shown (never for `other`). */
  title?: string;
  count: number;
}

/** One cause's votes over a window. */
export interface CauseStats {
  causeId: string;
  /** The title of the cause's latest vote. */
  title: string;
  up: number;
  down: number;
  /** up / (up + down); undefined with no votes. */
  precision?: number;
  /** What 👎 voters said it was instead, most named first. */
  instead: InsteadCount[];
}

export interface VoteStoreOptions {
  /** Not closed by the store: it belongs to the caller. */
  redis: Redis;
  /** The queue prefix (`QUEUE_PREFIX`, default `apigw`): the keys are `<prefix>:votes:…`. */
  prefix: string;
  /** How long a vote is kept after its latest change. Default 90 days. */
  retentionDays?: number;
}

/** The keys of the votes (see the module's comment). */
export interface VoteKeys {
  /** Hash: vote id → JSON record. */
  records: string;
  /** Sorted set: vote id scored by its latest time (epoch ms). */
  latest: string;
}

export function voteKeys(prefix: string): VoteKeys {
  return { records: `${prefix}:votes:records`, latest: `${prefix}:votes:latest` };
}

/** "Something else" as an answer to "what was it?" (`SOMETHING_ELSE` of src/slack/actions.ts). */
const OTHER = 'other';

/** Days a vote is kept by default. */
export const DEFAULT_VOTE_RETENTION_DAYS = 90;
/** The window of `/apigw stats` by default. */
export const DEFAULT_STATS_DAYS = 30;

const DAY_MS = 86_400_000;
/** Votes past retention removed per vote (a bounded step); `trim` loops in batches of this size. */
const TRIM_BATCH = 100;
/** Records read per HMGET while counting. */
const READ_BATCH = 500;
/** Longest title kept with a vote. */
const MAX_TITLE = 200;

/** The JSON kept per vote. */
interface VoteRecord {
  cause: string;
  title: string;
  vote: VoteKind;
  at: number;
  instead?: string;
  insteadTitle?: string;
}

// Trims up to ARGV[2] votes older than ARGV[1] (ms). KEYS: records, latest. Defined first: the scripts below inline it.
const TRIM_LUA = `
local function trim(cutoff, batch)
  local old = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. cutoff, 'LIMIT', 0, batch)
  if #old > 0 then
    redis.call('HDEL', KEYS[1], unpack(old))
    redis.call('ZREM', KEYS[2], unpack(old))
  end
  return #old
end
local function decode(raw)
  if not raw then return nil end
  local ok, rec = pcall(cjson.decode, raw)
  if ok and type(rec) == 'table' and (rec.vote == 'up' or rec.vote == 'down') then return rec end
  return nil
end
`;

// KEYS: records, latest. ARGV: cutoff ms, batch.
const TRIM_SCRIPT = `${TRIM_LUA}
return trim(ARGV[1], tonumber(ARGV[2]))
`;

// KEYS: records, latest. ARGV: vote id, vote, cause, title, at ms, trim cutoff ms, trim batch, keys' TTL ms.
// Returns the vote replaced ('' for none). A vote again the same keeps its "instead"; any change clears it.
const VOTE_SCRIPT = `${TRIM_LUA}
trim(ARGV[6], tonumber(ARGV[7]))
local old = decode(redis.call('HGET', KEYS[1], ARGV[1]))
local at = tonumber(ARGV[5])
local rec = { cause = ARGV[3], title = ARGV[4], vote = ARGV[2] }
local previous = ''
if old then
  previous = old.vote
  if type(old.at) == 'number' and old.at > at then at = old.at end
  if old.vote == 'down' and ARGV[2] == 'down' and type(old.instead) == 'string' then
    rec.instead = old.instead
    if type(old.insteadTitle) == 'string' then rec.insteadTitle = old.insteadTitle end
  end
end
rec.at = at
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(rec))
redis.call('ZADD', KEYS[2], at, ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[8])
redis.call('PEXPIRE', KEYS[2], ARGV[8])
return previous
`;

// KEYS: records, latest. ARGV: vote id, instead, instead title ('' for none), at ms.
// Returns 1, or 0 when that person has no 👎 on that finding.
const INSTEAD_SCRIPT = `${TRIM_LUA}
local rec = decode(redis.call('HGET', KEYS[1], ARGV[1]))
if not rec or rec.vote ~= 'down' then return 0 end
rec.instead = ARGV[2]
if ARGV[3] ~= '' then rec.insteadTitle = ARGV[3] else rec.insteadTitle = nil end
local at = tonumber(ARGV[4])
if type(rec.at) == 'number' and rec.at > at then at = rec.at end
rec.at = at
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(rec))
redis.call('ZADD', KEYS[2], at, ARGV[1])
return 1
`;

/**
 * The votes on findings, in Redis: one per person per finding (a second click replaces it), the
 * answers to "what was it?", and the per-cause counts of `/apigw stats`. Every method rejects when
 * Redis cannot be reached (the ioredis error as it is).
 */
export class VoteStore {
  readonly keys: VoteKeys;
  /** Days a vote is kept after its latest change (default 90). */
  readonly retentionDays: number;
  private readonly redis: Redis;

  constructor(opts: VoteStoreOptions) {
    const retentionDays = opts.retentionDays ?? DEFAULT_VOTE_RETENTION_DAYS;
    if (!(retentionDays > 0) || !Number.isFinite(retentionDays)) throw new RangeError(`retentionDays must be a positive number of days, not ${retentionDays}`);
    this.redis = opts.redis;
    this.keys = voteKeys(opts.prefix);
    this.retentionDays = retentionDays;
  }

  /**
   * Records a 👍 or 👎, replacing that person's earlier vote on the same finding (same channel,
   * thread and finding): the same vote again changes no count, a changed one moves from one count to
   * the other, and a change from 👎 clears its "what was it?" answer. The vote's latest time becomes
   * `at` (or stays later). Resolves with the vote it replaced, if any.
   */
  async vote(v: Vote): Promise<{ previous?: VoteKind }> {
    if (v.vote !== 'up' && v.vote !== 'down') throw new RangeError(`a vote is up or down, not ${String(v.vote)}`);
    const id = voteId(v);
    const at = timeOf(v.at);
    const result = await this.redis.eval(
      VOTE_SCRIPT,
      2,
      this.keys.records,
      this.keys.latest,
      id,
      v.vote,
      v.causeId,
      clip(v.causeTitle),
      at,
      at - this.retentionMs(),
      TRIM_BATCH,
      this.retentionMs() + DAY_MS,
    );
    return result === 'up' || result === 'down' ? { previous: result } : {};
  }

  /**
   * Records what a 👎 voter says the cause was instead (a cause id, or `other`), replacing an earlier
   * answer. False, and nothing recorded, when that person has no 👎 on that finding (never voted,
   * voted 👍, or their vote is past retention).
   */
  async instead(v: InsteadAnswer): Promise<boolean> {
    if (v.instead === '') throw new RangeError('the cause named instead is empty');
    const result = await this.redis.eval(INSTEAD_SCRIPT, 2, this.keys.records, this.keys.latest, voteId(v), v.instead, v.insteadTitle !== undefined ? clip(v.insteadTitle) : '', timeOf(v.at));
    return result === 1;
  }

  /**
   * Per cause, the votes whose latest time is within `days` (default 30) before `now` (or after it):
   * 👍 and 👎 counts, precision, and what 👎 voters named instead; causes with the most votes first.
   * Reads one range of the time index and those votes' records, never the keyspace; trims what is
   * past retention first.
   */
  async stats(now: Date, days = DEFAULT_STATS_DAYS): Promise<CauseStats[]> {
    if (!(days > 0) || !Number.isFinite(days)) throw new RangeError(`days must be a positive number, not ${days}`);
    await this.trim(now);
    const since = timeOf(now) - days * DAY_MS;
    const ids = await this.redis.zrangebyscore(this.keys.latest, since, '+inf');
    const pipeline = this.redis.pipeline();
    for (let i = 0; i < ids.length; i += READ_BATCH) pipeline.hmget(this.keys.records, ...ids.slice(i, i + READ_BATCH));
    const replies = ids.length > 0 ? ((await pipeline.exec()) ?? []) : [];
    const records: VoteRecord[] = [];
    for (const [error, values] of replies) {
      if (error) throw error;
      for (const raw of values as (string | null)[]) {
        const rec = raw === null ? undefined : parseRecord(raw);
        if (rec && rec.at >= since) records.push(rec);
      }
    }
    return tally(records);
  }

  /**
   * Removes every vote whose latest time is more than the retention before `now`. Votes trim a few
   * each as they come; this catches up (`stats` calls it). Resolves with how many were removed.
   */
  async trim(now: Date): Promise<number> {
    const cutoff = timeOf(now) - this.retentionMs();
    let removed = 0;
    for (;;) {
      const n = Number(await this.redis.eval(TRIM_SCRIPT, 2, this.keys.records, this.keys.latest, cutoff, TRIM_BATCH));
      removed += n;
      if (n < TRIM_BATCH) return removed;
    }
  }

  private retentionMs(): number {
    return Math.round(this.retentionDays * DAY_MS);
  }
}

/** `<channel>:<threadTs>:<finding>:<user>`: one vote per person per finding. */
function voteId(v: { channelId: string; threadTs: string; finding: number; userId: string }): string {
  for (const [name, value] of [
    ['channelId', v.channelId],
    ['threadTs', v.threadTs],
    ['userId', v.userId],
  ] as const) {
    if (value === '' || value.includes(':')) throw new RangeError(`${name} must be a non-empty Slack id, not ${JSON.stringify(value)}`);
  }
  if (!Number.isInteger(v.finding) || v.finding < 1) throw new RangeError(`finding must be a positive integer, not ${v.finding}`);
  return `${v.channelId}:${v.threadTs}:${v.finding}:${v.userId}`;
}

function timeOf(at: Date): number {
  const ms = at.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('the vote’s time is not a valid date');
  return ms;
}

function clip(title: string): string {
  return title.length > MAX_TITLE ? `${title.slice(0, MAX_TITLE - 1)}…` : title;
}

function parseRecord(raw: string): VoteRecord | undefined {
  try {
    const r = JSON.parse(raw) as Partial<Record<keyof VoteRecord, unknown>> | null;
    if (!r || typeof r.cause !== 'string' || typeof r.title !== 'string' || (r.vote !== 'up' && r.vote !== 'down') || typeof r.at !== 'number') return undefined;
    return {
      cause: r.cause,
      title: r.title,
      vote: r.vote,
      at: r.at,
      ...(typeof r.instead === 'string' ? { instead: r.instead } : {}),
      ...(typeof r.insteadTitle === 'string' && r.insteadTitle !== '' ? { insteadTitle: r.insteadTitle } : {}),
    };
  } catch {
    return undefined;
  }
}

/** The records counted per cause; titles are the latest shown. */
function tally(records: readonly VoteRecord[]): CauseStats[] {
  interface Acc {
    title: string;
    titleAt: number;
    up: number;
    down: number;
    instead: Map<string, { count: number; title?: string; titleAt: number }>;
  }
  const causes = new Map<string, Acc>();
  for (const r of records) {
    let acc = causes.get(r.cause);
    if (!acc) causes.set(r.cause, (acc = { title: r.title, titleAt: r.at, up: 0, down: 0, instead: new Map() }));
    if (r.at > acc.titleAt) {
      acc.title = r.title;
      acc.titleAt = r.at;
    }
    if (r.vote === 'up') acc.up++;
    else acc.down++;
    if (r.vote !== 'down' || r.instead === undefined) continue;
    const named = acc.instead.get(r.instead) ?? { count: 0, titleAt: -Infinity };
    named.count++;
    if (r.insteadTitle !== undefined && r.at >= named.titleAt) {
      named.title = r.insteadTitle;
      named.titleAt = r.at;
    }
    acc.instead.set(r.instead, named);
  }
  const stats: CauseStats[] = [...causes].map(([causeId, acc]) => ({
    causeId,
    title: acc.title,
    up: acc.up,
    down: acc.down,
    ...(acc.up + acc.down > 0 ? { precision: acc.up / (acc.up + acc.down) } : {}),
    instead: [...acc.instead]
      .map(([id, named]) => {
        // A cause named instead without a title shown: the title its own votes carry, if any.
        const title = named.title ?? (id === OTHER ? undefined : causes.get(id)?.title);
        return { causeId: id, ...(title !== undefined ? { title } : {}), count: named.count };
      })
      .sort((a, b) => b.count - a.count || a.causeId.localeCompare(b.causeId)),
  }));
  return stats.sort((a, b) => b.up + b.down - (a.up + a.down) || b.down - a.down || a.causeId.localeCompare(b.causeId));
}
