/**
 * The digest end to end: the built web and worker processes, the fake Slack Web API, real Redis and the
 * sandbox. Every `/apigw digest` subcommand, settings that survive a restart and win over the
 * environment, the scheduled digest posted exactly once per due time by two workers (one killed in the
 * middle of a digest), and its Investigate and Show all buttons.
 */
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { FakeSlack, SlackCall } from '../helpers/fake-slack';
import { startFakeSlack } from '../helpers/fake-slack';
import type { BotProcess } from '../helpers/processes';
import { freePort, postAction, postSlashCommand, startProcess } from '../helpers/processes';
import { blockAction, blocksText, buttonsOf, posts, slashCommand, textOf } from '../helpers/slack-requests';
import { ACTION_IDS } from '../../src/slack/actions';
import { DIGEST_SCHEDULER_ID } from '../../src/queue/digest-schedule';
import { INVESTIGATIONS_QUEUE } from '../../src/queue/contracts';
import { botEnv } from '../helpers/bot-env';

const SECRET = 'digest-signing-secret-3c2b1a';
const TOKEN = 'xoxb-000000000000-000000000000-DigestTokenValue01';

let slack: FakeSlack;
let base: string;
let port: number;

function env(prefix: string, extra: Record<string, string> = {}): Record<string, string> {
  return botEnv(
    { slack, token: TOKEN, secret: SECRET, prefix, port },
    {
      WORKER_LOCK_MS: '2000',
      WORKER_STALLED_INTERVAL_MS: '1000',
      LOG_LEVEL: 'info',
      ...extra,
    },
  );
}

const roots = (channel: string): SlackCall[] => posts(slack.calls, channel).filter((c) => c.args.thread_ts === undefined);
const repliesIn = (channel: string, threadTs: string): SlackCall[] => posts(slack.calls, channel).filter((c) => c.args.thread_ts === threadTs);

beforeAll(async () => {
  slack = await startFakeSlack();
  port = await freePort();
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await slack.close();
});

describe('/apigw digest, from Slack', () => {
  const channel = 'C0DIGEST1';
  const prefix = `dg${randomUUID().slice(0, 8)}`;
  let web: BotProcess;
  let worker: BotProcess;
  const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true });
  const scheduler = async (): Promise<{ pattern?: string | null; tz?: string | null } | undefined> => {
    const q = new Queue(INVESTIGATIONS_QUEUE, { connection: redis, prefix });
    try {
      return (await q.getJobScheduler(DIGEST_SCHEDULER_ID)) ?? undefined;
    } finally {
      await q.close();
    }
  };
  const start = async (): Promise<void> => {
    web = startProcess('web', env(prefix, { DIGEST_CRON: '0 9 * * *', DIGEST_TZ: 'UTC' }));
    worker = startProcess('worker', env(prefix, { DIGEST_CRON: '0 9 * * *', DIGEST_TZ: 'UTC' }));
    await Promise.all([web.waitForLine('web ready'), worker.waitForLine('worker ready')]);
  };
  const digest = async (text: string): Promise<string> => (await postSlashCommand(base, SECRET, slashCommand(slack, channel, `digest ${text}`.trim()))).body;

  beforeAll(async () => {
    await redis.connect();
    await start();
  }, 60_000);

  afterAll(async () => {
    await Promise.all([web.stop(), worker.stop()]);
    redis.disconnect();
  }, 30_000);

  it('says how it is set, and that without a channel there is no daily digest yet', async () => {
    const body = await digest('');
    expect(body).toMatch(/no channel yet/);
    expect(body).toContain('/apigw digest here');
    expect(await scheduler()).toBeUndefined();
  });

  it('here, at 08:30 Europe/Berlin and weekdays set the schedule, and the scheduler follows', async () => {
    expect(await digest('here')).toMatch(new RegExp(`goes to <#${channel}> every day at 09:00 UTC`));
    expect(await scheduler()).toMatchObject({ pattern: '0 9 * * *', tz: 'UTC' });
    expect(await digest('at 08:30 Europe/Berlin')).toMatch(/every day at 08:30 Europe\/Berlin/);
    expect(await digest('weekdays')).toMatch(/weekdays at 08:30 Europe\/Berlin/);
    expect(await scheduler()).toMatchObject({ pattern: '30 8 * * 1-5', tz: 'Europe/Berlin' });
  });

  it('settings survive a restart of both processes and win over the environment', async () => {
    await Promise.all([web.stop(), worker.stop()]);
    await start();
    expect(await digest('')).toMatch(/weekdays at 08:30 Europe\/Berlin/);
    expect(await scheduler()).toMatchObject({ pattern: '30 8 * * 1-5', tz: 'Europe/Berlin' });
  }, 60_000);

  it('off removes the schedule; on and daily bring it back', async () => {
    expect(await digest('off')).toMatch(/digest is off/);
    expect(await scheduler()).toBeUndefined();
    expect(await digest('on')).toMatch(/weekdays at 08:30 Europe\/Berlin/);
    expect(await scheduler()).toMatchObject({ pattern: '30 8 * * 1-5' });
    expect(await digest('daily')).toMatch(/every day at 08:30 Europe\/Berlin/);
    expect(await scheduler()).toMatchObject({ pattern: '30 8 * * *' });
  });

  it('bad settings say what to type', async () => {
    expect(await digest('at 25:00')).toMatch(/not a time of day/);
    expect(await digest('at 08:30 Mars/Olympus')).toMatch(/not a time zone/);
    expect(await digest('sometimes')).toMatch(/unknown digest setting/);
  });

  it('now posts a digest here; its Investigate opens an investigation in the digest’s thread, Show all lists every stage there', async () => {
    const before = roots(channel).length;
    expect(await digest('now')).toMatch(/Putting together the 5xx digest/);
    await slack.waitFor(() => roots(channel).length > before, 30_000);
    const posted = roots(channel)[before]!;
    expect(textOf(posted)).toMatch(/^5xx in the last 24h: [\d,]+ across \d+ of \d+ APIs/);
    expect(blocksText(posted)).toMatch(/orders-api/);
    // The worst stages name their likely cause, from their logs classified by the knowledge base.
    expect(blocksText(posted).match(/ · mostly /g)?.length).toBeGreaterThanOrEqual(3);
    const investigate = buttonsOf(posted).filter((b) => b.actionId === ACTION_IDS.investigate);
    expect(investigate.length).toBeGreaterThan(2);
    await postAction(base, SECRET, blockAction(slack, { channel, messageTs: posted.ts! }, ACTION_IDS.investigate, investigate[0]!.value));
    await slack.waitFor(() => repliesIn(channel, posted.ts!).length >= 2 || slack.calls.some((c) => c.method === 'chat.postEphemeral'), 40_000);
    expect(slack.calls.filter((c) => c.method === 'chat.postEphemeral').map(textOf)).toEqual([]);
    await slack.waitFor(() => repliesIn(channel, posted.ts!).length >= 2, 40_000);
    expect(textOf(repliesIn(channel, posted.ts!)[0])).toMatch(/^Investigating/);
    // 26 sandbox stages have 5xx: the digest shows 10 and offers the rest.
    const showAll = buttonsOf(posted).find((b) => b.actionId === ACTION_IDS.digestAll);
    expect(showAll?.text).toMatch(/Show all \d+/);
    const n = repliesIn(channel, posted.ts!).length;
    await postAction(base, SECRET, blockAction(slack, { channel, messageTs: posted.ts! }, ACTION_IDS.digestAll, showAll!.value));
    await slack.waitFor(() => repliesIn(channel, posted.ts!).some((c) => blocksText(c).includes('legacy-http')) || repliesIn(channel, posted.ts!).length > n + 1, 10_000);
    expect(repliesIn(channel, posted.ts!).some((c) => blocksText(c).includes('legacy-http'))).toBe(true);
  }, 90_000);
});

describe('the scheduled digest', () => {
  const channel = 'C0DIGEST2';
  const prefix = `ds${randomUUID().slice(0, 8)}`;
  const workers: BotProcess[] = [];

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
  }, 30_000);

  it('is posted exactly once per due time by two workers, one of them killed in the middle of a digest', async () => {
    // Every 15 seconds, each digest slowed down by the sandbox's latency so that a kill lands mid-digest.
    const extra = { DIGEST_CHANNEL: channel, DIGEST_CRON: '*/15 * * * * *', DIGEST_TZ: 'UTC', SANDBOX_LATENCY_MS: '40' };
    workers.push(startProcess('worker', env(prefix, extra)), startProcess('worker', env(prefix, extra)));
    await Promise.all(workers.map((w) => w.waitForLine('worker ready')));
    // The first worker to start a digest dies in the middle of it.
    const collecting = await Promise.race(workers.map((w) => w.waitForLine('digest: collecting', 40_000).then(() => w)));
    collecting.child.kill('SIGKILL');
    const survivor = workers.find((w) => w !== collecting)!;
    // The survivor takes the killed worker's digest over (stalled-job recovery) and goes on with the next due times.
    await slack.waitFor(() => roots(channel).length >= 3, 90_000);
    // Stopped (a running digest finishes and logs first) so that Slack's posts and the logs are read complete.
    await survivor.stop();
    const posted = survivor.lines.filter((l) => l.includes('"digest posted"')).map((l) => (JSON.parse(l) as { periodEnd: string }).periodEnd);
    expect(posted.length).toBeGreaterThanOrEqual(3);
    expect(new Set(posted).size).toBe(posted.length);
    // Slack saw one message per due time: as many digests as distinct periods, none twice.
    expect(roots(channel).length).toBe(new Set(posted).size + collecting.lines.filter((l) => l.includes('"digest posted"')).length);
    for (const c of roots(channel)) expect(textOf(c)).toMatch(/^5xx in the last 24h/);
  }, 150_000);
});
