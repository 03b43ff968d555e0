/**
 * The digest job handler with a recording poster, real Redis and sandbox worlds: the message for a busy
 * day, a quiet day and a partly unreadable account; two attempts at the same due time post once; a
 * digest that is off or has no channel posts nothing.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { DigestDeps, DigestTarget } from '../../handlers/jobs/digest';
import { digestPostedKey, dueTimeOf, handleDigestJob } from '../../handlers/jobs/digest';
import { findScenario, sandboxWorld } from '../../src/collect/adapters/sandbox/sandbox-world';
import { sandboxPorts } from '../../src/collect/adapters/sandbox-ports';
import type { World } from '../../src/collect/adapters/sandbox/world';
import { loadKnowledge } from '../../src/diagnosis/knowledge/load';
import type { DigestSettings } from '../../src/queue/digest-schedule';
import { loadDigest, loadListing } from '../../src/queue/listings';
import { allowEverything } from '../../src/slack/permissions';
import type { Poster, SlackMessage } from '../../src/slack/poster';

const NOW = new Date('2026-11-25T09:00:00Z');
const kb = loadKnowledge([]);
const redis = new Redis('redis://127.0.0.1:6379');
const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

afterAll(() => redis.disconnect());

class RecordingPoster implements Poster {
  readonly posts: { channel: string; thread?: string; message: SlackMessage; ts: string }[] = [];
  private n = 0;
  private ts(): string {
    return `1764061200.${String(++this.n).padStart(6, '0')}`;
  }
  postRoot(channel: string, message: SlackMessage): Promise<string> {
    const ts = this.ts();
    this.posts.push({ channel, message, ts });
    return Promise.resolve(ts);
  }
  reply(channel: string, thread: string, message: SlackMessage): Promise<string> {
    const ts = this.ts();
    this.posts.push({ channel, thread, message, ts });
    return Promise.resolve(ts);
  }
  update(): Promise<void> {
    return Promise.resolve();
  }
  tellViaResponseUrl(): Promise<void> {
    return Promise.resolve();
  }
}

const target = (world: World, account?: string): DigestTarget => ({ ...(account !== undefined ? { account } : {}), ports: sandboxPorts(world, { logs: { pollMs: 1, maxPollMs: 2 } }).ports });

function depsOf(poster: Poster, prefix: string, targets: DigestTarget[], settings: Partial<DigestSettings> = {}): DigestDeps {
  return {
    poster,
    aws: () => Promise.reject(new Error('not used')),
    knowledge: kb,
    permissions: allowEverything,
    redis,
    prefix,
    now: () => NOW,
    logger: silent,
    digestSchedule: { settings: () => Promise.resolve({ channel: 'C0DIGEST', cron: '0 9 * * *', tz: 'UTC', enabled: true, source: 'environment', ...settings }) },
    digestTargets: () => Promise.resolve({ targets, unreadable: [] }),
  };
}

const scheduledJob = { id: `repeat:daily-digest:${NOW.getTime()}`, data: { kind: 'digest' as const, scheduled: true } };
const textOf = (m: SlackMessage): string => `${m.text}\n${JSON.stringify(m.blocks ?? [])}`;

describe('a busy day', () => {
  const prefix = `dj${randomUUID().slice(0, 8)}`;
  const poster = new RecordingPoster();

  beforeAll(async () => {
    await handleDigestJob(scheduledJob, depsOf(poster, prefix, [target(sandboxWorld(NOW))]));
  }, 60_000);

  it('posts one digest in the channel: the headline, the worst stages with their likely cause, an Investigate button each', () => {
    expect(poster.posts).toHaveLength(1);
    const [post] = poster.posts;
    expect(post!.channel).toBe('C0DIGEST');
    expect(post!.thread).toBeUndefined();
    expect(post!.message.text).toMatch(/^5xx in the last 24h: [\d,]+ across \d+ of \d+ APIs/);
    expect(textOf(post!.message)).toMatch(/orders-api/);
    expect(textOf(post!.message)).toMatch(/apigw_investigate/);
  });

  it('keeps the rows for the buttons and the digest for Show all', async () => {
    // Under the id the buttons carry, kept before the post (a click right after it finds them).
    const list = /\\"list\\":\\"([a-z0-9-]+)\\"/.exec(JSON.stringify(poster.posts[0]!.message.blocks))?.[1];
    expect(list).toBeDefined();
    const rows = await loadListing(redis, prefix, 'C0DIGEST', list!);
    const stored = await loadDigest(redis, prefix, 'C0DIGEST', list!);
    expect(rows?.length).toBe(stored?.data.rows.length);
    expect(rows?.[0]).toMatchObject({ apiName: stored?.data.rows[0]?.apiName, stage: stored?.data.rows[0]?.stage, sinceMs: 24 * 3_600_000 });
  });

  it('posts nothing more for the same due time: a second attempt, or another worker', async () => {
    await handleDigestJob(scheduledJob, depsOf(poster, prefix, [target(sandboxWorld(NOW))]));
    await handleDigestJob({ ...scheduledJob }, depsOf(poster, prefix, [target(sandboxWorld(NOW))]));
    expect(poster.posts).toHaveLength(1);
    expect(await redis.get(digestPostedKey(prefix, 'C0DIGEST', NOW.getTime()))).toBe(poster.posts[0]!.ts);
  }, 60_000);
});

it('two attempts racing for the same due time post once', async () => {
  const prefix = `dj${randomUUID().slice(0, 8)}`;
  const poster = new RecordingPoster();
  const deps = depsOf(poster, prefix, [target(sandboxWorld(NOW))]);
  await Promise.all([handleDigestJob(scheduledJob, deps), handleDigestJob(scheduledJob, deps)]);
  expect(poster.posts).toHaveLength(1);
}, 60_000);

it('a quiet day is one "all quiet" line', async () => {
  const poster = new RecordingPoster();
  const quiet = sandboxWorld(NOW, [findScenario('healthy')!]);
  await handleDigestJob(scheduledJob, depsOf(poster, `dj${randomUUID().slice(0, 8)}`, [target(quiet)]));
  expect(poster.posts).toHaveLength(1);
  expect(poster.posts[0]!.message.text).toMatch(/all quiet/i);
  expect(JSON.stringify(poster.posts[0]!.message.blocks)).not.toMatch(/apigw_investigate/);
}, 60_000);

it('an account that cannot be read is one line with the reason and the fix; the rest still posts', async () => {
  const poster = new RecordingPoster();
  const denied: World = { ...sandboxWorld(NOW), deny: { GetRestApisCommand: 'AccessDeniedException', GetApisCommand: 'AccessDeniedException' } };
  await handleDigestJob(scheduledJob, depsOf(poster, `dj${randomUUID().slice(0, 8)}`, [target(sandboxWorld(NOW), 'prod'), target(denied, 'audit')]));
  expect(poster.posts).toHaveLength(1);
  const text = textOf(poster.posts[0]!.message);
  expect(text).toMatch(/orders-api/);
  expect(text).toMatch(/audit/);
  expect(text).toMatch(/apigateway:GET/);
}, 60_000);

it('a digest that is off, or has no channel, posts nothing', async () => {
  const poster = new RecordingPoster();
  await handleDigestJob(scheduledJob, depsOf(poster, `dj${randomUUID().slice(0, 8)}`, [target(sandboxWorld(NOW))], { enabled: false }));
  await handleDigestJob(scheduledJob, { ...depsOf(poster, `dj${randomUUID().slice(0, 8)}`, [target(sandboxWorld(NOW))]), digestSchedule: { settings: () => Promise.resolve({ cron: '0 9 * * *', tz: 'UTC', enabled: true, source: 'environment' }) } });
  expect(poster.posts).toHaveLength(0);
});

it('reads a scheduled digest’s period from its due time, in whole seconds', () => {
  expect(dueTimeOf({ id: `repeat:daily-digest:${NOW.getTime() + 12_345}` }, NOW).toISOString()).toBe('2026-11-25T09:00:12.000Z');
  expect(dueTimeOf({ id: 'digest-abc', timestamp: NOW.getTime() + 72_400 }, NOW).toISOString()).toBe('2026-11-25T09:01:12.000Z');
});

it('/apigw digest now answers where it was asked, over the window asked for', async () => {
  const poster = new RecordingPoster();
  const asker = { userId: 'U1', teamId: 'T1', channelId: 'C0ASKED', threadTs: '1764061000.000100', messageTs: '1764061000.000100' };
  await handleDigestJob({ id: 'digest-1', data: { kind: 'digest', asker, askedAt: NOW.toISOString(), sinceMs: 6 * 3_600_000 } }, depsOf(poster, `dj${randomUUID().slice(0, 8)}`, [target(sandboxWorld(NOW))]));
  expect(poster.posts).toMatchObject([{ channel: 'C0ASKED', thread: '1764061000.000100' }]);
  expect(poster.posts[0]!.message.text).toMatch(/^5xx in the last 6h/);
}, 60_000);
