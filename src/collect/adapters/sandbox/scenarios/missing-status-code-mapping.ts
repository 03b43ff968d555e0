/**
 * notify-api: POST /messages queues to SQS through an AWS (non-proxy) integration. A deployment changed
 * the method response from 200 to 202, but the integration response still maps SQS's answer to 200:
 * "Output mapping refers to an invalid method response: 200", and every queued message answers 500.
 */
import type { Method } from '@aws-sdk/client-api-gateway';
import type { Scenario, WorldFragment } from '../scenario';
import { ACCESS_FORMAT_JSON, ACCOUNT, DAY, HOUR, REGION, roleArn, timeline, uuidFrom } from './kit';
import { mockMethod, resourceTree, restApi } from './rest-api';
import { accessRow, messageRow } from './rows';

const API_ID = 'm2s9q4u7e1';

function sendMessage(resourceId: string): Method {
  return {
    httpMethod: 'POST',
    authorizationType: 'NONE',
    apiKeyRequired: true,
    // Answers 202 Accepted since the last deployment.
    methodResponses: { '202': { statusCode: '202', responseModels: { 'application/json': 'Empty' } } },
    methodIntegration: {
      type: 'AWS',
      httpMethod: 'POST',
      uri: `arn:aws:apigateway:${REGION}:sqs:path/${ACCOUNT}/notify-outbound`,
      credentials: roleArn('notify-api-sqs'),
      requestParameters: { 'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'" },
      requestTemplates: { 'application/json': 'Action=SendMessage&MessageBody=$util.urlEncode($input.body)' },
      passthroughBehavior: 'NEVER',
      timeoutInMillis: 29000,
      cacheNamespace: resourceId,
      cacheKeyParameters: [],
      integrationResponses: {
        '200': { statusCode: '200', responseTemplates: { 'application/json': '{"messageId": "$input.path(\'$.SendMessageResponse.SendMessageResult.MessageId\')"}' } },
      },
    },
  };
}

export function missingStatusCodeMappingApi(now: Date): WorldFragment {
  const t = timeline(now);
  const [r1, r2] = [uuidFrom(`${API_ID}/request/1`), uuidFrom(`${API_ID}/request/2`)];
  return restApi({
    apiId: API_ID,
    apiName: 'notify-api',
    description: 'Queues e-mail and SMS notifications',
    created: t.ago(700 * DAY),
    resources: resourceTree(API_ID, { '/messages': { POST: sendMessage }, '/health': { GET: mockMethod() } }),
    stage: {
      name: 'prod',
      accessLog: {
        format: ACCESS_FORMAT_JSON,
        rows: [accessRow({ status: '500', resourcePath: '/messages', httpMethod: 'POST', integrationErrorMessage: '-', errorMessage: 'Internal server error', responseType: 'API_CONFIGURATION_ERROR', integrationStatus: '200' }, 932, r1, r2, t.span)],
      },
    },
    deployments: [
      { id: 'y6t1b3', description: 'notify: answer 202 Accepted', at: t.changedAt },
      { id: 'k9e4r8', description: 'notify: api key required', at: t.ago(31 * DAY + 5 * HOUR) },
    ],
    execution: [
      messageRow('Method completed with status: 500', 932, r1, r2, t.span),
      messageRow('Execution failed due to configuration error: Output mapping refers to an invalid method response: 200', 932, r1, r2, t.span),
    ],
    onset: t.onset,
    traffic: { errorsPerMinute: 16, count: 17 },
  });
}

export const scenario: Scenario = {
  id: 'missing-status-code-mapping',
  title: 'POST /messages maps SQS answers to a 200 the method no longer has: 500',
  apiName: 'notify-api',
  apiType: 'REST',
  stage: 'prod',
  status: 500,
  cause: 'missing-status-code-mapping',
  build: (now) => missingStatusCodeMappingApi(now),
};
