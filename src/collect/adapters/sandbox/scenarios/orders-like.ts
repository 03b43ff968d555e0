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
import type { FunctionLoad, InvokeStatement, LoggedRequest, ReportStats, Timeline } from './kit';
import {
  ACCESS_FORMAT_JSON,
  DAY,
  HOUR,
  MINUTE,
  apiMetrics,
  corsMockMethod,
  executeApiArn,
  executionLog,
  executionLogGroup,
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
  ];
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
      ...(v.accessLogs === false ? {} : { [accessGroup]: v.access }),
      [lambdaLogGroup(main)]: lambdaLog(v.lambdaLogs?.[main] ?? [], v.lambdaReports?.[main]),
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
