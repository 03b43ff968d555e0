/**
 * shipping-api: shipments-handler now calls a carrier's rates API on every request and hits its own
 * 6-second timeout, so GET /shipments/{id} answers 502. Another function behind the API fails too, for
 * its own reason (a TypeError); its lines are not this route's evidence.
 */
import type { Scenario, WorldFragment } from '../scenario';
import { timeline, uuidFrom } from './kit';
import type { OrdersLikeIdentity } from './orders-like';
import { ordersLikeApi, ordersLikeIdentity } from './orders-like';
import { accessRow, messageRow } from './rows';

const SHIPPING = ordersLikeIdentity('shipping-api', 's5h1p9n3g7', 'shipments', { main: 'shipments-handler', others: ['rates-handler', 'tracking-handler'] });

export function lambdaTimeoutApi(now: Date, id: OrdersLikeIdentity = SHIPPING): WorldFragment {
  const t = timeline(now);
  const [r1, r2] = id.requestIds;
  const [l1, l2] = [uuidFrom(`${id.apiId}/lambda/1`), uuidFrom(`${id.apiId}/lambda/2`)];
  const [c1, c2] = [uuidFrom(`${id.apiId}/other/1`), uuidFrom(`${id.apiId}/other/2`)];
  const firstTimeout = t.afterOnset(17_004).toISOString();
  return ordersLikeApi(t, id, {
    deploymentDescription: `${id.collection}: quote carrier rates on read`,
    execution: [
      messageRow('Method completed with status: 502', 311, r1, r2, t.span),
      messageRow(`Lambda execution failed with status 200 due to customer function error: ${firstTimeout} ${l1} Task timed out after 6.01 seconds`, 311, r1, r2, t.span),
    ],
    access: [accessRow({ status: '502', resourcePath: `/${id.collection}/{id}`, httpMethod: 'GET', integrationErrorMessage: '-', errorMessage: 'Internal server error', responseType: 'DEFAULT_5XX', integrationStatus: '200' }, 311, r1, r2, t.span)],
    lambdaLogs: {
      [id.functions.main]: [messageRow(' Task timed out after 6.01 seconds', 311, l1, l2, t.span)],
      [id.functions.others[0]]: [messageRow('\tERROR\tInvoke Error \t{"errorType":"TypeError","errorMessage":"Cannot read properties of undefined (reading \'sku\')"}', 4, c1, c2, t.span)],
    },
    main: { timeoutS: 6, load: { errors: 5, durationMaxMs: 6005 } },
    errorsPerMinute: 5,
  });
}

export const scenario: Scenario = {
  id: 'lambda-timeout',
  title: 'shipments-handler runs into its 6 s timeout: GET /shipments/{id} answers 502',
  apiName: SHIPPING.apiName,
  apiType: 'REST',
  stage: 'prod',
  status: 502,
  cause: 'lambda-timeout',
  build: (now) => lambdaTimeoutApi(now),
};
