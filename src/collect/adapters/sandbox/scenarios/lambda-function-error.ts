/**
 * checkout-api: GET /checkouts/{id} invokes checkout-handler:live, a weighted alias that sends 10% of the
 * traffic to version 8, which throws a TypeError: a canary gone wrong, 502 for one request in ten.
 */
import type { Scenario, WorldFragment } from '../scenario';
import { executeApiArn, timeline, uuidFrom } from './kit';
import type { OrdersLikeIdentity } from './orders-like';
import { ordersLikeApi, ordersLikeIdentity } from './orders-like';
import { accessRow, messageRow } from './rows';

const CHECKOUT = ordersLikeIdentity('checkout-api', 'k3c8h1e5o2', 'checkouts', { main: 'checkout-handler', others: ['payment-methods-handler', 'addresses-handler'] });

export function canaryFunctionErrorApi(now: Date, id: OrdersLikeIdentity = CHECKOUT): WorldFragment {
  const t = timeline(now);
  const [r1, r2] = id.requestIds;
  const [l1, l2] = [uuidFrom(`${id.apiId}/lambda/1`), uuidFrom(`${id.apiId}/lambda/2`)];
  return ordersLikeApi(t, id, {
    qualifier: 'live',
    returned: `{"errorType":"TypeError","errorMessage":"Cannot read properties of undefined (reading 'total')","trace":["TypeError: Cannot read properties of undefined (reading 'total')","    at summarise (/var/task/index.js:88:31)"]}`,
    deploymentDescription: `${id.collection}: invoke ${id.functions.main}:live`,
    execution: [
      messageRow('Method completed with status: 502', 84, r1, r2, t.span),
      messageRow(`Lambda execution failed with status 200 due to customer function error: Cannot read properties of undefined (reading 'total'). Lambda request id: 7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d`, 84, r1, r2, t.span),
    ],
    access: [accessRow({ status: '502', resourcePath: `/${id.collection}/{id}`, httpMethod: 'GET', integrationErrorMessage: '-', errorMessage: 'Internal server error', responseType: 'DEFAULT_5XX', integrationStatus: '200' }, 84, r1, r2, t.span)],
    lambdaLogs: {
      [id.functions.main]: [
        messageRow(
          `\tERROR\tInvoke Error \t{"errorType":"TypeError","errorMessage":"Cannot read properties of undefined (reading 'total')","stack":["TypeError: Cannot read properties of undefined (reading 'total')","    at summarise (/var/task/index.js:88:31)","    at Runtime.handler (/var/task/index.js:31:18)"]}`,
          84,
          l1,
          l2,
          t.span,
        ),
      ],
    },
    main: {
      aliases: { live: '7' },
      aliasWeights: { live: { '8': 0.1 } },
      statements: [{ sid: `apigw-${id.functions.main}-live-invoke`, sourceArn: executeApiArn(id.apiId, `*/GET/${id.collection}/*`) }],
      load: { errors: 2 },
    },
    errorsPerMinute: 2,
  });
}

export const scenario: Scenario = {
  id: 'lambda-function-error',
  title: 'checkout-handler:live sends 10% to a version that throws: GET /checkouts/{id} answers 502',
  apiName: CHECKOUT.apiName,
  apiType: 'REST',
  stage: 'prod',
  status: 502,
  cause: 'lambda-function-error',
  build: (now) => canaryFunctionErrorApi(now),
};
