/**
 * fulfillment-api: every route goes through VPC link vl3k9q to an internal Network Load Balancer. The
 * deployment two minutes before the errors moved the integration to a new load balancer that has no
 * listener on port 8080 yet: "There was an internal error while executing your request", 500.
 */
import type { Scenario, WorldFragment } from '../scenario';
import { ACCESS_FORMAT_JSON, DAY, HOUR, timeline, uuidFrom } from './kit';
import { httpProxyMethod, mockMethod, resourceTree, restApi } from './rest-api';
import { accessRow, messageRow } from './rows';

const API_ID = 'f6u5l4f3i2';
const NLB = 'fulfillment-nlb-8c1f2e3d4a5b6c7d.elb.us-east-1.amazonaws.com';

export function privateIntegrationMisconfigApi(now: Date): WorldFragment {
  const t = timeline(now);
  const [r1, r2] = [uuidFrom(`${API_ID}/request/1`), uuidFrom(`${API_ID}/request/2`)];
  const access = { integrationErrorMessage: '-', errorMessage: 'Internal server error', responseType: 'API_CONFIGURATION_ERROR', integrationStatus: '-' };
  return restApi({
    apiId: API_ID,
    apiName: 'fulfillment-api',
    description: 'Warehouse fulfillment (private, behind VPC link)',
    created: t.ago(610 * DAY),
    resources: resourceTree(API_ID, {
      '/{proxy+}': { ANY: httpProxyMethod('ANY', `http://${NLB}:8080/{proxy}`, { params: ['proxy'], connectionType: 'VPC_LINK', connectionId: 'vl3k9q' }) },
      '/health': { GET: mockMethod() },
    }),
    stage: {
      name: 'prod',
      accessLog: {
        format: ACCESS_FORMAT_JSON,
        rows: [
          accessRow({ status: '500', resourcePath: '/{proxy+}', httpMethod: 'POST', ...access }, 512, r1, r2, t.span),
          accessRow({ status: '500', resourcePath: '/{proxy+}', httpMethod: 'GET', ...access }, 128, uuidFrom(`${API_ID}/request/3`), uuidFrom(`${API_ID}/request/4`), t.span),
        ],
      },
    },
    deployments: [
      { id: 'n5c2w7', description: 'fulfillment: move to fulfillment-nlb (vl3k9q)', at: t.changedAt },
      { id: 't0h8y3', description: 'fulfillment: 10 s timeout', at: t.ago(52 * DAY + 2 * HOUR) },
    ],
    execution: [
      messageRow('Method completed with status: 500', 640, r1, r2, t.span),
      messageRow('Execution failed due to configuration error: There was an internal error while executing your request', 640, r1, r2, t.span),
    ],
    onset: t.onset,
    traffic: { errorsPerMinute: 11, count: 12, integrationLatencyP99Ms: 12, integrationLatencyMaxMs: { before: 420, after: 15 } },
  });
}

export const scenario: Scenario = {
  id: 'private-integration-misconfig',
  title: 'the VPC link now leads to a load balancer with no listener on the port: 500',
  apiName: 'fulfillment-api',
  apiType: 'REST',
  stage: 'prod',
  status: 500,
  cause: 'private-integration-misconfig',
  build: (now) => privateIntegrationMisconfigApi(now),
};
