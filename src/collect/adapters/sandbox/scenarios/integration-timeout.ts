/**
 * payments-http: the payments backend takes longer than the HTTP API's 30 s integration timeout for some
 * charges; API Gateway gives up and answers 503 "Service Unavailable".
 */
import type { Scenario, WorldFragment } from '../scenario';
import { DAY, HTTP_ACCESS_FORMAT_JSON, extendedId, timeline } from './kit';
import { httpProxyApi } from './http-api';
import { accessRow } from './rows';

export function integrationTimeoutApi(now: Date): WorldFragment {
  const t = timeline(now);
  const apiId = 'p4y5m6n7t8';
  return httpProxyApi({
    apiId,
    name: 'payments-http',
    created: t.ago(542 * DAY),
    routeKey: 'POST /payments',
    uri: 'https://payments.internal.example.com/charge',
    accessLog: { format: HTTP_ACCESS_FORMAT_JSON, rows: [accessRow({ status: '503', routeKey: 'POST /payments', integrationErrorMessage: '-', errorMessage: 'Service Unavailable' }, 96, extendedId(`${apiId}/1`), extendedId(`${apiId}/2`), t.span)] },
    deployedAt: t.ago(5 * DAY + 7 * 3_600_000),
    onset: t.onset,
    traffic: { errorsPerMinute: 2, count: 120, clientErrorsPerMinute: 1, latencyP99Ms: 900, integrationLatencyP99Ms: 2000, integrationLatencyMaxMs: { before: 800, after: 30000 } },
    dns: { 'payments.internal.example.com': { ipv4: ['203.0.113.10'], ipv6: [] } },
  });
}

export const scenario: Scenario = {
  id: 'integration-timeout',
  title: 'the payments backend is slower than 30 s: POST /payments answers 503',
  apiName: 'payments-http',
  apiType: 'HTTP',
  stage: '$default',
  status: 503,
  cause: 'integration-timeout',
  build: (now) => integrationTimeoutApi(now),
};
