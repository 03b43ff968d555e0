/**
 * list-apis over in-memory ports: the metric names and dimensions per API type, one batched request
 * for every stage, the ranking, and what happens when part or all of AWS cannot be read.
 */
import { AwsCallError } from '../../../src/collect/call-aws';
import { listApiErrors, rankStages, stageCountQueries } from '../../../src/collect/list-apis';
import type { ApiStageErrors } from '../../../src/collect/list-apis';
import type { ApiGatewayPort, ApiSummary, AwsPorts, MetricQuery, MetricSeries, StageInfo } from '../../../src/collect/ports';
import { AwsUnavailableError } from '../../../src/errors';

const FROM = new Date('2026-11-24T15:00:00Z');
const TO = new Date('2026-11-25T15:00:00Z');

const REST: ApiSummary = { apiId: 'a1b2c3d4e5', name: 'orders-api', apiType: 'REST' };
const HTTP: ApiSummary = { apiId: 'p4y5m6n7t8', name: 'payments-http', apiType: 'HTTP' };
const WS: ApiSummary = { apiId: 'w5s6c7h8t9', name: 'chat-ws', apiType: 'WEBSOCKET' };

const stage = (name: string): StageInfo => ({ name, variables: {}, methodSettings: {} });

function gateway(family: 'v1' | 'v2', apis: ApiSummary[], stages: Record<string, string[] | Error>, listError?: Error): ApiGatewayPort {
  const no = (): Promise<never> => Promise.reject(new Error('not used'));
  return {
    family,
    getApi: no,
    listApis: () => (listError ? Promise.reject(listError) : Promise.resolve(apis)),
    getStages: (apiId) => {
      const s = stages[apiId];
      return s instanceof Error ? Promise.reject(s) : Promise.resolve((s ?? []).map(stage));
    },
    getRoutes: no,
    getAuthorizers: no,
    getDeployments: no,
    getDomainMappings: no,
  };
}

/** Metrics whose every series is one point at the window's start, its value chosen by metric and dimensions. */
function metrics(values: (q: MetricQuery) => number | undefined, calls: MetricQuery[][], error?: Error): AwsPorts['metrics'] {
  return {
    getMetricData: (queries) => {
      calls.push(queries);
      if (error) return Promise.reject(error);
      const out = new Map<string, MetricSeries>();
      for (const q of queries) {
        const v = values(q);
        out.set(q.id, v === undefined ? { timestamps: [], values: [] } : { timestamps: [FROM.toISOString()], values: [v] });
      }
      return Promise.resolve(out);
    },
  };
}

function ports(opts: { rest?: ApiGatewayPort; v2?: ApiGatewayPort; values?: (q: MetricQuery) => number | undefined; calls?: MetricQuery[][]; metricsError?: Error } = {}) {
  return {
    region: 'us-east-1',
    rest: opts.rest ?? gateway('v1', [REST], { a1b2c3d4e5: ['prod', 'dev'] }),
    v2: opts.v2 ?? gateway('v2', [HTTP, WS], { p4y5m6n7t8: ['$default'], w5s6c7h8t9: ['production'] }),
    metrics: metrics(opts.values ?? (() => 0), opts.calls ?? [], opts.metricsError),
  };
}

describe('stageCountQueries', () => {
  test('per API type: the investigation’s metric names and dimensions, Sums, ids unique and valid for GetMetricData', () => {
    const queries = stageCountQueries(
      [
        { api: REST, stage: 'prod' },
        { api: HTTP, stage: '$default' },
        { api: WS, stage: 'production' },
      ],
      60,
    );
    const shape = queries.map((q) => [q.id, q.metricName, q.dimensions, q.stat, q.namespace, q.periodS]);
    expect(shape).toEqual([
      ['s0api5xx', '5XXError', { ApiName: 'orders-api', Stage: 'prod' }, 'Sum', 'AWS/ApiGateway', 60],
      ['s0apiCount', 'Count', { ApiName: 'orders-api', Stage: 'prod' }, 'Sum', 'AWS/ApiGateway', 60],
      ['s1api5xx', '5xx', { ApiId: 'p4y5m6n7t8', Stage: '$default' }, 'Sum', 'AWS/ApiGateway', 60],
      ['s1apiCount', 'Count', { ApiId: 'p4y5m6n7t8', Stage: '$default' }, 'Sum', 'AWS/ApiGateway', 60],
      ['s2apiIntegrationError', 'IntegrationError', { ApiId: 'w5s6c7h8t9', Stage: 'production' }, 'Sum', 'AWS/ApiGateway', 60],
      ['s2apiExecutionError', 'ExecutionError', { ApiId: 'w5s6c7h8t9', Stage: 'production' }, 'Sum', 'AWS/ApiGateway', 60],
      ['s2apiConnectCount', 'ConnectCount', { ApiId: 'w5s6c7h8t9', Stage: 'production' }, 'Sum', 'AWS/ApiGateway', 60],
      ['s2apiMessageCount', 'MessageCount', { ApiId: 'w5s6c7h8t9', Stage: 'production' }, 'Sum', 'AWS/ApiGateway', 60],
    ]);
    for (const q of queries) expect(q.id).toMatch(/^[a-z][a-zA-Z0-9_]*$/);
  });
});

describe('listApiErrors', () => {
  const values = (q: MetricQuery): number | undefined => {
    const who = q.dimensions.ApiName ?? q.dimensions.ApiId;
    const table: Record<string, Record<string, number>> = {
      'orders-api/prod': { '5XXError': 1204, Count: 48210 },
      'orders-api/dev': { '5XXError': 0, Count: 12 },
      'p4y5m6n7t8/$default': { '5xx': 96, Count: 120 },
      'w5s6c7h8t9/production': { IntegrationError: 1000, ExecutionError: 204, MessageCount: 9000, ConnectCount: 1000 },
    };
    return table[`${who ?? ''}/${q.dimensions.Stage ?? ''}`]?.[q.metricName];
  };

  test('every stage of both families in one batched request, ranked by 5xx, then error rate', async () => {
    const calls: MetricQuery[][] = [];
    const list = await listApiErrors(ports({ values, calls }), { from: FROM, to: TO });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toHaveLength(10);
    expect(list.apiCount).toBe(3);
    expect(list.skipped).toEqual([]);
    expect(list.stages).toEqual<ApiStageErrors[]>([
      // 1,204 each: the WebSocket API fails 12% of its traffic, orders-api 2.5%.
      { apiId: 'w5s6c7h8t9', apiName: 'chat-ws', apiType: 'WEBSOCKET', stage: 'production', region: 'us-east-1', count5xx: 1204, count: 10000, errorRate: 0.1204 },
      { apiId: 'a1b2c3d4e5', apiName: 'orders-api', apiType: 'REST', stage: 'prod', region: 'us-east-1', count5xx: 1204, count: 48210, errorRate: 1204 / 48210 },
      { apiId: 'p4y5m6n7t8', apiName: 'payments-http', apiType: 'HTTP', stage: '$default', region: 'us-east-1', count5xx: 96, count: 120, errorRate: 0.8 },
      { apiId: 'a1b2c3d4e5', apiName: 'orders-api', apiType: 'REST', stage: 'dev', region: 'us-east-1', count5xx: 0, count: 12, errorRate: 0 },
    ]);
  });

  test('no datapoints is no errors and no requests, not a failure', async () => {
    const list = await listApiErrors(ports({ values: () => undefined }), { from: FROM, to: TO });
    expect(list.stages.map((s) => [s.count5xx, s.count, s.errorRate])).toEqual([
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ]);
  });

  test('an API whose stages cannot be read is left out and named in skipped', async () => {
    const denied = new AwsCallError('apigatewayv2', 'GetStagesCommand', 'AccessDeniedException', 'not authorized', undefined, { ApiId: 'w5s6c7h8t9' });
    const list = await listApiErrors(ports({ values, v2: gateway('v2', [HTTP, WS], { p4y5m6n7t8: ['$default'], w5s6c7h8t9: denied }) }), { from: FROM, to: TO });
    expect(list.stages.map((s) => s.apiName)).toEqual(['orders-api', 'payments-http', 'orders-api']);
    expect(list.skipped).toHaveLength(1);
    expect(list.skipped[0]?.source).toBe('config of chat-ws (w5s6c7h8t9)');
    expect(list.skipped[0]?.reason).toContain('AccessDeniedException');
  });

  test('APIs that cannot be listed, or metrics that cannot be read, leave no answer', async () => {
    const noCredentials = new AwsCallError('apigateway', 'GetRestApisCommand', 'CredentialsProviderError', 'Could not load credentials from any providers', undefined);
    await expect(listApiErrors(ports({ rest: gateway('v1', [], {}, noCredentials) }), { from: FROM, to: TO })).rejects.toThrow(AwsUnavailableError);
    const denied = new AwsCallError('cloudwatch', 'GetMetricDataCommand', 'AccessDenied', 'not authorized', undefined);
    await expect(listApiErrors(ports({ metricsError: denied }), { from: FROM, to: TO })).rejects.toThrow(/^could not read the API Gateway metrics: AccessDenied on cloudwatch:GetMetricData/);
  });

  test('no APIs at all: an empty list, and no metrics call', async () => {
    const calls: MetricQuery[][] = [];
    const list = await listApiErrors(ports({ calls, rest: gateway('v1', [], {}), v2: gateway('v2', [], {}) }), { from: FROM, to: TO });
    expect(list).toEqual({ stages: [], skipped: [], apiCount: 0 });
    expect(calls).toEqual([]);
  });
});

test('rankStages: most 5xx, then error rate, then name and stage', () => {
  const row = (apiName: string, stage: string, count5xx: number, errorRate: number): ApiStageErrors => ({ apiId: 'x', apiName, apiType: 'REST', stage, region: 'r', count5xx, count: 0, errorRate });
  const ranked = rankStages([row('b', 'prod', 5, 0.1), row('a', 'prod', 5, 0.1), row('c', 'prod', 9, 0.01), row('d', 'prod', 5, 0.5), row('a', 'dev', 5, 0.1)]);
  expect(ranked.map((r) => `${r.apiName} ${r.stage}`)).toEqual(['c prod', 'd prod', 'a dev', 'a prod', 'b prod']);
});
