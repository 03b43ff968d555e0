/**
 * The 5xx digest (DESIGN.md §1, "And the digest"): every API stage of the configured accounts and
 * Regions with its 5xx and requests over the period and the period before, and the likely cause of the
 * worst, as {@link DigestData}. Pure over the ports, like `list-apis.ts`, whose listing and metric
 * queries it shares.
 *
 * What it costs, per account and Region: the API and stage listings, and one batched GetMetricData
 * over both periods (the metrics port sends it in calls of at most 500 queries; the period is chosen so
 * that no call needs a second page). Then, for the stages with the most 5xx only, one bounded Logs
 * Insights query each, a few at a time: a digest of 600 stages never runs 600 queries.
 *
 * What cannot be read is said, never fatal: an account and Region that cannot be listed or measured is
 * one {@link UnreadablePart} and the others still count; a log query that fails leaves that row's
 * cause `unreadable`.
 */
import { diagnose, scanEvidence } from '../diagnosis/engine';
import type { Evidence, LogLine, LogSource } from '../diagnosis/evidence';
import type { KnowledgeBase } from '../diagnosis/knowledge/cause';
import { requestsByStatus } from '../diagnosis/log-scanner';
import { AwsUnavailableError, UsageError } from '../errors';
import { AwsCallError, isNotFound } from './call-aws';
import type { DigestData, DigestRow, LikelyCause, UnreadablePart } from './digest-data';
import { toSkipped, within } from './failures';
import type { ListedStage } from './list-apis';
import { listApiStages, rankStages, stageCountQueries, stageSeries } from './list-apis';
import type { LogLiterals } from './log-literals';
import { logLiteralsOf } from './log-literals';
import {
  accessFailuresQuery,
  accessRowsToLogLines,
  executionLogGroup,
  logGroupFromArn,
  messageGroupsQuery,
  parseAccessLogFormat,
  rawLinesQuery,
  rawRowsToLogLines,
  rowsToLogLines,
} from './log-queries';
import { choosePeriodS, summariseApiMetrics } from './metric-queries';
import type { AwsPorts, LogsQueryResult, MetricSeries } from './ports';

/** Stages whose likely cause is looked up in their logs (one Logs Insights query each), most 5xx first. */
export const DIGEST_TOP_CAUSES = 5;
/** Log queries running at once, over all accounts: the digest must not take the account's Insights quota. */
export const DIGEST_QUERY_CONCURRENCY = 3;
/** Time one log query may take, in ms; past it the rows so far are classified (a `Partial` result). */
export const DIGEST_LOG_QUERY_TIMEOUT_MS = 20_000;
/** Message groups (or access-log rows) asked of each query: the top messages are all a digest line needs. */
export const DIGEST_QUERY_ROWS = 50;
/** The longest top message an `unknown` cause carries. */
export const TOP_MESSAGE_CHARS = 160;

/** GetMetricData: at most 500 queries and 100,800 data points a call (platform-facts §11). */
const MAX_QUERIES_PER_CALL = 500;
const MAX_DATAPOINTS_PER_CALL = 100_800;
/** Points a query may return so that a full call of 500 queries still fits in one page. */
const MAX_POINTS_PER_QUERY = Math.floor(MAX_DATAPOINTS_PER_CALL / MAX_QUERIES_PER_CALL);
const MINUTE_MS = 60_000;
const DAY_S = 86_400;

export interface DigestTarget {
  /** The `accounts:` alias, copied onto the rows; absent for the default credentials. */
  account?: string;
  ports: AwsPorts;
}

export interface DigestOptions {
  knowledge: KnowledgeBase;
  /** The current time: decides the metrics' resolution (CloudWatch keeps one-minute data for 15 days). */
  now: Date;
  /** Stages whose logs are read for a likely cause. Default {@link DIGEST_TOP_CAUSES}. */
  topCauses?: number;
  /** Time each log query may take, in ms. Default {@link DIGEST_LOG_QUERY_TIMEOUT_MS}. */
  logQueryTimeoutMs?: number;
}

/** The period read and the one before it, same length, in whole minutes. */
export interface DigestWindow {
  /** Where the period before starts. */
  start: Date;
  from: Date;
  to: Date;
}

/**
 * The digest's two periods: `window` moved back to whole minutes (CloudWatch rounds its start down to
 * the minute anyway, and a point that straddled `from` would belong to neither period), and the period
 * of the same length before it. Throws a UsageError for a window shorter than a minute.
 */
export function digestWindow(window: { from: Date; to: Date }): DigestWindow {
  const to = Math.floor(window.to.getTime() / MINUTE_MS) * MINUTE_MS;
  const from = Math.floor(window.from.getTime() / MINUTE_MS) * MINUTE_MS;
  if (!(to - from >= MINUTE_MS)) throw new UsageError('the digest window must end after it starts and last at least a minute; try --since 24h');
  return { start: new Date(from - (to - from)), from: new Date(from), to: new Date(to) };
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/**
 * The metric period for reading both halves of a {@link digestWindow} in one request: as long as
 * possible (few points: 600 stages still fit 500 queries a call, each call one page), and a divisor of
 * the window's length, so that `from` falls on a period boundary and no point mixes the two periods.
 *
 * CloudWatch counts periods from the request's start; the period is also chosen to divide the start's
 * time since the epoch where that still keeps each query within {@link MAX_POINTS_PER_QUERY} points, so
 * that the periods are the same when counted from the epoch (as the sandbox counts them). Otherwise the
 * whole window length (two points a query). Periods are multiples of 60 s, or of 300 (3,600) s when
 * the start is older than 15 (63) days, which is all CloudWatch still holds then.
 */
export function digestPeriodS(w: DigestWindow, now: Date): number {
  const lengthS = (w.to.getTime() - w.from.getTime()) / 1000;
  const ageS = (now.getTime() - w.start.getTime()) / 1000;
  const step = ageS > 63 * DAY_S ? 3_600 : ageS > 15 * DAY_S ? 300 : 60;
  // A window that is not a whole number of periods cannot be split exactly: the investigation's period.
  if (lengthS % step !== 0) return choosePeriodS(w.start, w.to, now);
  const aligned = gcd(lengthS, w.start.getTime() / 1000);
  if (aligned % step === 0 && (2 * lengthS) / aligned <= MAX_POINTS_PER_QUERY) return aligned;
  return lengthS;
}

/** Relative change of the 5xx count (1.5 = +150%); undefined when there were none before. */
export function changeOf(now5xx: number, before5xx: number): number | undefined {
  return before5xx > 0 ? (now5xx - before5xx) / before5xx : undefined;
}

/** A row and what is needed to read its stage's logs. */
interface ReadRow {
  row: DigestRow;
  ports: AwsPorts;
  listed: ListedStage;
}

type TargetResult = { ok: true; rows: ReadRow[]; apiCount: number } | { ok: false; part: UnreadablePart };

/**
 * Collects the digest of `targets` (account and Region each) over `window` and the period of the same
 * length before it. Targets are read in parallel; one that cannot be listed or measured becomes an
 * `unreadable` part (with the IAM action to allow) and the others still count. The likely cause of the
 * `topCauses` stages with the most 5xx comes from one bounded Logs Insights query each,
 * {@link DIGEST_QUERY_CONCURRENCY} at a time; a query failing leaves that cause `unreadable`.
 *
 * @param options.topCauses default {@link DIGEST_TOP_CAUSES}.
 * @param options.logQueryTimeoutMs default {@link DIGEST_LOG_QUERY_TIMEOUT_MS}.
 */
export async function collectDigest(targets: readonly DigestTarget[], window: { from: Date; to: Date }, options: DigestOptions): Promise<DigestData> {
  const w = digestWindow(window);
  const periodS = digestPeriodS(w, options.now);
  const results = await Promise.all(targets.map((t) => readTarget(t, w, periodS)));

  const read = results.flatMap((r) => (r.ok ? r.rows : []));
  const ranked = rankStages(read.map((r) => r.row));
  const byRow = new Map(read.map((r) => [r.row, r]));
  const worst = ranked
    .filter((r) => r.count5xx > 0)
    .slice(0, Math.max(0, options.topCauses ?? DIGEST_TOP_CAUSES))
    .map((r) => byRow.get(r))
    .filter((r): r is ReadRow => r !== undefined);
  const literals = logLiteralsOf(options.knowledge);
  const timeoutMs = options.logQueryTimeoutMs ?? DIGEST_LOG_QUERY_TIMEOUT_MS;
  await forEachLimited(worst, DIGEST_QUERY_CONCURRENCY, async (r) => {
    r.row.likelyCause = await likelyCause(r, w, { kb: options.knowledge, literals, timeoutMs });
  });

  const apisWith5xx = new Set(ranked.filter((r) => r.count5xx > 0).map((r) => JSON.stringify([r.account, r.region, r.apiId]))).size;
  return {
    window: { from: w.from.toISOString(), to: w.to.toISOString() },
    before: { from: w.start.toISOString(), to: w.from.toISOString() },
    rows: ranked,
    unreadable: results.flatMap((r) => (r.ok ? [] : [r.part])),
    apiCount: results.reduce((n, r) => n + (r.ok ? r.apiCount : 0), 0),
    totals: {
      count5xx: sum(ranked, (r) => r.count5xx),
      count: sum(ranked, (r) => r.count),
      before5xx: sum(ranked, (r) => r.before5xx),
      apisWith5xx,
    },
  };
}

function sum<T>(items: readonly T[], of: (item: T) => number): number {
  return items.reduce((n, item) => n + of(item), 0);
}

/** Runs `run` over `items`, at most `limit` at once. */
async function forEachLimited<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await run(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** One account and Region: its stages and their counts in both periods, or why it could not be read. */
async function readTarget(target: DigestTarget, w: DigestWindow, periodS: number): Promise<TargetResult> {
  const { ports } = target;
  const account = target.account !== undefined ? { account: target.account } : {};
  try {
    const { apis, stages } = await listApiStages(ports);
    if (stages.length === 0) return { ok: true, rows: [], apiCount: apis.length };
    let series: Map<string, MetricSeries>;
    try {
      series = await ports.metrics.getMetricData(stageCountQueries(stages.map(({ api, stage }) => ({ api, stage: stage.name })), periodS), w.start, w.to);
    } catch (e) {
      throw new MetricsFailed(e);
    }
    // Inclusive ranges: the point at `from` opens this period, so the one before ends just short of it.
    const beforeEnd = new Date(w.from.getTime() - 1);
    const rows = stages.map((listed, i): ReadRow => {
      const { api, stage } = listed;
      const own = stageSeries(series, i);
      const now = summariseApiMetrics(own, api.apiType, w.from, w.to);
      const before = summariseApiMetrics(own, api.apiType, w.start, beforeEnd);
      const count5xx = Math.round(now.count5xx ?? 0);
      const count = Math.round(now.count ?? 0);
      const before5xx = Math.round(before.count5xx ?? 0);
      const change = changeOf(count5xx, before5xx);
      const row: DigestRow = {
        ...account,
        region: ports.region,
        apiId: api.apiId,
        apiName: api.name,
        apiType: api.apiType,
        stage: stage.name,
        count5xx,
        count,
        errorRate: count > 0 ? Math.min(1, count5xx / count) : 0,
        before5xx,
        beforeCount: Math.round(before.count ?? 0),
        ...(change !== undefined ? { change } : {}),
      };
      return { row, ports, listed };
    });
    return { ok: true, rows, apiCount: apis.length };
  } catch (e) {
    const part = unreadablePart(e, ports.region);
    if (!part) throw e;
    return { ok: false, part: { ...account, ...part } };
  }
}

/** The metrics read failing, told apart from the listing failing (the reason names the read). */
class MetricsFailed extends Error {
  constructor(readonly error: unknown) {
    super(error instanceof Error ? error.message : String(error));
    this.name = 'MetricsFailed';
  }
}

/**
 * Why an account and Region could not be read, and what to do: a refused or failed AWS call (named
 * with its IAM action, as every skipped source is), AWS unavailable, or an account that cannot be used.
 * Undefined for anything else (a bug, which should not pass as an unreadable account).
 */
function unreadablePart(e: unknown, region: string): Omit<UnreadablePart, 'account'> | undefined {
  const what = e instanceof MetricsFailed ? 'the API Gateway metrics' : 'the APIs';
  const error = e instanceof MetricsFailed ? e.error : e;
  if (error instanceof AwsCallError) {
    const s = toSkipped(what, error, { region });
    return { region, reason: `could not read ${what}: ${s.reason}`, fix: s.fix };
  }
  if (error instanceof AwsUnavailableError) return { region, reason: error.message, fix: 'check the credentials and the role apigw-doctor uses for this account (docs/iam-policy.json)' };
  if (error instanceof UsageError) return { region, reason: error.message, fix: 'check the account and its regions in APIGW_DOCTOR_CONFIG' };
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// Likely causes
// ---------------------------------------------------------------------------------------------------

interface CauseContext {
  kb: KnowledgeBase;
  literals: LogLiterals;
  timeoutMs: number;
}

/** One log a stage's likely cause can be read from: the groups to try, in order, and how to read the rows. */
interface LogPlan {
  source: Extract<LogSource, 'execution' | 'access'>;
  groups: string[];
  queryString: string;
  toLines: (rows: readonly Readonly<Record<string, string>>[]) => LogLine[];
}

/**
 * The logs a stage writes, best first: its execution log (REST and WebSocket, when logging is ERROR or
 * INFO anywhere on the stage), then its access log (when it goes to a CloudWatch log group). Empty
 * when it writes neither to CloudWatch Logs. Throws on an id or stage name outside the allow-lists.
 */
function logPlans(listed: ListedStage, literals: LogLiterals): LogPlan[] {
  const { api, stage } = listed;
  const plans: LogPlan[] = [];
  const executionOn = api.apiType !== 'HTTP' && Object.values(stage.methodSettings).some((s) => s.loggingLevel === 'ERROR' || s.loggingLevel === 'INFO');
  if (executionOn) {
    // As the execution-logs collector: WebSocket APIs are reported to write to /aws/apigateway/{id}/{stage}.
    const rest = executionLogGroup(api.apiId, stage.name);
    plans.push({
      source: 'execution',
      groups: api.apiType === 'WEBSOCKET' ? [`/aws/apigateway/${api.apiId}/${stage.name}`, rest] : [rest],
      queryString: messageGroupsQuery(literals.execution, 'execution', DIGEST_QUERY_ROWS),
      toLines: (rows) => rowsToLogLines(rows, 'execution'),
    });
  }
  const group = stage.accessLog ? logGroupFromArn(stage.accessLog.destinationArn) : null;
  if (group) {
    const format = parseAccessLogFormat(stage.accessLog?.format ?? '');
    const fields = format ? accessFailuresQuery(format, DIGEST_QUERY_ROWS, stage.name) : null;
    plans.push({
      source: 'access',
      groups: [group],
      queryString: fields ?? rawLinesQuery(literals.access, DIGEST_QUERY_ROWS),
      toLines: (rows) => (format && fields ? accessRowsToLogLines(rows, format) : rawRowsToLogLines(rows, 'access')),
    });
  }
  return plans;
}

/**
 * The likely cause of one stage's 5xx: the top messages of its best log over the period, classified by
 * the knowledge base. One query runs: a log group that does not exist refuses StartQuery without
 * scanning anything, and only then is the next group or log tried. Never rejects.
 */
async function likelyCause(r: ReadRow, w: DigestWindow, ctx: CauseContext): Promise<LikelyCause> {
  const { api, stage } = r.listed;
  let plans: LogPlan[];
  try {
    plans = logPlans(r.listed, ctx.literals);
  } catch (e) {
    // An id or stage name outside the allow-lists never reaches a query.
    return { kind: 'unreadable', reason: e instanceof Error ? e.message : String(e) };
  }
  if (plans.length === 0) {
    if (stage.accessLog) return { kind: 'unreadable', reason: `access logs go to ${stage.accessLog.destinationArn}, not a CloudWatch log group` };
    return { kind: 'logging-off' };
  }
  const tried: string[] = [];
  try {
    for (const plan of plans) {
      for (const group of plan.groups) {
        tried.push(group);
        const result = await runBounded(r.ports, { logGroups: [group], queryString: plan.queryString, from: w.from, to: w.to, limit: DIGEST_QUERY_ROWS }, ctx.timeoutMs);
        if (!result) continue;
        return classify(plan.toLines(result.rows), api.apiType, r.row, ctx.kb);
      }
    }
  } catch (e) {
    return { kind: 'unreadable', reason: toSkipped('logs', e, { region: r.ports.region }).reason };
  }
  return { kind: 'unreadable', reason: `log group ${tried.join(' / ')} does not exist (nothing logged yet, or no CloudWatch role for API Gateway in ${r.ports.region})` };
}

/** One query under the time limit: undefined when its log group does not exist; rejects on any other failure. */
async function runBounded(ports: AwsPorts, query: Parameters<AwsPorts['logs']['runQuery']>[0], timeoutMs: number): Promise<LogsQueryResult | undefined> {
  try {
    // The port stops the query at the deadline and returns its rows so far; `within` guards a call that
    // hangs, leaving a quarter more for stopping the query and reading what it found.
    return await within(ports.logs.runQuery(query, Date.now() + timeoutMs), timeoutMs * 1.25);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/**
 * What the lines say, in the knowledge base's terms: the first root cause that lines (not metrics
 * alone) point at, with the share of the failing requests those lines stand for; else the most
 * frequent message.
 */
export function classify(lines: readonly LogLine[], apiType: DigestRow['apiType'], row: Pick<DigestRow, 'apiId' | 'apiName' | 'stage' | 'region' | 'count5xx'>, kb: KnowledgeBase): LikelyCause {
  if (lines.length === 0) return { kind: 'unknown' };
  const evidence: Evidence = {
    status: '5xx',
    apiType,
    logLines: [...lines],
    integrationErrorMessages: [],
    config: {},
    metrics: { count5xx: row.count5xx },
    target: { apiId: row.apiId, apiName: row.apiName, stage: row.stage, region: row.region },
    skipped: [],
  };
  const digest = scanEvidence(kb, evidence);
  const diagnosis = diagnose(kb, evidence, digest);
  // Failing requests the lines stand for; without a status in them, every line read.
  const failing = sum([...requestsByStatus(digest).values()], (n) => n) || sum(lines, (l) => l.count ?? 1);
  for (const finding of diagnosis.findings) {
    if (finding.kind !== 'root-cause') continue;
    const cause = kb.causes.find((c) => c.id === finding.causeId);
    const hits = Math.max(0, ...(cause?.signals ?? []).filter((s) => s.kind === 'log' || s.kind === 'access').map((s) => digest.signalHits.get(s.uid) ?? 0));
    if (hits === 0) continue;
    return { kind: 'cause', causeId: finding.causeId, title: finding.title, share: Math.round(Math.min(1, hits / failing) * 100) / 100 };
  }
  const message = topMessage(lines);
  return message !== undefined ? { kind: 'unknown', topMessage: message } : { kind: 'unknown' };
}

/** The status line every failing REST request ends with: it says that it failed, not why. */
const STATUS_LINE = /^(?:\([^)]*\) )?Method completed with status: \d+\s*$/;

/**
 * The most frequent message that says something, clipped to {@link TOP_MESSAGE_CHARS}: without the
 * execution log's request-id prefix; for an access-log line, its error fields rather than its JSON.
 */
export function topMessage(lines: readonly LogLine[]): string | undefined {
  const texts = lines
    .filter((l) => !STATUS_LINE.test(l.message))
    .map((l) => ({ text: readable(l), n: l.count ?? 1 }))
    .filter((t) => t.text !== '')
    .sort((a, b) => b.n - a.n);
  const text = texts[0]?.text;
  if (text === undefined) return undefined;
  return text.length > TOP_MESSAGE_CHARS ? `${text.slice(0, TOP_MESSAGE_CHARS - 1)}…` : text;
}

/** The canonical access-line keys that say why a request failed, most telling first. */
const ACCESS_ERROR_FIELDS = ['integrationErrorMessage', 'errorMessage', 'responseType', 'integrationError', 'authorizerError'] as const;

function readable(line: LogLine): string {
  const text = line.message.replace(/^\([A-Za-z0-9=_-]{8,64}\) /, '').trim();
  if (line.source !== 'access' || !text.startsWith('{')) return text.replace(/\s+/g, ' ');
  let fields: Record<string, unknown>;
  try {
    fields = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return text;
  }
  const field = (k: string): string | undefined => {
    const v = fields[k];
    return typeof v === 'string' && v !== '' && v !== '-' ? v : undefined;
  };
  const said = [...new Set(ACCESS_ERROR_FIELDS.map(field).filter((v) => v !== undefined))];
  // Without an error field the line still says which route failed, with which status.
  const what = said.length > 0 ? said.join(' · ') : [field('httpMethod'), field('resourcePath') ?? field('routeKey')].filter((v) => v !== undefined).join(' ');
  return [field('status'), what].filter((v) => v !== undefined && v !== '').join(' ') || text;
}
