/**
 * partners-api: a deployment pointed the partner proxy at partners-legacy.example-corp.net, a name that
 * does not resolve in public DNS (it only exists in the office's private zone): "Invalid endpoint
 * address", 500.
 */
import type { Scenario, WorldFragment } from '../scenario';
import { ACCESS_FORMAT_JSON, DAY, HOUR, timeline, uuidFrom } from './kit';
import { httpProxyMethod, mockMethod, resourceTree, restApi } from './rest-api';
import { accessRow, messageRow } from './rows';

const API_ID = 'p9r8t7n6r5';

export function backendUnreachableApi(now: Date): WorldFragment {
  const t = timeline(now);
  const [r1, r2] = [uuidFrom(`${API_ID}/request/1`), uuidFrom(`${API_ID}/request/2`)];
  return restApi({
    apiId: API_ID,
    apiName: 'partners-api',
    description: 'Partner integrations, proxied to the partner backend',
    created: t.ago(860 * DAY),
    resources: resourceTree(API_ID, {
      '/{proxy+}': { ANY: httpProxyMethod('ANY', 'https://partners-legacy.example-corp.net/{proxy}', { params: ['proxy'] }) },
      '/health': { GET: mockMethod() },
    }),
    stage: {
      name: 'prod',
      accessLog: {
        format: ACCESS_FORMAT_JSON,
        rows: [
          accessRow({ status: '500', resourcePath: '/{proxy+}', httpMethod: 'GET', integrationErrorMessage: '-', errorMessage: 'Internal server error', responseType: 'API_CONFIGURATION_ERROR', integrationStatus: '-' }, 201, r1, r2, t.span),
          accessRow({ status: '500', resourcePath: '/{proxy+}', httpMethod: 'POST', integrationErrorMessage: '-', errorMessage: 'Internal server error', responseType: 'API_CONFIGURATION_ERROR', integrationStatus: '-' }, 67, uuidFrom(`${API_ID}/request/3`), uuidFrom(`${API_ID}/request/4`), t.span),
        ],
      },
    },
    deployments: [
      { id: 'u3v8z1', description: 'partners: move proxy to partners-legacy', at: t.changedAt },
      { id: 'e7g2m5', description: 'partners: add health check', at: t.ago(73 * DAY + 4 * HOUR) },
    ],
    execution: [
      messageRow('Method completed with status: 500', 268, r1, r2, t.span),
      messageRow('Execution failed due to configuration error: Invalid endpoint address', 268, r1, r2, t.span),
    ],
    onset: t.onset,
    traffic: { errorsPerMinute: 5, count: 6 },
  });
}

export const scenario: Scenario = {
  id: 'backend-unreachable',
  title: 'the partner proxy points at a host that does not resolve: 500',
  apiName: 'partners-api',
  apiType: 'REST',
  stage: 'prod',
  status: 500,
  cause: 'backend-unreachable',
  build: (now) => backendUnreachableApi(now),
};
