/**
 * End to end, over real HTTP and real Redis: the built `web` and `worker` processes, a local fake
 * Slack Web API, and the sandbox account. Signed slash commands and events go in; the root message,
 * its progress edits and the threaded answer come out. Also: retries and double deliveries answered
 * once, bad signatures refused, Redis down answered at once, a worker killed mid-investigation
 * recovered with exactly one final reply, and no secret in any log line.
 */
import { randomUUID } from 'node:crypto';
import type { FakeSlack, SlackCall } from '../helpers/fake-slack';
import { startFakeSlack } from '../helpers/fake-slack';
import { blocksText, mentionEnvelope as mentionFields, posts, slashCommand as slashCommandFields, textOf } from '../helpers/slack-requests';
import type { BotProcess } from '../helpers/processes';
import { freePort, postEvent, postSlashCommand, startPrivateRedis, startProcess } from '../helpers/processes';
import { botEnv } from '../helpers/bot-env';

const SECRET = 'canary-signing-secret-5f1d2c3b4a';
const TOKEN = 'xoxb-000000000000-000000000000-CanaryBotTokenValue01';

let slack: FakeSlack;
let web: BotProcess;
let worker: BotProcess;
let base: string;
let prefix: string;

function env(port: number, extra: Record<string, string> = {}): Record<string, string> {
  return botEnv(
    { slack, token: TOKEN, secret: SECRET, prefix, port },
    {
      DEDUPE_WINDOW_S: '60',
      WORKER_CONCURRENCY: '2',
      WORKER_LOCK_MS: '2000',
      WORKER_STALLED_INTERVAL_MS: '1000',
      LOG_LEVEL: 'debug',
      ...extra,
    },
  );
}

const rootsIn = (calls: SlackCall[], channel: string): SlackCall[] => posts(calls, channel).filter((c) => c.args.thread_ts === undefined);
const repliesIn = (calls: SlackCall[], channel: string, threadTs?: string): SlackCall[] =>
  posts(calls, channel).filter((c) => c.args.thread_ts !== undefined && (threadTs === undefined || c.args.thread_ts === threadTs));
const slashCommand = (channel: string, text: string, user?: string): Record<string, string> => slashCommandFields(slack, channel, text, user);
const mentionEnvelope = (eventId: string, channel: string, ts: string, text: string, threadTs?: string): Record<string, unknown> => mentionFields(slack, eventId, channel, ts, text, threadTs);

beforeAll(async () => {
  slack = await startFakeSlack();
  prefix = `e2e${randomUUID().slice(0, 8)}`;
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  web = startProcess('web', env(port));
  worker = startProcess('worker', env(port));
  await Promise.all([web.waitForLine('web ready'), worker.waitForLine('worker ready')]);
}, 60_000);

afterAll(async () => {
  await Promise.all([web.stop(), worker.stop()]);
  await slack.close();
}, 30_000);

describe('a slash command', () => {
  const channel = 'C0ONCALL1';
  let ack: { status: number; ms: number; body: string };

  beforeAll(async () => {
    ack = await postSlashCommand(base, SECRET, slashCommand(channel, 'why 502 orders-api'));
    await slack.waitFor((calls) => repliesIn(calls, channel).length > 0, 30_000);
  }, 60_000);

  it('is acknowledged by Bolt in time (a late ack would be a 404) with what will happen, before any Slack call', () => {
    expect(ack.status).toBe(200);
    expect(ack.body).toMatch(/orders-api/);
  });

  it('posts a visible root message, edits it as sources complete, and ends with the verdict', () => {
    const roots = rootsIn(slack.calls, channel);
    expect(roots).toHaveLength(1);
    expect(textOf(roots[0])).toMatch(/^Investigating 502s on orders-api/);
    const ts = slack.calls.find((c) => c.method === 'chat.postMessage' && c.args.channel === channel && c.args.thread_ts === undefined);
    const updates = slack.calls.filter((c) => c.method === 'chat.update' && c.args.channel === channel);
    expect(updates.length).toBeGreaterThan(0);
    expect(blocksText(updates[updates.length - 1])).toMatch(/Malformed Lambda proxy response/);
    expect(ts).toBeDefined();
  });

  it('answers in the thread with the cause, the evidence and an aws fix', () => {
    const [reply] = repliesIn(slack.calls, channel);
    const text = blocksText(reply);
    expect(text).toContain('Malformed Lambda proxy response');
    expect(text).toMatch(/1,198/);
    expect(text).toMatch(/aws (lambda|apigateway) /);
    expect(textOf(reply)).not.toBe('');
  });

  it('every Web API call carried the bot token, and no log line carries it or the signing secret', () => {
    expect(slack.calls.every((c) => c.method === 'auth.test' || c.token === TOKEN)).toBe(true);
    for (const line of [...web.lines, ...worker.lines]) {
      expect(line).not.toContain(TOKEN);
      expect(line).not.toContain('CanaryBotTokenValue01');
      expect(line).not.toContain(SECRET);
    }
  });
});

describe('a slash command about a stage with no 5xx', () => {
  const channel = 'C0QUIET01';

  it('ends the root message and answers the thread saying so, with the stage that has errors, and no cause', async () => {
    const ack = await postSlashCommand(base, SECRET, slashCommand(channel, 'why 5xx carts-api dev'));
    expect(ack.status).toBe(200);
    await slack.waitFor((calls) => repliesIn(calls, channel).length > 0, 30_000);
    const [reply] = repliesIn(slack.calls, channel);
    const text = blocksText(reply);
    expect(text).toContain('No 5xx on carts-api (REST c4r7t2s8a1, stage dev, us-east-1) in the last 1h (0 requests)');
    expect(text).toMatch(/Stage with 5xx in that window: prod \([\d,]+ of [\d,]+ requests\)/);
    expect(text).not.toMatch(/Lambda throttled|What would sharpen|\/apigw check/);
    const updates = slack.calls.filter((c) => c.method === 'chat.update' && c.args.channel === channel);
    expect(blocksText(updates[updates.length - 1])).toMatch(/No 5xx on stage dev in the last 1h \(0 requests\)\..*Nothing to diagnose\./s);
  }, 60_000);
});

describe('an @mention in a thread', () => {
  const channel = 'C0ONCALL2';
  const parent = '1764079100.000100';

  it('starts an investigation answered in that thread', async () => {
    const r = await postEvent(base, SECRET, mentionEnvelope('Ev0MENTION01', channel, '1764079101.000200', `<@${slack.botUserId}> why is payments-http throwing 503s in the last hour?`, parent));
    expect(r.status).toBe(200);
    await slack.waitFor((calls) => repliesIn(calls, channel, parent).some((c) => blocksText(c).includes('integration')), 30_000);
    expect(rootsIn(slack.calls, channel)).toHaveLength(0);
  }, 60_000);

  it('a retry of that event, after the investigation finished, is answered once', async () => {
    const before = repliesIn(slack.calls, channel, parent).length;
    const r = await postEvent(base, SECRET, mentionEnvelope('Ev0MENTION01', channel, '1764079101.000200', `<@${slack.botUserId}> why is payments-http throwing 503s in the last hour?`, parent), 1);
    expect(r.status).toBe(200);
    // Give a second investigation every chance to show up before counting.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(repliesIn(slack.calls, channel, parent)).toHaveLength(before);
  }, 30_000);
});

describe('one @mention delivered as both app_mention and message', () => {
  it('starts one investigation', async () => {
    const channel = 'C0ONCALL7';
    const ts = '1764079301.000300';
    const text = `<@${slack.botUserId}> why 502 orders-api`;
    const asMessage = { ...mentionEnvelope('Ev0DOUBLE0M', channel, ts, text), event: { type: 'message', channel_type: 'channel', user: 'U0BOB0001', text, ts, channel, event_ts: ts } };
    const [a, b] = await Promise.all([postEvent(base, SECRET, mentionEnvelope('Ev0DOUBLE0A', channel, ts, text)), postEvent(base, SECRET, asMessage)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await slack.waitFor((calls) => repliesIn(calls, channel).some((c) => blocksText(c).includes('Malformed Lambda proxy response')), 30_000);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(repliesIn(slack.calls, channel).filter((c) => blocksText(c).includes('Malformed Lambda proxy response'))).toHaveLength(1);
  }, 60_000);
});

describe('a channel the bot is not in', () => {
  it('is told through the command’s response_url how to invite the bot', async () => {
    const channel = 'C0PRIVATE1';
    slack.notInChannel.add(channel);
    const command = slashCommand(channel, 'why 502 orders-api');
    const r = await postSlashCommand(base, SECRET, command);
    expect(r.status).toBe(200);
    const path = new URL(command.response_url ?? '').pathname;
    const deadline = Date.now() + 20_000;
    while (!slack.responses.some((p) => p.path === path) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const told = slack.responses.find((p) => p.path === path);
    expect(JSON.stringify(told?.body ?? {})).toMatch(/\/invite @apigw-doctor/);
  }, 30_000);
});

describe('requests that are not from Slack', () => {
  it('a bad signature is refused with 401', async () => {
    const r = await postSlashCommand(base, SECRET, slashCommand('C0ONCALL3', 'why 502 orders-api'), { badSignature: true });
    expect(r.status).toBe(401);
  });

  it('a stale signature (older than 5 minutes) is refused with 401', async () => {
    const r = await postSlashCommand(base, SECRET, slashCommand('C0ONCALL3', 'why 502 orders-api'), { timestamp: Math.floor(Date.now() / 1000) - 600 });
    expect(r.status).toBe(401);
  });
});

describe('bad input', () => {
  it('gets an ephemeral answer saying what was wrong, with an example to copy', async () => {
    const r = await postSlashCommand(base, SECRET, slashCommand('C0ONCALL4', 'why 404 orders-api'));
    expect(r.status).toBe(200);
    expect(r.body).toMatch(/404/);
    expect(r.body).toMatch(/\/apigw why 50\d/);
  });
});

describe('a worker killed mid-investigation', () => {
  it('is recovered by a new worker with exactly one final reply', async () => {
    const channel = 'C0ONCALL5';
    const port = await freePort();
    const slowPrefix = `${prefix}slow`;
    const slowWeb = startProcess('web', env(port, { QUEUE_PREFIX: slowPrefix }));
    const slowWorker = startProcess('worker', env(port, { QUEUE_PREFIX: slowPrefix, SANDBOX_LATENCY_MS: '400' }));
    try {
      await Promise.all([slowWeb.waitForLine('web ready'), slowWorker.waitForLine('worker ready')]);
      const ack = await postSlashCommand(`http://127.0.0.1:${port}`, SECRET, slashCommand(channel, 'why 500 invoices-api'));
      expect(ack.status).toBe(200);
      // Progress posted: the root exists and has been edited at least once.
      await slack.waitFor((calls) => calls.some((c) => c.method === 'chat.update' && c.args.channel === channel), 30_000);
      await slowWorker.stop('SIGKILL');
      expect(repliesIn(slack.calls, channel)).toHaveLength(0);
      const next = startProcess('worker', env(port, { QUEUE_PREFIX: slowPrefix }));
      try {
        await slack.waitFor((calls) => repliesIn(calls, channel).length > 0, 45_000);
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        expect(repliesIn(slack.calls, channel)).toHaveLength(1);
        expect(rootsIn(slack.calls, channel)).toHaveLength(1);
        expect(blocksText(repliesIn(slack.calls, channel)[0])).toContain('lambda');
      } finally {
        await next.stop();
      }
    } finally {
      await Promise.all([slowWeb.stop(), slowWorker.stop()]);
    }
  }, 90_000);
});

describe('Redis unreachable', () => {
  it('tells the user at once that the investigation could not be queued', async () => {
    const redis = await startPrivateRedis();
    const port = await freePort();
    const lonely = startProcess('web', env(port, { REDIS_URL: redis.url, QUEUE_PREFIX: `${prefix}down` }));
    try {
      await lonely.waitForLine('web ready');
      await redis.stop();
      const r = await postSlashCommand(`http://127.0.0.1:${port}`, SECRET, slashCommand('C0ONCALL6', 'why 502 orders-api'));
      expect(r.status).toBe(200);
      expect(r.body).toMatch(/could not queue/i);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(503);
    } finally {
      await lonely.stop();
      await redis.stop();
    }
  }, 60_000);
});
