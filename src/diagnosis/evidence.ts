/**
 * The evidence model (DESIGN.md §3): what is known about one failing integration. The JSON form is
 * parsed here into the in-memory form the engine reads; unknown keys are ignored, never rejected.
 */
import { EvidenceError } from '../errors';
import type { ConfigFactName, FactValue, MetricName } from './facts';
import { CONFIG_FACTS, METRIC_FACTS, factHasType, isConfigFactName, isMetricName } from './facts';
import type { ClientResponse } from './response';
import { parseResponseJson } from './response';

export const API_TYPES = ['REST', 'HTTP', 'WEBSOCKET'] as const;
export type ApiType = (typeof API_TYPES)[number];

export const INTEGRATION_TYPES = ['AWS_PROXY', 'AWS', 'HTTP_PROXY', 'HTTP', 'MOCK'] as const;
export type IntegrationType = (typeof INTEGRATION_TYPES)[number];

export const LOG_SOURCES = ['execution', 'access', 'lambda'] as const;
export type LogSource = (typeof LOG_SOURCES)[number];
/** Where a piece of text evidence came from: a log, or the response the client got. */
export type TextSource = LogSource | 'response';

/** The status asked about: one 5xx code, or any 5xx. */
export type StatusQuery = number | '5xx';

export interface LogLine {
  message: string;
  /** Where the line came from; absent when unknown (a plain log file). */
  source?: LogSource;
  timestamp?: string;
  requestId?: string;
  /**
   * How many log lines this one stands for (default 1): a collector that aggregates in the log
   * service (Logs Insights `stats count(*) by message`) hands over one line per message with its count.
   */
  count?: number;
  /** Further example request ids of the lines it stands for. */
  requestIds?: string[];
  /** When the last of the lines it stands for was written (`timestamp` is the first). */
  lastSeen?: string;
}

export const TARGET_FIELDS = [
  'apiId',
  'apiName',
  'stage',
  'region',
  'accountId',
  'resourceId',
  'resourcePath',
  'httpMethod',
  'functionArn',
  'integrationId',
] as const;
export type TargetField = (typeof TARGET_FIELDS)[number];
/** Which API, stage and integration the evidence is about; `apiId` is the REST or v2 id. */
export type Target = Partial<Record<TargetField, string>>;

export type ConfigFacts = Partial<Record<ConfigFactName, FactValue>>;
export type Metrics = Partial<Record<MetricName, number>>;

/**
 * Evidence the stage shares with others, so that it cannot be told whose it is: the log of a function
 * several stages invoke, its metrics, an access-log group several stages write to without
 * `$context.stage`. It is still shown, but never decides a cause alone.
 */
export interface SharedEvidence {
  /** Logs whose lines may be another stage's. */
  logs: LogSource[];
  /** Metric facts that may count other stages' calls. */
  metrics: MetricName[];
  /** Who else uses it, for the reader: "stage dev". */
  with: string[];
}

/** A source the collectors could not read, passed through to the output. */
export interface Skipped {
  source: string;
  reason: string;
  fix: string;
}

export interface Evidence {
  status: StatusQuery;
  apiType: ApiType;
  integrationType?: IntegrationType;
  logLines: LogLine[];
  /** `$context.integrationErrorMessage` values, as collected from access logs. */
  integrationErrorMessages: string[];
  config: ConfigFacts;
  metrics: Metrics;
  target: Target;
  skipped: Skipped[];
  /**
   * Logs that were read in full for the window, whether or not anything in them matched (an
   * investigation sets it): nothing then suggests reading them again.
   */
  logsRead?: LogSource[];
  shared?: SharedEvidence;
  /** What the client saw (status, headers, body). */
  response?: ClientResponse;
}

const STATUS_HELP = 'a status from 500 to 599 (number or string) or "5xx"';

/** Parses a status as typed by a user or written in evidence: 500–599 or "5xx" in any case. */
export function parseStatus(value: unknown, where = 'status'): StatusQuery {
  if (typeof value === 'string' && value.trim().toLowerCase() === '5xx') return '5xx';
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (Number.isInteger(n) && n >= 500 && n <= 599) return n;
  throw new EvidenceError(`${where}: expected ${STATUS_HELP}, got ${describe(value)}`);
}

export function parseApiType(value: unknown, where = 'apiType'): ApiType {
  const upper = typeof value === 'string' ? value.trim().toUpperCase() : value;
  if (upper === 'WEBSOCKET' || upper === 'WEB_SOCKET') return 'WEBSOCKET';
  if (upper === 'REST' || upper === 'HTTP') return upper;
  throw new EvidenceError(`${where}: expected one of ${API_TYPES.join(', ')}, got ${describe(value)}`);
}

export function parseIntegrationType(value: unknown, where = 'integrationType'): IntegrationType {
  const upper = typeof value === 'string' ? value.trim().toUpperCase() : value;
  const found = INTEGRATION_TYPES.find((t) => t === upper);
  if (found) return found;
  throw new EvidenceError(`${where}: expected one of ${INTEGRATION_TYPES.join(', ')}, got ${describe(value)}`);
}

/**
 * Parses the JSON evidence document of DESIGN.md §3. Throws {@link EvidenceError} with one line that
 * names the field, what was expected and what was found.
 */
export function parseEvidence(doc: unknown): Evidence {
  if (!isRecord(doc)) throw new EvidenceError(`expected a JSON object with "status" and "apiType", got ${describe(doc)}`);
  if (doc.status === undefined) throw new EvidenceError(`status: missing; expected ${STATUS_HELP}`);
  if (doc.apiType === undefined) throw new EvidenceError(`apiType: missing; expected one of ${API_TYPES.join(', ')}`);
  const status = parseStatus(doc.status);
  const apiType = parseApiType(doc.apiType);
  const config = parseConfig(doc.config);
  const integrationType =
    doc.integrationType !== undefined && doc.integrationType !== null
      ? parseIntegrationType(doc.integrationType)
      : typeof config.integrationType === 'string'
        ? parseIntegrationType(config.integrationType, 'config.integrationType')
        : undefined;
  return {
    status,
    apiType,
    ...(integrationType ? { integrationType } : {}),
    logLines: parseLogLines(doc.logLines),
    integrationErrorMessages: parseStringArray(doc.integrationErrorMessages, 'integrationErrorMessages'),
    config,
    metrics: parseMetrics(doc.metrics),
    target: parseTarget(doc.target),
    skipped: parseSkipped(doc.skipped),
    ...(doc.logsRead !== undefined && doc.logsRead !== null ? { logsRead: parseLogsRead(doc.logsRead) } : {}),
    ...(doc.shared !== undefined && doc.shared !== null ? { shared: parseShared(doc.shared) } : {}),
    ...(doc.response !== undefined && doc.response !== null ? { response: parseResponseJson(doc.response) } : {}),
  };
}

function parseLogLines(value: unknown): LogLine[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new EvidenceError(`logLines: expected an array of strings or {"message": …} objects, got ${describe(value)}`);
  return value.map((item: unknown, i): LogLine => {
    const where = `logLines[${i}]`;
    if (typeof item === 'string') return { message: item };
    if (!isRecord(item)) throw new EvidenceError(`${where}: expected a string or an object with "message", got ${describe(item)}`);
    if (typeof item.message !== 'string') throw new EvidenceError(`${where}.message: expected a string, got ${describe(item.message)}`);
    const line: LogLine = { message: item.message };
    if (item.source !== undefined && item.source !== null) {
      const source = LOG_SOURCES.find((s) => s === item.source);
      if (!source) throw new EvidenceError(`${where}.source: expected one of ${LOG_SOURCES.join(', ')}, got ${describe(item.source)}`);
      line.source = source;
    }
    if (item.timestamp !== undefined && item.timestamp !== null) {
      if (typeof item.timestamp !== 'string' || Number.isNaN(Date.parse(item.timestamp))) {
        throw new EvidenceError(`${where}.timestamp: expected an ISO 8601 time such as "2026-11-25T14:02:00Z", got ${describe(item.timestamp)}`);
      }
      line.timestamp = item.timestamp;
    }
    if (item.requestId !== undefined && item.requestId !== null) {
      if (typeof item.requestId !== 'string') throw new EvidenceError(`${where}.requestId: expected a string, got ${describe(item.requestId)}`);
      line.requestId = item.requestId;
    }
    if (item.count !== undefined && item.count !== null) {
      if (typeof item.count !== 'number' || !Number.isInteger(item.count) || item.count < 1) {
        throw new EvidenceError(`${where}.count: expected a whole number of lines, 1 or more, got ${describe(item.count)}`);
      }
      line.count = item.count;
    }
    if (item.requestIds !== undefined && item.requestIds !== null) line.requestIds = parseStringArray(item.requestIds, `${where}.requestIds`);
    if (item.lastSeen !== undefined && item.lastSeen !== null) {
      if (typeof item.lastSeen !== 'string' || Number.isNaN(Date.parse(item.lastSeen))) {
        throw new EvidenceError(`${where}.lastSeen: expected an ISO 8601 time such as "2026-11-25T14:02:00Z", got ${describe(item.lastSeen)}`);
      }
      line.lastSeen = item.lastSeen;
    }
    return line;
  });
}

function parseLogsRead(value: unknown): LogSource[] {
  return parseStringArray(value, 'logsRead').map((v, i) => {
    const source = LOG_SOURCES.find((s) => s === v);
    if (!source) throw new EvidenceError(`logsRead[${i}]: expected one of ${LOG_SOURCES.join(', ')}, got ${describe(v)}`);
    return source;
  });
}

function parseShared(value: unknown): SharedEvidence {
  if (!isRecord(value)) throw new EvidenceError(`shared: expected {"logs": [...], "metrics": [...], "with": [...]}, got ${describe(value)}`);
  const logs = parseStringArray(value.logs, 'shared.logs').map((v, i) => {
    const source = LOG_SOURCES.find((s) => s === v);
    if (!source) throw new EvidenceError(`shared.logs[${i}]: expected one of ${LOG_SOURCES.join(', ')}, got ${describe(v)}`);
    return source;
  });
  const metrics = parseStringArray(value.metrics, 'shared.metrics').map((v, i) => {
    if (!isMetricName(v)) throw new EvidenceError(`shared.metrics[${i}]: expected a metric name such as lambdaErrors, got ${describe(v)}`);
    return v;
  });
  return { logs, metrics, with: parseStringArray(value.with, 'shared.with') };
}

function parseConfig(value: unknown): ConfigFacts {
  const out: ConfigFacts = {};
  for (const [name, v] of entriesOf(value, 'config')) {
    if (v === null || v === undefined || !isConfigFactName(name)) continue;
    const spec = CONFIG_FACTS[name];
    if (!factHasType(spec, v)) throw new EvidenceError(`config.${name}: expected ${typeWords(spec.type)} (${spec.meaning}), got ${describe(v)}`);
    out[name] = v;
  }
  return out;
}

function parseMetrics(value: unknown): Metrics {
  const out: Metrics = {};
  for (const [name, v] of entriesOf(value, 'metrics')) {
    if (v === null || v === undefined || !isMetricName(name)) continue;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new EvidenceError(`metrics.${name}: expected a number (${METRIC_FACTS[name].meaning}), got ${describe(v)}`);
    }
    out[name] = v;
  }
  return out;
}

function parseTarget(value: unknown): Target {
  const out: Target = {};
  for (const [name, v] of entriesOf(value, 'target')) {
    const field = TARGET_FIELDS.find((f) => f === name);
    if (!field || v === null || v === undefined) continue;
    if (typeof v !== 'string') throw new EvidenceError(`target.${name}: expected a string, got ${describe(v)}`);
    out[field] = v;
  }
  return out;
}

function parseSkipped(value: unknown): Skipped[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new EvidenceError(`skipped: expected an array of {"source","reason","fix"}, got ${describe(value)}`);
  return value.map((item: unknown, i) => {
    if (!isRecord(item) || typeof item.source !== 'string' || typeof item.reason !== 'string') {
      throw new EvidenceError(`skipped[${i}]: expected {"source": string, "reason": string, "fix"?: string}, got ${describe(item)}`);
    }
    return { source: item.source, reason: item.reason, fix: typeof item.fix === 'string' ? item.fix : '' };
  });
}

function parseStringArray(value: unknown, where: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new EvidenceError(`${where}: expected an array of strings, got ${describe(value)}`);
  return value.map((v: unknown, i) => {
    if (typeof v !== 'string') throw new EvidenceError(`${where}[${i}]: expected a string, got ${describe(v)}`);
    return v;
  });
}

function entriesOf(value: unknown, where: string): [string, unknown][] {
  if (value === undefined || value === null) return [];
  if (!isRecord(value)) throw new EvidenceError(`${where}: expected an object, got ${describe(value)}`);
  return Object.entries(value);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeWords(type: string): string {
  return type === 'string[]' ? 'an array of strings' : type === 'boolean' ? 'true or false' : `a ${type}`;
}

/** A short description of a JSON value for error messages: its type and, when short, the value. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  const shown = text.length > 40 ? `${text.slice(0, 37)}…` : text;
  return `${typeof value} ${shown}`;
}
