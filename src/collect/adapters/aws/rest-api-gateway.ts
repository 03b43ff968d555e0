/**
 * REST API (API Gateway v1) reads through `@aws-sdk/client-api-gateway`. Every call goes through
 * `callAws`, so throttling is retried in one place and a refusal names the `apigateway:GET` need.
 */
import {
  GetAccountCommand,
  GetAuthorizersCommand,
  GetBasePathMappingsCommand,
  GetDeploymentsCommand,
  GetIntegrationCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  GetRestApisCommand,
  GetStagesCommand,
} from '@aws-sdk/client-api-gateway';
import type {
  APIGatewayClient,
  Authorizer,
  BasePathMapping,
  Deployment,
  Integration,
  IntegrationResponse,
  Method,
  MethodSetting as SdkMethodSetting,
  Resource,
  RestApi,
  Stage,
} from '@aws-sdk/client-api-gateway';
import { allPages, callAws, isNotFound } from '../../call-aws';
import type { CallPolicy } from '../../call-aws';
import type {
  AccountInfo,
  AccountPort,
  ApiGatewayPort,
  ApiSummary,
  AuthorizerInfo,
  DeploymentInfo,
  DomainMapping,
  IntegrationInfo,
  IntegrationResponseInfo,
  MethodSetting,
  RouteInfo,
  StageInfo,
} from '../../ports';

/** The largest page REST list operations accept; fewer pages means fewer calls against the 10 rps quota. */
const PAGE_LIMIT = 500;

/** The base path API Gateway reports for a mapping at the domain's root. */
const ROOT_BASE_PATH = '(none)';

/**
 * The REST API (v1) side of API Gateway, plus the Region's account settings (which only v1 exposes).
 */
export class AwsRestApiGateway implements ApiGatewayPort, AccountPort {
  readonly family = 'v1' as const;

  constructor(
    private readonly client: APIGatewayClient,
    private readonly policy: CallPolicy,
  ) {}

  async getApi(apiId: string): Promise<ApiSummary | null> {
    const command = new GetRestApiCommand({ restApiId: apiId });
    try {
      const api = await callAws(this.policy, 'apigateway', command, () => this.client.send(command));
      return toApiSummary(api);
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  async listApis(): Promise<ApiSummary[]> {
    const apis = await allPages((position) => {
      const command = new GetRestApisCommand({ limit: PAGE_LIMIT, position });
      return callAws(this.policy, 'apigateway', command, () => this.client.send(command));
    }, (page) => page.items, (page) => page.position);
    return apis.map(toApiSummary);
  }

  async getStages(apiId: string): Promise<StageInfo[]> {
    const command = new GetStagesCommand({ restApiId: apiId });
    const out = await callAws(this.policy, 'apigateway', command, () => this.client.send(command));
    // GetStages is not paginated, and its list is `item`, not `items`.
    return (out.item ?? []).map(toStageInfo);
  }

  async getRoutes(apiId: string): Promise<RouteInfo[]> {
    // embed=methods returns every method with its integration in the resource pages, instead of one
    // GetMethod per resource and verb (GetResources alone is limited to 5 requests per 2 s).
    const resources = await allPages((position) => {
      const command = new GetResourcesCommand({ restApiId: apiId, embed: ['methods'], limit: PAGE_LIMIT, position });
      return callAws(this.policy, 'apigateway', command, () => this.client.send(command));
    }, (page) => page.items, (page) => page.position);
    const methods = resources.flatMap((resource) =>
      Object.entries(resource.resourceMethods ?? {}).map(([verb, method]) => ({ resource, verb, method })),
    );
    return Promise.all(
      methods.map(async ({ resource, verb, method }) => {
        // The embedded Method is not documented to always carry its integration: read it only when missing.
        const integration = method.methodIntegration ?? (await this.getIntegration(apiId, resource.id ?? '', verb));
        return toRouteInfo(resource, verb, method, integration);
      }),
    );
  }

  async getAuthorizers(apiId: string): Promise<AuthorizerInfo[]> {
    const authorizers = await allPages((position) => {
      const command = new GetAuthorizersCommand({ restApiId: apiId, limit: PAGE_LIMIT, position });
      return callAws(this.policy, 'apigateway', command, () => this.client.send(command));
    }, (page) => page.items, (page) => page.position);
    return authorizers.map(toAuthorizerInfo);
  }

  async getDeployments(apiId: string): Promise<DeploymentInfo[]> {
    const deployments = await allPages((position) => {
      const command = new GetDeploymentsCommand({ restApiId: apiId, limit: PAGE_LIMIT, position });
      return callAws(this.policy, 'apigateway', command, () => this.client.send(command));
    }, (page) => page.items, (page) => page.position);
    return newestFirst(deployments.map(toDeploymentInfo));
  }

  async getDomainMappings(domain: string): Promise<DomainMapping[] | null> {
    try {
      const mappings = await allPages((position) => {
        const command = new GetBasePathMappingsCommand({ domainName: domain, limit: PAGE_LIMIT, position });
        return callAws(this.policy, 'apigateway', command, () => this.client.send(command));
      }, (page) => page.items, (page) => page.position);
      return mappings.map((m) => toDomainMapping(domain, m));
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  async getAccount(): Promise<AccountInfo> {
    const command = new GetAccountCommand({});
    const account = await callAws(this.policy, 'apigateway', command, () => this.client.send(command));
    return {
      cloudwatchRoleArn: account.cloudwatchRoleArn,
      throttleRateLimit: account.throttleSettings?.rateLimit,
      throttleBurstLimit: account.throttleSettings?.burstLimit,
    };
  }

  /** The method's integration, or undefined when the method has none (API Gateway answers NotFound). */
  private async getIntegration(apiId: string, resourceId: string, httpMethod: string): Promise<Integration | undefined> {
    const command = new GetIntegrationCommand({ restApiId: apiId, resourceId, httpMethod });
    try {
      return await callAws(this.policy, 'apigateway', command, () => this.client.send(command));
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }
}



const iso = (date: Date | undefined): string | undefined => date?.toISOString();

function toApiSummary(api: RestApi): ApiSummary {
  return {
    apiId: api.id ?? '',
    name: api.name ?? '',
    apiType: 'REST',
    binaryMediaTypes: api.binaryMediaTypes,
    endpointType: api.endpointConfiguration?.types?.[0],
    createdDate: iso(api.createdDate),
  };
}

function toStageInfo(stage: Stage): StageInfo {
  const destinationArn = stage.accessLogSettings?.destinationArn;
  return {
    name: stage.stageName ?? '',
    deploymentId: stage.deploymentId,
    createdDate: iso(stage.createdDate),
    lastUpdatedDate: iso(stage.lastUpdatedDate),
    variables: stage.variables ?? {},
    // Without a destination there is no access log, whatever format is left behind.
    accessLog: destinationArn ? { destinationArn, format: stage.accessLogSettings?.format } : undefined,
    methodSettings: Object.fromEntries(Object.entries(stage.methodSettings ?? {}).map(([key, s]) => [key, toMethodSetting(s)])),
    tracingEnabled: stage.tracingEnabled,
  };
}

function toMethodSetting(s: SdkMethodSetting): MethodSetting {
  return {
    loggingLevel: s.loggingLevel,
    dataTraceEnabled: s.dataTraceEnabled,
    metricsEnabled: s.metricsEnabled,
    throttlingBurstLimit: s.throttlingBurstLimit,
    throttlingRateLimit: s.throttlingRateLimit,
  };
}

function toRouteInfo(resource: Resource, verb: string, method: Method, integration: Integration | undefined): RouteInfo {
  const path = resource.path ?? '';
  return {
    routeKey: `${verb} ${path}`,
    resourceId: resource.id,
    resourcePath: path,
    httpMethod: verb,
    authorizationType: method.authorizationType,
    authorizerId: method.authorizerId,
    integration: integration ? toIntegrationInfo(integration) : undefined,
  };
}

function toIntegrationInfo(integration: Integration): IntegrationInfo {
  return {
    type: integration.type ?? '',
    httpMethod: integration.httpMethod,
    uri: integration.uri,
    connectionType: integration.connectionType,
    connectionId: integration.connectionId,
    timeoutMs: integration.timeoutInMillis,
    credentials: integration.credentials,
    contentHandling: integration.contentHandling,
    hasRequestTemplates: hasTemplates(integration.requestTemplates),
    responses: Object.values(integration.integrationResponses ?? {}).map(toIntegrationResponseInfo),
  };
}

function toIntegrationResponseInfo(response: IntegrationResponse): IntegrationResponseInfo {
  return {
    statusCode: response.statusCode ?? '',
    selectionPattern: response.selectionPattern,
    contentHandling: response.contentHandling,
    hasTemplates: hasTemplates(response.responseTemplates),
  };
}

/** API Gateway lists a content type with a null template when it passes the body through untouched. */
function hasTemplates(templates: Record<string, string | null> | undefined): boolean {
  return Object.values(templates ?? {}).some((t) => typeof t === 'string');
}

function toAuthorizerInfo(authorizer: Authorizer): AuthorizerInfo {
  return {
    id: authorizer.id ?? '',
    name: authorizer.name ?? '',
    type: authorizer.type ?? '',
    uri: authorizer.authorizerUri,
    credentials: authorizer.authorizerCredentials,
  };
}

function toDeploymentInfo(deployment: Deployment): DeploymentInfo {
  return {
    id: deployment.id ?? '',
    createdDate: iso(deployment.createdDate) ?? '',
    description: deployment.description,
  };
}

/** ISO 8601 UTC strings sort as the instants they name. */
function newestFirst(deployments: DeploymentInfo[]): DeploymentInfo[] {
  return [...deployments].sort((a, b) => (a.createdDate < b.createdDate ? 1 : a.createdDate > b.createdDate ? -1 : 0));
}

function toDomainMapping(domain: string, mapping: BasePathMapping): DomainMapping {
  const basePath = mapping.basePath ?? '';
  return {
    domain,
    basePath: basePath === ROOT_BASE_PATH ? '' : basePath,
    apiId: mapping.restApiId ?? '',
    stage: mapping.stage,
  };
}
