/**
 * chat-ws: a WebSocket API whose sendMessage route invokes chat-send-message. A new version of the
 * function, deployed with the route change two minutes before the errors, reads the room's connection
 * ids from an undefined value and throws: the client gets "Internal server error" for every message.
 */
import type { Integration, Route } from '@aws-sdk/client-apigatewayv2';
import type { Scenario, WorldFragment } from '../scenario';
import type { MetricFixture } from '../world';
import { DAY, HOUR, REGION, WEBSOCKET_ACCESS_FORMAT_JSON, executeApiArn, extendedId, functionMetrics, invokePolicy, lambdaFunction, lambdaLogGroup, lambdaUri, logGroupArn, shortId, step, timeline, uuidFrom } from './kit';
import { accessRow, messageRow } from './rows';

const API_ID = 'w5s8c2h4t6';
const STAGE = 'production';
const ROUTES: readonly [string, string][] = [
  ['$connect', 'chat-connect'],
  ['$disconnect', 'chat-disconnect'],
  ['$default', 'chat-default'],
  ['sendMessage', 'chat-send-message'],
];

export function webSocketFunctionErrorApi(now: Date): WorldFragment {
  const t = timeline(now);
  const [r1, r2] = [extendedId(`${API_ID}/1`), extendedId(`${API_ID}/2`)];
  const [l1, l2] = [uuidFrom(`${API_ID}/lambda/1`), uuidFrom(`${API_ID}/lambda/2`)];
  const accessGroup = `/aws/apigateway/${API_ID}/${STAGE}/access`;
  const integrations: Integration[] = ROUTES.map(([key, fn]) => ({
    IntegrationId: shortId(`${API_ID}/integration/${key}`, 7),
    IntegrationType: 'AWS_PROXY',
    IntegrationMethod: 'POST',
    IntegrationUri: lambdaUri(fn),
    ConnectionType: 'INTERNET',
    ContentHandlingStrategy: 'CONVERT_TO_TEXT',
    PassthroughBehavior: 'WHEN_NO_MATCH',
    TimeoutInMillis: 29000,
  }));
  const routes: Route[] = ROUTES.map(([key], i) => ({ RouteId: shortId(`${API_ID}/route/${key}`, 7), RouteKey: key, Target: `integrations/${integrations[i]?.IntegrationId ?? ''}`, AuthorizationType: 'NONE', ApiKeyRequired: false }));
  const dims = (): Record<string, string> => ({ ApiId: API_ID, Stage: STAGE });
  const ns = 'AWS/ApiGateway';
  const metrics: MetricFixture[] = [
    { namespace: ns, metricName: 'IntegrationError', dimensions: dims(), value: step(t.onset, 0, 3) },
    { namespace: ns, metricName: 'ExecutionError', dimensions: dims(), value: () => 0 },
    { namespace: ns, metricName: 'ClientError', dimensions: dims(), value: () => 1 },
    { namespace: ns, metricName: 'ConnectCount', dimensions: dims(), value: () => 40 },
    { namespace: ns, metricName: 'MessageCount', dimensions: dims(), value: () => 610 },
    { namespace: ns, metricName: 'IntegrationLatency', dimensions: dims(), stat: 'p99', value: () => 61 },
    { namespace: ns, metricName: 'IntegrationLatency', dimensions: dims(), stat: 'Maximum', value: () => 240 },
    ...ROUTES.flatMap(([key, fn]) => functionMetrics(fn, t.onset, key === 'sendMessage' ? { errors: 3, invocations: 570 } : { invocations: 40 })),
  ];
  const error = "Cannot read properties of undefined (reading 'connectionIds')";
  return {
    v2Apis: [
      {
        api: {
          ApiId: API_ID,
          Name: 'chat-ws',
          ProtocolType: 'WEBSOCKET',
          ApiEndpoint: `wss://${API_ID}.execute-api.${REGION}.amazonaws.com`,
          ApiKeySelectionExpression: '$request.header.x-api-key',
          RouteSelectionExpression: '$request.body.action',
          DisableExecuteApiEndpoint: false,
          CreatedDate: t.ago(230 * DAY),
        },
        stages: [
          {
            StageName: STAGE,
            DeploymentId: 'q7wz2k',
            AutoDeploy: false,
            CreatedDate: t.ago(230 * DAY),
            LastUpdatedDate: new Date(t.changedAt.getTime() + 1_000),
            DefaultRouteSettings: { DataTraceEnabled: false, DetailedMetricsEnabled: false, LoggingLevel: 'INFO', ThrottlingBurstLimit: 5000, ThrottlingRateLimit: 10000 },
            RouteSettings: {},
            StageVariables: {},
            AccessLogSettings: { DestinationArn: logGroupArn(accessGroup), Format: WEBSOCKET_ACCESS_FORMAT_JSON },
            Tags: {},
          },
        ],
        routes,
        integrations,
        deployments: [
          { DeploymentId: 'q7wz2k', CreatedDate: t.changedAt, Description: 'sendMessage: fan out to room members' },
          { DeploymentId: 'm3xv8r', CreatedDate: t.ago(16 * DAY + 3 * HOUR), Description: 'typing indicator' },
        ],
      },
    ],
    logGroups: {
      // WebSocket execution logs: /aws/apigateway/{api-id}/{stage}.
      [`/aws/apigateway/${API_ID}/${STAGE}`]: [
        messageRow(`Lambda execution failed with status 200 due to customer function error: ${error}. Lambda request id: ${l1}`, 143, r1, r2, t.span),
      ],
      [accessGroup]: [accessRow({ status: '502', routeKey: 'sendMessage', integrationErrorMessage: '-', errorMessage: 'Internal server error' }, 143, r1, r2, t.span)],
      ...Object.fromEntries(ROUTES.map(([key, fn]) => [lambdaLogGroup(fn), key === 'sendMessage' ? [messageRow(`\tERROR\tInvoke Error \t{"errorType":"TypeError","errorMessage":"${error}","stack":["TypeError: ${error}","    at broadcast (/var/task/index.mjs:41:29)","    at Runtime.handler (/var/task/index.mjs:12:9)"]}`, 143, l1, l2, t.span)] : []])),
    },
    metrics,
    functions: Object.fromEntries(
      ROUTES.map(([key, fn]) => [
        fn,
        lambdaFunction({
          name: fn,
          timeoutS: 10,
          memoryMb: 256,
          // The new sendMessage code went live with the deployment.
          lastModified: key === 'sendMessage' ? new Date(t.changedAt.getTime() - 40_000) : t.ago(16 * DAY + 3 * HOUR + 120_000),
          policy: invokePolicy(fn, [{ sid: `chat-ws-${key.replace('$', '')}`, sourceArn: executeApiArn(API_ID, `${STAGE}/${key}`) }]),
          environment: { CONNECTIONS_TABLE: 'chat-connections', CALLBACK_URL: `https://${API_ID}.execute-api.${REGION}.amazonaws.com/${STAGE}` },
        }),
      ]),
    ),
  };
}

export const scenario: Scenario = {
  id: 'websocket-function-error',
  title: "the WebSocket API's sendMessage function throws: every message gets Internal server error",
  apiName: 'chat-ws',
  apiType: 'WEBSOCKET',
  stage: STAGE,
  status: '5xx',
  cause: 'lambda-function-error',
  build: (now) => webSocketFunctionErrorApi(now),
};
