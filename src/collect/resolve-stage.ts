/**
 * Which API and stage a question is about: the reference as typed (id, name, invoke URL or custom
 * domain), resolved across REST and HTTP/WebSocket APIs, then the stage asked for, the one the
 * reference names, the only one, or the one with the 5xx.
 */
import { ErrorCode, TargetError } from '../errors';
import { unlessUnavailable } from './failures';
import { choosePeriodS, stageErrorQueries, sumInRange } from './metric-queries';
import type { ApiSummary, AwsPorts, MetricSeries, StageInfo } from './ports';
import type { ApiRef } from './resolve-target';
import { STAGE_NAME, parseApiRef, resolveApi } from './resolve-target';

/** What the user typed for the API, classified; an invoke URL of another Region is refused with the flag to add. */
export function parseApiRefIn(text: string, region: string): ApiRef {
  const ref = parseApiRef(text);
  if (ref.kind === 'invoke-url' && ref.region !== region) {
    throw new TargetError(ErrorCode.UnknownTarget, `the invoke URL is in ${ref.region}, but this investigation reads ${region}; add --region ${ref.region}`);
  }
  return ref;
}

/**
 * The API a reference names and the stage in question (see {@link chooseStage}; `window` is where
 * the 5xx that pick a stage are counted). Throws a TargetError when either cannot be pinned down, an
 * AwsUnavailableError when API Gateway cannot be read at all.
 */
export async function resolveApiStage(
  ports: Pick<AwsPorts, 'region' | 'rest' | 'v2' | 'metrics'>,
  ref: ApiRef,
  wantedStage: string | undefined,
  window: { from: Date; to: Date },
): Promise<{ api: ApiSummary; stage: StageInfo; stages: StageInfo[] }> {
  const resolved = await unlessUnavailable(resolveApi(ref, ports.rest, ports.v2, ports.region));
  const api = resolved.api;
  const gw = api.apiType === 'REST' ? ports.rest : ports.v2;
  const stages = await unlessUnavailable(gw.getStages(api.apiId));
  const stage = await chooseStage(api, stages, wantedStage ?? resolved.stageHint, ports, window);
  return { api, stage, stages };
}

/**
 * The stage asked about, the reference's own stage, the only stage, or the one with the 5xx. With
 * several stages and no errors to tell them apart, the user is asked (a TargetError listing them).
 */
async function chooseStage(api: ApiSummary, stages: readonly StageInfo[], wanted: string | undefined, ports: Pick<AwsPorts, 'metrics'>, window: { from: Date; to: Date }): Promise<StageInfo> {
  const names = stages.map((s) => s.name);
  if (stages.length === 0) throw new TargetError(ErrorCode.StageNeeded, `${api.name} (${api.apiId}) has no stages: it was never deployed, so every call fails before reaching it`);
  if (wanted !== undefined) {
    if (!STAGE_NAME.test(wanted)) throw new TargetError(ErrorCode.StageNeeded, `"${wanted.slice(0, 40)}" is not a stage name; ${api.name}'s stages are ${names.join(', ')}`, names);
    const stage = stages.find((s) => s.name === wanted) ?? stages.find((s) => s.name.toLowerCase() === wanted.toLowerCase());
    if (stage) return stage;
    throw new TargetError(ErrorCode.StageNeeded, `${api.name} has no stage "${wanted}"; its stages are ${names.join(', ')}`, names);
  }
  const [only] = stages;
  if (only && stages.length === 1) return only;
  const periodS = choosePeriodS(window.from, window.to);
  const ask = (why: string): TargetError =>
    new TargetError(ErrorCode.StageNeeded, `${api.name} has ${stages.length} stages (${names.join(', ')}) and ${why}; say which, e.g. "why 5xx ${api.name} ${names[0] ?? 'prod'}"`, names);
  let series: Map<string, MetricSeries>;
  try {
    series = await ports.metrics.getMetricData(stageErrorQueries({ apiType: api.apiType, apiId: api.apiId, apiName: api.name }, names, periodS), window.from, window.to);
  } catch {
    throw ask('the metrics to tell which one fails could not be read');
  }
  const counts = names.map((_, i) => sumInRange(series.get(`stage${i}`) ?? { timestamps: [], values: [] }, window.from, window.to));
  const max = Math.max(...counts);
  const top = counts.map((c, i) => (c === max ? i : -1)).filter((i) => i >= 0);
  const [winner] = top;
  if (max > 0 && top.length === 1 && winner !== undefined) {
    const stage = stages[winner];
    if (stage) return stage;
  }
  throw ask(max > 0 ? 'more than one has as many 5xx' : 'none had 5xx in the window');
}

/** The account id inside an ARN (`arn:aws:logs:us-east-1:123456789012:…`), when it has one. */
export function accountFromArn(arn: string | undefined): string | undefined {
  return arn ? /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):/.exec(arn)?.[1] : undefined;
}
