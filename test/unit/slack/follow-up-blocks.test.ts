import type { Diagnosis, EvidenceItem, Finding } from '../../../src/diagnosis/engine';
import { ACTION_IDS, readThreadAction } from '../../../src/slack/actions';
import type { SlackMessage } from '../../../src/slack/blocks';
import { ANSWER_ACTIONS_BLOCK_ID, answerActions, evidenceMessage, explainMessage, fixesMessage, pastedMessage } from '../../../src/slack/follow-up-blocks';
import { MAX_HEADER_TEXT, MAX_SECTION_TEXT } from '../../../src/slack/limits';
import type { SandboxRun } from './sandbox-run';
import { runScenario } from './sandbox-run';
import { all, buttons, expectMessageLimits, texts } from '../../helpers/block-kit';

const THREAD = '1764082800.000100';
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The code blocks of a text, without their fences. */
function codeBlocks(text: string): string[] {
  return [...text.matchAll(/```\n([\s\S]*?)\n```/g)].map((m) => m[1] ?? '');
}

/** What a user pastes: a code block as Slack shows it (entities decoded). */
const decoded = (code: string): string => code.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Slack's limits, and no markup but the builders' own (links). */
function expectWithinLimits(message: SlackMessage): void {
  expectMessageLimits(message);
  for (const { kind, text } of texts(message)) {
    expect(text.length).toBeGreaterThan(0);
    expect(text.length).toBeLessThanOrEqual(kind === 'header' ? MAX_HEADER_TEXT : MAX_SECTION_TEXT);
    if (kind === 'header') continue;
    expect((text.match(/```/g) ?? []).length % 2).toBe(0);
    for (const m of text.matchAll(/</g)) expect(text.slice(m.index, m.index + 9)).toBe('<https://');
  }
  for (const t of [message.text, ...texts(message).map((x) => x.text)]) expect(t).not.toMatch(LONE_SURROGATE);
}

const HOSTILE = 'Bad <@U123|boss> & <https://evil.example|click> ```rm -rf /``` <!channel> `tick`';
const SECRET = 'Method request headers: {Authorization=Bearer sk_live_abcdefghijklmnop, x-api-key=AbCdEf123456}';

/** A diagnosis whose evidence quotes hostile and secret text (what a log line may hold). */
function withHostileEvidence(run: SandboxRun): Diagnosis {
  const [first, ...rest] = run.diagnosis.findings;
  if (!first) throw new Error('scenario has no finding');
  const extra: EvidenceItem[] = [
    { message: HOSTILE, count: 3, requestIds: ['aaaaaaaa-1111-2222-3333-444444444444'], source: 'lambda', note: 'note with <b> & `ticks`' },
    { message: SECRET, count: 7, requestIds: ['bbbbbbbb-1111-2222-3333-444444444444'], source: 'execution' },
  ];
  return { ...run.diagnosis, findings: [{ ...first, title: `${first.title} <&>`, evidence: [...first.evidence, ...extra] }, ...rest] };
}

/** A diagnosis with `n` findings of `items` evidence items each, long messages: more than any message holds. */
function huge(run: SandboxRun, n: number, items: number): Diagnosis {
  const base = run.diagnosis.findings[0];
  if (!base) throw new Error('scenario has no finding');
  const findings: Finding[] = Array.from({ length: n }, (_, i) => ({
    ...base,
    causeId: `cause-${i}`,
    title: `Cause ${i}`,
    explanation: `${'A long explanation sentence that goes on. '.repeat(120)}`,
    evidence: Array.from({ length: items }, (__, j) => ({
      message: `Execution failed ${i}-${j}: ${'x'.repeat(400)}`,
      count: 1000 - j,
      requestIds: [`${String(j).padStart(8, '0')}-aaaa-bbbb-cccc-dddddddddddd`],
      source: 'execution' as const,
      firstSeen: '2026-11-25T14:02:11.121Z',
      lastSeen: '2026-11-25T14:59:58.004Z',
    })),
    fixes: Array.from({ length: 3 }, (__, k) => ({ ...(base.fixes[0] ?? { title: '', command: '', changes: '', verify: '', notes: [] }), title: `Fix ${i}.${k}`, command: `aws lambda do-thing --n ${i}.${k} ${'--flag value '.repeat(60)}` })),
  }));
  return { ...run.diagnosis, findings };
}

let orders: SandboxRun;
let invoices: SandboxRun;
let loggingOff: SandboxRun;
let healthy: SandboxRun;

beforeAll(async () => {
  [orders, invoices, loggingOff, healthy] = await Promise.all([
    runScenario('malformed-lambda-proxy-response'),
    runScenario('lambda-invoke-permission'),
    runScenario('logging-off'),
    runScenario('healthy'),
  ]);
});

describe('evidenceMessage (follow-up "evidence")', () => {
  it('lists every log item with its count, times, request ids and the findings it backs, grouped by where it came from', () => {
    const message = evidenceMessage(orders.diagnosis, orders.investigation);
    expectWithinLimits(message);
    const text = all(message);
    expect(text).toContain('orders-api');
    expect(text).toMatch(/\*Execution log\*[^\n]*\n• 1,198× `Execution failed due to configuration error: Malformed Lambda proxy response` · first 14:02 UTC, last 14:59 UTC · req `3f2a9c1e-5b7d-4e21-9a0c-2d9e8b7c6a51`, `91c04d2e-7f3a-4b8c-a1d2-e3f4a5b6c7d8` → finding 1/);
    // The value the function returned, with what is wrong in it.
    expect(text).toContain('`body` is an object');
    // Lines read that no finding quotes are evidence too.
    expect(text).toMatch(/1,198× `Method completed with status: 502`.* → no finding/);
    expect(text).toMatch(/\*Access log\*[^\n]*\n• 1,198× `access log: status 502/);
    // The groups come in a fixed order: metrics, logs, configuration.
    const order = ['*Metrics*', '*Execution log*', '*Access log*', '*Configuration facts*', '*Sources checked*'].map((t) => text.indexOf(t));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('gives the window’s metrics and the configuration facts', () => {
    const text = all(evidenceMessage(orders.diagnosis, orders.investigation));
    expect(text).toContain('1,218 5xx of 48,180 requests (2.5%)');
    expect(text).toContain('latency p99 142 ms');
    expect(text).toContain('integrationType `AWS_PROXY`');
    expect(text).toContain('integrationTimeoutMs `29000`');
    expect(text).toContain('lambdaTimeoutMs `10000`');
    expect(text).toMatch(/the errors began 2 minutes after .* → finding 1/);
  });

  it('lists an item backing several findings once, naming them all', () => {
    const text = all(evidenceMessage(invoices.diagnosis, invoices.investigation));
    const line = /640× `Execution failed due to configuration error: Invalid permissions on Lambda function`[^\n]*/.exec(text)?.[0] ?? '';
    expect(line).toMatch(/→ findings 1, 2$/);
    expect(text.split('Invalid permissions on Lambda function').length - 1).toBe(1);
  });

  it('shows each source checked ✓/✗ with its detail, and what could not be read with the reason and the fix', () => {
    const text = all(evidenceMessage(loggingOff.diagnosis, loggingOff.investigation));
    expect(text).toContain('execution logs ✗ execution logging is OFF on stage prod');
    expect(text).toContain('access logs ✗ not configured on stage prod');
    expect(text).toContain('metrics ✓ 696 5xx of 8,400 requests');
    const skipped = { ...orders.diagnosis, skipped: [{ source: 'lambda-logs', reason: 'AccessDenied on logs:StartQuery <for> /aws/lambda/orders-handler', fix: 'allow logs:StartQuery on arn:aws:logs:*:*:log-group:/aws/lambda/*' }] };
    const withSkipped = evidenceMessage(skipped, orders.investigation);
    expectWithinLimits(withSkipped);
    expect(all(withSkipped)).toMatch(/\*Could not read\*\n• Lambda logs: AccessDenied on logs:StartQuery &lt;for&gt; \/aws\/lambda\/orders-handler — fix: allow logs:StartQuery/);
  });

  it('escapes evidence text and masks secrets', () => {
    const message = evidenceMessage(withHostileEvidence(orders), orders.investigation);
    expectWithinLimits(message);
    const text = all(message);
    expect(text).not.toContain('<@U123');
    expect(text).not.toContain('<!channel>');
    expect(text).toContain('&lt;@U123|boss&gt; &amp;');
    expect(text).not.toContain('```rm');
    expect(text).toContain('ˋˋˋrm -rf /ˋˋˋ');
    expect(text).toContain('note with &lt;b&gt; &amp; `ticks`');
    expect(text).not.toContain('sk_live_abcdefghijklmnop');
    expect(text).not.toContain('AbCdEf123456');
    expect(text).toContain('Authorization=Bearer ****');
    expect(text).toMatch(/\*Lambda log\*[^\n]*\n• 3× /);
  });

  it('keeps to the limits with a huge evidence list, and says how to see the rest', () => {
    const message = evidenceMessage(huge(orders, 8, 40), orders.investigation);
    expectWithinLimits(message);
    const last = texts(message).at(-1)?.text ?? '';
    expect(last).toMatch(/^\+\d+ more items — run `apigw-doctor why 502 a1b2c3d4e5 prod --region us-east-1 --json` for all$/);
    // The sources checked are never crowded out.
    expect(all(message)).toContain('*Sources checked*');
    const shown = (all(message).match(/^• [\d,]+× `Execution failed \d+-\d+/gm) ?? []).length;
    const more = Number(/^\+(\d+) more/.exec(last)?.[1]);
    // Every item is either shown or counted (the configuration facts count too).
    expect(shown).toBeGreaterThan(5);
    expect(shown + more).toBeGreaterThanOrEqual(8 * 40);
  });

  it('escapes a rate below 0.1% (a "<" is Slack markup)', () => {
    const investigation = { ...orders.investigation, evidence: { ...orders.investigation.evidence, metrics: { count5xx: 3, count: 1_000_000 } } };
    const message = evidenceMessage(orders.diagnosis, investigation);
    expectWithinLimits(message);
    expect(all(message)).toContain('3 5xx of 1,000,000 requests (&lt;0.1%)');
  });

  it('a quiet stage: the metrics and configuration, no log item', () => {
    const message = evidenceMessage(healthy.diagnosis, healthy.investigation);
    expectWithinLimits(message);
    expect(all(message)).toContain('0 5xx of 70,800 requests');
    expect(all(message)).not.toContain('→ finding');
  });
});

describe('explainMessage (follow-up "explain N")', () => {
  it('shows one finding in full: title, confidence, kind, explanation, evidence, fixes with verify, docs as links', () => {
    const f = invoices.diagnosis.findings[1];
    const message = explainMessage(invoices.diagnosis, invoices.investigation, 2);
    expectWithinLimits(message);
    const text = all(message);
    expect(text).toContain(`*Finding 2 of ${invoices.diagnosis.findings.length}: The integration's credentials role cannot invoke the backend*`);
    expect(text).toContain('Confidence 51% · root cause');
    // The whole explanation, not a shortened one.
    expect(text.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>')).toContain(f?.explanation.trim() ?? 'none');
    expect(text).toContain('640× `Execution failed due to configuration error: Invalid permissions on Lambda function`');
    const code = codeBlocks(text).map(decoded);
    for (const fix of f?.fixes ?? []) {
      expect(code.some((c) => c.includes(fix.command) && c.includes(`# then check:\n${fix.verify}`))).toBe(true);
      for (const note of fix.notes) expect(decoded(text)).toContain(note);
    }
    for (const d of f?.docs ?? []) expect(text).toContain(`<${d.url}|`);
    expect(message.text).toContain('Finding 2 of');
  });

  it('says a telemetry finding is about what is missing', () => {
    const text = all(explainMessage(loggingOff.diagnosis, loggingOff.investigation, 1));
    expect(text).toContain('telemetry');
    expect(codeBlocks(text).join('\n')).toContain('aws apigateway update-stage --rest-api-id b1l2l3n4g5');
  });

  it('a number out of range: how many findings there are and what to type', () => {
    const k = invoices.diagnosis.findings.length;
    for (const n of [0, k + 1, 99, 1.5]) {
      const message = explainMessage(invoices.diagnosis, invoices.investigation, n);
      expectWithinLimits(message);
      const text = all(message);
      expect(text).toContain(':warning:');
      expect(text).toContain(`this answer has ${k} findings`);
      expect(text).toContain(`"explain 1" … "explain ${k}"`);
      expect(text).toContain('`explain 1`');
    }
    expect(all(explainMessage(orders.diagnosis, orders.investigation, 2))).toContain('this answer has 1 finding. Type "explain 1".');
  });

  it('no finding: nothing to explain', () => {
    const message = explainMessage(healthy.diagnosis, healthy.investigation, 1);
    expectWithinLimits(message);
    expect(all(message)).toContain('There is nothing to explain');
    expect(all(message)).toContain('No 5xx on stage prod');
  });

  it('keeps to the limits with a huge finding and says how to see the rest', () => {
    const message = explainMessage(huge(orders, 1, 80), orders.investigation, 1);
    expectWithinLimits(message);
    expect(texts(message).at(-1)?.text).toMatch(/^\+\d+ more parts? of this finding — run `apigw-doctor why 502 a1b2c3d4e5 prod --region us-east-1` for all$/);
    expect(all(message)).toContain('*Evidence* · 80 items');
  });

  it('escapes evidence and masks secrets', () => {
    const text = all(explainMessage(withHostileEvidence(orders), orders.investigation, 1));
    expect(text).toContain('Malformed Lambda proxy response &lt;&amp;&gt;');
    expect(text).not.toContain('<@U123');
    expect(text).not.toContain('sk_live_abcdefghijklmnop');
  });
});

describe('fixesMessage (follow-up "fixes")', () => {
  it('only the commands, one code block per finding, each after a "# N. finding: fix" line and before its verify command', () => {
    const message = fixesMessage(invoices.diagnosis, invoices.investigation);
    expectWithinLimits(message);
    const withFixes = invoices.diagnosis.findings.filter((f) => f.fixes.length > 0);
    expect(message.blocks).toHaveLength(1 + withFixes.length);
    // Nothing but a one-line header outside the code blocks.
    const [head, ...rest] = texts(message).map((t) => t.text);
    expect(head?.split('\n')).toHaveLength(1);
    for (const t of rest) expect(t).toMatch(/^```\n[\s\S]*\n```$/);
    const code = codeBlocks(all(message)).map(decoded);
    invoices.diagnosis.findings.forEach((f, i) => {
      for (const fix of f.fixes) {
        const block = code.find((c) => c.includes(`# ${i + 1}. ${f.title}: ${fix.title}\n${fix.command}\n# then check:\n${fix.verify}`));
        expect(block).toBeDefined();
      }
    });
    expect(code[0]).toMatch(/^# 1\. API Gateway may not invoke the Lambda function: Let this API invoke invoices-handler\naws lambda add-permission /);
  });

  it('nothing to fix: says so and why', () => {
    const quiet = fixesMessage(healthy.diagnosis, healthy.investigation);
    expectWithinLimits(quiet);
    expect(all(quiet)).toMatch(/^No fix to suggest: no 5xx on stage prod in the last 1h/);
    const none = fixesMessage({ ...orders.diagnosis, verdict: 'insufficient-evidence', findings: [] }, orders.investigation);
    expect(all(none)).toMatch(/^No fix to suggest: no cause could be named/);
    const bare = fixesMessage({ ...orders.diagnosis, findings: orders.diagnosis.findings.map((f) => ({ ...f, fixes: [] })) }, orders.investigation);
    expect(all(bare)).toBe('No fix to suggest: the one finding comes with no command.');
    const bare2 = fixesMessage({ ...invoices.diagnosis, findings: invoices.diagnosis.findings.map((f) => ({ ...f, fixes: [] })) }, invoices.investigation);
    expect(all(bare2)).toBe(`No fix to suggest: none of the ${invoices.diagnosis.findings.length} findings comes with a command.`);
  });

  it('keeps to the limits with many fixes and counts the rest', () => {
    const message = fixesMessage(huge(orders, 30, 1), orders.investigation);
    expectWithinLimits(message);
    expect(texts(message).at(-1)?.text).toMatch(/^\+\d+ more fixes — run `apigw-doctor why 502 a1b2c3d4e5 prod --region us-east-1` for all$/);
    // Whole commands only: none is cut.
    for (const c of codeBlocks(all(message))) expect(c).not.toMatch(/…$/);
  });
});

describe('pastedMessage (text pasted in the thread)', () => {
  const weaker = (d: Diagnosis, factor: number): Diagnosis => ({ ...d, verdict: 'insufficient-evidence', findings: d.findings.map((f) => ({ ...f, confidence: f.confidence * factor })) });

  it('a cause newly named, with its confidence before → after and its first fix', () => {
    const before = weaker(orders.diagnosis, 0.62);
    const message = pastedMessage(before, orders.diagnosis, orders.investigation, { lines: 40, matched: 3 });
    expectWithinLimits(message);
    const text = all(message);
    expect(text).toContain('3 of the 40 pasted lines match a known error.');
    expect(text).toContain('Cause newly named: *Malformed Lambda proxy response*');
    expect(text).toContain('Malformed Lambda proxy response 62% → 100%');
    expect(text).toContain('*Now: Malformed Lambda proxy response* · 100%');
    expect(codeBlocks(text).map(decoded)).toEqual([orders.diagnosis.findings[0]?.fixes[0]?.command]);
    expect(message.text).toContain('Cause newly named: Malformed Lambda proxy response (100%)');
  });

  it('the top cause changed, and findings that are new', () => {
    const before: Diagnosis = { ...invoices.diagnosis, findings: [...invoices.diagnosis.findings].reverse().slice(0, 1) };
    const text = all(pastedMessage(before, invoices.diagnosis, invoices.investigation, { lines: 2, matched: 2 }));
    expect(text).toContain("Top cause changed: *The integration's credentials role cannot invoke the backend* → *API Gateway may not invoke the Lambda function*");
    expect(text).toMatch(/\*New finding\*\n• API Gateway may not invoke the Lambda function · 98%/);
  });

  it('nothing matched: the answer stands', () => {
    const message = pastedMessage(orders.diagnosis, orders.diagnosis, orders.investigation, { lines: 12, matched: 0 });
    expectWithinLimits(message);
    expect(all(message)).toMatch(/^\*None of the 12 pasted lines matches a known error; the answer stands\.\*/);
    expect(all(message)).not.toContain('→');
    expect(message.text).toBe('None of the 12 pasted lines matches a known error; the answer stands.');
    expect(all(message)).toContain('*Now: Malformed Lambda proxy response*');
  });

  it('matched but nothing changed: the pasted lines confirm the answer', () => {
    const text = all(pastedMessage(orders.diagnosis, orders.diagnosis, orders.investigation, { lines: 5, matched: 5 }));
    expect(text).toContain('Top cause unchanged: *Malformed Lambda proxy response*');
    expect(text).toContain('the pasted lines confirm the answer');
  });
});

describe('answerActions (the buttons under an answer)', () => {
  it('Re-run, Widen to 24h and Show evidence, each carrying the thread', () => {
    const block = answerActions(THREAD);
    expect(block.type).toBe('actions');
    expect(block.block_id).toBe(ANSWER_ACTIONS_BLOCK_ID);
    expect(ANSWER_ACTIONS_BLOCK_ID).toBe('apigw_answer_actions');
    const bs = buttons([block]);
    expect(bs.map((b) => [b.text.text, b.action_id])).toEqual([
      ['Re-run', ACTION_IDS.rerun],
      ['Widen to 24h', ACTION_IDS.widen],
      ['Show evidence', ACTION_IDS.evidence],
    ]);
    for (const b of bs) {
      expect(readThreadAction(b.value ?? '')).toEqual({ thread: THREAD });
      expect(b.accessibility_label?.length ?? 0).toBeLessThanOrEqual(75);
    }
  });
});
