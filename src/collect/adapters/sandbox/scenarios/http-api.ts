/**
 * An HTTP API with one route to an HTTP backend (HTTP_PROXY), its `$default` stage (auto-deployed), its
 * access logs when it has any, its stage metrics, and what public DNS answers for the backend.
 */
import type { LogRows, World } from '../world';
import type { WorldFragment } from '../scenario';
import type { ApiTraffic } from './kit';
import { REGION, apiMetrics, logGroupArn, shortId } from './kit';

export interface HttpProxyApiSpec {
  apiId: string;
  name: string;
  created: Date;
  routeKey: string;
  uri: string;
  /** Default ANY. */
  integrationMethod?: string;
  /** Default 30,000 ms, the most an HTTP API allows. */
  timeoutMs?: number;
  /** JSON access logs in this format, and the rows the access-failures query gets; absent: none. */
  accessLog?: { format: string; rows: LogRows };
  /** The last automatic deployment. */
  deployedAt: Date;
  onset: Date;
  traffic: ApiTraffic;
  dns: World['dns'];
  tags?: Record<string, string>;
}

export const httpAccessLogGroup = (name: string): string => `/aws/http-api/${name}`;

export function httpProxyApi(spec: HttpProxyApiSpec): WorldFragment {
  const integrationId = shortId(`${spec.apiId}/integration`, 7);
  const deploymentId = shortId(`${spec.apiId}/deployment`);
  const group = httpAccessLogGroup(spec.name);
  return {
    v2Apis: [
      {
        api: {
          ApiId: spec.apiId,
          Name: spec.name,
          ProtocolType: 'HTTP',
          ApiEndpoint: `https://${spec.apiId}.execute-api.${REGION}.amazonaws.com`,
          ApiKeySelectionExpression: '$request.header.x-api-key',
          RouteSelectionExpression: '$request.method $request.path',
          DisableExecuteApiEndpoint: false,
          CreatedDate: spec.created,
          ...(spec.tags ? { Tags: spec.tags } : {}),
        },
        stages: [
          {
            StageName: '$default',
            AutoDeploy: true,
            DeploymentId: deploymentId,
            CreatedDate: spec.created,
            LastUpdatedDate: spec.deployedAt,
            LastDeploymentStatusMessage: `Successfully deployed stage with deployment ID '${deploymentId}'`,
            DefaultRouteSettings: { DetailedMetricsEnabled: false },
            RouteSettings: {},
            StageVariables: {},
            Tags: {},
            ...(spec.accessLog ? { AccessLogSettings: { DestinationArn: logGroupArn(group), Format: spec.accessLog.format } } : {}),
          },
        ],
        routes: [{ RouteId: shortId(`${spec.apiId}/route`, 7), RouteKey: spec.routeKey, Target: `integrations/${integrationId}`, AuthorizationType: 'NONE', ApiKeyRequired: false }],
        integrations: [
          {
            IntegrationId: integrationId,
            IntegrationType: 'HTTP_PROXY',
            IntegrationMethod: spec.integrationMethod ?? 'ANY',
            IntegrationUri: spec.uri,
            ConnectionType: 'INTERNET',
            PayloadFormatVersion: '1.0',
            TimeoutInMillis: spec.timeoutMs ?? 30000,
          },
        ],
        deployments: [{ DeploymentId: deploymentId, CreatedDate: spec.deployedAt, Description: 'Automatic deployment triggered by changes to the Api configuration' }],
      },
    ],
    logGroups: spec.accessLog ? { [group]: spec.accessLog.rows } : {},
    metrics: apiMetrics({ rest: false, apiId: spec.apiId }, '$default', spec.onset, spec.traffic),
    dns: spec.dns,
  };
}
