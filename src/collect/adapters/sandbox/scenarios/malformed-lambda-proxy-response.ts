/**
 * orders-api: a deployment two minutes before the errors changed orders-handler to return its body as
 * an object instead of a string, so API Gateway cannot read GET /orders/{id}'s answers as a proxy
 * response and returns 502.
 */
import type { Scenario, WorldFragment } from '../scenario';
import { timeline } from './kit';
import type { OrdersLikeIdentity, OrdersLikeVariant } from './orders-like';
import { ordersLikeApi } from './orders-like';
import { accessRow, messageRow } from './rows';

/** The orders API the integration tests know by name, id, resource and request ids. */
export const ORDERS: OrdersLikeIdentity = {
  apiName: 'orders-api',
  apiId: 'a1b2c3d4e5',
  collection: 'orders',
  itemResourceId: 'x1y2z3',
  functions: { main: 'orders-handler', others: ['catalog-handler', 'users-handler'] },
  deploymentIds: ['dep7x1', 'dep6y2'],
  requestIds: ['3f2a9c1e-5b7d-4e21-9a0c-2d9e8b7c6a51', '91c04d2e-7f3a-4b8c-a1d2-e3f4a5b6c7d8'],
};

export function malformedProxyResponseApi(now: Date, id: OrdersLikeIdentity = ORDERS, overrides: Partial<OrdersLikeVariant> = {}): WorldFragment {
  const t = timeline(now);
  const [r1, r2] = id.requestIds;
  return ordersLikeApi(t, id, {
    deploymentDescription: `${id.collection}: return typed body`,
    execution: [
      messageRow('Method completed with status: 502', 1198, r1, r2, t.span),
      messageRow('Execution failed due to configuration error: Malformed Lambda proxy response', 1198, r1, r2, t.span),
      messageRow('Endpoint response body before transformations: {"statusCode":200,"body":{"id":1,"status":"shipped"}}', 1, r1, r1, t.span),
    ],
    access: [accessRow({ status: '502', resourcePath: `/${id.collection}/{id}`, httpMethod: 'GET', integrationErrorMessage: '-', errorMessage: 'Internal server error', responseType: 'DEFAULT_5XX', integrationStatus: '200' }, 1198, r1, r2, t.span)],
    ...overrides,
  });
}

export const scenario: Scenario = {
  id: 'malformed-lambda-proxy-response',
  title: 'orders-handler returns its body as an object: GET /orders/{id} answers 502',
  apiName: ORDERS.apiName,
  apiType: 'REST',
  stage: 'prod',
  status: 502,
  cause: 'malformed-lambda-proxy-response',
  build: (now) => malformedProxyResponseApi(now),
};
