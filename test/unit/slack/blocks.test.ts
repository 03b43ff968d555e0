import fc from 'fast-check';
import type { Investigation } from '../../../src/collect/investigate';
import { SOURCES } from '../../../src/collect/investigate';
import type { Diagnosis, Finding } from '../../../src/diagnosis/engine';
import type { SlackMessage } from '../../../src/slack/blocks';
import { REQUESTS, helpMessage as helpFrom } from '../../../src/requests';
import { cliWhy, failureMessage, findingsMessage, progressMessage, verdictMessage } from '../../../src/slack/blocks';
import { MAX_BLOCKS, MAX_CONTEXT_ELEMENTS, MAX_HEADER_TEXT, MAX_MESSAGE_CHARS, MAX_SECTION_TEXT, messageChars } from '../../../src/slack/limits';
import type { SandboxRun } from './sandbox-run';
import { runScenario } from './sandbox-run';
import { texts } from '../../helpers/block-kit';

const helpMessage = (topic?: string): SlackMessage => helpFrom(REQUESTS, topic);

function all(message: SlackMessage): string {
  return texts(message)
    .map((t) => t.text)
    .join('\n');
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Slack's limits (platform-facts §5) and what escaping guarantees. */
function expectWithinLimits(message: SlackMessage): void {
  expect(message.text.trim().length).toBeGreaterThan(0);
  expect(message.text.length).toBeLessThanOrEqual(3000);
  expect(message.blocks.length).toBeGreaterThan(0);
  expect(message.blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
  expect(messageChars(message.blocks)).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
  for (const b of message.blocks) {
    if (b.type === 'context') {
      expect(b.elements.length).toBeGreaterThan(0);
      expect(b.elements.length).toBeLessThanOrEqual(MAX_CONTEXT_ELEMENTS);
    }
    if (b.type === 'section') expect(b.text).toBeDefined();
  }
  for (const { kind, text } of texts(message)) {
    expect(text.length).toBeGreaterThan(0);
    expect(text.length).toBeLessThanOrEqual(kind === 'header' ? MAX_HEADER_TEXT : MAX_SECTION_TEXT);
    if (kind === 'header') continue;
    // Every code block is closed, and the only markup is the builders' own: links and channel references.
    expect((text.match(/```/g) ?? []).length % 2).toBe(0);
    for (const m of text.matchAll(/</g)) expect(text.slice(m.index, m.index + 9)).toMatch(/^<(?:https:\/\/|#[CG])/);
  }
  for (const t of [message.text, ...texts(message).map((x) => x.text)]) expect(t).not.toMatch(LONE_SURROGATE);
  const json = JSON.stringify(message);
  expect((JSON.parse(json) as SlackMessage).blocks).toHaveLength(message.blocks.length);
}

/** The code blocks of a text, without their fences. */
function codeBlocks(text: string): string[] {
  return [...text.matchAll(/```\n([\s\S]*?)\n```/g)].map((m) => m[1] ?? '');
}

let orders: SandboxRun;
let invoices: SandboxRun;
let loggingOff: SandboxRun;
let httpNoLogging: SandboxRun;
let healthy: SandboxRun;

beforeAll(async () => {
  [orders, invoices, loggingOff, httpNoLogging, healthy] = await Promise.all([
    runScenario('malformed-lambda-proxy-response'),
    runScenario('lambda-invoke-permission'),
    runScenario('logging-off'),
    runScenario('http-api-no-logging'),
    runScenario('healthy'),
  ]);
});

describe('findingsMessage (the threaded reply)', () => {
  it('shows the orders-api cause, its evidence with counts and a request id, the fix as code, and the links', () => {
    const message = findingsMessage(orders.diagnosis, orders.investigation, 502);
    expectWithinLimits(message);
    expect(message.text).toBe(
      '502s on orders-api (REST a1b2c3d4e5, stage prod, us-east-1), last 1h: 1,218 of 48,180 requests (2.5%), since 14:02 UTC — likely cause: Malformed Lambda proxy response (100%)',
    );
    const text = all(message);
    expect(text).toContain('*1. Malformed Lambda proxy response* · 100%');
    expect(text).toContain('• 1,198× `Execution failed due to configuration error: Malformed Lambda proxy response` (e.g. req `3f2a9c1e-5b7d-4e21-9a0c-2d9e8b7c6a51`)');
    expect(text).toContain('`Endpoint response body before transformations: {"statusCode":200,"body":{"id":1,"status":"shipped"}}`');
    // The explanation is escaped: "<number>" shows as written.
    expect(text).toContain('{"statusCode": 200, "headers": {…}, "body": "…"');
    const [fix] = codeBlocks(text);
    expect(fix?.split('\n')).toEqual([
      `aws lambda invoke --function-name arn:aws:lambda:us-east-1:123456789012:function:orders-handler --region us-east-1 --cli-binary-format raw-in-base64-out --payload '{"httpMethod":"GET","path":"/orders/{id}","headers":{},"body":null}' /dev/stdout`,
      '# then check:',
      `aws apigateway test-invoke-method --rest-api-id a1b2c3d4e5 --resource-id x1y2z3 --http-method GET --path-with-query-string '/orders/{id}' --region us-east-1`,
    ]);
    expect(text).toContain('• In the handler, return {statusCode: 200');
    expect(text).toContain('<https://repost.aws/knowledge-center/malformed-502-api-gateway|How do I resolve "malformed Lambda proxy response" errors with 502 status codes?>');
    expect(text).toContain('Errors began 14:02 UTC, 2 minutes after deployment dep7x1 (live on stage prod) "orders: return typed body"');
    expect(text).toContain('Failing routes: GET /orders/{id} 1,198× 502');
    expect(text).toContain(
      '<https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:logs-insights$3FqueryDetail$3D~(end~\'2026-11-25T15*3a00*3a00.000Z~start~\'2026-11-25T14*3a00*3a00.000Z~timeType~\'ABSOLUTE~tz~\'UTC~editorString~',
    );
    expect(text).toContain("~source~(~'API-Gateway-Execution-Logs_a1b2c3d4e5*2fprod~'*2faws*2flambda*2forders-handler))|Logs Insights: execution logs, 14:00–15:00 UTC>");
    expect(text).toContain('<https://us-east-1.console.aws.amazon.com/apigateway/main/apis/a1b2c3d4e5/stages?api=a1b2c3d4e5&amp;region=us-east-1|stage prod>');
    expect(text).toContain('<https://us-east-1.console.aws.amazon.com/lambda/home?region=us-east-1#/functions/orders-handler|Lambda orders-handler>');
    expect(text).toContain('Checked: config ✓ · execution logs ✓ · access logs ✓ · Lambda logs ✓ · metrics ✓ · Lambda policy ✓ · changes ✓');
    expect(text).not.toContain('more finding');
  });

  it('lists every finding of invoices-api with an aws fix in a code block, and what would sharpen the answer', () => {
    const message = findingsMessage(invoices.diagnosis, invoices.investigation, 500);
    expectWithinLimits(message);
    const text = all(message);
    expect(text).toContain('*1. API Gateway may not invoke the Lambda function* · 98%');
    expect(text).toContain('*2. The integration');
    expect(codeBlocks(text).some((c) => c.startsWith('aws lambda add-permission --function-name arn:aws:lambda:us-east-1:123456789012:function:invoices-handler'))).toBe(true);
    // A placeholder the evidence could not fill stays visible, escaped.
    expect(text).toContain("'&lt;integrationCredentialsRole&gt;'");
    expect(text).toContain('*What would sharpen the answer*');
    expect(text).toMatch(/Lambda policy ✗ GET \/invoices\/\{id\} → invoices-handler: not allowed/);
  });

  it('says what to turn on when the logs are off, with the check command', () => {
    const message = findingsMessage(loggingOff.diagnosis, loggingOff.investigation, '5xx');
    expectWithinLimits(message);
    const text = all(message);
    expect(message.text).toContain('5xx errors on billing-api');
    expect(message.text).toContain('no cause named with confidence');
    // A REST stage with both logs off gets a telemetry finding whose fix turns both on, not an empty answer.
    expect(text).toContain('*1. Stage has neither execution nor access logging* · 95% _(telemetry)_');
    expect(codeBlocks(text)[0]).toContain("aws apigateway update-stage --rest-api-id b1l2l3n4g5 --stage-name prod --region us-east-1 --patch-operations '[{\"op\":\"replace\",\"path\":\"/*/*/logging/loglevel\",\"value\":\"ERROR\"}");
    expect(text).toContain('execution logs ✗ execution logging is OFF on stage prod (see `/apigw check billing-api prod`)');
    // No execution logs were read: no Logs Insights link, but the stage.
    expect(text).not.toContain('logs-insights');
    expect(text).toContain('|stage prod>');
  });

  it('names a telemetry finding as such, and links an HTTP API to its detail page', () => {
    const message = findingsMessage(httpNoLogging.diagnosis, httpNoLogging.investigation, '5xx');
    expectWithinLimits(message);
    const text = all(message);
    expect(text).toContain('*1. HTTP API has no access logging* · 95% _(telemetry)_');
    expect(text).toContain("aws apigatewayv2 update-stage --api-id l3g4c5y6h7 --stage-name '$default'");
    expect(text).toContain('<https://us-east-1.console.aws.amazon.com/apigateway/main/api-detail?api=l3g4c5y6h7&amp;region=us-east-1|stage $default>');
  });

  it('says plainly when there is nothing to diagnose', () => {
    const message = findingsMessage(healthy.diagnosis, healthy.investigation, '5xx');
    expectWithinLimits(message);
    expect(message.text).toContain('nothing to diagnose');
    expect(all(message)).toContain('No 5xx on stage prod in the last 1h (70,800 requests, none failed). Nothing to diagnose; widen the window or name another stage, e.g. `/apigw why 5xx catalog-api prod 24h`');
  });

  it('notes when the evidence shows another status than asked', () => {
    const text = all(findingsMessage(orders.diagnosis, orders.investigation, 500));
    expect(text).toContain('You asked about 500s, but the evidence shows 502s: the findings below explain those.');
  });

  it('counts what it leaves out and gives the CLI command that prints everything', () => {
    const message = findingsMessage(invoices.diagnosis, invoices.investigation, 500, { maxFindings: 1 });
    expectWithinLimits(message);
    const last = message.blocks[message.blocks.length - 1];
    expect(last?.type).toBe('context');
    const more = invoices.diagnosis.findings.length - 1;
    expect(all(message)).toContain(`+${more} more finding${more === 1 ? '' : 's'} — run \`apigw-doctor why 500 i7n4v5c2e9 prod --region us-east-1\` for all`);
  });

  it('explains each source that could not be read, with its fix', () => {
    const diagnosis: Diagnosis = {
      ...orders.diagnosis,
      skipped: [{ source: 'execution-logs', reason: 'AccessDenied on logs:StartQuery for API-Gateway-Execution-Logs_a1b2c3d4e5/prod', fix: 'add logs:StartQuery and logs:GetQueryResults to the role' }],
    };
    const investigation: Investigation = {
      ...orders.investigation,
      checked: orders.investigation.checked.map((c) => (c.source === 'execution-logs' ? { ...c, ok: false, detail: 'AccessDenied on logs:StartQuery' } : c)),
    };
    const text = all(findingsMessage(diagnosis, investigation, 502));
    expect(text).toContain('execution logs ✗ could not read (below)');
    expect(text).toContain('*Could not read*\n• execution logs: AccessDenied on logs:StartQuery for API-Gateway-Execution-Logs_a1b2c3d4e5/prod — fix: add logs:StartQuery and logs:GetQueryResults to the role');
    // Execution logs not read: Logs Insights opens the function's logs only.
    expect(text).toContain("~source~(~'*2faws*2flambda*2forders-handler))|Logs Insights: Lambda logs");
  });

  it('never lets a log line close a code fence, ping a channel or format itself', () => {
    const finding = orders.diagnosis.findings[0]!;
    const hostile: Finding = {
      ...finding,
      title: 'Title *bold* <!here>',
      evidence: [{ message: 'boom ``` <!channel> & <@U123> `x` *y*', count: 3, requestIds: ['abc12345-req'], source: 'execution' }],
      fixes: [{ ...finding.fixes[0]!, command: "aws x --payload '```\n<!channel>'", verify: 'aws y' }],
    };
    const message = findingsMessage({ ...orders.diagnosis, findings: [hostile] }, orders.investigation, 502);
    expectWithinLimits(message);
    const text = all(message);
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<!here>');
    expect(text).not.toContain('<@U123>');
    expect(text).toContain('3× `boom ˋˋˋ &lt;!channel&gt; &amp; &lt;@U123&gt; ˋxˋ *y*` (e.g. req `abc12345-req`)');
    expect(codeBlocks(text)[0]).toBe("aws x --payload 'ˋˋˋ\n&lt;!channel&gt;'\n# then check:\naws y");
  });

  it('masks secrets that reach it in log excerpts', () => {
    const finding = { ...orders.diagnosis.findings[0]!, evidence: [{ message: 'Method request headers: {Authorization=Bearer abc.def.ghi, x-api-key=SECRETKEY123}', count: 1, requestIds: [], source: 'execution' as const }] };
    const text = all(findingsMessage({ ...orders.diagnosis, findings: [finding] }, orders.investigation, 502));
    expect(text).not.toContain('SECRETKEY123');
    expect(text).not.toContain('abc.def.ghi');
  });
});

describe('verdictMessage (the root message, when done)', () => {
  it('gives the headline, the cause in one line and what was checked', () => {
    const message = verdictMessage(orders.diagnosis, orders.investigation, 502);
    expectWithinLimits(message);
    expect(message.text).toBe(
      '502s on orders-api (REST a1b2c3d4e5, stage prod, us-east-1), last 1h: 1,218 of 48,180 requests (2.5%), since 14:02 UTC — Likely cause: Malformed Lambda proxy response · 100% — details in the thread',
    );
    expect(texts(message).map((t) => t.text)).toEqual([
      '*502s on orders-api (REST a1b2c3d4e5, stage prod, us-east-1), last 1h: 1,218 of 48,180 requests (2.5%), since 14:02 UTC*',
      'Likely cause: *Malformed Lambda proxy response* · 100% — details in the thread',
      'Checked: config ✓ · execution logs ✓ · access logs ✓ · Lambda logs ✓ · metrics ✓ · Lambda policy ✓ · changes ✓',
    ]);
  });

  it('says no cause was named with confidence, naming a telemetry gap', () => {
    expect(verdictMessage(loggingOff.diagnosis, loggingOff.investigation, '5xx').text).toContain('No cause named with confidence: Stage has neither execution nor access logging — see the thread');
    expect(verdictMessage(httpNoLogging.diagnosis, httpNoLogging.investigation, '5xx').text).toContain('No cause named with confidence: HTTP API has no access logging — see the thread');
    expect(verdictMessage(healthy.diagnosis, healthy.investigation, '5xx').text).toContain('No 5xx on stage prod in the last 1h (70,800 requests, none failed). Nothing to diagnose.');
  });

  it('says when the evidence shows another status than asked', () => {
    expect(verdictMessage(orders.diagnosis, orders.investigation, 500).text).toContain('Likely cause: Malformed Lambda proxy response · 100% (the evidence shows 502s, not 500s) — details in the thread');
  });
});

describe('progressMessage (the root message, while it runs)', () => {
  const question = { status: 502, api: 'orders-api', stage: 'prod', sinceMs: 3_600_000 } as const;

  it('names the API as typed before it resolves, every source pending', () => {
    const message = progressMessage({ question, checked: [] });
    expectWithinLimits(message);
    expect(message.text).toBe('Investigating 502s on orders-api (stage prod, last 1h)…');
    expect(texts(message)[1]?.text).toBe('config … · execution logs … · access logs … · Lambda logs … · metrics … · Lambda policy … · DNS … · changes …');
  });

  it('then the resolved target, each source ✓/✗ with a short detail as it completes', () => {
    const { target, apiType, window, checked } = orders.investigation;
    const message = progressMessage({ question, target, apiType, window, checked: checked.slice(0, 2) });
    expectWithinLimits(message);
    expect(message.text).toBe('Investigating 502s on orders-api (REST a1b2c3d4e5, stage prod, us-east-1), last 1h…');
    expect(texts(message)[1]?.text).toBe(
      'config ✓ 41 methods, 40 integrated, stage prod · execution logs ✓ 2,397 matching lines (3 distinct) in API-Gateway-Execution-Logs_a1b2c… · access logs … · Lambda logs … · metrics … · Lambda policy … · DNS … · changes …',
    );
    const failed = progressMessage({ question, target, apiType, window, checked: [{ source: 'access-logs', ok: false, detail: 'not configured on stage prod' }] });
    expect(texts(failed)[1]?.text).toContain('access logs ✗ not configured on stage prod');
  });

  it('shows nothing pending once finished', () => {
    const { target, apiType, window, checked } = orders.investigation;
    const message = progressMessage({ question, target, apiType, window, checked, finished: true });
    expect(message.text).toBe('Investigating 502s on orders-api (REST a1b2c3d4e5, stage prod, us-east-1), last 1h: every source read, diagnosing…');
    expect(texts(message)[1]?.text).not.toContain('…  ');
    expect(texts(message)[1]?.text).not.toMatch(/DNS …/);
  });

  it('escapes the API as typed', () => {
    const message = progressMessage({ question: { ...question, api: '<!channel>&`x`' }, checked: [] });
    expectWithinLimits(message);
    expect(message.text).toContain('&lt;!channel&gt;&amp;`x`');
  });
});

describe('failureMessage and helpMessage (ephemeral answers)', () => {
  it('says what was wrong and gives a command to copy', () => {
    const message = failureMessage('404 is not a 5xx status: ask about 500 to 599, or 5xx', '/apigw why 502 orders-api prod 1h');
    expectWithinLimits(message);
    expect(texts(message).map((t) => t.text)).toEqual([':warning: 404 is not a 5xx status: ask about 500 to 599, or 5xx', 'Try: `/apigw why 502 orders-api prod 1h`']);
    expect(message.text).toBe('404 is not a 5xx status: ask about 500 to 599, or 5xx Try: /apigw why 502 orders-api prod 1h');
  });

  it('keeps the caller’s own channel references, escapes the rest (a typed one too)', () => {
    const message = failureMessage("I'm not in <#C0123ABCD>: invite me with `/invite @apigw-doctor`, then ask again. <!channel> & co <#C0FAKE|general>", undefined, ['C0123ABCD']);
    expectWithinLimits(message);
    expect(texts(message)[0]?.text).toBe(":warning: I'm not in <#C0123ABCD>: invite me with `/invite @apigw-doctor`, then ask again. &lt;!channel&gt; &amp; co &lt;#C0FAKE|general&gt;");
    // A channel reference a user typed is never made live.
    expect(texts(failureMessage('"<#C0FAKE|general>" is not an API'))[0]?.text).toBe(':warning: "&lt;#C0FAKE|general&gt;" is not an API');
  });

  it('answers a queue failure and a refusal without an example', () => {
    for (const problem of ['Could not queue the investigation: the queue (Redis) is not answering. Nothing was started; try again in a minute.', 'This channel may not ask about payments-api.']) {
      const message = failureMessage(problem);
      expectWithinLimits(message);
      expect(message.blocks).toHaveLength(1);
      expect(message.text).toBe(problem);
    }
  });

  it('lists every command there is, with examples', () => {
    const message = helpMessage();
    expectWithinLimits(message);
    const text = all(message);
    for (const usage of ['/apigw why &lt;500…599|5xx&gt; &lt;api&gt; [stage] [window]', '/apigw check &lt;api&gt; [stage]', '/apigw apis [window]', '/apigw help [command]', '@apigw-doctor &lt;question&gt;']) {
      expect(text).toContain(usage);
    }
    expect(text).toContain('`@apigw-doctor why is orders-api throwing 504s since 9am?`');
    expect(text).toContain('`/apigw why 5xx a1b2c3d4e5 dev 6h`');
    expect(message.blocks[0]?.type).toBe('header');
  });

  it('gives one command’s help, or everything for an unknown topic', () => {
    expect(texts(helpMessage('check')).map((t) => t.text)[1]).toContain('*/apigw check &lt;api&gt; [stage]*');
    expect(helpMessage('check').blocks).toHaveLength(3);
    expect(all(helpMessage('frobnicate'))).toContain('No help on "frobnicate"; here is everything.');
  });
});

describe('cliWhy', () => {
  it('quotes every word for a shell', () => {
    expect(cliWhy({ target: { apiId: 'l3g4c5y6h7', stage: '$default', region: 'us-east-1' }, window: { from: '2026-11-25T09:00:00Z', to: '2026-11-25T15:00:00Z' } }, '5xx')).toBe(
      "apigw-doctor why 5xx l3g4c5y6h7 '$default' --since 6h --region us-east-1",
    );
  });
});

describe('limits hold for any diagnosis (property)', () => {
  const nasty = fc.constantFrom('`', '```', '<', '>', '&', '*', '_', '~', '|', '\n', ' ', 'a', 'Z', '😀', '\ud800', '\udc00', '<!channel>', '&amp;', 'é', '\t');
  const text = (maxLength: number): fc.Arbitrary<string> =>
    fc.oneof(fc.string({ maxLength: Math.min(maxLength, 200) }), fc.string({ unit: nasty, maxLength }), fc.string({ unit: 'grapheme', maxLength: Math.min(maxLength, 300) }), fc.constant('x'.repeat(maxLength)));
  const finding: fc.Arbitrary<Finding> = fc.record({
    causeId: fc.string({ maxLength: 40 }),
    title: text(400),
    kind: fc.constantFrom('root-cause', 'telemetry'),
    confidence: fc.double({ min: 0, max: 1, noNaN: true }),
    explanation: text(10_000),
    evidence: fc.array(
      fc.record({
        message: text(10_000),
        count: fc.nat(),
        requestIds: fc.array(fc.oneof(fc.uuid(), fc.string({ maxLength: 80 })), { maxLength: 3 }),
        source: fc.constantFrom('execution', 'access', 'lambda', 'log', 'config', 'metrics'),
      }),
      { maxLength: 8 },
    ),
    fixes: fc.array(fc.record({ title: text(300), command: text(5000), changes: text(1000), verify: text(2000), notes: fc.array(text(1000), { maxLength: 4 }) }), { maxLength: 4 }),
    docs: fc.array(fc.record({ title: text(300), url: fc.oneof(fc.webUrl({ withQueryParameters: true }), text(300)) }), { maxLength: 4 }),
  });
  const diagnosis: fc.Arbitrary<Diagnosis> = fc.record(
    {
      verdict: fc.constantFrom('diagnosed', 'insufficient-evidence'),
      statusSeen: fc.integer({ min: 500, max: 599 }),
      findings: fc.array(finding, { maxLength: 30 }),
      missing: fc.array(fc.record({ what: text(2000), how: text(5000) }), { maxLength: 8 }),
      skipped: fc.array(fc.record({ source: fc.oneof(fc.constantFrom(...SOURCES), fc.string({ maxLength: 30 })), reason: text(3000), fix: text(3000) }), { maxLength: 10 }),
    },
    { requiredKeys: ['verdict', 'findings', 'missing', 'skipped'] },
  );
  const investigationOf = (base: Investigation): fc.Arbitrary<Investigation> =>
    fc
      .record({
        apiName: fc.option(text(3000), { nil: undefined }),
        apiId: fc.option(fc.oneof(fc.constant('a1b2c3d4e5'), text(50)), { nil: undefined }),
        stage: fc.option(fc.oneof(fc.constant('prod'), text(200)), { nil: undefined }),
        region: fc.option(fc.oneof(fc.constant('eu-west-1'), text(30)), { nil: undefined }),
        functionArn: fc.option(fc.oneof(fc.constant('arn:aws:lambda:eu-west-1:123456789012:function:fn-1'), text(100)), { nil: undefined }),
        checked: fc.array(fc.record({ source: fc.constantFrom(...SOURCES), ok: fc.boolean(), detail: text(3000) }), { maxLength: 8 }),
        routes: fc.array(fc.record({ routeKey: fc.option(text(500), { nil: undefined }), status: fc.integer({ min: 500, max: 599 }), count: fc.nat() }), { maxLength: 6 }),
        summary: fc.option(text(3000), { nil: undefined }),
        count5xx: fc.option(fc.nat(), { nil: undefined }),
        hours: fc.integer({ min: 0, max: 200 }),
      })
      .map((r) => ({
        ...base,
        target: { apiName: r.apiName, apiId: r.apiId, stage: r.stage, region: r.region, functionArn: r.functionArn },
        window: { from: new Date(Date.parse(base.window.to) - (r.hours + 1) * 900_000).toISOString(), to: base.window.to },
        checked: r.checked,
        failingRoutes: r.routes.map((x) => ({ ...(x.routeKey !== undefined ? { routeKey: x.routeKey } : {}), status: x.status, count: x.count })),
        changes: { events: [], ...(r.summary !== undefined ? { summary: r.summary } : {}) },
        evidence: { ...base.evidence, metrics: { ...base.evidence.metrics, count5xx: r.count5xx } },
      }));

  it('findingsMessage and verdictMessage', () => {
    fc.assert(
      fc.property(diagnosis, investigationOf(orders.investigation), fc.constantFrom<502 | '5xx'>(502, '5xx'), fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }), (d, inv, status, maxFindings) => {
        expectWithinLimits(findingsMessage(d, inv, status, maxFindings === undefined ? {} : { maxFindings }));
        expectWithinLimits(verdictMessage(d, inv, status));
      }),
      { numRuns: 300 },
    );
  });

  it('progressMessage, failureMessage and helpMessage', () => {
    fc.assert(
      fc.property(investigationOf(orders.investigation), text(3000), text(3000), fc.boolean(), (inv, api, problem, finished) => {
        expectWithinLimits(progressMessage({ question: { status: '5xx', api, sinceMs: 3_600_000 }, checked: inv.checked, finished }));
        expectWithinLimits(progressMessage({ question: { status: 503, api, sinceMs: 3_600_000 }, target: inv.target, apiType: 'HTTP', window: inv.window, checked: inv.checked }));
        expectWithinLimits(failureMessage(problem, api));
        expectWithinLimits(helpMessage(api));
      }),
      { numRuns: 300 },
    );
  });

  it('a message of 40 full findings fills the budget and says how many more there are', () => {
    const big = orders.diagnosis.findings[0]!;
    const many: Diagnosis = { ...orders.diagnosis, findings: Array.from({ length: 40 }, (_, i) => ({ ...big, title: `${big.title} ${i}` })) };
    const message = findingsMessage(many, orders.investigation, 502, { maxFindings: 40 });
    expectWithinLimits(message);
    const last = message.blocks[message.blocks.length - 1]!;
    expect(JSON.stringify(last)).toMatch(/\+\d+ more findings(, \d+ more lines)? — run `apigw-doctor why 502 a1b2c3d4e5 prod --region us-east-1` for all/);
  });
});
