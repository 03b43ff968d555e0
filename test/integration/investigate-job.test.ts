/**
 * The investigation job handler with a fake poster (it records what would be said in Slack), the
 * sandbox's AWS and real Redis: one root message edited into the verdict, one findings reply in its
 * thread, joiners told, and a rerun after a crash that neither posts a second root nor a second answer.
 */
import { randomUUID } from 'node:crypto';
import { UnrecoverableError } from 'bullmq';
import { Redis } from 'ioredis';
import { sandboxWorld } from '../../src/collect/adapters/sandbox/sandbox-world';
import type { KnowledgeBase } from '../../src/diagnosis/knowledge/cause';
import { loadKnowledge } from '../../src/diagnosis/knowledge/load';
import { producerConnection } from '../../src/queue/connection';
import type { Asker, InvestigateJob } from '../../src/queue/contracts';
import { InvestigationQueue } from '../../src/queue/investigations';
import { loadThreadContext } from '../../src/queue/thread-context';
import { allowEverything, parseChannelPermissions } from '../../src/slack/permissions';
import type { Poster, SlackMessage } from '../../src/slack/poster';
import { ChannelUnavailableError } from '../../src/slack/poster';
import type { InvestigateDeps, InvestigateJobRun, JobLogger } from '../../handlers/jobs/investigate';
import { handleInvestigateJob, reportAbandoned } from '../../handlers/jobs/investigate';
import { CoalescedEdits } from '../../src/slack/coalesced-edits';
import { sandboxPorts } from '../../src/collect/adapters/sandbox-ports';

const NOW = new Date('2026-11-25T15:00:00Z');
const REDIS_URL = 'redis://127.0.0.1:6379';

interface Call {
  method: 'postRoot' | 'reply' | 'update' | 'tellViaResponseUrl';
  channel: string;
  /** The thread (reply), the message (update) or the response_url. */
  at?: string;
  ts?: string;
  message: SlackMessage;
}

/** A poster that records calls; `failures` makes the n-th call of a method throw (1-based). */
class FakePoster implements Poster {
  readonly calls: Call[] = [];
  private next = 1;
  constructor(private readonly failures: Partial<Record<Call['method'], { nth: number; error: () => Error }>> = {}) {}

  private record(call: Call): void {
    this.calls.push(call);
    const failure = this.failures[call.method];
    if (failure?.nth === this.calls.filter((c) => c.method === call.method).length) throw failure.error();
  }
  private ts(): string {
    return `1764082800.${String(this.next++).padStart(6, '0')}`;
  }
  postRoot(channel: string, message: SlackMessage): Promise<string> {
    const ts = this.ts();
    return Promise.resolve().then(() => {
      this.record({ method: 'postRoot', channel, ts, message });
      return ts;
    });
  }
  reply(channel: string, threadTs: string, message: SlackMessage): Promise<string> {
    const ts = this.ts();
    return Promise.resolve().then(() => {
      this.record({ method: 'reply', channel, at: threadTs, ts, message });
      return ts;
    });
  }
  update(channel: string, ts: string, message: SlackMessage): Promise<void> {
    return Promise.resolve().then(() => this.record({ method: 'update', channel, at: ts, message }));
  }
  tellViaResponseUrl(responseUrl: string, message: SlackMessage): Promise<void> {
    return Promise.resolve().then(() => this.record({ method: 'tellViaResponseUrl', channel: '', at: responseUrl, message }));
  }
  of(method: Call['method']): Call[] {
    return this.calls.filter((c) => c.method === method);
  }
}

const silent: JobLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

let kb: KnowledgeBase;
let redis: Redis;
let producer: Redis;
let prefix: string;

beforeAll(() => {
  kb = loadKnowledge([]);
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  producer = producerConnection(REDIS_URL);
});

afterAll(async () => {
  await redis.quit();
  await producer.quit();
});

beforeEach(() => {
  prefix = `test-job-${randomUUID().slice(0, 8)}`;
});

afterEach(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
});

function deps(poster: Poster): InvestigateDeps {
  return {
    poster,
    aws: () => {
      return Promise.resolve({ ports: sandboxPorts(sandboxWorld(NOW), { logs: { pollMs: 1, maxPollMs: 2 } }).ports, collectorTimeoutMs: 10_000 });
    },
    knowledge: kb,
    permissions: allowEverything,
    redis,
    prefix,
    now: () => new Date(),
    logger: silent,
  };
}

const alice: Asker = { userId: 'U0ALICE', teamId: 'T1', channelId: 'C0OPS', responseUrl: 'https://hooks.slack.test/commands/alice' };
const bob: Asker = { userId: 'U0BOB', teamId: 'T1', channelId: 'C0OPS', messageTs: '1764082000.000100' };
const carol: Asker = { userId: 'U0CAROL', teamId: 'T1', channelId: 'C0OPS', responseUrl: 'https://hooks.slack.test/commands/carol' };

function jobOf(asker: Asker, api = 'orders-api', id = `why-${randomUUID().replace(/-/g, '')}-1`, attemptsMade = 0): InvestigateJobRun {
  const data: InvestigateJob = { question: { status: 502, api, stage: 'prod', sinceMs: 3_600_000 }, asker, askedAt: NOW.toISOString(), source: asker.messageTs ? 'mention' : 'command' };
  return { id, data, attemptsMade, opts: { attempts: 3 } };
}

const texts = (calls: Call[]): string[] => calls.map((c) => c.message.text);

describe('a slash command’s question', () => {
  let poster: FakePoster;
  let job: InvestigateJobRun;
  let ownPrefix: string;
  beforeAll(async () => {
    ownPrefix = `test-job-${randomUUID().slice(0, 8)}`;
    poster = new FakePoster();
    job = jobOf(alice);
    await handleInvestigateJob(job, { ...deps(poster), prefix: ownPrefix });
  });

  afterAll(async () => {
    const keys = await redis.keys(`${ownPrefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
  });

  it('posts one root message in the channel, saying what it investigates', () => {
    const roots = poster.of('postRoot');
    expect(roots).toHaveLength(1);
    expect(roots[0]?.channel).toBe('C0OPS');
    expect(roots[0]?.message.text).toMatch(/Investigating 502s on orders-api/);
  });

  it('edits the root with progress at most once a second, then with the verdict', () => {
    const root = poster.of('postRoot')[0]!;
    const updates = poster.of('update');
    expect(updates.every((u) => u.at === root.ts && u.channel === 'C0OPS')).toBe(true);
    // Nine progress events (the target and eight sources) in well under a second: coalesced.
    expect(updates.length).toBeLessThanOrEqual(3);
    expect(updates.at(-1)?.message.text).toMatch(/Likely cause: Malformed Lambda proxy response/);
  });

  it('replies once in the root’s thread with the findings naming the cause', () => {
    const root = poster.of('postRoot')[0]!;
    const replies = poster.of('reply');
    expect(replies).toHaveLength(1);
    expect(replies[0]?.at).toBe(root.ts);
    expect(JSON.stringify(replies[0]?.message.blocks)).toContain('Malformed Lambda proxy response');
  });

  it('keeps the thread’s context for follow-ups', async () => {
    const root = poster.of('postRoot')[0]!;
    const context = await loadThreadContext(redis, ownPrefix, { channelId: 'C0OPS', threadTs: root.ts! });
    expect(context?.jobId).toBe(job.id);
    expect(context?.findings[0]).toMatchObject({ causeId: 'malformed-lambda-proxy-response', title: 'Malformed Lambda proxy response' });
    expect(context?.target).toMatchObject({ apiName: 'orders-api', stage: 'prod' });
    expect(context?.window.to).toBe(NOW.toISOString());
  });
});

it('answers a mention in the mention’s thread', async () => {
  const poster = new FakePoster();
  await handleInvestigateJob(jobOf(bob), deps(poster));
  expect(poster.of('postRoot')).toHaveLength(0);
  const replies = poster.of('reply');
  // The progress message, then the findings, both in the mention's thread.
  expect(replies.map((r) => r.at)).toEqual([bob.messageTs, bob.messageTs]);
  expect(poster.of('update').every((u) => u.at === replies[0]?.ts)).toBe(true);
  expect(JSON.stringify(replies[1]?.message.blocks)).toContain('Malformed Lambda proxy response');
});

it('reruns after a failure without a second root or a second answer', async () => {
  // The first attempt dies posting the answer (a Slack error), after the root was posted.
  const poster = new FakePoster({ reply: { nth: 1, error: () => new Error('socket hang up') } });
  const first = jobOf(alice);
  await expect(handleInvestigateJob(first, deps(poster))).rejects.toThrow('socket hang up');
  await handleInvestigateJob({ ...first, attemptsMade: 1 }, deps(poster));
  // And once more, as if the worker died after answering but before the job was marked complete.
  await handleInvestigateJob({ ...first, attemptsMade: 2 }, deps(poster));

  const roots = poster.of('postRoot');
  expect(roots).toHaveLength(1);
  // Two replies were attempted; the first threw, so exactly one answer is in the thread.
  const replies = poster.of('reply');
  expect(replies).toHaveLength(2);
  expect(replies.every((r) => r.at === roots[0]?.ts)).toBe(true);
  expect(poster.of('update').every((u) => u.at === roots[0]?.ts)).toBe(true);
  expect(texts(poster.of('update')).at(-1)).toMatch(/Likely cause: Malformed Lambda proxy response/);
  expect(await redis.get(`${prefix}:job:${first.id}:final`)).toBe(replies[1]?.ts);
});

it('does not post the answer again when an earlier attempt died while posting it (the documented window)', async () => {
  const poster = new FakePoster();
  const job = jobOf(alice);
  // The state a worker leaves when it dies between claiming the final reply and Slack accepting it.
  await redis.set(`${prefix}:job:${job.id}:final`, 'posting');
  await handleInvestigateJob(job, deps(poster));
  expect(poster.of('reply')).toHaveLength(0);
});

it('tells the askers who joined: a mention in its own thread, a slash command privately', async () => {
  const queue = new InvestigationQueue({ connection: producer, prefix, dedupeWindowS: 60 });
  try {
    const job = jobOf(alice);
    const { jobId } = await queue.ask(job.data);
    expect((await queue.ask(jobOf(bob).data)).joined).toBe(true);
    expect((await queue.ask(jobOf(carol).data)).joined).toBe(true);
    const poster = new FakePoster();
    await handleInvestigateJob({ ...job, id: jobId }, deps(poster));

    const root = poster.of('postRoot')[0]!;
    const replies = poster.of('reply');
    expect(replies.map((r) => r.at)).toEqual([root.ts, bob.messageTs]);
    expect(replies[1]?.message.text).toBe(replies[0]?.message.text);
    // Each copy's buttons name the thread it is in (where a click finds that thread's context).
    const threadsNamed = (i: number): string[] => [...JSON.stringify(replies[i]?.message.blocks).matchAll(/\\"thread\\":\\"([\d.]+)\\"/g)].map((m) => m[1] ?? '');
    expect(new Set(threadsNamed(0))).toEqual(new Set([root.ts]));
    expect(new Set(threadsNamed(1))).toEqual(new Set([bob.messageTs]));
    expect(await loadThreadContext(redis, prefix, { channelId: 'C0OPS', threadTs: bob.messageTs! })).toBeDefined();
    const told = poster.of('tellViaResponseUrl');
    expect(told.map((t) => t.at)).toEqual([carol.responseUrl]);
    expect(told[0]?.message.text).toMatch(/the answer is in the thread/);
    // The question is answered: asking again starts a new investigation.
    expect((await queue.ask({ ...jobOf(bob).data, askedAt: new Date(NOW.getTime() + 5_000).toISOString() })).joined).toBe(false);
  } finally {
    await queue.close();
  }
});

it('edits the root with the problem when the API does not exist, and does not retry', async () => {
  const poster = new FakePoster();
  const error = await handleInvestigateJob(jobOf(alice, 'ordres-api'), deps(poster)).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UnrecoverableError);
  expect(poster.of('postRoot')).toHaveLength(1);
  expect(poster.of('reply')).toHaveLength(0);
  const last = poster.of('update').at(-1);
  expect(last?.message.text).toMatch(/no API named "ordres-api"/);
  // The closest name, as a command to copy.
  expect(last?.message.text).toMatch(/Try: \/apigw why 502 orders-api prod 1h/);
});

it('says "retrying" in the root when an attempt fails for another reason', async () => {
  const poster = new FakePoster();
  const failing: InvestigateDeps = { ...deps(poster), aws: () => Promise.reject(new Error('sandbox exploded')) };
  await expect(handleInvestigateJob(jobOf(alice), failing)).rejects.toThrow('sandbox exploded');
  expect(texts(poster.of('update')).at(-1)).toMatch(/failed \(sandbox exploded\); retrying/);
});

it('refuses what the question resolved to when the channel may not see it, before any evidence is read', async () => {
  // The channel may see orders-*; the question names invoices-api by its id (as a crafted URL would).
  const poster = new FakePoster();
  const { ports, sandbox } = sandboxPorts(sandboxWorld(NOW));
  const permissions = parseChannelPermissions({ channels: { C0OPS: { apis: ['orders-*'] } } }, 'bot.yml');
  const guarded: InvestigateDeps = { ...deps(poster), permissions, aws: () => Promise.resolve({ ports, collectorTimeoutMs: 10_000 }) };
  await expect(handleInvestigateJob(jobOf(alice, 'i7n4v5c2e9'), guarded)).rejects.toBeInstanceOf(UnrecoverableError);
  const last = texts(poster.of('update')).at(-1);
  expect(last).toMatch(/Not in this channel: in this channel I may only investigate API orders-\*, and what you asked about is invoices-api \(i7n4v5c2e9\)/);
  // Nothing of invoices-api was said, and only API Gateway was asked (to resolve it): no logs, metrics or Lambda.
  expect(poster.of('reply')).toHaveLength(0);
  expect(texts(poster.calls).join('\n')).not.toMatch(/Likely cause|Checked/);
  expect([...new Set(sandbox.calls.map((c) => c.service))].filter((s) => s !== 'apigateway' && s !== 'apigatewayv2' && s !== 'sts')).toEqual([]);
  // The same question about an API the channel may see is answered.
  const allowed = new FakePoster();
  await handleInvestigateJob(jobOf(alice, 'orders-api'), { ...guarded, poster: allowed });
  expect(texts(allowed.of('update')).at(-1)).toMatch(/Likely cause/);
});

it('tells the asker to invite the bot when it is not in the channel', async () => {
  const poster = new FakePoster({ postRoot: { nth: 1, error: () => new ChannelUnavailableError('C0OPS', 'not_in_channel') } });
  await expect(handleInvestigateJob(jobOf(alice), deps(poster))).rejects.toBeInstanceOf(UnrecoverableError);
  const told = poster.of('tellViaResponseUrl');
  expect(told).toHaveLength(1);
  expect(told[0]?.at).toBe(alice.responseUrl);
  expect(JSON.stringify(told[0]?.message.blocks)).toMatch(/I'm not in <#C0OPS>: invite me with \/invite @apigw-doctor/);
});

it('tells the asker an archived channel is archived, not to invite the bot', async () => {
  const poster = new FakePoster({ postRoot: { nth: 1, error: () => new ChannelUnavailableError('C0OPS', 'is_archived') } });
  await expect(handleInvestigateJob(jobOf(alice), deps(poster))).rejects.toBeInstanceOf(UnrecoverableError);
  const told = JSON.stringify(poster.of('tellViaResponseUrl')[0]?.message.blocks);
  expect(told).toMatch(/<#C0OPS> is archived, so nobody can post there: ask in a channel that is not archived/);
  expect(told).not.toMatch(/invite/);
});

it('ends a job BullMQ gave up on (its workers kept dying): the root message says so, once', async () => {
  // An attempt that got as far as posting the root and its progress, then died for good.
  const poster = new FakePoster({ reply: { nth: 1, error: () => new Error('socket hang up') } });
  const job = jobOf(alice);
  await expect(handleInvestigateJob(job, deps(poster))).rejects.toThrow('socket hang up');
  const before = poster.calls.length;
  await reportAbandoned(job, deps(poster), 'the workers running it stopped in the middle more than twice');
  // Every worker process hears of the failure: only one reports it.
  await reportAbandoned(job, deps(poster), 'the workers running it stopped in the middle more than twice');
  const after = poster.calls.slice(before);
  const root = poster.of('postRoot')[0];
  expect(after.filter((c) => c.method === 'update').map((c) => c.at)).toEqual([root?.ts]);
  expect(after.find((c) => c.method === 'update')?.message.text).toMatch(/^The investigation stopped: the workers running it stopped in the middle more than twice/);
  // The asker sees the root message in the channel; nothing else is posted.
  expect(after.map((c) => c.method)).toEqual(['update']);
});

it('does not end a job whose answer went out', async () => {
  const poster = new FakePoster();
  const job = jobOf(alice);
  await handleInvestigateJob(job, deps(poster));
  const before = poster.calls.length;
  await reportAbandoned(job, deps(poster), 'stalled');
  expect(poster.calls.length).toBe(before);
});

describe('CoalescedEdits', () => {
  /** Waits until `sent` has `n` entries (no wall-clock assertion: it only bounds the wait). */
  async function until(sent: string[], n: number): Promise<void> {
    for (let i = 0; i < 500 && sent.length < n; i++) await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const recorder = (sent: string[]) => (m: SlackMessage) => {
    sent.push(m.text);
    return Promise.resolve();
  };

  it('sends only the latest of states pushed together, and nothing more within the interval', async () => {
    const sent: string[] = [];
    const edits = new CoalescedEdits(recorder(sent), 60_000, () => undefined);
    for (let i = 1; i <= 10; i++) edits.push({ text: `state ${i}` });
    await until(sent, 1);
    edits.push({ text: 'state 11' });
    edits.push({ text: 'state 12' });
    await edits.stop();
    edits.push({ text: 'after stop' });
    expect(sent).toEqual(['state 10']);
  });

  it('sends the last state once the interval has passed', async () => {
    const sent: string[] = [];
    const edits = new CoalescedEdits(recorder(sent), 20, () => undefined);
    edits.push({ text: 'a' });
    await until(sent, 1);
    edits.push({ text: 'b' });
    edits.push({ text: 'c' });
    await until(sent, 2);
    await edits.stop();
    expect(sent).toEqual(['a', 'c']);
  });
});
