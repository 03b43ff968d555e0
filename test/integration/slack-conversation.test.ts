/**
 * The conversation in the thread, end to end: the built `web` and `worker` processes, the fake Slack
 * Web API, real Redis and the sandbox. Follow-ups typed in an answer's thread (no mention), chatter left
 * alone, a mentioned unknown word answered with help, pasted log lines changing the answer, each
 * button clicked as Slack sends it, 👍 counted by `/apigw stats` across a restart of both processes,
 * and `check` and `apis` answered in Slack.
 */
import { randomUUID } from 'node:crypto';
import type { FakeSlack, SlackCall } from '../helpers/fake-slack';
import { startFakeSlack } from '../helpers/fake-slack';
import type { BotProcess } from '../helpers/processes';
import { freePort, postAction, postEvent, postSlashCommand, startProcess } from '../helpers/processes';
import { blockAction, blocksText, buttonsOf, mentionEnvelope, messageEnvelope, posts, slashCommand, textOf } from '../helpers/slack-requests';
import { ACTION_IDS } from '../../src/slack/actions';
import { botEnv } from '../helpers/bot-env';

const SECRET = 'conversation-signing-secret-7a6b5c';
const TOKEN = 'xoxb-000000000000-000000000000-ConversationToken01';

let slack: FakeSlack;
let web: BotProcess;
let worker: BotProcess;
let base: string;
let port: number;
let prefix: string;

function env(): Record<string, string> {
  return botEnv(
    { slack, token: TOKEN, secret: SECRET, prefix, port },
    {
      DEDUPE_WINDOW_S: '5',
      WORKER_CONCURRENCY: '4',
      LOG_LEVEL: 'info',
    },
  );
}

async function startBoth(): Promise<void> {
  web = startProcess('web', env());
  worker = startProcess('worker', env());
  await Promise.all([web.waitForLine('web ready'), worker.waitForLine('worker ready')]);
}

let seq = 0;
/** A fresh message ts, as Slack's (10 digits, a dot, 6). */
const nextTs = (): string => `17640800${String(10 + (seq++ % 89)).padStart(2, '0')}.${String(100000 + seq).slice(-6)}`;

const repliesIn = (channel: string, threadTs: string): SlackCall[] => posts(slack.calls, channel).filter((c) => c.args.thread_ts === threadTs);
const ephemeralsTo = (channel: string): SlackCall[] => slack.calls.filter((c) => c.method === 'chat.postEphemeral' && c.args.channel === channel);

/** Types `text` in the thread (a plain message, no mention) and waits for the bot's next reply there. */
async function say(channel: string, threadTs: string, text: string, timeoutMs = 30_000): Promise<SlackCall> {
  const before = repliesIn(channel, threadTs).length;
  const res = await postEvent(base, SECRET, messageEnvelope(`Ev${randomUUID().slice(0, 10)}`, channel, nextTs(), text, threadTs));
  expect(res.status).toBe(200);
  await slack.waitFor(() => repliesIn(channel, threadTs).length > before, timeoutMs);
  return repliesIn(channel, threadTs)[before]!;
}

/** Asks `/apigw <text>` in `channel` and waits for the answer in the new root's thread; returns the root's ts and the answer. */
async function ask(channel: string, text: string): Promise<{ root: string; answer: SlackCall; ack: string }> {
  const before = posts(slack.calls, channel).filter((c) => c.args.thread_ts === undefined).length;
  const ack = await postSlashCommand(base, SECRET, slashCommand(slack, channel, text));
  expect(ack.status).toBe(200);
  await slack.waitFor(() => posts(slack.calls, channel).filter((c) => c.args.thread_ts === undefined).length > before, 20_000);
  const root = posts(slack.calls, channel).filter((c) => c.args.thread_ts === undefined)[before]!.ts!;
  await slack.waitFor(() => repliesIn(channel, root).length > 0, 30_000);
  return { root, answer: repliesIn(channel, root)[0]!, ack: ack.body };
}

beforeAll(async () => {
  slack = await startFakeSlack();
  prefix = `conv${randomUUID().slice(0, 8)}`;
  port = await freePort();
  base = `http://127.0.0.1:${port}`;
  await startBoth();
}, 60_000);

afterAll(async () => {
  await Promise.all([web.stop(), worker.stop()]);
  await slack.close();
}, 30_000);

describe('follow-ups typed in the thread of an answer', () => {
  const channel = 'C0CONVO01';
  let root: string;
  let answer: SlackCall;

  beforeAll(async () => {
    ({ root, answer } = await ask(channel, 'why 502 orders-api'));
  }, 60_000);

  it('the answer carries Re-run, Widen to 24h, Show evidence and 👍/👎 on each finding, naming only the thread', () => {
    const buttons = buttonsOf(answer);
    const ids = buttons.map((b) => b.actionId);
    expect(ids).toEqual(expect.arrayContaining([ACTION_IDS.rerun, ACTION_IDS.widen, ACTION_IDS.evidence, ACTION_IDS.voteUp, ACTION_IDS.voteDown]));
    expect(buttons.find((b) => b.actionId === ACTION_IDS.rerun)?.value).toBe(JSON.stringify({ thread: root }));
    expect(buttons.find((b) => b.actionId === ACTION_IDS.voteUp)?.value).toBe(JSON.stringify({ thread: root, finding: 1, cause: 'malformed-lambda-proxy-response' }));
    // No button value names an API, a stage or a Region.
    for (const b of buttons) expect(b.value).not.toMatch(/orders|prod|us-east-1/);
  });

  it('evidence: every piece with counts and request ids, in the thread', async () => {
    const reply = await say(channel, root, 'evidence');
    expect(blocksText(reply)).toMatch(/Malformed Lambda proxy response/);
    expect(blocksText(reply)).toMatch(/\d[\d,]*×/);
  });

  it('explain 1: the finding in full, with its docs', async () => {
    const reply = await say(channel, root, 'explain 1');
    expect(blocksText(reply)).toMatch(/Malformed Lambda proxy response/);
    expect(blocksText(reply)).toMatch(/docs\.aws\.amazon\.com/);
  });

  it('fixes: only the commands, ready to paste', async () => {
    const reply = await say(channel, root, 'fixes');
    expect(blocksText(reply)).toMatch(/aws (lambda|apigateway|logs) /);
  });

  it('chatter in the thread gets no answer; the next follow-up does', async () => {
    const before = repliesIn(channel, root).length;
    await postEvent(base, SECRET, messageEnvelope(`Ev${randomUUID().slice(0, 10)}`, channel, nextTs(), 'thanks, looking at the handler now', root));
    await postEvent(base, SECRET, messageEnvelope(`Ev${randomUUID().slice(0, 10)}`, channel, nextTs(), 'since the deploy it has been flaky for everyone in the team', root));
    const reply = await say(channel, root, 'fixes');
    // The only new reply is the answer to `fixes` (the worker answers jobs in order of arrival for one thread).
    expect(repliesIn(channel, root).length).toBe(before + 1);
    expect(blocksText(reply)).toMatch(/aws /);
  });

  it('a mention with an unknown word gets the follow-up help, never an investigation', async () => {
    const before = repliesIn(channel, root).length;
    await postEvent(base, SECRET, mentionEnvelope(slack, `Ev${randomUUID().slice(0, 10)}`, channel, nextTs(), `<@${slack.botUserId}> weather`, root));
    await slack.waitFor(() => repliesIn(channel, root).length > before, 10_000);
    const help = repliesIn(channel, root)[before]!;
    expect(textOf(help)).toMatch(/evidence/);
    expect(textOf(help)).toMatch(/widen/);
    expect(slack.calls.filter((c) => c.method === 'chat.update' && textOf(c).includes('weather'))).toHaveLength(0);
  });

  it('request <id>: that request across the logs', async () => {
    const id = /req `([0-9a-f-]{36})`/.exec(blocksText(answer))?.[1] ?? /"([0-9a-f]{8}-[0-9a-f-]{27})"/.exec(blocksText(answer))?.[1];
    expect(id).toBeDefined();
    const reply = await say(channel, root, `request ${id!}`);
    expect(blocksText(reply)).toContain(id!.slice(0, 8));
  });

  it('request with a hostile id is refused before any query', async () => {
    const reply = await say(channel, root, 'request x"|filter');
    expect(blocksText(reply)).toMatch(/request id/i);
  });

  it('verify since 30m: the 5xx rate against the window before, with the numbers', async () => {
    const reply = await say(channel, root, 'verify since 30m');
    expect(textOf(reply)).toMatch(/5xx/);
    expect(textOf(reply)).toMatch(/\d/);
  });

  it('widen 24h: a new investigation in the same thread, the root edited to the newest verdict', async () => {
    const updatesBefore = slack.calls.filter((c) => c.method === 'chat.update' && c.args.ts === root).length;
    const reply = await say(channel, root, 'widen 24h', 40_000);
    expect(textOf(reply)).toMatch(/last 24h/);
    const updates = slack.calls.filter((c) => c.method === 'chat.update' && c.args.ts === root);
    expect(updates.length).toBeGreaterThan(updatesBefore);
    expect(textOf(updates[updates.length - 1])).toMatch(/last 24h/);
    expect(posts(slack.calls, channel).filter((c) => c.args.thread_ts === undefined)).toHaveLength(1);
  });

  it('stage dev and try 504 ask the same question changed', async () => {
    expect(textOf(await say(channel, root, 'try 504', 40_000))).toMatch(/asked about 504s: none/);
    expect(textOf(await say(channel, root, 'stage dev', 40_000))).toMatch(/stage dev/);
  });

  it('rerun answers again in the thread', async () => {
    const reply = await say(channel, root, 'rerun', 40_000);
    expect(textOf(reply)).toMatch(/orders-api/);
  });
});

describe('pasted log lines', () => {
  it('change the answer, and the answer says what they changed', async () => {
    const channel = 'C0PASTE01';
    const { root, answer } = await ask(channel, 'why 5xx billing-api');
    // Logging is off on billing-api: the answer can only say so.
    expect(textOf(answer)).toMatch(/no cause named with confidence/i);
    const paste = '```\n(3f2a9c1e-5b7d-4c3a-9e8f-1a2b3c4d5e6f) Execution failed due to a timeout error\n(3f2a9c1e-5b7d-4c3a-9e8f-1a2b3c4d5e6f) Method completed with status: 504\n```';
    const reply = await say(channel, root, paste);
    expect(blocksText(reply)).toMatch(/timeout/i);
    expect(blocksText(reply)).toMatch(/Stage has neither execution nor access logging/);
    expect(blocksText(reply)).toMatch(/→/);
    // The thread's evidence now includes them: `fixes` gives the timeout's fix.
    expect(blocksText(await say(channel, root, 'fixes'))).toMatch(/timeout/i);
  });
});

describe('buttons, clicked as Slack sends them', () => {
  const channel = 'C0BUTTON1';
  let root: string;
  let answer: SlackCall;

  beforeAll(async () => {
    ({ root, answer } = await ask(channel, 'why 502 orders-api'));
  }, 60_000);

  const click = async (actionId: string, value: string, user?: string): Promise<void> => {
    const res = await postAction(base, SECRET, blockAction(slack, { channel, messageTs: answer.ts!, threadTs: root }, actionId, value, user));
    expect(res.status).toBe(200);
  };
  const valueOf = (id: string): string => buttonsOf(answer).find((b) => b.actionId === id)!.value;

  it('a click that is not signed by Slack is refused with 401 and does nothing', async () => {
    const before = slack.calls.length;
    const res = await postAction(base, SECRET, blockAction(slack, { channel, messageTs: answer.ts!, threadTs: root }, ACTION_IDS.rerun, valueOf(ACTION_IDS.rerun)), { badSignature: true });
    expect(res.status).toBe(401);
    // The signed click that follows is answered; the refused one left no trace before it.
    const evidenceBefore = repliesIn(channel, root).length;
    await click(ACTION_IDS.evidence, valueOf(ACTION_IDS.evidence));
    await slack.waitFor(() => repliesIn(channel, root).length > evidenceBefore, 20_000);
    expect(slack.calls.slice(before).filter((c) => c.method === 'chat.update')).toHaveLength(0);
  });

  it('Show evidence posts the evidence in the thread', async () => {
    const before = repliesIn(channel, root).length;
    await click(ACTION_IDS.evidence, valueOf(ACTION_IDS.evidence));
    await slack.waitFor(() => repliesIn(channel, root).length > before, 20_000);
    expect(blocksText(repliesIn(channel, root)[before])).toMatch(/×/);
  });

  it('Widen to 24h and Re-run answer again in the thread', async () => {
    let before = repliesIn(channel, root).length;
    await click(ACTION_IDS.widen, valueOf(ACTION_IDS.widen));
    await slack.waitFor(() => repliesIn(channel, root).length > before, 40_000);
    expect(textOf(repliesIn(channel, root)[before])).toMatch(/last 24h/);
    before = repliesIn(channel, root).length;
    await click(ACTION_IDS.rerun, valueOf(ACTION_IDS.rerun));
    await slack.waitFor(() => repliesIn(channel, root).length > before, 40_000);
    expect(textOf(repliesIn(channel, root)[before])).toMatch(/orders-api/);
  });

  it('👎 asks "what was it?" with the other causes; the answer is recorded', async () => {
    const before = ephemeralsTo(channel).length;
    await click(ACTION_IDS.voteDown, valueOf(ACTION_IDS.voteDown), 'U0CAROL01');
    await slack.waitFor(() => ephemeralsTo(channel).length > before, 10_000);
    const question = ephemeralsTo(channel)[before]!;
    expect(question.args.user).toBe('U0CAROL01');
    const choices = buttonsOf(question).filter((b) => b.actionId === ACTION_IDS.wasInstead);
    expect(choices.length).toBeGreaterThan(0);
    const other = choices[choices.length - 1]!;
    await postAction(base, SECRET, blockAction(slack, { channel, messageTs: answer.ts!, threadTs: root }, ACTION_IDS.wasInstead, other.value, 'U0CAROL01'));
    await slack.waitFor(() => ephemeralsTo(channel).length > before + 1, 10_000);
    expect(textOf(ephemeralsTo(channel)[before + 1])).toMatch(/noted|thanks/i);
  });

  it('👍 twice by one person counts once, shows in /apigw stats, and survives a restart of both processes', async () => {
    await click(ACTION_IDS.voteUp, valueOf(ACTION_IDS.voteUp), 'U0DAVE001');
    await click(ACTION_IDS.voteUp, valueOf(ACTION_IDS.voteUp), 'U0DAVE001');
    await slack.waitFor(() => ephemeralsTo(channel).filter((c) => c.args.user === 'U0DAVE001').length >= 2, 10_000);
    const stats = await postSlashCommand(base, SECRET, slashCommand(slack, channel, 'stats'));
    expect(stats.body).toMatch(/Malformed Lambda proxy response/);
    expect(stats.body).toMatch(/👍 1\b/);
    expect(stats.body).toMatch(/👎 1\b/);
    await Promise.all([web.stop(), worker.stop()]);
    await startBoth();
    const again = await postSlashCommand(base, SECRET, slashCommand(slack, channel, 'stats'));
    expect(again.body).toMatch(/Malformed Lambda proxy response/);
    expect(again.body).toMatch(/👍 1\b/);
  }, 60_000);

  it('a click on a thread whose context has expired says so', async () => {
    const before = ephemeralsTo(channel).length;
    await click(ACTION_IDS.rerun, JSON.stringify({ thread: '1700000000.000001' }));
    await slack.waitFor(() => ephemeralsTo(channel).length > before, 10_000);
    expect(textOf(ephemeralsTo(channel)[before])).toMatch(/no investigation for this thread|more than 7 days/i);
  });
});

describe('check and apis from Slack', () => {
  const channel = 'C0LISTS01';

  it('check answers in the channel with the telemetry doctor and its aws commands', async () => {
    const before = posts(slack.calls, channel).length;
    const ack = await postSlashCommand(base, SECRET, slashCommand(slack, channel, 'check billing-api'));
    expect(ack.body).toMatch(/Checking the telemetry of billing-api/);
    await slack.waitFor(() => posts(slack.calls, channel).length > before, 20_000);
    const posted = posts(slack.calls, channel)[before]!;
    expect(blocksText(posted)).toMatch(/billing-api/);
    expect(blocksText(posted)).toMatch(/aws apigateway update-stage/);
  });

  it('apis lists the stages by 5xx with an Investigate button per failing row, and a click investigates in its thread', async () => {
    const before = posts(slack.calls, channel).length;
    await postSlashCommand(base, SECRET, slashCommand(slack, channel, 'apis 24h'));
    await slack.waitFor(() => posts(slack.calls, channel).length > before, 20_000);
    const listing = posts(slack.calls, channel)[before]!;
    expect(blocksText(listing)).toMatch(/orders-api/);
    const investigate = buttonsOf(listing).filter((b) => b.actionId === ACTION_IDS.investigate);
    expect(investigate.length).toBeGreaterThan(3);
    await postAction(base, SECRET, blockAction(slack, { channel, messageTs: listing.ts! }, ACTION_IDS.investigate, investigate[0]!.value));
    await slack.waitFor(() => repliesIn(channel, listing.ts!).length >= 2, 40_000);
    expect(textOf(repliesIn(channel, listing.ts!)[1])).toMatch(/5xx|50\d/);
  });
});
