/**
 * The ports through which an investigation reads AWS. Each is a small interface in the terms of the
 * investigation, not of the SDK: the AWS SDK v3 adapters (`adapters/aws/`) and the sandbox implement
 * them, and tests can hand in in-memory ones. Every method is a read; the bot never changes AWS.
 *
 * Times are ISO 8601 strings; durations are milliseconds unless the name says otherwise.
 */
import type { ApiType } from '../diagnosis/evidence';

/** One API as listed: a REST API (v1) or an HTTP/WebSocket API (v2). */
export interface ApiSummary {
  apiId: string;
  name: string;
  apiType: ApiType;
  /** v2 `ApiEndpoint`; REST APIs have none (the invoke URL is built from id and region). */
  endpoint?: string;
  /** REST: the API's binary media types. */
  binaryMediaTypes?: string[];
  /** REST: EDGE, REGIONAL or PRIVATE. */
  endpointType?: string;
  createdDate?: string;
}

/** Logging settings of a stage, stage-wide (`*\/*`) or for one method / route. */
export interface MethodSetting {
  /** OFF, ERROR or INFO (REST and WebSocket execution logs). */
  loggingLevel?: string;
  dataTraceEnabled?: boolean;
  /** REST `metricsEnabled`, v2 `DetailedMetricsEnabled`. */
  metricsEnabled?: boolean;
  throttlingBurstLimit?: number;
  throttlingRateLimit?: number;
}

export interface StageInfo {
  name: string;
  deploymentId?: string;
  createdDate?: string;
  lastUpdatedDate?: string;
  variables: Record<string, string>;
  accessLog?: { destinationArn: string; format?: string };
  /**
   * REST `methodSettings` as the API returns them: `*\/*` stage-wide, or `{path without leading /}/{VERB}`
   * (for example `orders/{id}/GET`). v2: `*\/*` from `DefaultRouteSettings`, then one key per route key
   * from `RouteSettings`.
   */
  methodSettings: Record<string, MethodSetting>;
  /** v2 only. */
  autoDeploy?: boolean;
  /** v2 only: why the last automatic deployment failed, when it did. */
  lastDeploymentStatusMessage?: string;
  tracingEnabled?: boolean;
}

export interface IntegrationResponseInfo {
  statusCode: string;
  selectionPattern?: string;
  contentHandling?: string;
  hasTemplates: boolean;
}

/** An integration, REST (`methodIntegration`) or v2, in one shape. */
export interface IntegrationInfo {
  /** v2 `IntegrationId`; REST integrations have no id of their own. */
  integrationId?: string;
  /** AWS_PROXY, AWS, HTTP_PROXY, HTTP or MOCK. */
  type: string;
  /** The integration's own HTTP method (REST `httpMethod`, v2 `IntegrationMethod`). */
  httpMethod?: string;
  uri?: string;
  /** v2 private integrations: the ALB/NLB listener or Cloud Map service ARN is `uri`. */
  connectionType?: string;
  connectionId?: string;
  timeoutMs?: number;
  /** Credentials role ARN, or `arn:aws:iam::*:user/*` for the caller's credentials. */
  credentials?: string;
  /** v2 only: "1.0" or "2.0". */
  payloadFormatVersion?: string;
  contentHandling?: string;
  hasRequestTemplates: boolean;
  responses: IntegrationResponseInfo[];
}

/** A REST method (resource path + verb) or a v2 route, with its integration. */
export interface RouteInfo {
  /** `GET /orders/{id}` for REST methods and HTTP routes; the route key (`$connect`, `sendMessage`) for WebSocket. */
  routeKey: string;
  /** REST resource id, v2 route id. */
  resourceId?: string;
  /** REST resource path (`/orders/{id}`); for HTTP routes the path part of the route key. */
  resourcePath?: string;
  httpMethod?: string;
  /** NONE, AWS_IAM, CUSTOM, COGNITO_USER_POOLS (REST) or NONE, AWS_IAM, CUSTOM, JWT (v2). */
  authorizationType?: string;
  authorizerId?: string;
  /** Absent for a method without integration (which fails every call). */
  integration?: IntegrationInfo;
}

export interface AuthorizerInfo {
  id: string;
  name: string;
  /** TOKEN, REQUEST, COGNITO_USER_POOLS (REST); REQUEST, JWT (v2). */
  type: string;
  /** The Lambda authorizer's invocation URI. */
  uri?: string;
  credentials?: string;
}

export interface DeploymentInfo {
  id: string;
  createdDate: string;
  description?: string;
}

/** A custom domain's mapping to one API stage. */
export interface DomainMapping {
  domain: string;
  /** `(none)` or empty for the root; otherwise the first path segment(s) that select the API. */
  basePath: string;
  apiId: string;
  stage?: string;
}

/** API Gateway control plane for one API family: REST (v1) or HTTP/WebSocket (v2). */
export interface ApiGatewayPort {
  readonly family: 'v1' | 'v2';
  /** The API with this id, or null when this family has none. */
  getApi(apiId: string): Promise<ApiSummary | null>;
  /** Every API of this family in the Region, all pages. */
  listApis(): Promise<ApiSummary[]>;
  getStages(apiId: string): Promise<StageInfo[]>;
  /** REST: resources with `embed=methods` (never one call per resource). v2: routes joined with integrations. */
  getRoutes(apiId: string): Promise<RouteInfo[]>;
  getAuthorizers(apiId: string): Promise<AuthorizerInfo[]>;
  /** Deployments, newest first. */
  getDeployments(apiId: string): Promise<DeploymentInfo[]>;
  /** The API stages mapped under a custom domain name; null when this family does not know the domain. */
  getDomainMappings(domain: string): Promise<DomainMapping[] | null>;
}

/** REST-only account settings. */
export interface AccountInfo {
  /** Needed for REST and WebSocket execution logs; set per Region. */
  cloudwatchRoleArn?: string;
  throttleRateLimit?: number;
  throttleBurstLimit?: number;
}

export interface AccountPort {
  getAccount(): Promise<AccountInfo>;
}

export interface LogsQuery {
  /** 1 to 50 log group names. */
  logGroups: string[];
  /** A Logs Insights query built only from allow-listed values (see log-queries.ts). */
  queryString: string;
  from: Date;
  to: Date;
  /** Rows wanted, at most 10,000. */
  limit: number;
}

export type LogsQueryStatus = 'Complete' | 'Partial';

export interface LogsQueryResult {
  /** `Partial` when the time budget ran out while the query was still running (rows are those so far). */
  status: LogsQueryStatus;
  rows: Record<string, string>[];
  recordsMatched?: number;
  bytesScanned?: number;
}

export interface LogsPort {
  /**
   * Runs a Logs Insights query to a terminal status, polling until `deadline` (epoch ms). Rejects when
   * the query fails, is cancelled or times out in the service, or a log group does not exist
   * (a `ResourceNotFoundException`).
   */
  runQuery(query: LogsQuery, deadline: number): Promise<LogsQueryResult>;
}

/** One metric series to fetch. */
export interface MetricQuery {
  /** Unique within one request; `^[a-z][a-zA-Z0-9_]*$` (GetMetricData's rule). */
  id: string;
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  /** Sum, Average, Maximum, Minimum, SampleCount or a percentile such as p99. */
  stat: string;
  periodS: number;
}

export interface MetricSeries {
  /** Ascending. */
  timestamps: string[];
  values: number[];
}

export interface MetricsPort {
  /** Fetches the series, batching ≤ 500 queries per call and following every page. Missing ids come back empty. */
  getMetricData(queries: MetricQuery[], from: Date, to: Date): Promise<Map<string, MetricSeries>>;
}

export interface LambdaFunctionInfo {
  functionArn: string;
  functionName: string;
  timeoutMs: number;
  lastModified?: string;
  version?: string;
  /** `LoggingConfig.LogGroup`, else `/aws/lambda/{name}`. */
  logGroup: string;
  state?: string;
  runtime?: string;
  memoryMb?: number;
}

export interface LambdaAliasInfo {
  name: string;
  functionVersion: string;
  /** A weighted alias (canary): version → share of the traffic (0–1) sent to it instead. */
  additionalVersionWeights?: Record<string, number>;
}

export interface LambdaPort {
  /** The function (version or alias when `qualifier` is given), or null when it does not exist. */
  getFunction(functionName: string, qualifier?: string): Promise<LambdaFunctionInfo | null>;
  /** Reserved concurrency, or undefined when none is set. */
  getReservedConcurrency(functionName: string): Promise<number | undefined>;
  getAlias(functionName: string, alias: string): Promise<LambdaAliasInfo | null>;
  /** The resource policy as JSON text, or null when the function (or qualifier) has none. */
  getPolicy(functionName: string, qualifier?: string): Promise<string | null>;
}

export interface DnsAnswer {
  /** The name exists (it has A or AAAA records or answers with no data). */
  resolves: boolean;
  ipv4: string[];
  ipv6: string[];
}

export interface DnsPort {
  resolve(host: string): Promise<DnsAnswer>;
}

export interface IdentityPort {
  /** The account and principal the credentials belong to (STS GetCallerIdentity needs no permission). */
  getCallerIdentity(): Promise<{ accountId: string; arn: string }>;
}

/** Everything one investigation reads, for one account and Region. */
export interface AwsPorts {
  region: string;
  rest: ApiGatewayPort;
  v2: ApiGatewayPort;
  account: AccountPort;
  logs: LogsPort;
  metrics: MetricsPort;
  lambda: LambdaPort;
  dns: DnsPort;
  identity: IdentityPort;
}
