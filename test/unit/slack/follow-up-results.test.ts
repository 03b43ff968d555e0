/**
 * The `request <id>` and `verify` answers as Block Kit: within Slack's limits whatever the logs hold,
 * log text masked and escaped, and the verdict said in one line with its numbers.
 */
import type { KnownBlock } from '@slack/types';
import { sandboxPorts } from '../../../src/collect/adapters/sandbox-ports';
import { sandboxWorld } from '../../../src/collect/adapters/sandbox/sandbox-world';
import type { RequestTrace, TracedLog } from '../../../src/collect/request-trace';
import { traceRequest } from '../../../src/collect/request-trace';
import type { FixMeasure } from '../../../src/collect/verify-fix';
import { measureFix } from '../../../src/collect/verify-fix';
import type { SlackMessage } from '../../../src/slack/blocks';
import { requestTraceMessage, verdictLine, verifyMessage } from '../../../src/slack/follow-up-results';
import { MAX_BLOCKS, MAX_MESSAGE_CHARS, MAX_SECTION_TEXT, messageChars } from '../../../src/slack/limits';
import { NOW, runScenario } from './sandbox-run';

function textsOf(blocks: readonly KnownBlock[]): string[] {
  return blocks.flatMap((b) => {
    if (b.type === 'section') return [b.text?.text ?? ''];
    if (b.type === 'context') return b.elements.flatMap((e) => ('text' in e && typeof e.text === 'string' ? [e.text] : []));
    return [];
  });
}

function all(message: SlackMessage): string {
  return textsOf(message.blocks).join('\n');
}

function expectWithinLimits(message: SlackMessage): void {
  expect(message.text.trim()).not.toBe('');
  expect(message.text.length).toBeLessThanOrEqual(3000);
  expect(message.blocks.length).toBeGreaterThan(0);
  expect(message.blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
  expect(messageChars(message.blocks)).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
  for (const text of textsOf(message.blocks)) {
    expect(text.length).toBeLessThanOrEqual(MAX_SECTION_TEXT);
    // Code blocks are closed: an even number of fences in every text.
    expect((text.match(/```/g) ?? []).length % 2).toBe(0);
  }
}

const TARGET = { apiId: 'a1b2c3d4e5', apiName: 'orders-api', stage: 'prod', region: 'us-east-1' };
const ID = '3f2a9c1e-5b7d-4e21-9a0c-2d9e8b7c6a51';

function log(source: TracedLog['log'], lines: { message: string; timestamp?: string }[], extra: Partial<TracedLog> = {}): TracedLog {
  const groups = { execution: 'API-Gateway-Execution-Logs_a1b2c3d4e5/prod', access: '/aws/apigateway/orders-api-access', lambda: '/aws/lambda/orders-handler' };
  const sources = { execution: 'execution-logs', access: 'access-logs', lambda: 'lambda-logs' } as const;
  return { log: source, source: sources[source], logGroups: [groups[source]], searchedFor: [ID], from: '2026-11-25T13:00:00.000Z', to: '2026-11-25T15:00:00.000Z', lines, clipped: false, partial: false, ...extra };
}

function trace(logs: TracedLog[], extra: Partial<RequestTrace> = {}): RequestTrace {
  return {
    requestId: ID,
    otherIds: [],
    target: TARGET,
    apiType: 'REST',
    window: { from: '2026-11-25T13:00:00.000Z', to: '2026-11-25T15:00:00.000Z' },
    logs,
    unread: [],
    functions: ['orders-handler'],
    found: logs.some((l) => l.lines.length > 0),
    notes: [],
    queries: logs.length,
    ...extra,
  };
}

describe('requestTraceMessage', () => {
  it('shows a sandbox request’s lines from orders-api, log by log, with how Lambda’s id was linked', async () => {
    const { investigation } = await runScenario('malformed-lambda-proxy-response');
    const requestId = investigation.evidence.logLines.find((l) => l.requestId !== undefined)?.requestId ?? '';
    const { ports } = sandboxPorts(sandboxWorld(NOW), { logs: { pollMs: 1, maxPollMs: 2 } });
    const message = requestTraceMessage(await traceRequest(ports, investigation, requestId, { now: NOW }));
    expectWithinLimits(message);
    const text = all(message);
    expect(text).toContain(`*Request \`${requestId}\` on orders-api (REST a1b2c3d4e5, stage prod, us-east-1)*`);
    expect(text).toMatch(/Found in the execution log \(17 lines\), the access log \(1 line\) and the Lambda log \(3 lines\); searched 13:00–15:00 UTC/);
    expect(text).toContain('Execution failed due to configuration error: Malformed Lambda proxy response');
    expect(text).toContain(`(${requestId}) Method completed with status: 502`);
    expect(text).toMatch(/Lambda request id `[0-9a-f-]{36}` \(from the execution log\) in orders-handler/);
    expect(text).toContain('Open in Logs Insights: <https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:logs-insights');
    // The session token API Gateway writes the start of is masked.
    expect(text).toContain('X-Amz-Security-Token=****');
    expect(text).not.toContain('IQoJb3JpZ2luX2VjEMr');
    expect(text).not.toMatch(/more lines? not shown/);
    expect(message.text).toMatch(new RegExp(`^Request ${requestId}: 17 execution log lines, 1 access log line, 3 Lambda log lines$`));
  });

  it('masks secrets and escapes what a log line holds', () => {
    const message = requestTraceMessage(
      trace([
        log('execution', [
          { timestamp: '2026-11-25T14:02:11.100Z', message: `(${ID}) Method request headers: {Authorization=Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl, x-api-key=sk_live_123456}` },
          { timestamp: '2026-11-25T14:02:11.101Z', message: `(${ID}) Endpoint response body before transformations: <@U0123> <!channel> \`\`\`done\`\`\` & <https://evil.example|click>` },
          { timestamp: '2026-11-25T14:02:11.102Z', message: `(${ID}) a stack\n  at one\n  at two` },
        ]),
      ]),
    );
    expectWithinLimits(message);
    const text = all(message);
    expect(text).not.toContain('eyJzdWIiOiIxMjMifQ');
    expect(text).not.toContain('sk_live_123456');
    expect(text).toContain('Authorization=Bearer ****');
    expect(text).not.toMatch(/<@U0123>|<!channel>|<https:\/\/evil/);
    expect(text).toContain('&lt;@U0123&gt; &lt;!channel&gt;');
    expect(text).toContain('a stack ↵   at one ↵   at two');
  });

  it('stays within Slack’s limits however many and long the lines, and counts what it leaves out', () => {
    const many = (source: TracedLog['log'], n: number): TracedLog =>
      log(
        source,
        Array.from({ length: n }, (_, i) => ({ timestamp: new Date(Date.parse('2026-11-25T14:02:11Z') + i).toISOString(), message: `(${ID}) line ${i} ${'<&>'.repeat(700)}` })),
        { clipped: true },
      );
    const message = requestTraceMessage(
      trace([many('execution', 100), many('access', 20), many('lambda', 80)], {
        unread: [{ source: 'lambda-logs', reason: 'AccessDeniedException on logs:StartQuery', fix: 'allow logs:StartQuery on arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/orders-handler:*' }],
        notes: ['execution logging is ERROR on stage prod: only requests that failed are in the execution log'],
        lambda: { linked: false, reason: 'x'.repeat(5_000) },
      }),
    );
    expectWithinLimits(message);
    const text = all(message);
    expect(text).toMatch(/\+\d{1,3}(,\d{3})? more lines not shown/);
    // Every log gets its share: none is crowded out by the one before.
    for (const title of ['*Execution log*', '*Access log*', '*Lambda log*']) expect(text).toContain(title);
    expect(text).toContain('*Could not read*');
    expect(text).toContain('Execution logging is ERROR on stage prod');
  });

  it('says when the request is in no log searched, and which were searched', () => {
    const message = requestTraceMessage(trace([log('execution', []), log('access', [])]));
    expectWithinLimits(message);
    const text = all(message);
    expect(text).toContain('*Not found in any log searched*: execution log (`API-Gateway-Execution-Logs_a1b2c3d4e5/prod`), access log (`/aws/apigateway/orders-api-access`), 13:00–15:00 UTC');
    expect(message.text).toContain('not found in any log searched');
  });

  it('says when no log could be searched at all, with the commands that turn logging on', () => {
    const fix = "aws apigateway update-stage --rest-api-id a1b2c3d4e5 --stage-name prod --region us-east-1 --patch-operations 'op=replace,path=/*/*/logging/loglevel,value=ERROR'";
    const message = requestTraceMessage(trace([], { unread: [{ source: 'execution-logs', reason: 'execution logging is OFF on stage prod', fix }] }));
    expectWithinLimits(message);
    const text = all(message);
    expect(text).toContain('*No log could be searched*');
    expect(text).toContain(`• execution logs: execution logging is OFF on stage prod\n\`\`\`\n${fix}\n\`\`\``);
  });
});

function measure(extra: Partial<FixMeasure>): FixMeasure {
  return {
    target: TARGET,
    apiType: 'REST',
    verdict: 'fixed',
    since: '2026-11-25T17:05:00.000Z',
    now: '2026-11-25T17:37:30.000Z',
    before: { from: '2026-11-25T16:33:00.000Z', to: '2026-11-25T17:05:00.000Z', count5xx: 512, count: 9800, rate: 512 / 9800 },
    after: { from: '2026-11-25T17:05:00.000Z', to: '2026-11-25T17:37:00.000Z', count5xx: 0, count: 1204, rate: 0 },
    periodS: 60,
    metrics: { errors: '5XXError', requests: 'Count' },
    notes: [],
    ...extra,
  };
}

describe('verifyMessage', () => {
  it('says the verdict in one line, then the numbers', () => {
    const message = verifyMessage(measure({}));
    expectWithinLimits(message);
    expect(message.text).toBe('Fixed: 0 5xx in 32m since 17:05 UTC (1,204 requests), against 512 of 9,800 (5.2%) in the 32m before');
    const [head, numbers, about] = textsOf(message.blocks);
    expect(head).toBe(`*${message.text}*`);
    expect(numbers).toBe('*Before* 16:33–17:05 UTC (32m): 512 5xx of 9,800 requests (5.2%)\n*Since* 17:05–17:37 UTC (32m): 0 5xx of 1,204 requests (0%)');
    expect(about).toContain('CloudWatch `AWS/ApiGateway 5XXError` and `Count`, summed per minute');
  });

  it.each([
    [{ verdict: 'better', after: { from: '2026-11-25T17:05:00.000Z', to: '2026-11-25T17:37:00.000Z', count5xx: 24, count: 1204, rate: 24 / 1204 } }, /^Better: 24 5xx of 1,204 \(2\.0%\) in 32m since 17:05 UTC, against 512 of 9,800 \(5\.2%\) in the 32m before$/],
    [{ verdict: 'not-fixed', after: { from: '2026-11-25T17:05:00.000Z', to: '2026-11-25T17:37:00.000Z', count5xx: 498, count: 9700, rate: 498 / 9700 } }, /^Not fixed: 498 5xx of 9,700 \(5\.1%\) in 32m since 17:05 UTC/],
    [{ verdict: 'no-traffic', after: { from: '2026-11-25T17:05:00.000Z', to: '2026-11-25T17:37:00.000Z', count5xx: 0, count: 0 } }, /^Cannot tell yet: no requests in 32m since 17:05 UTC/],
    [{ verdict: 'no-errors-before', before: { from: '2026-11-25T16:33:00.000Z', to: '2026-11-25T17:05:00.000Z', count5xx: 0, count: 9800, rate: 0 } }, /^No 5xx to fix: none in the 32m before 17:05 UTC \(9,800 requests\) and none since \(1,204 requests\)$/],
    [{ verdict: 'too-soon', since: '2026-11-25T17:36:50.000Z', askAgainAt: '2026-11-25T17:39:00.000Z', notes: [] }, /^Too soon to tell: 17:36 UTC was less than a minute ago.*ask again after 17:39 UTC$/],
  ] as const)('%j', (extra, line) => {
    const m = measure(extra as Partial<FixMeasure>);
    expect(verdictLine(m)).toMatch(line);
    const message = verifyMessage(m);
    expectWithinLimits(message);
    if (m.verdict === 'too-soon') expect(all(message)).not.toContain('*Before*');
  });

  it('names the minute the fix went out in, counted in neither window, and the notes', () => {
    const message = verifyMessage(measure({ since: '2026-11-25T17:05:30.000Z', after: { from: '2026-11-25T17:06:00.000Z', to: '2026-11-25T17:37:00.000Z', count5xx: 0, count: 3, rate: 0 }, notes: ['only 3 requests since the fix: too few to be sure'] }));
    const text = all(message);
    expect(text).toContain('the minute from 17:05 UTC, when the fix went out, is counted in neither window');
    expect(text).toContain('Only 3 requests since the fix: too few to be sure');
  });

  it('renders a measure from the sandbox', async () => {
    const { investigation } = await runScenario('aws-internal-failure');
    const { ports } = sandboxPorts(sandboxWorld(NOW), { logs: { pollMs: 1, maxPollMs: 2 } });
    const message = verifyMessage(await measureFix(ports, investigation, { since: new Date(NOW.getTime() - 51 * 60_000), now: NOW }));
    expectWithinLimits(message);
    expect(message.text).toBe('Fixed: 0 5xx in 51m since 14:09 UTC (20,910 requests), against 35 of 20,910 (0.2%) in the 51m before');
  });
});
