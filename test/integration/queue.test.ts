/**
 * The investigations queue against real Redis (DESIGN.md §4): Slack's retries and double deliveries
 * dropped, identical questions joined within the window, and a producer that fails fast when Redis
 * is down. Each test has its own key prefix and deletes its keys afterwards.
 */
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { producerConnection, QueueUnavailableError } from '../../src/queue/connection';
import type { Asker, InvestigateJob } from '../../src/queue/contracts';
import { INVESTIGATIONS_QUEUE } from '../../src/queue/contracts';
import { InvestigationQueue, finishQuestion, questionKeyOf } from '../../src/queue/investigations';

const REDIS_URL = 'redis://127.0.0.1:6379';

let redis: Redis;
let prefix: string;
let queue: InvestigationQueue;

beforeAll(() => {
  redis = producerConnection(REDIS_URL);
});

afterAll(async () => {
  await redis.quit();
});

beforeEach(() => {
  prefix = `test-queue-${randomUUID().slice(0, 8)}`;
  queue = new InvestigationQueue({ connection: redis, prefix, dedupeWindowS: 60 });
});

afterEach(async () => {
  await queue.close();
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
});

const alice: Asker = { userId: 'U0ALICE', teamId: 'T1', channelId: 'C0OPS', responseUrl: 'https://hooks.slack.test/commands/1' };
const bob: Asker = { userId: 'U0BOB', teamId: 'T1', channelId: 'C0OPS', threadTs: '1732545000.000200', messageTs: '1732545000.000200' };

function ask(asker: Asker, askedAt: string, api = 'orders-api'): InvestigateJob {
  return { question: { status: 502, api, stage: 'prod', sinceMs: 3_600_000 }, asker, askedAt, source: asker.messageTs ? 'mention' : 'command' };
}

async function jobsIn(p: string): Promise<{ id: string | undefined; data: unknown; attempts: number | undefined }[]> {
  const q = new Queue(INVESTIGATIONS_QUEUE, { connection: redis, prefix: p });
  try {
    const jobs = await q.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed']);
    return jobs.map((j) => ({ id: j.id, data: j.data as unknown, attempts: j.opts.attempts }));
  } finally {
    await q.close();
  }
}

describe('event dedupe', () => {
  it('claims an event once; once confirmed, its retries are dropped for longer than Slack retries', async () => {
    expect(await queue.claimDelivery('Ev0001', 'C0OPS', '1732545000.000100')).toBe('claimed');
    expect(await queue.claimDelivery('Ev0001', 'C0OPS', '1732545000.000100')).toBe('in-progress');
    await queue.confirmDelivery('Ev0001', 'C0OPS', '1732545000.000100');
    expect(await queue.claimDelivery('Ev0001', 'C0OPS', '1732545000.000100')).toBe('taken');
    expect(await queue.claimDelivery('Ev0002', 'C0OPS', '1732545000.000101')).toBe('claimed');
    // Remembered for longer than Slack's last retry (about 5 min).
    expect(await redis.ttl(`${prefix}:evt:Ev0001`)).toBeGreaterThan(3 * 3_600 - 60);
  });

  it('lets an unconfirmed claim lapse, so the redelivery of a process that died before queueing is taken', async () => {
    const short = new InvestigationQueue({ connection: redis, prefix, dedupeWindowS: 60, deliveryLeaseMs: 200 });
    try {
      expect(await short.claimDelivery('Ev0003', 'C0OPS', '1732545000.000300')).toBe('claimed');
      // The process dies here: nothing confirms, nothing forgets.
      expect(await short.claimDelivery('Ev0003', 'C0OPS', '1732545000.000300')).toBe('in-progress');
      await new Promise((r) => setTimeout(r, 300));
      expect(await short.claimDelivery('Ev0003', 'C0OPS', '1732545000.000300')).toBe('claimed');
    } finally {
      await short.close();
    }
  });

  it('forgets an event whose job could not be queued, so its redelivery is taken at once', async () => {
    expect(await queue.claimDelivery('Ev0009', 'C0OPS', '1732545000.000900')).toBe('claimed');
    expect(await queue.forgetDelivery('Ev0009', 'C0OPS', '1732545000.000900')).toBe(true);
    expect(await queue.claimDelivery('Ev0009', 'C0OPS', '1732545000.000900')).toBe('claimed');
  });

  it('claims an @mention once although it arrives as app_mention and as message', async () => {
    const results = await Promise.all([queue.claimDelivery('EvMention1', 'C0OPS', '1732545000.000200'), queue.claimDelivery('EvMessage1', 'C0OPS', '1732545000.000200')]);
    expect(results.sort()).toEqual(['claimed', 'sibling']);
    await queue.confirmDelivery(results[0] === 'claimed' ? 'EvMention1' : 'EvMessage1', 'C0OPS', '1732545000.000200');
    expect(await queue.claimDelivery('EvMessage2', 'C0OPS', '1732545000.000200')).toBe('taken');
  });

  it('a mention queued twice (a redelivery after a crash) is one job, also after it finished', async () => {
    const job = ask(bob, '2026-11-25T15:00:00.000Z');
    const first = await queue.ask(job);
    const again = await queue.ask({ ...job, askedAt: '2026-11-25T15:01:00.000Z' });
    expect(again).toEqual({ jobId: first.jobId, joined: false, repeated: true });
    expect((await jobsIn(prefix)).map((j) => j.id)).toEqual([first.jobId]);
    // The job answered; the redelivery neither starts another nor leaves the question held by the finished job.
    await finishQuestion(redis, prefix, first.jobId);
    // As BullMQ records a finished job (no worker runs here).
    await redis.hset(`${prefix}:${INVESTIGATIONS_QUEUE}:${first.jobId}`, 'finishedOn', String(Date.now()));
    expect(await queue.ask({ ...job, askedAt: '2026-11-25T15:06:00.000Z' })).toEqual({ jobId: first.jobId, joined: false, repeated: true });
    const later = await queue.ask(ask({ ...alice }, '2026-11-25T15:07:00.000Z'));
    expect(later.joined).toBe(false);
    expect(later.jobId).not.toBe(first.jobId);
  });
});

describe('asking', () => {
  it('adds a BullMQ job with an id without ":" and three attempts', async () => {
    const job = ask(alice, '2026-11-25T15:00:00.000Z');
    const { jobId, joined } = await queue.ask(job);
    expect(joined).toBe(false);
    expect(jobId).toBe(`why-${questionKeyOf(job)}-${Date.parse(job.askedAt)}`);
    expect(jobId).not.toContain(':');
    const jobs = await jobsIn(prefix);
    expect(jobs).toEqual([{ id: jobId, data: job, attempts: 3 }]);
  });

  it('joins a second asker of the same question to the running job and lists both', async () => {
    const first = await queue.ask(ask(alice, '2026-11-25T15:00:00.000Z'));
    const second = await queue.ask(ask(bob, '2026-11-25T15:00:20.000Z', 'Orders-API'));
    expect(first.joined).toBe(false);
    expect(second).toEqual({ jobId: first.jobId, joined: true });
    expect(await jobsIn(prefix)).toHaveLength(1);
    expect(await queue.askers(first.jobId)).toEqual([alice, bob]);
  });

  it('starts one job when two processes ask the same question at once', async () => {
    const other = new InvestigationQueue({ connection: redis, prefix, dedupeWindowS: 60 });
    try {
      const results = await Promise.all([queue.ask(ask(alice, '2026-11-25T15:00:00.000Z')), other.ask(ask(bob, '2026-11-25T15:00:00.001Z'))]);
      expect(results.filter((r) => r.joined)).toHaveLength(1);
      expect(new Set(results.map((r) => r.jobId)).size).toBe(1);
      expect(await jobsIn(prefix)).toHaveLength(1);
      expect(await queue.askers(results[0].jobId)).toHaveLength(2);
    } finally {
      await other.close();
    }
  });

  it('starts a new job for another question, or the same one in another channel', async () => {
    const a = await queue.ask(ask(alice, '2026-11-25T15:00:00.000Z'));
    const b = await queue.ask(ask(alice, '2026-11-25T15:00:01.000Z', 'payments-api'));
    const c = await queue.ask(ask({ ...alice, channelId: 'C0OTHER' }, '2026-11-25T15:00:02.000Z'));
    expect([a.joined, b.joined, c.joined]).toEqual([false, false, false]);
    expect(new Set([a.jobId, b.jobId, c.jobId]).size).toBe(3);
  });

  it('starts a new job once the window has passed', async () => {
    const short = new InvestigationQueue({ connection: redis, prefix, dedupeWindowS: 1 });
    try {
      const first = await short.ask(ask(alice, '2026-11-25T15:00:00.000Z'));
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      const second = await short.ask(ask(bob, '2026-11-25T15:00:02.000Z'));
      expect(second.joined).toBe(false);
      expect(second.jobId).not.toBe(first.jobId);
      expect(await jobsIn(prefix)).toHaveLength(2);
      expect(await short.askers(second.jobId)).toEqual([bob]);
    } finally {
      await short.close();
    }
  });

  it('starts a new job once the first has answered, even within the window', async () => {
    const first = await queue.ask(ask(alice, '2026-11-25T15:00:00.000Z'));
    expect(await finishQuestion(redis, prefix, first.jobId)).toEqual([alice]);
    const second = await queue.ask(ask(bob, '2026-11-25T15:00:10.000Z'));
    expect(second.joined).toBe(false);
    expect(second.jobId).not.toBe(first.jobId);
  });

  it('never joins with a window of 0', async () => {
    const never = new InvestigationQueue({ connection: redis, prefix, dedupeWindowS: 0 });
    try {
      const a = await never.ask(ask(alice, '2026-11-25T15:00:00.000Z'));
      const b = await never.ask(ask(bob, '2026-11-25T15:00:00.500Z'));
      expect([a.joined, b.joined]).toEqual([false, false]);
      expect(await jobsIn(prefix)).toHaveLength(2);
    } finally {
      await never.close();
    }
  });

  it('takes over a question whose first asker died before queueing it', async () => {
    const fast = new InvestigationQueue({ connection: redis, prefix, dedupeWindowS: 60, claimMs: 300 });
    try {
      const job = ask(alice, '2026-11-25T15:00:00.000Z');
      // A claim as a crashed web process leaves it: pending, no job.
      await redis.set(`${prefix}:question:${questionKeyOf(job)}`, 'pending:why-dead-1', 'PX', 300);
      const result = await fast.ask(ask(bob, '2026-11-25T15:00:01.000Z'));
      expect(result.joined).toBe(false);
      expect(await jobsIn(prefix)).toHaveLength(1);
    } finally {
      await fast.close();
    }
  });
});

describe('Redis down', () => {
  it('rejects ask fast with a clear error', async () => {
    const down = producerConnection('redis://127.0.0.1:6390', { connectTimeoutMs: 500 });
    const q = new InvestigationQueue({ connection: down, prefix, dedupeWindowS: 60, connectTimeoutMs: 500 });
    try {
      const started = Date.now();
      const error = await q.ask(ask(alice, '2026-11-25T15:00:00.000Z')).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(QueueUnavailableError);
      expect((error as Error).message).toMatch(/could not queue the investigation: Redis at 127\.0\.0\.1:6390 is unreachable/);
      // Fast: well inside Slack's 3 s (a generous bound, not a benchmark).
      expect(Date.now() - started).toBeLessThan(2_900);
      await expect(q.claimDelivery('Ev0009', 'C0OPS', '1732545000.000900')).rejects.toBeInstanceOf(QueueUnavailableError);
    } finally {
      await q.close();
      down.disconnect();
    }
  });
});
