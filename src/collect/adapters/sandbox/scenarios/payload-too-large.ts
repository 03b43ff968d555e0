/**
 * exports-api: GET /exports/{id} returns a whole export inline; the biggest customers' exports have grown
 * past Lambda's 6 MB response limit, so Lambda cannot return them and API Gateway answers 502.
 */
import type { Scenario, WorldFragment } from '../scenario';
import { ACCESS_FORMAT_JSON_INTEGRATION_ERROR, DAY, HOUR, combine, executeApiArn, functionMetrics, invokePolicy, lambdaFunction, lambdaLogGroup, lambdaProxyMethod, timeline, uuidFrom } from './kit';
import { resourceTree, restApi } from './rest-api';
import { accessRow, messageRow } from './rows';

const API_ID = 'e4x5p6o7r8';
const FN = 'exports-handler';
const TOO_LARGE = 'Lambda Customer Function Error:Response payload size exceeded maximum allowed payload size (6291556 bytes).';

export function payloadTooLargeApi(now: Date): WorldFragment {
  const t = timeline(now);
  const [r1, r2] = [uuidFrom(`${API_ID}/request/1`), uuidFrom(`${API_ID}/request/2`)];
  const [l1, l2] = [uuidFrom(`${API_ID}/lambda/1`), uuidFrom(`${API_ID}/lambda/2`)];
  return combine(
    restApi({
      apiId: API_ID,
      apiName: 'exports-api',
      description: 'Customer data exports',
      created: t.ago(265 * DAY),
      resources: resourceTree(API_ID, {
        '/exports': { POST: (id) => lambdaProxyMethod('POST', id, FN) },
        '/exports/{id}': { GET: (id) => lambdaProxyMethod('GET', id, FN) },
      }),
      stage: {
        name: 'prod',
        accessLog: {
          format: ACCESS_FORMAT_JSON_INTEGRATION_ERROR,
          rows: [accessRow({ status: '502', resourcePath: '/exports/{id}', httpMethod: 'GET', errorMessage: 'Internal server error', responseType: 'INTEGRATION_FAILURE', integrationError: TOO_LARGE, integrationStatus: '200' }, 58, r1, r2, t.span)],
        },
      },
      deployments: [{ id: 'z8r3k6', description: 'exports: csv and json', at: t.ago(27 * DAY + 1 * HOUR) }],
      execution: [messageRow('Method completed with status: 502', 58, r1, r2, t.span)],
      onset: t.onset,
      traffic: { errorsPerMinute: 1, count: 9, integrationLatencyP99Ms: 14_800, integrationLatencyMaxMs: { before: 9_100, after: 15_508 } },
    }),
    {
      functions: { [FN]: lambdaFunction({ name: FN, runtime: 'python3.12', timeoutS: 28, memoryMb: 3008, lastModified: t.ago(27 * DAY + 1 * HOUR + 60_000), policy: invokePolicy(FN, [{ sid: 'exports-api-invoke', sourceArn: executeApiArn(API_ID, '*/*/exports*') }]) }) },
      logGroups: {
        [lambdaLogGroup(FN)]: [messageRow('LAMBDA_RUNTIME Failed to post handler success response. Http response code: 413. {"errorMessage":"Exceeded maximum allowed payload size (6291556 bytes).","errorType":"RequestEntityTooLarge"}', 58, l1, l2, t.span)],
      },
      metrics: functionMetrics(FN, t.onset, { errors: 1, durationMaxMs: 15_204, invocations: 9 }),
    },
  );
}

export const scenario: Scenario = {
  id: 'payload-too-large',
  title: "the largest exports exceed Lambda's 6 MB response limit: GET /exports/{id} answers 502",
  apiName: 'exports-api',
  apiType: 'REST',
  stage: 'prod',
  status: 502,
  cause: 'payload-too-large',
  build: (now) => payloadTooLargeApi(now),
};
