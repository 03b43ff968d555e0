/**
 * Messages in the thread of one of the bot's answers, through the `message` and `app_mention`
 * listeners with fakes: follow-up words are answered with or without a mention, chatter is left alone
 * (without so much as a Redis claim), a mention the bot cannot read gets the follow-up help, and the
 * thread's resolved target is authorized again before anything is queued.
 */
import type { AppMentionArgs } from '../../../../handlers/slack/events/app-mention';
import { appMention } from '../../../../handlers/slack/events/app-mention';
import type { MessageArgs } from '../../../../handlers/slack/events/message';
import { message } from '../../../../handlers/slack/events/message';
import type { ThreadContext } from '../../../../src/queue/thread-context';
import { parseChannelPermissions } from '../../../../src/slack/permissions';
import type { Harness } from '../../../helpers/slack-listener-fakes';
import { BOT_USER_ID, harness, visibleText } from '../../../helpers/slack-listener-fakes';

const CHANNEL = 'C0123ABCD';
const THREAD = '1764078000.000001';
const ROOT = '1764078000.000002';
let n = 0;

const context: ThreadContext = {
  jobId: 'why-abc-1',
  rootTs: ROOT,
  question: { status: 502, api: 'orders-api', sinceMs: 3_600_000 },
  target: { apiId: 'a1b2c3d4e5', apiName: 'orders-api', stage: 'prod', region: 'us-east-1' },
  apiType: 'REST',
  window: { from: '2026-11-25T13:00:00Z', to: '2026-11-25T14:00:00Z' },
  verdict: 'diagnosed',
  findings: [{ causeId: 'malformed-lambda-proxy-response', title: 'Malformed Lambda proxy response', confidence: 0.92, evidence: [] }],
  evidence: { checked: [], skipped: [], metrics: {} },
  answeredAt: '2026-11-25T14:00:00Z',
};

function answered(overrides: Parameters<typeof harness>[0] = {}): Harness {
  const h = harness(overrides);
  h.threads.set(`${CHANNEL}/${THREAD}`, context);
  return h;
}

function say(h: Harness, text: string, threadTs = THREAD): MessageArgs {
  n++;
  return { event: { text, user: 'U0ASKER01', team: 'T0TEAM001', channel: CHANNEL, ts: `1764079000.${String(n).padStart(6, '0')}`, thread_ts: threadTs }, body: { event_id: `Ev0MSG${n}`, team_id: 'T0TEAM001' }, context: {}, client: h.client };
}

function mention(h: Harness, text: string): AppMentionArgs {
  n++;
  return { event: { text: `<@${BOT_USER_ID}> ${text}`, user: 'U0ASKER01', team: 'T0TEAM001', channel: CHANNEL, ts: `1764079000.${String(n).padStart(6, '0')}`, thread_ts: THREAD }, body: { event_id: `Ev0MEN${n}`, team_id: 'T0TEAM001' }, context: {}, client: h.client };
}

it.each(['thanks, looking now', 'I think the deploy broke it', 'since the deploy it has been flaky for the whole team', 'request ids look odd to me today, anyone?'])('leaves chatter alone: %j', async (text) => {
  const h = answered();
  await message(h.deps)(say(h, text));
  expect(h.timeline).toEqual([]);
  expect(h.client.posts).toHaveLength(0);
});

it('ignores follow-up words in a thread the bot did not answer', async () => {
  const h = harness();
  await message(h.deps)(say(h, 'evidence'));
  expect(h.timeline).toEqual([]);
});

it.each([
  ['evidence', { intent: 'evidence' }],
  ['explain 1', { intent: 'explain', finding: 1 }],
  ['Fixes', { intent: 'fixes' }],
  ['request 3f2a9c1e-5b7d-4c3a-9e8f-1a2b3c4d5e6f', { intent: 'request', requestId: '3f2a9c1e-5b7d-4c3a-9e8f-1a2b3c4d5e6f' }],
  ['verify', { intent: 'verify' }],
])('queues %j without a mention, to be answered in the thread', async (text, followUp) => {
  const h = answered();
  await message(h.deps)(say(h, text));
  expect(h.queue.enqueued).toMatchObject([{ kind: 'follow-up', followUp, asker: { channelId: CHANNEL, threadTs: THREAD } }]);
  // Claimed and confirmed like a mention: Slack's retries of the message queue nothing new.
  expect(h.timeline[0]).toMatch(/^claim:/);
  expect(h.timeline[h.timeline.length - 1]).toMatch(/^confirm:/);
  expect(h.client.posts).toHaveLength(0);
});

it.each([
  ['widen 24h', { sinceMs: 24 * 3_600_000, stage: 'prod', status: 502 }],
  ['since 6h', { sinceMs: 6 * 3_600_000 }],
  ['stage dev', { stage: 'dev', sinceMs: 3_600_000 }],
  ['try 504', { status: 504, stage: 'prod' }],
  ['rerun', { status: 502, api: 'orders-api', stage: 'prod', sinceMs: 3_600_000 }],
])('%j asks the thread’s question again, changed, editing the thread’s root', async (text, question) => {
  const h = answered();
  await message(h.deps)(say(h, text));
  expect(h.queue.jobs).toMatchObject([{ kind: 'investigate', source: 'follow-up', question, root: { channel: CHANNEL, ts: ROOT, threadTs: THREAD }, asker: { threadTs: THREAD } }]);
});

it('says what was wrong with a short follow-up that does not read', async () => {
  const h = answered();
  await message(h.deps)(say(h, 'explain two'));
  expect(h.queue.enqueued).toHaveLength(0);
  expect(visibleText(h.client.posts[0])).toContain("finding's number");
  expect(h.client.posts[0]?.thread_ts).toBe(THREAD);
});

it('answers a mention it cannot read with the follow-up help, never an investigation', async () => {
  const h = answered();
  await appMention(h.deps)(mention(h, 'what about the weather'));
  expect(h.queue.jobs).toHaveLength(0);
  expect(h.queue.enqueued).toHaveLength(0);
  const help = visibleText(h.client.posts[0]);
  for (const word of ['evidence', 'explain', 'fixes', 'widen', 'stage', 'try', 'rerun', 'request', 'verify']) expect(help).toContain(word);
});

it('takes a mentioned follow-up, and a mentioned new question, in an answered thread', async () => {
  const h = answered();
  await appMention(h.deps)(mention(h, 'fixes'));
  expect(h.queue.enqueued).toMatchObject([{ kind: 'follow-up', followUp: { intent: 'fixes' } }]);
  await appMention(h.deps)(mention(h, 'why 504 payments-api'));
  expect(h.queue.jobs).toMatchObject([{ question: { status: 504, api: 'payments-api' } }]);
});

it('refuses a follow-up when the channel may no longer see what the thread resolved to', async () => {
  const permissions = parseChannelPermissions({ channels: { [CHANNEL]: { apis: ['payments-*'] } } }, 'apigw-doctor.yml');
  const h = answered({ permissions });
  await message(h.deps)(say(h, 'evidence'));
  expect(h.queue.enqueued).toHaveLength(0);
  expect(visibleText(h.client.posts[0])).toContain('Not in this channel');
});

it('reads pasted log lines as a paste, however they start', async () => {
  const h = answered();
  await message(h.deps)(say(h, '```\n(3f2a9c1e-5b7d-4c3a-9e8f-1a2b3c4d5e6f) Execution failed due to a timeout error\n```'));
  expect(h.queue.enqueued).toMatchObject([{ kind: 'follow-up', followUp: { intent: 'paste', text: '(3f2a9c1e-5b7d-4c3a-9e8f-1a2b3c4d5e6f) Execution failed due to a timeout error' } }]);
});
