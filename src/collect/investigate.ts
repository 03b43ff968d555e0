/**
 * The investigation: from an API reference, a status and a window, gather what an expert would look
 * at and hand it to the engine as evidence. Collectors run in parallel as soon as what they need is
 * known (the dependency graph below), each with a timeout; a collector that fails becomes a `skipped`
 * entry naming the missing IAM action, and the rest still make an answer.
 *
 * ```
 * target ─▶ stages ─▶ stage ─┬─▶ config (routes, authorizers, account) ─┬─▶ Lambda functions ─▶ policy, changes
 *                            │                                          ├─▶ Lambda logs, Lambda metrics
 *                            │                                          └─▶ DNS of HTTP backends
 *                            ├─▶ API metrics (onset)
 *                            ├─▶ execution logs, access logs (failing routes)
 *                            └─▶ deployments
 * ```
 */
import type { ApiType, ConfigFacts, Evidence, LogLine, LogSource, Metrics, Skipped, StatusQuery, Target } from '../diagnosis/evidence';
import { ErrorCode, AwsUnavailableError, TargetError, UsageError } from '../errors';
import { AwsCallError, isNotFound } from './call-aws';
import { iamNeedOf } from './iam';
import type { ChangeCorrelation } from './changes';
import { changeEvents, correlateChanges } from './changes';
import { integrationFacts, telemetryFacts, backendHost } from './config-facts';
import type { LambdaTarget } from './lambda-policy';
import { executeApiSourceArn, lambdaTargetFromUri, policyAllowsInvoke } from './lambda-policy';
import {
  accessFailuresQuery,
  accessRowsToLogLines,
  executionLogGroup,
  failingRoutes,
  logGroupFromArn,
  messageGroupsQuery,
  parseAccessLogFormat,
  rawLinesQuery,
  rawRowsToLogLines,
  MAX_PATH_LOOKUPS,
  matchResourcePath,
  parseRequestPaths,
  requestPathsQuery,
  rowsOfLogGroup,
  rowsToLogLines,
} from './log-queries';
import type { FailingRoute, RequestPath } from './log-queries';
import type { LogLiterals } from './log-literals';
import { memoizePort } from './memoize';
import { apiMetricQueries, choosePeriodS, findOnset, lambdaMetricQueries, stageErrorQueries, sumInRange, summariseApiMetrics, summariseLambdaMetrics } from './metric-queries';
import type { ApiSummary, AwsPorts, DnsAnswer, LambdaFunctionInfo, LogsQueryResult, MetricSeries, RouteInfo, StageInfo } from './ports';
import type { ApiRef } from './resolve-target';
import { STAGE_NAME, parseApiRef, resolveApi } from './resolve-target';

/** The sources named in `checked` and `skipped` (DESIGN.md §3). */
export const SOURCES = ['config', 'execution-logs', 'access-logs', 'lambda-logs', 'metrics', 'lambda-policy', 'dns', 'changes'] as const;
export type SourceName = (typeof SOURCES)[number];

export interface Checked {
  source: SourceName;
  ok: boolean;
  detail: string;
}

export interface InvestigationRequest {
  /** What the user typed for the API: id, name, invoke URL or custom domain. */
  api: string;
  status: StatusQuery;
  stage?: string;
  from: Date;
  to: Date;
}

export type ProgressEvent =
  | { kind: 'target'; target: Target; apiType: ApiType; window: { from: string; to: string } }
  | { kind: 'source'; checked: Checked };

export interface InvestigationOptions {
  /** Knowledge-base literals that pick out the log lines worth fetching, per log (see `logLiteralsOf`). */
  literals: LogLiterals;
  /** Time each collector may take (`COLLECTOR_TIMEOUT_MS`). Default 25,000 ms. */
  collectorTimeoutMs?: number;
  /** Lambda functions looked at when the failing route is not known. Default 5. */
  maxFunctions?: number;
  onProgress?: (event: ProgressEvent) => void;
  now?: () => number;
}

/** A route's failures at one status, as the access logs count them. */
export type { FailingRoute } from './log-queries';

export interface Investigation {
  evidence: Evidence;
  target: Target;
  apiType: ApiType;
  window: { from: string; to: string };
  checked: Checked[];
  /** Routes with the most 5xx in the access logs, most first. */
  failingRoutes: FailingRoute[];
  /** When the errors started and what changed just before. */
  changes: ChangeCorrelation;
  onset?: { onset: string; beforeWindow: boolean };
}

/** The collectors that read each log. */
const LOG_SOURCE_OF: readonly (readonly [SourceName, LogSource])[] = [
  ['execution-logs', 'execution'],
  ['access-logs', 'access'],
  ['lambda-logs', 'lambda'],
];

/** Windows asked about: 15 minutes to 7 days (Logs Insights cost grows with the range). */
export const MIN_WINDOW_MS = 60_000;
export const MAX_WINDOW_MS = 7 * 24 * 3_600_000;
const DEFAULT_TIMEOUT_MS = 25_000;
/** Rows asked of each Logs Insights query. */
const GROUP_ROWS = 200;
/** How far before the window metrics look, to find when errors started (at least 1 h, at most 24 h). */
const lookbackMs = (windowMs: number): number => Math.min(24 * 3_600_000, Math.max(3_600_000, windowMs));

class TimeoutError extends Error {}

/** Runs an investigation. Throws a UserError when the target cannot be resolved; everything else degrades. */
export async function investigate(aws: AwsPorts, request: InvestigationRequest, options: InvestigationOptions): Promise<Investigation> {
  const now = options.now ?? Date.now;
  const timeoutMs = options.collectorTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  checkWindow(request.from, request.to);
  const ports: AwsPorts = {
    region: aws.region,
    rest: memoizePort(aws.rest),
    v2: memoizePort(aws.v2),
    account: memoizePort(aws.account),
    logs: aws.logs,
    metrics: memoizePort(aws.metrics),
    lambda: memoizePort(aws.lambda),
    dns: memoizePort(aws.dns),
    identity: memoizePort(aws.identity),
  };
  const checked: Checked[] = [];
  const skipped: Skipped[] = [];
  const report = (c: Checked): void => {
    checked.push(c);
    options.onProgress?.({ kind: 'source', checked: c });
  };

  const where: { region: string; accountId?: string } = { region: ports.region };
  // Runs one collector with a timeout; its failure becomes a skipped entry and a ✗ in `checked`.
  const collect = async <T>(source: SourceName, run: (deadline: number) => Promise<{ value: T; detail: string; ok?: boolean }>): Promise<T | undefined> => {
    const deadline = now() + timeoutMs;
    try {
      const { value, detail, ok } = await within(run(deadline), timeoutMs);
      report({ source, ok: ok ?? true, detail });
      return value;
    } catch (e) {
      const entry = toSkipped(source, e, where);
      skipped.push(entry);
      report({ source, ok: false, detail: entry.reason });
      return undefined;
    }
  };
  // A best-effort read inside a collector's reach: absent when it fails or does not answer in time.
  const optionalWithin = <T>(promise: Promise<T>): Promise<T | undefined> => within(promise, timeoutMs).catch(optional);

  // ── Target and stage ──────────────────────────────────────────────────────────────────────────
  const ref = parseApiRefIn(request.api, ports.region);
  const identity = ports.identity.getCallerIdentity().catch(() => undefined);
  const window = { from: request.from, to: request.to };
  const { api, stage } = await resolveApiStage(ports, ref, request.stage, window);
  const gw = api.apiType === 'REST' ? ports.rest : ports.v2;
  const accountId = (await identity)?.accountId ?? accountFromArn(stage.accessLog?.destinationArn);
  if (accountId) where.accountId = accountId;
  const target: Target = { apiId: api.apiId, apiName: api.name, stage: stage.name, region: ports.region, ...(accountId ? { accountId } : {}) };
  const windowIso = { from: request.from.toISOString(), to: request.to.toISOString() };
  options.onProgress?.({ kind: 'target', target: { ...target }, apiType: api.apiType, window: windowIso });

  // ── Collectors that need only the stage ───────────────────────────────────────────────────────
  const periodS = choosePeriodS(new Date(request.from.getTime() - lookbackMs(request.to.getTime() - request.from.getTime())), request.to);
  const metricsFrom = new Date(request.from.getTime() - lookbackMs(request.to.getTime() - request.from.getTime()));

  const configP = collect('config', async () => {
    const [routes, authorizers, account] = await Promise.all([
      gw.getRoutes(api.apiId),
      gw.getAuthorizers(api.apiId),
      api.apiType === 'HTTP' ? Promise.resolve(undefined) : optionalWithin(ports.account.getAccount()),
    ]);
    const integrated = routes.filter((r) => r.integration && r.integration.type !== 'MOCK').length;
    return { value: { routes, authorizers, account }, detail: `${routes.length} ${api.apiType === 'REST' ? 'methods' : 'routes'}, ${integrated} integrated, stage ${stage.name}` };
  });

  const apiMetricsP = collect('metrics', async () => {
    const series = await ports.metrics.getMetricData(apiMetricQueries({ apiType: api.apiType, apiId: api.apiId, apiName: api.name, stage: stage.name }, periodS), metricsFrom, request.to);
    const metrics = summariseApiMetrics(series, api.apiType, request.from, request.to);
    const errors = errorSeries(series, api.apiType);
    const onset = findOnset(errors, request.from);
    const detail = metrics.count5xx === undefined ? 'no datapoints in the window' : `${fmt(metrics.count5xx)} 5xx of ${fmt(metrics.count ?? 0)} requests`;
    return { value: { metrics, onset }, detail };
  });

  const executionP =
    api.apiType === 'HTTP'
      ? Promise.resolve(undefined)
      : collect('execution-logs', async (deadline) => {
          const level = stage.methodSettings['*/*']?.loggingLevel ?? 'OFF';
          const anyOn = Object.values(stage.methodSettings).some((s) => s.loggingLevel === 'ERROR' || s.loggingLevel === 'INFO');
          if (!anyOn) return { value: [] as LogLine[], ok: false, detail: `execution logging is ${level} on stage ${stage.name}` };
          // REST execution logs go to API-Gateway-Execution-Logs_{id}/{stage}. WebSocket APIs are reported to
          // write theirs to /aws/apigateway/{id}/{stage}; try that first for them, then the REST name.
          const groups = api.apiType === 'WEBSOCKET' ? [`/aws/apigateway/${api.apiId}/${stage.name}`, executionLogGroup(api.apiId, stage.name)] : [executionLogGroup(api.apiId, stage.name)];
          let result: LogsQueryResult | undefined;
          let group = groups[0] ?? '';
          for (const candidate of groups) {
            group = candidate;
            result = await queryOrMissing(ports, { logGroups: [candidate], queryString: messageGroupsQuery(options.literals.execution, 'execution', GROUP_ROWS), from: request.from, to: request.to, limit: GROUP_ROWS }, deadline);
            if (result) break;
          }
          if (!result) return { value: [] as LogLine[], ok: false, detail: `log group ${groups.join(' / ')} does not exist (no request logged yet, or no CloudWatch role for API Gateway in ${ports.region})` };
          const lines = rowsToLogLines(result.rows, 'execution');
          return { value: lines, detail: `${describeRows(lines)} in ${group}${partial(result)}` };
        });

  interface AccessFindings {
    lines: LogLine[];
    routes: FailingRoute[];
  }
  const accessP = collect('access-logs', async (deadline): Promise<{ value: AccessFindings; detail: string; ok?: boolean }> => {
    const settings = stage.accessLog;
    const group = settings ? logGroupFromArn(settings.destinationArn) : null;
    if (!settings || !group) return { value: { lines: [] as LogLine[], routes: [] as FailingRoute[] }, ok: false, detail: `not configured on stage ${stage.name}` };
    const format = parseAccessLogFormat(settings.format ?? '');
    const queryString = format ? accessFailuresQuery(format, GROUP_ROWS) : null;
    const result = await queryOrMissing(ports, { logGroups: [group], queryString: queryString ?? rawLinesQuery(options.literals.access), from: request.from, to: request.to, limit: GROUP_ROWS }, deadline);
    if (!result) return { value: { lines: [] as LogLine[], routes: [] as FailingRoute[] }, ok: false, detail: `log group ${group} does not exist` };
    const lines = format && queryString ? accessRowsToLogLines(result.rows, format) : rawRowsToLogLines(result.rows, 'access');
    const routes = format && queryString ? failingRoutes(result.rows, format) : [];
    return { value: { lines, routes }, detail: `${describeRows(lines)} in ${group}${format ? '' : ' (not JSON: lines read as text)'}${partial(result)}` };
  });

  const deploymentsP = within(gw.getDeployments(api.apiId), timeoutMs).then(
    (d) => ({ ok: true as const, deployments: d }),
    (e: unknown) => ({ ok: false as const, error: e }),
  );

  // ── Collectors that need the configuration ─────────────────────────────────────────────────────
  const config = await configP;
  const routes = config?.routes ?? [];
  const maxFunctions = options.maxFunctions ?? 5;
  // Which route fails: the access logs say; without them, the execution log's "HTTP Method:" line of
  // a few failing requests; else the only integration there is.
  const failingRouteP = (async (): Promise<RouteInfo | undefined> => {
    const fromAccess = routeOfFailures(routes, (await accessP)?.routes ?? []);
    if (fromAccess) return fromAccess;
    const fallback = onlyIntegratedRoute(routes);
    if (fallback || api.apiType !== 'REST') return fallback;
    const failingIds = ((await executionP) ?? [])
      .filter((l) => l.message.includes('Method completed with status: 5'))
      .flatMap((l) => [l.requestId, ...(l.requestIds ?? [])])
      .filter((id): id is string => id !== undefined);
    const queryString = requestPathsQuery(failingIds);
    if (!queryString) return undefined;
    const result = await optionalWithin(queryOrMissing(ports, { logGroups: [executionLogGroup(api.apiId, stage.name)], queryString, from: request.from, to: request.to, limit: MAX_PATH_LOOKUPS * 2 }, now() + timeoutMs));
    return routeOfRequests(routes, parseRequestPaths(result?.rows ?? []));
  })();
  const allFunctions = functionsToExamine(routes, stage, Number.POSITIVE_INFINITY);
  // With few functions behind the API, examine them all at once instead of waiting for the access
  // logs to say which route fails: that keeps the access-log query off the critical path. With many,
  // wait and examine those of the failing route.
  const lambdaTargetsP: Promise<LambdaTarget[]> =
    allFunctions.length <= maxFunctions
      ? Promise.resolve(allFunctions)
      : failingRouteP.then((failingRoute) => functionsToExamine(failingRoute ? [failingRoute] : routes, stage, maxFunctions));
  const lambdaTargets = await lambdaTargetsP;

  const lambdaLogsP =
    lambdaTargets.length === 0
      ? Promise.resolve(undefined)
      : collect('lambda-logs', async (deadline) => {
          // Default log group names, so this query need not wait for each function's configuration.
          const groups = [...new Set(lambdaTargets.map((t) => lambdaLogGroup(t)))];
          const result = await queryOrMissing(ports, { logGroups: groups, queryString: messageGroupsQuery(options.literals.lambda, 'lambda', GROUP_ROWS), from: request.from, to: request.to, limit: GROUP_ROWS }, deadline);
          if (!result) return { value: [] as Record<string, string>[], ok: false, detail: `log group ${groups.join(', ')} does not exist` };
          const lines = rowsToLogLines(result.rows, 'lambda');
          return { value: result.rows, detail: `${describeRows(lines)} in ${groups.join(', ')}${partial(result)}` };
        });

  const functionsP = Promise.all(
    lambdaTargets.map(async (t) => {
      // An alias (not a version number or $LATEST) may split traffic between versions: a canary.
      const isAlias = t.qualifier !== undefined && !/^(?:\d+|\$LATEST)$/.test(t.qualifier);
      const [info, reserved, alias] = await Promise.all([
        optionalWithin(ports.lambda.getFunction(t.functionName, t.qualifier)),
        optionalWithin(ports.lambda.getReservedConcurrency(t.functionName)),
        isAlias && t.qualifier ? optionalWithin(ports.lambda.getAlias(t.functionName, t.qualifier)) : Promise.resolve(undefined),
      ]);
      return { target: t, info: info ?? null, reserved, alias: alias ?? undefined };
    }),
  );

  const lambdaMetricsP =
    lambdaTargets.length === 0
      ? Promise.resolve(undefined)
      : optionalWithin(ports.metrics.getMetricData(lambdaTargets.flatMap((t, i) => lambdaMetricQueries(shortName(t.functionName), periodS, i, t.qualifier)), request.from, request.to));

  // One verdict per route and function. Without the account id the source ARN cannot be written, and
  // a guess would read as "not allowed".
  const policyP =
    lambdaTargets.length === 0 || accountId === undefined
      ? Promise.resolve(undefined)
      : collect('lambda-policy', async () => {
          const verdicts = await Promise.all(
            lambdaTargets.map(async (t) => {
              const policy = await ports.lambda.getPolicy(t.functionName, t.qualifier);
              return routes
                .filter((r) => sameFunction(lambdaTargetOf(r, stage), t))
                .map((route) => ({ target: t, route, ...policyAllowsInvoke(policy, executeApiSourceArn({ region: ports.region, accountId, apiId: api.apiId, stage: stage.name, ...methodAndPath(route, api.apiType) }), accountId) }));
            }),
          );
          const all = verdicts.flat();
          // The failing route's verdict first: that is the one the answer turns on.
          const failingRoute = await failingRouteP;
          const own = failingRoute ? all.find((v) => v.route === failingRoute) : undefined;
          const others = all.filter((v) => v !== own && !v.allowed);
          const describe = (v: (typeof all)[number]): string => `${v.route.routeKey} → ${shortName(v.target.functionName)}`;
          const parts = [
            own ? `${describe(own)}: ${own.allowed ? 'allowed' : `not allowed (${own.reason})`}` : others.length === 0 ? `API Gateway may invoke ${lambdaTargets.map((t) => shortName(t.functionName)).join(', ')}` : '',
            others.length > 0 ? `${others.length} ${own ? 'other ' : ''}route${others.length === 1 ? '' : 's'} may not invoke ${others.length === 1 ? 'its' : 'their'} function: ${others.slice(0, 2).map(describe).join(', ')}${others.length > 2 ? ', …' : ''}` : '',
          ];
          // ✓ when the route that fails (or, not knowing it, every route) may invoke its function.
          return { value: all, detail: parts.filter((p) => p !== '').join('; '), ok: own ? own.allowed : others.length === 0 };
        });

  const dnsP = collectDns(collect, ports, routes, stage);

  // ── Assemble ───────────────────────────────────────────────────────────────────────────────────
  const [access, executionLines, apiMetrics, lambdaRows, functions, lambdaSeries, policies, dnsAnswers, deployments] = await Promise.all([
    accessP,
    executionP,
    apiMetricsP,
    lambdaLogsP,
    functionsP,
    lambdaMetricsP,
    policyP,
    dnsP,
    deploymentsP,
  ]);
  const failingRoute = await failingRouteP;
  const failingFunction = failingRoute ? lambdaTargetOf(failingRoute, stage) : null;
  const chosen = chooseFunction(
    functions.filter((f) => !failingFunction || sameFunction(failingFunction, f.target)),
    lambdaSeries,
    request.from,
    request.to,
  );
  // Lambda lines of the function the facts describe (the query read every examined function).
  const lambdaLines = lambdaRows ? rowsToLogLines(chosen ? rowsOfLogGroup(lambdaRows, lambdaLogGroup(chosen.target)) : lambdaRows, 'lambda') : undefined;

  const changes = await collect('changes', () => {
    if (!deployments.ok) throw deployments.error;
    const aliases = new Map(functions.flatMap((f) => (f.info && f.alias ? [[f.info.functionName, f.alias] as const] : [])));
    const events = changeEvents(
      stage,
      deployments.deployments,
      functions.map((f) => f.info).filter((f): f is LambdaFunctionInfo => f !== null),
      aliases,
    );
    const correlation = correlateChanges(events, window, apiMetrics?.onset);
    const detail = correlation.summary ?? `${correlation.events.length} change${correlation.events.length === 1 ? '' : 's'} in the window`;
    return Promise.resolve({ value: correlation, detail });
  });

  const config_: ConfigFacts = {
    ...(config ? telemetryFacts(api, stage, config.account, failingRoute) : telemetryFacts(api, stage, undefined, failingRoute)),
    ...(failingRoute ? integrationFacts(api, stage, failingRoute, config?.authorizers ?? []) : {}),
  };
  if (chosen) {
    config_.lambdaTimeoutMs = chosen.info.timeoutMs;
    if (chosen.reserved !== undefined) config_.lambdaReservedConcurrency = chosen.reserved;
    // The failing route's own verdict, else every route of the function must be allowed.
    const verdicts = (policies ?? []).filter((v) => sameFunction(v.target, chosen.target) && (!failingRoute || v.route === failingRoute));
    if (verdicts.length > 0) config_.lambdaInvokePermission = verdicts.every((v) => v.allowed);
    target.functionArn = chosen.info.functionArn;
  }
  const dns = dnsFacts(dnsAnswers, failingRoute, routes, stage);
  if (dns) Object.assign(config_, dns);
  if (changes?.suspect) config_.minutesSinceDeploymentAtOnset = changes.suspect.minutesBefore;

  if (failingRoute) {
    if (failingRoute.resourceId) target.resourceId = failingRoute.resourceId;
    if (failingRoute.resourcePath) target.resourcePath = failingRoute.resourcePath;
    if (failingRoute.httpMethod) target.httpMethod = failingRoute.httpMethod;
    if (failingRoute.integration?.integrationId) target.integrationId = failingRoute.integration.integrationId;
  }

  const metrics: Metrics = { ...(apiMetrics?.metrics ?? {}), ...(chosen && lambdaSeries ? summariseLambdaMetrics(lambdaSeries, chosen.index, request.from, request.to) : {}) };
  const integrationType = typeof config_.integrationType === 'string' ? INTEGRATION_TYPE[config_.integrationType] : undefined;
  const evidence: Evidence = {
    status: request.status,
    apiType: api.apiType,
    ...(integrationType ? { integrationType } : {}),
    logLines: [...(executionLines ?? []), ...(access?.lines ?? []), ...(lambdaLines ?? [])],
    integrationErrorMessages: [],
    config: config_,
    metrics,
    target,
    skipped,
    logsRead: LOG_SOURCE_OF.filter(([source]) => checked.some((c) => c.source === source && c.ok)).map(([, log]) => log),
  };
  return {
    evidence,
    target,
    apiType: api.apiType,
    window: windowIso,
    checked: sortChecked(checked),
    failingRoutes: access?.routes ?? [],
    changes: changes ?? { events: [] },
    ...(apiMetrics?.onset ? { onset: apiMetrics.onset } : {}),
  };
}

const INTEGRATION_TYPE: Readonly<Record<string, Evidence['integrationType']>> = { AWS_PROXY: 'AWS_PROXY', AWS: 'AWS', HTTP_PROXY: 'HTTP_PROXY', HTTP: 'HTTP', MOCK: 'MOCK' };

function checkWindow(from: Date, to: Date): void {
  const span = to.getTime() - from.getTime();
  if (Number.isNaN(span) || span < MIN_WINDOW_MS) throw new UsageError('the window must end after it starts and last at least a minute; try --since 1h');
  if (span > MAX_WINDOW_MS) throw new UsageError('the window can be at most 7 days (Logs Insights scans every byte in it); try --since 24h or --since 7d');
}

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

/** The route that fails most according to the access logs. */
function routeOfFailures(routes: readonly RouteInfo[], failing: readonly FailingRoute[]): RouteInfo | undefined {
  for (const f of failing) {
    const route = routes.find(
      (r) =>
        (f.routeKey !== undefined && r.routeKey === f.routeKey) ||
        (f.resourcePath !== undefined && f.httpMethod !== undefined && r.resourcePath === f.resourcePath && (r.httpMethod === f.httpMethod || r.httpMethod === 'ANY')),
    );
    if (route) return route;
  }
  return undefined;
}

/** The only integrated route, or any of several that all reach the same target (one speaks for the rest). */
function onlyIntegratedRoute(routes: readonly RouteInfo[]): RouteInfo | undefined {
  const integrated = routes.filter((r) => r.integration && r.integration.type !== 'MOCK');
  const [only] = integrated;
  if (only && new Set(integrated.map((r) => r.integration?.uri)).size === 1) return only;
  return undefined;
}

/** The REST method most of these requests called: each request's path matched to its closest resource template. */
function routeOfRequests(routes: readonly RouteInfo[], requests: readonly RequestPath[]): RouteInfo | undefined {
  const votes = new Map<RouteInfo, number>();
  for (const req of requests) {
    let best: RouteInfo | undefined;
    let bestFit = -1;
    for (const r of routes) {
      if (r.resourcePath === undefined || (r.httpMethod !== req.httpMethod && r.httpMethod !== 'ANY')) continue;
      // An exact verb beats ANY on the same resource.
      const fit = matchResourcePath(r.resourcePath, req.path) * 2 + (r.httpMethod === req.httpMethod ? 1 : 0);
      if (matchResourcePath(r.resourcePath, req.path) >= 0 && fit > bestFit) {
        best = r;
        bestFit = fit;
      }
    }
    if (best) votes.set(best, (votes.get(best) ?? 0) + 1);
  }
  return [...votes].sort((a, b) => b[1] - a[1])[0]?.[0];
}

function lambdaTargetOf(route: RouteInfo, stage: StageInfo): LambdaTarget | null {
  const uri = route.integration?.uri;
  if (!uri || (route.integration?.type !== 'AWS_PROXY' && route.integration?.type !== 'AWS')) return null;
  return lambdaTargetFromUri(uri, stage.variables);
}

/** Distinct Lambda functions behind the given routes, at most `max`. */
function functionsToExamine(routes: readonly RouteInfo[], stage: StageInfo, max: number): LambdaTarget[] {
  const seen = new Map<string, LambdaTarget>();
  for (const r of routes) {
    const t = lambdaTargetOf(r, stage);
    if (t) seen.set(`${t.functionName}:${t.qualifier ?? ''}`, t);
  }
  return [...seen.values()].slice(0, max);
}

function sameFunction(a: LambdaTarget | null, b: LambdaTarget): boolean {
  return a !== null && shortName(a.functionName) === shortName(b.functionName) && (a.qualifier ?? '') === (b.qualifier ?? '');
}

/** A function name from a name or an ARN. */
function shortName(functionName: string): string {
  const m = /:function:([^:]+)/.exec(functionName);
  return m?.[1] ?? functionName;
}

/**
 * The function the facts describe: when the failing route is known there is one; otherwise the one
 * with the most errors and throttles in the window.
 */
function chooseFunction(
  functions: readonly { target: LambdaTarget; info: LambdaFunctionInfo | null; reserved: number | undefined }[],
  series: Map<string, MetricSeries> | undefined,
  from: Date,
  to: Date,
): { target: LambdaTarget; info: LambdaFunctionInfo; reserved: number | undefined; index: number } | undefined {
  let best: { target: LambdaTarget; info: LambdaFunctionInfo; reserved: number | undefined; index: number } | undefined;
  let bestScore = -1;
  functions.forEach((f, index) => {
    if (!f.info) return;
    const m = series ? summariseLambdaMetrics(series, index, from, to) : {};
    const score = (m.lambdaErrors ?? 0) + (m.lambdaThrottles ?? 0);
    if (score > bestScore) {
      best = { target: f.target, info: f.info, reserved: f.reserved, index };
      bestScore = score;
    }
  });
  return best;
}

function methodAndPath(route: RouteInfo, apiType: ApiType): { httpMethod?: string; resourcePath?: string } {
  if (apiType === 'WEBSOCKET') return { resourcePath: route.routeKey };
  // An HTTP API's catch-all route is named by its key in the source ARN: {apiId}/{stage}/$default.
  if (route.routeKey === '$default') return { resourcePath: '$default' };
  return { ...(route.httpMethod ? { httpMethod: route.httpMethod } : {}), ...(route.resourcePath ? { resourcePath: route.resourcePath } : {}) };
}

type Collect = <T>(source: SourceName, run: (deadline: number) => Promise<{ value: T; detail: string; ok?: boolean }>) => Promise<T | undefined>;

/** HTTP backends resolved at most: beyond that, DNS is looked up for none (the failing one is unknown). */
const MAX_HOSTS = 5;

/** The host an HTTP integration reaches over the internet, when it is a name (not an IP literal). */
function internetHost(route: RouteInfo, stage: StageInfo): string | undefined {
  const i = route.integration;
  if (!i?.uri || (i.type !== 'HTTP' && i.type !== 'HTTP_PROXY') || (i.connectionType ?? 'INTERNET') !== 'INTERNET') return undefined;
  const host = backendHost(i.uri, stage.variables);
  return host !== undefined && !/^[\d.]+$|:/.test(host) ? host : undefined;
}

/** DNS of the HTTP backends reached over the internet: an IPv6-only host is a cause of its own. */
async function collectDns(collect: Collect, ports: AwsPorts, routes: readonly RouteInfo[], stage: StageInfo): Promise<Map<string, DnsAnswer> | undefined> {
  const hosts = [...new Set(routes.map((r) => internetHost(r, stage)).filter((h): h is string => h !== undefined))];
  if (hosts.length === 0 || hosts.length > MAX_HOSTS) return undefined;
  return collect('dns', async () => {
    const answers = new Map(await Promise.all(hosts.map(async (h) => [h, await ports.dns.resolve(h)] as const)));
    const unresolved = hosts.filter((h) => answers.get(h)?.resolves === false);
    const detail = hosts.map((h) => {
      const a = answers.get(h);
      return !a?.resolves ? `${h} does not resolve` : `${h}: ${a.ipv4.length} A, ${a.ipv6.length} AAAA`;
    });
    return { value: answers, detail: detail.join('; '), ok: unresolved.length === 0 };
  });
}

/** The DNS facts of the failing route's backend, or of the only backend. */
function dnsFacts(answers: Map<string, DnsAnswer> | undefined, failingRoute: RouteInfo | undefined, routes: readonly RouteInfo[], stage: StageInfo): ConfigFacts | undefined {
  if (!answers) return undefined;
  const host = failingRoute ? internetHost(failingRoute, stage) : answers.size === 1 ? [...answers.keys()][0] : undefined;
  const answer = host === undefined ? undefined : answers.get(host);
  if (!answer || (failingRoute === undefined && routes.length === 0)) return undefined;
  return { backendResolves: answer.resolves, backendHasIPv4: answer.ipv4.length > 0, backendHasIPv6: answer.ipv6.length > 0 };
}

/** The log group a function writes to unless its logging config says otherwise. */
function lambdaLogGroup(t: LambdaTarget): string {
  return `/aws/lambda/${shortName(t.functionName)}`;
}

/** Runs a query; a missing log group is an answer (undefined), not a failure. */
async function queryOrMissing(ports: AwsPorts, query: Parameters<AwsPorts['logs']['runQuery']>[0], deadline: number): Promise<LogsQueryResult | undefined> {
  try {
    // Leave a second to report what came back before the collector's own timeout.
    return await ports.logs.runQuery(query, deadline - 1_000);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

function errorSeries(series: Map<string, MetricSeries>, apiType: ApiType): MetricSeries {
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

/**
 * A failed collector as a `skipped` entry: what could not be read, the upstream error, and what to
 * grant or do about it.
 */
export function toSkipped(source: SourceName, e: unknown, where?: { region: string; accountId?: string }): Skipped {
  if (e instanceof AwsCallError) {
    // Name the resource with the account once it is known (the call may have failed before it was).
    const iam = (where && iamNeedOf(e.service, e.command, e.input, where.region, where.accountId)) ?? e.need;
    const need = iam ? `${iam.action} on ${iam.resource}` : e.command;
    switch (e.kind) {
      case 'access-denied':
        return { source, reason: `${e.errorName} on ${need}`, fix: `allow ${iam?.action ?? e.command} on ${iam?.resource ?? '*'} for the role apigw-doctor uses (docs/iam-policy.json is the whole read-only policy)` };
      case 'throttled':
        return { source, reason: `still throttled after retries (${e.errorName} on ${need})`, fix: 're-run in a minute; other tools may be using the account’s API Gateway or CloudWatch quota' };
      case 'credentials':
        return { source, reason: `${e.errorName}: the AWS credentials are missing or expired`, fix: 'refresh the credentials (aws sso login, or the role in APIGW_DOCTOR_CONFIG)' };
      case 'not-found':
      case 'other':
        return { source, reason: e.message, fix: 're-run; if it persists, check the message above' };
    }
  }
  if (e instanceof TimeoutError) return { source, reason: e.message, fix: 're-run, narrow the window, or raise COLLECTOR_TIMEOUT_MS' };
  const message = e instanceof Error ? e.message : String(e);
  return { source, reason: message, fix: 're-run; if it persists, report it with this message' };
}

/** Rejects with a TimeoutError when `promise` has not settled within `ms`. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new TimeoutError(`no answer within ${Math.round(ms / 1000)} s`));
    }, ms);
    timer.unref();
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolution and stage listing cannot degrade: without them there is no investigation. */
export async function unlessUnavailable<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (e) {
    if (e instanceof AwsCallError) {
      const s = toSkipped('config', e);
      throw new AwsUnavailableError(`could not read API Gateway: ${s.reason}; ${s.fix}`);
    }
    throw e;
  }
}

/** Best-effort reads (account settings, reserved concurrency): their absence leaves a fact unknown. */
function optional(): undefined {
  return undefined;
}

/** The account id inside an ARN (`arn:aws:logs:us-east-1:123456789012:…`), when it has one. */
export function accountFromArn(arn: string | undefined): string | undefined {
  return arn ? /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):/.exec(arn)?.[1] : undefined;
}

function describeRows(lines: readonly LogLine[]): string {
  const total = lines.reduce((n, l) => n + (l.count ?? 1), 0);
  return total === 0 ? 'no matching lines' : `${fmt(total)} matching line${total === 1 ? '' : 's'} (${lines.length} distinct)`;
}

function partial(result: LogsQueryResult): string {
  return result.status === 'Partial' ? ' (partial: the query was still running at the time limit)' : '';
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function sortChecked(checked: readonly Checked[]): Checked[] {
  return [...checked].sort((a, b) => SOURCES.indexOf(a.source) - SOURCES.indexOf(b.source));
}
