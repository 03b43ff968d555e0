/**
 * Every API stage of one account and Region with its 5xx and request counts over a window, worst
 * first: the answer to "which APIs are failing?" (`apis`, and the daily digest). Pure over the ports:
 * both API families are listed, their stages read, and every stage's counts fetched in one batched
 * GetMetricData (the metrics port splits it into calls of at most 500 queries).
 *
 * The metric names and dimensions per API type are those of the investigation
 * (`apiMetricQueries`): REST `5XXError` and `Count` by `ApiName` + `Stage`; HTTP `5xx` and `Count` by
 * `ApiId` + `Stage`; WebSocket `IntegrationError` + `ExecutionError` and `MessageCount` +
 * `ConnectCount` by `ApiId` + `Stage`.
 */
import type { ApiType, Skipped } from '../diagnosis/evidence';
import { AwsCallError } from './call-aws';
import { toSkipped, unlessUnavailable } from './investigate';
import { AwsUnavailableError } from '../errors';
import { API_METRIC_IDS, apiMetricQueries, choosePeriodS, summariseApiMetrics } from './metric-queries';
import type { ApiSummary, AwsPorts, MetricQuery, MetricSeries, StageInfo } from './ports';

/** One API stage and its errors over the window (DESIGN.md §3, `apis --json`). */
export interface ApiStageErrors {
  apiId: string;
  apiName: string;
  apiType: ApiType;
  stage: string;
  region: string;
  /** 5xx responses (WebSocket: integration plus execution errors). */
  count5xx: number;
  /** Requests (WebSocket: messages plus connections). */
  count: number;
  /** `count5xx / count`, 0–1; 0 without requests. */
  errorRate: number;
}

export interface ApiErrorList {
  /** Most 5xx first, then the highest error rate, then by name and stage. */
  stages: ApiStageErrors[];
  /** APIs whose stages could not be read (the rest are still listed). */
  skipped: Skipped[];
  /** How many APIs there are in all (those with no stage included). */
  apiCount: number;
}

/** The series each stage needs: errors and requests, in the investigation's ids. */
const WANTED: ReadonlySet<string> = new Set([
  API_METRIC_IDS.errors5xx,
  API_METRIC_IDS.count,
  API_METRIC_IDS.integrationError,
  API_METRIC_IDS.executionError,
  API_METRIC_IDS.connectCount,
  API_METRIC_IDS.messageCount,
]);

/** The query id of one stage's series: `s{index}{id}` (GetMetricData ids start with a lower-case letter). */
const stageId = (index: number, id: string): string => `s${index}${id}`;

/**
 * The series of the stage at `index` of a {@link stageCountQueries} answer, under the investigation's
 * ids (`api5xx`, `apiCount`, …), ready for `summariseApiMetrics`.
 */
export function stageSeries(series: ReadonlyMap<string, MetricSeries>, index: number): Map<string, MetricSeries> {
  const own = new Map<string, MetricSeries>();
  for (const id of WANTED) {
    const s = series.get(stageId(index, id));
    if (s) own.set(id, s);
  }
  return own;
}

/**
 * The 5xx and request queries of each stage, ids `s{i}api5xx`, `s{i}apiCount`, … (`i` is the
 * stage's position in `stages`).
 */
export function stageCountQueries(stages: readonly { api: ApiSummary; stage: string }[], periodS: number): MetricQuery[] {
  return stages.flatMap(({ api, stage }, i) =>
    apiMetricQueries({ apiType: api.apiType, apiId: api.apiId, apiName: api.name, stage }, periodS)
      .filter((q) => WANTED.has(q.id))
      .map((q) => ({ ...q, id: stageId(i, q.id) })),
  );
}

/** Orders worst first: most 5xx, then the highest error rate, then name and stage for a stable list. */
export function rankStages<T extends ApiStageErrors>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => b.count5xx - a.count5xx || b.errorRate - a.errorRate || a.apiName.localeCompare(b.apiName) || a.stage.localeCompare(b.stage));
}

/** One stage as listed, with its settings (logging, access-log destination). */
export interface ListedStage {
  api: ApiSummary;
  stage: StageInfo;
}

/** Every API of both families and their stages. */
export interface ApiStageList {
  apis: ApiSummary[];
  stages: ListedStage[];
  /** APIs whose stages could not be read (left out of `stages`). */
  skipped: Skipped[];
}

/**
 * Lists every REST and HTTP/WebSocket API (all pages) and each one's stages. Listing the APIs failing
 * rejects with the `AwsCallError` (the caller decides what that means: no answer, or one part of a
 * digest it could not read); one API's stages failing leaves that API out, with a `skipped` entry.
 */
export async function listApiStages(ports: Pick<AwsPorts, 'region' | 'rest' | 'v2'>): Promise<ApiStageList> {
  const [restApis, v2Apis] = await Promise.all([ports.rest.listApis(), ports.v2.listApis()]);
  const apis = [...restApis, ...v2Apis];
  const skipped: Skipped[] = [];
  const perApi = await Promise.all(
    apis.map(async (api) => {
      const gw = api.apiType === 'REST' ? ports.rest : ports.v2;
      try {
        return (await gw.getStages(api.apiId)).map((stage): ListedStage => ({ api, stage }));
      } catch (e) {
        if (!(e instanceof AwsCallError)) throw e;
        const s = toSkipped('config', e, { region: ports.region });
        skipped.push({ ...s, source: `config of ${api.name} (${api.apiId})` });
        return [];
      }
    }),
  );
  return { apis, stages: perApi.flat(), skipped };
}

/**
 * Lists every API stage with its 5xx and request counts over [from, to], worst first. Listing the APIs
 * or reading the metrics failing is an AwsUnavailableError (there is no answer without them); one
 * API's stages failing leaves that API out, with a `skipped` entry.
 */
export async function listApiErrors(ports: Pick<AwsPorts, 'region' | 'rest' | 'v2' | 'metrics'>, window: { from: Date; to: Date }, now: Date = window.to): Promise<ApiErrorList> {
  const listed = await unlessUnavailable(listApiStages(ports));
  const { apis, skipped } = listed;
  const stages = listed.stages.map(({ api, stage }) => ({ api, stage: stage.name }));
  if (stages.length === 0) return { stages: [], skipped, apiCount: apis.length };

  // The investigation's resolution, so that both count the same points (and the sandbox answers alike).
  const periodS = choosePeriodS(window.from, window.to, now);
  let series: Map<string, MetricSeries>;
  try {
    series = await ports.metrics.getMetricData(stageCountQueries(stages, periodS), window.from, window.to);
  } catch (e) {
    if (!(e instanceof AwsCallError)) throw e;
    const s = toSkipped('metrics', e, { region: ports.region });
    throw new AwsUnavailableError(`could not read the API Gateway metrics: ${s.reason}; ${s.fix}`);
  }
  const rows = stages.map(({ api, stage }, i): ApiStageErrors => {
    const m = summariseApiMetrics(stageSeries(series, i), api.apiType, window.from, window.to);
    const count5xx = Math.round(m.count5xx ?? 0);
    const count = Math.round(m.count ?? 0);
    return { apiId: api.apiId, apiName: api.name, apiType: api.apiType, stage, region: ports.region, count5xx, count, errorRate: count > 0 ? Math.min(1, count5xx / count) : 0 };
  });
  return { stages: rankStages(rows), skipped, apiCount: apis.length };
}
