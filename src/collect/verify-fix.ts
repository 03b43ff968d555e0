/**
 * Did the fix work? For the `verify` follow-up of an answered thread: the stage's 5xx and requests
 * from `since` (when the fix went out) to now, against the same length of time just before `since`,
 * from the stage's CloudWatch metrics (REST `5XXError`/`Count` by API name and stage, HTTP `5xx`/`Count`
 * by API id and stage, WebSocket `IntegrationError` + `ExecutionError` against `ConnectCount` +
 * `MessageCount`: the same metrics, and the same reading of them, as an investigation's).
 *
 * Metrics come per period (a minute, longer for old or long ranges), so both windows are whole periods:
 * the period `since` falls in belongs to neither (it holds requests from before and after the fix),
 * and the period still running at `now` is not counted (CloudWatch has not got all of it yet). When not
 * one whole period has passed since `since`, the verdict is `too-soon`, with when to ask again.
 */
import type { ApiType, Target } from '../diagnosis/evidence';
import { AwsUnavailableError, UsageError } from '../errors';
import { toSkipped, within } from './failures';
import type { Investigation } from './investigate';
import type { ApiRef } from './metric-queries';
import { API_METRIC_IDS, apiMetricQueries, choosePeriodS, summariseApiMetrics } from './metric-queries';
import type { AwsPorts, MetricSeries } from './ports';

/**
 * - `fixed`: 5xx before, none since, and requests since.
 * - `better`: the 5xx rate since is at most half the rate before (but not zero).
 * - `not-fixed`: the rate did not fall by half, or 5xx appeared where there were none.
 * - `no-traffic`: no requests since: nothing to tell from yet.
 * - `no-errors-before`: no 5xx before and none since: there was nothing (in this window) to fix.
 * - `too-soon`: not one whole metric period since `since` yet.
 */
export type FixVerdict = 'fixed' | 'better' | 'not-fixed' | 'no-traffic' | 'no-errors-before' | 'too-soon';

/** The stage's 5xx and requests over one window. */
export interface WindowCounts {
  from: string;
  to: string;
  count5xx: number;
  count: number;
  /** 5xx per request (0 to 1); absent without requests. */
  rate?: number;
}

export interface FixMeasure {
  target: Target;
  apiType: ApiType;
  verdict: FixVerdict;
  /** When the fix went out, as asked. */
  since: string;
  now: string;
  /** The same length of time just before `since`. */
  before: WindowCounts;
  /** From the first whole period after `since` to the last whole one before `now`. */
  after: WindowCounts;
  /** The metric period both windows are counted in, seconds. */
  periodS: number;
  /** How the counts are named for a reader: REST `5XXError` and `Count`, WebSocket their sums. */
  metrics: { errors: string; requests: string };
  /** `too-soon` only: from when asking again can tell something. */
  askAgainAt?: string;
  /** What to bear in mind when reading the verdict (few requests, the newest minutes still arriving). */
  notes: string[];
}

export interface MeasureOptions {
  /** When the fix went out. */
  since: Date;
  now: Date;
  /** Time the metrics read may take. Default 25,000 ms. */
  timeoutMs?: number;
}

/** A rate that fell to at most this share of what it was is `better`. */
const BETTER_SHARE = 0.5;
/** Fewer requests than this since the fix make any verdict a weak one. */
const FEW_REQUESTS = 20;
/** CloudWatch may still be adding to the newest minutes of API Gateway's metrics. */
const SETTLING_MS = 3 * 60_000;
const DEFAULT_TIMEOUT_MS = 25_000;

/**
 * Measures the stage's 5xx before and after `since`. Throws a {@link UsageError} when the investigation
 * names no API stage, an {@link AwsUnavailableError} (with what to grant or do) when the metrics cannot
 * be read.
 */
export async function measureFix(ports: Pick<AwsPorts, 'region' | 'metrics'>, investigation: Pick<Investigation, 'target' | 'apiType'>, options: MeasureOptions): Promise<FixMeasure> {
  const { target, apiType } = investigation;
  const ref = metricRef(target, apiType);
  const since = options.since.getTime();
  const now = options.now.getTime();
  if (!Number.isFinite(since) || !Number.isFinite(now)) throw new UsageError('verify needs a time the fix went out, such as verify since 14:30 or verify since 30m');
  const metrics = metricNames(apiType);

  // Both windows together span twice the time since the fix: a period that keeps them within
  // GetMetricData's points and CloudWatch's retention of fine-grained data.
  const span = Math.max(0, now - since);
  const periodS = choosePeriodS(new Date(now - 2 * span), options.now, options.now);
  const period = periodS * 1000;
  const afterFrom = Math.ceil(since / period) * period;
  const afterTo = Math.floor(now / period) * period;
  const base = { target: { ...target }, apiType, since: options.since.toISOString(), now: options.now.toISOString(), periodS, metrics };

  if (afterTo - afterFrom < period) {
    // Not one whole period since the fix: no datapoint can tell before from after yet.
    // The first whole period after the fix, and a minute for CloudWatch to have it.
    const askAgainAt = new Date(afterFrom + period + 60_000);
    const empty = (from: number, to: number): WindowCounts => ({ from: new Date(from).toISOString(), to: new Date(Math.max(from, to)).toISOString(), count5xx: 0, count: 0 });
    return {
      ...base,
      verdict: 'too-soon',
      before: empty(since, since),
      after: empty(since, now),
      askAgainAt: askAgainAt.toISOString(),
      notes: since > now ? ['the time given is after now'] : [],
    };
  }

  const length = afterTo - afterFrom;
  const beforeTo = Math.floor(since / period) * period;
  const beforeFrom = beforeTo - length;
  const queries = apiMetricQueries(ref, periodS).filter((q) => COUNT_IDS.has(q.id));
  let series: Map<string, MetricSeries>;
  try {
    series = await within(ports.metrics.getMetricData(queries, new Date(beforeFrom), new Date(afterTo)), options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  } catch (e) {
    const s = toSkipped('metrics', e, { region: target.region ?? ports.region, ...(target.accountId !== undefined ? { accountId: target.accountId } : {}) });
    throw new AwsUnavailableError(`could not read the stage’s metrics: ${s.reason}; ${s.fix}`);
  }
  // Datapoints are stamped with the start of their period: a window [from, to) holds those from `from`
  // up to, not including, `to` (which starts the next window's first period).
  const counts = (from: number, to: number): WindowCounts => {
    const m = summariseApiMetrics(series, apiType, new Date(from), new Date(to - 1));
    const count5xx = m.count5xx ?? 0;
    const count = m.count ?? 0;
    return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), count5xx, count, ...(count > 0 ? { rate: count5xx / count } : {}) };
  };
  const before = counts(beforeFrom, beforeTo);
  const after = counts(afterFrom, afterTo);
  const verdict = verdictOf(before, after);
  const notes: string[] = [];
  if (verdict !== 'no-traffic' && after.count < FEW_REQUESTS) notes.push(`only ${after.count} request${after.count === 1 ? '' : 's'} since the fix: too few to be sure`);
  if (now - afterFrom < SETTLING_MS + period) notes.push('CloudWatch may still be adding to the last minute or two: ask again in a few minutes for a firmer answer');
  return { ...base, verdict, before, after, notes };
}

/** The verdict from the two windows' counts (see {@link FixVerdict}). */
export function verdictOf(before: Pick<WindowCounts, 'count5xx' | 'count'>, after: Pick<WindowCounts, 'count5xx' | 'count'>): Exclude<FixVerdict, 'too-soon'> {
  if (after.count <= 0 && after.count5xx <= 0) return 'no-traffic';
  if (before.count5xx <= 0) return after.count5xx <= 0 ? 'no-errors-before' : 'not-fixed';
  if (after.count5xx <= 0) return 'fixed';
  // A 5xx count without requests (metrics that disagree) counts as every request failing.
  const rate = (w: Pick<WindowCounts, 'count5xx' | 'count'>): number => (w.count > 0 ? Math.min(1, w.count5xx / w.count) : 1);
  return rate(after) <= rate(before) * BETTER_SHARE ? 'better' : 'not-fixed';
}

const ID = API_METRIC_IDS;
/** The series the counts are read from: 5xx and requests (WebSocket: the metrics that stand for them). */
const COUNT_IDS = new Set<string>([ID.errors5xx, ID.count, ID.integrationError, ID.executionError, ID.connectCount, ID.messageCount]);

function metricNames(apiType: ApiType): FixMeasure['metrics'] {
  switch (apiType) {
    case 'REST':
      return { errors: '5XXError', requests: 'Count' };
    case 'HTTP':
      return { errors: '5xx', requests: 'Count' };
    case 'WEBSOCKET':
      return { errors: 'IntegrationError + ExecutionError', requests: 'ConnectCount + MessageCount' };
  }
}

function metricRef(target: Target, apiType: ApiType): ApiRef {
  const { apiId, apiName, stage } = target;
  if (stage === undefined || (apiType === 'REST' ? apiName === undefined : apiId === undefined)) {
    throw new UsageError('this thread’s investigation names no API stage to measure: ask /apigw why again');
  }
  return { apiType, apiId: apiId ?? '', apiName: apiName ?? '', stage };
}
