/**
 * One request followed through the logs, for the `request <id>` follow-up of an answered thread: its
 * lines in the stage's execution log (REST, WebSocket), its access log, and the log of the Lambda
 * function(s) it invoked, each sorted by time.
 *
 * The id comes from a user, so it is checked against {@link REQUEST_ID} before anything else happens:
 * only an id that passes it (letters, digits, `=`, `_`, `-`) is ever put into a Logs Insights query,
 * and escaped even then. Lambda's request id for the invocation is not API Gateway's: it is read from
 * the request's own lines (the execution log's `x-amzn-RequestId` / `Lambda request id:`, the access
 * log's `$context.integration.requestId` or `$context.awsEndpointRequestId`), and when nothing links
 * them the function's log is searched for the API Gateway id instead (a function that logs its event
 * writes it), and the trace says so.
 *
 * Bounded: at most {@link MAX_TRACE_QUERIES} queries over the investigation's window widened by
 * {@link SEARCH_MARGIN_MS} each side, at most {@link MAX_TRACE_LINES} lines of at most
 * {@link MAX_LINE_CHARS} characters. Nothing is masked here: the lines go to a renderer, which masks
 * them (`redactSecrets`) before they leave the process.
 */
import type { ApiType, LogSource, Skipped, Target } from '../diagnosis/evidence';
import { UsageError } from '../errors';
import { isNotFound } from './call-aws';
import { telemetryItems } from './check-telemetry';
import { toSkipped, within } from './failures';
import type { Investigation } from './investigate';
import { lambdaTargetFromUri } from './lambda-policy';
import { escapeRegexLiteral, executionLogGroup, insightsTimeToIso, logGroupFromArn } from './log-queries';
import type { AwsPorts, LogsQueryResult, StageInfo } from './ports';
import { shortName } from './routes';

/**
 * What a request id may be: API Gateway's (a UUID for REST and WebSocket, `Abc1dEfGhIJKlmN=` for HTTP
 * APIs and extended ids) and Lambda's (a UUID). The allow-list is what keeps user text out of queries.
 */
export const REQUEST_ID = /^[A-Za-z0-9=_-]{8,64}$/;

/** Queries one trace runs at most: execution log 3 (two WebSocket log groups, one follow-up), access log 2, Lambda log 2. */
export const MAX_TRACE_QUERIES = 7;
/** Lines kept at most, all logs together (each log has its share: {@link LINES_PER_LOG}). */
export const MAX_TRACE_LINES = 200;
/** Characters kept of one line (a data-trace body can be 10,000). */
export const MAX_LINE_CHARS = 2_000;
/** How far before and after the investigation's window the request is looked for. */
export const SEARCH_MARGIN_MS = 60 * 60_000;
/** Functions whose logs are searched at most. */
const MAX_FUNCTIONS = 5;
const DEFAULT_TIMEOUT_MS = 25_000;
/** Rows asked of each log's query; together they make {@link MAX_TRACE_LINES}. */
const LINES_PER_LOG: Readonly<Record<LogSource, number>> = { execution: 100, access: 20, lambda: 80 };
/**
 * The Lambda log is searched around the request's own lines: an invocation runs at most 15 minutes,
 * and the access log's line is written when the request ends, so a quarter of an hour on either side.
 */
const LAMBDA_MARGIN_MS = 16 * 60_000;

/** The sources a trace reads, named as an investigation's `checked` and `skipped` name them. */
export type TraceSource = 'execution-logs' | 'access-logs' | 'lambda-logs';

const SOURCE_OF: Readonly<Record<LogSource, TraceSource>> = { execution: 'execution-logs', access: 'access-logs', lambda: 'lambda-logs' };
const SOURCE_ORDER: readonly string[] = Object.values(SOURCE_OF);

/** One log line of the request. */
export interface TraceLine {
  /** ISO 8601, when the log gave a time. */
  timestamp?: string;
  /** As written (clipped to {@link MAX_LINE_CHARS}); not masked. */
  message: string;
  /** The log group, when several were searched at once (Lambda functions). */
  logGroup?: string;
}

/** One log that was searched. */
export interface TracedLog {
  log: LogSource;
  source: TraceSource;
  logGroups: string[];
  /** The ids looked for in it. */
  searchedFor: string[];
  from: string;
  to: string;
  /** Sorted by time. */
  lines: TraceLine[];
  /** More lines matched than were kept. */
  clipped: boolean;
  /** A query ran out of time: the lines are those found by then. */
  partial: boolean;
}

/** How Lambda's request id for this request was found, or why it was not. */
export type LambdaLink =
  | { linked: true; lambdaRequestIds: string[]; via: LogSource }
  | { linked: false; reason: string };

export interface RequestTrace {
  /** The id asked about. */
  requestId: string;
  /** API Gateway's ids of the request as the logs name them, when they differ from the one asked (an extended id was given). */
  otherIds: string[];
  target: Target;
  apiType: ApiType;
  /** The times searched. */
  window: { from: string; to: string };
  /** The logs searched, in the order execution, access, Lambda. */
  logs: TracedLog[];
  /** Logs that could not be read, with what would fix that. */
  unread: Skipped[];
  /** Absent when no Lambda function was known to search. */
  lambda?: LambdaLink;
  /** The functions whose logs were searched (names). */
  functions: string[];
  /** Whether any log had a line of the request. */
  found: boolean;
  /** Things worth saying about the search (logging level, what the lines may lack). */
  notes: string[];
  /** Logs Insights queries run. */
  queries: number;
}

export interface TraceOptions {
  /** The end of the search: no later than this. */
  now: Date;
  /** Time the whole trace may take. Default 25,000 ms. */
  timeoutMs?: number;
}

const EXAMPLE_ID = '3f2a9c1e-5b7d-4e21-9a0c-2d9e8b7c6a51';

/**
 * The id as typed, without what chat wraps around it: whitespace, and one pair of backticks or quotes
 * (Slack users paste ids as `code`).
 */
function cleanRequestId(text: string): string {
  const trimmed = text.trim();
  const m = /^(`|"|'|“|‘)(.*)(`|"|'|”|’)$/s.exec(trimmed);
  return (m?.[2] ?? trimmed).trim();
}

/**
 * Why `text` cannot be a request id, in a sentence that says what to type instead; undefined when it
 * can (surrounding whitespace, backticks or quotes are allowed and dropped).
 */
export function requestIdProblem(text: string): string | undefined {
  const id = cleanRequestId(text);
  if (REQUEST_ID.test(id)) return undefined;
  const shown = id.length > 40 ? `${id.slice(0, 37)}…` : id;
  const what = id === '' ? 'No request id given' : /[^A-Za-z0-9=_-]/.test(id) ? `"${shown}" is not a request id: ids have only letters, digits, =, _ and -` : `"${shown}" is not a request id: ids are 8 to 64 characters`;
  return `${what}. Type the id alone, as API Gateway gives it: a UUID such as ${EXAMPLE_ID} (REST and WebSocket, the x-amzn-RequestId response header) or an id such as Abc1dEfGhIJKlmN= (HTTP APIs, the apigw-requestid header).`;
}

/**
 * Follows one request through the logs of the investigation's stage. Throws a {@link UsageError} when
 * `requestId` is not a request id (before any AWS call) or the investigation names no API stage; a log
 * that cannot be read is an `unread` entry, not a failure.
 */
export async function traceRequest(ports: AwsPorts, investigation: Pick<Investigation, 'target' | 'apiType' | 'window'>, requestId: string, options: TraceOptions): Promise<RequestTrace> {
  const problem = requestIdProblem(requestId);
  if (problem !== undefined) throw new UsageError(problem);
  const id = cleanRequestId(requestId);
  const { apiId, stage: stageName } = investigation.target;
  if (apiId === undefined || stageName === undefined) throw new UsageError('this thread’s investigation names no API stage to search: ask /apigw why again');
  const run = new TraceRun(ports, investigation, id, options);
  return run.trace(apiId, stageName);
}

/** Rows of a query, or why there are none. */
type QueryOutcome = { rows: Record<string, string>[]; partial: boolean } | { missing: true } | { failed: Skipped } | { skippedForBudget: true };

class TraceRun {
  private queries = 0;
  private readonly deadline: number;
  private readonly from: Date;
  private readonly to: Date;
  private readonly where: { region: string; accountId?: string };
  private readonly unread: Skipped[] = [];
  private readonly notes: string[] = [];
  private readonly logs = new Map<LogSource, TracedLog>();

  constructor(
    private readonly ports: AwsPorts,
    private readonly investigation: Pick<Investigation, 'target' | 'apiType' | 'window'>,
    private readonly id: string,
    options: TraceOptions,
  ) {
    this.deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const window = searchWindow(investigation.window, options.now);
    this.from = window.from;
    this.to = window.to;
    const { region, accountId } = investigation.target;
    this.where = { region: region ?? ports.region, ...(accountId !== undefined ? { accountId } : {}) };
  }

  async trace(apiId: string, stageName: string): Promise<RequestTrace> {
    const { apiType, target } = this.investigation;
    const stage = await this.readStage(apiId, stageName);

    // ── API Gateway's own logs, side by side ────────────────────────────────────────────────────
    const [execution, access] = await Promise.all([this.searchExecution(apiType, apiId, stageName, stage, [this.id]), this.searchAccess(apiType, stage, [this.id])]);
    // The id asked may be an extended id (`x-amz-apigw-id`): the lines then name the request id
    // itself, under which the other log has the rest of the request.
    const known = new Set<string>([this.id, ...requestIdsOf(execution?.lines ?? [], access?.lines ?? [], stage)]);
    const more = [...known].filter((x) => x !== this.id).slice(0, 3);
    if (more.length > 0) {
      // Execution lines are all prefixed `(requestId) `: none under the id asked means it was another id.
      const underAnotherId = (log: TracedLog): boolean => log.lines.every((l) => !l.message.startsWith(`(${this.id}) `));
      if (execution && underAnotherId(execution)) await this.searchExecution(apiType, apiId, stageName, stage, more, execution);
      if (access?.lines.length === 0) await this.searchAccess(apiType, stage, more, access);
    }

    // ── The Lambda function(s) it invoked ────────────────────────────────────────────────────────
    const gatewayLines = [...(this.logs.get('execution')?.lines ?? []), ...(this.logs.get('access')?.lines ?? [])];
    const functions = functionsOf(gatewayLines, target);
    const lambda = functions.length > 0 ? await this.searchLambda(functions, gatewayLines, stage, [...known]) : undefined;

    const logs = (['execution', 'access', 'lambda'] as const).flatMap((l) => {
      const log = this.logs.get(l);
      return log ? [log] : [];
    });
    return {
      requestId: this.id,
      otherIds: [...known].filter((x) => x !== this.id),
      target: { ...target },
      apiType,
      window: { from: this.from.toISOString(), to: this.to.toISOString() },
      logs,
      unread: [...this.unread].sort((a, b) => SOURCE_ORDER.indexOf(a.source) - SOURCE_ORDER.indexOf(b.source)),
      ...(lambda ? { lambda } : {}),
      functions: functions.map((f) => f.name),
      found: logs.some((l) => l.lines.length > 0),
      notes: this.notes,
      queries: this.queries,
    };
  }

  /** The stage's current settings: its access-log group and format, and whether it writes execution logs. */
  private async readStage(apiId: string, stageName: string): Promise<StageInfo | undefined> {
    const gateway = this.investigation.apiType === 'REST' ? this.ports.rest : this.ports.v2;
    try {
      const stages = await within(gateway.getStages(apiId), this.remaining());
      const stage = stages.find((s) => s.name === stageName);
      if (!stage) this.notes.push(`stage ${stageName} no longer exists on API ${apiId}: only the logs named after it were searched`);
      return stage;
    } catch (e) {
      // Without the stage the execution log can still be searched by its name; the access log cannot be found.
      const skipped = toSkipped('access-logs', e, this.where);
      this.unread.push({ ...skipped, reason: `the stage’s settings could not be read, so neither could its access-log group: ${skipped.reason}` });
      return undefined;
    }
  }

  private async searchExecution(apiType: ApiType, apiId: string, stageName: string, stage: StageInfo | undefined, ids: string[], previous?: TracedLog): Promise<TracedLog | undefined> {
    if (apiType === 'HTTP') return undefined;
    if (stage && !executionLoggingOn(stage)) {
      if (!previous) this.unread.push({ source: 'execution-logs', reason: `execution logging is ${stage.methodSettings['*/*']?.loggingLevel ?? 'OFF'} on stage ${stage.name}`, fix: this.telemetryFix(stage, 'execution-logging') ?? 'turn on execution logging (ERROR or INFO) on the stage' });
      return undefined;
    }
    if (stage && !previous && (stage.methodSettings['*/*']?.loggingLevel ?? 'OFF') === 'ERROR') {
      this.notes.push(`execution logging is ERROR on stage ${stage.name}: only requests that failed are in the execution log, and without their request and response details`);
    }
    let groups: string[];
    try {
      // WebSocket APIs are reported to write to /aws/apigateway/{id}/{stage}: try that first (as the investigation does).
      groups = previous ? previous.logGroups : apiType === 'WEBSOCKET' ? [`/aws/apigateway/${apiId}/${stageName}`, executionLogGroup(apiId, stageName)] : [executionLogGroup(apiId, stageName)];
    } catch (e) {
      this.unread.push({ source: 'execution-logs', reason: e instanceof Error ? e.message : String(e), fix: 'ask /apigw why again: the stored investigation names an API or stage that cannot be read' });
      return undefined;
    }
    for (const group of groups) {
      const outcome = await this.query('execution', [group], ids, this.from, this.to);
      if ('missing' in outcome) continue;
      return this.record('execution', [group], ids, this.from, this.to, outcome, previous);
    }
    if (!previous) {
      this.unread.push({
        source: 'execution-logs',
        reason: `log group ${groups.join(' / ')} does not exist`,
        fix: `no request has been logged yet, or API Gateway has no CloudWatch role in ${this.where.region}: see /apigw check ${this.investigation.target.apiName ?? apiId} ${stageName}`,
      });
    }
    return undefined;
  }

  private async searchAccess(apiType: ApiType, stage: StageInfo | undefined, ids: string[], previous?: TracedLog): Promise<TracedLog | undefined> {
    if (!stage) return undefined;
    const settings = stage.accessLog;
    if (!settings) {
      if (!previous) this.unread.push({ source: 'access-logs', reason: `access logging is not configured on stage ${stage.name}`, fix: this.telemetryFix(stage, 'access-logging') ?? 'turn on access logging on the stage' });
      return undefined;
    }
    const group = logGroupFromArn(settings.destinationArn);
    if (!group) {
      if (!previous) this.unread.push({ source: 'access-logs', reason: `the access log goes to ${settings.destinationArn}, not a CloudWatch log group`, fix: 'search the request in that destination (a Firehose stream) directly' });
      return undefined;
    }
    const outcome = await this.query('access', [group], ids, this.from, this.to);
    if ('missing' in outcome) {
      if (!previous) this.unread.push({ source: 'access-logs', reason: `log group ${group} does not exist`, fix: `create it (aws logs create-log-group --log-group-name ${group} --region ${this.where.region}) or point the stage’s access log at one that exists` });
      return undefined;
    }
    if (apiType === 'HTTP' && !previous) this.notes.push('HTTP APIs write no execution log: the access log is API Gateway’s only record of the request');
    return this.record('access', [group], ids, this.from, this.to, outcome, previous);
  }

  private async searchLambda(functions: readonly LambdaRef[], gatewayLines: readonly TraceLine[], stage: StageInfo | undefined, apiIds: string[]): Promise<LambdaLink> {
    const groups = await this.lambdaLogGroups(functions);
    // Around the request when its time is known: the invocation runs while the request waits for it.
    const times = gatewayLines.map((l) => (l.timestamp ? Date.parse(l.timestamp) : NaN)).filter((t) => Number.isFinite(t));
    const from = times.length > 0 ? new Date(Math.max(this.from.getTime(), Math.min(...times) - LAMBDA_MARGIN_MS)) : this.from;
    const to = times.length > 0 ? new Date(Math.min(this.to.getTime(), Math.max(...times) + LAMBDA_MARGIN_MS)) : this.to;
    const linked = lambdaRequestIdsOf(gatewayLines, stage);
    const via: LogSource | undefined = linked.length === 0 ? undefined : this.logs.get('execution')?.lines.some((l) => linked.some((x) => l.message.includes(x))) ? 'execution' : 'access';
    if (linked.length > 0 && via) {
      // Whether or not the log can be read (`unread` says), the request's lines link the two ids.
      const log = this.recordLambda(groups, linked, from, to, await this.query('lambda', groups, linked, from, to));
      if (log?.lines.length === 0 && gatewayLines.some((l) => THROTTLED.test(l.message))) {
        this.notes.push('Lambda throttled the invocation (429): the function never ran, so its log has no line of it');
      }
      return { linked: true, lambdaRequestIds: linked, via };
    }
    const reason = this.unlinkedReason(gatewayLines, stage);
    // A function that logs its event writes API Gateway's id (requestContext.requestId): search for that.
    const outcome = await this.query('lambda', groups, apiIds, from, to);
    const log = this.recordLambda(groups, apiIds, from, to, outcome);
    if (!log) return { linked: false, reason };
    const found = runtimeRequestIdsOf(log.lines).filter((x) => !apiIds.includes(x)).slice(0, 3);
    if (found.length === 0) return { linked: false, reason };
    // Lines of the function name the request: the whole invocation is under Lambda's id.
    const again = await this.query('lambda', groups, found, from, to);
    this.recordLambda(groups, found, from, to, again);
    return { linked: true, lambdaRequestIds: found, via: 'lambda' };
  }

  /** Records a Lambda query's outcome; the log searched, or undefined when it could not be read. */
  private recordLambda(groups: string[], ids: string[], from: Date, to: Date, outcome: QueryOutcome): TracedLog | undefined {
    if ('missing' in outcome) {
      if (!this.unread.some((u) => u.source === 'lambda-logs')) {
        this.unread.push({ source: 'lambda-logs', reason: `log group ${groups.join(', ')} does not exist`, fix: 'the function has not run since its log group was deleted, or it logs to another group (its LoggingConfig)' });
      }
      return undefined;
    }
    return this.record('lambda', groups, ids, from, to, outcome, this.logs.get('lambda'));
  }

  private unlinkedReason(gatewayLines: readonly TraceLine[], stage: StageInfo | undefined): string {
    const instead = 'the function’s log was searched for API Gateway’s id instead (found only if the function logs its event)';
    // API Gateway called Lambda but got no answer: refused before the call (permissions) or the call failed.
    if (gatewayLines.some((l) => l.message.includes('Sending request to https://lambda.')) && !gatewayLines.some((l) => l.message.includes('Received response.'))) {
      return `the execution log shows no answer from Lambda to this request, so the function most likely never ran; ${instead}`;
    }
    if (gatewayLines.length === 0) return `the request is in no API Gateway log, so Lambda’s request id for it is unknown: ${instead}`;
    const infoLogged = stage !== undefined && stage.methodSettings['*/*']?.loggingLevel === 'INFO';
    const hint =
      this.investigation.apiType === 'HTTP'
        ? 'add $context.integration.requestId to the access-log format to link them'
        : infoLogged
          ? 'the request’s lines do not name it'
          : 'add $context.awsEndpointRequestId to the access-log format, or set execution logging to INFO, to link them';
    return `Lambda’s request id for this request is in none of its lines (${hint}): ${instead}`;
  }

  /** Each function's log group: its LoggingConfig when it can be read, else the default name. */
  private async lambdaLogGroups(functions: readonly LambdaRef[]): Promise<string[]> {
    const groups = await Promise.all(
      functions.map(async (f) => {
        try {
          const info = await within(this.ports.lambda.getFunction(f.name, f.qualifier), this.remaining());
          return info?.logGroup ?? `/aws/lambda/${f.name}`;
        } catch {
          return `/aws/lambda/${f.name}`;
        }
      }),
    );
    return [...new Set(groups)];
  }

  /** One bounded, time-limited query for lines that name one of `ids`. */
  private async query(log: LogSource, logGroups: string[], ids: string[], from: Date, to: Date): Promise<QueryOutcome> {
    const name = log === 'lambda' ? 'Lambda' : log;
    if (this.queries >= MAX_TRACE_QUERIES) {
      this.notes.push(`stopped at ${MAX_TRACE_QUERIES} queries: the ${name} log was not searched for ${ids.join(', ')}`);
      return { skippedForBudget: true };
    }
    if (Date.now() >= this.deadline - 1_000) {
      this.notes.push(`ran out of time: the ${name} log was not searched for ${ids.join(', ')}`);
      return { skippedForBudget: true };
    }
    const safe = ids.filter((x) => REQUEST_ID.test(x));
    if (safe.length === 0) return { rows: [], partial: false };
    this.queries++;
    try {
      // Leave a second to assemble the answer before the trace's own time is up.
      const deadline = this.deadline - 1_000;
      const result: LogsQueryResult = await within(this.ports.logs.runQuery({ logGroups, queryString: traceQuery(safe, LINES_PER_LOG[log]), from, to, limit: LINES_PER_LOG[log] }, deadline), Math.max(1_000, this.deadline - Date.now()));
      return { rows: result.rows, partial: result.status === 'Partial' };
    } catch (e) {
      if (isNotFound(e)) return { missing: true };
      return { failed: toSkipped(SOURCE_OF[log], e, this.where) };
    }
  }

  /** Adds a query's lines to the log's entry (created on first use); undefined when the query failed. */
  private record(log: LogSource, logGroups: string[], ids: string[], from: Date, to: Date, outcome: QueryOutcome, previous: TracedLog | undefined): TracedLog | undefined {
    if ('failed' in outcome) {
      if (!this.unread.some((u) => u.source === outcome.failed.source)) this.unread.push(outcome.failed);
      return previous;
    }
    if ('missing' in outcome || 'skippedForBudget' in outcome) return previous;
    const entry: TracedLog = previous ?? { log, source: SOURCE_OF[log], logGroups: [], searchedFor: [], from: from.toISOString(), to: to.toISOString(), lines: [], clipped: false, partial: false };
    const lines = rowsToTraceLines(outcome.rows, ids, logGroups.length > 1);
    entry.logGroups = [...new Set([...entry.logGroups, ...logGroups])];
    entry.searchedFor = [...new Set([...entry.searchedFor, ...ids])];
    if (from.toISOString() < entry.from) entry.from = from.toISOString();
    if (to.toISOString() > entry.to) entry.to = to.toISOString();
    const seen = new Set(entry.lines.map((l) => `${l.timestamp ?? ''} ${l.message}`));
    const merged = [...entry.lines, ...lines.filter((l) => !seen.has(`${l.timestamp ?? ''} ${l.message}`))];
    entry.lines = sortByTime(merged).slice(0, LINES_PER_LOG[log]);
    entry.clipped ||= outcome.rows.length >= LINES_PER_LOG[log] || merged.length > LINES_PER_LOG[log];
    entry.partial ||= outcome.partial;
    this.logs.set(log, entry);
    return entry;
  }

  private telemetryFix(stage: StageInfo, item: 'execution-logging' | 'access-logging'): string | undefined {
    const { target, apiType } = this.investigation;
    const api = { apiId: target.apiId ?? '', name: target.apiName ?? target.apiId ?? '', apiType };
    return telemetryItems(api, stage, undefined, this.where).find((i) => i.id === item)?.fix;
  }

  private remaining(): number {
    return Math.max(1_000, this.deadline - Date.now());
  }
}

/** The investigation's window widened by {@link SEARCH_MARGIN_MS} each side, ending no later than `now`. */
export function searchWindow(window: { from: string; to: string }, now: Date): { from: Date; to: Date } {
  const nowMs = now.getTime();
  const from = Date.parse(window.from);
  const to = Date.parse(window.to);
  const start = Number.isFinite(from) ? from - SEARCH_MARGIN_MS : nowMs - 2 * SEARCH_MARGIN_MS;
  const end = Math.min(nowMs, Number.isFinite(to) ? to + SEARCH_MARGIN_MS : nowMs);
  // An investigation from long ago: its window widened, still ending before now.
  return end > start ? { from: new Date(start), to: new Date(end) } : { from: new Date(nowMs - 2 * SEARCH_MARGIN_MS), to: new Date(nowMs) };
}

/**
 * The query for the lines that name one of `ids` (each already through {@link REQUEST_ID}, escaped
 * again regardless), oldest first: a request's trace reads from its start.
 */
export function traceQuery(ids: readonly string[], limit: number): string {
  const safe = ids.filter((x) => REQUEST_ID.test(x));
  if (safe.length === 0) throw new Error('a trace query needs at least one request id that passes REQUEST_ID');
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new Error(`query limit must be a whole number from 1 to 10,000, got ${limit}`);
  return ['fields @timestamp, @message, @log', `| filter @message like /${safe.map(escapeRegexLiteral).join('|')}/`, '| sort @timestamp asc', `| limit ${limit}`].join('\n');
}

/**
 * Rows as trace lines: those that really name one of the ids (a log service that returned more than
 * the filter asked for does not put other requests' lines in a trace), clipped, sorted by time.
 */
function rowsToTraceLines(rows: readonly Readonly<Record<string, string>>[], ids: readonly string[], withGroup: boolean): TraceLine[] {
  const lines: TraceLine[] = [];
  for (const row of rows) {
    const message = row['@message'];
    if (message === undefined || message.trim() === '' || !ids.some((x) => message.includes(x))) continue;
    const timestamp = insightsTimeToIso(row['@timestamp']);
    const group = row['@log']?.replace(/^\d{12}:/, '');
    lines.push({ ...(timestamp ? { timestamp } : {}), message: clip(message.replace(/\s+$/, ''), MAX_LINE_CHARS), ...(withGroup && group ? { logGroup: group } : {}) });
  }
  return sortByTime(lines);
}

function sortByTime(lines: readonly TraceLine[]): TraceLine[] {
  // Stable: lines of one millisecond keep the order the log gave them.
  return lines
    .map((l, i) => ({ l, i, t: l.timestamp ? Date.parse(l.timestamp) : Number.POSITIVE_INFINITY }))
    .sort((a, b) => a.t - b.t || a.i - b.i)
    .map((x) => x.l);
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function executionLoggingOn(stage: StageInfo): boolean {
  return Object.values(stage.methodSettings).some((s) => s.loggingLevel === 'ERROR' || s.loggingLevel === 'INFO');
}

// ---------------------------------------------------------------------------------------------------
// What the request's lines say: its other ids, the functions it invoked, Lambda's id for it
// ---------------------------------------------------------------------------------------------------

/** The execution log's words for an invoke Lambda refused with 429. */
const THROTTLED = /Lambda invocation failed with status: 429|x-amzn-ErrorType=TooManyRequestsException/;

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

/** The access-log keys whose values are the request's own ids, and Lambda's. */
interface AccessKeys {
  requestIds: string[];
  lambdaIds: string[];
}

/** Which keys of a JSON access-log format hold `$context.requestId`/`extendedRequestId`, and Lambda's request id. */
function accessKeysOf(format: string | undefined): AccessKeys {
  const out: AccessKeys = { requestIds: [], lambdaIds: [] };
  for (const m of (format ?? '').matchAll(/"([A-Za-z0-9_.@-]{1,64})"\s*:\s*"?\$context\.([A-Za-z.]+)/g)) {
    const [, key, variable] = m;
    if (key === undefined || variable === undefined) continue;
    if (variable === 'requestId' || variable === 'extendedRequestId') out.requestIds.push(key);
    if (variable === 'integration.requestId' || variable === 'awsEndpointRequestId') out.lambdaIds.push(key);
  }
  return out;
}

/** A JSON access-log line's top-level values by key; empty for a line that is not JSON. */
function jsonFields(message: string): Record<string, string> {
  try {
    const doc: unknown = JSON.parse(message);
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return {};
    return Object.fromEntries(Object.entries(doc as Record<string, unknown>).flatMap(([k, v]) => (typeof v === 'string' || typeof v === 'number' ? [[k, String(v)]] : [])));
  } catch {
    return {};
  }
}

/** API Gateway's ids of the request as its lines give them: the execution log's `(id)` prefix, the access log's request-id fields. */
function requestIdsOf(execution: readonly TraceLine[], access: readonly TraceLine[], stage: StageInfo | undefined): string[] {
  const ids = new Set<string>();
  for (const l of execution) {
    const m = /^\(([A-Za-z0-9=_-]{8,64})\) /.exec(l.message);
    if (m?.[1]) ids.add(m[1]);
  }
  const keys = accessKeysOf(stage?.accessLog?.format);
  for (const l of access) {
    const fields = jsonFields(l.message);
    for (const key of keys.requestIds) {
      const v = fields[key];
      if (v !== undefined && REQUEST_ID.test(v)) ids.add(v);
    }
  }
  return [...ids];
}

/**
 * Lambda's request ids in the request's lines: the `x-amzn-RequestId` of the function's answer, the
 * `Lambda request id:` of an error, the id of a `Task timed out` line quoted in one, and the access log's
 * `$context.integration.requestId` / `$context.awsEndpointRequestId`.
 */
export function lambdaRequestIdsOf(lines: readonly TraceLine[], stage: StageInfo | undefined): string[] {
  const ids = new Set<string>();
  // The x-amzn-RequestId of an answer is Lambda's only when the request called Lambda: another AWS
  // service or an HTTP backend answers with its own.
  const calledLambda = lines.some((l) => l.message.includes('Endpoint request URI: https://lambda.'));
  const patterns = [
    ...(calledLambda ? [new RegExp(`x-amzn-RequestId=(${UUID})`, 'gi')] : []),
    new RegExp(`Lambda request id: (${UUID})`, 'gi'),
    new RegExp(`\\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z\\s(${UUID})\\sTask timed out`, 'g'),
  ];
  const keys = accessKeysOf(stage?.accessLog?.format);
  for (const l of lines) {
    for (const p of patterns) for (const m of l.message.matchAll(p)) if (m[1]) ids.add(m[1].toLowerCase());
    const fields = jsonFields(l.message);
    for (const key of keys.lambdaIds) {
      const v = fields[key];
      if (v !== undefined && new RegExp(`^${UUID}$`).test(v)) ids.add(v.toLowerCase());
    }
  }
  return [...ids].slice(0, 5);
}

/** Lambda's request ids on runtime lines (`START RequestId: …`, `<time>\t<id>\t<LEVEL>\t…`). */
function runtimeRequestIdsOf(lines: readonly TraceLine[]): string[] {
  const ids = new Set<string>();
  const runtime = new RegExp(`^(?:(?:START|END|REPORT) RequestId: (${UUID})|\\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z\\s(${UUID})\\s)`);
  for (const l of lines) {
    const m = runtime.exec(l.message);
    const found = m?.[1] ?? m?.[2];
    if (found) ids.add(found.toLowerCase());
  }
  return [...ids];
}

/** A Lambda function to search: name and qualifier. */
interface LambdaRef {
  name: string;
  qualifier?: string;
}

/**
 * The functions the request invoked, as its execution log names them (the integration's, an
 * authorizer's: `…/functions/<arn>/invocations`), else the one the investigation examined.
 */
function functionsOf(lines: readonly TraceLine[], target: Target): LambdaRef[] {
  const found = new Map<string, LambdaRef>();
  const add = (ref: LambdaRef | undefined): void => {
    if (ref && /^[A-Za-z0-9_-]{1,140}$/.test(ref.name)) found.set(`${ref.name}:${ref.qualifier ?? ''}`, ref);
  };
  const fromArn = (arn: string): LambdaRef | undefined => {
    // The same checks of name and qualifier as an integration's URI gets.
    const t = lambdaTargetFromUri(arn, {});
    return t ? { name: shortName(t.functionName), ...(t.qualifier !== undefined ? { qualifier: t.qualifier } : {}) } : undefined;
  };
  for (const l of lines) {
    for (const m of l.message.matchAll(/functions\/(arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(?::[A-Za-z0-9$_-]+)?)\/invocations/g)) {
      if (m[1]) add(fromArn(m[1]));
    }
  }
  if (found.size === 0 && target.functionArn !== undefined) add(fromArn(target.functionArn));
  return [...found.values()].slice(0, MAX_FUNCTIONS);
}
