/**
 * quotes-api: for seven minutes the Lambda service itself failed some invokes of quotes-handler with a
 * ServiceException ("An error occurred and the request cannot be processed."), and API Gateway answered
 * 500. Nothing changed on the API or the function; the errors stopped on their own.
 */
import type { Scenario, WorldFragment } from '../scenario';
import { ACCESS_FORMAT_JSON, DAY, HOUR, MINUTE, combine, executeApiArn, functionMetrics, invokePolicy, lambdaFunction, lambdaLogGroup, lambdaProxyMethod, timeline, uuidFrom } from './kit';
import { resourceTree, restApi } from './rest-api';
import { accessRow, messageRow } from './rows';

const API_ID = 'q1u2o3t4e5';
const FN = 'quotes-handler';

export function awsInternalFailureApi(now: Date): WorldFragment {
  const t = timeline(now);
  const [r1, r2] = [uuidFrom(`${API_ID}/request/1`), uuidFrom(`${API_ID}/request/2`)];
  const until = t.afterOnset(7 * MINUTE);
  const burst = { first: t.span.first, last: new Date(until.getTime() - 2_317) };
  return combine(
    restApi({
      apiId: API_ID,
      apiName: 'quotes-api',
      description: 'Insurance quotes',
      created: t.ago(150 * DAY),
      resources: resourceTree(API_ID, { '/quotes': { POST: (id) => lambdaProxyMethod('POST', id, FN) }, '/quotes/{id}': { GET: (id) => lambdaProxyMethod('GET', id, FN) } }),
      stage: {
        name: 'prod',
        accessLog: {
          format: ACCESS_FORMAT_JSON,
          rows: [accessRow({ status: '500', resourcePath: '/quotes', httpMethod: 'POST', integrationErrorMessage: '-', errorMessage: 'Internal server error', responseType: 'DEFAULT_5XX', integrationStatus: '500' }, 35, r1, r2, burst)],
        },
      },
      deployments: [{ id: 'd6q1l8', description: 'quotes: multi-driver discount', at: t.ago(8 * DAY + 5 * HOUR) }],
      execution: [
        messageRow('Method completed with status: 500', 35, r1, r2, burst),
        messageRow(`Lambda invocation failed with status: 500. Lambda request id: ${uuidFrom(`${API_ID}/lambda/1`)}`, 35, r1, r2, burst),
        messageRow('Endpoint response body before transformations: {"Message":"An error occurred and the request cannot be processed.","Type":"Service"}', 35, r1, r2, burst),
      ],
      onset: t.onset,
      traffic: { errorsPerMinute: 5, errorsUntil: until, count: 410 },
    }),
    {
      functions: { [FN]: lambdaFunction({ name: FN, lastModified: t.ago(8 * DAY + 5 * HOUR + 45_000), policy: invokePolicy(FN, [{ sid: 'quotes-api-invoke', sourceArn: executeApiArn(API_ID, '*/*/quotes*') }]) }) },
      logGroups: { [lambdaLogGroup(FN)]: [] },
      metrics: functionMetrics(FN, t.onset, { invocations: 405 }),
    },
  );
}

export const scenario: Scenario = {
  id: 'aws-internal-failure',
  title: 'the Lambda service failed invokes for seven minutes (ServiceException): 500',
  apiName: 'quotes-api',
  apiType: 'REST',
  stage: 'prod',
  status: 500,
  cause: 'aws-internal-failure',
  build: (now) => awsInternalFailureApi(now),
};
