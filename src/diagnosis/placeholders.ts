/**
 * The values a command template can use: the target's ids, every fact of the vocabulary, and a few
 * derived from them (`functionName`). An unknown value renders as a visible `<rest-api-id>` and the
 * fix gains a note on how to find it; it never renders as an empty string.
 */
import type { ApiType, ConfigFacts, Metrics, Target, TargetField } from './evidence';
import { TARGET_FIELDS } from './evidence';
import type { FactValue } from './facts';
import { ALL_FACTS, isFactName } from './facts';
import { parseTemplate, renderTemplate } from './shell';

export interface TemplateContext {
  apiType: ApiType;
  target: Target;
  config: ConfigFacts;
  metrics: Metrics;
  /** Facts the engine derived from the evidence (`proxyResponseProblem`, …). */
  derived?: Readonly<Record<string, FactValue | undefined>>;
}

interface PlaceholderSpec {
  /** What shows in a command where the value is unknown (quoted there, and explained in a note). */
  unknown: (apiType: ApiType) => string;
  /**
   * How to find the value, for the note under the fix: prose, or a command template whose own
   * placeholders are filled from the same evidence (`{apiId}` and the like).
   */
  find: (apiType: ApiType) => string;
  /** What prose says where the value is unknown: "the function" (facts: nothing; see {@link fillText}). */
  prose?: string;
  value: (ctx: TemplateContext) => string | undefined;
}

const v1 = (apiType: ApiType): boolean => apiType === 'REST';

const LAMBDA_ARN = /arn:aws[a-z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([A-Za-z0-9_-]+)(?::([A-Za-z0-9_$-]+))?/;

/** The function ARN, from the target or, failing that, the Lambda ARN inside the integration URI. */
function functionArnOf(ctx: TemplateContext): string | undefined {
  if (ctx.target.functionArn) return ctx.target.functionArn;
  const uri = ctx.config.integrationUri;
  return typeof uri === 'string' ? LAMBDA_ARN.exec(uri)?.[0] : undefined;
}

const TARGET_SPECS: Record<TargetField, PlaceholderSpec> = {
  apiId: {
    unknown: (t) => (v1(t) ? '<rest-api-id>' : '<api-id>'),
    prose: 'the API',
    find: (t) =>
      v1(t)
        ? "aws apigateway get-rest-apis --query 'items[].[id,name]' --output table"
        : "aws apigatewayv2 get-apis --query 'Items[].[ApiId,Name,ProtocolType]' --output table",
    value: (ctx) => ctx.target.apiId,
  },
  apiName: { unknown: () => '<api-name>', find: (t) => TARGET_SPECS.apiId.find(t), prose: 'the API', value: (ctx) => ctx.target.apiName },
  stage: {
    unknown: () => '<stage-name>',
    prose: 'the stage',
    find: (t) => (v1(t) ? "aws apigateway get-stages --rest-api-id {apiId} --query 'item[].stageName'" : "aws apigatewayv2 get-stages --api-id {apiId} --query 'Items[].StageName'"),
    value: (ctx) => ctx.target.stage,
  },
  region: {
    unknown: () => '<region>',
    prose: 'its Region',
    find: () => 'the Region the API is in, e.g. us-east-1 (aws configure get region shows your default)',
    value: (ctx) => ctx.target.region ?? LAMBDA_ARN.exec(functionArnOf(ctx) ?? '')?.[1],
  },
  accountId: {
    unknown: () => '<account-id>',
    prose: 'the account',
    find: () => 'aws sts get-caller-identity --query Account --output text',
    value: (ctx) => ctx.target.accountId ?? LAMBDA_ARN.exec(functionArnOf(ctx) ?? '')?.[2],
  },
  resourceId: {
    unknown: () => '<resource-id>',
    prose: 'the failing resource',
    find: () => "aws apigateway get-resources --rest-api-id {apiId} --query 'items[].[id,path]' --output table",
    value: (ctx) => ctx.target.resourceId,
  },
  resourcePath: {
    unknown: () => '<resource-path>',
    prose: 'the failing route',
    find: (t) => (v1(t) ? "aws apigateway get-resources --rest-api-id {apiId} --query 'items[].[id,path]' --output table" : "aws apigatewayv2 get-routes --api-id {apiId} --query 'Items[].RouteKey'"),
    value: (ctx) => ctx.target.resourcePath,
  },
  httpMethod: {
    unknown: () => '<http-method>',
    prose: 'the method',
    find: () => 'the method of the failing requests, e.g. GET (the access log or execution log shows it)',
    value: (ctx) => ctx.target.httpMethod,
  },
  functionArn: {
    unknown: () => '<function-arn>',
    prose: 'the function',
    find: (t) =>
      v1(t)
        ? 'aws apigateway get-integration --rest-api-id {apiId} --resource-id {resourceId} --http-method {httpMethod} --query uri'
        : "aws apigatewayv2 get-integrations --api-id {apiId} --query 'Items[].[IntegrationId,IntegrationUri]'",
    value: functionArnOf,
  },
  integrationId: {
    unknown: () => '<integration-id>',
    prose: 'the integration',
    find: () => "aws apigatewayv2 get-routes --api-id {apiId} --query 'Items[].[RouteKey,Target]' --output table",
    value: (ctx) => ctx.target.integrationId,
  },
};

const GET_INTEGRATION_CREDENTIALS = (t: ApiType): string =>
  v1(t)
    ? 'aws apigateway get-integration --rest-api-id {apiId} --resource-id {resourceId} --http-method {httpMethod} --query credentials'
    : 'aws apigatewayv2 get-integration --api-id {apiId} --integration-id {integrationId} --query CredentialsArn';

const GET_AUTHORIZERS = (t: ApiType): string =>
  v1(t) ? "aws apigateway get-authorizers --rest-api-id {apiId} --query 'items[].[id,name,authorizerUri]' --output table" : "aws apigatewayv2 get-authorizers --api-id {apiId} --query 'Items[].[AuthorizerId,Name,AuthorizerUri]' --output table";

/** Better ways to find some facts than their meaning. */
const FACT_FIND: Partial<Record<string, (t: ApiType) => string>> = {
  authorizerId: GET_AUTHORIZERS,
  authorizerFunctionArn: GET_AUTHORIZERS,
  integrationCredentialsRole: GET_INTEGRATION_CREDENTIALS,
};

const DERIVED_SPECS: Record<string, PlaceholderSpec> = {
  raisedMemorySizeMb: {
    // Always known: never the size already set (twice it, at most Lambda's 10,240 MB; 1,024 when unknown).
    unknown: () => '1024',
    find: () => "twice the function's memory size",
    value: (ctx) => {
      const now = ctx.config.lambdaMemorySizeMb;
      return String(typeof now === 'number' && now > 0 ? Math.min(10_240, now * 2) : 1024);
    },
  },
  raisedReservedConcurrency: {
    // Always known: never the value already set (twice it, at most the account default of 1,000; 100 for none or 0).
    unknown: () => '100',
    find: () => 'a reserved concurrency above the function\'s peak ConcurrentExecutions',
    value: (ctx) => {
      const now = ctx.config.lambdaReservedConcurrency;
      return String(typeof now === 'number' && now > 0 ? Math.max(now + 1, Math.min(1000, now * 2)) : 100);
    },
  },
  functionTimeoutBelowIntegrationS: {
    // Always known: from the integration timeout, else the API type's default (29 s REST/WebSocket, 30 s HTTP).
    unknown: () => '28',
    find: () => 'the integration timeout in seconds, less one',
    value: (ctx) => {
      const ms = typeof ctx.config.integrationTimeoutMs === 'number' ? ctx.config.integrationTimeoutMs : ctx.apiType === 'HTTP' ? 30_000 : 29_000;
      return String(Math.max(1, Math.min(900, Math.floor(ms / 1000) - 1)));
    },
  },
  credentialsRoleName: {
    unknown: () => '<role-name>',
    prose: "the integration's credentials role",
    // The role's name is the last part of its ARN: arn:aws:iam::123456789012:role/path/name.
    find: GET_INTEGRATION_CREDENTIALS,
    value: (ctx) => {
      const role = ctx.config.integrationCredentialsRole;
      return typeof role === 'string' ? /^arn:aws[a-z-]*:iam::\d{12}:role\/(?:[^/]+\/)*([\w+=,.@-]{1,64})$/.exec(role)?.[1] : undefined;
    },
  },
  functionName: {
    unknown: () => '<function-name>',
    prose: 'the function',
    find: (t) => TARGET_SPECS.functionArn.find(t),
    value: (ctx) => {
      const arn = functionArnOf(ctx);
      if (!arn) return undefined;
      return LAMBDA_ARN.exec(arn)?.[3] ?? arn;
    },
  },
};

function factSpec(name: string): PlaceholderSpec | undefined {
  if (!isFactName(name)) return undefined;
  return {
    unknown: () => `<${name}>`,
    find: (t) => FACT_FIND[name]?.(t) ?? `${ALL_FACTS[name].meaning} (not in the evidence)`,
    value: (ctx) => {
      const v = (ctx.config as Record<string, FactValue | undefined>)[name] ?? (ctx.metrics as Record<string, number | undefined>)[name] ?? ctx.derived?.[name];
      if (v === undefined) return undefined;
      return typeof v === 'object' ? v.join(',') : String(v);
    },
  };
}

function specOf(name: string): PlaceholderSpec | undefined {
  const target = TARGET_FIELDS.find((f) => f === name);
  if (target) return TARGET_SPECS[target];
  return DERIVED_SPECS[name] ?? factSpec(name);
}

/** True when a template may use `{name}`. */
export function isPlaceholder(name: string): boolean {
  return specOf(name) !== undefined;
}

export const PLACEHOLDER_NAMES: readonly string[] = [...TARGET_FIELDS, ...Object.keys(DERIVED_SPECS), ...Object.keys(ALL_FACTS)];

export interface ResolvedValue {
  value: string;
  known: boolean;
  /** For an unknown value: "'<rest-api-id>' is not in the evidence; find it with: …". */
  note?: string;
  /** For an unknown value: what prose says instead ("the function"); absent for facts. */
  prose?: string;
}

/** Resolves one placeholder for rendering. Throws on a name the knowledge loader should have rejected. */
export function resolvePlaceholder(name: string, ctx: TemplateContext): ResolvedValue {
  const spec = specOf(name);
  if (!spec) throw new Error(`unknown placeholder {${name}}`);
  // A NUL cannot travel in a command-line argument at all; everything else is kept and quoted.
  const value = spec.value(ctx)?.replace(/\0/g, '');
  if (value !== undefined && value !== '') return { value, known: true };
  const shown = spec.unknown(ctx.apiType);
  const find = spec.find(ctx.apiType);
  const how = find.startsWith('aws ') ? renderFind(find, ctx) : find;
  return { value: shown, known: false, note: `'${shown}' is not in the evidence; find it with: ${how}`, ...(spec.prose ? { prose: spec.prose } : {}) };
}

/** A find command with its own placeholders filled (unknown ones as quoted `'<rest-api-id>'`). */
function renderFind(template: string, ctx: TemplateContext): string {
  const lines = parseTemplate(template);
  if ('error' in lines) return template;
  return renderTemplate(lines, (name) => {
    const spec = specOf(name);
    const v = spec?.value(ctx);
    return v !== undefined && v !== '' ? v : (spec?.unknown(ctx.apiType) ?? name);
  });
}
