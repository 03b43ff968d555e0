/**
 * accounts-api: the TOKEN authorizer's function, accounts-authorizer, was re-created by a new stack and
 * lost the permission that let API Gateway invoke it: "Invalid permissions on Lambda function" followed
 * by "Authorizer error", 500 before any integration runs.
 */
import type { Scenario, WorldFragment } from '../scenario';
import { ACCESS_FORMAT_JSON, DAY, HOUR, combine, executeApiArn, functionMetrics, invokePolicy, lambdaFunction, lambdaLogGroup, lambdaProxyMethod, lambdaUri, shortId, timeline, uuidFrom } from './kit';
import { mockMethod, resourceTree, restApi } from './rest-api';
import { accessRow, messageRow } from './rows';

const API_ID = 'a9c8c7o6u5';
const HANDLER = 'accounts-handler';
const AUTHORIZER = 'accounts-authorizer';
const AUTHORIZER_ID = shortId(`${API_ID}/authorizer`);

export function lambdaAuthorizerErrorApi(now: Date): WorldFragment {
  const t = timeline(now);
  const [r1, r2] = [uuidFrom(`${API_ID}/request/1`), uuidFrom(`${API_ID}/request/2`)];
  const authorized = { authorizerId: AUTHORIZER_ID };
  return combine(
    restApi({
      apiId: API_ID,
      apiName: 'accounts-api',
      description: 'Customer accounts',
      created: t.ago(512 * DAY),
      resources: resourceTree(API_ID, {
        '/accounts': { GET: (id) => lambdaProxyMethod('GET', id, HANDLER, authorized), POST: (id) => lambdaProxyMethod('POST', id, HANDLER, authorized) },
        '/accounts/{id}': { GET: (id) => lambdaProxyMethod('GET', id, HANDLER, authorized) },
        '/health': { GET: mockMethod() },
      }),
      authorizers: [
        {
          id: AUTHORIZER_ID,
          name: 'accounts-jwt',
          type: 'TOKEN',
          authType: 'custom',
          authorizerUri: lambdaUri(AUTHORIZER),
          identitySource: 'method.request.header.Authorization',
          identityValidationExpression: '^Bearer [-0-9a-zA-Z._]+$',
          authorizerResultTtlInSeconds: 300,
        },
      ],
      stage: {
        name: 'prod',
        accessLog: {
          format: ACCESS_FORMAT_JSON,
          rows: [
            accessRow({ status: '500', resourcePath: '/accounts/{id}', httpMethod: 'GET', integrationErrorMessage: '-', errorMessage: '-', responseType: 'AUTHORIZER_CONFIGURATION_ERROR', integrationStatus: '-' }, 1020, r1, r2, t.span),
            accessRow({ status: '500', resourcePath: '/accounts', httpMethod: 'GET', integrationErrorMessage: '-', errorMessage: '-', responseType: 'AUTHORIZER_CONFIGURATION_ERROR', integrationStatus: '-' }, 184, uuidFrom(`${API_ID}/request/3`), uuidFrom(`${API_ID}/request/4`), t.span),
          ],
        },
      },
      deployments: [{ id: 'b4n6s0', description: 'accounts: paging on GET /accounts', at: t.ago(18 * DAY + 7 * HOUR) }],
      execution: [
        messageRow('Execution failed due to configuration error: Invalid permissions on Lambda function', 1204, r1, r2, t.span),
        messageRow('Execution failed due to configuration error: Authorizer error', 1204, r1, r2, t.span),
        messageRow('Gateway response type: AUTHORIZER_CONFIGURATION_ERROR with status code: 500', 1204, r1, r2, t.span),
        messageRow('Method completed with status: 500', 1204, r1, r2, t.span),
      ],
      onset: t.onset,
      traffic: { errorsPerMinute: 21, count: 22 },
    }),
    {
      functions: {
        [HANDLER]: lambdaFunction({ name: HANDLER, lastModified: t.ago(18 * DAY + 7 * HOUR + 90_000), policy: invokePolicy(HANDLER, [{ sid: 'accounts-api-invoke', sourceArn: executeApiArn(API_ID, '*/*/accounts*') }]) }),
        // Re-created by the identity stack two minutes before the errors; nothing added its permission back.
        [AUTHORIZER]: lambdaFunction({ name: AUTHORIZER, timeoutS: 5, memoryMb: 256, lastModified: t.changedAt }),
      },
      logGroups: { [lambdaLogGroup(HANDLER)]: [], [lambdaLogGroup(AUTHORIZER)]: [] },
      metrics: [...functionMetrics(HANDLER, t.onset, { invocations: 1 }), ...functionMetrics(AUTHORIZER, t.onset, { invocations: 0 })],
    },
  );
}

export const scenario: Scenario = {
  id: 'lambda-authorizer-error',
  title: 'API Gateway may not invoke the re-created authorizer function: 500 before any integration',
  apiName: 'accounts-api',
  apiType: 'REST',
  stage: 'prod',
  status: 500,
  cause: 'lambda-authorizer-error',
  build: (now) => lambdaAuthorizerErrorApi(now),
};
