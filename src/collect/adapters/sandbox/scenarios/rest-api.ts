/**
 * A REST API as `get-rest-api`, `get-resources --embed methods`, `get-stages`, `get-authorizers` and
 * `get-deployments` return it, with its prod stage's execution and access logs and its stage metrics.
 */
import type { Authorizer, Method, Resource } from '@aws-sdk/client-api-gateway';
import type { LogRows } from '../world';
import type { WorldFragment } from '../scenario';
import type { ApiTraffic, LoggedRequest } from './kit';
import { MINUTE, apiMetrics, executionLog, executionLogGroup, restStage, shortId } from './kit';

/** A method, given the id of the resource it is on (integrations name it as their cache namespace). */
export type MethodOf = (resourceId: string) => Method;

/**
 * The resources of the given paths and every path above them, each with its methods; ids derive from
 * the API id and path (`ids` overrides them).
 */
export function resourceTree(apiId: string, paths: Record<string, Record<string, MethodOf>>, ids: Record<string, string> = {}): Resource[] {
  const idOf = (path: string): string => ids[path] ?? (path === '/' ? shortId(`${apiId}/root`, 10) : shortId(`${apiId}${path}`));
  const all = new Set<string>(['/']);
  for (const path of Object.keys(paths)) {
    const parts = path.split('/').filter((p) => p !== '');
    for (let i = 1; i <= parts.length; i++) all.add(`/${parts.slice(0, i).join('/')}`);
  }
  return [...all].map((path) => {
    const id = idOf(path);
    const methods = paths[path];
    const resourceMethods = methods ? Object.fromEntries(Object.entries(methods).map(([verb, method]) => [verb, method(id)])) : undefined;
    if (path === '/') return { id, path, ...(resourceMethods ? { resourceMethods } : {}) };
    const parent = path.slice(0, path.lastIndexOf('/')) || '/';
    return { id, parentId: idOf(parent), pathPart: path.slice(path.lastIndexOf('/') + 1), path, ...(resourceMethods ? { resourceMethods } : {}) };
  });
}

/** An HTTP proxy integration to `uri`; `{name}` path parameters of the resource are passed on. */
export function httpProxyMethod(verb: string, uri: string, opts: { params?: string[]; connectionType?: 'INTERNET' | 'VPC_LINK'; connectionId?: string } = {}): MethodOf {
  const params = opts.params ?? [];
  return (resourceId) => ({
    httpMethod: verb,
    authorizationType: 'NONE',
    apiKeyRequired: false,
    ...(params.length > 0 ? { requestParameters: Object.fromEntries(params.map((p) => [`method.request.path.${p}`, true])) } : {}),
    methodResponses: { '200': { statusCode: '200' } },
    methodIntegration: {
      type: 'HTTP_PROXY',
      httpMethod: verb,
      uri,
      connectionType: opts.connectionType ?? 'INTERNET',
      ...(opts.connectionId ? { connectionId: opts.connectionId } : {}),
      ...(params.length > 0 ? { requestParameters: Object.fromEntries(params.map((p) => [`integration.request.path.${p}`, `method.request.path.${p}`])) } : {}),
      passthroughBehavior: 'WHEN_NO_MATCH',
      timeoutInMillis: 29000,
      cacheNamespace: resourceId,
      cacheKeyParameters: [],
      integrationResponses: { '200': { statusCode: '200' } },
    },
  });
}

/** A MOCK integration answering 200 (health checks). */
export function mockMethod(verb = 'GET', body = '{"status": "ok"}'): MethodOf {
  return () => ({
    httpMethod: verb,
    authorizationType: 'NONE',
    apiKeyRequired: false,
    methodResponses: { '200': { statusCode: '200', responseModels: { 'application/json': 'Empty' } } },
    methodIntegration: {
      type: 'MOCK',
      requestTemplates: { 'application/json': '{"statusCode": 200}' },
      passthroughBehavior: 'WHEN_NO_MATCH',
      timeoutInMillis: 29000,
      integrationResponses: { '200': { statusCode: '200', responseTemplates: { 'application/json': body } } },
    },
  });
}

export interface RestApiSpec {
  apiId: string;
  apiName: string;
  description?: string;
  created: Date;
  binaryMediaTypes?: string[];
  tags?: Record<string, string>;
  resources: Resource[];
  authorizers?: Authorizer[];
  stage: {
    name: string;
    /** Default INFO; OFF writes no execution log at all. */
    loggingLevel?: 'INFO' | 'ERROR' | 'OFF';
    /** JSON access logs in this format, and the rows the access-failures query gets; absent: none. */
    accessLog?: { format: string; rows: LogRows };
    variables?: Record<string, string>;
    /** Last update; default a second after the live deployment. */
    updated?: Date;
  };
  /** Newest first: the first is live on the stage. */
  deployments: readonly { id: string; description: string; at: Date }[];
  /** Message-group rows of the execution log. */
  execution?: LogRows;
  /** Requests whose "HTTP Method:" line the execution log answers lookups with. */
  requests?: LoggedRequest[];
  onset: Date;
  traffic: ApiTraffic;
}

export const accessLogGroup = (apiName: string): string => `/aws/apigateway/${apiName}-access`;

/** The REST API with its stage, logs and stage metrics. */
export function restApi(spec: RestApiSpec): WorldFragment {
  const [live] = spec.deployments;
  if (!live) throw new Error(`${spec.apiName} needs a deployment`);
  const stage = spec.stage;
  const accessGroup = accessLogGroup(spec.apiName);
  const logging = stage.loggingLevel ?? 'INFO';
  return {
    restApis: [
      {
        api: {
          id: spec.apiId,
          name: spec.apiName,
          ...(spec.description ? { description: spec.description } : {}),
          createdDate: spec.created,
          ...(spec.binaryMediaTypes ? { binaryMediaTypes: spec.binaryMediaTypes } : {}),
          apiKeySource: 'HEADER',
          endpointConfiguration: { types: ['REGIONAL'] },
          disableExecuteApiEndpoint: false,
          rootResourceId: spec.resources.find((r) => r.path === '/')?.id ?? shortId(`${spec.apiId}/root`, 10),
          ...(spec.tags ? { tags: spec.tags } : {}),
        },
        stages: [
          restStage({
            name: stage.name,
            deploymentId: live.id,
            created: new Date(spec.created.getTime() + 8 * MINUTE),
            updated: stage.updated ?? new Date(live.at.getTime() + 1_000),
            loggingLevel: logging,
            ...(stage.accessLog ? { accessLog: { group: accessGroup, format: stage.accessLog.format } } : {}),
            ...(stage.variables ? { variables: stage.variables } : {}),
          }),
        ],
        resources: spec.resources,
        ...(spec.authorizers ? { authorizers: spec.authorizers } : {}),
        deployments: spec.deployments.map((d) => ({ id: d.id, description: d.description, createdDate: d.at })),
      },
    ],
    logGroups: {
      ...(logging === 'OFF' ? {} : { [executionLogGroup(spec.apiId, stage.name)]: executionLog(spec.execution ?? [], spec.requests ?? []) }),
      ...(stage.accessLog ? { [accessGroup]: stage.accessLog.rows } : {}),
    },
    metrics: apiMetrics({ rest: true, apiName: spec.apiName }, stage.name, spec.onset, spec.traffic),
  };
}
