/**
 * Redis connections for the two sides of the queue. The web process is a producer: when Redis is down
 * it must fail within a couple of seconds (so Slack's request is not acked and Slack retries), never
 * queue commands in memory. The worker is a consumer: BullMQ's blocking commands must wait out a
 * Redis restart instead of failing (platform-facts §15).
 *
 * Every key the bot writes starts with the queue prefix (`QUEUE_PREFIX`, default `apigw`): BullMQ's
 * own (`<prefix>:investigations:…`) and ours (`<prefix>:evt:…`, `<prefix>:job:…`). On Redis Cluster
 * give a `{hash-tagged}` prefix such as `{apigw}`, so that every key lands in one slot and the Lua
 * scripts here and BullMQ's may touch several keys at once.
 */
import { Redis } from 'ioredis';

/** The default queue prefix (`QUEUE_PREFIX`). */
export const DEFAULT_QUEUE_PREFIX = 'apigw';

export interface ProducerConnectionOptions {
  /** How long a connection attempt may take before it counts as failed. Default 2,000 ms. */
  connectTimeoutMs?: number;
}

/** The last connection error each client saw, so that a failure can say why (ECONNREFUSED …). */
const lastErrors = new WeakMap<Redis, Error>();

/** Reconnects back off from 100 ms to 2 s and never give up: Redis coming back heals the process. */
function reconnectDelay(times: number): number {
  return Math.min(100 * 2 ** Math.min(times, 5), 2_000);
}

function remember(redis: Redis): Redis {
  // Without a listener ioredis prints every connection error to the console.
  redis.on('error', (e: Error) => lastErrors.set(redis, e));
  redis.on('ready', () => lastErrors.delete(redis));
  return redis;
}

/**
 * The web process's connection: commands fail at once while Redis is unreachable
 * (`enableOfflineQueue: false`, one retry per command, 2 s connect timeout), and the client keeps
 * reconnecting in the background.
 */
export function producerConnection(url: string, options: ProducerConnectionOptions = {}): Redis {
  return remember(
    new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: options.connectTimeoutMs ?? 2_000,
      retryStrategy: reconnectDelay,
    }),
  );
}

/** The worker's connection: `maxRetriesPerRequest: null`, as BullMQ workers require. */
export function workerConnection(url: string): Redis {
  return remember(new Redis(url, { maxRetriesPerRequest: null, retryStrategy: reconnectDelay }));
}

/** Redis could not be reached: nothing was stored, and the caller should say so (and not ack Slack). */
export class QueueUnavailableError extends Error {
  /** `what` failed (e.g. "queue the investigation"); `where` is the Redis address, without a password. */
  constructor(what: string, where: string, cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(`could not ${what}: Redis at ${where} is unreachable (${why}); nothing was stored, try again in a minute`, { cause });
    this.name = new.target.name;
  }
}

/**
 * Resolves when `redis` can take commands: at once when it is connected, within its connect timeout
 * while the first connection is being made, and never while it is reconnecting after a failure
 * (that rejects at once: a producer fails fast rather than waits).
 */
export async function whenReady(redis: Redis, timeoutMs = 2_000): Promise<void> {
  if (redis.status === 'ready') return;
  const failed = (): Error => lastErrors.get(redis) ?? new Error(`connection ${redis.status}`);
  if (redis.status === 'wait') {
    await redis.connect();
    return;
  }
  if (redis.status === 'reconnecting' || redis.status === 'end' || redis.status === 'close') throw failed();
  await new Promise<void>((resolve, reject) => {
    const done = (error?: Error): void => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      redis.off('error', onError);
      redis.off('end', onEnd);
      if (error) reject(error);
      else resolve();
    };
    const onReady = (): void => done();
    const onError = (e: Error): void => done(e);
    const onEnd = (): void => done(failed());
    const timer = setTimeout(() => done(new Error(`no connection within ${timeoutMs} ms`)), timeoutMs);
    redis.once('ready', onReady);
    redis.once('error', onError);
    redis.once('end', onEnd);
  });
}

/** A description of where `redis` points that carries no password: `127.0.0.1:6379`. */
export function describeRedis(redis: Redis): string {
  const { host, port, path } = redis.options;
  return path ?? `${host ?? '127.0.0.1'}:${port ?? 6379}`;
}
