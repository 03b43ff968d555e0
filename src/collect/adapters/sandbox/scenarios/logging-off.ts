/**
 * billing-api: a REST API in front of the ERP's billing endpoint answers 5xx (the metrics say so), but
 * its stage has execution logging OFF and no access logs, and the backend is not Lambda: there is
 * nothing to read that could say why. The answer is the telemetry finding that says so and turns both
 * logs on (rest-api-no-logging), never a root cause.
 */
import type { Scenario, WorldFragment } from '../scenario';
import { DAY, HOUR, combine, timeline } from './kit';
import { httpProxyMethod, resourceTree, restApi } from './rest-api';

const API_ID = 'b1l2l3n4g5';
const HOST = 'billing.erp.example-corp.com';

export function loggingOffApi(now: Date): WorldFragment {
  const t = timeline(now);
  return combine(
    restApi({
      apiId: API_ID,
      apiName: 'billing-api',
      description: 'Billing, proxied to the ERP',
      created: t.ago(1_400 * DAY),
      resources: resourceTree(API_ID, { '/{proxy+}': { ANY: httpProxyMethod('ANY', `https://${HOST}/billing/{proxy}`, { params: ['proxy'] }) } }),
      stage: { name: 'prod', loggingLevel: 'OFF' },
      deployments: [{ id: 'r7k3q0', description: 'billing: proxy everything', at: t.ago(400 * DAY + 6 * HOUR) }],
      onset: t.onset,
      traffic: { errorsPerMinute: 12, count: 140, integrationLatencyP99Ms: 850, integrationLatencyMaxMs: { before: 1_900, after: 2_400 } },
    }),
    { dns: { [HOST]: { ipv4: ['203.0.113.80'], ipv6: [] } } },
  );
}

export const scenario: Scenario = {
  id: 'logging-off',
  title: 'a REST API with 5xx in its metrics, execution logging OFF and no access logs',
  apiName: 'billing-api',
  apiType: 'REST',
  stage: 'prod',
  status: '5xx',
  cause: 'rest-api-no-logging',
  build: (now) => loggingOffApi(now),
};
