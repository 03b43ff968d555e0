/**
 * `/healthz` of the web and worker processes: 200 `{"ok":true,"redis":"ok"}` when Redis answers PING
 * within a second (and, for a worker, it is taking jobs), else 503 with why. It checks no Slack or AWS
 * connection: a health check that fails when Slack is slow would restart healthy processes.
 */
import type { ServerResponse } from 'node:http';
import type { Redis } from 'ioredis';
import type { Logger } from '../logging';
import { withTimeout } from '../with-timeout';
import { whenReady } from './connection';

/** How long `/healthz` waits for Redis to answer PING. */
const HEALTH_PING_MS = 1_000;

export interface HealthBody {
  ok: boolean;
  redis: string;
  /** A worker's own state: `taking jobs`, or why not. */
  worker?: string;
}

/**
 * Answers `/healthz`. `workerState` (a worker only) says `undefined` while it takes jobs, else why it
 * does not ("stopping").
 */
export function healthHandler(redis: Redis, logger: Logger, workerState?: () => string | undefined): (res: ServerResponse) => Promise<void> {
  return async (res) => {
    const body: HealthBody = { ok: true, redis: 'ok' };
    try {
      await pingWithin(redis, HEALTH_PING_MS);
    } catch (e) {
      body.ok = false;
      body.redis = e instanceof Error ? e.message : String(e);
      logger.warn({ redis: body.redis }, 'health check: Redis unavailable');
    }
    if (workerState) {
      const problem = workerState();
      body.worker = problem ?? 'taking jobs';
      if (problem !== undefined) body.ok = false;
    }
    if (!res.headersSent) res.writeHead(body.ok ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };
}

function pingWithin(redis: Redis, ms: number): Promise<void> {
  return withTimeout(
    (async () => {
      await whenReady(redis, ms);
      await redis.ping();
    })(),
    ms,
    'no PONG',
  );
}
