/**
 * legacy-http: an HTTP API in front of a legacy service answers 5xx, and its stage has no access logs,
 * the only log an HTTP API has: nothing can say why yet.
 */
import type { Scenario, WorldFragment } from '../scenario';
import { DAY, timeline } from './kit';
import { httpProxyApi } from './http-api';

export function httpNoLoggingApi(now: Date): WorldFragment {
  const t = timeline(now);
  return httpProxyApi({
    apiId: 'l3g4c5y6h7',
    name: 'legacy-http',
    created: t.ago(1_210 * DAY),
    routeKey: 'ANY /{proxy+}',
    uri: 'https://legacy.example.com/{proxy}',
    deployedAt: t.ago(5 * DAY + 7 * 3_600_000),
    onset: t.onset,
    traffic: { errorsPerMinute: 4, count: 120, clientErrorsPerMinute: 1, latencyP99Ms: 900, integrationLatencyP99Ms: 300, integrationLatencyMaxMs: { before: 800, after: 300 } },
    dns: { 'legacy.example.com': { ipv4: ['198.51.100.7'], ipv6: [] } },
  });
}

export const scenario: Scenario = {
  id: 'http-api-no-logging',
  title: 'an HTTP API answering 5xx with no access logs: nothing says why',
  apiName: 'legacy-http',
  apiType: 'HTTP',
  stage: '$default',
  status: '5xx',
  cause: 'http-api-no-logging',
  build: (now) => httpNoLoggingApi(now),
};
