/**
 * catalog-api: a healthy REST API. Steady traffic, execution logging at INFO and JSON access logs, and not
 * one 5xx: nothing in its logs matches any cause.
 */
import type { Scenario, WorldFragment } from '../scenario';
import { ACCESS_FORMAT_JSON, DAY, HOUR, combine, corsMockMethod, executeApiArn, functionMetrics, invokePolicy, lambdaFunction, lambdaLogGroup, lambdaProxyMethod, timeline } from './kit';
import { resourceTree, restApi } from './rest-api';

const API_ID = 'c0a1t2l3g4';
const PRODUCTS = 'catalog-products';
const CATEGORIES = 'catalog-categories';

export function healthyApi(now: Date): WorldFragment {
  const t = timeline(now);
  return combine(
    restApi({
      apiId: API_ID,
      apiName: 'catalog-api',
      description: 'Product catalog',
      created: t.ago(720 * DAY),
      resources: resourceTree(API_ID, {
        '/products': { GET: (id) => lambdaProxyMethod('GET', id, PRODUCTS) },
        '/products/{id}': { GET: (id) => lambdaProxyMethod('GET', id, PRODUCTS), OPTIONS: () => corsMockMethod() },
        '/categories': { GET: (id) => lambdaProxyMethod('GET', id, CATEGORIES) },
      }),
      stage: { name: 'prod', accessLog: { format: ACCESS_FORMAT_JSON, rows: [] } },
      deployments: [
        { id: 'v9b2n4', description: 'catalog: sort by popularity', at: t.ago(2 * DAY + 3 * HOUR) },
        { id: 'c5x1m8', description: 'catalog: category filter', at: t.ago(15 * DAY + 1 * HOUR) },
      ],
      execution: [],
      onset: t.onset,
      traffic: { errorsPerMinute: 0, count: 1180, clientErrorsPerMinute: 9, latencyP99Ms: 88, integrationLatencyP99Ms: 61 },
    }),
    {
      functions: {
        [PRODUCTS]: lambdaFunction({ name: PRODUCTS, lastModified: t.ago(2 * DAY + 3 * HOUR + 50_000), policy: invokePolicy(PRODUCTS, [{ sid: 'catalog-api-products', sourceArn: executeApiArn(API_ID, '*/GET/products*') }]) }),
        [CATEGORIES]: lambdaFunction({ name: CATEGORIES, lastModified: t.ago(15 * DAY + 1 * HOUR + 50_000), policy: invokePolicy(CATEGORIES, [{ sid: 'catalog-api-categories', sourceArn: executeApiArn(API_ID, '*/GET/categories') }]) }),
      },
      logGroups: { [lambdaLogGroup(PRODUCTS)]: [], [lambdaLogGroup(CATEGORIES)]: [] },
      metrics: [...functionMetrics(PRODUCTS, t.onset, { invocations: 980 }), ...functionMetrics(CATEGORIES, t.onset, { invocations: 200 })],
    },
  );
}

export const scenario: Scenario = {
  id: 'healthy',
  title: 'a healthy REST API: traffic, logging on, no 5xx',
  apiName: 'catalog-api',
  apiType: 'REST',
  stage: 'prod',
  status: '5xx',
  cause: null,
  build: (now) => healthyApi(now),
};
