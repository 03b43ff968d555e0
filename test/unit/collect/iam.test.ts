import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { iamNeedOf, knownCommands } from '../../../src/collect/iam';
import type { AwsService, IamNeed } from '../../../src/collect/iam';

const ADAPTERS = join(__dirname, '../../../src/collect/adapters/aws');
const REGION = 'us-east-1';
const ACCOUNT = '123456789012';

/** Which service each adapter file's commands go to. */
const SERVICE_OF_FILE: Record<string, AwsService> = {
  'rest-api-gateway.ts': 'apigateway',
  'http-api-gateway.ts': 'apigatewayv2',
  'logs.ts': 'logs',
  'metrics.ts': 'cloudwatch',
  'lambda.ts': 'lambda',
  'identity.ts': 'sts',
  'create-ports.ts': 'sts',
};

/** Every `new XxxCommand(` in a source file (comments included: a commented-out call is harmless to list). */
function commandsIn(file: string): string[] {
  const source = readFileSync(join(ADAPTERS, file), 'utf8');
  return [...new Set([...source.matchAll(/\bnew\s+([A-Z][A-Za-z0-9]*Command)\s*\(/g)].map((m) => m[1]!))].sort();
}

describe('the IAM table covers every command the AWS adapters send', () => {
  it('every adapter file is mapped to a service (a new adapter must be added here)', () => {
    const files = readdirSync(ADAPTERS).filter((f) => f.endsWith('.ts'));
    expect(files.sort()).toEqual(Object.keys(SERVICE_OF_FILE).sort());
  });

  it.each(Object.entries(SERVICE_OF_FILE))('%s → %s', (file, service) => {
    const sent = commandsIn(file);
    // The regex must find something, or this test proves nothing.
    expect(sent.length).toBeGreaterThan(0);
    const known = knownCommands(service);
    expect(sent.filter((c) => !known.includes(c))).toEqual([]);
    for (const command of sent) expect(iamNeedOf(service, command, {}, REGION, ACCOUNT)).toBeDefined();
  });

  it('finds the commands the adapters are known to send', () => {
    expect(commandsIn('rest-api-gateway.ts')).toEqual(expect.arrayContaining(['GetRestApiCommand', 'GetStagesCommand', 'GetResourcesCommand', 'GetBasePathMappingsCommand', 'GetAccountCommand']));
    expect(commandsIn('logs.ts')).toEqual(['GetQueryResultsCommand', 'StartQueryCommand', 'StopQueryCommand']);
    expect(commandsIn('create-ports.ts')).toEqual(['AssumeRoleCommand']);
    expect(commandsIn('identity.ts')).toEqual(['GetCallerIdentityCommand']);
  });
});

describe('iamNeedOf', () => {
  it.each<[string, AwsService, string, Record<string, unknown>, IamNeed]>([
    ['REST API list', 'apigateway', 'GetRestApisCommand', { limit: 500 }, { action: 'apigateway:GET', resource: 'arn:aws:apigateway:us-east-1::/restapis' }],
    ['REST stages', 'apigateway', 'GetStagesCommand', { restApiId: 'a1b2c3d4e5' }, { action: 'apigateway:GET', resource: 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages' }],
    ['REST one stage', 'apigateway', 'GetStageCommand', { restApiId: 'a1b2c3d4e5', stageName: 'prod' }, { action: 'apigateway:GET', resource: 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/prod' }],
    [
      'REST integration',
      'apigateway',
      'GetIntegrationCommand',
      { restApiId: 'a1b2c3d4e5', resourceId: 'abc123', httpMethod: 'GET' },
      { action: 'apigateway:GET', resource: 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/resources/abc123/methods/GET/integration' },
    ],
    ['REST account', 'apigateway', 'GetAccountCommand', {}, { action: 'apigateway:GET', resource: 'arn:aws:apigateway:us-east-1::/account' }],
    ['REST base path mappings', 'apigateway', 'GetBasePathMappingsCommand', { domainName: 'api.shop.example.com' }, { action: 'apigateway:GET', resource: 'arn:aws:apigateway:us-east-1::/domainnames/api.shop.example.com/basepathmappings' }],
    ['REST stages with no id names "*"', 'apigateway', 'GetStagesCommand', {}, { action: 'apigateway:GET', resource: 'arn:aws:apigateway:us-east-1::/restapis/*/stages' }],
    ['v2 routes', 'apigatewayv2', 'GetRoutesCommand', { ApiId: 'p4y8m3n7s0' }, { action: 'apigateway:GET', resource: 'arn:aws:apigateway:us-east-1::/apis/p4y8m3n7s0/routes' }],
    ['v2 integrations', 'apigatewayv2', 'GetIntegrationsCommand', { ApiId: 'p4y8m3n7s0' }, { action: 'apigateway:GET', resource: 'arn:aws:apigateway:us-east-1::/apis/p4y8m3n7s0/integrations' }],
    ['v2 API mappings', 'apigatewayv2', 'GetApiMappingsCommand', { DomainName: 'api.shop.example.com' }, { action: 'apigateway:GET', resource: 'arn:aws:apigateway:us-east-1::/domainnames/api.shop.example.com/apimappings' }],
    ['v2 API list', 'apigatewayv2', 'GetApisCommand', {}, { action: 'apigateway:GET', resource: 'arn:aws:apigateway:us-east-1::/apis' }],
    [
      'Logs StartQuery on the first of several log groups',
      'logs',
      'StartQueryCommand',
      { logGroupNames: ['API-Gateway-Execution-Logs_a1b2c3d4e5/prod', '/aws/lambda/orders-handler'], queryString: 'fields @message' },
      { action: 'logs:StartQuery', resource: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:API-Gateway-Execution-Logs_a1b2c3d4e5/prod:*` },
    ],
    ['Logs StartQuery with logGroupName', 'logs', 'StartQueryCommand', { logGroupName: '/aws/lambda/orders-handler' }, { action: 'logs:StartQuery', resource: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/orders-handler:*` }],
    ['Logs StartQuery with no group', 'logs', 'StartQueryCommand', { logGroupNames: [] }, { action: 'logs:StartQuery', resource: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:*:*` }],
    ['Logs GetQueryResults', 'logs', 'GetQueryResultsCommand', { queryId: 'q-1' }, { action: 'logs:GetQueryResults', resource: '*' }],
    ['Logs StopQuery', 'logs', 'StopQueryCommand', { queryId: 'q-1' }, { action: 'logs:StopQuery', resource: '*' }],
    ['CloudWatch GetMetricData', 'cloudwatch', 'GetMetricDataCommand', { MetricDataQueries: [] }, { action: 'cloudwatch:GetMetricData', resource: '*' }],
    [
      'Lambda configuration by plain name',
      'lambda',
      'GetFunctionConfigurationCommand',
      { FunctionName: 'orders-handler' },
      { action: 'lambda:GetFunctionConfiguration', resource: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:orders-handler` },
    ],
    [
      'Lambda configuration by qualified ARN (kept as given)',
      'lambda',
      'GetFunctionConfigurationCommand',
      { FunctionName: 'arn:aws:lambda:eu-west-1:210987654321:function:payments:live', Qualifier: 'live' },
      { action: 'lambda:GetFunctionConfiguration', resource: 'arn:aws:lambda:eu-west-1:210987654321:function:payments:live' },
    ],
    ['Lambda concurrency', 'lambda', 'GetFunctionConcurrencyCommand', { FunctionName: 'orders-handler' }, { action: 'lambda:GetFunctionConcurrency', resource: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:orders-handler` }],
    ['Lambda alias by name:qualifier', 'lambda', 'GetAliasCommand', { FunctionName: 'orders-handler', Name: 'live' }, { action: 'lambda:GetAlias', resource: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:orders-handler` }],
    ['Lambda policy', 'lambda', 'GetPolicyCommand', { FunctionName: 'orders-handler:live' }, { action: 'lambda:GetPolicy', resource: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:orders-handler:live` }],
    ['STS GetCallerIdentity', 'sts', 'GetCallerIdentityCommand', {}, { action: 'sts:GetCallerIdentity', resource: '*' }],
    ['STS AssumeRole', 'sts', 'AssumeRoleCommand', { RoleArn: 'arn:aws:iam::123456789012:role/apigw-doctor-read', RoleSessionName: 'apigw-doctor' }, { action: 'sts:AssumeRole', resource: 'arn:aws:iam::123456789012:role/apigw-doctor-read' }],
  ])('%s', (_label, service, command, input, need) => {
    expect(iamNeedOf(service, command, input, REGION, ACCOUNT)).toEqual(need);
  });

  it('uses "*" for the account when it is not known yet', () => {
    expect(iamNeedOf('lambda', 'GetPolicyCommand', { FunctionName: 'orders-handler' }, 'eu-west-1')).toEqual({ action: 'lambda:GetPolicy', resource: 'arn:aws:lambda:eu-west-1:*:function:orders-handler' });
    expect(iamNeedOf('logs', 'StartQueryCommand', { logGroupNames: ['/aws/lambda/x'] }, 'eu-west-1')).toEqual({ action: 'logs:StartQuery', resource: 'arn:aws:logs:eu-west-1:*:log-group:/aws/lambda/x:*' });
  });

  it('puts the Region into API Gateway resources', () => {
    expect(iamNeedOf('apigatewayv2', 'GetStagesCommand', { ApiId: 'p4y8m3n7s0' }, 'ap-southeast-2')?.resource).toBe('arn:aws:apigateway:ap-southeast-2::/apis/p4y8m3n7s0/stages');
  });

  it('is undefined for a command the table does not know, including one of another service', () => {
    expect(iamNeedOf('apigateway', 'DeleteRestApiCommand', { restApiId: 'a1b2c3d4e5' }, REGION)).toBeUndefined();
    expect(iamNeedOf('apigatewayv2', 'GetRestApisCommand', {}, REGION)).toBeUndefined();
  });

  it('knows only reads (and AssumeRole)', () => {
    const services: AwsService[] = ['apigateway', 'apigatewayv2', 'logs', 'cloudwatch', 'lambda', 'sts'];
    for (const service of services) {
      for (const command of knownCommands(service)) {
        expect(command).toMatch(/^(Get|Start|Stop|AssumeRole)/);
      }
    }
  });
});
