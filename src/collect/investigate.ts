/**
 * The investigation: from an API reference, a status and a window, gather what an expert would look
 * at and hand it to the engine as evidence. The API and stage are resolved first; then the collectors
 * of `collectors/index.ts` run in parallel, each as soon as what it needs is known (the graph drawn
 * there), each with a timeout; a collector that fails becomes a `skipped` entry naming the missing IAM
 * action, and the rest still make an answer. `assemble.ts` puts what they found together.
 */
import type { ApiType, Evidence, Skipped, StatusQuery, Target } from '../diagnosis/evidence';
import { UsageError } from '../errors';
import type { Collected } from './assemble';
import { assembleEvidence } from './assemble';
import type { ChangeCorrelation } from './changes';
import type { AnyStep, InvestigationScope } from './collectors/collector';
import { changes } from './collectors/changes';
import { accessLogs } from './collectors/access-logs';
import { config } from './collectors/config';
import { dns } from './collectors/dns';
import { executionLogs } from './collectors/execution-logs';
import { failingRoute } from './collectors/failing-route';
import { functions } from './collectors/functions';
import type { SourceName } from './collectors/index';
import { COLLECTORS, SOURCES } from './collectors/index';
import { lambdaLogs } from './collectors/lambda-logs';
import { lambdaMetrics } from './collectors/lambda-metrics';
import { lambdaPolicy } from './collectors/lambda-policy';
import { metrics } from './collectors/metrics';
import { StepRunner } from './collectors/runner';
import type { LogLiterals } from './log-literals';
import type { FailingRoute } from './log-queries';
import { memoizePort } from './memoize';
import type { StageTraffic } from './metric-queries';
import { choosePeriodS } from './metric-queries';
import type { AwsPorts } from './ports';
import { accountFromArn, parseApiRefIn, resolveApiStage } from './resolve-stage';

export { SOURCES } from './collectors/index';
export type { SourceName } from './collectors/index';

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
  /**
   * Called once the API and stage are resolved, before anything is said of them or any evidence is
   * read: throws (a `NotAllowedError`) when the asker may not see this target.
   */
  authorize?: (target: { apiId: string; apiName: string; stage: string; region: string }) => void;
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
  /** Every stage of the API with its 5xx and requests in the window, when the metrics could be read. */
  stages?: StageTraffic[];
}

/** The collectors that read each log. */
const LOG_SOURCE_OF = [
  ['execution-logs', 'execution'],
  ['access-logs', 'access'],
  ['lambda-logs', 'lambda'],
] as const;

/** Windows asked about: 15 minutes to 7 days (Logs Insights cost grows with the range). */
export const MIN_WINDOW_MS = 60_000;
export const MAX_WINDOW_MS = 7 * 24 * 3_600_000;
const DEFAULT_TIMEOUT_MS = 25_000;
/** How far before the window metrics look, to find when errors started (at least 1 h, at most 24 h). */
const lookbackMs = (windowMs: number): number => Math.min(24 * 3_600_000, Math.max(3_600_000, windowMs));

/** Runs an investigation. Throws a UserError when the target cannot be resolved; everything else degrades. */
export async function investigate(aws: AwsPorts, request: InvestigationRequest, options: InvestigationOptions): Promise<Investigation> {
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

  // ── Target and stage ──────────────────────────────────────────────────────────────────────────
  const ref = parseApiRefIn(request.api, ports.region);
  const identity = ports.identity.getCallerIdentity().catch(() => undefined);
  const window = { from: request.from, to: request.to };
  const { api, stage, stages } = await resolveApiStage(ports, ref, request.stage, window);
  const accountId = (await identity)?.accountId ?? accountFromArn(stage.accessLog?.destinationArn);
  const target: Target = { apiId: api.apiId, apiName: api.name, stage: stage.name, region: ports.region, ...(accountId ? { accountId } : {}) };
  options.authorize?.({ apiId: api.apiId, apiName: api.name, stage: stage.name, region: ports.region });
  const windowIso = { from: request.from.toISOString(), to: request.to.toISOString() };
  options.onProgress?.({ kind: 'target', target: { ...target }, apiType: api.apiType, window: windowIso });

  // ── Collectors ────────────────────────────────────────────────────────────────────────────────
  const metricsFrom = new Date(request.from.getTime() - lookbackMs(request.to.getTime() - request.from.getTime()));
  const scope: InvestigationScope = {
    ports,
    api,
    stage,
    stages,
    ...(accountId ? { accountId } : {}),
    status: request.status,
    window,
    metricsFrom,
    // The window's own period (as `apis` uses), so that both count the same datapoints; the lookback
    // before it at that period stays within GetMetricData's bounds (at most 2 × 1,440 points a series).
    periodS: choosePeriodS(request.from, request.to),
    literals: options.literals,
    timeoutMs: options.collectorTimeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxFunctions: options.maxFunctions ?? 5,
    now: options.now ?? Date.now,
  };
  const checked: Checked[] = [];
  const skipped: Skipped[] = [];
  const runner = new StepRunner(scope, {
    report: (source, result) => {
      const c: Checked = { source: source as SourceName, ...result };
      checked.push(c);
      options.onProgress?.({ kind: 'source', checked: c });
    },
    skipped: (entry) => {
      skipped.push(entry);
      const c: Checked = { source: entry.source as SourceName, ok: false, detail: entry.reason };
      checked.push(c);
      options.onProgress?.({ kind: 'source', checked: c });
    },
  });
  // Every source, and the steps the assembly reads, start now; each waits only for what it needs.
  const steps: readonly AnyStep[] = [...COLLECTORS, failingRoute, functions, lambdaMetrics];
  await Promise.all(steps.map((s) => runner.get(s)));

  // ── Assemble ───────────────────────────────────────────────────────────────────────────────────
  const apiMetrics = await runner.get(metrics);
  const access = await runner.get(accessLogs);
  const collected: Collected = {
    api,
    stage,
    stages,
    target,
    status: request.status,
    window,
    ...defined({
      config: await runner.get(config),
      executionLines: await runner.get(executionLogs),
      access,
      lambdaLogs: await runner.get(lambdaLogs),
      apiMetrics,
      lambdaSeries: await runner.get(lambdaMetrics),
      policies: await runner.get(lambdaPolicy),
      dnsAnswers: await runner.get(dns),
      changes: await runner.get(changes),
      failingRoute: await runner.get(failingRoute),
    }),
    functions: await runner.get(functions),
    skipped,
    logsRead: LOG_SOURCE_OF.filter(([source]) => checked.some((c) => c.source === source && c.ok)).map(([, log]) => log),
  };
  const evidence = assembleEvidence(collected);
  return {
    evidence,
    target: evidence.target,
    apiType: api.apiType,
    window: windowIso,
    checked: sortChecked(checked),
    failingRoutes: access?.routes ?? [],
    changes: collected.changes ?? { events: [] },
    ...(apiMetrics?.onset ? { onset: apiMetrics.onset } : {}),
    ...(apiMetrics ? { stages: apiMetrics.stages } : {}),
  };
}

/** The entries whose value is not undefined (optional properties stay absent rather than undefined). */
function defined<T extends Record<string, unknown>>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

function checkWindow(from: Date, to: Date): void {
  const span = to.getTime() - from.getTime();
  if (Number.isNaN(span) || span < MIN_WINDOW_MS) throw new UsageError('the window must end after it starts and last at least a minute; try --since 1h');
  if (span > MAX_WINDOW_MS) throw new UsageError('the window can be at most 7 days (Logs Insights scans every byte in it); try --since 24h or --since 7d');
}

/** Re-exported for the callers that resolve a stage or report a failed read the same way. */
export { accountFromArn, parseApiRefIn, resolveApiStage } from './resolve-stage';
export { toSkipped, unlessUnavailable } from './failures';

function sortChecked(checked: readonly Checked[]): Checked[] {
  return [...checked].sort((a, b) => SOURCES.indexOf(a.source) - SOURCES.indexOf(b.source));
}
