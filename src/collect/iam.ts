/**
 * The IAM action and resource each AWS call needs. The adapters' calls go through `callAws`, which
 * names the action in a `skipped` entry when AWS refuses; `docs/iam-policy.json` grants exactly
 * these, and a test checks every call the adapters made against it.
 */

export type AwsService = 'apigateway' | 'apigatewayv2' | 'logs' | 'cloudwatch' | 'lambda' | 'sts';

export interface IamNeed {
  /** For example `logs:StartQuery`. */
  action: string;
  /** The resource ARN the action applies to, `*` where the action takes no resource. */
  resource: string;
}

type Input = Readonly<Record<string, unknown>>;

const str = (input: Input, key: string): string => {
  const v = input[key];
  return typeof v === 'string' && v !== '' ? v : '*';
};

/** API Gateway reads are all `apigateway:GET` on the path of the resource read. */
const apigw = (path: (i: Input) => string) => (i: Input, region: string): IamNeed => ({
  action: 'apigateway:GET',
  resource: `arn:aws:apigateway:${region}::${path(i)}`,
});

const logGroupArn = (region: string, account: string, name: string): string => `arn:aws:logs:${region}:${account}:log-group:${name}:*`;

const NEEDS: Record<AwsService, Record<string, (input: Input, region: string, account: string) => IamNeed>> = {
  apigateway: {
    GetRestApisCommand: apigw(() => '/restapis'),
    GetRestApiCommand: apigw((i) => `/restapis/${str(i, 'restApiId')}`),
    GetStagesCommand: apigw((i) => `/restapis/${str(i, 'restApiId')}/stages`),
    GetStageCommand: apigw((i) => `/restapis/${str(i, 'restApiId')}/stages/${str(i, 'stageName')}`),
    GetResourcesCommand: apigw((i) => `/restapis/${str(i, 'restApiId')}/resources`),
    GetIntegrationCommand: apigw((i) => `/restapis/${str(i, 'restApiId')}/resources/${str(i, 'resourceId')}/methods/${str(i, 'httpMethod')}/integration`),
    GetAuthorizersCommand: apigw((i) => `/restapis/${str(i, 'restApiId')}/authorizers`),
    GetDeploymentsCommand: apigw((i) => `/restapis/${str(i, 'restApiId')}/deployments`),
    GetAccountCommand: apigw(() => '/account'),
    GetDomainNameCommand: apigw((i) => `/domainnames/${str(i, 'domainName')}`),
    GetBasePathMappingsCommand: apigw((i) => `/domainnames/${str(i, 'domainName')}/basepathmappings`),
  },
  apigatewayv2: {
    GetApisCommand: apigw(() => '/apis'),
    GetApiCommand: apigw((i) => `/apis/${str(i, 'ApiId')}`),
    GetStagesCommand: apigw((i) => `/apis/${str(i, 'ApiId')}/stages`),
    GetRoutesCommand: apigw((i) => `/apis/${str(i, 'ApiId')}/routes`),
    GetIntegrationsCommand: apigw((i) => `/apis/${str(i, 'ApiId')}/integrations`),
    GetAuthorizersCommand: apigw((i) => `/apis/${str(i, 'ApiId')}/authorizers`),
    GetDeploymentsCommand: apigw((i) => `/apis/${str(i, 'ApiId')}/deployments`),
    GetApiMappingsCommand: apigw((i) => `/domainnames/${str(i, 'DomainName')}/apimappings`),
  },
  logs: {
    StartQueryCommand: (i, region, account) => {
      const groups = i.logGroupNames;
      const first = Array.isArray(groups) && typeof groups[0] === 'string' ? groups[0] : str(i, 'logGroupName');
      return { action: 'logs:StartQuery', resource: logGroupArn(region, account, first) };
    },
    // GetQueryResults and StopQuery take a query id, not a resource.
    GetQueryResultsCommand: () => ({ action: 'logs:GetQueryResults', resource: '*' }),
    StopQueryCommand: () => ({ action: 'logs:StopQuery', resource: '*' }),
  },
  cloudwatch: {
    GetMetricDataCommand: () => ({ action: 'cloudwatch:GetMetricData', resource: '*' }),
  },
  lambda: {
    GetFunctionConfigurationCommand: (i, region, account) => ({ action: 'lambda:GetFunctionConfiguration', resource: functionArn(i, region, account) }),
    GetFunctionConcurrencyCommand: (i, region, account) => ({ action: 'lambda:GetFunctionConcurrency', resource: functionArn(i, region, account) }),
    GetAliasCommand: (i, region, account) => ({ action: 'lambda:GetAlias', resource: functionArn(i, region, account) }),
    GetPolicyCommand: (i, region, account) => ({ action: 'lambda:GetPolicy', resource: functionArn(i, region, account) }),
  },
  sts: {
    // GetCallerIdentity needs no permission; AssumeRole is granted by the role's trust policy and the caller's policy.
    GetCallerIdentityCommand: () => ({ action: 'sts:GetCallerIdentity', resource: '*' }),
    AssumeRoleCommand: (i) => ({ action: 'sts:AssumeRole', resource: str(i, 'RoleArn') }),
  },
};

/** The function ARN a Lambda call reads, whatever form `FunctionName` takes (name, ARN, name:qualifier). */
function functionArn(input: Input, region: string, account: string): string {
  const name = str(input, 'FunctionName');
  if (name.startsWith('arn:')) return name;
  return `arn:aws:lambda:${region}:${account}:function:${name}`;
}

/** The IAM need of a call, or undefined for a command this table does not know (a test keeps it complete). */
export function iamNeedOf(service: AwsService, commandName: string, input: Input, region: string, account = '*'): IamNeed | undefined {
  const table = NEEDS[service];
  return Object.hasOwn(table, commandName) ? table[commandName]?.(input, region, account) : undefined;
}

/** Every command the table knows, per service (for the completeness test). */
export function knownCommands(service: AwsService): string[] {
  return Object.keys(NEEDS[service]);
}
