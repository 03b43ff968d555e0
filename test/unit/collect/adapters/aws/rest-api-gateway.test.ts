import {
  APIGatewayClient,
  GetAccountCommand,
  GetAuthorizersCommand,
  GetBasePathMappingsCommand,
  GetDeploymentsCommand,
  GetIntegrationCommand,
  GetMethodCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  GetRestApisCommand,
  GetStagesCommand,
  NotFoundException,
} from '@aws-sdk/client-api-gateway';
import type { Resource } from '@aws-sdk/client-api-gateway';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { AwsRestApiGateway } from '../../../../../src/collect/adapters/aws/rest-api-gateway';
import { AwsCallError } from '../../../../../src/collect/call-aws';
import type { CallPolicy, CallRecord } from '../../../../../src/collect/call-aws';

const API_ID = 'a1b2c3d4e5';
const ORDERS_FN = 'arn:aws:lambda:us-east-1:123456789012:function:orders-handler';
const ORDERS_URI = `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${ORDERS_FN}/invocations`;
const AUTH_URI = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:token-authorizer/invocations';

const gw = mockClient(APIGatewayClient);
let calls: CallRecord[];

function adapter(): AwsRestApiGateway {
  const policy: CallPolicy = {
    region: 'us-east-1',
    accountId: '123456789012',
    // Backoff is instant so retries do not slow the suite.
    sleep: () => Promise.resolve(),
    onCall: (record) => calls.push(record),
  };
  return new AwsRestApiGateway(new APIGatewayClient({ region: 'us-east-1' }), policy);
}

/** An error as the SDK surfaces a service exception that is not modelled (its `name` is the error code). */
function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

function notFound(message: string): NotFoundException {
  return new NotFoundException({ message, $metadata: { httpStatusCode: 404, requestId: '6f1c2a55-8e0b-4d3a-9a51-0d2b8e4f7c11' } });
}

beforeEach(() => {
  calls = [];
  gw.reset();
  gw.onAnyCommand().rejects(new Error('unmocked call'));
});

describe('AwsRestApiGateway.getApi', () => {
  it('maps the REST API', async () => {
    gw.on(GetRestApiCommand, { restApiId: API_ID }).resolves({
      id: API_ID,
      name: 'orders-api',
      description: 'Orders service',
      createdDate: new Date('2024-03-11T09:12:44.000Z'),
      apiKeySource: 'HEADER',
      binaryMediaTypes: ['application/pdf', 'image/png'],
      endpointConfiguration: { types: ['REGIONAL'], ipAddressType: 'ipv4' },
      disableExecuteApiEndpoint: false,
      rootResourceId: 'r00t1d2e3f',
    });

    const api = await adapter().getApi(API_ID);

    expect(api).toEqual({
      apiId: API_ID,
      name: 'orders-api',
      apiType: 'REST',
      binaryMediaTypes: ['application/pdf', 'image/png'],
      endpointType: 'REGIONAL',
      createdDate: '2024-03-11T09:12:44.000Z',
    });
  });

  it('answers null for an API this family does not have', async () => {
    gw.on(GetRestApiCommand, { restApiId: 'zz9yy8xx7w' }).rejects(notFound('Invalid API identifier specified 123456789012:zz9yy8xx7w'));

    await expect(adapter().getApi('zz9yy8xx7w')).resolves.toBeNull();
    expect(gw).toHaveReceivedCommandTimes(GetRestApiCommand, 1);
  });

  it('rethrows other failures as AwsCallError', async () => {
    gw.on(GetRestApiCommand).rejects(awsError('BadRequestException', 'Invalid REST API identifier'));

    await expect(adapter().getApi('bad id')).rejects.toBeInstanceOf(AwsCallError);
  });
});

describe('AwsRestApiGateway.listApis', () => {
  it('follows position over two pages with limit 500', async () => {
    gw.on(GetRestApisCommand).resolves({
      items: [{ id: API_ID, name: 'orders-api', createdDate: new Date('2024-03-11T09:12:44.000Z'), endpointConfiguration: { types: ['REGIONAL'] } }],
      position: 'a1b2c3d4e5',
    });
    gw.on(GetRestApisCommand, { position: 'a1b2c3d4e5' }).resolves({
      items: [{ id: 'f6g7h8i9j0', name: 'billing-api', createdDate: new Date('2023-11-02T16:40:05.000Z'), endpointConfiguration: { types: ['EDGE'] } }],
    });

    const apis = await adapter().listApis();

    expect(apis.map((a) => [a.apiId, a.name, a.endpointType])).toEqual([
      [API_ID, 'orders-api', 'REGIONAL'],
      ['f6g7h8i9j0', 'billing-api', 'EDGE'],
    ]);
    const inputs = gw.commandCalls(GetRestApisCommand).map((c) => c.args[0].input);
    expect(inputs).toEqual([{ limit: 500 }, { limit: 500, position: 'a1b2c3d4e5' }]);
    expect(inputs[0]).not.toHaveProperty('position', expect.anything());
  });
});

describe('AwsRestApiGateway.getStages', () => {
  it('maps method settings, access logs, variables and dates', async () => {
    gw.on(GetStagesCommand, { restApiId: API_ID }).resolves({
      item: [
        {
          deploymentId: 'k7m2p9',
          stageName: 'prod',
          cacheClusterEnabled: false,
          cacheClusterStatus: 'NOT_AVAILABLE',
          methodSettings: {
            '*/*': {
              metricsEnabled: true,
              loggingLevel: 'ERROR',
              dataTraceEnabled: false,
              throttlingBurstLimit: 5000,
              throttlingRateLimit: 10000,
              cachingEnabled: false,
              cacheTtlInSeconds: 300,
              cacheDataEncrypted: false,
              requireAuthorizationForCacheControl: true,
              unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
            },
            'orders/{id}/GET': { metricsEnabled: false, loggingLevel: 'INFO', dataTraceEnabled: true, throttlingBurstLimit: 100, throttlingRateLimit: 50 },
          },
          variables: { lambdaAlias: 'live' },
          accessLogSettings: {
            format: '{"requestId":"$context.requestId","status":"$context.status","integrationError":"$context.integration.error"}',
            destinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:API-Gateway-Access-Logs_a1b2c3d4e5/prod',
          },
          tracingEnabled: true,
          createdDate: new Date('2024-03-11T09:20:00.000Z'),
          lastUpdatedDate: new Date('2024-06-01T13:05:27.000Z'),
        },
        {
          deploymentId: 'q3r5t8',
          stageName: 'dev',
          cacheClusterEnabled: false,
          cacheClusterStatus: 'NOT_AVAILABLE',
          methodSettings: {},
          tracingEnabled: false,
          createdDate: new Date('2024-03-11T09:15:00.000Z'),
          lastUpdatedDate: new Date('2024-03-11T09:15:00.000Z'),
        },
      ],
    });

    const [prod, dev] = await adapter().getStages(API_ID);

    expect(prod).toEqual({
      name: 'prod',
      deploymentId: 'k7m2p9',
      createdDate: '2024-03-11T09:20:00.000Z',
      lastUpdatedDate: '2024-06-01T13:05:27.000Z',
      variables: { lambdaAlias: 'live' },
      accessLog: {
        destinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:API-Gateway-Access-Logs_a1b2c3d4e5/prod',
        format: '{"requestId":"$context.requestId","status":"$context.status","integrationError":"$context.integration.error"}',
      },
      methodSettings: {
        '*/*': { loggingLevel: 'ERROR', dataTraceEnabled: false, metricsEnabled: true, throttlingBurstLimit: 5000, throttlingRateLimit: 10000 },
        'orders/{id}/GET': { loggingLevel: 'INFO', dataTraceEnabled: true, metricsEnabled: false, throttlingBurstLimit: 100, throttlingRateLimit: 50 },
      },
      tracingEnabled: true,
    });
    // Cache settings are not part of MethodSetting.
    expect(prod?.methodSettings['*/*']).not.toHaveProperty('cachingEnabled');
    expect(dev).toMatchObject({ name: 'dev', variables: {}, methodSettings: {}, accessLog: undefined });
  });

  it('ignores access log settings without a destination', async () => {
    gw.on(GetStagesCommand, { restApiId: API_ID }).resolves({
      item: [{ stageName: 'prod', deploymentId: 'k7m2p9', accessLogSettings: { format: '$context.requestId' }, methodSettings: {} }],
    });

    const [prod] = await adapter().getStages(API_ID);

    expect(prod?.accessLog).toBeUndefined();
  });

  it('retries throttling, then succeeds', async () => {
    gw.on(GetStagesCommand, { restApiId: API_ID })
      .rejectsOnce(Object.assign(new Error('Too Many Requests'), { name: 'TooManyRequestsException' }))
      .resolves({ item: [{ stageName: 'prod', deploymentId: 'k7m2p9', methodSettings: {} }] });

    const stages = await adapter().getStages(API_ID);

    expect(stages.map((s) => s.name)).toEqual(['prod']);
    expect(gw).toHaveReceivedCommandTimes(GetStagesCommand, 2);
    expect(calls).toEqual([expect.objectContaining({ service: 'apigateway', command: 'GetStagesCommand', attempts: 2, ok: true })]);
  });

  it.each([
    [
      'AccessDeniedException',
      'User: arn:aws:sts::123456789012:assumed-role/apigw-doctor-readonly/investigation is not authorized to perform: apigateway:GET on resource: arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages',
    ],
    ['UnauthorizedException', 'The security token included in the request is invalid'],
  ])('turns %s into an access-denied AwsCallError naming the IAM need, without retrying', async (name, message) => {
    gw.on(GetStagesCommand, { restApiId: API_ID }).rejects(awsError(name, message));

    const error: unknown = await adapter()
      .getStages(API_ID)
      .then(
        () => undefined,
        (e: unknown) => e,
      );

    expect(error).toBeInstanceOf(AwsCallError);
    expect(error).toMatchObject({
      kind: 'access-denied',
      errorName: name,
      need: { action: 'apigateway:GET', resource: 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages' },
    });
    expect(gw).toHaveReceivedCommandTimes(GetStagesCommand, 1);
  });
});

describe('AwsRestApiGateway.getRoutes', () => {
  const root: Resource = { id: 'r00t1d2e3f', path: '/' };
  const orders: Resource = {
    id: 'x1y2z3',
    parentId: 'r00t1d2e3f',
    pathPart: 'orders',
    path: '/orders',
    resourceMethods: {
      GET: {
        httpMethod: 'GET',
        authorizationType: 'CUSTOM',
        authorizerId: 'au7h0r',
        apiKeyRequired: false,
        methodResponses: { '200': { statusCode: '200' } },
        methodIntegration: {
          type: 'AWS_PROXY',
          httpMethod: 'POST',
          uri: ORDERS_URI,
          passthroughBehavior: 'WHEN_NO_MATCH',
          contentHandling: 'CONVERT_TO_TEXT',
          timeoutInMillis: 29000,
          cacheNamespace: 'x1y2z3',
          cacheKeyParameters: [],
        },
      },
      OPTIONS: {
        httpMethod: 'OPTIONS',
        authorizationType: 'NONE',
        apiKeyRequired: false,
        methodResponses: { '200': { statusCode: '200' } },
        methodIntegration: {
          type: 'MOCK',
          requestTemplates: { 'application/json': '{"statusCode": 200}' },
          passthroughBehavior: 'WHEN_NO_MATCH',
          timeoutInMillis: 29000,
          cacheNamespace: 'x1y2z3',
          cacheKeyParameters: [],
          integrationResponses: {
            '200': {
              statusCode: '200',
              responseParameters: { 'method.response.header.Access-Control-Allow-Origin': "'*'" },
              // API Gateway reports a content type without a template as null.
              responseTemplates: { 'application/json': null as unknown as string },
            },
          },
        },
      },
    },
  };
  const orderById: Resource = {
    id: 'p9q8r7',
    parentId: 'x1y2z3',
    pathPart: '{id}',
    path: '/orders/{id}',
    resourceMethods: {
      GET: {
        httpMethod: 'GET',
        authorizationType: 'AWS_IAM',
        apiKeyRequired: false,
        methodIntegration: {
          type: 'AWS',
          httpMethod: 'POST',
          uri: ORDERS_URI,
          credentials: 'arn:aws:iam::123456789012:role/orders-api-invoke',
          requestTemplates: { 'application/json': '{"orderId": "$input.params(\'id\')"}' },
          passthroughBehavior: 'WHEN_NO_TEMPLATES',
          timeoutInMillis: 10000,
          cacheNamespace: 'p9q8r7',
          cacheKeyParameters: [],
          integrationResponses: {
            '200': { statusCode: '200', responseTemplates: { 'application/json': '$input.json(\'$.body\')' } },
            '500': { statusCode: '500', selectionPattern: '.*"errorType".*', contentHandling: 'CONVERT_TO_TEXT' },
          },
        },
      },
      // Embedded without its integration: the one method the adapter must read on its own.
      DELETE: { httpMethod: 'DELETE', authorizationType: 'AWS_IAM', apiKeyRequired: false },
    },
  };

  it('reads resources with embed=methods over two pages and falls back to GetIntegration once', async () => {
    gw.on(GetResourcesCommand, { restApiId: API_ID }).resolves({ items: [root, orders], position: 'x1y2z3' });
    gw.on(GetResourcesCommand, { restApiId: API_ID, position: 'x1y2z3' }).resolves({ items: [orderById] });
    gw.on(GetIntegrationCommand, { restApiId: API_ID, resourceId: 'p9q8r7', httpMethod: 'DELETE' }).resolves({
      type: 'HTTP_PROXY',
      httpMethod: 'DELETE',
      uri: 'https://orders.internal.example.com/orders/{id}',
      connectionType: 'VPC_LINK',
      connectionId: 'vl4k2j',
      passthroughBehavior: 'WHEN_NO_MATCH',
      timeoutInMillis: 29000,
      cacheNamespace: 'p9q8r7',
      cacheKeyParameters: [],
    });

    const routes = await adapter().getRoutes(API_ID);

    const inputs = gw.commandCalls(GetResourcesCommand).map((c) => c.args[0].input);
    expect(inputs).toEqual([
      { restApiId: API_ID, embed: ['methods'], limit: 500 },
      { restApiId: API_ID, embed: ['methods'], limit: 500, position: 'x1y2z3' },
    ]);
    expect(gw).toHaveReceivedCommandTimes(GetIntegrationCommand, 1);
    expect(gw).toHaveReceivedCommandWith(GetIntegrationCommand, { restApiId: API_ID, resourceId: 'p9q8r7', httpMethod: 'DELETE' });
    expect(gw).not.toHaveReceivedCommand(GetMethodCommand);

    expect(routes.map((r) => r.routeKey)).toEqual(['GET /orders', 'OPTIONS /orders', 'GET /orders/{id}', 'DELETE /orders/{id}']);
    expect(routes[0]).toEqual({
      routeKey: 'GET /orders',
      resourceId: 'x1y2z3',
      resourcePath: '/orders',
      httpMethod: 'GET',
      authorizationType: 'CUSTOM',
      authorizerId: 'au7h0r',
      integration: {
        type: 'AWS_PROXY',
        httpMethod: 'POST',
        uri: ORDERS_URI,
        timeoutMs: 29000,
        contentHandling: 'CONVERT_TO_TEXT',
        hasRequestTemplates: false,
        responses: [],
      },
    });
    expect(routes[1]?.integration).toMatchObject({
      type: 'MOCK',
      hasRequestTemplates: true,
      responses: [{ statusCode: '200', hasTemplates: false }],
    });
    expect(routes[2]?.integration).toEqual({
      type: 'AWS',
      httpMethod: 'POST',
      uri: ORDERS_URI,
      timeoutMs: 10000,
      credentials: 'arn:aws:iam::123456789012:role/orders-api-invoke',
      hasRequestTemplates: true,
      responses: [
        { statusCode: '200', hasTemplates: true },
        { statusCode: '500', selectionPattern: '.*"errorType".*', contentHandling: 'CONVERT_TO_TEXT', hasTemplates: false },
      ],
    });
    expect(routes[3]?.integration).toMatchObject({
      type: 'HTTP_PROXY',
      httpMethod: 'DELETE',
      uri: 'https://orders.internal.example.com/orders/{id}',
      connectionType: 'VPC_LINK',
      connectionId: 'vl4k2j',
    });
  });

  it('leaves a method whose GetIntegration is not found without integration', async () => {
    gw.on(GetResourcesCommand, { restApiId: API_ID }).resolves({
      items: [{ id: 'k4l5m6', path: '/legacy', resourceMethods: { POST: { httpMethod: 'POST', authorizationType: 'NONE', apiKeyRequired: false } } }],
    });
    gw.on(GetIntegrationCommand, { restApiId: API_ID, resourceId: 'k4l5m6', httpMethod: 'POST' }).rejects(notFound('No integration defined for method'));

    const routes = await adapter().getRoutes(API_ID);

    expect(routes).toEqual([{ routeKey: 'POST /legacy', resourceId: 'k4l5m6', resourcePath: '/legacy', httpMethod: 'POST', authorizationType: 'NONE' }]);
    expect(routes[0]?.integration).toBeUndefined();
    expect(gw).toHaveReceivedCommandTimes(GetIntegrationCommand, 1);
  });
});

describe('AwsRestApiGateway.getAuthorizers', () => {
  it('maps authorizers over two pages', async () => {
    gw.on(GetAuthorizersCommand, { restApiId: API_ID }).resolves({
      items: [
        {
          id: 'au7h0r',
          name: 'token-authorizer',
          type: 'TOKEN',
          authType: 'custom',
          authorizerUri: AUTH_URI,
          authorizerCredentials: 'arn:aws:iam::123456789012:role/apigw-authorizer-invoke',
          identitySource: 'method.request.header.Authorization',
          authorizerResultTtlInSeconds: 300,
        },
      ],
      position: 'au7h0r',
    });
    gw.on(GetAuthorizersCommand, { restApiId: API_ID, position: 'au7h0r' }).resolves({
      items: [
        {
          id: 'c0gn1t',
          name: 'user-pool',
          type: 'COGNITO_USER_POOLS',
          providerARNs: ['arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEfGhI'],
          identitySource: 'method.request.header.Authorization',
        },
      ],
    });

    const authorizers = await adapter().getAuthorizers(API_ID);

    expect(authorizers).toEqual([
      { id: 'au7h0r', name: 'token-authorizer', type: 'TOKEN', uri: AUTH_URI, credentials: 'arn:aws:iam::123456789012:role/apigw-authorizer-invoke' },
      { id: 'c0gn1t', name: 'user-pool', type: 'COGNITO_USER_POOLS' },
    ]);
    expect(gw).toHaveReceivedNthCommandWith(1, GetAuthorizersCommand, { restApiId: API_ID, limit: 500 });
    expect(gw).toHaveReceivedNthCommandWith(2, GetAuthorizersCommand, { restApiId: API_ID, limit: 500, position: 'au7h0r' });
  });
});

describe('AwsRestApiGateway.getDeployments', () => {
  it('returns every page, newest first', async () => {
    gw.on(GetDeploymentsCommand, { restApiId: API_ID }).resolves({
      items: [
        { id: 'q3r5t8', description: 'initial', createdDate: new Date('2024-03-11T09:15:00.000Z') },
        { id: 'k7m2p9', description: 'add DELETE /orders/{id}', createdDate: new Date('2024-06-01T13:05:00.000Z') },
      ],
      position: 'k7m2p9',
    });
    gw.on(GetDeploymentsCommand, { restApiId: API_ID, position: 'k7m2p9' }).resolves({
      items: [{ id: 'w8e2n4', createdDate: new Date('2024-04-20T22:41:13.000Z') }],
    });

    const deployments = await adapter().getDeployments(API_ID);

    expect(deployments).toEqual([
      { id: 'k7m2p9', createdDate: '2024-06-01T13:05:00.000Z', description: 'add DELETE /orders/{id}' },
      { id: 'w8e2n4', createdDate: '2024-04-20T22:41:13.000Z' },
      { id: 'q3r5t8', createdDate: '2024-03-11T09:15:00.000Z', description: 'initial' },
    ]);
    expect(gw).toHaveReceivedNthCommandWith(1, GetDeploymentsCommand, { restApiId: API_ID, limit: 500 });
    expect(gw).toHaveReceivedNthCommandWith(2, GetDeploymentsCommand, { restApiId: API_ID, limit: 500, position: 'k7m2p9' });
  });
});

describe('AwsRestApiGateway.getDomainMappings', () => {
  it('maps base paths, the root (none) as empty', async () => {
    gw.on(GetBasePathMappingsCommand, { domainName: 'api.example.com' }).resolves({
      items: [
        { basePath: '(none)', restApiId: API_ID, stage: 'prod' },
        { basePath: 'billing', restApiId: 'f6g7h8i9j0', stage: 'live' },
      ],
    });

    const mappings = await adapter().getDomainMappings('api.example.com');

    expect(mappings).toEqual([
      { domain: 'api.example.com', basePath: '', apiId: API_ID, stage: 'prod' },
      { domain: 'api.example.com', basePath: 'billing', apiId: 'f6g7h8i9j0', stage: 'live' },
    ]);
    expect(gw).toHaveReceivedCommandWith(GetBasePathMappingsCommand, { domainName: 'api.example.com', limit: 500 });
  });

  it('answers null for an unknown domain', async () => {
    gw.on(GetBasePathMappingsCommand, { domainName: 'nope.example.com' }).rejects(notFound('Invalid domain name identifier specified'));

    await expect(adapter().getDomainMappings('nope.example.com')).resolves.toBeNull();
  });
});

describe('AwsRestApiGateway.getAccount', () => {
  it('maps the CloudWatch role and the account throttle', async () => {
    gw.on(GetAccountCommand).resolves({
      cloudwatchRoleArn: 'arn:aws:iam::123456789012:role/APIGatewayCloudWatchLogsRole',
      throttleSettings: { burstLimit: 5000, rateLimit: 10000 },
      features: ['UsagePlans'],
      apiKeyVersion: '4',
    });

    await expect(adapter().getAccount()).resolves.toEqual({
      cloudwatchRoleArn: 'arn:aws:iam::123456789012:role/APIGatewayCloudWatchLogsRole',
      throttleRateLimit: 10000,
      throttleBurstLimit: 5000,
    });
  });

  it('reports a missing CloudWatch role as undefined', async () => {
    gw.on(GetAccountCommand).resolves({ throttleSettings: { burstLimit: 5000, rateLimit: 10000 }, features: ['UsagePlans'], apiKeyVersion: '4' });

    const account = await adapter().getAccount();

    expect(account.cloudwatchRoleArn).toBeUndefined();
  });
});

it('the family is v1', () => {
  expect(adapter().family).toBe('v1');
});
