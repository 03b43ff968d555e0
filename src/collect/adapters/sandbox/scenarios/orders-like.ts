/**
 * The REST API most scenarios break in one way or another: 40 resources behind three Lambda functions
 * (proxy integrations), a `prod` stage with execution logging at INFO and JSON access logs, a `dev`
 * stage, and two deployments. `GET /{collection}/{id}` is the method that fails.
 *
 * Each scenario gives it its own identity (API name and id, functions, request ids), so that every
 * variant lives side by side in the one sandbox account; the tests build the `orders-api` identity.
 */
import type { Resource } from '@aws-sdk/client-api-gateway';
import type { Runtime } from '@aws-sdk/client-lambda';
import type { LogRows, MetricFixture } from '../world';
import type { WorldFragment } from '../scenario';
import type { FunctionLoad, InvokeStatement, LambdaInvocation, LoggedRequest, ReportStats, Timeline } from './kit';
import {
  ACCESS_FORMAT_JSON,
  DAY,
  HOUR,
  MINUTE,
  SECOND,
  accessLog,
  accessLogLine,
  accessLogTime,
  apiMetrics,
  corsMockMethod,
  executeApiArn,
  executionLog,
  executionLogGroup,
  extendedId,
  functionArn,
  functionMetrics,
  invokePolicy,
  lambdaFunction,
  lambdaLog,
  lambdaLogGroup,
  lambdaProxyMethod,
  restStage,
  shortId,
  uuidFrom,
} from './kit';

export interface OrdersLikeIdentity {
  apiName: string;
  /** Ten lower-case letters or digits. */
  apiId: string;
  /** The collection resource: `orders` gives `/orders` and `/orders/{id}`. */
  collection: string;
  /** The id of the `/{collection}/{id}` resource, the one that fails. */
  itemResourceId: string;
  /** The function behind the collection, and the two behind the other 37 resources. */
  functions: { main: string; others: readonly [string, string] };
  /** The live deployment and the one before it. */
  deploymentIds: readonly [string, string];
  /** Two failing requests, the examples the log rows give. */
  requestIds: readonly [string, string];
}

/** An identity for a scenario's own copy of the API, with ids derived from its name. */
export function ordersLikeIdentity(apiName: string, apiId: string, collection: string, functions: OrdersLikeIdentity['functions']): OrdersLikeIdentity {
  return {
    apiName,
    apiId,
    collection,
    itemResourceId: shortId(`${apiId}/item`),
    functions,
    deploymentIds: [shortId(`${apiId}/deployment/live`), shortId(`${apiId}/deployment/previous`)],
    requestIds: [uuidFrom(`${apiId}/request/1`), uuidFrom(`${apiId}/request/2`)],
  };
}

export interface OrdersLikeVariant {
  /** The live deployment's description (it went live 1 min 58 s before the errors began). */
  deploymentDescription: string;
  /** Message-group rows of the prod execution log. */
  execution: LogRows;
  /** Access-failure rows of the prod access log. */
  access: LogRows;
  /** Message-group rows of the log group of each function (by name); absent: none matching. */
  lambdaLogs?: Record<string, LogRows>;
  /** What the REPORT lines of each function (by name) sum up to over the errors; absent: one ordinary row. */
  lambdaReports?: Record<string, ReportStats>;
  /** The main function is invoked through this alias or version. */
  qualifier?: string;
  main?: {
    timeoutS?: number;
    memoryMb?: number;
    runtime?: Runtime;
    handler?: string;
    reserved?: number;
    /** Its resource-policy statements; default: one allowing any stage and method on `/{collection}/*`. */
    statements?: InvokeStatement[];
    aliases?: Record<string, string>;
    aliasWeights?: Record<string, Record<string, number>>;
    load?: FunctionLoad;
  };
  /** 5xx per minute from the onset; default 21. */
  errorsPerMinute?: number;
  /** Access logs on the prod stage; default true. */
  accessLogs?: boolean;
  /** The prod access-log format; default {@link ACCESS_FORMAT_JSON}. */
  accessFormat?: string;
  /** Execution logging of the prod stage; default INFO. */
  executionLogging?: 'INFO' | 'ERROR' | 'OFF';
  /** What the function returned to the two failing requests, for the execution log's lookup of it. */
  returned?: string;
  /** The integration latency's maximum before and after the onset; default 180 ms throughout. */
  integrationLatencyMaxMs?: { before: number; after: number };
  /**
   * How far the failing requests got, for their traces: `ran` (default) the function ran, `throttled`
   * Lambda refused the invoke (429), `refused` API Gateway never called it.
   */
  reached?: 'ran' | 'throttled' | 'refused';
}

/** Path parts of the 37 other resources, each with one GET. */
const OTHER_RESOURCES = [
  'products', 'categories', 'brands', 'customers', 'addresses', 'wishlists', 'reviews', 'ratings', 'coupons', 'promotions',
  'gift-cards', 'stores', 'warehouses', 'stock', 'suppliers', 'shipments', 'carriers', 'returns', 'refunds', 'invoices',
  'receipts', 'taxes', 'currencies', 'prices', 'bundles', 'subscriptions', 'plans', 'loyalty', 'referrals', 'notifications',
  'preferences', 'sessions', 'devices', 'search', 'recommendations', 'banners', 'health', 'locales',
];

function resources(id: OrdersLikeIdentity, qualifier: string | undefined): Resource[] {
  const { main, others } = id.functions;
  const rootId = shortId(`${id.apiId}/root`, 10);
  const collectionId = shortId(`${id.apiId}/collection`);
  const out: Resource[] = [
    { id: rootId, path: '/' },
    {
      id: collectionId,
      parentId: rootId,
      pathPart: id.collection,
      path: `/${id.collection}`,
      resourceMethods: { GET: lambdaProxyMethod('GET', collectionId, main, { ...(qualifier ? { qualifier } : {}) }), POST: lambdaProxyMethod('POST', collectionId, main, { ...(qualifier ? { qualifier } : {}) }) },
    },
    {
      id: id.itemResourceId,
      parentId: collectionId,
      pathPart: '{id}',
      path: `/${id.collection}/{id}`,
      resourceMethods: { GET: lambdaProxyMethod('GET', id.itemResourceId, main, { ...(qualifier ? { qualifier } : {}) }), OPTIONS: corsMockMethod() },
    },
  ];
  const parts = OTHER_RESOURCES.filter((p) => p !== id.collection);
  for (let i = 0; out.length < 40; i++) {
    const fn = i % 2 === 0 ? others[0] : others[1];
    const part = parts[i] ?? `extra-${i}`;
    const resourceId = shortId(`${id.apiId}/${part}`);
    out.push({ id: resourceId, parentId: rootId, pathPart: part, path: `/${part}`, resourceMethods: { GET: lambdaProxyMethod('GET', resourceId, fn) } });
  }
  return out;
}

/** The API in one broken state, as a fragment of the sandbox account. */
export function ordersLikeApi(t: Timeline, id: OrdersLikeIdentity, v: OrdersLikeVariant): WorldFragment {
  const { main, others } = id.functions;
  const [live, previous] = id.deploymentIds;
  const [r1, r2] = id.requestIds;
  const created = t.ago(633 * DAY + 5 * HOUR);
  const previousAt = t.ago(22 * HOUR + 30 * MINUTE);
  const accessGroup = `/aws/apigateway/${id.apiName}-access`;
  const requests: LoggedRequest[] = [
    { requestId: r1, httpMethod: 'GET', path: `/${id.collection}/17`, at: new Date(t.span.first.getTime() - 21), ...(v.returned ? { returned: v.returned } : {}) },
    { requestId: r2, httpMethod: 'GET', path: `/${id.collection}/4411`, at: new Date(t.span.last.getTime() - 4), ...(v.returned ? { returned: v.returned } : {}) },
  ].map((r, i) => traced(t, id, v, r, i));
  const invocations = (v.reached ?? 'ran') === 'ran' ? requests.flatMap((r) => (r.call ? [invocationOf(r.call, r.at, v)] : [])) : [];
  const statements = v.main?.statements ?? [{ sid: `apigw-${main}-invoke`, sourceArn: executeApiArn(id.apiId, `*/*/${id.collection}*`) }];
  const otherFunctions = Object.fromEntries(
    others.map((fn) => [fn, lambdaFunction({ name: fn, timeoutS: 10, lastModified: t.ago(55 * DAY + 6 * HOUR), policy: invokePolicy(fn, [{ sid: `apigw-${fn}-invoke`, sourceArn: executeApiArn(id.apiId, '*/*/*') }]) })]),
  );
  const metrics: MetricFixture[] = [
    ...apiMetrics({ rest: true, apiName: id.apiName }, 'prod', t.onset, { errorsPerMinute: v.errorsPerMinute ?? 21, count: 803, ...(v.integrationLatencyMaxMs ? { integrationLatencyMaxMs: v.integrationLatencyMaxMs } : {}) }),
    ...functionMetrics(main, t.onset, v.main?.load),
    ...(v.qualifier ? functionMetrics(main, t.onset, v.main?.load, v.qualifier) : []),
    ...others.flatMap((fn) => functionMetrics(fn, t.onset)),
  ];
  return {
    restApis: [
      {
        api: {
          id: id.apiId,
          name: id.apiName,
          createdDate: created,
          apiKeySource: 'HEADER',
          endpointConfiguration: { types: ['REGIONAL'] },
          disableExecuteApiEndpoint: false,
          rootResourceId: shortId(`${id.apiId}/root`, 10),
          tags: { team: 'commerce', service: id.collection },
        },
        stages: [
          restStage({
            name: 'prod',
            deploymentId: live,
            created: new Date(created.getTime() + 8 * MINUTE),
            updated: new Date(t.changedAt.getTime() + 1_000),
            ...(v.executionLogging ? { loggingLevel: v.executionLogging } : {}),
            ...(v.accessLogs === false ? {} : { accessLog: { group: accessGroup, format: v.accessFormat ?? ACCESS_FORMAT_JSON } }),
          }),
          { stageName: 'dev', deploymentId: previous, cacheClusterEnabled: false, cacheClusterStatus: 'NOT_AVAILABLE', methodSettings: {}, variables: {}, tracingEnabled: false, createdDate: new Date(created.getTime() + 8 * MINUTE), lastUpdatedDate: new Date(previousAt.getTime() + 1_000) },
        ],
        resources: resources(id, v.qualifier),
        deployments: [
          { id: live, description: v.deploymentDescription, createdDate: t.changedAt },
          { id: previous, description: 'catalog paging', createdDate: previousAt },
        ],
      },
    ],
    logGroups: {
      [executionLogGroup(id.apiId, 'prod')]: executionLog(v.execution, requests),
      ...(v.accessLogs === false ? {} : { [accessGroup]: accessLog(v.access, requests) }),
      [lambdaLogGroup(main)]: lambdaLog(v.lambdaLogs?.[main] ?? [], v.lambdaReports?.[main], invocations),
      ...Object.fromEntries(others.map((fn) => [lambdaLogGroup(fn), lambdaLog(v.lambdaLogs?.[fn] ?? [], v.lambdaReports?.[fn])])),
    },
    metrics,
    functions: {
      [main]: lambdaFunction({
        name: main,
        timeoutS: v.main?.timeoutS ?? 10,
        ...(v.main?.memoryMb !== undefined ? { memoryMb: v.main.memoryMb } : {}),
        ...(v.main?.runtime !== undefined ? { runtime: v.main.runtime } : {}),
        ...(v.main?.handler !== undefined ? { handler: v.main.handler } : {}),
        lastModified: t.ago(61 * MINUTE + 20_000),
        policy: invokePolicy(main, statements, v.qualifier),
        ...(v.main?.reserved !== undefined ? { reserved: v.main.reserved } : {}),
        ...(v.main?.aliases ? { aliases: v.main.aliases } : {}),
        ...(v.main?.aliasWeights ? { aliasWeights: v.main.aliasWeights } : {}),
      }),
      ...otherFunctions,
    },
  };
}

/** The Lambda request id of the `n`th failing request (0-based), as the scenarios' Lambda log rows name them. */
function lambdaRequestIdOf(id: OrdersLikeIdentity, n: number): string {
  return uuidFrom(`${id.apiId}/lambda/${n + 1}`);
}

/**
 * A failing request with its whole trace: its execution-log lines (what the message groups say failed,
 * with this request's own Lambda request id), and its access-log line (the fields the access rows give).
 */
function traced(t: Timeline, id: OrdersLikeIdentity, v: OrdersLikeVariant, r: LoggedRequest, n: number): LoggedRequest {
  const mentions = (row: Record<string, string>): boolean => row.r1 === r.requestId || row.r2 === r.requestId;
  const own = v.execution.filter(mentions).map((row) => row.message ?? '');
  const lambdaRequestId = lambdaRequestIdOf(id, n);
  // A group's text names the first failing invocation; this request's line names its own.
  const mine = (text: string): string => text.split(lambdaRequestIdOf(id, 0)).join(lambdaRequestId).replace(/(Lambda request id: )[0-9a-f-]{36}/g, `$1${lambdaRequestId}`);
  const accessRow = v.access.find(mentions);
  const status = Number(/^Method completed with status: (\d{3})/.exec(own.find((m) => m.startsWith('Method completed')) ?? '')?.[1] ?? accessRow?.f_status ?? 502);
  const body = v.execution.find((row) => row.message?.startsWith(BODY))?.message?.slice(BODY.length) ?? v.returned;
  const reached = v.reached ?? 'ran';
  const timedOut = own.map((m) => /Task timed out after ([\d.]+) seconds/.exec(m)?.[1]).find((s) => s !== undefined);
  const latencyMs = reached === 'refused' ? 0 : reached === 'throttled' ? 4 : timedOut !== undefined ? Number(timedOut) * SECOND + 12 : (v.lambdaReports?.[id.functions.main]?.maxDurationMs ?? 31) + 12;
  // A request whose lines would run past now started that much earlier.
  const startAt = new Date(Math.min(r.at.getTime(), t.now.getTime() - latencyMs - 2 * SECOND));
  const call = {
    extendedRequestId: extendedId(`${id.apiId}/request/${n + 1}`),
    apiId: id.apiId,
    stage: 'prod',
    resourcePath: `/${id.collection}/{id}`,
    functionArn: functionArn(id.functions.main, v.qualifier),
    lambdaRequestId,
    reached,
    integrationLatencyMs: latencyMs,
    ...(reached !== 'refused' && body !== undefined ? { responseBody: mine(body) } : {}),
    failure: own.filter((m) => !m.startsWith('Method completed') && !m.startsWith(BODY)).map(mine),
    status,
    startAt,
  };
  const field = (name: string): string | undefined => accessRow?.[`f_${name}`];
  const values: Record<string, string> = {
    'context.requestId': r.requestId,
    'context.extendedRequestId': call.extendedRequestId,
    'context.identity.sourceIp': '198.51.100.23',
    'context.requestTime': accessLogTime(startAt),
    'context.httpMethod': r.httpMethod,
    'context.resourcePath': call.resourcePath,
    'context.path': `/prod${r.path}`,
    'context.stage': 'prod',
    'context.status': String(status),
    'context.protocol': 'HTTP/1.1',
    'context.responseLength': '36',
    'context.integrationLatency': String(Math.round(latencyMs)),
    'context.integration.latency': String(Math.round(latencyMs)),
    'context.error.message': field('errorMessage') ?? 'Internal server error',
    'context.error.responseType': field('responseType') ?? 'DEFAULT_5XX',
    'context.integrationErrorMessage': field('integrationErrorMessage') ?? '-',
    'context.integrationStatus': field('integrationStatus') ?? '-',
    'context.integration.integrationStatus': field('integrationStatus') ?? '-',
    'context.integration.error': field('integrationError') ?? '-',
    ...(reached === 'refused' ? {} : { 'context.awsEndpointRequestId': lambdaRequestId, 'context.integration.requestId': lambdaRequestId }),
  };
  return { ...r, call, accessLine: accessLogLine(v.accessFormat ?? ACCESS_FORMAT_JSON, values) };
}

const BODY = 'Endpoint response body before transformations: ';

/** The invocation a traced request made of the main function. */
function invocationOf(call: NonNullable<LoggedRequest['call']>, at: Date, v: OrdersLikeVariant): LambdaInvocation {
  const start = (call.startAt ?? at).getTime() + 13;
  return {
    requestId: call.lambdaRequestId,
    at: new Date(start),
    durationMs: Math.max(1, call.integrationLatencyMs - 11.37),
    ...(v.qualifier && v.main?.aliases?.[v.qualifier] ? { version: v.main.aliases[v.qualifier] } : {}),
  };
}
