/**
 * carts-api: carts-handler's reserved concurrency is 0 (an "emergency stop" left on), so Lambda throttles
 * every invoke and API Gateway answers 500.
 */
import type { Scenario, WorldFragment } from '../scenario';
import { timeline } from './kit';
import type { OrdersLikeIdentity } from './orders-like';
import { ordersLikeApi, ordersLikeIdentity } from './orders-like';
import { accessRow, messageRow } from './rows';

const CARTS = ordersLikeIdentity('carts-api', 'c4r7t2s8a1', 'carts', { main: 'carts-handler', others: ['cart-pricing-handler', 'cart-promotions-handler'] });

export function lambdaThrottledApi(now: Date, id: OrdersLikeIdentity = CARTS): WorldFragment {
  const t = timeline(now);
  const [r1, r2] = id.requestIds;
  return ordersLikeApi(t, id, {
    deploymentDescription: `${id.collection}: bump aws-sdk`,
    execution: [
      messageRow('Method completed with status: 500', 2210, r1, r2, t.span),
      messageRow('Lambda invocation failed with status: 429. Lambda request id: 5b1f3e1a-7c2d-4e8f-9a0b-1c2d3e4f5a6b', 2210, r1, r2, t.span),
    ],
    access: [accessRow({ status: '500', resourcePath: `/${id.collection}/{id}`, httpMethod: 'GET', integrationErrorMessage: '-', errorMessage: 'Internal server error', responseType: 'DEFAULT_5XX', integrationStatus: '429' }, 2210, r1, r2, t.span)],
    main: { reserved: 0, load: { throttles: 38 } },
    errorsPerMinute: 38,
    reached: 'throttled',
  });
}

export const scenario: Scenario = {
  id: 'lambda-throttled',
  title: 'carts-handler has reserved concurrency 0: every call is throttled, 500',
  apiName: CARTS.apiName,
  apiType: 'REST',
  stage: 'prod',
  status: '5xx',
  cause: 'lambda-throttled',
  build: (now) => lambdaThrottledApi(now),
};
