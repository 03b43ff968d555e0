/**
 * The request registry is the one list: help, the manifests' usage hint, the "not yet" answer and the
 * parser's vocabulary come from it, and every example it shows reads as the request it documents.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { LATER, REQUESTS, helpMessage, parseCommandText, parseThreadMessage, planRequest, usageHint } from '../../../src/requests';
import type { ThreadContext } from '../../../src/queue/thread-context';

const NOW = new Date('2026-11-25T17:00:00Z');
const BOT = 'U0BOTBOT1';

function manifestHint(file: string): unknown {
  const doc = parseYaml(readFileSync(join(__dirname, '../../..', file), 'utf8')) as { features: { slash_commands: { usage_hint: unknown }[] } };
  return doc.features.slash_commands[0]?.usage_hint;
}

it.each(['manifest.yml', 'manifest.socket.yml'])('%s shows the registry’s usage hint', (file) => {
  expect(manifestHint(file)).toBe(usageHint(REQUESTS));
});

it('names each request once, and no request is also "not yet"', () => {
  const words = REQUESTS.flatMap((s) => [s.name, ...(s.aliases ?? [])]);
  expect(new Set(words).size).toBe(words.length);
  for (const later of LATER) expect(words).not.toContain(later);
});

it('help lists every command and every follow-up there is, and nothing else', () => {
  const text = JSON.stringify(helpMessage(REQUESTS));
  for (const spec of REQUESTS) expect(text).toContain(spec.where === 'command' ? `/apigw ${spec.usage}`.replace(/</g, '&lt;').replace(/>/g, '&gt;') : spec.usage.replace(/</g, '&lt;').replace(/>/g, '&gt;'));
  for (const later of LATER) expect(text).not.toMatch(new RegExp(`/apigw ${later}\\b`));
});

describe.each(REQUESTS.filter((s) => s.where === 'command').flatMap((s) => s.examples.filter((e) => e.startsWith('/apigw ')).map((e) => [s.name, e] as const)))('the %s example %j', (name, example) => {
  it('reads as that command', () => {
    const request = parseCommandText(example.slice('/apigw '.length), { now: NOW });
    expect(request.kind).toBe(name === 'help' ? 'help' : name);
  });
});

const thread: ThreadContext = {
  jobId: 'why-abc-1',
  rootTs: '1764079200.000100',
  question: { status: 502, api: 'orders-api', sinceMs: 3_600_000 },
  target: { apiId: 'a1b2c3d4e5', apiName: 'orders-api', stage: 'prod', region: 'us-east-1' },
  apiType: 'REST',
  window: { from: '2026-11-25T16:00:00Z', to: '2026-11-25T17:00:00Z' },
  verdict: 'diagnosed',
  findings: [{ causeId: 'malformed-lambda-proxy-response', title: 'Malformed Lambda proxy response', confidence: 0.92, evidence: [] }],
  evidence: { checked: [], skipped: [], metrics: {} },
  answeredAt: '2026-11-25T17:00:00Z',
};
const origin = { via: 'thread' as const, userId: 'U1', teamId: 'T1', channelId: 'C1', threadTs: '1764079200.000100', messageTs: '1764079300.000200', now: NOW };

describe.each(REQUESTS.filter((s) => s.where === 'thread').flatMap((s) => s.examples.map((e) => [s.name, e] as const)))('the follow-up %s example %j', (_name, example) => {
  it('reads in a thread and plans a job answered in that thread', () => {
    const read = parseThreadMessage(example, BOT, { now: NOW });
    expect(read?.request.kind).not.toBe('invalid');
    const plan = planRequest(read!.request, { origin, thread }, read!.spec);
    expect(plan.kind).toBe('queue');
    if (plan.kind === 'queue') expect(plan.job.asker?.threadTs).toBe(origin.threadTs);
  });
});

it('reruns keep the stage the answer resolved to, and edit the thread’s root', () => {
  const read = parseThreadMessage(`<@${BOT}> widen 24h`, BOT, { now: NOW });
  const plan = planRequest(read!.request, { origin, thread }, read!.spec);
  expect(plan).toMatchObject({ kind: 'queue', job: { kind: 'investigate', question: { api: 'orders-api', stage: 'prod', sinceMs: 24 * 3_600_000 }, root: { channel: 'C1', ts: thread.rootTs, threadTs: origin.threadTs } } });
});

it.each([
  ['thanks, looking now', undefined],
  ['I think the deploy broke it', undefined],
  ['```\n2026-11-25T16:59:01Z Execution failed due to configuration error: Malformed Lambda proxy response\n```', 'paste'],
  ['(3f2a9c1e-5b7d-4c3a-9e8f-1a2b3c4d5e6f) Execution failed due to a timeout error\n(3f2a9c1e-5b7d-4c3a-9e8f-1a2b3c4d5e6f) Method completed with status: 504', 'paste'],
])('thread message %j is %s', (text, intent) => {
  const read = parseThreadMessage(text, BOT, { now: NOW });
  expect(read?.request.kind === 'follow-up' ? read.request.followUp.intent : undefined).toBe(intent);
});

it('a follow-up without a thread context says there is none', () => {
  const read = parseThreadMessage('evidence', BOT, { now: NOW });
  expect(planRequest(read!.request, { origin }, read!.spec)).toMatchObject({ kind: 'say' });
});
