/**
 * The telemetry doctor: is there enough logging on one API stage to diagnose its 5xx at all? Each item
 * says what is set now, why it matters to a diagnosis, and the exact `aws …` commands (real ids, shell
 * quoted) that put it in place. It only reads; the commands are for a human to run.
 *
 * Items: the account's CloudWatch role and execution logging (REST, WebSocket), access logging and
 * whether its format carries the fields a diagnosis reads, detailed metrics, data trace (REST,
 * WebSocket). HTTP APIs have no execution logs: their access log is the only API Gateway log.
 */
import type { ApiType, Target } from '../diagnosis/evidence';
import { DIAGNOSTIC_ACCESS_LOG_FORMAT } from '../diagnosis/missing';
import { shellQuote } from '../diagnosis/shell';
import { AwsCallError } from './call-aws';
import { accountFromArn, parseApiRefIn, resolveApiStage, toSkipped } from './investigate';
import { logGroupFromArn } from './log-queries';
import type { AccountInfo, ApiSummary, AwsPorts, MethodSetting, StageInfo } from './ports';

export type TelemetryItemId = 'cloudwatch-role' | 'execution-logging' | 'access-logging' | 'access-log-format' | 'detailed-metrics' | 'data-trace';

/**
 * - `ok`: in place.
 * - `missing`: a diagnosis is partly blind without it.
 * - `optional`: off, and that can be the right choice (cost, or bodies in logs).
 * - `unknown`: could not be read (the `current` text says why).
 */
export type TelemetryStatus = 'ok' | 'missing' | 'optional' | 'unknown';

export interface TelemetryItem {
  id: TelemetryItemId;
  title: string;
  status: TelemetryStatus;
  /** What is set now, in a few words. */
  current: string;
  /** Why a diagnosis needs it. */
  why: string;
  /** The commands that put it in place, one per line; absent when in place. */
  fix?: string;
}

export interface TelemetryReport {
  target: Target;
  apiType: ApiType;
  items: TelemetryItem[];
}

/** The role name the fix creates when the account has none (the name AWS's own guide uses). */
const ROLE_NAME = 'APIGatewayCloudWatchLogs';
const PUSH_POLICY = 'arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs';
const TRUST_POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
/** Shown, quoted, wherever the account id could not be read: never an empty string. */
const UNKNOWN_ACCOUNT = '<account-id>';
const WINDOW_FOR_STAGE_MS = 24 * 3_600_000;

/** A `$context` variable an access-log format should carry, and the JSON key the fix adds it under. */
interface FormatField {
  label: string;
  /** Any of these variables will do. */
  variables: string[];
  key: string;
}

const REQUEST_ID: FormatField = { label: 'a request id', variables: ['$context.requestId', '$context.extendedRequestId'], key: 'requestId' };
const INTEGRATION_ERROR_MESSAGE: FormatField = { label: '$context.integrationErrorMessage', variables: ['$context.integrationErrorMessage'], key: 'integrationErrorMessage' };
const RESPONSE_TYPE: FormatField = { label: '$context.error.responseType', variables: ['$context.error.responseType'], key: 'errorResponseType' };
const INTEGRATION_ERROR: FormatField = { label: '$context.integration.error', variables: ['$context.integration.error'], key: 'integrationError' };
const RESOURCE_PATH: FormatField = { label: '$context.resourcePath', variables: ['$context.resourcePath'], key: 'resourcePath' };
const ROUTE_KEY: FormatField = { label: '$context.routeKey', variables: ['$context.routeKey'], key: 'routeKey' };
const STATUS: FormatField = { label: '$context.status', variables: ['$context.status'], key: 'status' };

/** What each API type's access log must carry for a diagnosis: the error behind each 5xx, its route, its request. */
const FORMAT_FIELDS: Record<ApiType, FormatField[]> = {
  REST: [STATUS, INTEGRATION_ERROR_MESSAGE, RESPONSE_TYPE, INTEGRATION_ERROR, RESOURCE_PATH, REQUEST_ID],
  HTTP: [STATUS, INTEGRATION_ERROR_MESSAGE, ROUTE_KEY, REQUEST_ID],
  WEBSOCKET: [STATUS, RESPONSE_TYPE, INTEGRATION_ERROR, ROUTE_KEY, REQUEST_ID],
};

/** The JSON access-log format the fixes set: the diagnostic format plus what each API type adds. */
export function accessLogFormatFor(apiType: ApiType): string {
  const base = JSON.parse(DIAGNOSTIC_ACCESS_LOG_FORMAT) as Record<string, string>;
  switch (apiType) {
    case 'REST':
      return JSON.stringify({ ...base, resourcePath: '$context.resourcePath', integrationError: '$context.integration.error' });
    case 'HTTP':
      return JSON.stringify({ ...base, routeKey: '$context.routeKey' });
    case 'WEBSOCKET': {
      // WebSocket messages have no HTTP method or path; the route key and event type say what was called.
      const rest = Object.fromEntries(Object.entries(base).filter(([key]) => key !== 'httpMethod' && key !== 'path' && key !== 'integrationErrorMessage'));
      return JSON.stringify({ ...rest, routeKey: '$context.routeKey', eventType: '$context.eventType', connectionId: '$context.connectionId', integrationError: '$context.integration.error' });
    }
  }
}

/** Checks the telemetry of the API stage a user names (the stage with the most 5xx in the last 24 h when several). */
export async function checkTelemetry(
  ports: Pick<AwsPorts, 'region' | 'rest' | 'v2' | 'metrics' | 'account' | 'identity'>,
  request: { api: string; stage?: string },
  now: Date,
): Promise<TelemetryReport> {
  const ref = parseApiRefIn(request.api, ports.region);
  const identity = ports.identity.getCallerIdentity().catch(() => undefined);
  const { api, stage } = await resolveApiStage(ports, ref, request.stage, { from: new Date(now.getTime() - WINDOW_FOR_STAGE_MS), to: now });
  let account: AccountInfo | { error: string } | undefined;
  if (api.apiType !== 'HTTP') {
    try {
      account = await ports.account.getAccount();
    } catch (e) {
      if (!(e instanceof AwsCallError)) throw e;
      const s = toSkipped('config', e, { region: ports.region });
      account = { error: `${s.reason} (${s.fix})` };
    }
  }
  const accountId = (await identity)?.accountId ?? accountFromArn(stage.accessLog?.destinationArn);
  const target: Target = { apiId: api.apiId, apiName: api.name, stage: stage.name, region: ports.region, ...(accountId ? { accountId } : {}) };
  return { target, apiType: api.apiType, items: telemetryItems(api, stage, account, { region: ports.region, ...(accountId ? { accountId } : {}) }) };
}

/**
 * The items for one stage, from what was read. `account` is the REST account settings (undefined for
 * HTTP APIs, which need no role), or the error that kept them from being read.
 */
export function telemetryItems(api: ApiSummary, stage: StageInfo, account: AccountInfo | { error: string } | undefined, where: { region: string; accountId?: string }): TelemetryItem[] {
  const ctx: FixContext = { api, stage, region: where.region, accountId: where.accountId ?? UNKNOWN_ACCOUNT };
  const items: TelemetryItem[] = [];
  if (api.apiType !== 'HTTP') items.push(cloudwatchRoleItem(account, ctx), executionLoggingItem(ctx));
  items.push(accessLoggingItem(ctx));
  if (stage.accessLog) items.push(accessLogFormatItem(ctx, stage.accessLog.format ?? ''));
  items.push(detailedMetricsItem(ctx));
  if (api.apiType !== 'HTTP') items.push(dataTraceItem(ctx));
  return items;
}

interface FixContext {
  api: ApiSummary;
  stage: StageInfo;
  region: string;
  accountId: string;
}

function cloudwatchRoleItem(account: AccountInfo | { error: string } | undefined, ctx: FixContext): TelemetryItem {
  const why = `API Gateway writes ${ctx.api.apiType === 'REST' ? 'REST' : 'WebSocket'} execution and access logs through this role, set once per account and Region; without it logging cannot be turned on and nothing is written.`;
  const base = { id: 'cloudwatch-role' as const, title: 'CloudWatch role (account)', why };
  if (account && 'error' in account) return { ...base, status: 'unknown', current: `could not read the account settings: ${account.error}` };
  if (account?.cloudwatchRoleArn) return { ...base, status: 'ok', current: account.cloudwatchRoleArn };
  const roleArn = `arn:aws:iam::${ctx.accountId}:role/${ROLE_NAME}`;
  return {
    ...base,
    status: 'missing',
    current: `none in ${ctx.region}`,
    fix: [
      command('aws', 'iam', 'create-role', '--role-name', ROLE_NAME, '--assume-role-policy-document', TRUST_POLICY),
      command('aws', 'iam', 'attach-role-policy', '--role-name', ROLE_NAME, '--policy-arn', PUSH_POLICY),
      command('aws', 'apigateway', 'update-account', '--region', ctx.region, '--patch-operations', `op=replace,path=/cloudwatchRoleArn,value=${roleArn}`),
    ].join('\n'),
  };
}

function executionLoggingItem(ctx: FixContext): TelemetryItem {
  const { stage } = ctx;
  const level = stage.methodSettings['*/*']?.loggingLevel ?? 'OFF';
  const on = (l: string | undefined): boolean => l === 'ERROR' || l === 'INFO';
  const overrides = Object.entries(stage.methodSettings).filter(([key, s]) => key !== '*/*' && s.loggingLevel !== undefined && s.loggingLevel !== level);
  const others = overrides.length > 0 ? `; ${overrides.length} ${ctx.api.apiType === 'REST' ? 'method' : 'route'}${overrides.length === 1 ? ' differs' : 's differ'} (${overrides.slice(0, 3).map(([k, s]) => `${k} ${s.loggingLevel ?? ''}`).join(', ')}${overrides.length > 3 ? ', …' : ''})` : '';
  const why =
    'Execution logs name the failure behind a bare "Internal server error": "Malformed Lambda proxy response", "Invalid permissions on Lambda function", timeouts. ERROR logs only failing requests, so it costs little.';
  const base = { id: 'execution-logging' as const, title: 'Execution logging', why };
  if (on(level)) return { ...base, status: 'ok', current: `${level} stage-wide${others}` };
  return { ...base, status: 'missing', current: `${level} stage-wide${others}`, fix: stageSettingFix(ctx, { loggingLevel: 'ERROR' }) };
}

function accessLoggingItem(ctx: FixContext): TelemetryItem {
  const { api, stage } = ctx;
  const why =
    api.apiType === 'HTTP'
      ? 'HTTP APIs have no execution logs: the access log is the only API Gateway log, one line per request with its status, route and integration error.'
      : 'One line per request with its status, route and integration error: it says which route fails, how often, and why.';
  const base = { id: 'access-logging' as const, title: 'Access logging', why };
  if (stage.accessLog) {
    const group = logGroupFromArn(stage.accessLog.destinationArn);
    return { ...base, status: 'ok', current: group ? `to log group ${group}` : `to ${stage.accessLog.destinationArn}` };
  }
  const group = `/aws/apigateway/access-logs/${api.apiId}`;
  const destination = `arn:aws:logs:${ctx.region}:${ctx.accountId}:log-group:${group}`;
  const format = accessLogFormatFor(api.apiType);
  return {
    ...base,
    status: 'missing',
    current: 'not configured',
    fix: [
      command('aws', 'logs', 'create-log-group', '--log-group-name', group, '--region', ctx.region),
      command('aws', 'logs', 'put-retention-policy', '--log-group-name', group, '--retention-in-days', '30', '--region', ctx.region),
      accessLogSettingsFix(ctx, destination, format),
    ].join('\n'),
  };
}

function accessLogFormatItem(ctx: FixContext, format: string): TelemetryItem {
  const fields = FORMAT_FIELDS[ctx.api.apiType];
  const absent = fields.filter((f) => !f.variables.some((v) => hasVariable(format, v)));
  const json = format.trim().startsWith('{') && format.trim().endsWith('}');
  const why = `${fields.map((f) => f.label).join(', ')}: the error behind each 5xx, the route it hit and a request id to follow it into the execution and Lambda logs.`;
  const base = { id: 'access-log-format' as const, title: 'Access log format', why };
  if (absent.length === 0 && json) return { ...base, status: 'ok', current: `JSON with ${fields.map((f) => f.label).join(', ')}` };
  const destination = ctx.stage.accessLog?.destinationArn ?? '';
  if (!json) {
    return {
      ...base,
      status: 'missing',
      current: `not JSON${absent.length > 0 ? `, lacks ${absent.map((f) => f.label).join(', ')}` : ''}: lines can only be read as text`,
      fix: accessLogSettingsFix(ctx, destination, accessLogFormatFor(ctx.api.apiType)),
    };
  }
  return { ...base, status: 'missing', current: `lacks ${absent.map((f) => f.label).join(', ')}`, fix: accessLogSettingsFix(ctx, destination, withFields(format, absent)) };
}

function detailedMetricsItem(ctx: FixContext): TelemetryItem {
  const on = ctx.stage.methodSettings['*/*']?.metricsEnabled === true;
  const unit = ctx.api.apiType === 'REST' ? 'method' : 'route';
  const why = `Per-${unit} 5xx, count and latency metrics: which ${unit} fails even without access logs. Billed as custom metrics, so off can be the right choice.`;
  const base = { id: 'detailed-metrics' as const, title: 'Detailed metrics', why };
  if (on) return { ...base, status: 'ok', current: 'on' };
  return { ...base, status: 'optional', current: 'off', fix: stageSettingFix(ctx, { metricsEnabled: true }) };
}

function dataTraceItem(ctx: FixContext): TelemetryItem {
  const on = ctx.stage.methodSettings['*/*']?.dataTraceEnabled === true;
  const why =
    'Logs request and response bodies, e.g. the "Endpoint response body before transformations" that shows what a malformed Lambda proxy response looked like. It can log personal data and secrets: turn it on while debugging, then off.';
  const base = { id: 'data-trace' as const, title: 'Data trace', why };
  if (on) return { ...base, status: 'ok', current: 'on (turn it off when done: it logs bodies)' };
  return { ...base, status: 'optional', current: 'off', fix: `${stageSettingFix(ctx, { dataTraceEnabled: true })}\n# afterwards:\n${stageSettingFix(ctx, { dataTraceEnabled: false })}` };
}

/** One stage-wide setting changed, the REST way (a patch operation) or the v2 way (default route settings). */
function stageSettingFix(ctx: FixContext, change: Pick<MethodSetting, 'loggingLevel' | 'dataTraceEnabled' | 'metricsEnabled'>): string {
  const { api, stage } = ctx;
  if (api.apiType === 'REST') {
    const op =
      change.loggingLevel !== undefined
        ? `op=replace,path=/*/*/logging/loglevel,value=${change.loggingLevel}`
        : change.dataTraceEnabled !== undefined
          ? `op=replace,path=/*/*/logging/dataTrace,value=${String(change.dataTraceEnabled)}`
          : `op=replace,path=/*/*/metrics/enabled,value=${String(change.metricsEnabled ?? true)}`;
    return command('aws', 'apigateway', 'update-stage', '--rest-api-id', api.apiId, '--stage-name', stage.name, '--region', ctx.region, '--patch-operations', op);
  }
  return command('aws', 'apigatewayv2', 'update-stage', '--api-id', api.apiId, '--stage-name', stage.name, '--region', ctx.region, '--default-route-settings', defaultRouteSettings(api.apiType, { ...stage.methodSettings['*/*'], ...change }));
}

/**
 * v2 `DefaultRouteSettings` in the CLI's shorthand, carrying the current values over so that the
 * update changes only what it means to. `LoggingLevel` and `DataTraceEnabled` exist only for WebSocket APIs.
 */
function defaultRouteSettings(apiType: ApiType, s: MethodSetting): string {
  const parts: string[] = [];
  if (s.metricsEnabled !== undefined) parts.push(`DetailedMetricsEnabled=${String(s.metricsEnabled)}`);
  if (apiType === 'WEBSOCKET') {
    if (s.loggingLevel !== undefined) parts.push(`LoggingLevel=${s.loggingLevel}`);
    if (s.dataTraceEnabled !== undefined) parts.push(`DataTraceEnabled=${String(s.dataTraceEnabled)}`);
  }
  if (s.throttlingBurstLimit !== undefined) parts.push(`ThrottlingBurstLimit=${s.throttlingBurstLimit}`);
  if (s.throttlingRateLimit !== undefined) parts.push(`ThrottlingRateLimit=${s.throttlingRateLimit}`);
  return parts.join(',');
}

/**
 * Sets a stage's access-log destination and format. The REST patch operations are given as JSON:
 * the CLI's shorthand would split a JSON format at its commas.
 */
function accessLogSettingsFix(ctx: FixContext, destinationArn: string, format: string): string {
  const { api, stage } = ctx;
  if (api.apiType === 'REST') {
    const ops = [
      { op: 'replace', path: '/accessLogSettings/destinationArn', value: destinationArn },
      { op: 'replace', path: '/accessLogSettings/format', value: format },
    ];
    return command('aws', 'apigateway', 'update-stage', '--rest-api-id', api.apiId, '--stage-name', stage.name, '--region', ctx.region, '--patch-operations', JSON.stringify(ops));
  }
  return command('aws', 'apigatewayv2', 'update-stage', '--api-id', api.apiId, '--stage-name', stage.name, '--region', ctx.region, '--access-log-settings', JSON.stringify({ DestinationArn: destinationArn, Format: format }));
}

/** A flat JSON format with the missing fields added before its closing brace, under keys it does not use yet. */
function withFields(format: string, fields: readonly FormatField[]): string {
  const body = format.trim().slice(0, -1).trimEnd();
  const added = fields.map((f) => {
    let key = f.key;
    while (format.includes(`"${key}"`)) key = `${key}_`;
    return `"${key}":"${f.variables[0] ?? ''}"`;
  });
  return `${body}${body.endsWith('{') ? '' : ','}${added.join(',')}}`;
}

/** Whether a format uses a variable (not merely a longer one that starts with it). */
function hasVariable(format: string, variable: string): boolean {
  let i = format.indexOf(variable);
  while (i >= 0) {
    const next = format[i + variable.length];
    if (next === undefined || !/[A-Za-z0-9_.]/.test(next)) return true;
    i = format.indexOf(variable, i + 1);
  }
  return false;
}

/** A command line, each word shell-quoted. */
function command(...words: string[]): string {
  return words.map(shellQuote).join(' ');
}
