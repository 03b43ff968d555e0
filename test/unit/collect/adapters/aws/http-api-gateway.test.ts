import {
  ApiGatewayV2Client,
  GetApiCommand,
  GetApiMappingsCommand,
  GetApisCommand,
  GetAuthorizersCommand,
  GetDeploymentsCommand,
  GetIntegrationResponsesCommand,
  GetIntegrationsCommand,
  GetRoutesCommand,
  GetStagesCommand,
  NotFoundException,
} from '@aws-sdk/client-apigatewayv2';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { AwsHttpApiGateway } from '../../../../../src/collect/adapters/aws/http-api-gateway';
import { AwsCallError } from '../../../../../src/collect/call-aws';
import type { CallPolicy, CallRecord } from '../../../../../src/collect/call-aws';

const API_ID = 'h7t8p9q0r1';
const WS_ID = 'w5s6k7t8u9';
const ORDERS_FN = 'arn:aws:lambda:us-east-1:123456789012:function:orders-handler';
const CHAT_FN = 'arn:aws:lambda:us-east-1:123456789012:function:chat-handler';
const CHAT_URI = `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${CHAT_FN}/invocations`;
const AUTH_URI = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:request-authorizer/invocations';

const gw = mockClient(ApiGatewayV2Client);
let calls: CallRecord[];

function adapter(): AwsHttpApiGateway {
  const policy: CallPolicy = {
    region: 'us-east-1',
    accountId: '123456789012',
    // Backoff is instant so retries do not slow the suite.
    sleep: () => Promise.resolve(),
    onCall: (record) => calls.push(record),
  };
  return new AwsHttpApiGateway(new ApiGatewayV2Client({ region: 'us-east-1' }), policy);
}

/** An error as the SDK surfaces a service exception that is not modelled (its `name` is the error code). */
function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

function notFound(message: string): NotFoundException {
  return new NotFoundException({ message, ResourceType: 'Api', $metadata: { httpStatusCode: 404, requestId: '0b6f2d7e-3c41-4a8e-b9d2-6e5f1a7c8d90' } });
}

beforeEach(() => {
  calls = [];
  gw.reset();
  gw.onAnyCommand().rejects(new Error('unmocked call'));
});

describe('AwsHttpApiGateway.getApi', () => {
  it('maps an HTTP API', async () => {
    gw.on(GetApiCommand, { ApiId: API_ID }).resolves({
      ApiId: API_ID,
      Name: 'orders-http',
      ProtocolType: 'HTTP',
      ApiEndpoint: `https://${API_ID}.execute-api.us-east-1.amazonaws.com`,
      ApiKeySelectionExpression: '$request.header.x-api-key',
      RouteSelectionExpression: '$request.method $request.path',
      CreatedDate: new Date('2024-05-02T08:30:11.000Z'),
      DisableExecuteApiEndpoint: false,
      IpAddressType: 'ipv4',
      Tags: {},
    });

    await expect(adapter().getApi(API_ID)).resolves.toEqual({
      apiId: API_ID,
      name: 'orders-http',
      apiType: 'HTTP',
      endpoint: `https://${API_ID}.execute-api.us-east-1.amazonaws.com`,
      createdDate: '2024-05-02T08:30:11.000Z',
    });
  });

  it('answers null for an API this family does not have', async () => {
    gw.on(GetApiCommand, { ApiId: 'a1b2c3d4e5' }).rejects(notFound('Invalid API identifier specified 123456789012:a1b2c3d4e5'));

    await expect(adapter().getApi('a1b2c3d4e5')).resolves.toBeNull();
    expect(gw).toHaveReceivedCommandTimes(GetApiCommand, 1);
  });
});

describe('AwsHttpApiGateway.listApis', () => {
  it('follows NextToken with MaxResults as a string, and tells HTTP from WebSocket', async () => {
    gw.on(GetApisCommand).resolves({
      Items: [
        {
          ApiId: API_ID,
          Name: 'orders-http',
          ProtocolType: 'HTTP',
          ApiEndpoint: `https://${API_ID}.execute-api.us-east-1.amazonaws.com`,
          RouteSelectionExpression: '$request.method $request.path',
          CreatedDate: new Date('2024-05-02T08:30:11.000Z'),
        },
      ],
      NextToken: 'eyJFeGNsdXNpdmVTdGFydEtleSI6eyJwIjp7IlMiOiJhcGlzIn19fQ==',
    });
    gw.on(GetApisCommand, { NextToken: 'eyJFeGNsdXNpdmVTdGFydEtleSI6eyJwIjp7IlMiOiJhcGlzIn19fQ==' }).resolves({
      Items: [
        {
          ApiId: WS_ID,
          Name: 'chat',
          ProtocolType: 'WEBSOCKET',
          ApiEndpoint: `wss://${WS_ID}.execute-api.us-east-1.amazonaws.com`,
          RouteSelectionExpression: '$request.body.action',
          CreatedDate: new Date('2023-12-14T19:02:55.000Z'),
        },
      ],
    });

    const apis = await adapter().listApis();

    expect(apis.map((a) => [a.apiId, a.apiType, a.endpoint])).toEqual([
      [API_ID, 'HTTP', `https://${API_ID}.execute-api.us-east-1.amazonaws.com`],
      [WS_ID, 'WEBSOCKET', `wss://${WS_ID}.execute-api.us-east-1.amazonaws.com`],
    ]);
    const inputs = gw.commandCalls(GetApisCommand).map((c) => c.args[0].input);
    expect(inputs).toEqual([{ MaxResults: '500' }, { MaxResults: '500', NextToken: 'eyJFeGNsdXNpdmVTdGFydEtleSI6eyJwIjp7IlMiOiJhcGlzIn19fQ==' }]);
  });
});

describe('AwsHttpApiGateway.getStages', () => {
  it('maps DefaultRouteSettings to */* and RouteSettings by route key', async () => {
    gw.on(GetStagesCommand, { ApiId: WS_ID }).resolves({
      Items: [
        {
          StageName: 'production',
          DeploymentId: 'dp1x2y',
          AutoDeploy: false,
          CreatedDate: new Date('2023-12-14T19:10:00.000Z'),
          LastUpdatedDate: new Date('2024-02-08T07:45:31.000Z'),
          DefaultRouteSettings: { DataTraceEnabled: false, DetailedMetricsEnabled: true, LoggingLevel: 'ERROR', ThrottlingBurstLimit: 500, ThrottlingRateLimit: 1000 },
          RouteSettings: { sendMessage: { DataTraceEnabled: true, DetailedMetricsEnabled: false, LoggingLevel: 'INFO', ThrottlingBurstLimit: 50, ThrottlingRateLimit: 100 } },
          AccessLogSettings: {
            DestinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/apigateway/chat-access',
            Format: '{"requestId":"$context.requestId","eventType":"$context.eventType","status":"$context.status"}',
          },
          StageVariables: { tableName: 'chat-connections' },
          Tags: {},
        },
      ],
    });

    const [stage] = await adapter().getStages(WS_ID);

    expect(stage).toEqual({
      name: 'production',
      deploymentId: 'dp1x2y',
      createdDate: '2023-12-14T19:10:00.000Z',
      lastUpdatedDate: '2024-02-08T07:45:31.000Z',
      variables: { tableName: 'chat-connections' },
      accessLog: {
        destinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/apigateway/chat-access',
        format: '{"requestId":"$context.requestId","eventType":"$context.eventType","status":"$context.status"}',
      },
      methodSettings: {
        '*/*': { loggingLevel: 'ERROR', dataTraceEnabled: false, metricsEnabled: true, throttlingBurstLimit: 500, throttlingRateLimit: 1000 },
        sendMessage: { loggingLevel: 'INFO', dataTraceEnabled: true, metricsEnabled: false, throttlingBurstLimit: 50, throttlingRateLimit: 100 },
      },
      autoDeploy: false,
    });
  });

  it('maps an auto-deployed HTTP stage with a failed deployment, over two pages', async () => {
    gw.on(GetStagesCommand, { ApiId: API_ID }).resolves({
      Items: [
        {
          StageName: '$default',
          AutoDeploy: true,
          DeploymentId: 'ab12cd',
          LastDeploymentStatusMessage: 'Deployment failed: Integration target is not valid for route GET /orders',
          CreatedDate: new Date('2024-05-02T08:30:12.000Z'),
          LastUpdatedDate: new Date('2024-05-02T08:30:12.000Z'),
          DefaultRouteSettings: { DetailedMetricsEnabled: false },
          RouteSettings: {},
          StageVariables: {},
        },
      ],
      NextToken: 'c3RhZ2VzLXBhZ2UtMg==',
    });
    gw.on(GetStagesCommand, { ApiId: API_ID, NextToken: 'c3RhZ2VzLXBhZ2UtMg==' }).resolves({
      Items: [{ StageName: 'staging', AutoDeploy: false, DeploymentId: 'ef34gh', RouteSettings: {} }],
    });

    const stages = await adapter().getStages(API_ID);

    expect(stages.map((s) => s.name)).toEqual(['$default', 'staging']);
    expect(stages[0]).toMatchObject({
      autoDeploy: true,
      lastDeploymentStatusMessage: 'Deployment failed: Integration target is not valid for route GET /orders',
      methodSettings: { '*/*': { metricsEnabled: false } },
      variables: {},
      accessLog: undefined,
    });
    // No DefaultRouteSettings, no stage-wide entry.
    expect(stages[1]).toMatchObject({ variables: {}, methodSettings: {} });
    expect(gw).toHaveReceivedNthCommandWith(1, GetStagesCommand, { ApiId: API_ID, MaxResults: '500' });
    expect(gw).toHaveReceivedNthCommandWith(2, GetStagesCommand, { ApiId: API_ID, MaxResults: '500', NextToken: 'c3RhZ2VzLXBhZ2UtMg==' });
  });

  it('retries throttling, then succeeds', async () => {
    gw.on(GetStagesCommand, { ApiId: API_ID })
      .rejectsOnce(Object.assign(new Error('Too Many Requests'), { name: 'TooManyRequestsException' }))
      .resolves({ Items: [{ StageName: '$default', AutoDeploy: true }] });

    const stages = await adapter().getStages(API_ID);

    expect(stages.map((s) => s.name)).toEqual(['$default']);
    expect(gw).toHaveReceivedCommandTimes(GetStagesCommand, 2);
    expect(calls).toEqual([expect.objectContaining({ service: 'apigatewayv2', command: 'GetStagesCommand', attempts: 2, ok: true })]);
  });

  it('turns AccessDeniedException into an AwsCallError naming the IAM need, without retrying', async () => {
    gw.on(GetStagesCommand, { ApiId: API_ID }).rejects(
      awsError(
        'AccessDeniedException',
        `User: arn:aws:sts::123456789012:assumed-role/apigw-doctor-readonly/investigation is not authorized to perform: apigateway:GET on resource: arn:aws:apigateway:us-east-1::/apis/${API_ID}/stages`,
      ),
    );

    const error: unknown = await adapter()
      .getStages(API_ID)
      .then(
        () => undefined,
        (e: unknown) => e,
      );

    expect(error).toBeInstanceOf(AwsCallError);
    expect(error).toMatchObject({
      kind: 'access-denied',
      errorName: 'AccessDeniedException',
      need: { action: 'apigateway:GET', resource: `arn:aws:apigateway:us-east-1::/apis/${API_ID}/stages` },
    });
    expect(gw).toHaveReceivedCommandTimes(GetStagesCommand, 1);
  });
});

describe('AwsHttpApiGateway.getRoutes', () => {
  it('joins HTTP routes to integrations by Target, both paged', async () => {
    gw.on(GetRoutesCommand, { ApiId: API_ID }).resolves({
      Items: [
        {
          RouteId: 'rt0a1b',
          RouteKey: 'GET /orders/{id}',
          AuthorizationType: 'CUSTOM',
          AuthorizerId: 'au2x3y',
          ApiKeyRequired: false,
          Target: 'integrations/in9z8y',
        },
      ],
      NextToken: 'cm91dGVzLXBhZ2UtMg==',
    });
    gw.on(GetRoutesCommand, { ApiId: API_ID, NextToken: 'cm91dGVzLXBhZ2UtMg==' }).resolves({
      Items: [
        { RouteId: 'rt2c3d', RouteKey: 'ANY /{proxy+}', AuthorizationType: 'NONE', ApiKeyRequired: false, Target: 'integrations/in7w6v' },
        { RouteId: 'rt4e5f', RouteKey: '$default', AuthorizationType: 'NONE', ApiKeyRequired: false, Target: 'integrations/in9z8y' },
        // A route left without a target answers every call with an error.
        { RouteId: 'rt6g7h', RouteKey: 'POST /orders', AuthorizationType: 'JWT', AuthorizerId: 'jw4t5u', ApiKeyRequired: false },
      ],
    });
    gw.on(GetIntegrationsCommand, { ApiId: API_ID }).resolves({
      Items: [
        {
          IntegrationId: 'in9z8y',
          IntegrationType: 'AWS_PROXY',
          IntegrationMethod: 'POST',
          IntegrationUri: ORDERS_FN,
          ConnectionType: 'INTERNET',
          PayloadFormatVersion: '2.0',
          TimeoutInMillis: 30000,
        },
      ],
      NextToken: 'aW50ZWdyYXRpb25zLXBhZ2UtMg==',
    });
    gw.on(GetIntegrationsCommand, { ApiId: API_ID, NextToken: 'aW50ZWdyYXRpb25zLXBhZ2UtMg==' }).resolves({
      Items: [
        {
          IntegrationId: 'in7w6v',
          IntegrationType: 'HTTP_PROXY',
          IntegrationMethod: 'ANY',
          IntegrationUri: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/orders-alb/50dc6c495c0c9188/0467ef3c8400ae65',
          ConnectionType: 'VPC_LINK',
          ConnectionId: 'vpcl1n',
          CredentialsArn: 'arn:aws:iam::123456789012:role/orders-http-integration',
          PayloadFormatVersion: '1.0',
          TimeoutInMillis: 15000,
        },
      ],
    });

    const routes = await adapter().getRoutes(API_ID);

    expect(routes).toEqual([
      {
        routeKey: 'GET /orders/{id}',
        resourceId: 'rt0a1b',
        resourcePath: '/orders/{id}',
        httpMethod: 'GET',
        authorizationType: 'CUSTOM',
        authorizerId: 'au2x3y',
        integration: {
          integrationId: 'in9z8y',
          type: 'AWS_PROXY',
          httpMethod: 'POST',
          uri: ORDERS_FN,
          connectionType: 'INTERNET',
          timeoutMs: 30000,
          payloadFormatVersion: '2.0',
          hasRequestTemplates: false,
          responses: [],
        },
      },
      {
        routeKey: 'ANY /{proxy+}',
        resourceId: 'rt2c3d',
        resourcePath: '/{proxy+}',
        httpMethod: 'ANY',
        authorizationType: 'NONE',
        integration: {
          integrationId: 'in7w6v',
          type: 'HTTP_PROXY',
          httpMethod: 'ANY',
          uri: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/orders-alb/50dc6c495c0c9188/0467ef3c8400ae65',
          connectionType: 'VPC_LINK',
          connectionId: 'vpcl1n',
          timeoutMs: 15000,
          credentials: 'arn:aws:iam::123456789012:role/orders-http-integration',
          payloadFormatVersion: '1.0',
          hasRequestTemplates: false,
          responses: [],
        },
      },
      {
        routeKey: '$default',
        resourceId: 'rt4e5f',
        authorizationType: 'NONE',
        integration: expect.objectContaining({ integrationId: 'in9z8y' }) as unknown,
      },
      { routeKey: 'POST /orders', resourceId: 'rt6g7h', resourcePath: '/orders', httpMethod: 'POST', authorizationType: 'JWT', authorizerId: 'jw4t5u' },
    ]);
    expect(routes[2]).not.toHaveProperty('httpMethod', expect.anything());
    expect(routes[2]).not.toHaveProperty('resourcePath', expect.anything());
    expect(routes[3]?.integration).toBeUndefined();
    expect(gw.commandCalls(GetRoutesCommand).map((c) => c.args[0].input)).toEqual([
      { ApiId: API_ID, MaxResults: '500' },
      { ApiId: API_ID, MaxResults: '500', NextToken: 'cm91dGVzLXBhZ2UtMg==' },
    ]);
    expect(gw.commandCalls(GetIntegrationsCommand).map((c) => c.args[0].input)).toEqual([
      { ApiId: API_ID, MaxResults: '500' },
      { ApiId: API_ID, MaxResults: '500', NextToken: 'aW50ZWdyYXRpb25zLXBhZ2UtMg==' },
    ]);
  });

  it('keeps WebSocket route keys whole, with no method or path', async () => {
    gw.on(GetRoutesCommand, { ApiId: WS_ID }).resolves({
      Items: [
        { RouteId: 'ws1con', RouteKey: '$connect', AuthorizationType: 'CUSTOM', AuthorizerId: 'au2x3y', ApiKeyRequired: false, Target: 'integrations/wsi001' },
        { RouteId: 'ws2msg', RouteKey: 'sendMessage', AuthorizationType: 'NONE', ApiKeyRequired: false, Target: 'integrations/wsi001', RouteResponseSelectionExpression: '$default' },
      ],
    });
    gw.on(GetIntegrationsCommand, { ApiId: WS_ID }).resolves({
      Items: [
        {
          IntegrationId: 'wsi001',
          IntegrationType: 'AWS_PROXY',
          IntegrationMethod: 'POST',
          IntegrationUri: CHAT_URI,
          ConnectionType: 'INTERNET',
          ContentHandlingStrategy: 'CONVERT_TO_TEXT',
          PassthroughBehavior: 'WHEN_NO_MATCH',
          TimeoutInMillis: 29000,
          RequestTemplates: { $default: '{"connectionId":"$context.connectionId"}' },
          TemplateSelectionExpression: '\\$default',
        },
      ],
    });

    const routes = await adapter().getRoutes(WS_ID);

    expect(routes.map((r) => [r.routeKey, r.resourceId, r.httpMethod, r.resourcePath])).toEqual([
      ['$connect', 'ws1con', undefined, undefined],
      ['sendMessage', 'ws2msg', undefined, undefined],
    ]);
    expect(routes[0]?.integration).toEqual({
      integrationId: 'wsi001',
      type: 'AWS_PROXY',
      httpMethod: 'POST',
      uri: CHAT_URI,
      connectionType: 'INTERNET',
      timeoutMs: 29000,
      contentHandling: 'CONVERT_TO_TEXT',
      hasRequestTemplates: true,
      responses: [],
    });
    expect(routes[1]?.integration?.integrationId).toBe('wsi001');
    expect(gw).not.toHaveReceivedCommand(GetIntegrationResponsesCommand);
  });
});

describe('AwsHttpApiGateway.getAuthorizers', () => {
  it('maps Lambda and JWT authorizers over two pages', async () => {
    gw.on(GetAuthorizersCommand, { ApiId: API_ID }).resolves({
      Items: [
        {
          AuthorizerId: 'au2x3y',
          Name: 'request-authorizer',
          AuthorizerType: 'REQUEST',
          AuthorizerUri: AUTH_URI,
          AuthorizerCredentialsArn: 'arn:aws:iam::123456789012:role/apigw-authorizer-invoke',
          AuthorizerPayloadFormatVersion: '2.0',
          EnableSimpleResponses: true,
          IdentitySource: ['$request.header.Authorization'],
          AuthorizerResultTtlInSeconds: 300,
        },
      ],
      NextToken: 'YXV0aG9yaXplcnMtMg==',
    });
    gw.on(GetAuthorizersCommand, { ApiId: API_ID, NextToken: 'YXV0aG9yaXplcnMtMg==' }).resolves({
      Items: [
        {
          AuthorizerId: 'jw4t5u',
          Name: 'cognito-jwt',
          AuthorizerType: 'JWT',
          IdentitySource: ['$request.header.Authorization'],
          JwtConfiguration: { Audience: ['5f2b1c9d8e7a6b4c3d2e1f0a9b'], Issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEfGhI' },
        },
      ],
    });

    await expect(adapter().getAuthorizers(API_ID)).resolves.toEqual([
      { id: 'au2x3y', name: 'request-authorizer', type: 'REQUEST', uri: AUTH_URI, credentials: 'arn:aws:iam::123456789012:role/apigw-authorizer-invoke' },
      { id: 'jw4t5u', name: 'cognito-jwt', type: 'JWT' },
    ]);
    expect(gw).toHaveReceivedNthCommandWith(2, GetAuthorizersCommand, { ApiId: API_ID, MaxResults: '500', NextToken: 'YXV0aG9yaXplcnMtMg==' });
  });
});

describe('AwsHttpApiGateway.getDeployments', () => {
  it('returns every page, newest first', async () => {
    gw.on(GetDeploymentsCommand, { ApiId: API_ID }).resolves({
      Items: [
        { DeploymentId: 'ab12cd', AutoDeployed: true, CreatedDate: new Date('2024-05-02T08:30:12.000Z'), DeploymentStatus: 'DEPLOYED' },
        { DeploymentId: 'ij56kl', AutoDeployed: true, CreatedDate: new Date('2024-07-19T11:02:48.000Z'), DeploymentStatus: 'FAILED', DeploymentStatusMessage: 'Integration target is not valid' },
      ],
      NextToken: 'ZGVwbG95bWVudHMtMg==',
    });
    gw.on(GetDeploymentsCommand, { ApiId: API_ID, NextToken: 'ZGVwbG95bWVudHMtMg==' }).resolves({
      Items: [{ DeploymentId: 'ef34gh', AutoDeployed: false, CreatedDate: new Date('2024-06-10T15:20:00.000Z'), DeploymentStatus: 'DEPLOYED', Description: 'release 1.4' }],
    });

    const deployments = await adapter().getDeployments(API_ID);

    expect(deployments).toEqual([
      { id: 'ij56kl', createdDate: '2024-07-19T11:02:48.000Z' },
      { id: 'ef34gh', createdDate: '2024-06-10T15:20:00.000Z', description: 'release 1.4' },
      { id: 'ab12cd', createdDate: '2024-05-02T08:30:12.000Z' },
    ]);
    expect(gw).toHaveReceivedCommandTimes(GetDeploymentsCommand, 2);
  });
});

describe('AwsHttpApiGateway.getDomainMappings', () => {
  it('maps API mappings over two pages, the root key as empty', async () => {
    gw.on(GetApiMappingsCommand, { DomainName: 'api.example.com' }).resolves({
      Items: [{ ApiMappingId: 'mp1a2b', ApiId: API_ID, ApiMappingKey: '', Stage: '$default' }],
      NextToken: 'bWFwcGluZ3MtMg==',
    });
    gw.on(GetApiMappingsCommand, { DomainName: 'api.example.com', NextToken: 'bWFwcGluZ3MtMg==' }).resolves({
      Items: [{ ApiMappingId: 'mp3c4d', ApiId: WS_ID, ApiMappingKey: 'chat/v1', Stage: 'production' }],
    });

    await expect(adapter().getDomainMappings('api.example.com')).resolves.toEqual([
      { domain: 'api.example.com', basePath: '', apiId: API_ID, stage: '$default' },
      { domain: 'api.example.com', basePath: 'chat/v1', apiId: WS_ID, stage: 'production' },
    ]);
    expect(gw).toHaveReceivedNthCommandWith(1, GetApiMappingsCommand, { DomainName: 'api.example.com', MaxResults: '500' });
  });

  it('answers null for an unknown domain', async () => {
    gw.on(GetApiMappingsCommand, { DomainName: 'nope.example.com' }).rejects(notFound('The domain name resource specified in the request was not found.'));

    await expect(adapter().getDomainMappings('nope.example.com')).resolves.toBeNull();
  });
});

it('the family is v2', () => {
  expect(adapter().family).toBe('v2');
});
