/**
 * Redis holds state that must outlive a restart, through the built `web` and `worker` processes, each
 * against a private redis-server (the shared one is never restarted):
 * - with persistence off and an evicting policy both processes start and warn once per setting, the
 *   fix in the message; with AOF on and noeviction they do not warn;
 * - with AOF on, a mention queued by the web process survives Redis being killed and restarted: a
 *   worker started afterwards answers it in its thread, and Slack's redelivery of the same event
 *   (whose claim survived too) is dropped.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeSlack, SlackCall } from '../helpers/fake-slack';
import { startFakeSlack } from '../helpers/fake-slack';
import { blocksText, mentionEnvelope, posts } from '../helpers/slack-requests';
import type { BotProcess } from '../helpers/processes';
import { freePort, postEvent, startPrivateRedis, startProcess } from '../helpers/processes';

const SECRET = 'persistence-signing-secret-4f1d8e2a';
const TOKEN = 'xoxb-000000000000-000000000000-PersistenceBotTok1';

type PrivateRedis = Awaited<ReturnType<typeof startPrivateRedis>>;

let slack: FakeSlack;
const processes: BotProcess[] = [];
const redises: PrivateRedis[] = [];
const dirs: string[] = [];

function env(redisUrl: string, port: number): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: TOKEN,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: `persist${randomUUID().slice(0, 8)}`,
    PORT: String(port),
    APIGW_DOCTOR_SANDBOX: '1',
    DEDUPE_WINDOW_S: '60',
    WORKER_LOCK_MS: '2000',
    WORKER_STALLED_INTERVAL_MS: '1000',
    LOG_LEVEL: 'debug',
  };
}

function start(entry: 'web' | 'worker', vars: Record<string, string>): BotProcess {
  const p = startProcess(entry, vars);
  processes.push(p);
  return p;
}

async function privateRedis(options: Parameters<typeof startPrivateRedis>[0] = {}): Promise<PrivateRedis> {
  const r = await startPrivateRedis(options);
  redises.push(r);
  return r;
}

/** The JSON log lines a process wrote about Redis' settings at the given level. */
function settingsLines(p: BotProcess, level: string): { msg: string; setting?: string }[] {
  return p.lines
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { level?: string; component?: string; msg: string; setting?: string })
    .filter((l) => l.component === 'redis-settings' && l.level === level);
}

const replies = (calls: SlackCall[], channel: string, ts: string): SlackCall[] => posts(calls, channel).filter((c) => c.args.thread_ts === ts);
const answers = (calls: SlackCall[], channel: string, ts: string): SlackCall[] => replies(calls, channel, ts).filter((c) => blocksText(c).includes('Malformed Lambda proxy response'));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once the web process's /healthz answers 200 (its Redis connection is back). */
async function healthy(base: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await fetch(`${base}/healthz`).then((r) => r.status, () => 0);
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`${base}/healthz did not answer 200 within ${timeoutMs} ms (last: ${status})`);
    await sleep(200);
  }
}

beforeAll(async () => {
  slack = await startFakeSlack();
});

afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  await Promise.all(redises.map((r) => r.stop()));
  await slack.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}, 30_000);

describe('Redis settings checked at start', () => {
  it('with persistence off and an evicting policy, web and worker start and warn once per setting with its fix', async () => {
    const redis = await privateRedis({ args: ['--appendonly', 'no', '--maxmemory-policy', 'allkeys-lru'] });
    const vars = env(redis.url, await freePort());
    const web = start('web', vars);
    const worker = start('worker', vars);
    await Promise.all([web.waitForLine('web ready', 30_000), worker.waitForLine('worker ready', 30_000)]);
    for (const p of [web, worker]) {
      await p.waitForLine('Redis persistence (AOF) is off', 30_000);
      await p.waitForLine('BullMQ requires noeviction', 30_000);
      const warned = settingsLines(p, 'warn');
      expect(warned.map((w) => w.setting)).toEqual(['appendonly', 'maxmemory-policy']);
      expect(warned[0]?.msg).toMatch(/^Redis persistence \(AOF\) is off: .*Fix: in redis\.conf set `appendonly yes` and `appendfsync everysec`; at runtime `redis-cli CONFIG SET appendonly yes`.*ElastiCache/);
      expect(warned[1]?.msg).toMatch(/^Redis may evict keys \(maxmemory-policy allkeys-lru\): BullMQ requires noeviction.*Fix: in redis\.conf set `maxmemory-policy noeviction`; at runtime `redis-cli CONFIG SET maxmemory-policy noeviction`.*parameter group/);
    }
  }, 90_000);

  it('with AOF on and noeviction, neither warns', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apigw-redis-ok-'));
    dirs.push(dir);
    const redis = await privateRedis({ dir, args: ['--appendonly', 'yes', '--maxmemory-policy', 'noeviction'] });
    const vars = env(redis.url, await freePort());
    const web = start('web', vars);
    const worker = start('worker', vars);
    await Promise.all([web.waitForLine('web ready', 30_000), worker.waitForLine('worker ready', 30_000)]);
    for (const p of [web, worker]) {
      await p.waitForLine('Redis settings fit production', 30_000);
      expect(settingsLines(p, 'warn')).toEqual([]);
    }
  }, 90_000);
});

describe('a Redis restart with AOF on', () => {
  it('loses neither the queued mention nor its claim: answered once after the restart, the redelivery dropped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apigw-redis-aof-'));
    dirs.push(dir);
    const aof = ['--appendonly', 'yes', '--appendfsync', 'always', '--maxmemory-policy', 'noeviction'];
    const first = await privateRedis({ dir, args: aof });
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const vars = env(first.url, port);
    const web = start('web', vars);
    await web.waitForLine('web ready', 30_000);

    const channel = 'C0PERSIST1';
    const ts = '1764090001.000100';
    const eventId = `Ev${randomUUID().slice(0, 8)}`;
    const envelope = mentionEnvelope(slack, eventId, channel, ts, `<@${slack.botUserId}> why 502 orders-api`);
    // 200: the job is in Redis and the delivery confirmed (processBeforeResponse).
    expect((await postEvent(base, SECRET, envelope)).status).toBe(200);

    // Redis dies without a chance to save anything, and comes back from its append-only file.
    await first.stop();
    await privateRedis({ port: first.port, dir, args: aof });
    await healthy(base, 30_000);

    const worker = start('worker', vars);
    await worker.waitForLine('worker ready', 30_000);
    await slack.waitFor((calls) => answers(calls, channel, ts).length > 0, 60_000);

    // Slack delivers the same event again: its claim outlived the restart, so nothing starts.
    expect((await postEvent(base, SECRET, envelope, 1)).status).toBe(200);
    await web.waitForLine('already taken', 20_000);
    // Give a second investigation every chance to show up before counting.
    await sleep(3_000);
    expect(answers(slack.calls, channel, ts)).toHaveLength(1);
  }, 180_000);
});
