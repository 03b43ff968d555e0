/**
 * search-http: API Gateway reaches the search backend fine, but the backend's own proxy answers 502 Bad
 * Gateway (its upstream cluster is down), and the HTTP API passes that status on.
 */
import type { Scenario, WorldFragment } from '../scenario';
import { DAY, HTTP_ACCESS_FORMAT_JSON_INTEGRATION_STATUS, extendedId, timeline } from './kit';
import { httpProxyApi } from './http-api';
import { accessRow } from './rows';

export function backend5xxPassthroughApi(now: Date): WorldFragment {
  const t = timeline(now);
  const apiId = 's3a4r5c6h7';
  return httpProxyApi({
    apiId,
    name: 'search-http',
    created: t.ago(180 * DAY),
    routeKey: 'GET /search',
    uri: 'https://search-backend.example.org/v2/search',
    integrationMethod: 'GET',
    timeoutMs: 10000,
    accessLog: {
      format: HTTP_ACCESS_FORMAT_JSON_INTEGRATION_STATUS,
      rows: [accessRow({ status: '502', routeKey: 'GET /search', httpMethod: 'GET', integrationStatus: '502', integrationErrorMessage: '-', errorMessage: '-' }, 731, extendedId(`${apiId}/1`), extendedId(`${apiId}/2`), t.span)],
    },
    deployedAt: t.ago(21 * DAY + 4 * 3_600_000),
    onset: t.onset,
    traffic: { errorsPerMinute: 13, count: 240, clientErrorsPerMinute: 2, latencyP99Ms: 120, integrationLatencyP99Ms: 95, integrationLatencyMaxMs: { before: 640, after: 130 } },
    dns: { 'search-backend.example.org': { ipv4: ['198.51.100.23', '198.51.100.24'], ipv6: ['2001:db8:4::23'] } },
  });
}

export const scenario: Scenario = {
  id: 'backend-5xx-passthrough',
  title: 'the search backend itself answers 502, and the HTTP API passes it on',
  apiName: 'search-http',
  apiType: 'HTTP',
  stage: '$default',
  status: 502,
  cause: 'backend-5xx-passthrough',
  build: (now) => backend5xxPassthroughApi(now),
};
