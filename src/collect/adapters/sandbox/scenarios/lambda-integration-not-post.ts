/**
 * reports-api: the API was re-imported from an OpenAPI file whose x-amazon-apigateway-integration says
 * `httpMethod: GET` for the GET methods. Lambda's Invoke API only takes POST, answers 403 "Unable to
 * determine service/operation name to be authorized", and API Gateway returns 500.
 */
import type { Scenario, WorldFragment } from '../scenario';
import { ACCESS_FORMAT_JSON, DAY, HOUR, combine, executeApiArn, functionMetrics, invokePolicy, lambdaFunction, lambdaLogGroup, lambdaProxyMethod, timeline, uuidFrom } from './kit';
import { resourceTree, restApi } from './rest-api';
import { accessRow, messageRow } from './rows';

const API_ID = 'r3p0r7s1x4';
const FN = 'reports-handler';

export function lambdaIntegrationNotPostApi(now: Date): WorldFragment {
  const t = timeline(now);
  const [r1, r2] = [uuidFrom(`${API_ID}/request/1`), uuidFrom(`${API_ID}/request/2`)];
  const [q1, q2] = [uuidFrom(`${API_ID}/request/3`), uuidFrom(`${API_ID}/request/4`)];
  const lambdaRequest = uuidFrom(`${API_ID}/lambda/1`);
  // The import wrote the client's method into the integration: GET for the GET methods.
  const resources = resourceTree(API_ID, {
    '/reports': { GET: (id) => lambdaProxyMethod('GET', id, FN, { integrationHttpMethod: 'GET' }), POST: (id) => lambdaProxyMethod('POST', id, FN) },
    '/reports/{id}': { GET: (id) => lambdaProxyMethod('GET', id, FN, { integrationHttpMethod: 'GET' }) },
  });
  const access = { integrationErrorMessage: '-', errorMessage: 'Internal server error', responseType: 'API_CONFIGURATION_ERROR', integrationStatus: '403' };
  return combine(
    restApi({
      apiId: API_ID,
      apiName: 'reports-api',
      description: 'Monthly and ad-hoc reports (imported from reports-openapi.yaml)',
      created: t.ago(300 * DAY),
      resources,
      stage: {
        name: 'prod',
        accessLog: {
          format: ACCESS_FORMAT_JSON,
          rows: [
            accessRow({ status: '500', resourcePath: '/reports/{id}', httpMethod: 'GET', ...access }, 1493, r1, r2, t.span),
            accessRow({ status: '500', resourcePath: '/reports', httpMethod: 'GET', ...access }, 219, q1, q2, t.span),
          ],
        },
      },
      deployments: [
        { id: 'f3k9x2', description: 'import reports-openapi.yaml v2.4.0', at: t.changedAt },
        { id: 'a8m1q7', description: 'import reports-openapi.yaml v2.3.1', at: t.ago(9 * DAY + 3 * HOUR) },
      ],
      execution: [
        messageRow('Method completed with status: 500', 1712, r1, r2, t.span),
        messageRow(`Lambda invocation failed with status: 403. Lambda request id: ${lambdaRequest}`, 1712, r1, r2, t.span),
        messageRow('Execution failed due to configuration error: ', 1712, r1, r2, t.span),
        messageRow('Endpoint response body before transformations: <AccessDeniedException>\n  <Message>Unable to determine service/operation name to be authorized</Message>\n</AccessDeniedException>\n', 1712, r1, r2, t.span),
      ],
      onset: t.onset,
      traffic: { errorsPerMinute: 29, count: 31 },
    }),
    {
      functions: { [FN]: lambdaFunction({ name: FN, runtime: 'python3.12', timeoutS: 20, memoryMb: 1024, lastModified: t.ago(9 * DAY + 4 * HOUR), policy: invokePolicy(FN, [{ sid: 'reports-api-invoke', sourceArn: executeApiArn(API_ID, '*/*/*') }]) }) },
      logGroups: { [lambdaLogGroup(FN)]: [] },
      // The function is no longer invoked from GET: only the POSTs reach it.
      metrics: functionMetrics(FN, t.onset, { invocations: 2 }),
    },
  );
}

export const scenario: Scenario = {
  id: 'lambda-integration-not-post',
  title: 'the GET methods call Lambda with GET after an OpenAPI import: 500',
  apiName: 'reports-api',
  apiType: 'REST',
  stage: 'prod',
  status: 500,
  cause: 'lambda-integration-not-post',
  build: (now) => lambdaIntegrationNotPostApi(now),
};
