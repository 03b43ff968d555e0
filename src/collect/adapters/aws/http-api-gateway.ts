/**
 * HTTP and WebSocket API (API Gateway v2) reads through `@aws-sdk/client-apigatewayv2`. The SDK
 * generates no paginators for these operations, so each list follows `NextToken` here.
 */
import {
  GetApiCommand,
  GetApiMappingsCommand,
  GetApisCommand,
  GetAuthorizersCommand,
  GetDeploymentsCommand,
  GetIntegrationsCommand,
  GetRoutesCommand,
  GetStagesCommand,
} from '@aws-sdk/client-apigatewayv2';
import type {
  ApiGatewayV2Client,
  ApiMapping,
  Authorizer,
  Deployment,
  GetApiResponse,
  Integration,
  Route,
  RouteSettings,
  Stage,
} from '@aws-sdk/client-apigatewayv2';
import { allPages, callAws, isNotFound } from '../../call-aws';
import type { CallPolicy } from '../../call-aws';
import type {
  ApiGatewayPort,
  ApiSummary,
  AuthorizerInfo,
  DeploymentInfo,
  DomainMapping,
  IntegrationInfo,
  MethodSetting,
  RouteInfo,
  StageInfo,
} from '../../ports';

/** v2 takes `MaxResults` as a string; 500 keeps calls against the shared 10 rps quota few. */
const MAX_RESULTS = '500';

/** The methodSettings key REST uses for stage-wide settings; v2's DefaultRouteSettings play that part. */
const STAGE_WIDE = '*/*';

const INTEGRATION_TARGET = 'integrations/';

/** `GET /pets/{id}`, `ANY /{proxy+}`: an HTTP API route key. `$default` and WebSocket keys do not match. */
const HTTP_ROUTE_KEY = /^([A-Z]+) (\/.*)$/;

/** The HTTP and WebSocket API (v2) side of API Gateway. */
export class AwsHttpApiGateway implements ApiGatewayPort {
  readonly family = 'v2' as const;

  constructor(
    private readonly client: ApiGatewayV2Client,
    private readonly policy: CallPolicy,
  ) {}

  async getApi(apiId: string): Promise<ApiSummary | null> {
    const command = new GetApiCommand({ ApiId: apiId });
    try {
      const api = await callAws(this.policy, 'apigatewayv2', command, () => this.client.send(command));
      return toApiSummary(api);
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  async listApis(): Promise<ApiSummary[]> {
    const apis = await allPages((NextToken) => {
      const command = new GetApisCommand({ MaxResults: MAX_RESULTS, NextToken });
      return callAws(this.policy, 'apigatewayv2', command, () => this.client.send(command));
    }, (page) => page.Items, (page) => page.NextToken);
    return apis.map(toApiSummary);
  }

  async getStages(apiId: string): Promise<StageInfo[]> {
    const stages = await allPages((NextToken) => {
      const command = new GetStagesCommand({ ApiId: apiId, MaxResults: MAX_RESULTS, NextToken });
      return callAws(this.policy, 'apigatewayv2', command, () => this.client.send(command));
    }, (page) => page.Items, (page) => page.NextToken);
    return stages.map(toStageInfo);
  }

  async getRoutes(apiId: string): Promise<RouteInfo[]> {
    const [routes, integrations] = await Promise.all([
      allPages((NextToken) => {
        const command = new GetRoutesCommand({ ApiId: apiId, MaxResults: MAX_RESULTS, NextToken });
        return callAws(this.policy, 'apigatewayv2', command, () => this.client.send(command));
      }, (page) => page.Items, (page) => page.NextToken),
      allPages((NextToken) => {
        const command = new GetIntegrationsCommand({ ApiId: apiId, MaxResults: MAX_RESULTS, NextToken });
        return callAws(this.policy, 'apigatewayv2', command, () => this.client.send(command));
      }, (page) => page.Items, (page) => page.NextToken),
    ]);
    const byId = new Map(integrations.map((i) => [i.IntegrationId ?? '', toIntegrationInfo(i)]));
    return routes.map((route) => toRouteInfo(route, byId));
  }

  async getAuthorizers(apiId: string): Promise<AuthorizerInfo[]> {
    const authorizers = await allPages((NextToken) => {
      const command = new GetAuthorizersCommand({ ApiId: apiId, MaxResults: MAX_RESULTS, NextToken });
      return callAws(this.policy, 'apigatewayv2', command, () => this.client.send(command));
    }, (page) => page.Items, (page) => page.NextToken);
    return authorizers.map(toAuthorizerInfo);
  }

  async getDeployments(apiId: string): Promise<DeploymentInfo[]> {
    const deployments = await allPages((NextToken) => {
      const command = new GetDeploymentsCommand({ ApiId: apiId, MaxResults: MAX_RESULTS, NextToken });
      return callAws(this.policy, 'apigatewayv2', command, () => this.client.send(command));
    }, (page) => page.Items, (page) => page.NextToken);
    return newestFirst(deployments.map(toDeploymentInfo));
  }

  async getDomainMappings(domain: string): Promise<DomainMapping[] | null> {
    try {
      const mappings = await allPages((NextToken) => {
        const command = new GetApiMappingsCommand({ DomainName: domain, MaxResults: MAX_RESULTS, NextToken });
        return callAws(this.policy, 'apigatewayv2', command, () => this.client.send(command));
      }, (page) => page.Items, (page) => page.NextToken);
      return mappings.map((m) => toDomainMapping(domain, m));
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }
}



const iso = (date: Date | undefined): string | undefined => date?.toISOString();

/** GetApi answers with the API's fields at the top level, GetApis with `Api` items: both fit this. */
type ApiFields = Pick<GetApiResponse, 'ApiId' | 'Name' | 'ProtocolType' | 'ApiEndpoint' | 'CreatedDate'>;

function toApiSummary(api: ApiFields): ApiSummary {
  return {
    apiId: api.ApiId ?? '',
    name: api.Name ?? '',
    apiType: api.ProtocolType === 'WEBSOCKET' ? 'WEBSOCKET' : 'HTTP',
    endpoint: api.ApiEndpoint,
    createdDate: iso(api.CreatedDate),
  };
}

function toStageInfo(stage: Stage): StageInfo {
  const methodSettings: Record<string, MethodSetting> = {};
  if (stage.DefaultRouteSettings) methodSettings[STAGE_WIDE] = toMethodSetting(stage.DefaultRouteSettings);
  for (const [routeKey, settings] of Object.entries(stage.RouteSettings ?? {})) {
    methodSettings[routeKey] = toMethodSetting(settings);
  }
  const destinationArn = stage.AccessLogSettings?.DestinationArn;
  return {
    name: stage.StageName ?? '',
    deploymentId: stage.DeploymentId,
    createdDate: iso(stage.CreatedDate),
    lastUpdatedDate: iso(stage.LastUpdatedDate),
    variables: stage.StageVariables ?? {},
    // Without a destination there is no access log, whatever format is left behind.
    accessLog: destinationArn ? { destinationArn, format: stage.AccessLogSettings?.Format } : undefined,
    methodSettings,
    autoDeploy: stage.AutoDeploy,
    lastDeploymentStatusMessage: stage.LastDeploymentStatusMessage,
  };
}

function toMethodSetting(s: RouteSettings): MethodSetting {
  return {
    loggingLevel: s.LoggingLevel,
    dataTraceEnabled: s.DataTraceEnabled,
    metricsEnabled: s.DetailedMetricsEnabled,
    throttlingBurstLimit: s.ThrottlingBurstLimit,
    throttlingRateLimit: s.ThrottlingRateLimit,
  };
}

function toRouteInfo(route: Route, integrations: ReadonlyMap<string, IntegrationInfo>): RouteInfo {
  const routeKey = route.RouteKey ?? '';
  const http = HTTP_ROUTE_KEY.exec(routeKey);
  const target = route.Target;
  // A route without a target (or with one naming a deleted integration) has no integration.
  const integration = target?.startsWith(INTEGRATION_TARGET) ? integrations.get(target.slice(INTEGRATION_TARGET.length)) : undefined;
  return {
    routeKey,
    resourceId: route.RouteId,
    resourcePath: http?.[2],
    httpMethod: http?.[1],
    authorizationType: route.AuthorizationType,
    authorizerId: route.AuthorizerId,
    integration,
  };
}

function toIntegrationInfo(integration: Integration): IntegrationInfo {
  return {
    integrationId: integration.IntegrationId,
    type: integration.IntegrationType ?? '',
    httpMethod: integration.IntegrationMethod,
    uri: integration.IntegrationUri,
    connectionType: integration.ConnectionType,
    connectionId: integration.ConnectionId,
    timeoutMs: integration.TimeoutInMillis,
    credentials: integration.CredentialsArn,
    payloadFormatVersion: integration.PayloadFormatVersion,
    contentHandling: integration.ContentHandlingStrategy,
    hasRequestTemplates: Object.keys(integration.RequestTemplates ?? {}).length > 0,
    // Only WebSocket integrations have integration responses, and no diagnosis reads them.
    responses: [],
  };
}

function toAuthorizerInfo(authorizer: Authorizer): AuthorizerInfo {
  return {
    id: authorizer.AuthorizerId ?? '',
    name: authorizer.Name ?? '',
    type: authorizer.AuthorizerType ?? '',
    uri: authorizer.AuthorizerUri,
    credentials: authorizer.AuthorizerCredentialsArn,
  };
}

function toDeploymentInfo(deployment: Deployment): DeploymentInfo {
  return {
    id: deployment.DeploymentId ?? '',
    createdDate: iso(deployment.CreatedDate) ?? '',
    description: deployment.Description,
  };
}

/** ISO 8601 UTC strings sort as the instants they name. */
function newestFirst(deployments: DeploymentInfo[]): DeploymentInfo[] {
  return [...deployments].sort((a, b) => (a.createdDate < b.createdDate ? 1 : a.createdDate > b.createdDate ? -1 : 0));
}

function toDomainMapping(domain: string, mapping: ApiMapping): DomainMapping {
  return {
    domain,
    // v2 has no `(none)`: the root mapping has an empty (or absent) key.
    basePath: mapping.ApiMappingKey ?? '',
    apiId: mapping.ApiId ?? '',
    stage: mapping.Stage,
  };
}
