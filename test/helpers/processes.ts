/**
 * The bot's processes for end-to-end tests: the built `web` and `worker` entry points started as child
 * processes with a test environment, their JSON log lines collected, and signed Slack requests sent to
 * the web process over real HTTP. Also a private redis-server, for tests that stop Redis (never the
 * shared one).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, startRedisServer } from '../../src/demo/local-redis';
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
export { freePort } from '../../src/demo/local-redis';

/** Options of `startPrivateRedis`; by default it keeps nothing on disk and takes a free port. */
export interface PrivateRedisOptions {
  /** The port to listen on (to restart a stopped server where its clients expect it). Default: a free one. */
  port?: number;
  /** The working directory (`--dir`: where the AOF and RDB files go). Default: redis-server's own. */
  dir?: string;
  /** More redis-server arguments, after the defaults so that they win: `['--appendonly', 'yes']`. */
  args?: string[];
}

/** A redis-server of the test's own, on a free port, keeping nothing on disk (unless `options` say otherwise); `stop` kills it. */
export async function startPrivateRedis(options: PrivateRedisOptions = {}): Promise<{ url: string; port: number; stop: () => Promise<void> }> {
  const server = await startRedisServer(options.port ?? (await freePort()), [...(options.dir !== undefined ? ['--dir', options.dir] : []), ...(options.args ?? [])]);
  return { url: server.url, port: server.port, stop: () => server.stop('SIGKILL') };
}

/** Posts a signed slash command; resolves with the HTTP status, the elapsed ms and the body. */
export const postSlashCommand = (base: string, secret: string, fields: Record<string, string>, opts: { timestamp?: number; badSignature?: boolean } = {}): Promise<WireAnswer> => sendSlashCommand(base, secret, fields, opts);

/** Posts a signed Events API envelope; `retryNum` adds Slack's retry headers. */
export const postEvent = (base: string, secret: string, envelope: Record<string, unknown>, retryNum?: number): Promise<WireAnswer> => sendEvent(base, secret, envelope, retryNum);

/** Posts a signed interactivity payload (`payload=<json>`, form-encoded) as Slack sends a button click. */
export const postAction = (base: string, secret: string, payload: Record<string, unknown>, opts: { badSignature?: boolean } = {}): Promise<WireAnswer> => sendInteraction(base, secret, payload, opts);
