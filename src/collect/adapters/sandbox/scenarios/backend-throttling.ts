/**
 * telemetry-api: POST /events writes to a Kinesis stream through an AWS (non-proxy) integration. A
 * traffic spike exceeds the stream's two shards: Kinesis answers ProvisionedThroughputExceededException
 * ("Rate exceeded for shard"), which the integration responses map to 500.
 */
import type { Method } from '@aws-sdk/client-api-gateway';
import type { Scenario, WorldFragment } from '../scenario';
import { ACCESS_FORMAT_JSON, ACCOUNT, DAY, HOUR, REGION, roleArn, timeline, uuidFrom } from './kit';
import { resourceTree, restApi } from './rest-api';
import { accessRow, messageRow } from './rows';

const API_ID = 't2e3l4m5y6';

function putRecord(resourceId: string): Method {
  return {
    httpMethod: 'POST',
    authorizationType: 'AWS_IAM',
    apiKeyRequired: false,
    methodResponses: { '200': { statusCode: '200', responseModels: { 'application/json': 'Empty' } }, '500': { statusCode: '500' } },
    methodIntegration: {
      type: 'AWS',
      httpMethod: 'POST',
      uri: `arn:aws:apigateway:${REGION}:kinesis:action/PutRecord`,
      credentials: roleArn('telemetry-api-kinesis'),
      requestTemplates: { 'application/json': '{"StreamName": "telemetry-events", "Data": "$util.base64Encode($input.body)", "PartitionKey": "$input.path(\'$.deviceId\')"}' },
      passthroughBehavior: 'WHEN_NO_TEMPLATES',
      timeoutInMillis: 29000,
      cacheNamespace: resourceId,
      cacheKeyParameters: [],
      integrationResponses: {
        '200': { statusCode: '200', responseTemplates: { 'application/json': '{"accepted": true}' } },
        '500': { statusCode: '500', selectionPattern: '4\\d{2}|5\\d{2}', responseTemplates: { 'application/json': '{"message": "could not record the event"}' } },
      },
    },
  };
}

export function backendThrottlingApi(now: Date): WorldFragment {
  const t = timeline(now);
  const [r1, r2] = [uuidFrom(`${API_ID}/request/1`), uuidFrom(`${API_ID}/request/2`)];
  return restApi({
    apiId: API_ID,
    apiName: 'telemetry-api',
    description: 'Device telemetry into Kinesis',
    created: t.ago(420 * DAY),
    resources: resourceTree(API_ID, { '/events': { POST: putRecord } }),
    stage: {
      name: 'prod',
      accessLog: {
        format: ACCESS_FORMAT_JSON,
        rows: [accessRow({ status: '500', resourcePath: '/events', httpMethod: 'POST', integrationErrorMessage: '-', errorMessage: '-', responseType: '-', integrationStatus: '400' }, 1890, r1, r2, t.span)],
      },
    },
    deployments: [{ id: 'j4f9p2', description: 'telemetry: partition by deviceId', at: t.ago(64 * DAY + 3 * HOUR) }],
    execution: [
      messageRow('Method completed with status: 500', 1890, r1, r2, t.span),
      messageRow(`Endpoint response body before transformations: {"__type":"ProvisionedThroughputExceededException","message":"Rate exceeded for shard shardId-000000000001 in stream telemetry-events under account ${ACCOUNT}."}`, 1890, r1, r2, t.span),
    ],
    onset: t.onset,
    traffic: { errorsPerMinute: 33, count: 2400, integrationLatencyP99Ms: 24, integrationLatencyMaxMs: { before: 60, after: 75 } },
  });
}

export const scenario: Scenario = {
  id: 'backend-throttling',
  title: 'Kinesis throttles POST /events ("Rate exceeded for shard"), mapped to 500',
  apiName: 'telemetry-api',
  apiType: 'REST',
  stage: 'prod',
  status: 500,
  cause: 'backend-throttling',
  build: (now) => backendThrottlingApi(now),
};
