/**
 * What the collectors found, put together as the evidence the engine reads: the failing route's
 * integration facts, the function the facts describe and its lines, metrics, the change that came just
 * before the errors, and which of it the stage shares with other stages that carry traffic (a function
 * several stages invoke, an access-log group they all write to), so that it never decides a cause alone.
 */
import type { ConfigFacts, Evidence, IntegrationType, LogLine, LogSource, Metrics, SharedEvidence, Skipped, Target } from '../diagnosis/evidence';
import type { MetricName } from '../diagnosis/facts';
import type { ChangeCorrelation } from './changes';
import type { AccessFindings } from './collectors/access-logs';
import type { ApiConfig } from './collectors/config';
import type { LambdaLogs } from './collectors/lambda-logs';
import type { ExaminedFunction } from './collectors/functions';
import type { ApiMetrics } from './collectors/metrics';
import type { RouteInvokeVerdict } from './collectors/lambda-policy';
import { integrationFacts, telemetryFacts } from './config-facts';
import type { LambdaTarget } from './lambda-policy';
import { rowsOfLogGroup, rowsToLogLines } from './log-queries';
import type { StageTraffic } from './metric-queries';
import { summariseLambdaMetrics } from './metric-queries';
import type { ApiSummary, DnsAnswer, MetricSeries, RouteInfo, StageInfo } from './ports';
import { chooseFunction, internetHost, lambdaLogGroup, lambdaTargetOf, sameFunction } from './routes';

/** Everything the steps produced; a source that could not be read is undefined. */
export interface Collected {
  api: ApiSummary;
  stage: StageInfo;
  stages: readonly StageInfo[];
  target: Target;
  status: Evidence['status'];
  window: { from: Date; to: Date };
  config?: ApiConfig;
  executionLines?: LogLine[];
  access?: AccessFindings;
  lambdaLogs?: LambdaLogs;
  apiMetrics?: ApiMetrics;
  functions: ExaminedFunction[];
  lambdaSeries?: Map<string, MetricSeries>;
  policies?: RouteInvokeVerdict[];
  dnsAnswers?: Map<string, DnsAnswer>;
  changes?: ChangeCorrelation;
  failingRoute?: RouteInfo;
  skipped: Skipped[];
  /** The logs read in full for the window. */
  logsRead: LogSource[];
}

/** Lambda metric facts, which count every caller of the function. */
const LAMBDA_METRICS: readonly MetricName[] = ['lambdaErrors', 'lambdaThrottles', 'lambdaDurationMaxMs'];

const INTEGRATION_TYPE: Readonly<Record<string, IntegrationType>> = { AWS_PROXY: 'AWS_PROXY', AWS: 'AWS', HTTP_PROXY: 'HTTP_PROXY', HTTP: 'HTTP', MOCK: 'MOCK' };

/** The evidence, and the target filled in with what the configuration and the failing route revealed. */
export function assembleEvidence(c: Collected): Evidence {
  const { api, stage, failingRoute, window } = c;
  const target: Target = { ...c.target };
  const failingFunction = failingRoute ? lambdaTargetOf(failingRoute, stage) : null;
  const chosen = chooseFunction(
    c.functions.filter((f) => !failingFunction || sameFunction(failingFunction, f.target)),
    c.lambdaSeries,
    window.from,
    window.to,
  );
  // Lambda lines of the function the facts describe (the query read every examined function).
  const lambdaRows = c.lambdaLogs?.rows;
  const lambdaLines = lambdaRows ? rowsToLogLines(chosen ? rowsOfLogGroup(lambdaRows, lambdaLogGroup(chosen.target)) : lambdaRows, 'lambda') : undefined;
  const report = chosen ? c.lambdaLogs?.reports.get(chosen.info.logGroup) ?? c.lambdaLogs?.reports.get(lambdaLogGroup(chosen.target)) : undefined;

  const config: ConfigFacts = {
    ...telemetryFacts(api, stage, c.config?.account, failingRoute),
    ...(failingRoute ? integrationFacts(api, stage, failingRoute, c.config?.authorizers ?? []) : {}),
  };
  if (chosen) {
    config.lambdaTimeoutMs = chosen.info.timeoutMs;
    const memory = chosen.info.memoryMb ?? report?.memorySizeMb;
    if (memory !== undefined) config.lambdaMemorySizeMb = memory;
    if (chosen.reserved !== undefined) config.lambdaReservedConcurrency = chosen.reserved;
    // The failing route's own verdict, else every route of the function must be allowed.
    const verdicts = (c.policies ?? []).filter((v) => sameFunction(v.target, chosen.target) && (!failingRoute || v.route === failingRoute));
    if (verdicts.length > 0) config.lambdaInvokePermission = verdicts.every((v) => v.allowed);
    target.functionArn = chosen.info.functionArn;
  }
  const dns = dnsFacts(c.dnsAnswers, failingRoute, c.config?.routes ?? [], stage);
  if (dns) Object.assign(config, dns);
  if (c.changes?.suspect) config.minutesSinceDeploymentAtOnset = c.changes.suspect.minutesBefore;

  if (failingRoute) {
    if (failingRoute.resourceId) target.resourceId = failingRoute.resourceId;
    if (failingRoute.resourcePath) target.resourcePath = failingRoute.resourcePath;
    if (failingRoute.httpMethod) target.httpMethod = failingRoute.httpMethod;
    if (failingRoute.integration?.integrationId) target.integrationId = failingRoute.integration.integrationId;
  }

  const metrics: Metrics = { ...(c.apiMetrics?.metrics ?? {}), ...(chosen && c.lambdaSeries ? summariseLambdaMetrics(c.lambdaSeries, chosen.index, window.from, window.to) : {}) };
  if (report?.maxMemoryUsedMb !== undefined) metrics.lambdaMaxMemoryUsedMb = report.maxMemoryUsedMb;
  // The REPORT lines' longest duration when the Duration metric gave none.
  if (metrics.lambdaDurationMaxMs === undefined && report?.maxDurationMs !== undefined) metrics.lambdaDurationMaxMs = report.maxDurationMs;
  const integrationType = typeof config.integrationType === 'string' ? INTEGRATION_TYPE[config.integrationType] : undefined;
  const shared = sharedEvidence(c, chosen?.target);
  return {
    status: c.status,
    apiType: api.apiType,
    ...(integrationType ? { integrationType } : {}),
    logLines: [...(c.executionLines ?? []), ...(c.access?.lines ?? []), ...(lambdaLines ?? [])],
    integrationErrorMessages: [],
    config,
    metrics,
    target,
    skipped: c.skipped,
    logsRead: c.logsRead,
    ...(shared ? { shared } : {}),
  };
}

/**
 * What this stage shares with other stages that carried requests in the window: the function the facts
 * describe when another stage invokes the same function (and qualifier), and the access-log group when
 * another stage writes to it and the format cannot tell them apart. A stage with no traffic cannot have
 * added to the function's errors, so it does not make the evidence shared; unknown traffic does.
 */
function sharedEvidence(c: Collected, fn: LambdaTarget | undefined): SharedEvidence | undefined {
  const traffic = new Map<string, StageTraffic>((c.apiMetrics?.stages ?? []).map((t) => [t.stage, t]));
  const busy = (name: string): boolean => {
    const t = traffic.get(name);
    return t === undefined || t.count > 0 || t.count5xx > 0;
  };
  const logs = new Set<LogSource>();
  const metrics = new Set<MetricName>();
  const others = new Set<string>();
  if (fn) {
    const routes = (c.config?.routes ?? []).filter((r) => sameFunction(lambdaTargetOf(r, c.stage), fn));
    for (const s of c.stages) {
      if (s.name === c.stage.name || !busy(s.name)) continue;
      if (!routes.some((r) => sameFunction(lambdaTargetOf(r, s), fn))) continue;
      others.add(s.name);
      logs.add('lambda');
      for (const m of LAMBDA_METRICS) metrics.add(m);
    }
  }
  for (const name of c.access?.sharedWith ?? []) {
    if (!busy(name)) continue;
    others.add(name);
    logs.add('access');
  }
  if (others.size === 0) return undefined;
  return { logs: [...logs], metrics: [...metrics], with: [...others].sort().map((s) => `stage ${s}`) };
}

/** The DNS facts of the failing route's backend, or of the only backend. */
function dnsFacts(answers: Map<string, DnsAnswer> | undefined, failingRoute: RouteInfo | undefined, routes: readonly RouteInfo[], stage: StageInfo): ConfigFacts | undefined {
  if (!answers) return undefined;
  const host = failingRoute ? internetHost(failingRoute, stage) : answers.size === 1 ? [...answers.keys()][0] : undefined;
  const answer = host === undefined ? undefined : answers.get(host);
  if (!answer || (failingRoute === undefined && routes.length === 0)) return undefined;
  return { backendResolves: answer.resolves, backendHasIPv4: answer.ipv4.length > 0, backendHasIPv6: answer.ipv6.length > 0 };
}
