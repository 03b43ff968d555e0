/**
 * ledger-api: the partner bank's ledger endpoint let its TLS certificate expire about an hour ago;
 * API Gateway refuses the handshake ("PKIX path validation failed ... validity check failed") and every
 * GET /ledger/{account} answers 500. Nothing was deployed: the calendar did it.
 */
import type { Scenario, WorldFragment } from '../scenario';
import { ACCESS_FORMAT_JSON_INTEGRATION_ERROR, DAY, HOUR, combine, timeline, uuidFrom } from './kit';
import { httpProxyMethod, mockMethod, resourceTree, restApi } from './rest-api';
import { accessRow, messageRow } from './rows';

const API_ID = 'l7d9g3r1b8';
const HOST = 'ledger.partner-bank.example.com';
const PKIX = 'Execution failed due to configuration error: PKIX path validation failed: java.security.cert.CertPathValidatorException: validity check failed';

export function backendTlsErrorApi(now: Date): WorldFragment {
  const t = timeline(now);
  const [r1, r2] = [uuidFrom(`${API_ID}/request/1`), uuidFrom(`${API_ID}/request/2`)];
  return combine(
    restApi({
      apiId: API_ID,
      apiName: 'ledger-api',
      description: 'Account ledgers from the partner bank',
      created: t.ago(950 * DAY),
      resources: resourceTree(API_ID, {
        '/ledger/{account}': { GET: httpProxyMethod('GET', `https://${HOST}/v1/accounts/{account}/ledger`, { params: ['account'] }) },
        '/health': { GET: mockMethod() },
      }),
      stage: {
        name: 'prod',
        accessLog: {
          format: ACCESS_FORMAT_JSON_INTEGRATION_ERROR,
          rows: [accessRow({ status: '500', resourcePath: '/ledger/{account}', httpMethod: 'GET', errorMessage: 'Internal server error', responseType: 'DEFAULT_5XX', integrationError: PKIX, integrationStatus: '-' }, 355, r1, r2, t.span)],
        },
      },
      deployments: [{ id: 'g1c6v9', description: 'ledger: pass account id through', at: t.ago(44 * DAY + 5 * HOUR) }],
      execution: [messageRow('Method completed with status: 500', 355, r1, r2, t.span), messageRow(PKIX, 355, r1, r2, t.span)],
      onset: t.onset,
      traffic: { errorsPerMinute: 6, count: 6, integrationLatencyP99Ms: 38, integrationLatencyMaxMs: { before: 310, after: 45 } },
    }),
    { dns: { [HOST]: { ipv4: ['192.0.2.44', '192.0.2.45'], ipv6: [] } } },
  );
}

export const scenario: Scenario = {
  id: 'backend-tls-error',
  title: "the partner bank's certificate expired: GET /ledger/{account} answers 500",
  apiName: 'ledger-api',
  apiType: 'REST',
  stage: 'prod',
  status: 500,
  cause: 'backend-tls-error',
  build: (now) => backendTlsErrorApi(now),
};
