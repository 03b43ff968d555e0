/**
 * The 5xx digest: on the sandbox account (rows, likely causes, totals, the change against the period
 * before), its cost (600 stages in the fewest GetMetricData calls; no more log queries than asked), and
 * what it does when an account, the metrics or a log query cannot be read.
 */
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { GetMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsMetrics } from '../../../src/collect/adapters/aws/metrics';
import { sandboxWorld } from '../../../src/collect/adapters/sandbox/sandbox-world';
import type { World } from '../../../src/collect/adapters/sandbox/world';
import { SCENARIOS } from '../../../src/collect/adapters/sandbox/scenarios/index';
import { sandboxPorts } from '../../../src/collect/adapters/sandbox-ports';
import type { DigestTarget } from '../../../src/collect/digest';
import { DIGEST_TOP_CAUSES, changeOf, classify, collectDigest, digestPeriodS, digestWindow, topMessage } from '../../../src/collect/digest';
import type { DigestData, DigestRow } from '../../../src/collect/digest-data';
import type { ApiGatewayPort, ApiSummary, AwsPorts, LogsPort, StageInfo } from '../../../src/collect/ports';
import type { KnowledgeBase } from '../../../src/diagnosis/knowledge/cause';
import { loadKnowledge } from '../../../src/diagnosis/knowledge/load';
import { UsageError } from '../../../src/errors';

const NOW = new Date('2026-11-25T15:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const LAST_24H = { from: new Date(NOW.getTime() - DAY), to: NOW };

let kb: KnowledgeBase;
beforeAll(() => {
  kb = loadKnowledge([]);
});

/** The sandbox account as a digest target, and its record of the calls made. */
function sandboxTarget(changes: Partial<World> = {}, account?: string) {
  const { ports, sandbox } = sandboxPorts({ ...sandboxWorld(NOW), ...changes }, { logs: { pollMs: 1, maxPollMs: 2 } });
  const target: DigestTarget = { ports, ...(account !== undefined ? { account } : {}) };
  const count = (command: string): number => sandbox.calls.filter((c) => c.command === command).length;
  return { target, count };
}

function row(digest: DigestData, apiName: string, stage = 'prod'): DigestRow {
  const found = digest.rows.find((r) => r.apiName === apiName && r.stage === stage);
  if (!found) throw new Error(`no row for ${apiName} ${stage}`);
  return found;
}

describe('collectDigest on the sandbox, last 24h', () => {
  let digest: DigestData;
  let calls: (command: string) => number;
  beforeAll(async () => {
    const { target, count } = sandboxTarget();
    calls = count;
    digest = await collectDigest([target], LAST_24H, { knowledge: kb, now: NOW, topCauses: 40 });
  });

  it('lists every stage of the 27 APIs, worst first, with both periods and the totals', () => {
    expect(digest.apiCount).toBe(27);
    expect(digest.unreadable).toEqual([]);
    expect(digest.window).toEqual({ from: '2026-11-24T15:00:00.000Z', to: '2026-11-25T15:00:00.000Z' });
    expect(digest.before).toEqual({ from: '2026-11-23T15:00:00.000Z', to: '2026-11-24T15:00:00.000Z' });
    const counts = digest.rows.map((r) => r.count5xx);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    // Every failing scenario's stage is there with its 5xx; the healthy API and the idle dev stages have none.
    for (const s of SCENARIOS) expect(row(digest, s.apiName, s.stage).count5xx > 0).toBe(s.cause !== null);
    expect(row(digest, 'catalog-api').count5xx).toBe(0);
    expect(row(digest, 'orders-api', 'dev')).toMatchObject({ count5xx: 0, count: 0, errorRate: 0 });

    const orders = row(digest, 'orders-api');
    // 21 a minute since the onset 58 minutes ago; requests all day, the day before too.
    expect(orders).toMatchObject({ region: 'us-east-1', apiId: 'a1b2c3d4e5', apiType: 'REST', count5xx: 1218, before5xx: 0 });
    expect(orders.count).toBe(orders.beforeCount);
    expect(orders.errorRate).toBeCloseTo(1218 / orders.count, 10);
    expect(orders.change).toBeUndefined();
    expect(orders).not.toHaveProperty('account');

    const sum = (f: (r: DigestRow) => number): number => digest.rows.reduce((n, r) => n + f(r), 0);
    expect(digest.totals).toEqual({ count5xx: sum((r) => r.count5xx), count: sum((r) => r.count), before5xx: 0, apisWith5xx: 26 });
  });

  it('reads every stage in one GetMetricData call', () => {
    expect(calls('GetMetricDataCommand')).toBe(1);
  });

  it('names the likely cause of the failing stages from their logs', () => {
    const causeOf = (api: string, stage = 'prod') => row(digest, api, stage).likelyCause;
    expect(causeOf('orders-api')).toEqual({ kind: 'cause', causeId: 'malformed-lambda-proxy-response', title: 'Malformed Lambda proxy response', share: 1 });
    expect(causeOf('invoices-api')).toMatchObject({ kind: 'cause', causeId: 'lambda-invoke-permission' });
    expect(causeOf('carts-api')).toMatchObject({ kind: 'cause', causeId: 'lambda-throttled' });
    expect(causeOf('search-http', '$default')).toMatchObject({ kind: 'cause', causeId: 'backend-5xx-passthrough' });
    expect(causeOf('chat-ws', 'production')).toMatchObject({ kind: 'cause', causeId: 'lambda-function-error' });
    // No execution log and no access log: nothing to classify, and the digest says so.
    expect(causeOf('billing-api')).toEqual({ kind: 'logging-off' });
    expect(causeOf('legacy-http', '$default')).toEqual({ kind: 'logging-off' });
    // An access log without error fields: the route and status that fail.
    expect(causeOf('analytics-api')).toEqual({ kind: 'unknown', topMessage: '504 GET /reports/{id}' });
    // Stages without 5xx are never looked up.
    expect(causeOf('catalog-api')).toBeUndefined();
    expect(causeOf('orders-api', 'dev')).toBeUndefined();
  });

  it('agrees with the investigation wherever the logs alone name a cause', () => {
    // pricing-api's stage-variable cause needs the integration URI, which a digest does not read: the
    // logs alone say that API Gateway may not invoke the function.
    const needsConfig = new Set(['pricing-api']);
    const named = SCENARIOS.filter((s) => s.cause !== null && !needsConfig.has(s.apiName)).flatMap((s) => {
      const cause = row(digest, s.apiName, s.stage).likelyCause;
      return cause?.kind === 'cause' ? [{ api: s.apiName, got: cause.causeId, want: s.cause }] : [];
    });
    expect(named.length).toBeGreaterThanOrEqual(18);
    for (const n of named) expect(n.got).toBe(n.want);
    for (const r of digest.rows) if (r.likelyCause?.kind === 'cause') expect(r.likelyCause.share).toBeGreaterThan(0);
    expect(digest.rows.filter((r) => r.likelyCause?.kind === 'unreadable')).toEqual([]);
  });

  it('runs at most one log query per stage looked up', () => {
    const lookedUp = digest.rows.filter((r) => r.likelyCause !== undefined && r.likelyCause.kind !== 'logging-off').length;
    expect(calls('StartQueryCommand')).toBe(lookedUp);
  });
});

describe('collectDigest: the change against the period before', () => {
  it('compares each stage with the same length of time just before', async () => {
    // The last 30 minutes, and the 30 before them: the errors began 58 minutes ago, so both have some.
    const { target } = sandboxTarget();
    const digest = await collectDigest([target], { from: new Date(NOW.getTime() - 30 * MINUTE), to: NOW }, { knowledge: kb, now: NOW, topCauses: 0 });
    expect(digest.before).toEqual({ from: '2026-11-25T14:00:00.000Z', to: '2026-11-25T14:30:00.000Z' });
    const orders = row(digest, 'orders-api');
    expect(orders).toMatchObject({ count5xx: 21 * 30, before5xx: 21 * 28 });
    expect(orders.change).toBeCloseTo(2 / 28, 10);
    expect(orders.beforeCount).toBe(orders.count);
    expect(orders.likelyCause).toBeUndefined();
    expect(row(digest, 'catalog-api').change).toBeUndefined();
    expect(digest.totals.before5xx).toBe(digest.rows.reduce((n, r) => n + r.before5xx, 0));
    expect(digest.totals.before5xx).toBeGreaterThan(0);
  });

  it('changeOf: relative change, undefined without errors before', () => {
    expect(changeOf(300, 100)).toBe(2);
    expect(changeOf(50, 100)).toBe(-0.5);
    expect(changeOf(0, 100)).toBe(-1);
    expect(changeOf(10, 0)).toBeUndefined();
  });
});

describe('digestWindow and digestPeriodS', () => {
  it('moves the window back to whole minutes and puts the period before it', () => {
    const w = digestWindow({ from: new Date('2026-11-24T15:07:31Z'), to: new Date('2026-11-25T15:07:31Z') });
    expect(w).toEqual({ start: new Date('2026-11-23T15:07:00Z'), from: new Date('2026-11-24T15:07:00Z'), to: new Date('2026-11-25T15:07:00Z') });
    expect(() => digestWindow({ from: NOW, to: NOW })).toThrow(UsageError);
  });

  it('picks a period that splits the two periods exactly, in few points', () => {
    const at = (to: string, lengthMs: number, now = new Date(to)) => digestPeriodS(digestWindow({ from: new Date(Date.parse(to) - lengthMs), to: new Date(to) }), now);
    // On the hour: 3 h divides the day and the start (15:00), counted from the start or from the epoch.
    expect(at('2026-11-25T15:00:00Z', DAY)).toBe(3 * 3_600);
    expect(at('2026-11-25T00:00:00Z', DAY)).toBe(86_400);
    // At 15:07 nothing long divides both: the whole day, two points a query.
    expect(at('2026-11-25T15:07:00Z', DAY)).toBe(86_400);
    expect(at('2026-11-25T15:00:00Z', 7 * DAY)).toBe(3 * 3_600);
    expect(at('2026-11-25T15:07:00Z', 7 * DAY)).toBe(7 * 86_400);
    for (const [to, length] of [
      ['2026-11-25T15:00:00Z', DAY],
      ['2026-11-25T08:30:00Z', DAY],
      ['2026-11-25T15:07:00Z', 90 * MINUTE],
      ['2026-11-25T15:00:00Z', 7 * DAY],
    ] as const) {
      const p = at(to, length);
      expect((length / 1000) % p).toBe(0);
      expect((2 * length) / 1000 / p).toBeLessThanOrEqual(201);
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// 600 stages
// ---------------------------------------------------------------------------------------------------

const apiId = (prefix: string, i: number): string => `${prefix}${String(i).padStart(9, '0')}`;

function gateway(family: 'v1' | 'v2', apis: ApiSummary[], stagesOf: (apiId: string) => StageInfo[], listError?: Error): ApiGatewayPort {
  const no = (): Promise<never> => Promise.reject(new Error('not used by a digest'));
  return {
    family,
    getApi: no,
    listApis: () => (listError ? Promise.reject(listError) : Promise.resolve(apis)),
    getStages: (id) => Promise.resolve(stagesOf(id)),
    getRoutes: no,
    getAuthorizers: no,
    getDeployments: no,
    getDomainMappings: no,
  };
}

function fakePorts(parts: Pick<AwsPorts, 'rest' | 'v2' | 'metrics'> & { logs?: LogsPort }): AwsPorts {
  const no = (): Promise<never> => Promise.reject(new Error('not used by a digest'));
  return {
    region: 'eu-west-1',
    account: { getAccount: no },
    logs: parts.logs ?? { runQuery: no },
    lambda: { getFunction: no, getReservedConcurrency: no, getAlias: no, getPolicy: no },
    dns: { resolve: no },
    identity: { getCallerIdentity: no },
    ...parts,
  };
}

/** 400 REST stages (200 APIs × prod, dev) and 200 HTTP stages, execution logging on for the REST ones. */
function sixHundredStages(metrics: AwsPorts['metrics'], logs: LogsPort): AwsPorts {
  const rest = Array.from({ length: 200 }, (_, i): ApiSummary => ({ apiId: apiId('r', i), name: `rest-${i}`, apiType: 'REST' }));
  const http = Array.from({ length: 200 }, (_, i): ApiSummary => ({ apiId: apiId('h', i), name: `http-${i}`, apiType: 'HTTP' }));
  const stage = (name: string): StageInfo => ({ name, variables: {}, methodSettings: { '*/*': { loggingLevel: 'ERROR' } } });
  return fakePorts({
    rest: gateway('v1', rest, () => [stage('prod'), stage('dev')]),
    v2: gateway('v2', http, () => [stage('$default')]),
    metrics,
    logs,
  });
}

describe('collectDigest: 600 stages', () => {
  const client = new CloudWatchClient({ region: 'eu-west-1' });
  // This client only: the other tests' sandbox clients keep answering from their world.
  const cw = mockClient(client);
  afterAll(() => cw.restore());

  /** CloudWatch answering every query with a point per period: 2 errors (REST) or 1 (HTTP) a period, 100 requests. */
  function answerEveryQuery(): void {
    cw.reset();
    cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => {
      const start = input.StartTime?.getTime() ?? NaN;
      const end = input.EndTime?.getTime() ?? NaN;
      return {
        MetricDataResults: (input.MetricDataQueries ?? []).map((q) => {
          const periodMs = (q.MetricStat?.Period ?? 60) * 1000;
          const timestamps: Date[] = [];
          for (let t = start; t < end; t += periodMs) timestamps.push(new Date(t));
          const name = q.MetricStat?.Metric?.MetricName;
          const value = name === '5XXError' ? 2 : name === '5xx' ? 1 : 100;
          return { Id: q.Id, Timestamps: timestamps, Values: timestamps.map(() => value), StatusCode: 'Complete' };
        }),
      };
    });
  }

  for (const to of ['2026-11-25T15:00:00Z', '2026-11-25T15:07:00Z']) {
    it(`needs ceil(1,200 queries / 500) = 3 GetMetricData calls, none paged (window ending ${to.slice(11, 16)})`, async () => {
      answerEveryQuery();
      const queries: number[] = [];
      const logs: LogsPort = { runQuery: (q) => (queries.push(q.logGroups.length), Promise.resolve({ status: 'Complete', rows: [] })) };
      const metrics = new AwsMetrics(client, { region: 'eu-west-1', sleep: () => Promise.resolve() });
      const end = new Date(to);
      const digest = await collectDigest([{ ports: sixHundredStages(metrics, logs), account: 'prod' }], { from: new Date(end.getTime() - DAY), to: end }, { knowledge: kb, now: end });

      const calls = cw.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input);
      expect(calls).toHaveLength(Math.ceil((600 * 2) / 500));
      expect(calls.map((c) => c.MetricDataQueries?.length)).toEqual([500, 500, 200]);
      for (const c of calls) {
        expect(c.NextToken).toBeUndefined();
        expect(c.StartTime).toEqual(new Date(end.getTime() - 2 * DAY));
        expect(c.EndTime).toEqual(end);
      }

      expect(digest.rows).toHaveLength(600);
      expect(digest.apiCount).toBe(400);
      const periods = (DAY / 1000) / (calls[0]?.MetricDataQueries?.[0]?.MetricStat?.Period ?? 1);
      expect(digest.rows[0]).toMatchObject({ account: 'prod', region: 'eu-west-1', apiType: 'REST', count5xx: 2 * periods, count: 100 * periods, before5xx: 2 * periods, beforeCount: 100 * periods, change: 0 });
      expect(digest.rows[599]).toMatchObject({ apiType: 'HTTP', count5xx: periods, before5xx: periods });
      expect(digest.totals).toEqual({ count5xx: 1_000 * periods, count: 60_000 * periods, before5xx: 1_000 * periods, apisWith5xx: 400 });
      // Every stage failed, but only the default number of them had their logs read.
      expect(queries).toHaveLength(DIGEST_TOP_CAUSES);
      expect(digest.rows.filter((r) => r.likelyCause !== undefined)).toHaveLength(DIGEST_TOP_CAUSES);
      expect(digest.rows[0]?.likelyCause).toEqual({ kind: 'unknown' });
    });
  }
});

// ---------------------------------------------------------------------------------------------------
// What cannot be read
// ---------------------------------------------------------------------------------------------------

describe('collectDigest: what cannot be read', () => {
  it('an account whose APIs cannot be listed is one unreadable part naming the IAM action; the others still count', async () => {
    const good = sandboxTarget();
    const denied = sandboxTarget({ deny: { GetRestApisCommand: 'AccessDeniedException' } }, 'staging');
    const digest = await collectDigest([denied.target, good.target], LAST_24H, { knowledge: kb, now: NOW, topCauses: 1 });
    expect(digest.unreadable).toHaveLength(1);
    const part = digest.unreadable[0];
    expect(part).toMatchObject({ account: 'staging', region: 'us-east-1' });
    expect(part?.reason).toMatch(/^could not read the APIs: AccessDeniedException on apigateway:GET on arn:aws:apigateway:us-east-1::\/restapis/);
    expect(part?.fix).toMatch(/^allow apigateway:GET on arn:aws:apigateway:us-east-1::\/restapis /);
    expect(digest.rows).toHaveLength(35);
    expect(digest.rows.every((r) => r.account === undefined)).toBe(true);
    expect(digest.apiCount).toBe(27);
    expect(digest.totals.apisWith5xx).toBe(26);
    expect(denied.count('GetMetricDataCommand')).toBe(0);
  });

  it('an account whose metrics cannot be read is unreadable too, naming cloudwatch:GetMetricData', async () => {
    const { target } = sandboxTarget({ deny: { GetMetricDataCommand: 'AccessDenied' } });
    const digest = await collectDigest([target], LAST_24H, { knowledge: kb, now: NOW });
    expect(digest.rows).toEqual([]);
    expect(digest.apiCount).toBe(0);
    expect(digest.unreadable).toEqual([{ region: 'us-east-1', reason: expect.stringMatching(/^could not read the API Gateway metrics: AccessDenied on cloudwatch:GetMetricData/) as unknown, fix: expect.stringMatching(/^allow cloudwatch:GetMetricData/) as unknown }]);
  });

  it('an account that cannot be used (a UsageError) is unreadable; any other error is a bug and fails the digest', async () => {
    const metrics: AwsPorts['metrics'] = { getMetricData: () => Promise.reject(new Error('not reached')) };
    const unusable = fakePorts({ rest: gateway('v1', [], () => [], new UsageError('unknown account "ops"; known accounts: prod')), v2: gateway('v2', [], () => []), metrics });
    const digest = await collectDigest([{ ports: unusable, account: 'ops' }], LAST_24H, { knowledge: kb, now: NOW });
    expect(digest.unreadable).toEqual([{ account: 'ops', region: 'eu-west-1', reason: 'unknown account "ops"; known accounts: prod', fix: expect.stringContaining('APIGW_DOCTOR_CONFIG') as unknown }]);

    const broken = fakePorts({ rest: gateway('v1', [], () => [], new TypeError('x is undefined')), v2: gateway('v2', [], () => []), metrics });
    await expect(collectDigest([{ ports: broken }], LAST_24H, { knowledge: kb, now: NOW })).rejects.toThrow(TypeError);
  });

  it('runs no more log queries than topCauses, the worst stages first', async () => {
    const { target, count } = sandboxTarget();
    const digest = await collectDigest([target], LAST_24H, { knowledge: kb, now: NOW, topCauses: 3 });
    expect(count('StartQueryCommand')).toBe(3);
    expect(digest.rows.slice(0, 3).every((r) => r.likelyCause?.kind === 'cause')).toBe(true);
    expect(digest.rows.slice(3).every((r) => r.likelyCause === undefined)).toBe(true);
  });

  it('a log query that is refused leaves the cause unreadable; the digest is still complete', async () => {
    const { target } = sandboxTarget({ deny: { StartQueryCommand: 'AccessDeniedException' } });
    const digest = await collectDigest([target], LAST_24H, { knowledge: kb, now: NOW });
    expect(digest.rows).toHaveLength(35);
    expect(digest.unreadable).toEqual([]);
    expect(digest.totals.apisWith5xx).toBe(26);
    const top = digest.rows.slice(0, DIGEST_TOP_CAUSES);
    for (const r of top) expect(r.likelyCause).toEqual({ kind: 'unreadable', reason: expect.stringMatching(/^AccessDeniedException on logs:StartQuery on arn:aws:logs:us-east-1:/) as unknown });
  });

  it('a log query that never answers is cut off at the time limit', async () => {
    const { target } = sandboxTarget({ hang: ['GetQueryResultsCommand'] });
    const started = Date.now();
    const digest = await collectDigest([target], LAST_24H, { knowledge: kb, now: NOW, topCauses: 2, logQueryTimeoutMs: 50 });
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(digest.rows.slice(0, 2).map((r) => r.likelyCause?.kind)).toEqual(['unreadable', 'unreadable']);
  });

  it('a log group that does not exist costs no query: the access log is read instead, or the row says neither exists', async () => {
    const without = async (gone: string[]): Promise<{ cause: DigestRow['likelyCause']; queries: number }> => {
      const world = sandboxWorld(NOW);
      const logGroups = Object.fromEntries(Object.entries(world.logGroups).filter(([g]) => !gone.includes(g)));
      const { target, count } = sandboxTarget({ logGroups });
      const digest = await collectDigest([target], LAST_24H, { knowledge: kb, now: NOW, topCauses: 40 });
      return { cause: row(digest, 'orders-api').likelyCause, queries: count('StartQueryCommand') };
    };
    const execution = 'API-Gateway-Execution-Logs_a1b2c3d4e5/prod';
    const access = '/aws/apigateway/orders-api-access';
    const withAccess = await without([execution]);
    // The access log says only that the requests failed: no cause, but what the clients got.
    expect(withAccess.cause).toEqual({ kind: 'unknown', topMessage: '502 Internal server error · DEFAULT_5XX' });
    const neither = await without([execution, access]);
    expect(neither.cause).toEqual({ kind: 'unreadable', reason: expect.stringMatching(new RegExp(`^log group ${execution} / ${access} does not exist`)) as unknown });
    // Two StartQuery calls for orders-api either way: one refused (nothing scanned), then at most one that runs.
    expect(neither.queries).toBe(withAccess.queries);
  });
});

describe('classify and topMessage', () => {
  const target = { apiId: 'a1b2c3d4e5', apiName: 'orders-api', stage: 'prod', region: 'us-east-1', count5xx: 100 };

  it('takes the root cause the lines point at, with the share of the failing requests they stand for', () => {
    const cause = classify(
      [
        { message: 'Method completed with status: 502', source: 'execution', count: 100 },
        { message: 'Execution failed due to configuration error: Malformed Lambda proxy response', source: 'execution', count: 75 },
      ],
      'REST',
      target,
      kb,
    );
    expect(cause).toEqual({ kind: 'cause', causeId: 'malformed-lambda-proxy-response', title: 'Malformed Lambda proxy response', share: 0.75 });
  });

  it('without a known cause, the most frequent message that says something', () => {
    const lines = [
      { message: '(3f2a9c1e-5b7d-4e21-9a0c-2d9e8b7c6a51) Method completed with status: 500', source: 'execution' as const, count: 40 },
      { message: '(3f2a9c1e-5b7d-4e21-9a0c-2d9e8b7c6a51) Something nobody has seen before', source: 'execution' as const, count: 30 },
      { message: 'Something rarer', source: 'execution' as const, count: 2 },
    ];
    expect(classify(lines, 'REST', target, kb)).toEqual({ kind: 'unknown', topMessage: 'Something nobody has seen before' });
    expect(classify([], 'REST', target, kb)).toEqual({ kind: 'unknown' });
    expect(topMessage([{ message: 'x'.repeat(500), count: 1 }])).toHaveLength(160);
    expect(topMessage([{ message: '{"status":"502","integrationErrorMessage":"connect ETIMEDOUT","errorMessage":"Internal server error"}', source: 'access', count: 3 }])).toBe('502 connect ETIMEDOUT · Internal server error');
    expect(topMessage([{ message: 'Method completed with status: 502', source: 'execution', count: 3 }])).toBeUndefined();
  });
});
