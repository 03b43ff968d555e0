/**
 * Reads one log line the way an engineer would: where it came from (execution, access or Lambda
 * log), its request id and time, the access-log fields it carries, and a normalised form under which
 * lines that differ only in ids, times and numbers count as one message.
 */
import type { AccessField } from './knowledge/cause';
import type { LogSource } from './evidence';
import { redactSecrets } from './redact';

export interface ParsedLine {
  source?: LogSource;
  requestId?: string;
  timestamp?: string;
  /** The message without its timestamp and request-id prefix, secrets masked, at most 500 chars. */
  message: string;
  /** Present for access-log lines: the fields signals can read. */
  access?: Partial<Record<AccessField, string>>;
  /** The 5xx status this line reports for the client, when it says so. */
  status?: number;
}

const MAX_MESSAGE = 500;
const ISO_PREFIX = /^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)\s+/;
/** The API Gateway test console / test-invoke-method prefix: "Wed Nov 02 10:19:35 UTC 2022 : ". */
const CONSOLE_PREFIX = /^([A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}) : /;
/** CloudWatch execution-log lines start with "(request-id) ". */
const REQUEST_ID_PREFIX = /^\(([A-Za-z0-9=_-]{8,64})\) /;
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/i;
const LAMBDA_LINE = /^(?:START|END|REPORT|INIT_START|INIT_REPORT|EXTENSION|TELEMETRY)\b|^\[(?:ERROR|WARNING|INFO|DEBUG)\]|\t(?:ERROR|WARN|INFO|DEBUG|FATAL)\t|^Task timed out after|^RequestId: |^LAMBDA_WARNING/;
const EXECUTION_LINE = /^(?:Execution failed|Method completed with status|Endpoint re(?:quest|sponse)|Lambda (?:execution|invocation) failed|Sending request to|Received response|Starting execution|Method request|Method response|Verifying Usage Plan|API Key|HTTP Method:|Extended Request Id|Successfully completed execution|Authorizer|Execution log for request)/;
/** Common Log Format access lines: `… "GET /x HTTP/1.1" 502 36 …`. */
const CLF_STATUS = /"[A-Z]+ [^"]* HTTP\/[\d.]+" (\d{3}) /;
const STATUS_LINE = /Method completed with status: (\d{3})/;

/** Parses a line. `source` is what the caller knows; otherwise it is inferred from the line's shape. */
export function parseLogLine(raw: string, source?: LogSource, requestId?: string, timestamp?: string): ParsedLine {
  let text = raw.trim();
  let ts = timestamp;
  let m = ISO_PREFIX.exec(text) ?? CONSOLE_PREFIX.exec(text);
  if (m) {
    ts ??= m[1];
    text = text.slice(m[0].length);
  }
  let id = requestId;
  m = REQUEST_ID_PREFIX.exec(text);
  let src = source;
  if (m) {
    id ??= m[1];
    text = text.slice(m[0].length);
    src ??= 'execution';
  }
  const access = text.startsWith('{') && (src === undefined || src === 'access') ? parseAccessJson(text) : undefined;
  if (access) {
    src ??= 'access';
    id ??= access.requestId;
    const status = toStatus(access.fields.status);
    return { source: src, ...(id ? { requestId: id } : {}), ...(ts ? { timestamp: ts } : {}), message: describeAccess(access.fields), access: access.fields, ...(status ? { status } : {}) };
  }
  const clf = CLF_STATUS.exec(text);
  if (clf && (src === undefined || src === 'access')) src = 'access';
  if (src === undefined) {
    if (LAMBDA_LINE.test(text)) src = 'lambda';
    else if (EXECUTION_LINE.test(text)) src = 'execution';
  }
  if (src === 'lambda' && id === undefined) {
    // Lambda runtime lines: "<ts>\t<lambda-request-id>\tERROR\t…"; the id is Lambda's, still worth showing.
    id = UUID.exec(text)?.[0];
  }
  const statusText = STATUS_LINE.exec(text)?.[1] ?? clf?.[1];
  const status = toStatus(statusText);
  const message = clip(redactSecrets(text));
  const parsed: ParsedLine = { message };
  if (src) parsed.source = src;
  if (id) parsed.requestId = id;
  if (ts) parsed.timestamp = ts;
  if (status) parsed.status = status;
  if (src === 'access' && clf) parsed.access = { status: clf[1] ?? '', integrationErrorMessage: text.slice((clf.index ?? 0) + clf[0].length) };
  return parsed;
}

/** An integration error message collected on its own (`integrationErrorMessages` in evidence). */
export function parseIntegrationErrorMessage(message: string): ParsedLine {
  return { source: 'access', message: clip(redactSecrets(message.trim())), access: { integrationErrorMessage: message } };
}

function toStatus(text: string | undefined): number | undefined {
  const n = text === undefined ? NaN : Number(text);
  return n >= 500 && n <= 599 ? n : undefined;
}

/** Maps a JSON access-log key (named by whoever wrote the format) to the `$context` field it holds. */
function accessFieldOf(key: string): AccessField | 'requestId' | undefined {
  const k = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (k.includes('responsetype')) return 'responseType';
  if (k.includes('authorizererror')) return 'authorizerError';
  if (k.includes('integrationerrormessage')) return 'integrationErrorMessage';
  if (k === 'integrationerror' || k === 'contextintegrationerror') return 'integrationError';
  if (k.includes('integrationstatus')) return 'integrationStatus';
  if (k.includes('integrationlatency')) return 'integrationLatency';
  if (k === 'status' || k === 'statuscode' || k === 'httpstatus' || k === 'contextstatus') return 'status';
  if (k === 'errormessage' || k === 'errormessagestring' || k === 'error' || k === 'contexterrormessage') return 'errorMessage';
  if (k === 'requestid' || k === 'contextrequestid') return 'requestId';
  return undefined;
}

function parseAccessJson(text: string): { fields: Partial<Record<AccessField, string>>; requestId?: string } | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return undefined;
  const fields: Partial<Record<AccessField, string>> = {};
  let requestId: string | undefined;
  for (const [key, value] of Object.entries(doc as Record<string, unknown>)) {
    if (value === null || value === undefined || value === '-' || value === '') continue;
    const field = accessFieldOf(key);
    if (!field) continue;
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    if (field === 'requestId') requestId = text;
    else fields[field] ??= text;
  }
  return requestId ? { fields, requestId } : { fields };
}

const SHOWN_FIELDS: readonly AccessField[] = ['responseType', 'errorMessage', 'integrationErrorMessage', 'integrationError', 'authorizerError'];

function describeAccess(fields: Partial<Record<AccessField, string>>): string {
  const parts: string[] = [];
  if (fields.status) parts.push(`status ${fields.status}`);
  for (const f of SHOWN_FIELDS) {
    const v = fields[f];
    if (v !== undefined) parts.push(`${f} ${JSON.stringify(v)}`);
  }
  return clip(redactSecrets(parts.length > 0 ? `access log: ${parts.join(', ')}` : 'access log line'));
}

function clip(text: string): string {
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 1)}…` : text;
}

/**
 * The key under which lines count as the same message: ids, times, hex and numbers replaced, case
 * and spacing folded.
 */
export function normaliseMessage(message: string): string {
  return message
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<id>')
    .replace(/\b(?=[A-Za-z0-9=_-]{16,}\b)(?=[^\s]*\d)[A-Za-z0-9=_-]+/g, '<id>')
    .replace(/\d+(?:\.\d+)?/g, '#')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase()
    .slice(0, 240);
}
