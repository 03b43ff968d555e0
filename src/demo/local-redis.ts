/**
 * A Redis for the demo: the one at `REDIS_URL` when it answers, else a private `redis-server` from PATH
 * on a free port of 127.0.0.1 that keeps nothing on disk and stops with the demo.
 */
import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';

export interface LocalRedis {
  url: string;
  /** True when the demo started it (and will stop it). */
  private: boolean;
  stop(): Promise<void>;
}

/** Why there is no Redis: nothing answers and no redis-server is on PATH. */
export class NoRedisError extends Error {}

/** PINGs `url` once; true when it answers within `timeoutMs`. */
export async function redisAnswers(url: string, timeoutMs = 1_500): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: timeoutMs, enableOfflineQueue: false });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** The Redis at `url` when it answers, else a private one; throws `NoRedisError` when neither can be had. */
export async function findOrStartRedis(url: string, freePort: () => Promise<number>): Promise<LocalRedis> {
  if (await redisAnswers(url)) return { url, private: false, stop: () => Promise.resolve() };
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the private redis-server did not start within 10 s')), 10_000);
    let seen = '';
    child.stdout.on('data', (d: Buffer) => {
      seen = (seen + d.toString()).slice(-4_096);
      if (seen.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(e.code === 'ENOENT' ? new NoRedisError(`No Redis answers at ${url} and there is no redis-server on PATH: install one (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis) or set REDIS_URL to a Redis you have, then run npm run demo again.`) : e);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the private redis-server exited with ${String(code)} before it was ready: ${seen.trim().split('\n').slice(-3).join(' / ')}`));
    });
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    private: true,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
