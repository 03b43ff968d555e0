/**
 * `/apigw` called directly with fake `{ command, ack }` and a fake queue: the ack is the only answer,
 * it comes after the job is stored, and every failure is an immediate, clear ephemeral message.
 */
import type { RespondArguments } from '@slack/bolt';
import type { ApigwCommandArgs } from '../../handlers/slack/commands/apigw';
import { apigwCommand } from '../../handlers/slack/commands/apigw';
import { QueueUnavailableError, producerConnection } from '../../src/queue/connection';
import { InvestigationQueue } from '../../src/queue/investigations';
import { parseChannelPermissions } from '../../src/slack/permissions';
import { NOW, harness, visibleText } from '../helpers/slack-listener-fakes';

const COMMAND = {
  command: '/apigw',
  user_id: 'U0ASKER01',
  team_id: 'T0TEAM001',
  channel_id: 'C0123ABCD',
  response_url: 'https://hooks.slack.com/commands/T0TEAM001/1/abc',
};

function call(text: string, timeline: string[]): { args: ApigwCommandArgs; acks: (RespondArguments | undefined)[] } {
  const acks: (RespondArguments | undefined)[] = [];
  const args: ApigwCommandArgs = {
    command: { ...COMMAND, text },
    ack: (response?: RespondArguments) => {
      timeline.push('ack');
      acks.push(response);
      return Promise.resolve();
    },
  };
  return { args, acks };
}

it('queues a why, THEN acks with an ephemeral "Investigating…", with no Slack call at all', async () => {
  const h = harness();
  const { args, acks } = call('why 502 orders-api', h.timeline);
  await apigwCommand(h.deps)(args);

  expect(h.timeline).toEqual(['ask:start', 'ask:done', 'ack']);
  expect(h.client.posts).toHaveLength(0);
  expect(h.queue.jobs).toHaveLength(1);
  const [job] = h.queue.jobs;
  expect(job).toMatchObject({
    question: { status: 502, api: 'orders-api' },
    asker: { userId: 'U0ASKER01', teamId: 'T0TEAM001', channelId: 'C0123ABCD', responseUrl: COMMAND.response_url },
    askedAt: NOW.toISOString(),
    source: 'command',
  });
  expect(job!.asker.threadTs).toBeUndefined();
  expect(acks).toHaveLength(1);
  expect(acks[0]).toMatchObject({ response_type: 'ephemeral' });
  expect(acks[0]!.text).toMatch(/^Investigating 502s on orders-api \(.*last \d+[mhd]\)… I'll post in this channel\.$/);
});

it('says so when the same question joined the running investigation', async () => {
  const h = harness();
  h.queue.askImpl = () => Promise.resolve({ jobId: 'why-abc-1', joined: true });
  const { args, acks } = call('why 5xx orders-api', h.timeline);
  await apigwCommand(h.deps)(args);
  expect(acks[0]!.text).toMatch(/^Already investigating 5xx errors on orders-api .* — you'll get the same answer\.$/);
});

it('answers help and unparseable text in the ack alone, with an example to copy', async () => {
  const h = harness();
  const help = call('help', h.timeline);
  await apigwCommand(h.deps)(help.args);
  expect(help.acks[0]).toMatchObject({ response_type: 'ephemeral' });
  expect(visibleText(help.acks[0])).toContain('/apigw why');

  const bad = call('why', h.timeline);
  await apigwCommand(h.deps)(bad.args);
  expect(bad.acks[0]).toMatchObject({ response_type: 'ephemeral' });
  expect(visibleText(bad.acks[0])).toContain('Try:');

  expect(h.timeline).toEqual(['ack', 'ack']);
  expect(h.queue.jobs).toHaveLength(0);
});

it('acks at once with a clear message when Redis is down', async () => {
  const h = harness();
  h.queue.askImpl = () => Promise.reject(new QueueUnavailableError('queue the investigation', '127.0.0.1:6379', new Error('connect ECONNREFUSED 127.0.0.1:6379')));
  const { args, acks } = call('why 502 orders-api', h.timeline);
  await apigwCommand(h.deps)(args);
  expect(h.timeline).toEqual(['ask:start', 'ack']);
  expect(acks[0]).toMatchObject({ response_type: 'ephemeral' });
  expect(acks[0]!.text).toContain('Could not queue the investigation: Redis at 127.0.0.1:6379 is unreachable (connect ECONNREFUSED 127.0.0.1:6379)');
  expect(h.logs().some((l) => l.level === 'error' && l.msg === 'could not be queued')).toBe(true);
});

it('fails fast through the real producer connection when nothing listens on the Redis port', async () => {
  const connection = producerConnection('redis://127.0.0.1:1', { connectTimeoutMs: 500 });
  const queue = new InvestigationQueue({ connection, prefix: `apigw-test-${process.pid}`, dedupeWindowS: 120 });
  try {
    const h = harness({ queue });
    const { args, acks } = call('why 502 orders-api', h.timeline);
    await apigwCommand(h.deps)(args);
    expect(acks).toHaveLength(1);
    expect(acks[0]).toMatchObject({ response_type: 'ephemeral' });
    expect(acks[0]!.text).toMatch(/^Could not queue the investigation: .*Redis at 127\.0\.0\.1:1 is unreachable/);
  } finally {
    await queue.close();
    connection.disconnect();
  }
});

it('refuses a request outside the channel scope with the reason, and logs it', async () => {
  const permissions = parseChannelPermissions({ channels: { C0123ABCD: { apis: ['orders-*'] } } }, '/etc/apigw.yaml');
  const h = harness({ permissions });
  const { args, acks } = call('why 502 users-api', h.timeline);
  await apigwCommand(h.deps)(args);
  expect(h.queue.jobs).toHaveLength(0);
  expect(visibleText(acks[0])).toContain('in this channel I may only investigate API orders-*, not \\"users-api\\"');
  expect(h.logs()).toContainEqual(expect.objectContaining({ level: 'warn', msg: 'request refused in this channel', user: 'U0ASKER01', channel: 'C0123ABCD' }));
});

it('queues check and apis as jobs of their kinds for the worker, and says where the answer will be', async () => {
  const h = harness();
  const check = call('check orders-api prod', h.timeline);
  await apigwCommand(h.deps)(check.args);
  expect(check.acks[0]!.text).toBe("Checking the telemetry of orders-api (prod)… I'll post in this channel.");
  const apis = call('apis 24h', h.timeline);
  await apigwCommand(h.deps)(apis.args);
  expect(apis.acks[0]!.text).toBe("Counting 5xx per API stage (last 24h)… I'll post in this channel.");
  expect(h.queue.jobs).toHaveLength(0);
  expect(h.queue.enqueued).toMatchObject([
    { kind: 'check', api: 'orders-api', stage: 'prod', asker: { channelId: expect.any(String) as string } },
    { kind: 'apis', sinceMs: 24 * 3_600_000 },
  ]);
  // The job is in the queue before the ack.
  expect(h.timeline.indexOf('enqueue')).toBeLessThan(h.timeline.lastIndexOf('ack'));
});

it('reads "since 9am" in a slash command as a mention would, in the zone known for the asker (UTC until known)', async () => {
  const h = harness({ knownTimeZoneOf: () => 'America/Los_Angeles' });
  const asked = call('why is orders-api failing since 5am', h.timeline);
  await apigwCommand(h.deps)(asked.args);
  // NOW is 14:00 UTC = 06:00 PST: since 05:00 PT is one hour.
  expect(h.queue.jobs[0]?.question).toMatchObject({ api: 'orders-api', sinceMs: 3_600_000 });
  const utc = harness();
  const again = call('why is orders-api failing since 13:30', utc.timeline);
  await apigwCommand(utc.deps)(again.args);
  expect(utc.queue.jobs[0]?.question).toMatchObject({ sinceMs: 30 * 60_000 });
  expect(again.acks[0]!.text).toContain('since 13:30 UTC');
});

it('acks before Slack gives up when Redis is too slow, and logs what became of the job', async () => {
  const h = harness({ ackDeadlineMs: 20 });
  let release: (() => void) | undefined;
  h.queue.askImpl = () =>
    new Promise((resolve) => {
      release = () => resolve({ jobId: 'why-late-1', joined: false });
    });
  const { args, acks } = call('why 502 orders-api', h.timeline);
  await apigwCommand(h.deps)(args);
  expect(acks).toHaveLength(1);
  expect(acks[0]!.text).toContain('taking unusually long');
  release!();
  await new Promise((resolve) => setImmediate(resolve));
  expect(h.logs().map((l) => l.msg)).toContain('queued after the ack deadline');
});

it('logs who asked what, where', async () => {
  const h = harness();
  const { args } = call('why 504 orders-api', h.timeline);
  await apigwCommand(h.deps)(args);
  const line = h.logs().find((l) => l.msg === 'slash command');
  expect(line).toMatchObject({ listener: 'command', user: 'U0ASKER01', team: 'T0TEAM001', channel: 'C0123ABCD', text: 'why 504 orders-api', request: { kind: 'why', status: 504, api: 'orders-api' } });
  expect(JSON.stringify(h.logs())).not.toContain('hooks.slack.com/commands/T0TEAM001/1/abc');
});
