/**
 * The values a command template can use: the target's ids, every fact of the vocabulary, and a few
 * derived from them (`functionName`). An unknown value renders as a visible `<rest-api-id>` and the
 * fix gains a note on how to find it; it never renders as an empty string.
 */
import type { ApiType, ConfigFacts, Metrics, Target, TargetField } from './evidence';
import { TARGET_FIELDS } from './evidence';
import type { FactValue } from './facts';
import { ALL_FACTS, isFactName } from './facts';

export interface TemplateContext {
  apiType: ApiType;
  target: Target;
  config: ConfigFacts;
  metrics: Metrics;
}

interface PlaceholderSpec {
  /** What shows where the value is unknown. */
  unknown: (apiType: ApiType) => string;
  /** How to find the value, for the note under the fix. */
  find: (apiType: ApiType) => string;
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
    find: (t) =>
      v1(t)
        ? "aws apigateway get-rest-apis --query 'items[].[id,name]' --output table"
        : "aws apigatewayv2 get-apis --query 'Items[].[ApiId,Name,ProtocolType]' --output table",
    value: (ctx) => ctx.target.apiId,
  },
  apiName: { unknown: () => '<api-name>', find: (t) => TARGET_SPECS.apiId.find(t), value: (ctx) => ctx.target.apiName },
  stage: {
    unknown: () => '<stage-name>',
    find: (t) =>
      v1(t)
        ? "aws apigateway get-stages --rest-api-id <rest-api-id> --query 'item[].stageName'"
        : "aws apigatewayv2 get-stages --api-id <api-id> --query 'Items[].StageName'",
    value: (ctx) => ctx.target.stage,
  },
  region: {
    unknown: () => '<region>',
    find: () => 'the Region the API is in, e.g. us-east-1 (aws configure get region shows your default)',
    value: (ctx) => ctx.target.region ?? LAMBDA_ARN.exec(functionArnOf(ctx) ?? '')?.[1],
  },
  accountId: {
    unknown: () => '<account-id>',
    find: () => 'aws sts get-caller-identity --query Account --output text',
    value: (ctx) => ctx.target.accountId ?? LAMBDA_ARN.exec(functionArnOf(ctx) ?? '')?.[2],
  },
  resourceId: {
    unknown: () => '<resource-id>',
    find: () => "aws apigateway get-resources --rest-api-id <rest-api-id> --query 'items[].[id,path]' --output table",
    value: (ctx) => ctx.target.resourceId,
  },
  resourcePath: {
    unknown: () => '<resource-path>',
    find: (t) =>
      v1(t)
        ? "aws apigateway get-resources --rest-api-id <rest-api-id> --query 'items[].[id,path]' --output table"
        : "aws apigatewayv2 get-routes --api-id <api-id> --query 'Items[].RouteKey'",
    value: (ctx) => ctx.target.resourcePath,
  },
  httpMethod: {
    unknown: () => '<http-method>',
    find: () => 'the method of the failing requests, e.g. GET (the access log or execution log shows it)',
    value: (ctx) => ctx.target.httpMethod,
  },
  functionArn: {
    unknown: () => '<function-arn>',
    find: (t) =>
      v1(t)
        ? 'aws apigateway get-integration --rest-api-id <rest-api-id> --resource-id <resource-id> --http-method <http-method> --query uri'
        : "aws apigatewayv2 get-integrations --api-id <api-id> --query 'Items[].[IntegrationId,IntegrationUri]'",
    value: functionArnOf,
  },
  integrationId: {
    unknown: () => '<integration-id>',
    find: () => "aws apigatewayv2 get-routes --api-id <api-id> --query 'Items[].[RouteKey,Target]' --output table",
    value: (ctx) => ctx.target.integrationId,
  },
};

const DERIVED_SPECS: Record<string, PlaceholderSpec> = {
  functionName: {
    unknown: () => '<function-name>',
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
    find: () => `${ALL_FACTS[name].meaning} (not in the evidence)`,
    value: (ctx) => {
      const v = (ctx.config as Record<string, FactValue | undefined>)[name] ?? (ctx.metrics as Record<string, number | undefined>)[name];
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
  /** For an unknown value: "<rest-api-id>: not in the evidence; find it with …". */
  note?: string;
}

/** Resolves one placeholder for rendering. Throws on a name the knowledge loader should have rejected. */
export function resolvePlaceholder(name: string, ctx: TemplateContext): ResolvedValue {
  const spec = specOf(name);
  if (!spec) throw new Error(`unknown placeholder {${name}}`);
  // A NUL cannot travel in a command-line argument at all; everything else is kept and quoted.
  const value = spec.value(ctx)?.replace(/\0/g, '');
  if (value !== undefined && value !== '') return { value, known: true };
  const shown = spec.unknown(ctx.apiType);
  return { value: shown, known: false, note: `${shown} is not in the evidence; find it with: ${spec.find(ctx.apiType)}` };
}
