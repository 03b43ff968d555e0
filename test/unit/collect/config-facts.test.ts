import { backendHost, integrationFacts, methodSetting, telemetryFacts } from '../../../src/collect/config-facts';
import type { AccountInfo, ApiSummary, AuthorizerInfo, IntegrationInfo, MethodSetting, RouteInfo, StageInfo } from '../../../src/collect/ports';
import type { ApiType } from '../../../src/diagnosis/evidence';

const ACCOUNT = '123456789012';
const FN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:orders-handler`;
const LAMBDA_URI = `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${FN}/invocations`;
const LOG_GROUP = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/apigateway/orders-access`;

const api = (apiType: ApiType, extra: Partial<ApiSummary> = {}): ApiSummary => ({ apiId: 'a1b2c3d4e5', name: 'orders-api', apiType, ...extra });

const stage = (extra: Partial<StageInfo> = {}): StageInfo => ({ name: 'prod', variables: {}, methodSettings: {}, ...extra });

const integration = (extra: Partial<IntegrationInfo> = {}): IntegrationInfo => ({ type: 'AWS_PROXY', httpMethod: 'POST', uri: LAMBDA_URI, hasRequestTemplates: false, responses: [], ...extra });

const restRoute = (extra: Partial<RouteInfo> = {}): RouteInfo => ({
  routeKey: 'GET /orders/{id}',
  resourceId: 'r3s0urc3',
  resourcePath: '/orders/{id}',
  httpMethod: 'GET',
  authorizationType: 'NONE',
  integration: integration(),
  ...extra,
});

// ── telemetryFacts ──────────────────────────────────────────────────────────────────────────────

describe('telemetryFacts: execution logging', () => {
  it.each<[string, ApiType, Record<string, MethodSetting>, RouteInfo | undefined, unknown, unknown]>([
    ['REST, no method settings at all', 'REST', {}, restRoute(), 'OFF', false],
    ['REST, stage-wide INFO with data trace', 'REST', { '*/*': { loggingLevel: 'INFO', dataTraceEnabled: true } }, restRoute(), 'INFO', true],
    ['REST, stage-wide ERROR, no route asked about', 'REST', { '*/*': { loggingLevel: 'ERROR' } }, undefined, 'ERROR', false],
    ['REST, stage-wide OFF but the method at INFO', 'REST', { '*/*': { loggingLevel: 'OFF' }, 'orders/{id}/GET': { loggingLevel: 'INFO' } }, restRoute(), 'INFO', false],
    ['REST, stage-wide INFO but the method OFF', 'REST', { '*/*': { loggingLevel: 'INFO', dataTraceEnabled: true }, 'orders/{id}/GET': { loggingLevel: 'OFF' } }, restRoute(), 'OFF', true],
    ['REST, a setting for another method does not apply', 'REST', { 'orders/{id}/POST': { loggingLevel: 'INFO' } }, restRoute(), 'OFF', false],
    ['REST, a setting with no level counts as OFF', 'REST', { '*/*': { metricsEnabled: true } }, restRoute(), 'OFF', false],
    ['WebSocket, stage-wide ERROR', 'WEBSOCKET', { '*/*': { loggingLevel: 'ERROR' } }, { routeKey: '$connect' }, 'ERROR', false],
    ['WebSocket, a route-key override', 'WEBSOCKET', { '*/*': { loggingLevel: 'ERROR' }, sendMessage: { loggingLevel: 'INFO', dataTraceEnabled: true } }, { routeKey: 'sendMessage' }, 'INFO', true],
  ])('%s', (_label, apiType, methodSettings, route, level, trace) => {
    const facts = telemetryFacts(api(apiType), stage({ methodSettings }), undefined, route);
    expect(facts.executionLogging).toBe(level);
    expect(facts.dataTraceEnabled).toBe(trace);
  });

  it('an HTTP API gets no execution-logging facts, whatever its route settings say', () => {
    const facts = telemetryFacts(api('HTTP'), stage({ methodSettings: { '*/*': { loggingLevel: 'INFO', dataTraceEnabled: true } } }), { cloudwatchRoleArn: 'arn:aws:iam::123456789012:role/apigw-logs' }, restRoute());
    expect(facts).not.toHaveProperty('executionLogging');
    expect(facts).not.toHaveProperty('dataTraceEnabled');
    expect(facts).not.toHaveProperty('cloudwatchRoleArnSet');
    expect(facts).toEqual({ accessLogging: false });
  });
});

describe('telemetryFacts: access logging', () => {
  it.each<[string, string | undefined, boolean]>([
    ['$context.integrationErrorMessage', '{"requestId":"$context.requestId","err":"$context.integrationErrorMessage"}', true],
    ['$context.integration.error', '$context.requestId $context.integration.error', true],
    ['both variables', '$context.integration.error $context.integrationErrorMessage', true],
    ['neither: only the status', '{"requestId":"$context.requestId","status":"$context.status"}', false],
    ['neither: a look-alike $context.error.message', '$context.error.message $context.integration.status', false],
    ['no format at all', undefined, false],
  ])('a format with %s', (_label, format, has) => {
    const facts = telemetryFacts(api('REST'), stage({ accessLog: { destinationArn: LOG_GROUP, ...(format !== undefined ? { format } : {}) } }), undefined);
    expect(facts.accessLogging).toBe(true);
    expect(facts.accessLogFormatHasIntegrationError).toBe(has);
  });

  it('a stage without access logs has accessLogging false and no format fact', () => {
    const facts = telemetryFacts(api('HTTP'), stage(), undefined);
    expect(facts.accessLogging).toBe(false);
    expect(facts).not.toHaveProperty('accessLogFormatHasIntegrationError');
  });

  it('HTTP APIs report the access-log facts too', () => {
    const facts = telemetryFacts(api('HTTP'), stage({ accessLog: { destinationArn: LOG_GROUP, format: '$context.integrationErrorMessage' } }), undefined);
    expect(facts).toEqual({ accessLogging: true, accessLogFormatHasIntegrationError: true });
  });
});

describe('telemetryFacts: the account CloudWatch role', () => {
  it.each<[string, ApiType, AccountInfo | undefined, boolean | undefined]>([
    ['REST with the role set', 'REST', { cloudwatchRoleArn: `arn:aws:iam::${ACCOUNT}:role/apigw-logs` }, true],
    ['REST without the role', 'REST', {}, false],
    ['REST with an empty role', 'REST', { cloudwatchRoleArn: '' }, false],
    ['WebSocket with the role set', 'WEBSOCKET', { cloudwatchRoleArn: `arn:aws:iam::${ACCOUNT}:role/apigw-logs` }, true],
    ['WebSocket without the role', 'WEBSOCKET', {}, false],
    ['REST when the account could not be read', 'REST', undefined, undefined],
    ['HTTP with the role set (HTTP APIs do not use it)', 'HTTP', { cloudwatchRoleArn: `arn:aws:iam::${ACCOUNT}:role/apigw-logs` }, undefined],
  ])('%s', (_label, apiType, account, expected) => {
    const facts = telemetryFacts(api(apiType), stage(), account);
    if (expected === undefined) expect(facts).not.toHaveProperty('cloudwatchRoleArnSet');
    else expect(facts.cloudwatchRoleArnSet).toBe(expected);
  });
});

// ── methodSetting ───────────────────────────────────────────────────────────────────────────────

describe('methodSetting', () => {
  it.each<[string, string]>([
    ['path/VERB without the leading slash', 'orders/{id}/GET'],
    ['~1-escaped path without the leading slash', 'orders~1{id}/GET'],
    ['~1-escaped path with the leading slash', '~1orders~1{id}/GET'],
    ['the route key', 'GET /orders/{id}'],
  ])('finds a per-method setting keyed as %s', (_label, key) => {
    const s = stage({ methodSettings: { [key]: { loggingLevel: 'INFO' } } });
    expect(methodSetting(s, restRoute())).toEqual({ loggingLevel: 'INFO' });
  });

  it('falls back to */* when the method has no setting of its own', () => {
    const s = stage({ methodSettings: { '*/*': { loggingLevel: 'ERROR', metricsEnabled: true }, 'users/GET': { loggingLevel: 'INFO' } } });
    expect(methodSetting(s, restRoute())).toEqual({ loggingLevel: 'ERROR', metricsEnabled: true });
  });

  it('gives */* when no route is asked about', () => {
    const s = stage({ methodSettings: { '*/*': { loggingLevel: 'ERROR' }, 'orders/{id}/GET': { loggingLevel: 'INFO' } } });
    expect(methodSetting(s)).toEqual({ loggingLevel: 'ERROR' });
  });

  it('is undefined when nothing applies', () => {
    expect(methodSetting(stage(), restRoute())).toBeUndefined();
    expect(methodSetting(stage({ methodSettings: { 'orders/{id}/POST': { loggingLevel: 'INFO' } } }), restRoute())).toBeUndefined();
  });

  it('merges a per-method override over the stage-wide settings', () => {
    const s = stage({
      methodSettings: {
        '*/*': { loggingLevel: 'ERROR', dataTraceEnabled: false, metricsEnabled: true, throttlingBurstLimit: 100, throttlingRateLimit: 50 },
        'orders/{id}/GET': { loggingLevel: 'INFO', dataTraceEnabled: true, throttlingRateLimit: 5 },
      },
    });
    expect(methodSetting(s, restRoute())).toEqual({ loggingLevel: 'INFO', dataTraceEnabled: true, metricsEnabled: true, throttlingBurstLimit: 100, throttlingRateLimit: 5 });
  });

  it('prefers the plain key over the escaped one when both exist', () => {
    const s = stage({ methodSettings: { '~1orders~1{id}/GET': { loggingLevel: 'ERROR' }, 'orders/{id}/GET': { loggingLevel: 'INFO' } } });
    expect(methodSetting(s, restRoute())?.loggingLevel).toBe('INFO');
  });

  it('the root resource is keyed /VERB', () => {
    const s = stage({ methodSettings: { '/GET': { loggingLevel: 'INFO' } } });
    expect(methodSetting(s, restRoute({ routeKey: 'GET /', resourcePath: '/', httpMethod: 'GET' }))).toEqual({ loggingLevel: 'INFO' });
  });

  it('a deeper path escapes every slash', () => {
    const route = restRoute({ routeKey: 'POST /shops/{shop}/orders', resourcePath: '/shops/{shop}/orders', httpMethod: 'POST' });
    expect(methodSetting(stage({ methodSettings: { '~1shops~1{shop}~1orders/POST': { loggingLevel: 'INFO' } } }), route)).toEqual({ loggingLevel: 'INFO' });
    expect(methodSetting(stage({ methodSettings: { 'shops/{shop}/orders/POST': { loggingLevel: 'ERROR' } } }), route)).toEqual({ loggingLevel: 'ERROR' });
  });

  it('a WebSocket route is found by its route key', () => {
    const s = stage({ methodSettings: { '*/*': { loggingLevel: 'ERROR', metricsEnabled: true }, $connect: { loggingLevel: 'INFO' } } });
    expect(methodSetting(s, { routeKey: '$connect' })).toEqual({ loggingLevel: 'INFO', metricsEnabled: true });
    expect(methodSetting(s, { routeKey: '$disconnect' })).toEqual({ loggingLevel: 'ERROR', metricsEnabled: true });
  });

  it('a per-method setting whose fields were left undefined by the adapter still inherits them from */*', () => {
    const s = stage({
      methodSettings: {
        '*/*': { loggingLevel: 'INFO', dataTraceEnabled: true, metricsEnabled: true },
        sendMessage: { loggingLevel: undefined, dataTraceEnabled: undefined, metricsEnabled: undefined, throttlingBurstLimit: 10, throttlingRateLimit: 5 },
      },
    });
    expect(methodSetting(s, { routeKey: 'sendMessage' })).toMatchObject({ loggingLevel: 'INFO', dataTraceEnabled: true, throttlingBurstLimit: 10 });
    expect(telemetryFacts(api('WEBSOCKET'), s, undefined, { routeKey: 'sendMessage' }).executionLogging).toBe('INFO');
  });
});

// ── integrationFacts ────────────────────────────────────────────────────────────────────────────

describe('integrationFacts', () => {
  it('a Lambda proxy integration on a REST API', () => {
    expect(integrationFacts(api('REST'), stage(), restRoute(), [])).toEqual({
      integrationType: 'AWS_PROXY',
      integrationHttpMethod: 'POST',
      integrationUri: LAMBDA_URI,
      stageVariableInUri: false,
      integrationTimeoutMs: 29_000,
      connectionType: 'INTERNET',
      authorizerType: 'NONE',
    });
  });

  it('a Lambda integration on an HTTP API with payload format 2.0 and its own timeout', () => {
    const route: RouteInfo = { routeKey: 'POST /orders', resourcePath: '/orders', httpMethod: 'POST', integration: integration({ integrationId: 'i1', uri: FN, payloadFormatVersion: '2.0', timeoutMs: 6_500 }) };
    expect(integrationFacts(api('HTTP'), stage(), route, [])).toEqual({
      integrationType: 'AWS_PROXY',
      integrationHttpMethod: 'POST',
      integrationUri: FN,
      stageVariableInUri: false,
      integrationTimeoutMs: 6_500,
      connectionType: 'INTERNET',
      payloadFormatVersion: '2.0',
      authorizerType: 'NONE',
    });
  });

  it.each<[ApiType, number]>([
    ['REST', 29_000],
    ['WEBSOCKET', 29_000],
    ['HTTP', 30_000],
  ])('the default timeout of %s integrations is %d ms', (apiType, ms) => {
    expect(integrationFacts(api(apiType), stage(), restRoute({ integration: integration({ timeoutMs: undefined }) }), []).integrationTimeoutMs).toBe(ms);
  });

  it('an HTTP integration with a stage variable in the URI gets the filled-in backend host', () => {
    const uri = 'https://${stageVariables.backend}/v1/orders/{id}';
    const facts = integrationFacts(api('REST'), stage({ variables: { backend: 'orders.internal.example.com' } }), restRoute({ integration: integration({ type: 'HTTP_PROXY', httpMethod: 'GET', uri }) }), []);
    expect(facts).toMatchObject({ integrationType: 'HTTP_PROXY', integrationHttpMethod: 'GET', integrationUri: uri, stageVariableInUri: true, backendHost: 'orders.internal.example.com' });
  });

  it('an HTTP integration whose stage variable is not set has no backend host', () => {
    const facts = integrationFacts(api('REST'), stage({ variables: { other: 'x' } }), restRoute({ integration: integration({ type: 'HTTP', uri: 'https://${stageVariables.backend}/v1' }) }), []);
    expect(facts.stageVariableInUri).toBe(true);
    expect(facts).not.toHaveProperty('backendHost');
  });

  it('a Lambda function chosen by stage variable sets stageVariableInUri but no backend host', () => {
    const uri = `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${FN}:\${stageVariables.alias}/invocations`;
    const facts = integrationFacts(api('REST'), stage({ variables: { alias: 'live' } }), restRoute({ integration: integration({ uri }) }), []);
    expect(facts.stageVariableInUri).toBe(true);
    expect(facts).not.toHaveProperty('backendHost');
  });

  it('a REST VPC link integration', () => {
    const facts = integrationFacts(
      api('REST'),
      stage(),
      restRoute({ integration: integration({ type: 'HTTP_PROXY', httpMethod: 'ANY', uri: 'http://internal-orders-nlb-1234.elb.us-east-1.amazonaws.com:8080/{proxy}', connectionType: 'VPC_LINK', connectionId: 'vl1nk2' }) }),
      [],
    );
    expect(facts).toMatchObject({ connectionType: 'VPC_LINK', backendHost: 'internal-orders-nlb-1234.elb.us-east-1.amazonaws.com', integrationType: 'HTTP_PROXY' });
  });

  it('an HTTP API private integration to an ALB listener ARN has no backend host', () => {
    const listener = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:listener/app/orders-alb/50dc6c495c0c9188/0467ef3c8400ae65`;
    const facts = integrationFacts(api('HTTP'), stage(), { routeKey: 'ANY /{proxy+}', integration: integration({ type: 'HTTP_PROXY', httpMethod: 'ANY', uri: listener, connectionType: 'VPC_LINK', connectionId: 'abc123' }) }, []);
    expect(facts).toMatchObject({ connectionType: 'VPC_LINK', integrationUri: listener });
    expect(facts).not.toHaveProperty('backendHost');
  });

  it.each<[string, string, string]>([
    ['caller credentials', 'arn:aws:iam::*:user/*', 'caller'],
    ['a role', `arn:aws:iam::${ACCOUNT}:role/apigw-invoke`, `arn:aws:iam::${ACCOUNT}:role/apigw-invoke`],
  ])('integration credentials: %s', (_label, credentials, expected) => {
    expect(integrationFacts(api('REST'), stage(), restRoute({ integration: integration({ type: 'AWS', credentials }) }), []).integrationCredentialsRole).toBe(expected);
  });

  it('no credentials, no integrationCredentialsRole fact', () => {
    expect(integrationFacts(api('REST'), stage(), restRoute(), [])).not.toHaveProperty('integrationCredentialsRole');
  });

  const authorizers: AuthorizerInfo[] = [
    { id: 'tok3n1', name: 'token-auth', type: 'TOKEN', uri: 'arn:aws:apigateway:…' },
    { id: 'r3qst1', name: 'request-auth', type: 'REQUEST' },
    { id: 'c0gn1t', name: 'pool', type: 'COGNITO_USER_POOLS' },
  ];

  it.each<[string, Partial<RouteInfo>, string]>([
    ['CUSTOM with a TOKEN authorizer', { authorizationType: 'CUSTOM', authorizerId: 'tok3n1' }, 'TOKEN'],
    ['CUSTOM with a REQUEST authorizer', { authorizationType: 'CUSTOM', authorizerId: 'r3qst1' }, 'REQUEST'],
    ['CUSTOM with an authorizer not in the list', { authorizationType: 'CUSTOM', authorizerId: 'm1ss1ng' }, 'REQUEST'],
    ['CUSTOM with no authorizer id', { authorizationType: 'CUSTOM' }, 'REQUEST'],
    ['COGNITO_USER_POOLS', { authorizationType: 'COGNITO_USER_POOLS', authorizerId: 'c0gn1t' }, 'COGNITO_USER_POOLS'],
    ['JWT', { authorizationType: 'JWT', authorizerId: 'jwt1' }, 'JWT'],
    ['AWS_IAM (no authorizer)', { authorizationType: 'AWS_IAM' }, 'NONE'],
    ['NONE', { authorizationType: 'NONE' }, 'NONE'],
    ['no authorization type at all', { authorizationType: undefined }, 'NONE'],
  ])('authorizer: %s → %s', (_label, route, expected) => {
    expect(integrationFacts(api('REST'), stage(), restRoute(route), authorizers).authorizerType).toBe(expected);
  });

  it('binary media types come from the API', () => {
    expect(integrationFacts(api('REST', { binaryMediaTypes: ['image/png', '*/*'] }), stage(), restRoute(), []).binaryMediaTypes).toEqual(['image/png', '*/*']);
    expect(integrationFacts(api('REST'), stage(), restRoute(), [])).not.toHaveProperty('binaryMediaTypes');
  });

  it.each<[string, Partial<IntegrationInfo>, string | undefined]>([
    ['on the integration', { contentHandling: 'CONVERT_TO_TEXT' }, 'CONVERT_TO_TEXT'],
    [
      'from the first integration response that has it',
      {
        responses: [
          { statusCode: '200', hasTemplates: false },
          { statusCode: '500', selectionPattern: '.*error.*', contentHandling: 'CONVERT_TO_BINARY', hasTemplates: true },
          { statusCode: '502', contentHandling: 'CONVERT_TO_TEXT', hasTemplates: false },
        ],
      },
      'CONVERT_TO_BINARY',
    ],
    ['the integration wins over a response', { contentHandling: 'CONVERT_TO_TEXT', responses: [{ statusCode: '200', contentHandling: 'CONVERT_TO_BINARY', hasTemplates: false }] }, 'CONVERT_TO_TEXT'],
    ['neither', { responses: [{ statusCode: '200', hasTemplates: false }] }, undefined],
  ])('content handling %s', (_label, extra, expected) => {
    const facts = integrationFacts(api('REST'), stage(), restRoute({ integration: integration({ type: 'AWS', ...extra }) }), []);
    if (expected === undefined) expect(facts).not.toHaveProperty('contentHandling');
    else expect(facts.contentHandling).toBe(expected);
  });

  it('a method without integration gives only the authorizer (and API) facts', () => {
    expect(integrationFacts(api('REST', { binaryMediaTypes: ['image/png'] }), stage(), restRoute({ integration: undefined, authorizationType: 'CUSTOM', authorizerId: 'tok3n1' }), authorizers)).toEqual({
      authorizerId: 'tok3n1',
      authorizerType: 'TOKEN',
      binaryMediaTypes: ['image/png'],
    });
  });

  it("the authorizer's id and function, for fixes that name them", () => {
    const fn = 'arn:aws:lambda:us-east-1:123456789012:function:token-auth';
    const withUri: AuthorizerInfo[] = [{ id: 'tok3n1', name: 'token-auth', type: 'TOKEN', uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${fn}/invocations` }];
    expect(integrationFacts(api('REST'), stage(), restRoute({ authorizationType: 'CUSTOM', authorizerId: 'tok3n1' }), withUri)).toMatchObject({ authorizerId: 'tok3n1', authorizerFunctionArn: fn, authorizerType: 'TOKEN' });
  });

  it('a MOCK integration without URI or method', () => {
    expect(integrationFacts(api('REST'), stage(), restRoute({ integration: { type: 'MOCK', hasRequestTemplates: true, responses: [] } }), [])).toEqual({
      integrationType: 'MOCK',
      integrationTimeoutMs: 29_000,
      connectionType: 'INTERNET',
      authorizerType: 'NONE',
    });
  });
});

// ── backendHost ─────────────────────────────────────────────────────────────────────────────────

describe('backendHost', () => {
  it.each<[string, string, Record<string, string>, string | undefined]>([
    ['a plain HTTPS URL', 'https://orders.example.com/v1/{proxy}', {}, 'orders.example.com'],
    ['an HTTP URL with a port', 'http://orders.example.com:8080/v1', {}, 'orders.example.com'],
    ['an upper-case scheme and host', 'HTTPS://Orders.Example.COM/v1', {}, 'orders.example.com'],
    ['an IPv4 literal', 'http://10.0.12.7:3000/health', {}, '10.0.12.7'],
    ['an IPv6 literal loses its brackets', 'http://[2001:db8::1]:8080/orders', {}, '2001:db8::1'],
    ['an IPv6 literal without a port', 'https://[::1]/', {}, '::1'],
    ['a stage variable for the host', 'https://${stageVariables.host}/orders', { host: 'orders-blue.example.com' }, 'orders-blue.example.com'],
    ['a stage variable for the whole URL', '${stageVariables.url}', { url: 'https://orders-green.example.com/v2' }, 'orders-green.example.com'],
    ['two stage variables', 'https://${stageVariables.svc}.${stageVariables.zone}/x', { svc: 'orders', zone: 'internal.example.com' }, 'orders.internal.example.com'],
    ['an unresolved variable, even in the path only', 'https://orders.example.com/${stageVariables.version}/x', {}, undefined],
    ['an unresolved host variable', 'https://${stageVariables.host}/orders', {}, undefined],
    ['one of two variables unresolved', 'https://${stageVariables.svc}.${stageVariables.zone}/x', { svc: 'orders' }, undefined],
    ['a variable whose value smuggles in another placeholder', 'https://${stageVariables.host}/x', { host: '${stageVariables.other}' }, undefined],
    ['a Lambda invocation URI', LAMBDA_URI, {}, undefined],
    ['a Lambda function ARN (HTTP API)', FN, {}, undefined],
    ['a DynamoDB action', 'arn:aws:apigateway:us-east-1:dynamodb:action/PutItem', {}, undefined],
    ['an ALB listener ARN', `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:listener/app/orders/1/2`, {}, undefined],
    ['an FTP URL', 'ftp://files.example.com/x', {}, undefined],
    ['an empty URI', '', {}, undefined],
  ])('%s', (_label, uri, variables, expected) => {
    expect(backendHost(uri, variables)).toBe(expected);
  });
});
