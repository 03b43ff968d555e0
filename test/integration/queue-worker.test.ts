/**
 * The built worker process (dist/src/bin/worker.js, as the Procfile runs it) on its own, against real
 * Redis, the sandbox and the local fake Slack Web API: it says `worker ready`, answers a queued
 * question in one root message and one threaded reply, stops on SIGTERM with exit 0, and — killed in
 * the middle of an investigation — is replaced by another worker that finishes the job without a second
 * root message or a second answer (BullMQ stalled-job recovery plus the handler's Redis bookkeeping).
 * (test/integration/slack-e2e.test.ts runs the same through the web process.)
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { producerConnection } from '../../src/queue/connection';
import type { InvestigateJob } from '../../src/queue/contracts';
import { InvestigationQueue } from '../../src/queue/investigations';
import type { FakeSlack, SlackCall } from '../helpers/fake-slack';
import { startFakeSlack } from '../helpers/fake-slack';
import type { BotProcess } from '../helpers/processes';
import { startProcess } from '../helpers/processes';

const REDIS_URL = 'redis://127.0.0.1:6379';
const TOKEN = 'xoxb-test-worker-token';

let slack: FakeSlack;
let redis: Redis;
let prefix: string;
const workers: BotProcess[] = [];

beforeAll(() => {
  redis = producerConnection(REDIS_URL);
});

afterAll(async () => {
  await redis.quit();
});

beforeEach(async () => {
  slack = await startFakeSlack();
  prefix = `test-worker-${randomUUID().slice(0, 8)}`;
});

afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop('SIGKILL')));
  await slack.close();
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
});

function startWorker(env: Record<string, string> = {}): BotProcess {
  const worker = startProcess('worker', { SLACK_BOT_TOKEN: TOKEN, SLACK_API_URL: slack.apiUrl, REDIS_URL, QUEUE_PREFIX: prefix, APIGW_DOCTOR_SANDBOX: '1', LOG_LEVEL: 'info', ...env });
  workers.push(worker);
  return worker;
}

async function ask(): Promise<void> {
  const job: InvestigateJob = {
    question: { status: 502, api: 'orders-api', stage: 'prod', sinceMs: 3_600_000 },
    asker: { userId: 'U0ALICE', teamId: 'T1', channelId: 'C0OPS' },
    askedAt: new Date().toISOString(),
    source: 'command',
  };
  const queue = new InvestigationQueue({ connection: redis, prefix, dedupeWindowS: 60 });
  try {
    await queue.ask(job);
  } finally {
    await queue.close();
  }
}

const roots = (): SlackCall[] => slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.thread_ts === undefined);
const replies = (): SlackCall[] => slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.thread_ts !== undefined);

/** Every edit is of the one root message, and the answer is in its thread. */
function expectOneThread(): void {
  const rootTs = roots()[0]?.ts;
  expect(rootTs).toBeDefined();
  expect(replies()[0]?.args.thread_ts).toBe(rootTs);
  const updates = slack.calls.filter((c) => c.method === 'chat.update');
  expect(updates.length).toBeGreaterThan(0);
  expect(updates.every((c) => c.args.ts === rootTs && c.args.channel === 'C0OPS')).toBe(true);
}

it('says it is ready, answers a question in one root message and one reply, and stops on SIGTERM', async () => {
  const worker = startWorker();
  await worker.waitForLine('worker ready');
  await ask();
  await slack.waitFor(() => replies().length > 0, 30_000);
  await worker.waitForLine('investigation answered');
  expect(roots()).toHaveLength(1);
  expect(replies()).toHaveLength(1);
  expectOneThread();
  expect(JSON.stringify(replies()[0]?.args.blocks)).toContain('Malformed Lambda proxy response');
  // The token never reaches the log.
  expect(worker.lines.join('\n')).not.toContain(TOKEN);
  expect(await worker.stop('SIGTERM')).toBe(0);
});

it('finishes a job whose worker was killed, without a second root message or answer', async () => {
  // Slow sandbox calls keep the first worker inside the investigation when it is killed.
  const first = startWorker({ SANDBOX_LATENCY_MS: '400', WORKER_LOCK_MS: '1000', WORKER_STALLED_INTERVAL_MS: '500' });
  await first.waitForLine('worker ready');
  await ask();
  // Killed after posting progress: the root is posted and stored, and has been edited at least once.
  // (Killed between Slack accepting the root and its ts being stored, a rerun would post a second
  // root: the window handlers/jobs/investigate.ts documents.)
  await slack.waitFor((calls) => roots().length === 1 && calls.some((c) => c.method === 'chat.update'), 30_000);
  await first.stop('SIGKILL');
  expect(replies()).toHaveLength(0);

  const second = startWorker({ WORKER_LOCK_MS: '1000', WORKER_STALLED_INTERVAL_MS: '500' });
  await slack.waitFor(() => replies().length > 0, 45_000);
  await second.waitForLine('investigation answered');
  expect(roots()).toHaveLength(1);
  expect(replies()).toHaveLength(1);
  expectOneThread();
  expect(await second.stop('SIGTERM')).toBe(0);
}, 90_000);
