/**
 * Building blocks the scenarios share: the timeline relative to "now", ARNs and URIs in the formats AWS
 * writes them, Lambda configurations and resource policies as `get-function-configuration` and
 * `get-policy` return them, REST stages as `get-stages` returns them, the access-log formats, metric
 * series, and deterministic ids (the same seed always gives the same id, so a world is reproducible).
 */
import type { Method, MethodResponse, Stage as RestStage } from '@aws-sdk/client-api-gateway';
import type { Runtime } from '@aws-sdk/client-lambda';
import type { LambdaFixture, LogRows, MetricFixture } from '../world';
import type { WorldFragment } from '../scenario';
import { SANDBOX_ACCOUNT, SANDBOX_REGION } from '../scenario';
import type { Span } from './rows';
import { insightsTime, lambdaTime } from './rows';

export const REGION = SANDBOX_REGION;
export const ACCOUNT = SANDBOX_ACCOUNT;

export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

// ---------------------------------------------------------------------------------------------------
// Time
// ---------------------------------------------------------------------------------------------------

/** The times a scenario is built around, all relative to `now`. */
export interface Timeline {
  now: Date;
  /** An hour before now: what `--since 1h` asks about. */
  from: Date;
  /** When the errors begin: 58 minutes before now. */
  onset: Date;
  /** The failing lines: the first 11.121 s after the onset, the last about 2 s before now. */
  span: Span;
  /** When a change that caused the errors went live: 1 min 58 s before the onset. */
  changedAt: Date;
  /** `ms` before now. */
  ago(ms: number): Date;
  /** `ms` after the onset. */
  afterOnset(ms: number): Date;
}

export function timeline(now: Date): Timeline {
  const t = now.getTime();
  const onset = new Date(t - 58 * MINUTE);
  return {
    now: new Date(t),
    from: new Date(t - HOUR),
    onset,
    span: { first: new Date(onset.getTime() + 11_121), last: new Date(t - 1_996) },
    changedAt: new Date(onset.getTime() - 118 * SECOND),
    ago: (ms) => new Date(t - ms),
    afterOnset: (ms) => new Date(onset.getTime() + ms),
  };
}

// ---------------------------------------------------------------------------------------------------
// Deterministic ids
// ---------------------------------------------------------------------------------------------------

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** A stream of pseudo-random 32-bit numbers from a seed (xorshift over the seed's FNV-1a hash). */
function numbers(seed: string): () => number {
  let x = fnv1a(seed) || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

function fromAlphabet(seed: string, alphabet: string, length: number): string {
  const next = numbers(seed);
  let out = '';
  while (out.length < length) out += alphabet[next() % alphabet.length] ?? '';
  return out;
}

/** Lower-case letters and digits, as API Gateway writes resource, deployment and route ids. */
export function shortId(seed: string, length = 6): string {
  return fromAlphabet(seed, 'abcdefghijklmnopqrstuvwxyz0123456789', length);
}

/** A version-4 UUID, as REST request ids and Lambda request ids are written. */
export function uuidFrom(seed: string): string {
  const hex = fromAlphabet(seed, '0123456789abcdef', 32);
  const variant = '89ab'[parseInt(hex[16] ?? '0', 16) % 4] ?? '8';
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** An HTTP or WebSocket API request id: 15 base64 characters and `=` (e.g. `AbCdEfGhIjKlMnO=`). */
export function extendedId(seed: string): string {
  return `${fromAlphabet(seed, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 14)}${fromAlphabet(`${seed}/end`, 'AEIMQUYcgkosw048', 1)}=`;
}

// ---------------------------------------------------------------------------------------------------
// ARNs and URIs
// ---------------------------------------------------------------------------------------------------

export const functionArn = (fn: string, qualifier?: string): string => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${fn}${qualifier ? `:${qualifier}` : ''}`;

/** A REST (and WebSocket) Lambda integration URI. */
export const lambdaUri = (fn: string, qualifier?: string): string => `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/${functionArn(fn, qualifier)}/invocations`;

export const executeApiArn = (apiId: string, rest = '*'): string => `arn:aws:execute-api:${REGION}:${ACCOUNT}:${apiId}/${rest}`;

export const roleArn = (name: string): string => `arn:aws:iam::${ACCOUNT}:role/${name}`;

export const logGroupArn = (group: string): string => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${group}`;

/** The REST (and WebSocket fallback) execution-log group of a stage. */
export const executionLogGroup = (apiId: string, stage: string): string => `API-Gateway-Execution-Logs_${apiId}/${stage}`;

/** The role API Gateway writes CloudWatch logs with (`aws apigateway get-account`). */
export const CLOUDWATCH_ROLE_ARN = roleArn('APIGatewayCloudWatchLogs');

// ---------------------------------------------------------------------------------------------------
// Lambda
// ---------------------------------------------------------------------------------------------------

export interface InvokeStatement {
  sid: string;
  /** The `AWS:SourceArn` the statement allows. */
  sourceArn: string;
}

/** A resource policy as `aws lambda get-policy` returns its `Policy` text: one statement per `add-permission`. */
export function invokePolicy(fn: string, statements: readonly InvokeStatement[], qualifier?: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Id: 'default',
    Statement: statements.map((s) => ({
      Sid: s.sid,
      Effect: 'Allow',
      Principal: { Service: 'apigateway.amazonaws.com' },
      Action: 'lambda:InvokeFunction',
      Resource: functionArn(fn, qualifier),
      Condition: { ArnLike: { 'AWS:SourceArn': s.sourceArn } },
    })),
  });
}

export interface FunctionSpec {
  name: string;
  lastModified: Date;
  timeoutS?: number;
  memoryMb?: number;
  runtime?: Runtime;
  handler?: string;
  description?: string;
  codeSize?: number;
  /** `get-policy` text; absent: the function has no resource policy. */
  policy?: string;
  reserved?: number;
  aliases?: Record<string, string>;
  aliasWeights?: Record<string, Record<string, number>>;
  environment?: Record<string, string>;
}

/** A function as `get-function-configuration` returns it. */
export function lambdaFunction(spec: FunctionSpec): LambdaFixture {
  const runtime: Runtime = spec.runtime ?? 'nodejs20.x';
  return {
    config: {
      FunctionName: spec.name,
      FunctionArn: functionArn(spec.name),
      Runtime: runtime,
      Role: roleArn(`${spec.name}-role`),
      Handler: spec.handler ?? (runtime.startsWith('python') ? 'app.handler' : 'index.handler'),
      CodeSize: spec.codeSize ?? 48213,
      Description: spec.description ?? '',
      Timeout: spec.timeoutS ?? 10,
      MemorySize: spec.memoryMb ?? 512,
      LastModified: lambdaTime(spec.lastModified),
      CodeSha256: Buffer.from(fromAlphabet(`${spec.name}/${lambdaTime(spec.lastModified)}`, '0123456789abcdef', 64), 'hex').toString('base64'),
      Version: '$LATEST',
      TracingConfig: { Mode: 'PassThrough' },
      RevisionId: uuidFrom(`${spec.name}/revision`),
      State: 'Active',
      LastUpdateStatus: 'Successful',
      PackageType: 'Zip',
      Architectures: ['arm64'],
      EphemeralStorage: { Size: 512 },
      LoggingConfig: { LogFormat: 'Text', LogGroup: `/aws/lambda/${spec.name}` },
      ...(spec.environment ? { Environment: { Variables: spec.environment } } : {}),
    },
    ...(spec.policy !== undefined ? { policy: spec.policy } : {}),
    ...(spec.reserved !== undefined ? { reserved: spec.reserved } : {}),
    ...(spec.aliases ? { aliases: spec.aliases } : {}),
    ...(spec.aliasWeights ? { aliasWeights: spec.aliasWeights } : {}),
  };
}

export const lambdaLogGroup = (fn: string): string => `/aws/lambda/${fn}`;

/** What a function's REPORT lines sum up to, as the investigation's REPORT query returns it (memory in MB). */
export interface ReportStats {
  invocations: number;
  maxDurationMs: number;
  maxMemoryUsedMb: number;
  memorySizeMb: number;
}

/** An ordinary function's REPORT summary: short invocations well inside their memory. */
const ORDINARY_REPORTS: ReportStats = { invocations: 790, maxDurationMs: 85.31, maxMemoryUsedMb: 92, memorySizeMb: 512 };

/** One invocation a Lambda log holds line by line, for a lookup of its request id. */
export interface LambdaInvocation {
  /** Lambda's request id (API Gateway's execution log shows it as `x-amzn-RequestId`). */
  requestId: string;
  /** When it started. */
  at: Date;
  durationMs: number;
  memorySizeMb?: number;
  maxMemoryUsedMb?: number;
  /** `$LATEST` unless the function is invoked through a version or alias. */
  version?: string;
}

/**
 * A Lambda log group: its message groups for the message-groups query, its REPORT summary for the
 * REPORT query (the `@log` column is added by the sandbox, as Insights adds it), and, for a lookup of
 * one invocation's request id (a query that counts nothing and names the id), that invocation's lines.
 */
export function lambdaLog(messages: LogRows, reports: ReportStats = ORDINARY_REPORTS, invocations: readonly LambdaInvocation[] = []): (queryString: string) => LogRows {
  return (queryString) => {
    if (queryString.includes('@type = "REPORT"')) {
      return [{ invocations: String(reports.invocations), maxDuration: String(reports.maxDurationMs), maxMemoryUsedMb: String(reports.maxMemoryUsedMb), memorySizeMb: String(reports.memorySizeMb) }];
    }
    if (isLookup(queryString)) return invocations.filter((i) => queryString.includes(i.requestId)).flatMap((i) => invocationLines(i, messages, reports));
    return messages;
  };
}

/** A query that reads raw lines by a request id rather than counting messages (`stats`). */
function isLookup(queryString: string): boolean {
  return !/\bstats\b/.test(queryString) && queryString.includes('filter @message like');
}

/**
 * The lines the runtime writes for one invocation: START, the function's own lines (the message groups
 * that name this invocation, written as the Node.js runtime writes them: time, request id, level),
 * END and REPORT.
 */
function invocationLines(i: LambdaInvocation, messages: LogRows, reports: ReportStats): LogRows {
  const at = (ms: number): string => insightsTime(new Date(i.at.getTime() + ms));
  const own = messages
    .filter((m) => m.r1 === i.requestId || m.r2 === i.requestId)
    // A group's text names its first example; this invocation's line names this one.
    .map((m) => (m.message ?? '').split(m.r1 ?? i.requestId).join(i.requestId))
    // Lines written before the handler ran carry no request id (an init error's traceback): a lookup
    // by id does not find them in a real log either.
    .filter((text) => /^[\t ]/.test(text) || text.includes(i.requestId));
  const version = i.version ?? '$LATEST';
  const end = Math.max(1, Math.round(i.durationMs));
  return [
    { '@timestamp': at(0), '@message': `START RequestId: ${i.requestId} Version: ${version}` },
    ...own.map((text, n) => {
      // The runtime's own timeout line comes when the time is up; the function's lines soon after START.
      const ms = text.includes('Task timed out') ? end : Math.min(end - 1, 3 + n);
      const separator = text.startsWith('\t') ? '\t' : ' ';
      return { '@timestamp': at(ms), '@message': /^[\t ]/.test(text) ? `${new Date(i.at.getTime() + ms).toISOString()}${separator}${i.requestId}${text}` : text };
    }),
    { '@timestamp': at(end), '@message': `END RequestId: ${i.requestId}` },
    {
      '@timestamp': at(end),
      '@message': `REPORT RequestId: ${i.requestId}\tDuration: ${i.durationMs.toFixed(2)} ms\tBilled Duration: ${Math.ceil(i.durationMs)} ms\tMemory Size: ${i.memorySizeMb ?? reports.memorySizeMb} MB\tMax Memory Used: ${i.maxMemoryUsedMb ?? reports.maxMemoryUsedMb} MB`,
    },
  ];
}

// ---------------------------------------------------------------------------------------------------
// REST resources and stages
// ---------------------------------------------------------------------------------------------------

const EMPTY_200: Record<string, MethodResponse> = { '200': { statusCode: '200', responseModels: { 'application/json': 'Empty' } } };

/** A method with a Lambda proxy integration, as `get-resources --embed methods` returns it. */
export function lambdaProxyMethod(verb: string, resourceId: string, fn: string, opts: { qualifier?: string; integrationHttpMethod?: string; authorizerId?: string; credentials?: string } = {}): Method {
  return {
    httpMethod: verb,
    authorizationType: opts.authorizerId ? 'CUSTOM' : 'NONE',
    ...(opts.authorizerId ? { authorizerId: opts.authorizerId } : {}),
    apiKeyRequired: false,
    methodResponses: EMPTY_200,
    methodIntegration: {
      type: 'AWS_PROXY',
      httpMethod: opts.integrationHttpMethod ?? 'POST',
      uri: lambdaUri(fn, opts.qualifier),
      ...(opts.credentials ? { credentials: opts.credentials } : {}),
      passthroughBehavior: 'WHEN_NO_MATCH',
      contentHandling: 'CONVERT_TO_TEXT',
      timeoutInMillis: 29000,
      cacheNamespace: resourceId,
      cacheKeyParameters: [],
    },
  };
}

/** The CORS preflight a console-made API answers with a MOCK integration. */
export function corsMockMethod(): Method {
  return {
    httpMethod: 'OPTIONS',
    authorizationType: 'NONE',
    apiKeyRequired: false,
    methodResponses: {
      '200': {
        statusCode: '200',
        responseParameters: { 'method.response.header.Access-Control-Allow-Headers': false, 'method.response.header.Access-Control-Allow-Methods': false, 'method.response.header.Access-Control-Allow-Origin': false },
        responseModels: { 'application/json': 'Empty' },
      },
    },
    methodIntegration: {
      type: 'MOCK',
      requestTemplates: { 'application/json': '{"statusCode": 200}' },
      passthroughBehavior: 'WHEN_NO_MATCH',
      timeoutInMillis: 29000,
      integrationResponses: {
        '200': {
          statusCode: '200',
          responseParameters: {
            'method.response.header.Access-Control-Allow-Headers': "'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token'",
            'method.response.header.Access-Control-Allow-Methods': "'GET,OPTIONS'",
            'method.response.header.Access-Control-Allow-Origin': "'*'",
          },
          responseTemplates: { 'application/json': null as unknown as string },
        },
      },
    },
  };
}

export interface StageSpec {
  name: string;
  deploymentId: string;
  created: Date;
  updated: Date;
  /** Execution logging of every method (`*\/*`); default INFO. */
  loggingLevel?: 'INFO' | 'ERROR' | 'OFF';
  /** Access logs to this group in this format; absent: none. */
  accessLog?: { group: string; format: string };
  variables?: Record<string, string>;
  description?: string;
}

/** A REST stage as `get-stages` returns it. */
export function restStage(spec: StageSpec): RestStage {
  return {
    stageName: spec.name,
    deploymentId: spec.deploymentId,
    ...(spec.description ? { description: spec.description } : {}),
    cacheClusterEnabled: false,
    cacheClusterStatus: 'NOT_AVAILABLE',
    methodSettings: {
      '*/*': {
        metricsEnabled: false,
        loggingLevel: spec.loggingLevel ?? 'INFO',
        dataTraceEnabled: false,
        throttlingBurstLimit: 5000,
        throttlingRateLimit: 10000,
        cachingEnabled: false,
        cacheTtlInSeconds: 300,
        cacheDataEncrypted: false,
        requireAuthorizationForCacheControl: true,
        unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
      },
    },
    ...(spec.accessLog ? { accessLogSettings: { destinationArn: logGroupArn(spec.accessLog.group), format: spec.accessLog.format } } : {}),
    variables: spec.variables ?? {},
    tracingEnabled: false,
    createdDate: spec.created,
    lastUpdatedDate: spec.updated,
  };
}

// ---------------------------------------------------------------------------------------------------
// Access-log formats
// ---------------------------------------------------------------------------------------------------

/** The REST JSON access-log format the AWS docs suggest, with the error fields added. */
export const ACCESS_FORMAT_JSON = JSON.stringify({
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  integrationErrorMessage: '$context.integrationErrorMessage',
  errorMessage: '$context.error.message',
  responseType: '$context.error.responseType',
  integrationStatus: '$context.integrationStatus',
  integrationLatency: '$context.integrationLatency',
});

/** A REST format that also logs `$context.integration.error` (the integration's own error text). */
export const ACCESS_FORMAT_JSON_INTEGRATION_ERROR = JSON.stringify({
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  errorMessage: '$context.error.message',
  responseType: '$context.error.responseType',
  integrationError: '$context.integration.error',
  integrationStatus: '$context.integration.integrationStatus',
  integrationLatency: '$context.integration.latency',
});

export const HTTP_ACCESS_FORMAT_JSON = JSON.stringify({
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLength: '$context.responseLength',
  integrationErrorMessage: '$context.integrationErrorMessage',
  errorMessage: '$context.error.message',
  integrationLatency: '$context.integrationLatency',
});

/** An HTTP API format that also logs the status the backend answered. */
export const HTTP_ACCESS_FORMAT_JSON_INTEGRATION_STATUS = JSON.stringify({
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  integrationStatus: '$context.integrationStatus',
  integrationLatency: '$context.integrationLatency',
  integrationErrorMessage: '$context.integrationErrorMessage',
  errorMessage: '$context.error.message',
});

export const WEBSOCKET_ACCESS_FORMAT_JSON = JSON.stringify({
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  eventType: '$context.eventType',
  routeKey: '$context.routeKey',
  status: '$context.status',
  connectionId: '$context.connectionId',
  integrationErrorMessage: '$context.integrationErrorMessage',
  errorMessage: '$context.error.message',
  integrationLatency: '$context.integrationLatency',
});

// ---------------------------------------------------------------------------------------------------
// Metrics
// ---------------------------------------------------------------------------------------------------

/** A value before and after the onset (and, with `until`, back to `before` from then on), constant per period. */
export const step =
  (onset: Date, before: number, after: number, until?: Date) =>
  (t: Date): number =>
    t < onset || (until !== undefined && t >= until) ? before : after;

export interface ApiTraffic {
  /** 5xx per minute from the onset (REST `5XXError`, HTTP `5xx`). */
  errorsPerMinute: number;
  /** When the errors stop; absent: they go on. */
  errorsUntil?: Date;
  /** Requests per minute. */
  count: number;
  clientErrorsPerMinute?: number;
  latencyP99Ms?: number;
  integrationLatencyP99Ms?: number;
  /** The slowest integration call per minute, before and after the onset. */
  integrationLatencyMaxMs?: { before: number; after: number };
}

/** `AWS/ApiGateway` stage metrics of a REST API (keyed by its name) or an HTTP API (keyed by its id). */
export function apiMetrics(api: { rest: true; apiName: string } | { rest: false; apiId: string }, stage: string, onset: Date, traffic: ApiTraffic): MetricFixture[] {
  const dimensions: Record<string, string> = api.rest ? { ApiName: api.apiName, Stage: stage } : { ApiId: api.apiId, Stage: stage };
  const ns = 'AWS/ApiGateway';
  const maxLatency = traffic.integrationLatencyMaxMs ?? { before: 180, after: 180 };
  return [
    { namespace: ns, metricName: api.rest ? '5XXError' : '5xx', dimensions: { ...dimensions }, value: step(onset, 0, traffic.errorsPerMinute, traffic.errorsUntil) },
    { namespace: ns, metricName: api.rest ? '4XXError' : '4xx', dimensions: { ...dimensions }, value: () => traffic.clientErrorsPerMinute ?? 3 },
    { namespace: ns, metricName: 'Count', dimensions: { ...dimensions }, value: () => traffic.count },
    { namespace: ns, metricName: 'Latency', dimensions: { ...dimensions }, value: () => traffic.latencyP99Ms ?? 142 },
    { namespace: ns, metricName: 'IntegrationLatency', dimensions: { ...dimensions }, stat: 'p99', value: () => traffic.integrationLatencyP99Ms ?? 96 },
    { namespace: ns, metricName: 'IntegrationLatency', dimensions: { ...dimensions }, stat: 'Maximum', value: step(onset, maxLatency.before, maxLatency.after) },
  ];
}

export interface FunctionLoad {
  errors?: number;
  errorsUntil?: Date;
  throttles?: number;
  durationMaxMs?: number;
  invocations?: number;
}

/**
 * `AWS/Lambda` metrics of a function (per minute, from the onset); with `qualifier`, the series of that
 * alias or version (`Resource` = `name:qualifier`).
 */
export function functionMetrics(fn: string, onset: Date, load: FunctionLoad = {}, qualifier?: string): MetricFixture[] {
  const dimensions = (): Record<string, string> => (qualifier ? { FunctionName: fn, Resource: `${fn}:${qualifier}` } : { FunctionName: fn });
  return [
    { namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: dimensions(), value: step(onset, 0, load.errors ?? 0, load.errorsUntil) },
    { namespace: 'AWS/Lambda', metricName: 'Throttles', dimensions: dimensions(), value: step(onset, 0, load.throttles ?? 0) },
    { namespace: 'AWS/Lambda', metricName: 'Duration', dimensions: dimensions(), stat: 'Maximum', value: () => load.durationMaxMs ?? 85 },
    { namespace: 'AWS/Lambda', metricName: 'Invocations', dimensions: dimensions(), value: () => load.invocations ?? 790 },
  ];
}

// ---------------------------------------------------------------------------------------------------
// Execution logs
// ---------------------------------------------------------------------------------------------------

/** A request of the execution log's "HTTP Method:" line (written at INFO for every request). */
export interface LoggedRequest {
  requestId: string;
  httpMethod: string;
  path: string;
  at: Date;
  /** What the integration returned for it (the execution log's "Endpoint response body before transformations"). */
  returned?: string;
  /** The whole request as the execution log writes it, for a lookup of its id; absent: only the lines above. */
  call?: LoggedCall;
  /** Its access-log line (see {@link accessLogLine}), for a lookup of its id. */
  accessLine?: string;
}

/** How far a request got into its Lambda proxy integration, as the execution log tells it line by line. */
export interface LoggedCall {
  /** `$context.extendedRequestId`, the `x-amz-apigw-id` response header. */
  extendedRequestId: string;
  apiId: string;
  stage: string;
  /** The resource (`/orders/{id}`) the path matched. */
  resourcePath: string;
  /** The function invoked, as the integration URI names it (qualified when it is). */
  functionArn: string;
  /** Lambda's id for the invocation (`x-amzn-RequestId` of its answer). */
  lambdaRequestId: string;
  /** `ran` (default): the function ran; `throttled`: Lambda refused the invoke; `refused`: API Gateway did not call it. */
  reached?: 'ran' | 'throttled' | 'refused';
  integrationLatencyMs: number;
  /** What the integration answered ("Endpoint response body before transformations"). */
  responseBody?: string;
  /** The lines that say what failed, in order, without the `(id) ` prefix. */
  failure: readonly string[];
  status: number;
  /** When its first line was written; default the request's `at`. */
  startAt?: Date;
}

/**
 * A REST execution-log group: its message groups for the message-groups query, and for a lookup of
 * request ids (the "HTTP Method:" query an investigation sends without access logs) the lines of those
 * requests it has. A lookup that counts nothing and names a request id (a request's trace) gets that
 * request's lines; one that names only its extended id gets the one line that carries it.
 */
export function executionLog(messages: LogRows, requests: readonly LoggedRequest[]): (queryString: string) => LogRows {
  return (queryString) => {
    if (queryString.includes('HTTP Method: ')) {
      return requests.filter((r) => queryString.includes(r.requestId)).map((r) => ({ '@timestamp': insightsTime(r.at), '@message': `(${r.requestId}) HTTP Method: ${r.httpMethod}, Resource Path: ${r.path}` }));
    }
    // The returned value of failing requests: those the scenario has, as raw lines.
    if (queryString.includes('Endpoint response body before transformations: ')) {
      return requests
        .filter((r) => r.returned !== undefined && queryString.includes(r.requestId))
        .map((r) => ({ '@timestamp': insightsTime(r.at), '@message': `(${r.requestId}) Endpoint response body before transformations: ${r.returned ?? ''}` }));
    }
    if (isLookup(queryString)) {
      return requests.flatMap((r) => {
        if (!r.call) return [];
        const lines = executionLines(r, r.call);
        if (queryString.includes(r.requestId)) return lines;
        const extended = r.call.extendedRequestId;
        return queryString.includes(extended) ? lines.filter((l) => (l['@message'] ?? '').includes(extended)) : [];
      });
    }
    return messages;
  };
}

/** What the execution log writes at INFO for one request to a Lambda proxy integration, one row a line. */
function executionLines(r: LoggedRequest, c: LoggedCall): LogRows {
  const start = (c.startAt ?? r.at).getTime();
  const uri = `https://lambda.${REGION}.amazonaws.com/2015-03-31/functions/${c.functionArn}/invocations`;
  const parameter = /\{([^}+]+)\}/.exec(c.resourcePath)?.[1];
  const value = r.path.split('/').pop() ?? '';
  const sent = 14;
  const received = sent + Math.max(1, Math.round(c.integrationLatencyMs));
  const date = new Date(start + received).toUTCString();
  const reached = c.reached ?? 'ran';
  const lines: [number, string][] = [
    [0, `Extended Request Id: ${c.extendedRequestId}`],
    [1, `Verifying Usage Plan for request: ${r.requestId}. API Key:  API Stage: ${c.apiId}/${c.stage}`],
    [2, `API Key  authorized because method '${r.httpMethod} ${c.resourcePath}' does not require API Key. Request will not contribute to throttle or quota limits`],
    [2, `Usage Plan check succeeded for API Key  and API Stage ${c.apiId}/${c.stage}`],
    [3, `Starting execution for request: ${r.requestId}`],
    [3, `HTTP Method: ${r.httpMethod}, Resource Path: ${r.path}`],
    [3, `Method request path: {${parameter !== undefined ? `${parameter}=${value}` : ''}}`],
    [3, 'Method request query string: {}'],
    [4, `Method request headers: {Accept=application/json, Host=${c.apiId}.execute-api.${REGION}.amazonaws.com, User-Agent=okhttp/4.12.0, X-Forwarded-For=198.51.100.23, X-Forwarded-Port=443, X-Forwarded-Proto=https}`],
    [12, `Endpoint request URI: ${uri}`],
    // API Gateway masks the signature itself but writes the start of the session token.
    [12, `Endpoint request headers: {x-amzn-lambda-integration-tag=${r.requestId}, Authorization=${'*'.repeat(120)}8f3a2c, X-Amz-Date=${new Date(start).toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '')}, x-amzn-apigateway-api-id=${c.apiId}, X-Amz-Source-Arn=${executeApiArn(c.apiId, `${c.stage}/${r.httpMethod}${c.resourcePath}`)}, Accept=application/json, User-Agent=AmazonAPIGateway_${c.apiId}, X-Amz-Security-Token=IQoJb3JpZ2luX2VjEMr//////////wEaCXVzLWVhc3QtMSJHMEUCIQDsandboxsandboxsandbox [TRUNCATED]`],
    [13, `Sending request to ${uri}`],
  ];
  if (reached === 'ran' || reached === 'throttled') {
    const throttled = reached === 'throttled';
    lines.push(
      [received, `Received response. Status: ${throttled ? 429 : 200}, Integration latency: ${Math.round(c.integrationLatencyMs)} ms`],
      [
        received,
        `Endpoint response headers: {Date=${date}, Content-Type=application/json, Content-Length=${(c.responseBody ?? '').length}, Connection=keep-alive, x-amzn-RequestId=${c.lambdaRequestId}, ${throttled ? 'x-amzn-ErrorType=TooManyRequestsException' : 'x-amzn-Remapped-Content-Length=0, X-Amz-Executed-Version=$LATEST'}}`,
      ],
    );
    if (c.responseBody !== undefined) lines.push([received, `Endpoint response body before transformations: ${c.responseBody}`]);
  }
  lines.push(...c.failure.map((f): [number, string] => [received + 1, f]), [received + 1, `Method completed with status: ${c.status}`]);
  return lines.map(([ms, text]) => ({ '@timestamp': insightsTime(new Date(start + ms)), '@message': `(${r.requestId}) ${text}` }));
}

// ---------------------------------------------------------------------------------------------------
// Access logs
// ---------------------------------------------------------------------------------------------------

/**
 * An access-log group whose failures query (one that counts, `stats`) gets `rows`, and whose lookup of a
 * request id gets that request's own line.
 */
export function accessLog(rows: LogRows, requests: readonly LoggedRequest[]): (queryString: string) => LogRows {
  return (queryString) => {
    if (!isLookup(queryString)) return rows;
    return requests
      .filter((r) => r.accessLine !== undefined && (queryString.includes(r.requestId) || (r.call !== undefined && queryString.includes(r.call.extendedRequestId))))
      .map((r) => ({ '@timestamp': insightsTime(new Date((r.call?.startAt ?? r.at).getTime() + 40 + (r.call?.integrationLatencyMs ?? 0))), '@message': r.accessLine ?? '' }));
  };
}

/**
 * One access-log line as API Gateway writes it: the stage's format with each `$context` variable
 * replaced by its value (JSON-escaped: the formats are JSON), `-` for a variable without one.
 */
export function accessLogLine(format: string, values: Readonly<Record<string, string>>): string {
  return format.replace(/\$context(?:\.[A-Za-z_][A-Za-z0-9_]*)+/g, (variable) => JSON.stringify(values[variable.slice(1)] ?? '-').slice(1, -1));
}

/** `$context.requestTime` as API Gateway writes it: `25/Nov/2026:14:02:11 +0000`. */
export function accessLogTime(d: Date): string {
  const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const iso = d.toISOString();
  return `${iso.slice(8, 10)}/${month}/${iso.slice(0, 4)}:${iso.slice(11, 19)} +0000`;
}

// ---------------------------------------------------------------------------------------------------
// Fragments
// ---------------------------------------------------------------------------------------------------

function mergeInto<T>(target: Record<string, T>, source: Record<string, T> | undefined, kind: string): void {
  for (const [key, value] of Object.entries(source ?? {})) {
    if (Object.hasOwn(target, key)) throw new Error(`a scenario defines ${kind} ${key} twice`);
    target[key] = value;
  }
}

/** The parts of one scenario put together; a log group, function, host or domain defined twice throws. */
export function combine(...parts: WorldFragment[]): WorldFragment {
  const out: Required<Pick<WorldFragment, 'restApis' | 'v2Apis' | 'logGroups' | 'metrics' | 'functions' | 'dns'>> & WorldFragment = { restApis: [], v2Apis: [], logGroups: {}, metrics: [], functions: {}, dns: {} };
  for (const p of parts) {
    out.restApis.push(...(p.restApis ?? []));
    out.v2Apis.push(...(p.v2Apis ?? []));
    out.metrics.push(...(p.metrics ?? []));
    mergeInto(out.logGroups, p.logGroups, 'log group');
    mergeInto(out.functions, p.functions, 'function');
    mergeInto(out.dns, p.dns, 'DNS host');
    if (p.basePathMappings) mergeInto((out.basePathMappings ??= {}), p.basePathMappings, 'custom domain');
    if (p.apiMappings) mergeInto((out.apiMappings ??= {}), p.apiMappings, 'custom domain');
  }
  return out;
}
