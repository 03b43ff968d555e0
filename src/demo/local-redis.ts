/**
 * A Redis for the demo: the one at `REDIS_URL` when it answers, else a private `redis-server` from PATH
 * on a free port of 127.0.0.1 that keeps nothing on disk and stops with the demo. The tests start their
 * private Redis servers with the same `startRedisServer`.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
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
export async function findOrStartRedis(url: string): Promise<LocalRedis> {
  if (await redisAnswers(url)) return { url, private: false, stop: () => Promise.resolve() };
  try {
    const server = await startRedisServer(await freePort());
    return { url: server.url, private: true, stop: () => server.stop('SIGTERM') };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new NoRedisError(`No Redis answers at ${url} and there is no redis-server on PATH: install one (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis) or set REDIS_URL to a Redis you have, then run npm run demo again.`);
    }
    throw e;
  }
}

/** A redis-server child on 127.0.0.1. */
export interface RedisServer {
  url: string;
  port: number;
  /** Sends `signal` (SIGTERM: a clean shutdown; SIGKILL: a crash); resolves once it has exited. */
  stop(signal: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `redis-server` from PATH on `port`, keeping nothing on disk unless `args` (after the defaults,
 * so they win) say otherwise; resolves once it accepts connections. Rejects with the spawn error (code
 * ENOENT when there is no redis-server) or when it exits first.
 */
export async function startRedisServer(port: number, args: readonly string[] = []): Promise<RedisServer> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('redis-server did not start within 10 s')), 10_000);
    let seen = '';
    child.stdout.on('data', (d: Buffer) => {
      // Kept short, in case the line arrives split across chunks.
      seen = (seen + d.toString()).slice(-4_096);
      if (seen.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${String(code)} before it was ready: ${seen.trim().split('\n').slice(-3).join(' / ')}`));
    });
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: (signal) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}

/** A TCP port nothing listens on right now, on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
