/**
 * geo-http: the geo lookup backend moved to a host with only AAAA records; API Gateway calls HTTP
 * backends over IPv4, so GET /geo/{ip} answers 500.
 */
import type { Scenario, WorldFragment } from '../scenario';
import { DAY, HTTP_ACCESS_FORMAT_JSON, extendedId, timeline } from './kit';
import { httpProxyApi } from './http-api';
import { accessRow } from './rows';

export function ipv6OnlyBackendApi(now: Date): WorldFragment {
  const t = timeline(now);
  const apiId = 'g3e4o5h6t7';
  return httpProxyApi({
    apiId,
    name: 'geo-http',
    created: t.ago(410 * DAY),
    routeKey: 'GET /geo/{ip}',
    uri: 'https://geo.v6only.example.net/lookup',
    accessLog: { format: HTTP_ACCESS_FORMAT_JSON, rows: [accessRow({ status: '500', routeKey: 'GET /geo/{ip}', integrationErrorMessage: '-', errorMessage: 'Internal Server Error' }, 412, extendedId(`${apiId}/1`), extendedId(`${apiId}/2`), t.span)] },
    deployedAt: t.ago(5 * DAY + 7 * 3_600_000),
    onset: t.onset,
    traffic: { errorsPerMinute: 7, count: 120, clientErrorsPerMinute: 1, latencyP99Ms: 900, integrationLatencyP99Ms: 40, integrationLatencyMaxMs: { before: 800, after: 40 } },
    dns: { 'geo.v6only.example.net': { ipv4: [], ipv6: ['2001:db8::10'] } },
  });
}

export const scenario: Scenario = {
  id: 'ipv6-only-backend',
  title: 'the geo backend has only IPv6 addresses: GET /geo/{ip} answers 500',
  apiName: 'geo-http',
  apiType: 'HTTP',
  stage: '$default',
  status: 500,
  cause: 'ipv6-only-backend',
  build: (now) => ipv6OnlyBackendApi(now),
};
