/**
 * The built worker process (dist/src/bin/worker.js, as the Procfile runs it) against real Redis, the
 * sandbox and a local fake Slack Web API: it says `worker ready`, answers a queued question in one
 * root message and one threaded reply, stops on SIGTERM with exit 0, and — killed in the middle of
 * an investigation — is replaced by another worker that finishes the job without a second root
 * message or a second answer (BullMQ stalled-job recovery plus the handler's Redis bookkeeping).
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { producerConnection } from '../../src/queue/connection';
import { InvestigationQueue } from '../../src/queue/investigations';

const ROOT = join(__dirname, '..', '..');
const WORKER = join(ROOT, 'dist', 'src', 'bin', 'worker.js');
const REDIS_URL = 'redis://127.0.0.1:6379';

interface SlackCall {
  method: string;
  form: Record<string, string>;
  /** The ts the fake answered with. */
  ts: string | undefined;
}

let server: Server;
let apiUrl: string;
let calls: SlackCall[];
let next = 1;
let redis: Redis;
let prefix: string;
const children: ChildProcess[] = [];

async function read(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void read(req).then((body) => {
      const form = Object.fromEntries(new URLSearchParams(body));
      const method = (req.url ?? '').replace(/^\/api\//, '');
      const ts = method === 'chat.update' ? form.ts : `1764082800.${String(next++).padStart(6, '0')}`;
      calls.push({ method, form, ts });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, channel: form.channel, ts }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  redis = producerConnection(REDIS_URL);
});

afterAll(async () => {
  await redis.quit();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  calls = [];
  prefix = `test-worker-${randomUUID().slice(0, 8)}`;
});

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
});

interface Running {
  child: ChildProcess;
  lines: Record<string, unknown>[];
  exited: Promise<number | null>;
}

function startWorker(env: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, [WORKER], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      SLACK_BOT_TOKEN: 'xoxb-test-worker-token',
      SLACK_API_URL: apiUrl,
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      APIGW_DOCTOR_SANDBOX: '1',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const lines: Record<string, unknown>[] = [];
  let buffered = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    for (const line of parts) if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
  });
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, lines, exited };
}

async function until(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const question = () => ({
  question: { status: 502 as const, api: 'orders-api', stage: 'prod', sinceMs: 3_600_000 },
  asker: { userId: 'U0ALICE', teamId: 'T1', channelId: 'C0OPS' },
  askedAt: new Date().toISOString(),
  source: 'command' as const,
});

const roots = (): SlackCall[] => calls.filter((c) => c.method === 'chat.postMessage' && c.form.thread_ts === undefined);
const replies = (): SlackCall[] => calls.filter((c) => c.method === 'chat.postMessage' && c.form.thread_ts !== undefined);

/** Every edit is of the one root message, and the answer is in its thread. */
function expectOneThread(): void {
  const rootTs = roots()[0]?.ts;
  expect(rootTs).toBeDefined();
  expect(replies()[0]?.form.thread_ts).toBe(rootTs);
  const updates = calls.filter((c) => c.method === 'chat.update');
  expect(updates.length).toBeGreaterThan(0);
  expect(updates.every((c) => c.form.ts === rootTs && c.form.channel === 'C0OPS')).toBe(true);
}

it('says it is ready, answers a question in one root message and one reply, and stops on SIGTERM', async () => {
  const worker = startWorker();
  await until('worker ready', () => worker.lines.some((l) => l.msg === 'worker ready'));
  const queue = new InvestigationQueue({ connection: redis, prefix, dedupeWindowS: 60 });
  try {
    await queue.ask(question());
  } finally {
    await queue.close();
  }
  await until('the answer', () => replies().length > 0);
  await until('the job to be recorded', () => worker.lines.some((l) => l.msg === 'investigation answered'));
  expect(roots()).toHaveLength(1);
  expect(replies()).toHaveLength(1);
  expectOneThread();
  expect(replies()[0]?.form.blocks).toContain('Malformed Lambda proxy response');
  // The token never reaches the log.
  expect(JSON.stringify(worker.lines)).not.toContain('xoxb-test-worker-token');
  worker.child.kill('SIGTERM');
  expect(await worker.exited).toBe(0);
});

it('finishes a job whose worker was killed, without a second root message or answer', async () => {
  // Slow sandbox calls keep the first worker inside the investigation when it is killed.
  const first = startWorker({ SANDBOX_LATENCY_MS: '400', WORKER_LOCK_MS: '1000', WORKER_STALLED_INTERVAL_MS: '500' });
  await until('worker ready', () => first.lines.some((l) => l.msg === 'worker ready'));
  const queue = new InvestigationQueue({ connection: redis, prefix, dedupeWindowS: 60 });
  try {
    await queue.ask(question());
  } finally {
    await queue.close();
  }
  // Killed after posting progress: the root is posted and stored, and has been edited at least once.
  // (Killed between Slack accepting the root and its ts being stored, a rerun would post a second
  // root: the window handlers/jobs/investigate.ts documents.)
  await until('a progress edit', () => roots().length === 1 && calls.some((c) => c.method === 'chat.update'));
  first.child.kill('SIGKILL');
  await first.exited;
  expect(replies()).toHaveLength(0);

  const second = startWorker({ WORKER_LOCK_MS: '1000', WORKER_STALLED_INTERVAL_MS: '500' });
  await until('the answer', () => replies().length > 0, 45_000);
  await until('the job to be recorded', () => second.lines.some((l) => l.msg === 'investigation answered'));
  expect(roots()).toHaveLength(1);
  expect(replies()).toHaveLength(1);
  expectOneThread();
  second.child.kill('SIGTERM');
  expect(await second.exited).toBe(0);
});
