/**
 * Votes on findings in real Redis: one per person per finding, changed votes, "what was it?" answers,
 * the stats window, clicks at once counted once, a new store on a new connection reading the same
 * (what a restart sees), and trimming past retention.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { CauseStats, Vote } from '../../src/queue/votes';
import { VoteStore, voteKeys } from '../../src/queue/votes';
import type { CauseStatsRow } from '../../src/slack/feedback-blocks';
import { statsMessage } from '../../src/slack/feedback-blocks';

let redis: Redis;
let prefix: string;
let store: VoteStore;

beforeAll(() => {
  redis = new Redis('redis://127.0.0.1:6379');
});

afterAll(async () => {
  await redis.quit();
});

beforeEach(() => {
  prefix = `test-votes-${randomUUID().slice(0, 8)}`;
  store = new VoteStore({ redis, prefix });
});

afterEach(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
});

const DAY = 86_400_000;
const now = new Date('2026-11-25T15:00:00.000Z');
const daysAgo = (n: number): Date => new Date(now.getTime() - n * DAY);

const MALFORMED = { causeId: 'malformed-lambda-proxy-response', causeTitle: 'Malformed Lambda proxy response' };
const TIMEOUT = { causeId: 'integration-timeout', causeTitle: 'Integration timeout (29 s)' };

function click(over: Partial<Vote> = {}): Vote {
  return { channelId: 'C0OPS', threadTs: '1764082800.000100', finding: 1, ...MALFORMED, userId: 'U1', vote: 'up', at: daysAgo(1), ...over };
}

const only = async (days?: number): Promise<CauseStats | undefined> => {
  const stats = await store.stats(now, days);
  expect(stats.length).toBeLessThanOrEqual(1);
  return stats[0];
};

it('keeps one vote per person per finding', async () => {
  expect(await store.vote(click())).toEqual({});
  expect(await store.vote(click({ at: daysAgo(0.5) }))).toEqual({ previous: 'up' });
  expect(await only()).toMatchObject({ causeId: MALFORMED.causeId, title: MALFORMED.causeTitle, up: 1, down: 0, precision: 1, instead: [] });

  // Another person, and the same person in another thread, another channel, on another finding: each counts.
  await store.vote(click({ userId: 'U2' }));
  await store.vote(click({ threadTs: '1764082900.000200' }));
  await store.vote(click({ channelId: 'C0DEV' }));
  await store.vote(click({ finding: 2, ...TIMEOUT, vote: 'down' }));
  const stats = await store.stats(now);
  expect(stats.map((s) => [s.causeId, s.up, s.down])).toEqual([
    [MALFORMED.causeId, 4, 0],
    [TIMEOUT.causeId, 0, 1],
  ]);
});

it('changes a vote from 👍 to 👎 and back, moving it between the counts', async () => {
  await store.vote(click({ userId: 'U2' }));
  await store.vote(click());
  expect(await store.vote(click({ vote: 'down', at: daysAgo(0.9) }))).toEqual({ previous: 'up' });
  expect(await only()).toMatchObject({ up: 1, down: 1, precision: 0.5 });
  expect(await store.vote(click({ vote: 'down', at: daysAgo(0.8) }))).toEqual({ previous: 'down' });
  expect(await only()).toMatchObject({ up: 1, down: 1 });
  expect(await store.vote(click({ vote: 'up', at: daysAgo(0.7) }))).toEqual({ previous: 'down' });
  expect(await only()).toMatchObject({ up: 2, down: 0, precision: 1 });
});

it('records what a 👎 voter says it was instead, only on their own 👎', async () => {
  const answer = { channelId: 'C0OPS', threadTs: '1764082800.000100', finding: 1, userId: 'U1', instead: TIMEOUT.causeId, insteadTitle: TIMEOUT.causeTitle, at: daysAgo(0.9) };
  expect(await store.instead(answer)).toBe(false);
  await store.vote(click());
  expect(await store.instead(answer)).toBe(false);
  expect(await store.instead({ ...answer, userId: 'U2' })).toBe(false);

  await store.vote(click({ vote: 'down' }));
  expect(await store.instead(answer)).toBe(true);
  for (const userId of ['U2', 'U3']) {
    await store.vote(click({ userId, vote: 'down' }));
    expect(await store.instead({ ...answer, userId, instead: 'other', insteadTitle: undefined })).toBe(true);
  }
  await store.vote(click({ userId: 'U4', vote: 'down' }));
  expect(await only()).toMatchObject({
    up: 0,
    down: 4,
    precision: 0,
    instead: [
      { causeId: 'other', count: 2 },
      { causeId: TIMEOUT.causeId, title: TIMEOUT.causeTitle, count: 1 },
    ],
  });
  expect((await only())?.instead[0]).not.toHaveProperty('title');

  // A second answer replaces the first; the same 👎 again keeps it.
  expect(await store.instead({ ...answer, userId: 'U2' })).toBe(true);
  await store.vote(click({ userId: 'U2', vote: 'down' }));
  expect((await only())?.instead).toEqual([
    { causeId: TIMEOUT.causeId, title: TIMEOUT.causeTitle, count: 2 },
    { causeId: 'other', count: 1 },
  ]);
});

it('clears the answer when a 👎 becomes a 👍 (and a later 👎 starts without one)', async () => {
  await store.vote(click({ vote: 'down' }));
  await store.instead({ channelId: 'C0OPS', threadTs: '1764082800.000100', finding: 1, userId: 'U1', instead: TIMEOUT.causeId, insteadTitle: TIMEOUT.causeTitle, at: daysAgo(0.9) });
  expect((await only())?.instead).toHaveLength(1);
  await store.vote(click({ vote: 'up', at: daysAgo(0.8) }));
  expect(await only()).toMatchObject({ up: 1, down: 0, instead: [] });
  await store.vote(click({ vote: 'down', at: daysAgo(0.7) }));
  expect(await only()).toMatchObject({ up: 0, down: 1, instead: [] });
});

it('counts only votes whose latest time is within the window', async () => {
  await store.vote(click({ userId: 'U-old', at: daysAgo(31) }));
  await store.vote(click({ userId: 'U-edge', vote: 'down', at: daysAgo(30) }));
  await store.vote(click({ userId: 'U-new', at: daysAgo(29) }));
  expect(await only()).toMatchObject({ up: 1, down: 1 });
  expect(await only(40)).toMatchObject({ up: 2, down: 1 });
  expect(await only(1)).toBeUndefined();

  // Changing an old vote makes it recent again.
  expect(await store.vote(click({ userId: 'U-old', vote: 'down', at: daysAgo(2) }))).toEqual({ previous: 'up' });
  expect(await only()).toMatchObject({ up: 1, down: 2 });
});

it('sorts causes by votes, takes the latest title, and reads many votes', async () => {
  const users = Array.from({ length: 1_200 }, (_, i) => `U${i}`);
  for (const [i, userId] of users.entries()) {
    await store.vote(click({ userId, vote: i % 4 === 0 ? 'down' : 'up', at: new Date(daysAgo(20).getTime() + i * 1_000) }));
  }
  await store.vote(click({ ...TIMEOUT, finding: 2, vote: 'down' }));
  await store.vote(click({ userId: 'U-late', causeTitle: 'Malformed Lambda proxy response (renamed)', at: daysAgo(0.5) }));
  const stats = await store.stats(now);
  expect(stats.map((s) => s.causeId)).toEqual([MALFORMED.causeId, TIMEOUT.causeId]);
  expect(stats[0]).toMatchObject({ title: 'Malformed Lambda proxy response (renamed)', up: 901, down: 300 });
  expect(stats[0]?.precision).toBeCloseTo(901 / 1_201);
});

it('counts two clicks at once once, whatever they say', async () => {
  const connections = Array.from({ length: 4 }, () => new Redis('redis://127.0.0.1:6379'));
  try {
    const stores = connections.map((c) => new VoteStore({ redis: c, prefix }));
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => stores[i % stores.length]!.vote(click({ vote: i % 2 === 0 ? 'up' : 'down', at: new Date(daysAgo(1).getTime() + i) }))));
    expect(results.filter((r) => r.previous === undefined)).toHaveLength(1);
    const stats = await only();
    expect((stats?.up ?? 0) + (stats?.down ?? 0)).toBe(1);
    expect(await redis.hlen(voteKeys(prefix).records)).toBe(1);
    expect(await redis.zcard(voteKeys(prefix).latest)).toBe(1);
  } finally {
    await Promise.all(connections.map((c) => c.quit()));
  }
});

it('reads the same votes through a new store on a new connection (a restart)', async () => {
  const first = new Redis('redis://127.0.0.1:6379');
  await new VoteStore({ redis: first, prefix }).vote(click({ vote: 'down' }));
  await new VoteStore({ redis: first, prefix }).vote(click({ userId: 'U2' }));
  await first.quit();

  const second = new Redis('redis://127.0.0.1:6379');
  try {
    const restarted = new VoteStore({ redis: second, prefix });
    expect(await restarted.instead({ channelId: 'C0OPS', threadTs: '1764082800.000100', finding: 1, userId: 'U1', instead: 'other', at: daysAgo(0.5) })).toBe(true);
    expect(await restarted.stats(now)).toEqual([{ causeId: MALFORMED.causeId, title: MALFORMED.causeTitle, up: 1, down: 1, precision: 0.5, instead: [{ causeId: 'other', count: 1 }] }]);
  } finally {
    await second.quit();
  }
});

it('keeps its keys under <prefix>:votes, alive for the retention', async () => {
  await store.vote(click());
  const keys = voteKeys(prefix);
  expect((await redis.keys(`${prefix}:*`)).sort()).toEqual([keys.latest, keys.records].sort());
  expect(keys.records.startsWith(`${prefix}:votes`) && keys.latest.startsWith(`${prefix}:votes`)).toBe(true);
  for (const key of [keys.records, keys.latest]) {
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(90 * DAY);
    expect(ttl).toBeLessThanOrEqual(91 * DAY);
  }
});

it('trims votes past retention, as votes come and when stats are read', async () => {
  const short = new VoteStore({ redis, prefix, retentionDays: 10 });
  const keys = voteKeys(prefix);
  await short.vote(click({ userId: 'U-old', at: daysAgo(12) }));
  await short.vote(click({ userId: 'U-mid', at: daysAgo(8) }));
  expect(await redis.hlen(keys.records)).toBe(2);
  // A vote now: U-old's is more than 10 days before it.
  await short.vote(click({ userId: 'U-new', at: now }));
  expect(await redis.hlen(keys.records)).toBe(2);
  expect(await redis.zrange(keys.latest, '0', '-1')).toEqual([expect.stringContaining('U-mid'), expect.stringContaining('U-new')]);
  // A trimmed vote is gone: its person votes afresh, and has no 👎 to answer for.
  expect(await short.instead({ channelId: 'C0OPS', threadTs: '1764082800.000100', finding: 1, userId: 'U-old', instead: 'other', at: now })).toBe(false);

  // Reading stats 5 days later trims U-mid's (13 days old) even though nobody voted.
  expect(await short.stats(new Date(now.getTime() + 5 * DAY))).toMatchObject([{ up: 1 }]);
  expect(await redis.hlen(keys.records)).toBe(1);
  expect(await short.trim(new Date(now.getTime() + 11 * DAY))).toBe(1);
  expect(await redis.hlen(keys.records)).toBe(0);
});

it('trims in batches, however many are past retention', async () => {
  const short = new VoteStore({ redis, prefix, retentionDays: 1 });
  for (let i = 0; i < 250; i++) await short.vote(click({ userId: `U${i}`, at: daysAgo(5) }));
  expect(await short.trim(now)).toBe(250);
  expect(await redis.zcard(voteKeys(prefix).latest)).toBe(0);
});

it('refuses what is not a vote', async () => {
  await expect(store.vote(click({ finding: 0 }))).rejects.toThrow(RangeError);
  await expect(store.vote(click({ userId: '' }))).rejects.toThrow(RangeError);
  await expect(store.vote(click({ at: new Date(Number.NaN) }))).rejects.toThrow(RangeError);
  await expect(store.vote(click({ vote: 'sideways' as 'up' }))).rejects.toThrow(RangeError);
  await expect(store.stats(now, 0)).rejects.toThrow(RangeError);
  expect(() => new VoteStore({ redis, prefix, retentionDays: 0 })).toThrow(RangeError);
  expect(await redis.keys(`${prefix}:*`)).toEqual([]);
});

it('renders what it counts as /apigw stats', async () => {
  await store.vote(click());
  await store.vote(click({ userId: 'U2', vote: 'down' }));
  const stats: CauseStatsRow[] = await store.stats(now);
  const message = statsMessage(stats, 30);
  expect(JSON.stringify(message.blocks)).toContain('Malformed Lambda proxy response');
  expect(JSON.stringify(message.blocks)).toContain('precision 50%');
});
