/**
 * The Redis settings production needs and a bare redis-server lacks. Redis holds state that must
 * outlive a restart (queued investigations, Slack retry/dedupe claims, thread context), so it needs
 * the append-only file on; and BullMQ loses jobs when Redis evicts keys, so `maxmemory-policy` must be
 * `noeviction`.
 *
 * Read from `INFO persistence` and `INFO memory`, never `CONFIG GET`: managed Redis (ElastiCache,
 * MemoryDB, Upstash …) disables CONFIG. A setting that cannot be read is reported as such, with how to
 * check it by hand, instead of failing. Parsing and wording are pure (`parseInfo`, `redisSettingProblems`,
 * `describeProblem`); `warnAboutRedisSettings` is the one part that talks to Redis.
 */
import type { Redis } from 'ioredis';

/** One setting production needs that this Redis does not have (or that could not be read). */
export interface RedisSettingProblem {
  setting: 'appendonly' | 'maxmemory-policy';
  /** What INFO said (`aof_enabled:0`, `maxmemory_policy:allkeys-lru`), or undefined when it could not be read. */
  found?: string;
  /** What is wrong and what it costs. */
  problem: string;
  /** How to put it right: redis.conf, redis-cli at runtime, ElastiCache. */
  fix: string;
}

/** The INFO text of the sections read; a section left undefined could not be fetched. */
export interface RedisInfo {
  persistence?: string;
  memory?: string;
  /** Why a section could not be fetched (the INFO error), for the message. */
  error?: string;
}

const AOF_FIX =
  'in redis.conf set `appendonly yes` and `appendfsync everysec`; at runtime `redis-cli CONFIG SET appendonly yes` then `redis-cli CONFIG REWRITE`; ' +
  'on ElastiCache (no AOF on current engines) use Multi-AZ with a replica and automatic failover, or MemoryDB for a durable log';
const EVICTION_FIX =
  'in redis.conf set `maxmemory-policy noeviction`; at runtime `redis-cli CONFIG SET maxmemory-policy noeviction` then `redis-cli CONFIG REWRITE`; ' +
  'on ElastiCache set maxmemory-policy to noeviction in a custom parameter group and attach it to the cluster';

/** `INFO` text (`# Section` headers, `field:value` lines, CRLF or LF) as a map of fields. */
export function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return fields;
}

/** What production needs and `info` shows missing (or could not show), in a stable order: AOF, then eviction. */
export function redisSettingProblems(info: RedisInfo): RedisSettingProblem[] {
  const problems: RedisSettingProblem[] = [];
  // A section that came back but lacks the field (an old or unusual server) is told apart from one that failed.
  const unread = (section: 'persistence' | 'memory', field: string): string =>
    info[section] === undefined ? `INFO ${section} failed (${info.error ?? 'no answer'})` : `INFO ${section} has no ${field} field`;

  const aof = info.persistence !== undefined ? parseInfo(info.persistence).get('aof_enabled') : undefined;
  if (aof === undefined) {
    problems.push({
      setting: 'appendonly',
      problem: `could not tell whether Redis persistence (AOF) is on: ${unread('persistence', 'aof_enabled')}; check by hand that \`redis-cli CONFIG GET appendonly\` says yes (or your provider's persistence setting)`,
      fix: AOF_FIX,
    });
  } else if (aof !== '1') {
    problems.push({
      setting: 'appendonly',
      found: `aof_enabled:${aof}`,
      problem: 'Redis persistence (AOF) is off: a Redis restart loses queued investigations, Slack retry/dedupe claims and thread context',
      fix: AOF_FIX,
    });
  }

  const policy = info.memory !== undefined ? parseInfo(info.memory).get('maxmemory_policy') : undefined;
  if (policy === undefined) {
    problems.push({
      setting: 'maxmemory-policy',
      problem: `could not tell Redis' eviction policy: ${unread('memory', 'maxmemory_policy')}; check by hand that \`redis-cli CONFIG GET maxmemory-policy\` says noeviction`,
      fix: EVICTION_FIX,
    });
  } else if (policy !== 'noeviction') {
    problems.push({
      setting: 'maxmemory-policy',
      found: `maxmemory_policy:${policy}`,
      problem: `Redis may evict keys (maxmemory-policy ${policy}): BullMQ requires noeviction, or jobs and their locks vanish under memory pressure`,
      fix: EVICTION_FIX,
    });
  }
  return problems;
}

/** One log message: the problem and its fix. */
export function describeProblem(p: RedisSettingProblem): string {
  return `${p.problem}. Fix: ${p.fix}`;
}

/** Reads the two INFO sections; an error is kept in the result rather than thrown. */
export async function readRedisInfo(redis: Redis): Promise<RedisInfo> {
  const read = async (section: string): Promise<string | { error: string }> => {
    try {
      return await redis.info(section);
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e) };
    }
  };
  const [persistence, memory] = await Promise.all([read('persistence'), read('memory')]);
  const error = [persistence, memory].find((s): s is { error: string } => typeof s !== 'string')?.error;
  return {
    ...(typeof persistence === 'string' ? { persistence } : {}),
    ...(typeof memory === 'string' ? { memory } : {}),
    ...(error !== undefined ? { error } : {}),
  };
}

/** The part of a pino logger this needs. */
export interface SettingsLogger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

/**
 * Checks `redis` in the background once it is connected and logs one `warn` per problem (the fix in the
 * message), or one `info` when all is well. Never throws and never delays the caller: a process starts
 * whatever Redis' settings are. Waits for the first `ready` (the web connection does not queue commands).
 */
export function warnAboutRedisSettings(redis: Redis, logger: SettingsLogger): void {
  const connected = redis.status === 'ready' ? Promise.resolve() : new Promise<void>((resolve) => redis.once('ready', () => resolve()));
  connected
    .then(() => readRedisInfo(redis))
    .then((info) => {
      const problems = redisSettingProblems(info);
      for (const p of problems) logger.warn({ component: 'redis-settings', setting: p.setting, ...(p.found !== undefined ? { found: p.found } : {}) }, describeProblem(p));
      if (problems.length === 0) logger.info({ component: 'redis-settings' }, 'Redis settings fit production: AOF on, maxmemory-policy noeviction');
    })
    .catch((err: unknown) => logger.warn({ component: 'redis-settings', err }, 'could not check Redis persistence and eviction settings'));
}
