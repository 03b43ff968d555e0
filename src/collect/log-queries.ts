/**
 * The Logs Insights queries an investigation runs, and the conversion of their rows into evidence
 * `LogLine`s. Pure: no SDK, no I/O.
 *
 * No user-typed text ever reaches a query (DESIGN.md §4). Every value put into a query string is one of:
 * a fixed string written here; a knowledge-base literal, regex-escaped by {@link escapeRegexLiteral};
 * or a field name (chosen by whoever wrote the stage's access-log format) that passes {@link SAFE_FIELD}
 * and is quoted by {@link fieldRef}. API ids and stage names only ever form log-group names, and only
 * after their allow-lists.
 *
 * Syntax used, all from the Logs Insights QL reference (docs.aws.amazon.com/AmazonCloudWatch/latest/logs/):
 * `fields`, `filter … like /re/`, `parse field /re/` with named groups, `stats … by …`, `sort`, `limit`
 * (CWL_QuerySyntax.html and its per-command pages); `coalesce` (CWL_QuerySyntax-operations-functions.html,
 * general functions); `count`, `min`, `max`, `earliest`, `latest` (same page, aggregation functions).
 */
import type { LogLine, LogSource } from '../diagnosis/evidence';
import { redactSecrets } from '../diagnosis/redact';

/** StartQuery's `queryString` is at most 10,000 characters (StartQuery API reference, Length Constraints). */
export const MAX_QUERY_LENGTH = 10_000;

/** Request ids as API Gateway and Lambda write them (platform-facts §16): UUIDs and base64-like ids. */
const REQUEST_ID = /^[A-Za-z0-9=_-]{8,64}$/;

// ---------------------------------------------------------------------------------------------------
// Escaping and allow-lists
// ---------------------------------------------------------------------------------------------------

/** Regex metacharacters, plus `/`, which would close the `/…/` regex of an Insights query. */
const REGEX_META = /[\\^$.|?*+()[\]{}/]/g;
/** Line breaks end a query command: refused outright rather than escaped. */
const LINE_BREAK = /[\n\r\u2028\u2029]/;
/** Other control characters (tab excepted) have no business in a log literal; refused. */
// eslint-disable-next-line no-control-regex -- the point of this pattern is to find control characters
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * Escapes `s` so that, inside an Insights `/…/` regex (or `new RegExp`), it matches itself literally:
 * every regex metacharacter and `/` gets a backslash, a tab becomes `\t`. Throws on a line break or
 * another control character, which cannot be written safely on one query line.
 */
export function escapeRegexLiteral(s: string): string {
  if (LINE_BREAK.test(s)) throw new Error(`refusing a regex literal with a line break: ${JSON.stringify(s.slice(0, 60))}`);
  if (CONTROL.test(s)) throw new Error(`refusing a regex literal with a control character: ${JSON.stringify(s.slice(0, 60))}`);
  return s.replace(REGEX_META, '\\$&').replace(/\t/g, '\\t');
}

/**
 * The field names a query may mention: a letter, `_` or `@`, then up to 63 letters, digits, `_`, `.`,
 * `@` or `-`. Access-log keys outside it are ignored rather than quoted.
 */
export const SAFE_FIELD = /^[A-Za-z_@][A-Za-z0-9_.@-]{0,63}$/;

/**
 * A field name quoted in backticks for a query. Insights needs backticks for names with characters
 * other than letters, digits, `@` and `.` (CWL_QuerySyntax-Guidelines.html); quoting every name costs
 * nothing. Throws on a name that fails {@link SAFE_FIELD} (which also excludes a backtick).
 */
export function fieldRef(name: string): string {
  if (name.includes('`') || !SAFE_FIELD.test(name)) throw new Error(`refusing an unsafe Logs Insights field name: ${JSON.stringify(name.slice(0, 80))}`);
  return `\`${name}\``;
}

function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new Error(`query limit must be a whole number from 1 to 10,000, got ${limit}`);
  return limit;
}

function checkLength(query: string): string {
  if (query.length > MAX_QUERY_LENGTH) {
    throw new Error(`Logs Insights query would be ${query.length} characters; StartQuery accepts at most ${MAX_QUERY_LENGTH}: pass fewer literals`);
  }
  return query;
}

/**
 * The literals worth filtering on: distinct, non-empty, and none that contains another (a line that has
 * the longer one has the shorter one too, so the longer adds nothing but query length).
 */
function minimalLiterals(literals: readonly string[]): string[] {
  const sorted = [...new Set(literals.filter((l) => l !== ''))].sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
  const kept: string[] = [];
  for (const l of sorted) if (!kept.some((k) => l.includes(k))) kept.push(l);
  return kept;
}

/** `/lit1|lit2|…/`, each literal escaped, plus fixed regex fragments written here. */
function alternation(literals: readonly string[], fixedFragments: readonly string[] = []): string {
  const parts = [...minimalLiterals(literals).map(escapeRegexLiteral), ...fixedFragments];
  if (parts.length === 0) throw new Error('a log filter needs at least one literal');
  return `/${parts.join('|')}/`;
}

// ---------------------------------------------------------------------------------------------------
// Log groups
// ---------------------------------------------------------------------------------------------------

const API_ID = /^[a-z0-9]{10}$/;
const STAGE = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * The REST (and WebSocket) execution-log group of a stage, `API-Gateway-Execution-Logs_{apiId}/{stage}`
 * (platform-facts §9). Throws unless `apiId` is ten lower-case letters or digits and `stage` is 1–128
 * letters, digits, `_` or `-`, or the literal `$default`.
 */
export function executionLogGroup(apiId: string, stage: string): string {
  if (!API_ID.test(apiId)) throw new Error(`not an API Gateway API id (10 lower-case letters or digits): ${JSON.stringify(apiId.slice(0, 40))}`);
  if (stage !== '$default' && !STAGE.test(stage)) {
    throw new Error(`not a stage name (1-128 letters, digits, _ or -, or $default): ${JSON.stringify(stage.slice(0, 40))}`);
  }
  return `API-Gateway-Execution-Logs_${apiId}/${stage}`;
}

/** A log-group ARN, with or without the trailing `:*`; names use the characters CloudWatch Logs allows. */
const LOG_GROUP_ARN = /^arn:aws[a-z-]*:logs:[a-z0-9-]+:\d{12}:log-group:([A-Za-z0-9._/#-]{1,512})(?::\*)?$/;

/**
 * The log-group name of an access-log `destinationArn` (`arn:aws:logs:REGION:ACCOUNT:log-group:NAME`,
 * optionally ending `:*`), or null for anything else (a Firehose stream, a malformed ARN).
 */
export function logGroupFromArn(destinationArn: string): string | null {
  return LOG_GROUP_ARN.exec(destinationArn)?.[1] ?? null;
}

// ---------------------------------------------------------------------------------------------------
// Execution and Lambda logs: messages grouped in the service
// ---------------------------------------------------------------------------------------------------

/** Which log a message-groups query reads. */
export type MessageSource = 'execution' | 'lambda';

/** Lines worth counting even when no knowledge-base literal is in them. */
const FIXED_LITERAL: Record<MessageSource, string> = {
  // Every failing REST request ends with this line: it gives the per-status counts.
  execution: 'Method completed with status: 5',
  lambda: 'Task timed out',
};

/**
 * Splits a line into request id and message text. Execution lines are `(<requestId>) <message>`;
 * Lambda runtime lines are `<ISO time>\t<uuid>\t<LEVEL>\t<message>` or `<ISO time> <uuid> Task timed out …`,
 * and the text keeps its leading separator and level so that patterns such as `\tERROR\tInvoke Error`
 * still match. `[\s\S]` rather than `.`: the text may span lines. No unnamed groups: in `parse` every
 * group is meant to name a field.
 */
const PARSE: Record<MessageSource, string> = {
  execution: String.raw`/^\((?<requestId>[A-Za-z0-9=_-]{8,64})\) (?<text>[\s\S]*)/`,
  lambda: String.raw`/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.?\d*Z\s(?<requestId>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?<text>\s[\s\S]*)/`,
};

/**
 * A query that counts, in the service, the lines of an execution or Lambda log group that contain one
 * of `literals` (knowledge-base literals, escaped here) or the source's fixed literal, grouped by message
 * without its request-id prefix: one row per message with `message`, `n`, `firstSeen`, `lastSeen` and
 * two example request ids `r1`, `r2`. Literals match case-sensitively. `limit` (default 200, at most
 * 10,000) caps the messages returned, most frequent first. Throws when the query would exceed
 * {@link MAX_QUERY_LENGTH}.
 */
export function messageGroupsQuery(literals: readonly string[], source: MessageSource, limit = 200): string {
  return checkLength(
    [
      `filter @message like ${alternation([...literals, FIXED_LITERAL[source]])}`,
      // parse with a regular expression and named capturing groups: CWL_QuerySyntax-Parse.html.
      `| parse @message ${PARSE[source]}`,
      // A line the parse does not fit keeps its whole text (coalesce: first non-null argument).
      '| fields coalesce(text, @message) as message',
      // earliest/latest: the value from the earliest/latest log event (aggregation functions of stats).
      // Lambda queries span several functions' log groups; @log (account-id:log-group-name) says whose line it is.
      `| stats count(*) as n, min(@timestamp) as firstSeen, max(@timestamp) as lastSeen, earliest(requestId) as r1, latest(requestId) as r2 by ${source === 'lambda' ? '@log, ' : ''}message`,
      '| sort n desc',
      `| limit ${checkLimit(limit)}`,
    ].join('\n'),
  );
}

/**
 * A query over Lambda log groups that sums up the runtime's REPORT lines (one per invocation) per log
 * group: invocations, the longest duration, the most memory used and the memory size, from the fields
 * Logs Insights discovers in them (`@duration` in ms, `@maxMemoryUsed` and `@memorySize` in bytes).
 * Running out of memory shows as Max Memory Used reaching Memory Size, which no metric says.
 */
export function lambdaReportQuery(): string {
  return [
    'filter @type = "REPORT"',
    '| stats count(*) as invocations, max(@duration) as maxDuration, max(@maxMemoryUsed / 1000 / 1000) as maxMemoryUsedMb, max(@memorySize / 1000 / 1000) as memorySizeMb by @log',
  ].join('\n');
}

/** What a function's REPORT lines say over a window. */
export interface LambdaReportSummary {
  invocations: number;
  maxDurationMs?: number;
  maxMemoryUsedMb?: number;
  memorySizeMb?: number;
}

/** Rows of {@link lambdaReportQuery}, per log group (the `@log` value, `account-id:` prefix dropped). */
export function parseReportRows(rows: readonly Readonly<Record<string, string>>[]): Map<string, LambdaReportSummary> {
  const out = new Map<string, LambdaReportSummary>();
  const num = (v: string | undefined): number | undefined => {
    const n = v === undefined ? NaN : Number(v);
    return Number.isFinite(n) && n >= 0 ? n : undefined;
  };
  for (const row of rows) {
    const log = row['@log'];
    if (log === undefined) continue;
    const group = log.replace(/^\d{12}:/, '');
    const summary: LambdaReportSummary = { invocations: num(row.invocations) ?? 0 };
    const duration = num(row.maxDuration);
    const used = num(row.maxMemoryUsedMb);
    const size = num(row.memorySizeMb);
    if (duration !== undefined) summary.maxDurationMs = duration;
    if (used !== undefined) summary.maxMemoryUsedMb = Math.round(used);
    if (size !== undefined) summary.memorySizeMb = Math.round(size);
    out.set(group, summary);
  }
  return out;
}

/**
 * The rows of a multi-group query that came from `logGroup` (by their `@log` field,
 * `account-id:log-group-name`); rows without `@log` are kept.
 */
export function rowsOfLogGroup(rows: readonly Readonly<Record<string, string>>[], logGroup: string): Readonly<Record<string, string>>[] {
  return rows.filter((row) => {
    const log = row['@log'];
    return log === undefined || log === logGroup || log.endsWith(`:${logGroup}`);
  });
}

/**
 * An Insights timestamp (`2026-11-25 14:02:11.121`, UTC without `T` or `Z`) as ISO 8601
 * (`2026-11-25T14:02:11.121Z`); an ISO time passes through; anything else is undefined.
 */
export function insightsTimeToIso(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?)(Z|[+-]\d{2}:?\d{2})?$/.exec(value.trim());
  if (!m) return undefined;
  const iso = `${m[1]}T${m[2]}${m[3] ?? 'Z'}`;
  return Number.isNaN(Date.parse(iso)) ? undefined : iso;
}

function countOf(value: string | undefined): number {
  const n = value === undefined ? NaN : Number(value);
  return Number.isFinite(n) && n >= 1 ? Math.floor(n) : 1;
}

function requestIdOf(value: string | undefined): string | undefined {
  return value !== undefined && REQUEST_ID.test(value) ? value : undefined;
}

/** The aggregate fields every grouped row carries: count, times and example ids. */
function aggregateOf(row: Readonly<Record<string, string>>): Pick<LogLine, 'count' | 'timestamp' | 'lastSeen' | 'requestId' | 'requestIds'> {
  const out: Pick<LogLine, 'count' | 'timestamp' | 'lastSeen' | 'requestId' | 'requestIds'> = { count: countOf(row.n) };
  const first = insightsTimeToIso(row.firstSeen);
  const last = insightsTimeToIso(row.lastSeen);
  if (first) out.timestamp = first;
  if (last) out.lastSeen = last;
  const r1 = requestIdOf(row.r1);
  const r2 = requestIdOf(row.r2);
  if (r1) out.requestId = r1;
  const more = r2 !== undefined && r2 !== r1 ? [r2] : [];
  if (more.length > 0) out.requestIds = more;
  return out;
}

/** Log levels the Node.js runtime writes between tabs. */
const LAMBDA_LEVEL = /^(?:ERROR|WARN|INFO|DEBUG|TRACE|FATAL)\t/;

/**
 * Rows of {@link messageGroupsQuery} as evidence lines, one per message, each standing for `n` lines.
 * Execution messages get their `(requestId) ` prefix back, so the scanner reads them exactly as it
 * reads a raw line; the request id is also given as `requestId`, and `parseLogLine` prefers it.
 */
export function rowsToLogLines(rows: readonly Readonly<Record<string, string>>[], source: MessageSource): LogLine[] {
  const lines: LogLine[] = [];
  for (const row of rows) {
    let text = row.message;
    if (text === undefined || text.trim() === '') continue;
    const aggregate = aggregateOf(row);
    if (source === 'execution' && aggregate.requestId !== undefined) text = `(${aggregate.requestId}) ${text}`;
    // The text of a runtime line starts with its separator; should the service hand it back trimmed,
    // put the tab back so that `\tERROR\t…` patterns still find it.
    if (source === 'lambda' && LAMBDA_LEVEL.test(text)) text = `\t${text}`;
    // Masked here, before the evidence leaves the collector (DESIGN.md §4).
    lines.push({ message: redactSecrets(text), source, ...aggregate });
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------------
// Access logs
// ---------------------------------------------------------------------------------------------------

/** The `$context` values an access-log format can carry that an investigation reads. */
export const ACCESS_FORMAT_FIELDS = [
  'requestId',
  'extendedRequestId',
  'status',
  'resourcePath',
  'routeKey',
  'httpMethod',
  'integrationErrorMessage',
  'errorMessage',
  'responseType',
  'integrationStatus',
  'integrationError',
  'authorizerError',
  'integrationLatency',
  'responseLatency',
  'stage',
] as const;
export type AccessFormatField = (typeof ACCESS_FORMAT_FIELDS)[number];

/** For each `$context` value a JSON access-log format carries: the (possibly dotted) key it is written under. */
export type AccessFormat = Partial<Record<AccessFormatField, string>>;

/**
 * `$context` variables → the field they fill (platform-facts §9; api-gateway-variables-for-access-logging,
 * http-api-logging-variables). `$context.integration.status` is deliberately absent: it is the status the
 * function's code returned, not the integration status.
 */
const CONTEXT_VARIABLES: Readonly<Record<string, AccessFormatField>> = {
  'context.requestId': 'requestId',
  'context.extendedRequestId': 'extendedRequestId',
  'context.status': 'status',
  'context.resourcePath': 'resourcePath',
  'context.routeKey': 'routeKey',
  'context.httpMethod': 'httpMethod',
  'context.integrationErrorMessage': 'integrationErrorMessage',
  'context.error.message': 'errorMessage',
  'context.error.messageString': 'errorMessage',
  'context.error.responseType': 'responseType',
  'context.integrationStatus': 'integrationStatus',
  'context.integration.integrationStatus': 'integrationStatus',
  'context.integration.error': 'integrationError',
  'context.authorizer.error': 'authorizerError',
  'context.integrationLatency': 'integrationLatency',
  'context.integration.latency': 'integrationLatency',
  'context.responseLatency': 'responseLatency',
  'context.stage': 'stage',
};

const VARIABLE = /\$(context(?:\.[A-Za-z_][A-Za-z0-9_]*)+)/y;
const PLACEHOLDER = /^@@ctx(\d+)@@$/;
/** Nested keys deeper than this are not followed (formats are flat in practice). */
const MAX_DEPTH = 4;

/**
 * Reads a stage's access-log format. For a JSON format, returns which key holds each `$context` value
 * an investigation reads (nested keys dotted, as Insights flattens them); keys outside {@link SAFE_FIELD}
 * and values that mix a variable with other text are left out. Non-JSON formats (CLF, CSV, XML) → null.
 *
 * The format is a template, not JSON (`"status":$context.status` is unquoted), so each variable is first
 * replaced by a quoted placeholder (outside strings) or a bare one (inside strings), then the result is
 * parsed as JSON.
 */
export function parseAccessLogFormat(format: string): AccessFormat | null {
  const text = format.trim();
  if (!text.startsWith('{')) return null;
  const variables: string[] = [];
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; ) {
    const ch = text[i] ?? '';
    if (ch === '$') {
      VARIABLE.lastIndex = i;
      const m = VARIABLE.exec(text);
      if (m) {
        const placeholder = `@@ctx${variables.length}@@`;
        variables.push(m[1] ?? '');
        out += inString ? placeholder : `"${placeholder}"`;
        i += m[0].length;
        continue;
      }
    }
    if (inString && ch === '\\') {
      out += text.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (ch === '"') inString = !inString;
    out += ch;
    i++;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(out);
  } catch {
    return null;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return null;
  const found: AccessFormat = {};
  const walk = (node: Record<string, unknown>, prefix: string, depth: number): void => {
    for (const [key, value] of Object.entries(node)) {
      const path = prefix === '' ? key : `${prefix}.${key}`;
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        if (depth < MAX_DEPTH) walk(value as Record<string, unknown>, path, depth + 1);
        continue;
      }
      if (typeof value !== 'string' || !SAFE_FIELD.test(path)) continue;
      const index = PLACEHOLDER.exec(value)?.[1];
      const variable = index === undefined ? undefined : variables[Number(index)];
      const field = variable === undefined ? undefined : CONTEXT_VARIABLES[variable];
      if (field !== undefined) found[field] ??= path;
    }
  };
  walk(doc as Record<string, unknown>, '', 1);
  return found;
}

/** The fields an access-failures query groups by, in this order; each becomes the column `f_<field>`. */
const GROUP_FIELDS = [
  'status',
  'routeKey',
  'resourcePath',
  'httpMethod',
  'integrationErrorMessage',
  'errorMessage',
  'responseType',
  'integrationStatus',
  'integrationError',
  'authorizerError',
] as const satisfies readonly AccessFormatField[];
type GroupField = (typeof GROUP_FIELDS)[number];

/** The column a grouped field comes back under: fixed names, whatever keys the user's format chose. */
const column = (field: GroupField): string => `f_${field}`;

/** The key holding a request id: `requestId`, else `extendedRequestId`. */
function requestIdKey(format: AccessFormat): string | undefined {
  return format.requestId ?? format.extendedRequestId;
}

/**
 * A query over a JSON access log that counts the 5xx responses by status, route, method and error
 * fields (those the format has), with first and last time and two example request ids. Columns come back
 * under fixed names (`f_status`, `f_routeKey`, …, `n`, `firstSeen`, `lastSeen`, `r1`, `r2`) so that a
 * user's key can never collide with them. Null when the format has no status. `limit` default 200.
 *
 * With `stage`, when the format logs `$context.stage`, only that stage's lines count: several stages
 * often write to one log group. The stage is allow-listed (letters, digits, `_`, `-`, or `$default`).
 */
export function accessFailuresQuery(format: AccessFormat, limit = 200, stage?: string): string | null {
  const statusKey = format.status;
  if (statusKey === undefined) return null;
  const status = fieldRef(statusKey);
  const present = GROUP_FIELDS.filter((f) => format[f] !== undefined);
  const aliases = present.map((f) => `${fieldRef(format[f] ?? '')} as ${column(f)}`);
  const ridKey = requestIdKey(format);
  if (ridKey !== undefined) aliases.unshift(`${fieldRef(ridKey)} as rid`);
  const ids = ridKey !== undefined ? ', earliest(rid) as r1, latest(rid) as r2' : '';
  return checkLength(
    [
      // Numeric comparison works whether the format quotes the status or not; the AWS serverless-snippets
      // queries for API Gateway access logs filter the same way (`filter status>=400 and status<=499`).
      `filter ${status} >= 500 and ${status} <= 599${stageFilter(format, stage)}`,
      // `fields … as …` renames each field to a fixed column (CWL_QuerySyntax-Fields.html).
      `| fields @timestamp, ${aliases.join(', ')}`,
      `| stats count(*) as n, min(@timestamp) as firstSeen, max(@timestamp) as lastSeen${ids} by ${present.map(column).join(', ')}`,
      '| sort n desc',
      `| limit ${checkLimit(limit)}`,
    ].join('\n'),
  );
}

/** `and stage = "prod"` when the format logs the stage and one is given; throws on a stage outside the allow-list. */
function stageFilter(format: AccessFormat, stage: string | undefined): string {
  if (stage === undefined || format.stage === undefined) return '';
  if (stage !== '$default' && !STAGE.test(stage)) throw new Error(`not a stage name (1-128 letters, digits, _ or -, or $default): ${JSON.stringify(stage.slice(0, 40))}`);
  return ` and ${fieldRef(format.stage)} = "${stage}"`;
}

/** A grouped value that says something: API Gateway writes `-` for an empty variable. */
function valueOf(row: Readonly<Record<string, string>>, field: GroupField): string | undefined {
  const v = row[column(field)];
  return v === undefined || v === '' || v === '-' ? undefined : v;
}

/** The keys of the canonical access line, each one `parseLogLine` maps to the `$context` field it names. */
const CANONICAL_KEYS = [
  'status',
  'httpMethod',
  'resourcePath',
  'routeKey',
  'responseType',
  'errorMessage',
  'integrationErrorMessage',
  'integrationError',
  'integrationStatus',
  'authorizerError',
] as const satisfies readonly GroupField[];

/**
 * Rows of {@link accessFailuresQuery} as evidence lines. Each `message` is a canonical JSON access line
 * (`{"status":"502","httpMethod":"GET",…,"responseType":"MALFORMED_PROXY_RESPONSE"}`) whose keys
 * `parseLogLine` recognises, so that the knowledge base's access signals fire on it; `count` is the
 * number of requests the row stands for.
 */
export function accessRowsToLogLines(rows: readonly Readonly<Record<string, string>>[], format: AccessFormat): LogLine[] {
  const keys = CANONICAL_KEYS.filter((k) => format[k] !== undefined);
  const lines: LogLine[] = [];
  for (const row of rows) {
    const canonical: Record<string, string> = {};
    for (const k of keys) {
      const v = valueOf(row, k);
      if (v !== undefined) canonical[k] = redactSecrets(v);
    }
    if (canonical.status === undefined) continue;
    lines.push({ message: JSON.stringify(canonical), source: 'access', ...aggregateOf(row) });
  }
  return lines;
}

/** A route's failures at one status, from an access-failures query. */
export interface FailingRoute {
  routeKey?: string;
  resourcePath?: string;
  httpMethod?: string;
  status: number;
  count: number;
}

/**
 * The routes that failed, summed per route (route key, resource path, method) and status across the
 * rows of {@link accessFailuresQuery}, most failures first.
 */
export function failingRoutes(rows: readonly Readonly<Record<string, string>>[], format: AccessFormat): FailingRoute[] {
  const byKey = new Map<string, FailingRoute>();
  for (const row of rows) {
    const status = Number(valueOf(row, 'status'));
    if (!Number.isInteger(status)) continue;
    const route: FailingRoute = { status, count: 0 };
    for (const f of ['routeKey', 'resourcePath', 'httpMethod'] as const) {
      const v = format[f] !== undefined ? valueOf(row, f) : undefined;
      if (v !== undefined) route[f] = v;
    }
    const key = JSON.stringify([route.routeKey, route.resourcePath, route.httpMethod, status]);
    const entry = byKey.get(key) ?? route;
    entry.count += countOf(row.n);
    byKey.set(key, entry);
  }
  return [...byKey.values()].sort((a, b) => b.count - a.count || a.status - b.status);
}

/**
 * Fixed fragments that pick out 5xx lines of non-JSON access logs: Common Log Format
 * (`"GET /x HTTP/1.1" 502 `) and key-value formats (`"status":"502"`, `"status": 502`).
 */
const RAW_STATUS_FRAGMENTS = [String.raw`HTTP\/[0-9.]+" 5[0-9][0-9] `, String.raw`"status": ?"?5[0-9][0-9]`];

/**
 * For access logs whose format is not JSON: the newest lines (default 500) that contain a
 * knowledge-base literal or report a 5xx, raw, for the scanner to read line by line.
 */
export function rawLinesQuery(literals: readonly string[], limit = 500): string {
  return checkLength(
    [
      'fields @timestamp, @message',
      `| filter @message like ${alternation(literals, RAW_STATUS_FRAGMENTS)}`,
      '| sort @timestamp desc',
      `| limit ${checkLimit(limit)}`,
    ].join('\n'),
  );
}

/** Rows of {@link rawLinesQuery} (or any `@timestamp, @message` rows) as evidence lines. */
export function rawRowsToLogLines(rows: readonly Readonly<Record<string, string>>[], source: LogSource): LogLine[] {
  const lines: LogLine[] = [];
  for (const row of rows) {
    const message = row['@message'];
    if (message === undefined || message.trim() === '') continue;
    const timestamp = insightsTimeToIso(row['@timestamp']);
    // Masked here, before the evidence leaves the collector (DESIGN.md §4).
    lines.push({ message: redactSecrets(message), source, ...(timestamp ? { timestamp } : {}) });
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------------
// Which method failing requests called, from execution logs alone
// ---------------------------------------------------------------------------------------------------

/** Request ids looked up at most: a handful of failing requests tells which method fails. */
export const MAX_PATH_LOOKUPS = 20;

/** Failing requests whose returned value is fetched at most. */
export const MAX_BODY_LOOKUPS = 5;

/**
 * What the integration returned for a few failing requests (`(id) Endpoint response body before
 * transformations: …`, written at INFO for every request, so never part of the message counts): the value
 * a malformed proxy response or a function error is read from. Ids that fail the allow-list are dropped;
 * null when none is left.
 */
export function returnedBodiesQuery(requestIds: readonly string[]): string | null {
  return requestLinesQuery(requestIds, 'Endpoint response body before transformations: ', MAX_BODY_LOOKUPS, 1);
}

/**
 * When there are no access logs, the execution log still says which method each request called
 * (`(id) HTTP Method: GET, Resource Path: /orders/17`, written at INFO). This query fetches that line for
 * failing requests' ids. Ids that fail the allow-list are dropped; null when none is left.
 */
export function requestPathsQuery(requestIds: readonly string[]): string | null {
  return requestLinesQuery(requestIds, 'HTTP Method: ', MAX_PATH_LOOKUPS, 2);
}

/**
 * The execution-log lines holding `phrase` of at most `max` requests (`(id) …`), `perRequest` rows each.
 * Ids that fail the allow-list are dropped; null when none is left. The phrase is one of ours, escaped.
 */
function requestLinesQuery(requestIds: readonly string[], phrase: string, max: number, perRequest: number): string | null {
  const ids = [...new Set(requestIds.filter((id) => REQUEST_ID.test(id)))].slice(0, max);
  if (ids.length === 0) return null;
  return checkLength(
    [
      'fields @timestamp, @message',
      `| filter @message like /${escapeRegexLiteral(phrase)}/`,
      `| filter @message like /^\\((?:${ids.map(escapeRegexLiteral).join('|')})\\) /`,
      `| limit ${ids.length * perRequest}`,
    ].join('\n'),
  );
}

export interface RequestPath {
  requestId: string;
  httpMethod: string;
  path: string;
}

const REQUEST_PATH_LINE = /^\(([A-Za-z0-9=_-]{8,64})\) HTTP Method: ([A-Z]+), Resource Path: (\S+)/;

/** The method and actual path of each request in the rows of {@link requestPathsQuery}. */
export function parseRequestPaths(rows: readonly Readonly<Record<string, string>>[]): RequestPath[] {
  const out: RequestPath[] = [];
  for (const row of rows) {
    const m = REQUEST_PATH_LINE.exec(row['@message'] ?? '');
    if (m?.[1] && m[2] && m[3]) out.push({ requestId: m[1], httpMethod: m[2], path: m[3] });
  }
  return out;
}

/**
 * How well a request path fits a resource template: the number of literal segments matched (more is a
 * closer fit), or -1 when it does not fit. `{id}` takes one segment, `{proxy+}` the rest (at least one).
 */
export function matchResourcePath(template: string, path: string): number {
  const t = template.split('/').filter((s) => s !== '');
  const p = path.split('?')[0]?.split('/').filter((s) => s !== '') ?? [];
  let literal = 0;
  for (let i = 0; i < t.length; i++) {
    const segment = t[i] ?? '';
    if (/^\{[^}]+\+\}$/.test(segment)) return i === t.length - 1 && p.length > i ? literal : -1;
    if (i >= p.length) return -1;
    if (/^\{[^}]+\}$/.test(segment)) continue;
    if (segment !== p[i]) return -1;
    literal++;
  }
  return t.length === p.length ? literal : -1;
}
