/**
 * The bot's processes for end-to-end tests: the built `web` and `worker` entry points started as child
 * processes with a test environment, their JSON log lines collected, and signed Slack requests sent to
 * the web process over real HTTP. Also a private redis-server, for tests that stop Redis (never the
 * shared one).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startCommand } from './command-process';
import type { BotProcess } from './command-process';
import { sendEvent, sendInteraction, sendSlashCommand } from '../../src/demo/slack-wire';
import type { WireAnswer } from '../../src/demo/slack-wire';

/** The repository root, from test/helpers or from its compiled copy in dist/test/helpers (benchmarks). */
const ROOT = [join(__dirname, '..', '..'), join(__dirname, '..', '..', '..')].find((dir) => existsSync(join(dir, 'package.json'))) ?? join(__dirname, '..', '..');

export type { BotProcess } from './command-process';

export function startProcess(entry: 'web' | 'worker', env: Record<string, string>): BotProcess {
  return startCommand([process.execPath, join(ROOT, 'dist', 'src', 'bin', `${entry}.js`)], {
    cwd: ROOT,
    env: { AWS_EC2_METADATA_DISABLED: 'true', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
    name: entry,
  });
}

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Options of `startPrivateRedis`; by default it keeps nothing on disk and takes a free port. */
export interface PrivateRedisOptions {
  /** The port to listen on (to restart a stopped server where its clients expect it). Default: a free one. */
  port?: number;
  /** The working directory (`--dir`: where the AOF and RDB files go). Default: redis-server's own. */
  dir?: string;
  /** More redis-server arguments, after the defaults so that they win: `['--appendonly', 'yes']`. */
  args?: string[];
}

/** A redis-server of the test's own, on a free port, keeping nothing on disk (unless `options` say otherwise). */
export async function startPrivateRedis(options: PrivateRedisOptions = {}): Promise<{ url: string; port: number; stop: () => Promise<void> }> {
  const port = options.port ?? (await freePort());
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...(options.dir !== undefined ? ['--dir', options.dir] : []), ...(options.args ?? [])];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('private redis-server did not start within 10 s')), 10_000);
    let seen = '';
    child.stdout.on('data', (d: Buffer) => {
      // Kept short, in case the line arrives split across chunks.
      seen = (seen + d.toString()).slice(-4_096);
      if (seen.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`private redis-server exited with ${String(code)} before it was ready`));
    });
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

/** Posts a signed slash command; resolves with the HTTP status, the elapsed ms and the body. */
export const postSlashCommand = (base: string, secret: string, fields: Record<string, string>, opts: { timestamp?: number; badSignature?: boolean } = {}): Promise<WireAnswer> => sendSlashCommand(base, secret, fields, opts);

/** Posts a signed Events API envelope; `retryNum` adds Slack's retry headers. */
export const postEvent = (base: string, secret: string, envelope: Record<string, unknown>, retryNum?: number): Promise<WireAnswer> => sendEvent(base, secret, envelope, retryNum);

/** Posts a signed interactivity payload (`payload=<json>`, form-encoded) as Slack sends a button click. */
export const postAction = (base: string, secret: string, payload: Record<string, unknown>, opts: { badSignature?: boolean } = {}): Promise<WireAnswer> => sendInteraction(base, secret, payload, opts);
