/**
 * inventory-api: POST /items writes to DynamoDB through an AWS (non-proxy) integration. A deployment two
 * minutes before the errors changed the request mapping template, and its VTL no longer renders
 * (a backslash-escaped quote inside a double-quoted string literal): "Unable to transform request", 500.
 */
import type { Method } from '@aws-sdk/client-api-gateway';
import type { Scenario, WorldFragment } from '../scenario';
import { ACCESS_FORMAT_JSON, DAY, HOUR, REGION, roleArn, timeline, uuidFrom } from './kit';
import type { MethodOf } from './rest-api';
import { resourceTree, restApi } from './rest-api';
import { accessRow, messageRow } from './rows';

const API_ID = 'n8v3t6r2y5';
const ROLE = roleArn('inventory-api-dynamodb');

const PUT_ITEM_TEMPLATE = [
  '#set($item = $input.path(\'$\'))',
  '{',
  '  "TableName": "inventory-items",',
  '  "Item": {',
  '    "sku": {"S": "$item.sku"},',
  '    "quantity": {"N": "$item.quantity"},',
  // Escaped quotes inside a double-quoted VTL string literal: the template no longer renders.
  String.raw`    "note": {"S": "$util.escapeJavaScript($item.note).replaceAll(\"\\'\",\"'\")"}`,
  '  }',
  '}',
].join('\n');

const GET_ITEM_TEMPLATE = '{"TableName": "inventory-items", "Key": {"sku": {"S": "$input.params(\'sku\')"}}}';

function dynamoMethod(verb: string, action: string, template: string, params: string[] = []): MethodOf {
  return (resourceId): Method => ({
    httpMethod: verb,
    authorizationType: 'AWS_IAM',
    apiKeyRequired: false,
    ...(params.length > 0 ? { requestParameters: Object.fromEntries(params.map((p) => [`method.request.path.${p}`, true])) } : {}),
    methodResponses: { '200': { statusCode: '200', responseModels: { 'application/json': 'Empty' } }, '400': { statusCode: '400' } },
    methodIntegration: {
      type: 'AWS',
      httpMethod: 'POST',
      uri: `arn:aws:apigateway:${REGION}:dynamodb:action/${action}`,
      credentials: ROLE,
      requestTemplates: { 'application/json': template },
      passthroughBehavior: 'WHEN_NO_TEMPLATES',
      timeoutInMillis: 29000,
      cacheNamespace: resourceId,
      cacheKeyParameters: [],
      integrationResponses: {
        '200': { statusCode: '200', responseTemplates: { 'application/json': '{"ok": true}' } },
        '400': { statusCode: '400', selectionPattern: '4\\d{2}' },
      },
    },
  });
}

export function mappingTemplateErrorApi(now: Date): WorldFragment {
  const t = timeline(now);
  const [r1, r2] = [uuidFrom(`${API_ID}/request/1`), uuidFrom(`${API_ID}/request/2`)];
  return restApi({
    apiId: API_ID,
    apiName: 'inventory-api',
    description: 'Warehouse stock levels, straight to DynamoDB',
    created: t.ago(480 * DAY),
    resources: resourceTree(API_ID, {
      '/items': { POST: dynamoMethod('POST', 'PutItem', PUT_ITEM_TEMPLATE) },
      '/items/{sku}': { GET: dynamoMethod('GET', 'GetItem', GET_ITEM_TEMPLATE, ['sku']) },
    }),
    stage: {
      name: 'prod',
      accessLog: {
        format: ACCESS_FORMAT_JSON,
        rows: [accessRow({ status: '500', resourcePath: '/items', httpMethod: 'POST', integrationErrorMessage: '-', errorMessage: 'Internal server error', responseType: 'API_CONFIGURATION_ERROR', integrationStatus: '-' }, 486, r1, r2, t.span)],
      },
    },
    deployments: [
      { id: 'w2h7c4', description: 'inventory: store a note with each item', at: t.changedAt },
      { id: 'p0d5s9', description: 'inventory: quantity as number', at: t.ago(12 * DAY + 2 * HOUR) },
    ],
    execution: [
      messageRow('Method completed with status: 500', 486, r1, r2, t.span),
      messageRow('Execution failed due to configuration error: Unable to transform request', 486, r1, r2, t.span),
    ],
    onset: t.onset,
    traffic: { errorsPerMinute: 8, count: 64 },
  });
}

export const scenario: Scenario = {
  id: 'mapping-template-error',
  title: "POST /items's DynamoDB request template no longer renders: 500",
  apiName: 'inventory-api',
  apiType: 'REST',
  stage: 'prod',
  status: 500,
  cause: 'mapping-template-error',
  build: (now) => mappingTemplateErrorApi(now),
};
