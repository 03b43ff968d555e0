/**
 * Realistic AWS worlds, each an API broken in one known way, for the investigation's integration
 * tests. Values follow what the APIs return (ids, ARNs, Lambda's `LastModified` format, Insights'
 * timestamp format); the window asked about is 14:00–15:00 UTC on 2026-11-25 and errors begin 14:02.
 */
import type { Method, Resource } from '@aws-sdk/client-api-gateway';
import type { Integration, Route } from '@aws-sdk/client-apigatewayv2';
import type { LambdaFixture, MetricFixture, World } from './aws-world';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
export const WINDOW = { from: new Date('2026-11-25T14:00:00Z'), to: new Date('2026-11-25T15:00:00Z') };
export const ONSET = new Date('2026-11-25T14:02:00Z');

const lambdaUri = (fn: string, qualifier?: string): string =>
  `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/arn:aws:lambda:${REGION}:${ACCOUNT}:function:${fn}${qualifier ? `:${qualifier}` : ''}/invocations`;
const insightsTime = (d: Date): string => d.toISOString().replace('T', ' ').replace('Z', '');

/** A value before and after the onset, constant per minute. */
const step = (before: number, after: number) => (t: Date): number => (t < ONSET ? before : after);

export const ACCESS_FORMAT_JSON = JSON.stringify({
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  integrationErrorMessage: '$context.integrationErrorMessage',
  errorMessage: '$context.error.message',
  responseType: '$context.error.responseType',
  integrationStatus: '$context.integrationStatus',
  integrationLatency: '$context.integrationLatency',
});

export const HTTP_ACCESS_FORMAT_JSON = JSON.stringify({
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLength: '$context.responseLength',
  integrationErrorMessage: '$context.integrationErrorMessage',
  errorMessage: '$context.error.message',
  integrationLatency: '$context.integrationLatency',
});

function policyFor(fn: string, sourceArn: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Id: 'default',
    Statement: [
      {
        Sid: `apigw-${fn}-invoke`,
        Effect: 'Allow',
        Principal: { Service: 'apigateway.amazonaws.com' },
        Action: 'lambda:InvokeFunction',
        Resource: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${fn}`,
        Condition: { ArnLike: { 'AWS:SourceArn': sourceArn } },
      },
    ],
  });
}

function lambdaFixture(name: string, timeoutS: number, lastModified: string, policy?: string): LambdaFixture {
  return {
    config: {
      FunctionName: name,
      FunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`,
      Runtime: 'nodejs20.x',
      Role: `arn:aws:iam::${ACCOUNT}:role/${name}-role`,
      Handler: 'index.handler',
      CodeSize: 48213,
      Timeout: timeoutS,
      MemorySize: 512,
      LastModified: lastModified,
      Version: '$LATEST',
      State: 'Active',
      LoggingConfig: { LogFormat: 'Text', LogGroup: `/aws/lambda/${name}` },
    },
    ...(policy ? { policy } : {}),
  };
}

/**
 * orders-api: a REST API with 40 resources behind three Lambda functions, execution logging at INFO and
 * JSON access logs. GET /orders/{id} (orders-handler) is the method that fails.
 */
function ordersResources(ordersQualifier?: string): Resource[] {
  const method = (verb: string, fn: string | null): Method => ({
    httpMethod: verb,
    authorizationType: 'NONE',
    apiKeyRequired: false,
    methodIntegration: fn
      ? { type: 'AWS_PROXY', httpMethod: 'POST', uri: lambdaUri(fn, fn === 'orders-handler' ? ordersQualifier : undefined), passthroughBehavior: 'WHEN_NO_MATCH', timeoutInMillis: 29000, cacheNamespace: 'x1y2z3', cacheKeyParameters: [], integrationResponses: {} }
      : { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' }, passthroughBehavior: 'WHEN_NO_MATCH', timeoutInMillis: 29000, integrationResponses: { '200': { statusCode: '200' } } },
  });
  const resources: Resource[] = [
    { id: 'r00t00', path: '/' },
    { id: 'o1r2d3', parentId: 'r00t00', pathPart: 'orders', path: '/orders', resourceMethods: { GET: method('GET', 'orders-handler'), POST: method('POST', 'orders-handler') } },
    { id: 'x1y2z3', parentId: 'o1r2d3', pathPart: '{id}', path: '/orders/{id}', resourceMethods: { GET: method('GET', 'orders-handler'), OPTIONS: method('OPTIONS', null) } },
  ];
  for (let i = 0; resources.length < 40; i++) {
    const fn = i % 2 === 0 ? 'catalog-handler' : 'users-handler';
    resources.push({ id: `c${String(i).padStart(5, '0')}`, parentId: 'r00t00', pathPart: `items${i}`, path: `/items${i}`, resourceMethods: { GET: method('GET', fn) } });
  }
  return resources;
}

interface OrdersVariant {
  /** orders-handler is invoked through this alias or version. */
  ordersQualifier?: string;
  execution: Record<string, string>[];
  access: Record<string, string>[];
  lambda?: Record<string, string>[];
  ordersHandler?: Partial<LambdaFixture> & { timeoutS?: number };
  metrics?: MetricFixture[];
  status5xxPerMinute?: number;
}

const apiMetrics = (perMinute: number, integrationLatencyMax = 180): MetricFixture[] => [
  { namespace: 'AWS/ApiGateway', metricName: '5XXError', dimensions: { ApiName: 'orders-api', Stage: 'prod' }, value: step(0, perMinute) },
  { namespace: 'AWS/ApiGateway', metricName: '4XXError', dimensions: { ApiName: 'orders-api', Stage: 'prod' }, value: () => 3 },
  { namespace: 'AWS/ApiGateway', metricName: 'Count', dimensions: { ApiName: 'orders-api', Stage: 'prod' }, value: () => 803 },
  { namespace: 'AWS/ApiGateway', metricName: 'Latency', dimensions: { ApiName: 'orders-api', Stage: 'prod' }, value: () => 142 },
  { namespace: 'AWS/ApiGateway', metricName: 'IntegrationLatency', dimensions: { ApiName: 'orders-api', Stage: 'prod' }, stat: 'p99', value: () => 96 },
  { namespace: 'AWS/ApiGateway', metricName: 'IntegrationLatency', dimensions: { ApiName: 'orders-api', Stage: 'prod' }, stat: 'Maximum', value: () => integrationLatencyMax },
];

const fnMetrics = (fn: string, values: { errors?: number; throttles?: number; durationMax?: number }): MetricFixture[] => [
  { namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: { FunctionName: fn }, value: step(0, values.errors ?? 0) },
  { namespace: 'AWS/Lambda', metricName: 'Throttles', dimensions: { FunctionName: fn }, value: step(0, values.throttles ?? 0) },
  { namespace: 'AWS/Lambda', metricName: 'Duration', dimensions: { FunctionName: fn }, stat: 'Maximum', value: () => values.durationMax ?? 85 },
  { namespace: 'AWS/Lambda', metricName: 'Invocations', dimensions: { FunctionName: fn }, value: () => 790 },
];

/** An aggregated row of the execution/Lambda message-groups query. */
export function messageRow(message: string, n: number, r1: string, r2: string, first = ONSET, last = new Date('2026-11-25T14:59:58.004Z')): Record<string, string> {
  return { message, n: String(n), firstSeen: insightsTime(new Date(first.getTime() + 11_121)), lastSeen: insightsTime(last), r1, r2 };
}

/** An aggregated row of the access-failures query (columns `f_<field>`). */
export function accessRow(fields: Record<string, string>, n: number, r1: string, r2: string): Record<string, string> {
  const row: Record<string, string> = { n: String(n), firstSeen: insightsTime(new Date(ONSET.getTime() + 11_121)), lastSeen: '2026-11-25 14:59:58.004', r1, r2 };
  for (const [k, v] of Object.entries(fields)) row[`f_${k}`] = v;
  return row;
}

function ordersWorld(v: OrdersVariant): World {
  const handler = lambdaFixture('orders-handler', v.ordersHandler?.timeoutS ?? 10, '2026-11-25T13:58:40.000+0000', policyFor('orders-handler', `arn:aws:execute-api:${REGION}:${ACCOUNT}:a1b2c3d4e5/*/*/orders/*`));
  return {
    region: REGION,
    accountId: ACCOUNT,
    cloudwatchRoleArn: `arn:aws:iam::${ACCOUNT}:role/APIGatewayCloudWatchLogs`,
    restApis: [
      {
        api: { id: 'a1b2c3d4e5', name: 'orders-api', createdDate: new Date('2025-03-02T09:12:44Z'), apiKeySource: 'HEADER', endpointConfiguration: { types: ['REGIONAL'] }, disableExecuteApiEndpoint: false },
        stages: [
          {
            stageName: 'prod',
            deploymentId: 'dep7x1',
            createdDate: new Date('2025-03-02T09:20:00Z'),
            lastUpdatedDate: new Date('2026-11-25T14:00:03Z'),
            methodSettings: { '*/*': { loggingLevel: 'INFO', dataTraceEnabled: false, metricsEnabled: false, throttlingBurstLimit: 5000, throttlingRateLimit: 10000 } },
            accessLogSettings: { destinationArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/apigateway/orders-api-access`, format: ACCESS_FORMAT_JSON },
            variables: {},
            tracingEnabled: false,
          },
          { stageName: 'dev', deploymentId: 'dep7x1', createdDate: new Date('2025-03-02T09:20:00Z'), lastUpdatedDate: new Date('2026-11-20T10:00:00Z'), methodSettings: {}, variables: {} },
        ],
        resources: ordersResources(v.ordersQualifier),
        deployments: [
          { id: 'dep7x1', description: 'orders: return typed body', createdDate: new Date('2026-11-25T14:00:02Z') },
          { id: 'dep6y2', description: 'catalog paging', createdDate: new Date('2026-11-24T16:30:00Z') },
        ],
      },
    ],
    v2Apis: [],
    logGroups: {
      'API-Gateway-Execution-Logs_a1b2c3d4e5/prod': v.execution,
      '/aws/apigateway/orders-api-access': v.access,
      '/aws/lambda/orders-handler': v.lambda ?? [],
    },
    metrics: [...(v.metrics ?? []), ...apiMetrics(v.status5xxPerMinute ?? 21), ...fnMetrics('orders-handler', {}), ...fnMetrics('catalog-handler', {}), ...fnMetrics('users-handler', {})],
    functions: {
      'orders-handler': { ...handler, ...v.ordersHandler, config: { ...handler.config, Timeout: v.ordersHandler?.timeoutS ?? 10 } },
      'catalog-handler': lambdaFixture('catalog-handler', 10, '2026-10-01T08:00:00.000+0000', policyFor('catalog-handler', `arn:aws:execute-api:${REGION}:${ACCOUNT}:a1b2c3d4e5/*/*/*`)),
      'users-handler': lambdaFixture('users-handler', 10, '2026-10-01T08:00:00.000+0000', policyFor('users-handler', `arn:aws:execute-api:${REGION}:${ACCOUNT}:a1b2c3d4e5/*/*/*`)),
    },
    dns: {},
  };
}

const R1 = '3f2a9c1e-5b7d-4e21-9a0c-2d9e8b7c6a51';
const R2 = '91c04d2e-7f3a-4b8c-a1d2-e3f4a5b6c7d8';

export const malformedProxyResponse = (): World =>
  ordersWorld({
    execution: [
      messageRow('Method completed with status: 502', 1198, R1, R2),
      messageRow('Execution failed due to configuration error: Malformed Lambda proxy response', 1198, R1, R2),
      messageRow('Endpoint response body before transformations: {"statusCode":200,"body":{"id":1,"status":"shipped"}}', 1, R1, R1),
    ],
    access: [accessRow({ status: '502', resourcePath: '/orders/{id}', httpMethod: 'GET', integrationErrorMessage: '-', errorMessage: 'Internal server error', responseType: 'DEFAULT_5XX', integrationStatus: '200' }, 1198, R1, R2)],
  });

export const lambdaInvokePermission = (): World => {
  const world = ordersWorld({
    execution: [
      messageRow('Method completed with status: 500', 640, R1, R2),
      messageRow('Execution failed due to configuration error: Invalid permissions on Lambda function', 640, R1, R2),
    ],
    access: [accessRow({ status: '500', resourcePath: '/orders/{id}', httpMethod: 'GET', integrationErrorMessage: '-', errorMessage: 'Internal server error', responseType: 'DEFAULT_5XX', integrationStatus: '-' }, 640, R1, R2)],
  });
  // The function was re-created: its policy names an API that no longer exists.
  const orders = world.functions['orders-handler'];
  if (orders) orders.policy = policyFor('orders-handler', `arn:aws:execute-api:${REGION}:${ACCOUNT}:z9y8x7w6v5/*/GET/orders/*`);
  return world;
};

export const lambdaTimeout = (): World => {
  const world = ordersWorld({
    ordersHandler: { timeoutS: 6 },
    execution: [
      messageRow('Method completed with status: 502', 311, R1, R2),
      messageRow('Lambda execution failed with status 200 due to customer function error: 2026-11-25T14:02:17.004Z 6f1e2d3c-4b5a-4c6d-8e7f-9a0b1c2d3e4f Task timed out after 6.01 seconds', 311, R1, R2),
    ],
    access: [accessRow({ status: '502', resourcePath: '/orders/{id}', httpMethod: 'GET', integrationErrorMessage: '-', errorMessage: 'Internal server error', responseType: 'DEFAULT_5XX', integrationStatus: '200' }, 311, R1, R2)],
    lambda: [messageRow(' Task timed out after 6.01 seconds', 311, '6f1e2d3c-4b5a-4c6d-8e7f-9a0b1c2d3e4f', '0a9b8c7d-6e5f-4a3b-9c1d-2e3f4a5b6c7d')],
    metrics: fnMetrics('orders-handler', { errors: 5, durationMax: 6005 }),
    status5xxPerMinute: 5,
  });
  // Another function behind the API fails too, for its own reason; its lines are not this route's evidence.
  world.logGroups['/aws/lambda/catalog-handler'] = [messageRow('\tERROR\tInvoke Error \t{"errorType":"TypeError","errorMessage":"Cannot read properties of undefined (reading \'sku\')"}', 4, 'c0a1b2c3-d4e5-4f60-8a7b-9c0d1e2f3a4b', 'c0a1b2c3-d4e5-4f60-8a7b-9c0d1e2f3a4c')];
  return world;
};

export const lambdaThrottled = (): World => {
  const world = ordersWorld({
    execution: [
      messageRow('Method completed with status: 500', 2210, R1, R2),
      messageRow('Lambda invocation failed with status: 429. Lambda request id: 5b1f3e1a-7c2d-4e8f-9a0b-1c2d3e4f5a6b', 2210, R1, R2),
    ],
    access: [accessRow({ status: '500', resourcePath: '/orders/{id}', httpMethod: 'GET', integrationErrorMessage: '-', errorMessage: 'Internal server error', responseType: 'DEFAULT_5XX', integrationStatus: '429' }, 2210, R1, R2)],
    metrics: fnMetrics('orders-handler', { throttles: 38 }),
    status5xxPerMinute: 38,
  });
  const orders = world.functions['orders-handler'];
  if (orders) orders.reserved = 0;
  return world;
};

function httpWorld(opts: { apiId: string; name: string; route: string; uri: string; timeoutMs?: number; access?: Record<string, string>[]; accessLogs: boolean; metrics: MetricFixture[]; dns?: World['dns'] }): World {
  const integration: Integration = {
    IntegrationId: 'int7k2m',
    IntegrationType: 'HTTP_PROXY',
    IntegrationMethod: 'ANY',
    IntegrationUri: opts.uri,
    ConnectionType: 'INTERNET',
    PayloadFormatVersion: '1.0',
    TimeoutInMillis: opts.timeoutMs ?? 30000,
  };
  const route: Route = { RouteId: 'rt9q8w7', RouteKey: opts.route, Target: 'integrations/int7k2m', AuthorizationType: 'NONE', ApiKeyRequired: false };
  return {
    region: REGION,
    accountId: ACCOUNT,
    restApis: [],
    v2Apis: [
      {
        api: { ApiId: opts.apiId, Name: opts.name, ProtocolType: 'HTTP', ApiEndpoint: `https://${opts.apiId}.execute-api.${REGION}.amazonaws.com`, RouteSelectionExpression: '$request.method $request.path', CreatedDate: new Date('2025-06-01T12:00:00Z') },
        stages: [
          {
            StageName: '$default',
            AutoDeploy: true,
            DeploymentId: 'd3p4l5',
            CreatedDate: new Date('2025-06-01T12:00:00Z'),
            LastUpdatedDate: new Date('2026-11-20T08:00:00Z'),
            DefaultRouteSettings: { DetailedMetricsEnabled: false },
            RouteSettings: {},
            StageVariables: {},
            ...(opts.accessLogs ? { AccessLogSettings: { DestinationArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/http-api/${opts.name}`, Format: HTTP_ACCESS_FORMAT_JSON } } : {}),
          },
        ],
        routes: [route],
        integrations: [integration],
        deployments: [{ DeploymentId: 'd3p4l5', CreatedDate: new Date('2026-11-20T08:00:00Z'), Description: 'Automatic deployment triggered by changes to the Api configuration' }],
      },
    ],
    logGroups: opts.accessLogs ? { [`/aws/http-api/${opts.name}`]: opts.access ?? [] } : {},
    metrics: opts.metrics,
    functions: {},
    dns: opts.dns ?? {},
  };
}

const httpMetrics = (apiId: string, perMinute: number, integrationLatencyMax: number): MetricFixture[] => [
  { namespace: 'AWS/ApiGateway', metricName: '5xx', dimensions: { ApiId: apiId, Stage: '$default' }, value: step(0, perMinute) },
  { namespace: 'AWS/ApiGateway', metricName: '4xx', dimensions: { ApiId: apiId, Stage: '$default' }, value: () => 1 },
  { namespace: 'AWS/ApiGateway', metricName: 'Count', dimensions: { ApiId: apiId, Stage: '$default' }, value: () => 120 },
  { namespace: 'AWS/ApiGateway', metricName: 'Latency', dimensions: { ApiId: apiId, Stage: '$default' }, value: () => 900 },
  { namespace: 'AWS/ApiGateway', metricName: 'IntegrationLatency', dimensions: { ApiId: apiId, Stage: '$default' }, stat: 'p99', value: () => Math.min(integrationLatencyMax, 2000) },
  { namespace: 'AWS/ApiGateway', metricName: 'IntegrationLatency', dimensions: { ApiId: apiId, Stage: '$default' }, stat: 'Maximum', value: step(800, integrationLatencyMax) },
];

export const httpIntegrationTimeout = (): World =>
  httpWorld({
    apiId: 'p4y5m6n7t8',
    name: 'payments-http',
    route: 'POST /payments',
    uri: 'https://payments.internal.example.com/charge',
    accessLogs: true,
    access: [accessRow({ status: '503', routeKey: 'POST /payments', integrationErrorMessage: '-', errorMessage: 'Service Unavailable' }, 96, 'AbCdEfGhIjKlMnO=', 'PqRsTuVwXyZaBcD=')],
    metrics: httpMetrics('p4y5m6n7t8', 2, 30000),
    dns: { 'payments.internal.example.com': { ipv4: ['203.0.113.10'], ipv6: [] } },
  });

export const ipv6OnlyBackend = (): World =>
  httpWorld({
    apiId: 'g3e4o5h6t7',
    name: 'geo-http',
    route: 'GET /geo/{ip}',
    uri: 'https://geo.v6only.example.net/lookup',
    accessLogs: true,
    access: [accessRow({ status: '500', routeKey: 'GET /geo/{ip}', integrationErrorMessage: '-', errorMessage: 'Internal Server Error' }, 412, 'QwErTyUiOpAsDfG=', 'ZxCvBnMlKjHgFdS=')],
    metrics: httpMetrics('g3e4o5h6t7', 7, 40),
    dns: { 'geo.v6only.example.net': { ipv4: [], ipv6: ['2001:db8::10'] } },
  });

export const httpNoLogging = (): World =>
  httpWorld({
    apiId: 'l3g4c5y6h7',
    name: 'legacy-http',
    route: 'ANY /{proxy+}',
    uri: 'https://legacy.example.com/{proxy}',
    accessLogs: false,
    metrics: httpMetrics('l3g4c5y6h7', 4, 300),
    dns: { 'legacy.example.com': { ipv4: ['198.51.100.7'], ipv6: [] } },
  });

/** GET /orders/{id} invokes orders-handler:live, a weighted alias sending 10% to a version that throws. */
export const canaryAliasFunctionError = (): World => {
  const world = ordersWorld({
    ordersQualifier: 'live',
    execution: [
      messageRow('Method completed with status: 502', 84, R1, R2),
      messageRow("Lambda execution failed with status 200 due to customer function error: Cannot read properties of undefined (reading 'total'). Lambda request id: 7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d", 84, R1, R2),
    ],
    access: [accessRow({ status: '502', resourcePath: '/orders/{id}', httpMethod: 'GET', integrationErrorMessage: '-', errorMessage: 'Internal server error', responseType: 'DEFAULT_5XX', integrationStatus: '200' }, 84, R1, R2)],
    metrics: fnMetrics('orders-handler', { errors: 2 }),
    status5xxPerMinute: 2,
  });
  const orders = world.functions['orders-handler'];
  if (orders) {
    orders.aliases = { live: '7' };
    orders.aliasWeights = { live: { '8': 0.1 } };
    orders.policy = policyFor('orders-handler', `arn:aws:execute-api:${REGION}:${ACCOUNT}:a1b2c3d4e5/*/GET/orders/*`);
  }
  return world;
};

/**
 * The malformed proxy response on a stage with execution logs at INFO but no access logs: which method
 * fails comes from the "HTTP Method:" lines of the failing requests.
 */
export const malformedWithoutAccessLogs = (): World => {
  const world = malformedProxyResponse();
  const stage = world.restApis[0]?.stages[0];
  if (stage) delete stage.accessLogSettings;
  const groups = world.logGroups;
  const messageGroups = groups['API-Gateway-Execution-Logs_a1b2c3d4e5/prod'];
  groups['API-Gateway-Execution-Logs_a1b2c3d4e5/prod'] = (query: string) =>
    query.includes('HTTP Method: ')
      ? [
          { '@timestamp': '2026-11-25 14:02:11.100', '@message': `(${R1}) HTTP Method: GET, Resource Path: /orders/17` },
          { '@timestamp': '2026-11-25 14:59:58.000', '@message': `(${R2}) HTTP Method: GET, Resource Path: /orders/4411` },
        ]
      : typeof messageGroups === 'function'
        ? messageGroups(query)
        : (messageGroups ?? []);
  delete groups['/aws/apigateway/orders-api-access'];
  return world;
};
