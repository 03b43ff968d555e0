/**
 * `traceRequest`: one request followed through the execution, access and Lambda logs, on the sandbox
 * (the real adapters over the sandbox's SDK clients) and on in-memory ports; a user's id reaches no
 * query unless it is an id, and the queries are bounded.
 */
import { sandboxPorts } from '../../../src/collect/adapters/sandbox-ports';
import { sandboxWorld } from '../../../src/collect/adapters/sandbox/sandbox-world';
import type { World } from '../../../src/collect/adapters/sandbox/world';
import { AwsCallError } from '../../../src/collect/call-aws';
import type { Investigation } from '../../../src/collect/investigate';
import type { AwsPorts, LogsQuery, LogsQueryResult, StageInfo } from '../../../src/collect/ports';
import { MAX_LINE_CHARS, MAX_TRACE_QUERIES, REQUEST_ID, requestIdProblem, searchWindow, traceQuery, traceRequest } from '../../../src/collect/request-trace';
import { UsageError } from '../../../src/errors';
import { NOW, runScenario } from '../slack/sandbox-run';

const HOUR = 3_600_000;
const ORDERS_R1 = '3f2a9c1e-5b7d-4e21-9a0c-2d9e8b7c6a51';
const ORDERS_R2 = '91c04d2e-7f3a-4b8c-a1d2-e3f4a5b6c7d8';

type Stored = Pick<Investigation, 'target' | 'apiType' | 'window'>;

const investigations = new Map<string, Investigation>();
/** The scenario's investigation over the hour before NOW, run once per scenario. */
async function investigationOf(scenario: string): Promise<Investigation> {
  const cached = investigations.get(scenario);
  if (cached) return cached;
  const { investigation } = await runScenario(scenario);
  investigations.set(scenario, investigation);
  return investigation;
}

function sandbox(change: (w: World) => void = () => undefined): ReturnType<typeof sandboxPorts> {
  const world = sandboxWorld(NOW);
  change(world);
  return sandboxPorts(world, { logs: { pollMs: 1, maxPollMs: 2 } });
}

function queriesOf(s: ReturnType<typeof sandboxPorts>['sandbox']): string[] {
  return s.calls.filter((c) => c.command === 'StartQueryCommand').map((c) => String(c.input.queryString));
}

// ---------------------------------------------------------------------------------------------------
// The id a user typed
// ---------------------------------------------------------------------------------------------------

describe('requestIdProblem', () => {
  it.each([ORDERS_R1, 'Abc1dEfGhIJKlmN=', ` ${ORDERS_R1} `, `\`${ORDERS_R1}\``, `"Abc1dEfGhIJKlmN="`])('takes %j', (id) => {
    expect(requestIdProblem(id)).toBeUndefined();
  });

  it.each([
    'x" | filter @message like /',
    '3f2a9c1e/.*/',
    'abc',
    'a'.repeat(65),
    '',
    '3f2a9c1e-5b7d\n| stats count(*)',
    '<@U123> hello',
  ])('refuses %j, saying what to type', (text) => {
    const problem = requestIdProblem(text);
    expect(problem).toMatch(/request id/);
    expect(problem).toContain('3f2a9c1e-5b7d-4e21-9a0c-2d9e8b7c6a51');
    expect(problem).toContain('Abc1dEfGhIJKlmN=');
  });

  it('allows only letters, digits, =, _ and -', () => {
    expect(REQUEST_ID.test('x" | filter')).toBe(false);
    expect(REQUEST_ID.test(ORDERS_R1)).toBe(true);
  });
});

/** Ports that count every call and answer none: nothing may reach them. */
function recordingPorts(): { ports: AwsPorts; calls: string[] } {
  const calls: string[] = [];
  const refuse =
    (name: string) =>
    (): Promise<never> => {
      calls.push(name);
      return Promise.reject(new Error(`${name} should not be called`));
    };
  const gateway = (family: 'v1' | 'v2'): AwsPorts['rest'] => ({
    family,
    getApi: refuse('getApi'),
    listApis: refuse('listApis'),
    getStages: refuse('getStages'),
    getRoutes: refuse('getRoutes'),
    getAuthorizers: refuse('getAuthorizers'),
    getDeployments: refuse('getDeployments'),
    getDomainMappings: refuse('getDomainMappings'),
  });
  return {
    calls,
    ports: {
      region: 'us-east-1',
      rest: gateway('v1'),
      v2: gateway('v2'),
      account: { getAccount: refuse('getAccount') },
      logs: { runQuery: refuse('runQuery') },
      metrics: { getMetricData: refuse('getMetricData') },
      lambda: { getFunction: refuse('getFunction'), getReservedConcurrency: refuse('getReservedConcurrency'), getAlias: refuse('getAlias'), getPolicy: refuse('getPolicy') },
      dns: { resolve: refuse('resolve') },
      identity: { getCallerIdentity: refuse('getCallerIdentity') },
    },
  };
}

const STORED: Stored = {
  target: { apiId: 'a1b2c3d4e5', apiName: 'orders-api', stage: 'prod', region: 'us-east-1' },
  apiType: 'REST',
  window: { from: new Date(NOW.getTime() - HOUR).toISOString(), to: NOW.toISOString() },
};

describe('a hostile request id', () => {
  it.each(['x" | filter @message like /', '.*', 'a) | stats count(*) by @log | limit 10000 (b', "'; DROP"])('is refused before any AWS call: %j', async (id) => {
    const { ports, calls } = recordingPorts();
    await expect(traceRequest(ports, STORED, id, { now: NOW })).rejects.toThrow(UsageError);
    expect(calls).toEqual([]);
  });

  it('never reaches a query string, even through the query builder', () => {
    expect(() => traceQuery(['x" | filter @message like /'], 100)).toThrow(/REQUEST_ID/);
    expect(traceQuery([ORDERS_R1, 'x" |'], 100)).not.toContain('x"');
  });

  it('refuses an investigation without a stage', async () => {
    const { ports, calls } = recordingPorts();
    await expect(traceRequest(ports, { ...STORED, target: { apiId: 'a1b2c3d4e5' } }, ORDERS_R1, { now: NOW })).rejects.toThrow(/names no API stage/);
    expect(calls).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------
// The sandbox
// ---------------------------------------------------------------------------------------------------

describe('a request of orders-api, from its findings evidence', () => {
  let investigation: Investigation;
  let requestId: string;
  beforeAll(async () => {
    investigation = await investigationOf('malformed-lambda-proxy-response');
    // The id a user copies from the thread: the findings show an example request id per evidence line.
    requestId = investigation.evidence.logLines.find((l) => l.requestId !== undefined)?.requestId ?? '';
  });

  it('is one the evidence shows', () => {
    expect([ORDERS_R1, ORDERS_R2]).toContain(requestId);
  });

  it('is followed through the execution, access and Lambda logs, each sorted by time', async () => {
    const s = sandbox();
    const trace = await traceRequest(s.ports, investigation, requestId, { now: NOW });
    expect(trace.found).toBe(true);
    expect(trace.logs.map((l) => l.log)).toEqual(['execution', 'access', 'lambda']);
    const [execution, access, lambda] = trace.logs;
    expect(execution?.logGroups).toEqual(['API-Gateway-Execution-Logs_a1b2c3d4e5/prod']);
    expect(execution?.lines.every((l) => l.message.startsWith(`(${requestId}) `))).toBe(true);
    expect(execution?.lines.map((l) => l.message)).toEqual(
      expect.arrayContaining([
        `(${requestId}) HTTP Method: GET, Resource Path: ${requestId === ORDERS_R1 ? '/orders/17' : '/orders/4411'}`,
        `(${requestId}) Execution failed due to configuration error: Malformed Lambda proxy response`,
        `(${requestId}) Method completed with status: 502`,
      ]),
    );
    expect(access?.lines).toHaveLength(1);
    expect(JSON.parse(access?.lines[0]?.message ?? '{}')).toMatchObject({ requestId, status: '502', resourcePath: '/orders/{id}' });
    // Lambda's id is not API Gateway's: the execution log's x-amzn-RequestId links them.
    expect(trace.lambda).toMatchObject({ linked: true, via: 'execution' });
    const lambdaId = trace.lambda?.linked ? trace.lambda.lambdaRequestIds[0] : undefined;
    expect(lambdaId).toMatch(/^[0-9a-f-]{36}$/);
    expect(lambdaId).not.toBe(requestId);
    expect(trace.functions).toEqual(['orders-handler']);
    expect(lambda?.logGroups).toEqual(['/aws/lambda/orders-handler']);
    expect(lambda?.lines.map((l) => l.message.split(' ')[0])).toEqual(['START', 'END', 'REPORT']);
    for (const log of trace.logs) {
      const times = log.lines.map((l) => Date.parse(l.timestamp ?? ''));
      expect(times.every((t) => Number.isFinite(t))).toBe(true);
      expect([...times].sort((a, b) => a - b)).toEqual(times);
    }
    expect(trace.unread).toEqual([]);
    expect(trace.otherIds).toEqual([expect.stringMatching(/^[A-Za-z0-9]{14}[A-Za-z0-9]=$/)]);
  });

  it('sends only the allow-listed id, escaped, in a few queries over a bounded window', async () => {
    const s = sandbox();
    const trace = await traceRequest(s.ports, investigation, requestId, { now: NOW });
    const queries = queriesOf(s.sandbox);
    expect(queries).toHaveLength(trace.queries);
    expect(trace.queries).toBeLessThanOrEqual(MAX_TRACE_QUERIES);
    for (const q of queries) {
      const filter = /^\| filter @message like \/(.*)\/$/m.exec(q)?.[1] ?? '';
      expect(filter.split('|').every((id) => REQUEST_ID.test(id))).toBe(true);
    }
    // The investigation's hour widened by an hour each side, ending at now.
    expect(trace.window).toEqual({ from: new Date(NOW.getTime() - 2 * HOUR).toISOString(), to: NOW.toISOString() });
    const starts = s.sandbox.calls.filter((c) => c.command === 'StartQueryCommand').map((c) => Number(c.input.startTime) * 1000);
    expect(Math.min(...starts)).toBeGreaterThanOrEqual(NOW.getTime() - 2 * HOUR);
  });

  it('is found by its extended id too (x-amz-apigw-id), under its request id', async () => {
    const first = await traceRequest(sandbox().ports, investigation, requestId, { now: NOW });
    const extended = first.otherIds[0] ?? '';
    const s = sandbox();
    const trace = await traceRequest(s.ports, investigation, extended, { now: NOW });
    expect(trace.otherIds).toContain(requestId);
    expect(trace.logs[0]?.lines.length).toBe(first.logs[0]?.lines.length);
    expect(trace.logs[0]?.searchedFor).toEqual([extended, requestId]);
    expect(trace.lambda).toMatchObject({ linked: true });
    expect(trace.queries).toBeLessThanOrEqual(MAX_TRACE_QUERIES);
  });

  it('reads as "not found" for an id no log has, after a bounded search', async () => {
    const s = sandbox();
    const trace = await traceRequest(s.ports, investigation, 'ffffffff-0000-4000-8000-000000000000', { now: NOW });
    expect(trace.found).toBe(false);
    expect(trace.logs.map((l) => [l.log, l.lines.length])).toEqual([
      ['execution', 0],
      ['access', 0],
      ['lambda', 0],
    ]);
    expect(trace.lambda).toMatchObject({ linked: false, reason: expect.stringMatching(/in no API Gateway log/) as unknown });
    expect(trace.queries).toBeLessThanOrEqual(MAX_TRACE_QUERIES);
  });

  it('says which logs it could not read, and what to grant', async () => {
    const s = sandbox((w) => {
      w.deny = { StartQueryCommand: 'AccessDeniedException' };
    });
    const trace = await traceRequest(s.ports, investigation, requestId, { now: NOW });
    expect(trace.found).toBe(false);
    expect(trace.unread.map((u) => u.source)).toEqual(['execution-logs', 'access-logs', 'lambda-logs']);
    for (const u of trace.unread) expect(u.fix).toMatch(/logs:StartQuery/);
  });

  it('returns what it has when the queries run out of time', async () => {
    const s = sandbox((w) => {
      w.queriesNeverFinish = true;
    });
    const started = Date.now();
    const trace = await traceRequest(s.ports, investigation, requestId, { now: NOW, timeoutMs: 2_500 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(trace.logs.some((l) => l.partial)).toBe(true);
  });
});

describe('other sandbox APIs', () => {
  it('shipping-api: the function’s own timeout line, under Lambda’s id', async () => {
    const investigation = await investigationOf('lambda-timeout');
    const requestId = investigation.evidence.logLines.find((l) => l.requestId !== undefined)?.requestId ?? '';
    const trace = await traceRequest(sandbox().ports, investigation, requestId, { now: NOW });
    const lambda = trace.logs.find((l) => l.log === 'lambda');
    expect(lambda?.lines.some((l) => l.message.includes('Task timed out after 6.01 seconds'))).toBe(true);
    expect(trace.logs[0]?.lines.at(-1)?.message).toMatch(/Method completed with status: 502$/);
  });

  it('carts-api: a throttled invoke never ran, and the trace says so', async () => {
    const investigation = await investigationOf('lambda-throttled');
    const requestId = investigation.evidence.logLines.find((l) => l.requestId !== undefined)?.requestId ?? '';
    const trace = await traceRequest(sandbox().ports, investigation, requestId, { now: NOW });
    expect(trace.lambda).toMatchObject({ linked: true });
    expect(trace.logs.find((l) => l.log === 'lambda')?.lines).toEqual([]);
    expect(trace.notes.join(' ')).toMatch(/throttled/);
  });

  it('invoices-api: API Gateway never got an answer from Lambda, so nothing links the two', async () => {
    const investigation = await investigationOf('lambda-invoke-permission');
    const requestId = investigation.evidence.logLines.find((l) => l.requestId !== undefined)?.requestId ?? '';
    const trace = await traceRequest(sandbox().ports, investigation, requestId, { now: NOW });
    expect(trace.logs[0]?.lines.some((l) => l.message.includes('Invalid permissions on Lambda function'))).toBe(true);
    expect(trace.lambda).toMatchObject({ linked: false, reason: expect.stringMatching(/no answer from Lambda/) as unknown });
  });

  it('billing-api: with no log to read, no query, and the commands that turn logging on', async () => {
    const investigation = await investigationOf('logging-off');
    const s = sandbox();
    const trace = await traceRequest(s.ports, investigation, ORDERS_R1, { now: NOW });
    expect(trace.queries).toBe(0);
    expect(queriesOf(s.sandbox)).toEqual([]);
    expect(trace.found).toBe(false);
    expect(trace.unread.map((u) => u.source)).toEqual(['execution-logs', 'access-logs']);
    expect(trace.unread[0]?.fix).toMatch(/^aws apigateway update-stage .*loglevel,value=ERROR/);
    expect(trace.unread[1]?.fix).toMatch(/aws logs create-log-group/);
  });

  it('an HTTP API: no execution log to search, and the note that says so', async () => {
    const investigation = await investigationOf('integration-timeout');
    const trace = await traceRequest(sandbox().ports, investigation, 'Abc1dEfGhIJKlmN=', { now: NOW });
    expect(trace.logs.map((l) => l.log)).toEqual(['access']);
    expect(trace.notes.join(' ')).toMatch(/HTTP APIs write no execution log/);
  });
});

// ---------------------------------------------------------------------------------------------------
// In-memory ports: linking through the access log, and the bounds
// ---------------------------------------------------------------------------------------------------

interface FakeLogs {
  ports: AwsPorts;
  queries: LogsQuery[];
}

/** Ports whose logs answer `answer(query)`; a group in `missing` does not exist. */
function fakePorts(stage: StageInfo, answer: (q: LogsQuery) => Record<string, string>[], opts: { missing?: string[]; logGroupOf?: Record<string, string> } = {}): FakeLogs {
  const { ports } = recordingPorts();
  const queries: LogsQuery[] = [];
  const stages = (): Promise<StageInfo[]> => Promise.resolve([stage]);
  return {
    queries,
    ports: {
      ...ports,
      rest: { ...ports.rest, getStages: stages },
      v2: { ...ports.v2, getStages: stages },
      logs: {
        runQuery: (q: LogsQuery): Promise<LogsQueryResult> => {
          queries.push(q);
          if (q.logGroups.some((g) => opts.missing?.includes(g))) return Promise.reject(new AwsCallError('logs', 'StartQueryCommand', 'ResourceNotFoundException', 'The specified log group does not exist.', undefined));
          return Promise.resolve({ status: 'Complete', rows: answer(q) });
        },
      },
      lambda: {
        ...ports.lambda,
        getFunction: (name: string) =>
          Promise.resolve({ functionArn: `arn:aws:lambda:us-east-1:123456789012:function:${name}`, functionName: name, timeoutMs: 3000, logGroup: opts.logGroupOf?.[name] ?? `/aws/lambda/${name}` }),
      },
    },
  };
}

const HTTP_FORMAT = JSON.stringify({ requestId: '$context.requestId', status: '$context.status', routeKey: '$context.routeKey', lambdaRequestId: '$context.integration.requestId' });

const HTTP_STAGE: StageInfo = {
  name: '$default',
  variables: {},
  methodSettings: {},
  accessLog: { destinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/http-api/pay', format: HTTP_FORMAT },
};

const HTTP_STORED: Stored = {
  target: { apiId: 'p4y8m3n7t2', apiName: 'pay-http', stage: '$default', region: 'us-east-1', functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:pay-handler:live' },
  apiType: 'HTTP',
  window: STORED.window,
};

const at = (ms: number): string => new Date(NOW.getTime() - HOUR / 2 + ms).toISOString().replace('T', ' ').replace('Z', '');

describe('an HTTP API whose access log carries $context.integration.requestId', () => {
  const apiId = 'Abc1dEfGhIJKlmN=';
  const lambdaId = '0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';

  it('links the Lambda log through the access log, in the function’s own log group', async () => {
    const fake = fakePorts(
      HTTP_STAGE,
      (q) => {
        if (q.logGroups.includes('/aws/http-api/pay') && q.queryString.includes(apiId)) {
          return [{ '@timestamp': at(300), '@message': JSON.stringify({ requestId: apiId, status: '502', routeKey: 'POST /pay', lambdaRequestId: lambdaId }) }];
        }
        if (q.logGroups.includes('/custom/pay') && q.queryString.includes(lambdaId)) {
          return [
            { '@timestamp': at(20), '@message': `START RequestId: ${lambdaId} Version: 7` },
            { '@timestamp': at(25), '@message': `${new Date(NOW.getTime() - HOUR / 2 + 25).toISOString()}\t${lambdaId}\tERROR\tInvoke Error \t{"errorType":"Error","errorMessage":"card declined"}` },
            { '@timestamp': at(250), '@message': `END RequestId: ${lambdaId}` },
            // A line of another request, which a real filter would not have returned.
            { '@timestamp': at(260), '@message': 'START RequestId: 99999999-4b5c-4d6e-8f70-8192a3b4c5d6 Version: 7' },
          ];
        }
        return [];
      },
      { logGroupOf: { 'pay-handler': '/custom/pay' } },
    );
    const trace = await traceRequest(fake.ports, HTTP_STORED, apiId, { now: NOW });
    expect(trace.lambda).toEqual({ linked: true, lambdaRequestIds: [lambdaId], via: 'access' });
    const lambda = trace.logs.find((l) => l.log === 'lambda');
    expect(lambda?.logGroups).toEqual(['/custom/pay']);
    expect(lambda?.lines.map((l) => l.message.slice(0, 5))).toEqual(['START', expect.stringMatching(/^\d{4}-/), 'END R']);
    // Around the request (a quarter of an hour each side), not the whole window.
    const lambdaQuery = fake.queries.find((q) => q.logGroups.includes('/custom/pay'));
    expect(lambdaQuery && lambdaQuery.to.getTime() - lambdaQuery.from.getTime()).toBeLessThanOrEqual(33 * 60_000);
    expect(fake.queries).toHaveLength(2);
  });

  it('without it, searches the function’s log for API Gateway’s id and says it could not link them', async () => {
    const stage = { ...HTTP_STAGE, accessLog: { destinationArn: HTTP_STAGE.accessLog?.destinationArn ?? '', format: JSON.stringify({ requestId: '$context.requestId', status: '$context.status' }) } };
    const fake = fakePorts(stage, (q) => (q.logGroups.includes('/aws/http-api/pay') ? [{ '@timestamp': at(300), '@message': JSON.stringify({ requestId: apiId, status: '502' }) }] : []));
    const trace = await traceRequest(fake.ports, HTTP_STORED, apiId, { now: NOW });
    expect(trace.lambda).toMatchObject({ linked: false, reason: expect.stringContaining('$context.integration.requestId') as unknown });
    expect(fake.queries.at(-1)?.queryString).toContain(apiId);
  });

  it('finds Lambda’s id from the function’s own line naming the request (a function that logs its event)', async () => {
    const stage = { ...HTTP_STAGE, accessLog: undefined };
    const fake = fakePorts(stage, (q) => {
      if (q.queryString.includes(apiId)) return [{ '@timestamp': at(30), '@message': `${new Date(NOW.getTime() - HOUR / 2 + 30).toISOString()}\t${lambdaId}\tINFO\tevent {"requestContext":{"requestId":"${apiId}"}}` }];
      if (q.queryString.includes(lambdaId)) return [{ '@timestamp': at(20), '@message': `START RequestId: ${lambdaId} Version: 7` }];
      return [];
    });
    const trace = await traceRequest(fake.ports, HTTP_STORED, apiId, { now: NOW });
    expect(trace.lambda).toEqual({ linked: true, lambdaRequestIds: [lambdaId], via: 'lambda' });
    expect(trace.logs.find((l) => l.log === 'lambda')?.lines).toHaveLength(2);
    expect(trace.unread.map((u) => u.reason)).toEqual([expect.stringMatching(/access logging is not configured/)]);
  });
});

describe('bounds', () => {
  const STAGE_REST: StageInfo = { name: 'prod', variables: {}, methodSettings: { '*/*': { loggingLevel: 'INFO' } } };
  const WS_STAGE: StageInfo = { name: 'production', variables: {}, methodSettings: { '*/*': { loggingLevel: 'INFO' } }, accessLog: { destinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:/ws/access', format: JSON.stringify({ requestId: '$context.requestId', extendedRequestId: '$context.extendedRequestId' }) } };
  const WS_STORED: Stored = { target: { apiId: 'w5s8c2h4t6', apiName: 'chat-ws', stage: 'production', region: 'us-east-1', functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:chat-send' }, apiType: 'WEBSOCKET', window: STORED.window };

  it(`runs at most ${MAX_TRACE_QUERIES} queries however many ids the lines name`, async () => {
    // Every answer names new request ids, API Gateway's and Lambda's: an endless chain if followed.
    let n = 0;
    const uuid = (): string => `${(++n).toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;
    const fake = fakePorts(WS_STAGE, () => [
      { '@timestamp': at(n), '@message': `(${uuid()}) Extended Request Id: ${ORDERS_R1}` },
      { '@timestamp': at(n), '@message': `(${uuid()}) Endpoint response headers: {x-amzn-RequestId=${uuid()}} ${ORDERS_R1}` },
      { '@timestamp': at(n), '@message': JSON.stringify({ requestId: uuid(), extendedRequestId: ORDERS_R1 }) },
      { '@timestamp': at(n), '@message': `START RequestId: ${uuid()} ${ORDERS_R1}` },
    ]);
    const trace = await traceRequest(fake.ports, WS_STORED, ORDERS_R1, { now: NOW });
    expect(fake.queries.length).toBeLessThanOrEqual(MAX_TRACE_QUERIES);
    expect(trace.queries).toBe(fake.queries.length);
    for (const q of fake.queries) expect(q.queryString.split('\n')[1]).toMatch(/^\| filter @message like \/[A-Za-z0-9=_|-]+\/$/);
  });

  it('tries both WebSocket execution-log groups, then says neither exists', async () => {
    const fake = fakePorts(WS_STAGE, () => [], { missing: ['/aws/apigateway/w5s8c2h4t6/production', 'API-Gateway-Execution-Logs_w5s8c2h4t6/production'] });
    const trace = await traceRequest(fake.ports, WS_STORED, ORDERS_R1, { now: NOW });
    expect(fake.queries.filter((q) => q.logGroups[0]?.includes('w5s8c2h4t6')).map((q) => q.logGroups[0])).toEqual(['/aws/apigateway/w5s8c2h4t6/production', 'API-Gateway-Execution-Logs_w5s8c2h4t6/production']);
    expect(trace.unread[0]).toMatchObject({ source: 'execution-logs', reason: expect.stringMatching(/does not exist/) as unknown });
  });

  it('keeps at most 100 execution-log lines, each clipped', async () => {
    const long = 'x'.repeat(5_000);
    const fake = fakePorts(STAGE_REST, (q) => (q.logGroups[0]?.startsWith('API-Gateway') ? Array.from({ length: 100 }, (_, i) => ({ '@timestamp': at(i), '@message': `(${ORDERS_R1}) Endpoint response body before transformations: ${long}` })) : []));
    const trace = await traceRequest(fake.ports, STORED, ORDERS_R1, { now: NOW });
    const execution = trace.logs[0];
    expect(execution?.lines).toHaveLength(100);
    expect(execution?.clipped).toBe(true);
    expect(Math.max(...(execution?.lines ?? []).map((l) => l.message.length))).toBe(MAX_LINE_CHARS);
    expect(fake.queries.every((q) => q.limit <= 100)).toBe(true);
  });

  it('searches the investigation’s window widened by an hour, never past now', () => {
    const later = new Date(NOW.getTime() + 10 * 60_000);
    expect(searchWindow(STORED.window, later)).toEqual({ from: new Date(NOW.getTime() - 2 * HOUR), to: later });
    const muchLater = new Date(NOW.getTime() + 5 * HOUR);
    expect(searchWindow(STORED.window, muchLater)).toEqual({ from: new Date(NOW.getTime() - 2 * HOUR), to: new Date(NOW.getTime() + HOUR) });
  });
});
