/**
 * Thread context in real Redis: saved with a TTL, read back, absent for an unknown thread or a value
 * that is not a context.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { ThreadContext } from '../../src/queue/thread-context';
import { THREAD_CONTEXT_TTL_S, loadThreadContext, saveThreadContext, threadContextKey } from '../../src/queue/thread-context';

let redis: Redis;
let prefix: string;

beforeAll(() => {
  redis = new Redis('redis://127.0.0.1:6379');
});

afterAll(async () => {
  await redis.quit();
});

beforeEach(() => {
  prefix = `test-thread-${randomUUID().slice(0, 8)}`;
});

afterEach(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
});

const thread = { channelId: 'C0OPS', threadTs: '1764082800.000100' };

const context: ThreadContext = {
  jobId: 'why-abc-1',
  question: { status: 502, api: 'orders-api', stage: 'prod', sinceMs: 3_600_000 },
  target: { apiId: 'a1b2c3d4e5', apiName: 'orders-api', stage: 'prod', region: 'us-east-1' },
  apiType: 'REST',
  window: { from: '2026-11-25T14:00:00.000Z', to: '2026-11-25T15:00:00.000Z' },
  verdict: 'diagnosed',
  statusSeen: 502,
  findings: [{ causeId: 'malformed-lambda-proxy-response', title: 'Malformed Lambda proxy response', confidence: 0.92, evidence: [{ message: 'Malformed Lambda proxy response', count: 1198, requestIds: ['3f2a9c1e'] }] }],
  evidence: { checked: [{ source: 'config', ok: true, detail: '3 methods' }], skipped: [], metrics: { count5xx: 1204, count: 48210 } },
  answeredAt: '2026-11-25T15:00:09.000Z',
};

it('saves a thread’s context for a week and reads it back', async () => {
  await saveThreadContext(redis, prefix, thread, context);
  expect(await loadThreadContext(redis, prefix, thread)).toEqual(context);
  const ttl = await redis.ttl(threadContextKey(prefix, thread));
  expect(ttl).toBeGreaterThan(THREAD_CONTEXT_TTL_S - 60);
  expect(ttl).toBeLessThanOrEqual(THREAD_CONTEXT_TTL_S);
});

it('honours a shorter TTL', async () => {
  await saveThreadContext(redis, prefix, thread, context, 60);
  expect(await redis.ttl(threadContextKey(prefix, thread))).toBeLessThanOrEqual(60);
});

it('has nothing for a thread never answered, or for a value that is not a context', async () => {
  expect(await loadThreadContext(redis, prefix, thread)).toBeUndefined();
  await redis.set(threadContextKey(prefix, thread), '{"not":"a context"}');
  expect(await loadThreadContext(redis, prefix, thread)).toBeUndefined();
  await redis.set(threadContextKey(prefix, thread), 'not json');
  expect(await loadThreadContext(redis, prefix, thread)).toBeUndefined();
});
