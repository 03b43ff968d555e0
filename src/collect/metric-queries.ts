/**
 * Which CloudWatch metrics an investigation reads, and how the series become metric facts. Pure: no
 * SDK here, the queries go to a {@link MetricsPort}.
 *
 * Metric names and dimensions differ per API type (platform-facts §11, §16):
 * - REST: `AWS/ApiGateway` `5XXError`, `4XXError`, `Count`, `Latency`, `IntegrationLatency`, with the API
 *   **name** in `ApiName` (two REST APIs with the same name share their metrics).
 * - HTTP: lower-case `5xx`, `4xx`, and `Count`, `Latency`, `IntegrationLatency`, with `ApiId`.
 * - WebSocket: no 5xx metric; `IntegrationError` + `ExecutionError` stand for it, `ClientError` for 4xx,
 *   `ConnectCount` + `MessageCount` for requests, and there is no `Latency`.
 */
import type { ApiType, Metrics } from '../diagnosis/evidence';
import type { MetricQuery, MetricSeries } from './ports';

const APIGW = 'AWS/ApiGateway';
const LAMBDA = 'AWS/Lambda';

/** At most this many points per series: a day at one-minute resolution. */
const MAX_POINTS = 1_440;
const DAY_S = 86_400;

/**
 * The period for a range: the smallest multiple of 60 s (at least 60 s) that keeps the range within
 * 1,440 points. CloudWatch keeps one-minute data for 15 days, five-minute data for 63 days and hourly
 * data after that, and returns nothing for a finer period than it still holds, so when `from` is older
 * than 15 (63) days before `now` the period is rounded up to a multiple of 300 (3,600) s.
 *
 * @param now default: the current time; only used for the retention rounding.
 */
export function choosePeriodS(from: Date, to: Date, now: Date = new Date()): number {
  const rangeS = Math.max(0, (to.getTime() - from.getTime()) / 1000);
  let period = Math.max(60, Math.ceil(rangeS / MAX_POINTS / 60) * 60);
  const ageS = (now.getTime() - from.getTime()) / 1000;
  const step = ageS > 63 * DAY_S ? 3_600 : ageS > 15 * DAY_S ? 300 : 60;
  period = Math.ceil(period / step) * step;
  return period;
}

/** The API and stage whose metrics to read. */
export interface ApiRef {
  apiType: ApiType;
  /** The REST or v2 API id (HTTP and WebSocket metrics are keyed by it). */
  apiId: string;
  /** The API's name (REST metrics are keyed by it, not by the id). */
  apiName: string;
  stage: string;
}

/** The ids {@link apiMetricQueries} uses, for reading the answer. */
export const API_METRIC_IDS = {
  errors5xx: 'api5xx',
  errors4xx: 'api4xx',
  count: 'apiCount',
  latencyP99: 'apiLatencyP99',
  integrationLatencyP99: 'apiIntegrationLatencyP99',
  integrationLatencyMax: 'apiIntegrationLatencyMax',
  /** WebSocket only (together they stand for 5xx). */
  integrationError: 'apiIntegrationError',
  executionError: 'apiExecutionError',
  /** WebSocket only (together they stand for the request count). */
  connectCount: 'apiConnectCount',
  messageCount: 'apiMessageCount',
} as const;

const ID = API_METRIC_IDS;

function apiDimensions(api: Omit<ApiRef, 'stage'>, stage: string): Record<string, string> {
  return api.apiType === 'REST' ? { ApiName: api.apiName, Stage: stage } : { ApiId: api.apiId, Stage: stage };
}

function apigw(id: string, metricName: string, dimensions: Record<string, string>, stat: string, periodS: number): MetricQuery {
  return { id, namespace: APIGW, metricName, dimensions, stat, periodS };
}

/**
 * The stage-level API Gateway metrics of one API stage, with fixed ids (see {@link API_METRIC_IDS}):
 * REST and HTTP `api5xx`, `api4xx`, `apiCount`, `apiLatencyP99`, `apiIntegrationLatencyP99`,
 * `apiIntegrationLatencyMax`; WebSocket `apiIntegrationError`, `apiExecutionError`, `api4xx`
 * (`ClientError`), `apiConnectCount`, `apiMessageCount`, `apiIntegrationLatencyP99`,
 * `apiIntegrationLatencyMax`. Counts are `Sum`s.
 */
export function apiMetricQueries(api: ApiRef, periodS: number): MetricQuery[] {
  const dims = apiDimensions(api, api.stage);
  const latency = [
    apigw(ID.integrationLatencyP99, 'IntegrationLatency', dims, 'p99', periodS),
    apigw(ID.integrationLatencyMax, 'IntegrationLatency', dims, 'Maximum', periodS),
  ];
  switch (api.apiType) {
    case 'REST':
    case 'HTTP': {
      const rest = api.apiType === 'REST';
      return [
        apigw(ID.errors5xx, rest ? '5XXError' : '5xx', dims, 'Sum', periodS),
        apigw(ID.errors4xx, rest ? '4XXError' : '4xx', dims, 'Sum', periodS),
        apigw(ID.count, 'Count', dims, 'Sum', periodS),
        apigw(ID.latencyP99, 'Latency', dims, 'p99', periodS),
        ...latency,
      ];
    }
    case 'WEBSOCKET':
      return [
        apigw(ID.integrationError, 'IntegrationError', dims, 'Sum', periodS),
        apigw(ID.executionError, 'ExecutionError', dims, 'Sum', periodS),
        apigw(ID.errors4xx, 'ClientError', dims, 'Sum', periodS),
        apigw(ID.connectCount, 'ConnectCount', dims, 'Sum', periodS),
        apigw(ID.messageCount, 'MessageCount', dims, 'Sum', periodS),
        ...latency,
      ];
  }
}

/**
 * One 5xx `Sum` query per stage, ids `stage0`, `stage1`, … in the order of `stages`, to find the stage
 * that has the errors. WebSocket APIs have no 5xx metric; `IntegrationError` stands in for it.
 */
export function stageErrorQueries(api: Omit<ApiRef, 'stage'>, stages: string[], periodS: number): MetricQuery[] {
  const metricName = api.apiType === 'REST' ? '5XXError' : api.apiType === 'HTTP' ? '5xx' : 'IntegrationError';
  return stages.map((stage, i) => apigw(`stage${i}`, metricName, apiDimensions(api, stage), 'Sum', periodS));
}

/** One stage's 5xx and requests over a window; undefined where the stage sent no datapoint (no requests). */
export interface StageTraffic {
  stage: string;
  count5xx: number;
  count: number;
}

/**
 * The 5xx and request `Sum`s of every stage, ids `st{i}e`/`st{i}c` (WebSocket also `st{i}x` for
 * `ExecutionError` and `st{i}m` for `MessageCount`), so that an investigation knows which other stages
 * fail and which carry traffic (a function they share may be failing for them).
 */
export function stageTrafficQueries(api: Omit<ApiRef, 'stage'>, stages: readonly string[], periodS: number): MetricQuery[] {
  return stages.flatMap((stage, i) => {
    const dims = apiDimensions(api, stage);
    switch (api.apiType) {
      case 'REST':
      case 'HTTP':
        return [apigw(`st${i}e`, api.apiType === 'REST' ? '5XXError' : '5xx', dims, 'Sum', periodS), apigw(`st${i}c`, 'Count', dims, 'Sum', periodS)];
      case 'WEBSOCKET':
        return [
          apigw(`st${i}e`, 'IntegrationError', dims, 'Sum', periodS),
          apigw(`st${i}x`, 'ExecutionError', dims, 'Sum', periodS),
          apigw(`st${i}c`, 'ConnectCount', dims, 'Sum', periodS),
          apigw(`st${i}m`, 'MessageCount', dims, 'Sum', periodS),
        ];
    }
  });
}

/** The traffic of each stage over [from, to] from the series of {@link stageTrafficQueries}; no datapoint counts as 0. */
export function summariseStageTraffic(series: Map<string, MetricSeries>, stages: readonly string[], from: Date, to: Date): StageTraffic[] {
  const sum = (...ids: string[]): number => ids.reduce((n, id) => n + sumInRange(series.get(id) ?? { timestamps: [], values: [] }, from, to), 0);
  return stages.map((stage, i) => ({ stage, count5xx: sum(`st${i}e`, `st${i}x`), count: sum(`st${i}c`, `st${i}m`) }));
}

/** The function name for the `FunctionName` dimension, from a name or a (qualified) function ARN. */
function functionNameOf(nameOrArn: string): string {
  const m = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)/.exec(nameOrArn);
  return m?.[1] ?? nameOrArn;
}

/**
 * The Lambda metrics of one integrated function, ids `fn{index}Errors`, `fn{index}Throttles`,
 * `fn{index}DurationMax` and `fn{index}Invocations` (`index` tells several functions apart in one
 * request). `functionName` may be a name or an ARN; the dimension takes the name.
 *
 * With a `qualifier` (alias or version) the series are that qualifier's (`Resource` = `name:qualifier`),
 * so that a broken alias is not averaged with healthy ones. `$LATEST` is not a `Resource` Lambda
 * reports under, so it reads the function-wide series (which include it).
 */
export function lambdaMetricQueries(functionName: string, periodS: number, index: number, qualifier?: string): MetricQuery[] {
  const name = functionNameOf(functionName);
  const dimensions: Record<string, string> = { FunctionName: name };
  if (qualifier !== undefined && qualifier !== '' && qualifier !== '$LATEST') dimensions.Resource = `${name}:${qualifier}`;
  const q = (suffix: string, metricName: string, stat: string): MetricQuery => ({
    id: `fn${index}${suffix}`,
    namespace: LAMBDA,
    metricName,
    dimensions,
    stat,
    periodS,
  });
  return [q('Errors', 'Errors', 'Sum'), q('Throttles', 'Throttles', 'Sum'), q('DurationMax', 'Duration', 'Maximum'), q('Invocations', 'Invocations', 'Sum')];
}

/** The values of the points whose timestamps lie in [from, to], both ends included. */
function valuesInRange(series: MetricSeries | undefined, from: Date, to: Date): number[] {
  if (!series) return [];
  const lo = from.getTime();
  const hi = to.getTime();
  const out: number[] = [];
  series.timestamps.forEach((ts, i) => {
    const t = Date.parse(ts);
    const v = series.values[i];
    if (t >= lo && t <= hi && v !== undefined && Number.isFinite(v)) out.push(v);
  });
  return out;
}

/** The sum of the values whose timestamps lie in [from, to]; 0 when there are none. */
export function sumInRange(series: MetricSeries, from: Date, to: Date): number {
  return valuesInRange(series, from, to).reduce((a, b) => a + b, 0);
}

/** Sum over the points in range of all the series, or undefined when none of them has a point in range. */
function sumOf(seriesList: (MetricSeries | undefined)[], from: Date, to: Date): number | undefined {
  const values = seriesList.flatMap((s) => valuesInRange(s, from, to));
  return values.length > 0 ? values.reduce((a, b) => a + b, 0) : undefined;
}

function maxOf(series: MetricSeries | undefined, from: Date, to: Date): number | undefined {
  const values = valuesInRange(series, from, to);
  return values.length > 0 ? Math.max(...values) : undefined;
}

function put(out: Metrics, name: keyof Metrics, value: number | undefined): void {
  if (value !== undefined) out[name] = value;
}

/**
 * The API metric facts over [from, to] from the series of {@link apiMetricQueries}. Only points inside
 * the window count: the series may start earlier (for {@link findOnset}).
 *
 * - `count5xx`, `count4xx`, `count`: sums (WebSocket: `IntegrationError` + `ExecutionError`, and
 *   `ConnectCount` + `MessageCount`).
 * - `latencyP99Ms`, `integrationLatencyP99Ms`: the **largest per-period p99** in the window, not the
 *   p99 of the whole window (CloudWatch cannot merge percentiles after the fact; the worst period is
 *   what matters for timeouts).
 * - `integrationLatencyMaxMs`: the maximum.
 *
 * A fact is left out when its series has no point in the window (no traffic is not the same as zero).
 */
export function summariseApiMetrics(series: Map<string, MetricSeries>, apiType: ApiType, from: Date, to: Date): Metrics {
  const out: Metrics = {};
  if (apiType === 'WEBSOCKET') {
    put(out, 'count5xx', sumOf([series.get(ID.integrationError), series.get(ID.executionError)], from, to));
    put(out, 'count', sumOf([series.get(ID.connectCount), series.get(ID.messageCount)], from, to));
  } else {
    put(out, 'count5xx', sumOf([series.get(ID.errors5xx)], from, to));
    put(out, 'count', sumOf([series.get(ID.count)], from, to));
  }
  put(out, 'count4xx', sumOf([series.get(ID.errors4xx)], from, to));
  put(out, 'latencyP99Ms', maxOf(series.get(ID.latencyP99), from, to));
  put(out, 'integrationLatencyP99Ms', maxOf(series.get(ID.integrationLatencyP99), from, to));
  put(out, 'integrationLatencyMaxMs', maxOf(series.get(ID.integrationLatencyMax), from, to));
  return out;
}

/**
 * The Lambda metric facts over [from, to] from the series of {@link lambdaMetricQueries} with the same
 * `index`: `lambdaErrors` and `lambdaThrottles` (sums) and `lambdaDurationMaxMs` (maximum). A fact is
 * left out when its series has no point in the window.
 */
export function summariseLambdaMetrics(series: Map<string, MetricSeries>, index: number, from: Date, to: Date): Metrics {
  const out: Metrics = {};
  put(out, 'lambdaErrors', sumOf([series.get(`fn${index}Errors`)], from, to));
  put(out, 'lambdaThrottles', sumOf([series.get(`fn${index}Throttles`)], from, to));
  put(out, 'lambdaDurationMaxMs', maxOf(series.get(`fn${index}DurationMax`), from, to));
  return out;
}

/** Empty or zero periods bridged inside one run of errors. */
const BRIDGED_PERIODS = 2;

/**
 * When the errors started: the first point of the **last** run of non-zero values, where a run bridges
 * gaps of up to 2 periods that are empty (no point) or zero. Undefined when no value is above zero.
 * `beforeWindow` is true when the run starts before `windowStart`; when the run starts at the first
 * point of the series the real onset may be earlier still (the series starts where the lookback does).
 *
 * Why this rule: the errors under investigation are the current ones, so an earlier blip separated
 * from them by a quiet stretch is a different event and must not move the onset back (the onset is
 * compared with deployments and function changes). Short gaps are bridged because at low traffic an
 * ongoing failure still leaves periods without requests (no point) or without a failed one (zero).
 *
 * @param periodS the series' period; default: the smallest gap between consecutive timestamps.
 */
export function findOnset(series: MetricSeries, windowStart: Date, periodS?: number): { onset: string; beforeWindow: boolean } | undefined {
  const points = series.timestamps
    .map((ts, i) => ({ ts, t: Date.parse(ts), v: series.values[i] ?? 0 }))
    .filter((p) => Number.isFinite(p.t))
    .sort((a, b) => a.t - b.t);
  const periodMs = periodS !== undefined ? periodS * 1000 : smallestGapMs(points.map((p) => p.t));
  const errors = points.filter((p) => p.v > 0);
  const last = errors[errors.length - 1];
  if (!last) return undefined;
  let start = last;
  for (let i = errors.length - 2; i >= 0; i--) {
    const prev = errors[i];
    if (!prev) break;
    // Consecutive periods are one period apart; up to BRIDGED_PERIODS quiet ones may sit between.
    if (periodMs === undefined || start.t - prev.t > (BRIDGED_PERIODS + 1) * periodMs) break;
    start = prev;
  }
  return { onset: new Date(start.t).toISOString(), beforeWindow: start.t < windowStart.getTime() };
}

function smallestGapMs(times: number[]): number | undefined {
  let gap: number | undefined;
  for (let i = 1; i < times.length; i++) {
    const d = (times[i] ?? 0) - (times[i - 1] ?? 0);
    if (d > 0 && (gap === undefined || d < gap)) gap = d;
  }
  return gap;
}
