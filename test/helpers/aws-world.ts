/**
 * One AWS account and Region, held as the SDK-shaped objects the real APIs return, served through
 * `aws-sdk-client-mock` to the real SDK clients. Paging follows the inputs (`limit`/`position`,
 * `MaxResults`/`NextToken`), Logs Insights answers Running before Complete, and every command sent is
 * recorded, so tests count calls and check them against docs/iam-policy.json.
 *
 * Every mock declares `onAnyCommand().rejects()` first: a command the world does not serve fails
 * loudly instead of resolving to `undefined`.
 */
import type { Deployment, Resource, RestApi, Stage as RestStage, Authorizer as RestAuthorizer, BasePathMapping } from '@aws-sdk/client-api-gateway';
import {
  APIGatewayClient,
  GetAccountCommand,
  GetAuthorizersCommand as GetRestAuthorizersCommand,
  GetBasePathMappingsCommand,
  GetDeploymentsCommand as GetRestDeploymentsCommand,
  GetIntegrationCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  GetRestApisCommand,
  GetStagesCommand as GetRestStagesCommand,
} from '@aws-sdk/client-api-gateway';
import type { Api, Integration, Route, Stage as V2Stage, ApiMapping } from '@aws-sdk/client-apigatewayv2';
import {
  ApiGatewayV2Client,
  GetApiCommand,
  GetApiMappingsCommand,
  GetApisCommand,
  GetAuthorizersCommand as GetV2AuthorizersCommand,
  GetDeploymentsCommand as GetV2DeploymentsCommand,
  GetIntegrationsCommand,
  GetRoutesCommand,
  GetStagesCommand as GetV2StagesCommand,
} from '@aws-sdk/client-apigatewayv2';
import type { MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, GetQueryResultsCommand, StartQueryCommand, StopQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import { GetAliasCommand, GetFunctionConcurrencyCommand, GetFunctionConfigurationCommand, GetPolicyCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import type { AwsService } from '../../src/collect/iam';
import type { DnsAnswer, DnsPort } from '../../src/collect/ports';

export interface RestApiFixture {
  api: RestApi;
  stages: RestStage[];
  resources: Resource[];
  authorizers?: RestAuthorizer[];
  deployments?: Deployment[];
}

export interface V2ApiFixture {
  api: Api;
  stages: V2Stage[];
  routes: Route[];
  integrations: Integration[];
  deployments?: { DeploymentId: string; CreatedDate: Date; Description?: string }[];
}

export interface MetricFixture {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  /** Statistic it answers; absent answers any. */
  stat?: string;
  /** Value per period start, for every period in [from, to]; undefined leaves the period empty. */
  value: (periodStart: Date) => number | undefined;
}

export interface LambdaFixture {
  config: FunctionConfiguration;
  reserved?: number;
  /** `aws lambda get-policy` Policy text, or absent for none. */
  policy?: string;
  aliases?: Record<string, string>;
  /** Alias → version → share of traffic (a weighted alias). */
  aliasWeights?: Record<string, Record<string, number>>;
}

export interface World {
  region: string;
  accountId: string;
  restApis: RestApiFixture[];
  v2Apis: V2ApiFixture[];
  cloudwatchRoleArn?: string;
  /** Base path mappings (REST) by domain name. */
  basePathMappings?: Record<string, BasePathMapping[]>;
  apiMappings?: Record<string, ApiMapping[]>;
  /**
   * Rows Logs Insights returns for a query over this log group: the same for any query, or chosen by
   * the query text. Absent group: ResourceNotFoundException.
   */
  logGroups: Record<string, Record<string, string>[] | ((queryString: string) => Record<string, string>[])>;
  metrics: MetricFixture[];
  functions: Record<string, LambdaFixture>;
  dns: Record<string, { ipv4: string[]; ipv6: string[] }>;
  /** Commands answered with this error name (e.g. AccessDeniedException), by command class name. */
  deny?: Record<string, string>;
  /** Commands throttled (TooManyRequestsException / ThrottlingException) this many times before they answer. */
  throttleFirst?: Record<string, number>;
  /** Commands that never answer. */
  hang?: string[];
  /** Logs Insights queries stay Running (with their first row) for ever. */
  queriesNeverFinish?: boolean;
  /** Added to every answer, so that a benchmark can relate wall time to the calls made one after another. */
  latencyMs?: number;
}

export interface RecordedCall {
  service: AwsService;
  command: string;
  input: Record<string, unknown>;
}

/** What the world needs of an `aws-sdk-client-mock` stub, whatever its client. */
interface Stub {
  reset(): unknown;
  restore(): void;
  onAnyCommand(): { rejects(error: Error): unknown };
  calls(): { args: readonly unknown[] }[];
}

export interface InstalledWorld {
  calls: () => RecordedCall[];
  dns: DnsPort;
  restore: () => void;
}

const awsError = (name: string, message: string): Error => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } });

function page<T>(items: readonly T[], position: unknown, limit: unknown, fallback = 25): { items: T[]; next?: string } {
  const start = typeof position === 'string' && position !== '' ? Number(position) : 0;
  const size = typeof limit === 'number' ? limit : typeof limit === 'string' ? Number(limit) : fallback;
  const slice = items.slice(start, start + size);
  const end = start + size;
  return end < items.length ? { items: slice, next: String(end) } : { items: slice };
}

/** Installs the world on every SDK client class; call `restore()` after the test. */
export function installWorld(world: World): InstalledWorld {
  const stubs: [AwsService, Stub][] = [];
  const track = <T extends Stub>(service: AwsService, stub: T): T => {
    stub.reset();
    stub.onAnyCommand().rejects(new Error(`the test world does not serve this ${service} command`));
    stubs.push([service, stub]);
    return stub;
  };
  const denied = (name: string): Error | undefined => {
    const error = world.deny?.[name];
    return error ? awsError(error, `User: arn:aws:sts::${world.accountId}:assumed-role/apigw-doctor/test is not authorized to perform this action`) : undefined;
  };
  const throttled = new Map<string, number>();
  const guard = <I, O>(name: string, fn: (input: I) => O) => (input: I): O | Promise<O> => {
    const e = denied(name);
    if (e) throw e;
    if (world.hang?.includes(name)) return new Promise<O>(() => undefined);
    const seen = throttled.get(name) ?? 0;
    if (seen < (world.throttleFirst?.[name] ?? 0)) {
      throttled.set(name, seen + 1);
      throw awsError(name.startsWith('Get') && name !== 'GetMetricDataCommand' ? 'TooManyRequestsException' : 'ThrottlingException', 'Rate exceeded');
    }
    const latency = world.latencyMs ?? 0;
    if (latency > 0) {
      return new Promise<O>((resolve, reject) =>
        setTimeout(() => {
          try {
            resolve(fn(input));
          } catch (e) {
            reject(e instanceof Error ? e : new Error(String(e)));
          }
        }, latency),
      );
    }
    return fn(input);
  };
  const rest = (id: unknown): RestApiFixture => {
    const f = world.restApis.find((r) => r.api.id === id);
    if (!f) throw awsError('NotFoundException', 'Invalid API identifier specified');
    return f;
  };
  const v2 = (id: unknown): V2ApiFixture => {
    const f = world.v2Apis.find((r) => r.api.ApiId === id);
    if (!f) throw awsError('NotFoundException', `Invalid API identifier specified ${String(id)}`);
    return f;
  };

  const gw = track('apigateway', mockClient(APIGatewayClient));
  gw.on(GetRestApisCommand).callsFake(guard('GetRestApisCommand', (i: { position?: string; limit?: number }) => {
    const p = page(world.restApis.map((r) => r.api), i.position, i.limit);
    return { items: p.items, ...(p.next ? { position: p.next } : {}) };
  }));
  gw.on(GetRestApiCommand).callsFake(guard('GetRestApiCommand', (i: { restApiId: string }) => rest(i.restApiId).api));
  gw.on(GetRestStagesCommand).callsFake(guard('GetStagesCommand', (i: { restApiId: string }) => ({ item: rest(i.restApiId).stages })));
  gw.on(GetResourcesCommand).callsFake(guard('GetResourcesCommand', (i: { restApiId: string; position?: string; limit?: number; embed?: string[] }) => {
    const resources = rest(i.restApiId).resources.map((r) => (i.embed?.includes('methods') ? r : { ...r, resourceMethods: undefined }));
    const p = page(resources, i.position, i.limit);
    return { items: p.items, ...(p.next ? { position: p.next } : {}) };
  }));
  gw.on(GetIntegrationCommand).callsFake(guard('GetIntegrationCommand', (i: { restApiId: string; resourceId: string; httpMethod: string }) => {
    const integration = rest(i.restApiId).resources.find((r) => r.id === i.resourceId)?.resourceMethods?.[i.httpMethod]?.methodIntegration;
    if (!integration) throw awsError('NotFoundException', 'No integration defined for method');
    return integration;
  }));
  gw.on(GetRestAuthorizersCommand).callsFake(guard('GetAuthorizersCommand', (i: { restApiId: string }) => ({ items: rest(i.restApiId).authorizers ?? [] })));
  gw.on(GetRestDeploymentsCommand).callsFake(guard('GetDeploymentsCommand', (i: { restApiId: string; position?: string; limit?: number }) => {
    const p = page(rest(i.restApiId).deployments ?? [], i.position, i.limit);
    return { items: p.items, ...(p.next ? { position: p.next } : {}) };
  }));
  gw.on(GetAccountCommand).callsFake(guard('GetAccountCommand', () => ({
    ...(world.cloudwatchRoleArn ? { cloudwatchRoleArn: world.cloudwatchRoleArn } : {}),
    throttleSettings: { burstLimit: 5000, rateLimit: 10000 },
  })));
  gw.on(GetBasePathMappingsCommand).callsFake(guard('GetBasePathMappingsCommand', (i: { domainName: string }) => {
    const items = world.basePathMappings?.[i.domainName];
    if (!items) throw awsError('NotFoundException', 'Invalid domain name identifier specified');
    return { items };
  }));

  const v2c = track('apigatewayv2', mockClient(ApiGatewayV2Client));
  const v2Page = <T>(items: readonly T[], i: { NextToken?: string; MaxResults?: string }) => {
    const p = page(items, i.NextToken, i.MaxResults, 25);
    return { Items: p.items, ...(p.next ? { NextToken: p.next } : {}) };
  };
  v2c.on(GetApisCommand).callsFake(guard('GetApisCommand', (i: { NextToken?: string; MaxResults?: string }) => v2Page(world.v2Apis.map((a) => a.api), i)));
  v2c.on(GetApiCommand).callsFake(guard('GetApiCommand', (i: { ApiId: string }) => v2(i.ApiId).api));
  v2c.on(GetV2StagesCommand).callsFake(guard('GetStagesCommand', (i: { ApiId: string; NextToken?: string; MaxResults?: string }) => v2Page(v2(i.ApiId).stages, i)));
  v2c.on(GetRoutesCommand).callsFake(guard('GetRoutesCommand', (i: { ApiId: string; NextToken?: string; MaxResults?: string }) => v2Page(v2(i.ApiId).routes, i)));
  v2c.on(GetIntegrationsCommand).callsFake(guard('GetIntegrationsCommand', (i: { ApiId: string; NextToken?: string; MaxResults?: string }) => v2Page(v2(i.ApiId).integrations, i)));
  v2c.on(GetV2AuthorizersCommand).callsFake(guard('GetAuthorizersCommand', (i: { ApiId: string }) => ({ Items: v2(i.ApiId) ? [] : [] })));
  v2c.on(GetV2DeploymentsCommand).callsFake(guard('GetDeploymentsCommand', (i: { ApiId: string; NextToken?: string; MaxResults?: string }) => v2Page(v2(i.ApiId).deployments ?? [], i)));
  v2c.on(GetApiMappingsCommand).callsFake(guard('GetApiMappingsCommand', (i: { DomainName: string }) => {
    const items = world.apiMappings?.[i.DomainName];
    if (!items) throw awsError('NotFoundException', `Domain name ${i.DomainName} not found`);
    return { Items: items };
  }));

  const logs = track('logs', mockClient(CloudWatchLogsClient));
  const queries = new Map<string, { groups: string[]; polls: number; byLog: boolean; queryString: string }>();
  logs.on(StartQueryCommand).callsFake(guard('StartQueryCommand', (i: { logGroupNames?: string[]; queryString: string }) => {
    const groups = i.logGroupNames ?? [];
    const missing = groups.find((g) => !(g in world.logGroups));
    if (missing !== undefined && groups.every((g) => !(g in world.logGroups))) throw awsError('ResourceNotFoundException', 'The specified log group does not exist.');
    const queryId = `q-${queries.size + 1}-${groups.join(',').length}`;
    queries.set(queryId, { groups: groups.filter((g) => g in world.logGroups), polls: 0, byLog: /\bby @log\b/.test(i.queryString), queryString: i.queryString });
    return { queryId };
  }));
  logs.on(GetQueryResultsCommand).callsFake(guard('GetQueryResultsCommand', (i: { queryId: string }) => {
    const q = queries.get(i.queryId);
    if (!q) throw awsError('InvalidParameterException', `Query ${i.queryId} does not exist`);
    q.polls += 1;
    // A query grouped `by @log` answers with the group of each row, as Logs Insights does (account-id:log-group-name).
    const rowsOf = (g: string): Record<string, string>[] => {
      const answer = world.logGroups[g] ?? [];
      return typeof answer === 'function' ? answer(q.queryString) : answer;
    };
    const rows = q.groups.flatMap((g) => rowsOf(g).map((r) => (q.byLog ? { '@log': `${world.accountId}:${g}`, ...r } : r)));
    const results = rows.map((r) => [...Object.entries(r).map(([field, value]) => ({ field, value })), { field: '@ptr', value: 'CmAKJQohMTIzNDU2Nzg5MDEyOkFQSS1HYXRld2F5LUV4ZWN1dGlvbi1Mb2dz' }]);
    if (q.polls === 1 || world.queriesNeverFinish) return { status: 'Running', results: results.slice(0, 1) };
    return { status: 'Complete', results, statistics: { recordsMatched: rows.length, recordsScanned: rows.length * 40, bytesScanned: rows.length * 9000 } };
  }));
  logs.on(StopQueryCommand).callsFake(guard('StopQueryCommand', () => ({ success: true })));

  const cw = track('cloudwatch', mockClient(CloudWatchClient));
  cw.on(GetMetricDataCommand).callsFake(guard('GetMetricDataCommand', (i: { MetricDataQueries: MetricDataQuery[]; StartTime: Date; EndTime: Date }) => ({
    MetricDataResults: i.MetricDataQueries.map((q) => {
      const stat = q.MetricStat;
      const dims = Object.fromEntries((stat?.Metric?.Dimensions ?? []).map((d) => [d.Name ?? '', d.Value ?? '']));
      const fixture = world.metrics.find(
        (m) =>
          m.namespace === stat?.Metric?.Namespace &&
          m.metricName === stat.Metric.MetricName &&
          (m.stat === undefined || m.stat === stat.Stat) &&
          Object.keys(m.dimensions).length === Object.keys(dims).length &&
          Object.entries(m.dimensions).every(([k, v]) => dims[k] === v),
      );
      const timestamps: Date[] = [];
      const values: number[] = [];
      const period = (stat?.Period ?? 60) * 1000;
      if (fixture) {
        for (let t = Math.ceil(i.StartTime.getTime() / period) * period; t < i.EndTime.getTime(); t += period) {
          const v = fixture.value(new Date(t));
          if (v === undefined) continue;
          timestamps.push(new Date(t));
          values.push(v);
        }
      }
      return { Id: q.Id, Label: stat?.Metric?.MetricName, Timestamps: timestamps, Values: values, StatusCode: 'Complete' };
    }),
    Messages: [],
  })));

  const lambda = track('lambda', mockClient(LambdaClient));
  const fn = (name: unknown): LambdaFixture => {
    const key = typeof name === 'string' ? (/:function:([^:]+)/.exec(name)?.[1] ?? name) : '';
    const f = world.functions[key];
    if (!f) throw awsError('ResourceNotFoundException', `Function not found: arn:aws:lambda:${world.region}:${world.accountId}:function:${key}`);
    return f;
  };
  lambda.on(GetFunctionConfigurationCommand).callsFake(guard('GetFunctionConfigurationCommand', (i: { FunctionName: string; Qualifier?: string }) => {
    const f = fn(i.FunctionName);
    return i.Qualifier ? { ...f.config, Version: f.aliases?.[i.Qualifier] ?? i.Qualifier, FunctionArn: `${f.config.FunctionArn ?? ''}:${i.Qualifier}` } : f.config;
  }));
  lambda.on(GetFunctionConcurrencyCommand).callsFake(guard('GetFunctionConcurrencyCommand', (i: { FunctionName: string }) => {
    const f = fn(i.FunctionName);
    return f.reserved === undefined ? {} : { ReservedConcurrentExecutions: f.reserved };
  }));
  lambda.on(GetAliasCommand).callsFake(guard('GetAliasCommand', (i: { FunctionName: string; Name: string }) => {
    const version = fn(i.FunctionName).aliases?.[i.Name];
    if (!version) throw awsError('ResourceNotFoundException', `Alias not found: ${i.Name}`);
    const weights = fn(i.FunctionName).aliasWeights?.[i.Name];
    return { Name: i.Name, FunctionVersion: version, ...(weights ? { RoutingConfig: { AdditionalVersionWeights: weights } } : {}) };
  }));
  lambda.on(GetPolicyCommand).callsFake(guard('GetPolicyCommand', (i: { FunctionName: string }) => {
    const f = fn(i.FunctionName);
    if (!f.policy) throw awsError('ResourceNotFoundException', 'The resource you requested does not exist.');
    return { Policy: f.policy, RevisionId: '9a4c2c1e-6b0a-4a8e-9f57-1c2d3e4f5a6b' };
  }));

  const sts = track('sts', mockClient(STSClient));
  sts.on(GetCallerIdentityCommand).callsFake(guard('GetCallerIdentityCommand', () => ({ Account: world.accountId, Arn: `arn:aws:sts::${world.accountId}:assumed-role/apigw-doctor/test`, UserId: 'AROAEXAMPLEID:test' })));

  const dns: DnsPort = {
    resolve: (host: string): Promise<DnsAnswer> => {
      const answer = world.dns[host];
      return Promise.resolve(answer ? { resolves: true, ...answer } : { resolves: false, ipv4: [], ipv6: [] });
    },
  };

  return {
    calls: () =>
      stubs.flatMap(([service, stub]) =>
        stub.calls().map((call) => {
          const command = call.args[0] as { constructor: { name: string }; input: Record<string, unknown> };
          return { service, command: command.constructor.name, input: command.input };
        }),
      ),
    dns,
    restore: () => {
      for (const [, stub] of stubs) stub.restore();
    },
  };
}
