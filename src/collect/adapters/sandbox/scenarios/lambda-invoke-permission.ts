/**
 * invoices-api: invoices-handler was re-created by a new stack; its resource policy still names the API
 * the old stack had, so Lambda refuses API Gateway's invoke and GET /invoices/{id} answers 500.
 */
import type { Scenario, WorldFragment } from '../scenario';
import { executeApiArn, timeline } from './kit';
import type { OrdersLikeIdentity } from './orders-like';
import { ordersLikeApi, ordersLikeIdentity } from './orders-like';
import { accessRow, messageRow } from './rows';

const INVOICES = ordersLikeIdentity('invoices-api', 'i7n4v5c2e9', 'invoices', { main: 'invoices-handler', others: ['invoices-pdf', 'invoices-search'] });

export function lambdaInvokePermissionApi(now: Date, id: OrdersLikeIdentity = INVOICES): WorldFragment {
  const t = timeline(now);
  const [r1, r2] = id.requestIds;
  return ordersLikeApi(t, id, {
    deploymentDescription: `${id.collection}: stack re-created`,
    reached: 'refused',
    execution: [
      messageRow('Method completed with status: 500', 640, r1, r2, t.span),
      messageRow('Execution failed due to configuration error: Invalid permissions on Lambda function', 640, r1, r2, t.span),
    ],
    access: [accessRow({ status: '500', resourcePath: `/${id.collection}/{id}`, httpMethod: 'GET', integrationErrorMessage: '-', errorMessage: 'Internal server error', responseType: 'DEFAULT_5XX', integrationStatus: '-' }, 640, r1, r2, t.span)],
    // The statement the old stack added: its API (z9y8x7w6v5) no longer exists.
    main: { statements: [{ sid: `apigw-${id.functions.main}-invoke`, sourceArn: executeApiArn('z9y8x7w6v5', `*/GET/${id.collection}/*`) }] },
  });
}

export const scenario: Scenario = {
  id: 'lambda-invoke-permission',
  title: "invoices-handler's resource policy names another API: GET /invoices/{id} answers 500",
  apiName: INVOICES.apiName,
  apiType: 'REST',
  stage: 'prod',
  status: 500,
  cause: 'lambda-invoke-permission',
  build: (now) => lambdaInvokePermissionApi(now),
};
