/**
 * `metrics`: the stage's API Gateway metrics over the window (5xx, requests, latency), when the errors
 * began (from a lookback before the window), and every stage's 5xx and requests, all in one call: which
 * other stages fail, and which carry traffic through what this stage shares with them.
 */
import type { Metrics } from '../../diagnosis/evidence';
import type { StageTraffic } from '../metric-queries';
import { apiMetricQueries, findOnset, stageTrafficQueries, summariseApiMetrics, summariseStageTraffic } from '../metric-queries';
import type { MetricSeries } from '../ports';
import { defineCollector, formatNumber } from './collector';

export interface ApiMetrics {
  metrics: Metrics;
  /** When the current run of errors began. */
  onset?: { onset: string; beforeWindow: boolean };
  /** Every stage's traffic in the window (at most {@link MAX_STAGES} stages). */
  stages: StageTraffic[];
}

/** Stages whose traffic is read alongside (four queries each at most, well inside GetMetricData's 500). */
const MAX_STAGES = 100;

export const metrics = defineCollector({
  source: 'metrics',
  label: 'metrics',
  async collect(ctx) {
    const { api, stage, stages, window } = ctx;
    const names = stages.slice(0, MAX_STAGES).map((s) => s.name);
    const ref = { apiType: api.apiType, apiId: api.apiId, apiName: api.name };
    const series = await ctx.ports.metrics.getMetricData([...apiMetricQueries({ ...ref, stage: stage.name }, ctx.periodS), ...stageTrafficQueries(ref, names, ctx.periodS)], ctx.metricsFrom, window.to);
    const summary = summariseApiMetrics(series, api.apiType, window.from, window.to);
    // API Gateway publishes a stage's metrics only for periods with requests: no datapoint is no traffic.
    const quiet = summary.count5xx === undefined && summary.count === undefined;
    const value: ApiMetrics = {
      metrics: quiet ? { ...summary, count5xx: 0, count: 0 } : summary,
      stages: summariseStageTraffic(series, names, window.from, window.to),
    };
    const onset = findOnset(errorSeries(series, api.apiType), window.from);
    if (onset) value.onset = onset;
    const detail = quiet ? 'no requests in the window' : `${formatNumber(value.metrics.count5xx ?? 0)} 5xx of ${formatNumber(value.metrics.count ?? 0)} requests`;
    return { value, detail };
  },
});

function errorSeries(series: Map<string, MetricSeries>, apiType: string): MetricSeries {
  if (apiType !== 'WEBSOCKET') return series.get('api5xx') ?? { timestamps: [], values: [] };
  // WebSocket APIs have no 5xx metric: integration plus execution errors stand for it.
  const a = series.get('apiIntegrationError') ?? { timestamps: [], values: [] };
  const b = series.get('apiExecutionError') ?? { timestamps: [], values: [] };
  const sums = new Map<string, number>();
  a.timestamps.forEach((t, i) => sums.set(t, (sums.get(t) ?? 0) + (a.values[i] ?? 0)));
  b.timestamps.forEach((t, i) => sums.set(t, (sums.get(t) ?? 0) + (b.values[i] ?? 0)));
  const timestamps = [...sums.keys()].sort();
  return { timestamps, values: timestamps.map((t) => sums.get(t) ?? 0) };
}
