/**
 * The sandbox's AWS: one account and Region held as the SDK-shaped objects the real APIs return, and
 * a dispatcher that answers a command the way the service would — paging by `limit`/`position` and
 * `MaxResults`/`NextToken`, Logs Insights running before it completes, errors with the names and
 * messages AWS uses. The sandbox clients (`clients.ts`) and the tests' `aws-sdk-client-mock` stubs
 * both answer through it, so the real adapters, investigation and engine run unchanged.
 */
import type { Authorizer as RestAuthorizer, BasePathMapping, Deployment, Resource, RestApi, Stage as RestStage } from '@aws-sdk/client-api-gateway';
import type { Api, ApiMapping, Integration, Route, Stage as V2Stage } from '@aws-sdk/client-apigatewayv2';
import type { MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import type { AwsService } from '../../iam';
import { insightsTimeToIso } from '../../log-queries';
import type { DnsAnswer, DnsPort } from '../../ports';

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
  /**
   * The value of the minute starting at the given time; undefined: no datapoint that minute. A period of
   * several minutes aggregates them by the statistic asked (Sum adds them up, Maximum and percentiles take
   * the largest), so any period and window give consistent figures.
   */
  value: (minuteStart: Date) => number | undefined;
}

export interface LambdaFixture {
  config: FunctionConfiguration;
  reserved?: number;
  /** `aws lambda get-policy` Policy text; absent for none. */
  policy?: string;
  /** Alias → version. */
  aliases?: Record<string, string>;
  /** Alias → version → share of traffic (a weighted alias). */
  aliasWeights?: Record<string, Record<string, number>>;
}

export type LogRows = Record<string, string>[];

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
  logGroups: Record<string, LogRows | ((queryString: string) => LogRows)>;
  metrics: MetricFixture[];
  functions: Record<string, LambdaFixture>;
  dns: Record<string, { ipv4: string[]; ipv6: string[] }>;
  /** Commands answered with this error name (e.g. AccessDeniedException), by command class name. */
  deny?: Record<string, string>;
  /** Commands throttled this many times before they answer. */
  throttleFirst?: Record<string, number>;
  /** Commands that never answer. */
  hang?: string[];
  /** Logs Insights queries stay Running (with their first row) for ever. */
  queriesNeverFinish?: boolean;
  /** Added to every answer, so that wall time can be related to the calls made one after another. */
  latencyMs?: number;
}

/** An error shaped as the SDK throws it: the service's error name, a message, and `$metadata`. */
export function awsError(name: string, message: string, httpStatusCode = 400): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode } });
}

/** One answered call, as the sandbox records it. */
export interface SandboxCall {
  service: AwsService;
  command: string;
  input: Record<string, unknown>;
}

type Handler = (input: Record<string, unknown>) => unknown;

function page<T>(items: readonly T[], position: unknown, limit: unknown, fallback = 25): { items: T[]; next?: string } {
  const start = typeof position === 'string' && position !== '' ? Number(position) : 0;
  const size = typeof limit === 'number' ? limit : typeof limit === 'string' ? Number(limit) : fallback;
  const slice = items.slice(start, start + size);
  const end = start + size;
  return end < items.length ? { items: slice, next: String(end) } : { items: slice };
}

const str = (input: Record<string, unknown>, key: string): string => {
  const v = input[key];
  return typeof v === 'string' ? v : '';
};

const MINUTE_MS = 60_000;

/** A fixture's per-minute values over [from, to) folded into one datapoint by the statistic; undefined when none. */
function aggregate(fixture: MetricFixture, stat: string, from: number, to: number): number | undefined {
  const values: number[] = [];
  for (let m = from; m < to; m += MINUTE_MS) {
    const v = fixture.value(new Date(m));
    if (v !== undefined) values.push(v);
  }
  if (values.length === 0) return undefined;
  switch (stat) {
    case 'Sum':
    case 'SampleCount':
      return values.reduce((a, b) => a + b, 0);
    case 'Average':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'Minimum':
      return Math.min(...values);
    default:
      // Maximum and percentiles: the worst minute.
      return Math.max(...values);
  }
}

/** An Insights time (`2026-11-25 14:02:11.121`, UTC) as epoch ms; NaN for anything else. */
function insightsMs(value: string | undefined): number {
  return Date.parse(insightsTimeToIso(value) ?? '');
}

/**
 * The rows a query over `range` sees, as Logs Insights would count them: a raw row (`@timestamp`) when
 * its time is inside; an aggregated row (`n` lines from `firstSeen` to `lastSeen`, spread evenly) with
 * its count and times cut to the part inside. So a narrower window never shows more than a wider one,
 * and the counts agree with the metrics, which are counted per period in the same way.
 */
function inRange(rows: LogRows, range: { from: number; to: number }): LogRows {
  const out: LogRows = [];
  for (const row of rows) {
    const at = insightsMs(row['@timestamp']);
    if (!Number.isNaN(at)) {
      if (at >= range.from && at <= range.to) out.push(row);
      continue;
    }
    const first = insightsMs(row.firstSeen);
    const last = insightsMs(row.lastSeen);
    const n = Number(row.n);
    if (Number.isNaN(first) || Number.isNaN(last) || !Number.isFinite(n)) {
      out.push(row);
      continue;
    }
    const from = Math.max(first, range.from);
    const to = Math.min(last, range.to);
    if (from > to) continue;
    const share = last > first ? (to - from) / (last - first) : 1;
    const kept = Math.max(1, Math.round(n * share));
    out.push({ ...row, n: String(kept), firstSeen: insightsTime(new Date(from)), lastSeen: insightsTime(new Date(to)) });
  }
  return out;
}

/** A time as Logs Insights writes it: `2026-11-25 14:02:11.121` (UTC, no `T`, no `Z`). */
export function insightsTime(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

/** The sandbox's AWS for one world: answers commands and remembers what it was asked. */
export class SandboxAws {
  readonly calls: SandboxCall[] = [];
  private readonly queries = new Map<string, { groups: string[]; polls: number; byLog: boolean; queryString: string; range: { from: number; to: number } }>();
  private readonly throttled = new Map<string, number>();
  private readonly handlers: Record<AwsService, Record<string, Handler>>;

  constructor(readonly world: World) {
    this.handlers = { apigateway: this.restHandlers(), apigatewayv2: this.v2Handlers(), logs: this.logsHandlers(), cloudwatch: this.metricsHandlers(), lambda: this.lambdaHandlers(), sts: this.stsHandlers() };
  }

  /** The commands the sandbox answers, per service. */
  commands(service: AwsService): string[] {
    return Object.keys(this.handlers[service]);
  }

  /** Answers one command as the service would, after the world's latency; rejects with an SDK-shaped error. */
  async handle(service: AwsService, command: string, input: Record<string, unknown>): Promise<unknown> {
    this.calls.push({ service, command, input });
    const w = this.world;
    const handler = Object.hasOwn(this.handlers[service], command) ? this.handlers[service][command] : undefined;
    if (!handler) throw awsError('UnknownOperationException', `the sandbox does not answer ${service} ${command}`);
    const denied = w.deny?.[command];
    if (denied) throw awsError(denied, `User: arn:aws:sts::${w.accountId}:assumed-role/apigw-doctor/sandbox is not authorized to perform this action`, 403);
    if (w.hang?.includes(command)) return new Promise<never>(() => undefined);
    const seen = this.throttled.get(command) ?? 0;
    if (seen < (w.throttleFirst?.[command] ?? 0)) {
      this.throttled.set(command, seen + 1);
      throw awsError(service === 'cloudwatch' ? 'Throttling' : service === 'logs' || service === 'lambda' ? 'ThrottlingException' : 'TooManyRequestsException', 'Rate exceeded', 429);
    }
    if ((w.latencyMs ?? 0) > 0) await new Promise((resolve) => setTimeout(resolve, w.latencyMs));
    return handler(input);
  }

  /** DNS answers from the world. */
  dns(): DnsPort {
    return {
      resolve: (host: string): Promise<DnsAnswer> => {
        const answer = this.world.dns[host];
        return Promise.resolve(answer ? { resolves: true, ipv4: [...answer.ipv4], ipv6: [...answer.ipv6] } : { resolves: false, ipv4: [], ipv6: [] });
      },
    };
  }

  private rest(id: string): RestApiFixture {
    const f = this.world.restApis.find((r) => r.api.id === id);
    if (!f) throw awsError('NotFoundException', 'Invalid API identifier specified', 404);
    return f;
  }

  private v2(id: string): V2ApiFixture {
    const f = this.world.v2Apis.find((r) => r.api.ApiId === id);
    if (!f) throw awsError('NotFoundException', `Invalid API identifier specified ${id}`, 404);
    return f;
  }

  private restHandlers(): Record<string, Handler> {
    const w = this.world;
    const paged = <T>(items: readonly T[], i: Record<string, unknown>) => {
      const p = page(items, i.position, i.limit);
      return { items: p.items, ...(p.next ? { position: p.next } : {}) };
    };
    return {
      GetRestApisCommand: (i) => paged(w.restApis.map((r) => r.api), i),
      GetRestApiCommand: (i) => this.rest(str(i, 'restApiId')).api,
      GetStagesCommand: (i) => ({ item: this.rest(str(i, 'restApiId')).stages }),
      GetResourcesCommand: (i) => {
        const embed = Array.isArray(i.embed) && i.embed.includes('methods');
        return paged(this.rest(str(i, 'restApiId')).resources.map((r) => (embed ? r : { ...r, resourceMethods: undefined })), i);
      },
      GetIntegrationCommand: (i) => {
        const integration = this.rest(str(i, 'restApiId')).resources.find((r) => r.id === str(i, 'resourceId'))?.resourceMethods?.[str(i, 'httpMethod')]?.methodIntegration;
        if (!integration) throw awsError('NotFoundException', 'No integration defined for method', 404);
        return integration;
      },
      GetAuthorizersCommand: (i) => ({ items: this.rest(str(i, 'restApiId')).authorizers ?? [] }),
      GetDeploymentsCommand: (i) => paged(this.rest(str(i, 'restApiId')).deployments ?? [], i),
      GetAccountCommand: () => ({ ...(w.cloudwatchRoleArn ? { cloudwatchRoleArn: w.cloudwatchRoleArn } : {}), throttleSettings: { burstLimit: 5000, rateLimit: 10000 } }),
      GetBasePathMappingsCommand: (i) => {
        const items = w.basePathMappings?.[str(i, 'domainName')];
        if (!items) throw awsError('NotFoundException', 'Invalid domain name identifier specified', 404);
        return { items };
      },
    };
  }

  private v2Handlers(): Record<string, Handler> {
    const w = this.world;
    const paged = <T>(items: readonly T[], i: Record<string, unknown>) => {
      const p = page(items, i.NextToken, i.MaxResults);
      return { Items: p.items, ...(p.next ? { NextToken: p.next } : {}) };
    };
    return {
      GetApisCommand: (i) => paged(w.v2Apis.map((a) => a.api), i),
      GetApiCommand: (i) => this.v2(str(i, 'ApiId')).api,
      GetStagesCommand: (i) => paged(this.v2(str(i, 'ApiId')).stages, i),
      GetRoutesCommand: (i) => paged(this.v2(str(i, 'ApiId')).routes, i),
      GetIntegrationsCommand: (i) => paged(this.v2(str(i, 'ApiId')).integrations, i),
      GetAuthorizersCommand: (i) => {
        this.v2(str(i, 'ApiId'));
        return { Items: [] };
      },
      GetDeploymentsCommand: (i) => paged(this.v2(str(i, 'ApiId')).deployments ?? [], i),
      GetApiMappingsCommand: (i) => {
        const items = w.apiMappings?.[str(i, 'DomainName')];
        if (!items) throw awsError('NotFoundException', `Domain name ${str(i, 'DomainName')} not found`, 404);
        return { Items: items };
      },
    };
  }

  private logsHandlers(): Record<string, Handler> {
    const w = this.world;
    return {
      StartQueryCommand: (i) => {
        const groups = Array.isArray(i.logGroupNames) ? i.logGroupNames.filter((g): g is string => typeof g === 'string') : [];
        if (groups.length > 0 && groups.every((g) => !(g in w.logGroups))) throw awsError('ResourceNotFoundException', 'The specified log group does not exist.');
        const queryString = str(i, 'queryString');
        const queryId = `${(this.queries.size + 1).toString(16).padStart(8, '0')}-5b7d-4e21-9a0c-2d9e8b7c6a51`;
        // startTime and endTime are epoch seconds, both ends included.
        const range = { from: Number(i.startTime) * 1000, to: Number(i.endTime) * 1000 + 999 };
        this.queries.set(queryId, { groups: groups.filter((g) => g in w.logGroups), polls: 0, byLog: /\bby @log\b/.test(queryString), queryString, range });
        return { queryId };
      },
      GetQueryResultsCommand: (i) => {
        const q = this.queries.get(str(i, 'queryId'));
        if (!q) throw awsError('InvalidParameterException', `Query ${str(i, 'queryId')} does not exist`);
        q.polls += 1;
        const rowsOf = (g: string): LogRows => {
          const answer = w.logGroups[g] ?? [];
          return typeof answer === 'function' ? answer(q.queryString) : answer;
        };
        // A query grouped `by @log` answers with each row's group, as Logs Insights does (account-id:log-group-name).
        const rows = q.groups.flatMap((g) => inRange(rowsOf(g), q.range).map((r) => (q.byLog ? { '@log': `${w.accountId}:${g}`, ...r } : r)));
        const results = rows.map((r) => [...Object.entries(r).map(([field, value]) => ({ field, value })), { field: '@ptr', value: 'CmAKJQohMTIzNDU2Nzg5MDEyOkFQSS1HYXRld2F5LUV4ZWN1dGlvbi1Mb2dz' }]);
        if (q.polls === 1 || w.queriesNeverFinish) return { status: 'Running', results: results.slice(0, 1), statistics: { recordsMatched: 1, recordsScanned: 40, bytesScanned: 9000 } };
        return { status: 'Complete', results, statistics: { recordsMatched: rows.length, recordsScanned: rows.length * 40, bytesScanned: rows.length * 9000 } };
      },
      StopQueryCommand: () => ({ success: true }),
    };
  }

  private metricsHandlers(): Record<string, Handler> {
    const w = this.world;
    return {
      GetMetricDataCommand: (i) => {
        const queries = (Array.isArray(i.MetricDataQueries) ? i.MetricDataQueries : []) as MetricDataQuery[];
        const start = i.StartTime instanceof Date ? i.StartTime.getTime() : Number(i.StartTime);
        const end = i.EndTime instanceof Date ? i.EndTime.getTime() : Number(i.EndTime);
        return {
          MetricDataResults: queries.map((q) => {
            const stat = q.MetricStat;
            const dims = Object.fromEntries((stat?.Metric?.Dimensions ?? []).map((d) => [d.Name ?? '', d.Value ?? '']));
            const fixture = w.metrics.find(
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
              // As CloudWatch does: periods counted from the (minute-aligned) start of the request, not from fixed clock edges.
              for (let t = Math.floor(start / MINUTE_MS) * MINUTE_MS; t < end; t += period) {
                const v = aggregate(fixture, stat?.Stat ?? 'Sum', t, Math.min(t + period, end));
                if (v === undefined) continue;
                timestamps.push(new Date(t));
                values.push(v);
              }
            }
            return { Id: q.Id, Label: stat?.Metric?.MetricName, Timestamps: timestamps, Values: values, StatusCode: 'Complete' };
          }),
          Messages: [],
        };
      },
    };
  }

  private fn(name: string): LambdaFixture {
    const key = /:function:([^:]+)/.exec(name)?.[1] ?? name.split(':')[0] ?? name;
    const f = this.world.functions[key];
    if (!f) throw awsError('ResourceNotFoundException', `Function not found: arn:aws:lambda:${this.world.region}:${this.world.accountId}:function:${key}`, 404);
    return f;
  }

  private lambdaHandlers(): Record<string, Handler> {
    return {
      GetFunctionConfigurationCommand: (i) => {
        const f = this.fn(str(i, 'FunctionName'));
        const qualifier = str(i, 'Qualifier');
        if (!qualifier) return f.config;
        if (qualifier !== '$LATEST' && !/^\d+$/.test(qualifier) && !f.aliases?.[qualifier]) throw awsError('ResourceNotFoundException', `Function not found: ${f.config.FunctionArn ?? ''}:${qualifier}`, 404);
        return { ...f.config, Version: f.aliases?.[qualifier] ?? qualifier, FunctionArn: `${f.config.FunctionArn ?? ''}:${qualifier}` };
      },
      GetFunctionConcurrencyCommand: (i) => {
        const f = this.fn(str(i, 'FunctionName'));
        return f.reserved === undefined ? {} : { ReservedConcurrentExecutions: f.reserved };
      },
      GetAliasCommand: (i) => {
        const f = this.fn(str(i, 'FunctionName'));
        const name = str(i, 'Name');
        const version = f.aliases?.[name];
        if (!version) throw awsError('ResourceNotFoundException', `Alias not found: ${f.config.FunctionArn ?? ''}:${name}`, 404);
        const weights = f.aliasWeights?.[name];
        return { Name: name, FunctionVersion: version, AliasArn: `${f.config.FunctionArn ?? ''}:${name}`, ...(weights ? { RoutingConfig: { AdditionalVersionWeights: weights } } : {}) };
      },
      GetPolicyCommand: (i) => {
        const f = this.fn(str(i, 'FunctionName'));
        if (!f.policy) throw awsError('ResourceNotFoundException', 'The resource you requested does not exist.', 404);
        return { Policy: f.policy, RevisionId: '9a4c2c1e-6b0a-4a8e-9f57-1c2d3e4f5a6b' };
      },
    };
  }

  private stsHandlers(): Record<string, Handler> {
    const w = this.world;
    return {
      GetCallerIdentityCommand: () => ({ Account: w.accountId, Arn: `arn:aws:sts::${w.accountId}:assumed-role/apigw-doctor/sandbox`, UserId: 'AROAEXAMPLEID:sandbox' }),
    };
  }
}
