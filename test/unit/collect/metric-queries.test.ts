import fc from 'fast-check';
import {
  apiMetricQueries,
  choosePeriodS,
  findOnset,
  lambdaMetricQueries,
  stageErrorQueries,
  sumInRange,
  summariseApiMetrics,
  summariseLambdaMetrics,
} from '../../../src/collect/metric-queries';
import type { MetricQuery, MetricSeries } from '../../../src/collect/ports';

const t = (hhmm: string): Date => new Date(`2026-11-25T${hhmm}:00Z`);
const iso = (hhmm: string): string => t(hhmm).toISOString();

/** One-minute series from `from` for `values.length` minutes; `null` leaves the minute out (no requests). */
function minutes(from: string, values: (number | null)[]): MetricSeries {
  const start = t(from).getTime();
  const out: MetricSeries = { timestamps: [], values: [] };
  values.forEach((v, i) => {
    if (v === null) return;
    out.timestamps.push(new Date(start + i * 60_000).toISOString());
    out.values.push(v);
  });
  return out;
}

const byId = (queries: MetricQuery[]): Record<string, Omit<MetricQuery, 'id'>> =>
  Object.fromEntries(queries.map(({ id, ...rest }) => [id, rest]));

describe('choosePeriodS', () => {
  const now = t('14:30');
  it.each([
    ['30 minutes', 30 * 60, 60],
    ['one day', 86_400, 60],
    ['a day and a minute', 86_460, 120],
    ['seven days', 7 * 86_400, 420],
    ['an empty range', 0, 60],
  ])('%s (%i s) → a %i s period', (_name, rangeS, expected) => {
    expect(choosePeriodS(new Date(now.getTime() - rangeS * 1000), now, now)).toBe(expected);
  });

  it('rounds up to what CloudWatch still holds for old ranges', () => {
    const old = (days: number): Date => new Date(now.getTime() - days * 86_400_000);
    // One hour, 20 days ago: one-minute data is gone, five-minute data remains.
    expect(choosePeriodS(old(20), new Date(old(20).getTime() + 3_600_000), now)).toBe(300);
    expect(choosePeriodS(old(70), new Date(old(70).getTime() + 3_600_000), now)).toBe(3_600);
  });

  it('is always a multiple of 60, at least 60, with at most 1,440 points', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 * 86_400 }), fc.integer({ min: 0, max: 100 * 86_400 }), (rangeS, ageS) => {
        const to = new Date(now.getTime() - ageS * 1000);
        const from = new Date(to.getTime() - rangeS * 1000);
        const p = choosePeriodS(from, to, now);
        return p >= 60 && p % 60 === 0 && rangeS / p <= 1_440;
      }),
    );
  });
});

describe('apiMetricQueries', () => {
  it('REST: the API name in ApiName and the upper-case metric names', () => {
    const q = byId(apiMetricQueries({ apiType: 'REST', apiId: 'a1b2c3d4e5', apiName: 'orders-api', stage: 'prod' }, 60));
    const dims = { ApiName: 'orders-api', Stage: 'prod' };
    expect(q).toEqual({
      api5xx: { namespace: 'AWS/ApiGateway', metricName: '5XXError', dimensions: dims, stat: 'Sum', periodS: 60 },
      api4xx: { namespace: 'AWS/ApiGateway', metricName: '4XXError', dimensions: dims, stat: 'Sum', periodS: 60 },
      apiCount: { namespace: 'AWS/ApiGateway', metricName: 'Count', dimensions: dims, stat: 'Sum', periodS: 60 },
      apiLatencyP99: { namespace: 'AWS/ApiGateway', metricName: 'Latency', dimensions: dims, stat: 'p99', periodS: 60 },
      apiIntegrationLatencyP99: { namespace: 'AWS/ApiGateway', metricName: 'IntegrationLatency', dimensions: dims, stat: 'p99', periodS: 60 },
      apiIntegrationLatencyMax: { namespace: 'AWS/ApiGateway', metricName: 'IntegrationLatency', dimensions: dims, stat: 'Maximum', periodS: 60 },
    });
  });

  it('HTTP: lower-case 5xx and 4xx with ApiId', () => {
    const q = byId(apiMetricQueries({ apiType: 'HTTP', apiId: 'x9y8z7w6v5', apiName: 'orders-http', stage: '$default' }, 120));
    expect(q.api5xx).toEqual({ namespace: 'AWS/ApiGateway', metricName: '5xx', dimensions: { ApiId: 'x9y8z7w6v5', Stage: '$default' }, stat: 'Sum', periodS: 120 });
    expect(q.api4xx?.metricName).toBe('4xx');
    expect(q.apiCount?.metricName).toBe('Count');
    expect(q.apiLatencyP99?.metricName).toBe('Latency');
    expect(Object.values(q).every((x) => x.dimensions.ApiName === undefined)).toBe(true);
  });

  it('WebSocket: IntegrationError + ExecutionError instead of a 5xx metric, no Latency', () => {
    const q = byId(apiMetricQueries({ apiType: 'WEBSOCKET', apiId: 'w1s2k3t4u5', apiName: 'chat', stage: 'production' }, 60));
    expect(Object.keys(q).sort()).toEqual(
      ['api4xx', 'apiConnectCount', 'apiExecutionError', 'apiIntegrationError', 'apiIntegrationLatencyMax', 'apiIntegrationLatencyP99', 'apiMessageCount'].sort(),
    );
    expect(q.apiIntegrationError).toEqual({ namespace: 'AWS/ApiGateway', metricName: 'IntegrationError', dimensions: { ApiId: 'w1s2k3t4u5', Stage: 'production' }, stat: 'Sum', periodS: 60 });
    expect(q.apiExecutionError?.metricName).toBe('ExecutionError');
    expect(q.api4xx?.metricName).toBe('ClientError');
    expect(q.apiConnectCount?.metricName).toBe('ConnectCount');
    expect(q.apiMessageCount?.metricName).toBe('MessageCount');
  });

  it('gives ids GetMetricData accepts, unique per request', () => {
    for (const apiType of ['REST', 'HTTP', 'WEBSOCKET'] as const) {
      const ids = apiMetricQueries({ apiType, apiId: 'a1b2c3d4e5', apiName: 'n', stage: 's' }, 60).map((q) => q.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of ids) expect(id).toMatch(/^[a-z][a-zA-Z0-9_]*$/);
    }
  });
});

describe('stageErrorQueries', () => {
  it('one 5xx Sum per stage, ids stage0…', () => {
    const rest = stageErrorQueries({ apiType: 'REST', apiId: 'a1b2c3d4e5', apiName: 'orders-api' }, ['dev', 'prod'], 300);
    expect(rest).toEqual([
      { id: 'stage0', namespace: 'AWS/ApiGateway', metricName: '5XXError', dimensions: { ApiName: 'orders-api', Stage: 'dev' }, stat: 'Sum', periodS: 300 },
      { id: 'stage1', namespace: 'AWS/ApiGateway', metricName: '5XXError', dimensions: { ApiName: 'orders-api', Stage: 'prod' }, stat: 'Sum', periodS: 300 },
    ]);
    expect(stageErrorQueries({ apiType: 'HTTP', apiId: 'x9y8z7w6v5', apiName: 'h' }, ['$default'], 60)[0]).toMatchObject({ metricName: '5xx', dimensions: { ApiId: 'x9y8z7w6v5', Stage: '$default' } });
    expect(stageErrorQueries({ apiType: 'WEBSOCKET', apiId: 'w1s2k3t4u5', apiName: 'w' }, ['production'], 60)[0]).toMatchObject({ metricName: 'IntegrationError' });
  });
});

describe('lambdaMetricQueries', () => {
  it('Errors, Throttles, Duration Maximum and Invocations by FunctionName', () => {
    expect(byId(lambdaMetricQueries('orders-handler', 60, 0))).toEqual({
      fn0Errors: { namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: { FunctionName: 'orders-handler' }, stat: 'Sum', periodS: 60 },
      fn0Throttles: { namespace: 'AWS/Lambda', metricName: 'Throttles', dimensions: { FunctionName: 'orders-handler' }, stat: 'Sum', periodS: 60 },
      fn0DurationMax: { namespace: 'AWS/Lambda', metricName: 'Duration', dimensions: { FunctionName: 'orders-handler' }, stat: 'Maximum', periodS: 60 },
      fn0Invocations: { namespace: 'AWS/Lambda', metricName: 'Invocations', dimensions: { FunctionName: 'orders-handler' }, stat: 'Sum', periodS: 60 },
    });
  });

  it('reads the alias series with Resource name:qualifier, and takes the name out of an ARN', () => {
    const q = lambdaMetricQueries('arn:aws:lambda:us-east-1:123456789012:function:orders-handler', 60, 2, 'live');
    expect(q.map((x) => x.id)).toEqual(['fn2Errors', 'fn2Throttles', 'fn2DurationMax', 'fn2Invocations']);
    for (const x of q) expect(x.dimensions).toEqual({ FunctionName: 'orders-handler', Resource: 'orders-handler:live' });
  });

  it('$LATEST reads the function-wide series', () => {
    expect(lambdaMetricQueries('orders-handler', 60, 0, '$LATEST')[0]?.dimensions).toEqual({ FunctionName: 'orders-handler' });
  });
});

describe('summariseApiMetrics', () => {
  // The series start an hour before the window (for onset); only 14:00–14:30 counts.
  const from = t('14:00');
  const to = t('14:30');

  it('sums and maxima over in-window points only', () => {
    const series = new Map<string, MetricSeries>([
      ['api5xx', { timestamps: [iso('13:10'), iso('14:02'), iso('14:03'), iso('14:30'), iso('14:31')], values: [100, 12, 15, 1, 1000] }],
      ['api4xx', { timestamps: [iso('14:05')], values: [3] }],
      ['apiCount', { timestamps: [iso('13:59'), iso('14:02'), iso('14:03')], values: [900, 410, 388] }],
      ['apiLatencyP99', { timestamps: [iso('13:30'), iso('14:02'), iso('14:03')], values: [29_500, 29_010.5, 29_020] }],
      ['apiIntegrationLatencyP99', { timestamps: [iso('14:02'), iso('14:03')], values: [28_990, 29_000] }],
      ['apiIntegrationLatencyMax', { timestamps: [iso('14:02'), iso('14:03')], values: [29_001, 29_003] }],
    ]);
    expect(summariseApiMetrics(series, 'REST', from, to)).toEqual({
      count5xx: 28,
      count4xx: 3,
      count: 798,
      latencyP99Ms: 29_020,
      integrationLatencyP99Ms: 29_000,
      integrationLatencyMaxMs: 29_003,
    });
  });

  it('leaves out a fact whose series has no point in the window, but keeps a real zero', () => {
    const series = new Map<string, MetricSeries>([
      ['api5xx', { timestamps: [iso('14:10')], values: [0] }],
      ['apiCount', { timestamps: [iso('13:10')], values: [50] }],
      ['apiLatencyP99', { timestamps: [], values: [] }],
    ]);
    expect(summariseApiMetrics(series, 'HTTP', from, to)).toEqual({ count5xx: 0 });
  });

  it('WebSocket: count5xx is IntegrationError + ExecutionError, count is ConnectCount + MessageCount', () => {
    const series = new Map<string, MetricSeries>([
      ['apiIntegrationError', { timestamps: [iso('14:01'), iso('14:02')], values: [4, 6] }],
      ['apiExecutionError', { timestamps: [iso('14:02')], values: [2] }],
      ['api4xx', { timestamps: [iso('14:02')], values: [1] }],
      ['apiConnectCount', { timestamps: [iso('14:01')], values: [20] }],
      ['apiMessageCount', { timestamps: [iso('14:01'), iso('14:02')], values: [300, 280] }],
      ['apiIntegrationLatencyMax', { timestamps: [iso('14:01')], values: [29_000] }],
    ]);
    expect(summariseApiMetrics(series, 'WEBSOCKET', from, to)).toEqual({ count5xx: 12, count4xx: 1, count: 600, integrationLatencyMaxMs: 29_000 });
  });
});

describe('summariseLambdaMetrics', () => {
  it('reads the series of its index, in the window only', () => {
    const series = new Map<string, MetricSeries>([
      ['fn1Errors', { timestamps: [iso('13:00'), iso('14:02'), iso('14:03')], values: [7, 12, 15] }],
      ['fn1Throttles', { timestamps: [iso('14:02')], values: [0] }],
      ['fn1DurationMax', { timestamps: [iso('13:00'), iso('14:02')], values: [900_000, 6_001.3] }],
      ['fn0Errors', { timestamps: [iso('14:02')], values: [99] }],
    ]);
    expect(summariseLambdaMetrics(series, 1, t('14:00'), t('14:30'))).toEqual({ lambdaErrors: 27, lambdaThrottles: 0, lambdaDurationMaxMs: 6_001.3 });
    expect(summariseLambdaMetrics(series, 5, t('14:00'), t('14:30'))).toEqual({});
  });
});

describe('sumInRange', () => {
  it('includes both ends of the range and is 0 with no points', () => {
    const s = { timestamps: [iso('13:59'), iso('14:00'), iso('14:30'), iso('14:31')], values: [1, 2, 4, 8] };
    expect(sumInRange(s, t('14:00'), t('14:30'))).toBe(6);
    expect(sumInRange({ timestamps: [], values: [] }, t('14:00'), t('14:30'))).toBe(0);
  });
});

describe('findOnset', () => {
  const windowStart = t('14:00');

  it('errors from 14:02 on (with a zero minute and a minute without requests inside)', () => {
    // 13:00–14:29, one-minute periods: quiet traffic, then a deployment breaks the API at 14:02.
    const values: (number | null)[] = [...Array<number>(62).fill(0), 12, 15, 0, null, 14, ...Array<number>(23).fill(9)];
    expect(findOnset(minutes('13:00', values), windowStart)).toEqual({ onset: iso('14:02'), beforeWindow: false });
  });

  it('a blip an hour earlier, then quiet, then a sustained run: the run', () => {
    const values: (number | null)[] = [...Array<number>(5).fill(0), 3, ...Array<number>(64).fill(0), ...Array<number>(20).fill(40)];
    // The blip is at 13:05; the run starts at 14:10.
    expect(findOnset(minutes('13:00', values), windowStart)).toEqual({ onset: iso('14:10'), beforeWindow: false });
  });

  it('errors through the whole lookback: the series start, before the window', () => {
    const values = Array.from({ length: 90 }, (_, i) => 20 + (i % 7));
    expect(findOnset(minutes('13:00', values), windowStart)).toEqual({ onset: iso('13:00'), beforeWindow: true });
  });

  it('bridges two quiet periods but not three', () => {
    expect(findOnset(minutes('14:00', [5, 0, null, 5, 5]), windowStart)?.onset).toBe(iso('14:00'));
    expect(findOnset(minutes('14:00', [5, 0, 0, 0, 5, 5]), windowStart)?.onset).toBe(iso('14:04'));
  });

  it('low traffic: a sparse series with an explicit period', () => {
    // Only minutes with requests have a point; 14:02 and 14:05 are two empty minutes apart.
    const sparse = { timestamps: [iso('13:20'), iso('14:02'), iso('14:05'), iso('14:06')], values: [1, 2, 3, 1] };
    expect(findOnset(sparse, windowStart, 60)).toEqual({ onset: iso('14:02'), beforeWindow: false });
  });

  it('undefined when there are no errors', () => {
    expect(findOnset(minutes('13:00', Array<number>(90).fill(0)), windowStart)).toBeUndefined();
    expect(findOnset({ timestamps: [], values: [] }, windowStart)).toBeUndefined();
  });

  it('a single error point is its own onset', () => {
    expect(findOnset({ timestamps: [iso('14:07')], values: [1] }, windowStart)).toEqual({ onset: iso('14:07'), beforeWindow: false });
  });
});
