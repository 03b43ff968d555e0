/**
 * `missing`: what telemetry or fact would sharpen the answer, and the command that gets it. Telemetry
 * first (no execution or access logs means most causes cannot be seen), then the unknown facts that
 * would confirm or rule out the findings listed.
 */
import type { Condition } from './conditions';
import { factsOf } from './conditions';
import type { ApiType, Evidence } from './evidence';
import type { FactName } from './facts';
import type { Cause } from './knowledge/cause';
import type { LogDigest } from './log-scanner';
import type { TemplateContext } from './placeholders';
import { fillText, renderCommand } from './fixes';
import { resolvePlaceholder } from './placeholders';
import type { TemplateLine } from './shell';
import { parseTemplate } from './shell';

export interface Missing {
  what: string;
  how: string;
}

type PerApiType = Partial<Record<ApiType, string>>;

interface Howto {
  what: string;
  how: PerApiType;
}

/** The access-log format that carries what diagnosis needs (documented variables only). */
export const DIAGNOSTIC_ACCESS_LOG_FORMAT =
  '{"requestId":"$context.requestId","extendedRequestId":"$context.extendedRequestId","ip":"$context.identity.sourceIp","requestTime":"$context.requestTime",' +
  '"httpMethod":"$context.httpMethod","path":"$context.path","status":"$context.status","responseLength":"$context.responseLength",' +
  '"integrationStatus":"$context.integrationStatus","integrationLatency":"$context.integrationLatency",' +
  '"integrationErrorMessage":"$context.integrationErrorMessage","errorMessage":"$context.error.message","errorResponseType":"$context.error.responseType"}';

const ACCESS_LOG_GROUP = 'arn:aws:logs:{region}:{accountId}:log-group:/aws/apigateway/access-logs/{apiId}';

const ACCESS_LOGS_ON: PerApiType = {
  REST: [
    'aws logs create-log-group --log-group-name /aws/apigateway/access-logs/{apiId} --region {region}',
    // JSON, not shorthand: the CLI's shorthand splits a value at its commas, and the format has many.
    `aws apigateway update-stage --rest-api-id {apiId} --stage-name {stage} --region {region} --patch-operations '${JSON.stringify([
      { op: 'replace', path: '/accessLogSettings/destinationArn', value: ACCESS_LOG_GROUP },
      { op: 'replace', path: '/accessLogSettings/format', value: DIAGNOSTIC_ACCESS_LOG_FORMAT },
    ])}'`,
  ].join('\n'),
  HTTP: [
    'aws logs create-log-group --log-group-name /aws/apigateway/access-logs/{apiId} --region {region}',
    `aws apigatewayv2 update-stage --api-id {apiId} --stage-name {stage} --region {region} --access-log-settings '${JSON.stringify({ DestinationArn: ACCESS_LOG_GROUP, Format: DIAGNOSTIC_ACCESS_LOG_FORMAT })}'`,
  ].join('\n'),
};
ACCESS_LOGS_ON.WEBSOCKET = ACCESS_LOGS_ON.HTTP;

const EXECUTION_LOGS_ON: PerApiType = {
  REST: "aws apigateway update-stage --rest-api-id {apiId} --stage-name {stage} --region {region} --patch-operations 'op=replace,path=/*/*/logging/loglevel,value=ERROR'",
  WEBSOCKET: 'aws apigatewayv2 update-stage --api-id {apiId} --stage-name {stage} --region {region} --default-route-settings LoggingLevel=ERROR',
};

const GET_INTEGRATION: PerApiType = {
  REST: 'aws apigateway get-integration --rest-api-id {apiId} --resource-id {resourceId} --http-method {httpMethod} --region {region}',
  HTTP: 'aws apigatewayv2 get-integration --api-id {apiId} --integration-id {integrationId} --region {region}',
  WEBSOCKET: 'aws apigatewayv2 get-integration --api-id {apiId} --integration-id {integrationId} --region {region}',
};

const GET_STAGE: PerApiType = {
  REST: 'aws apigateway get-stage --rest-api-id {apiId} --stage-name {stage} --region {region}',
  HTTP: 'aws apigatewayv2 get-stage --api-id {apiId} --stage-name {stage} --region {region}',
  WEBSOCKET: 'aws apigatewayv2 get-stage --api-id {apiId} --stage-name {stage} --region {region}',
};

const all = (how: string): PerApiType => ({ REST: how, HTTP: how, WEBSOCKET: how });

/** How to learn each fact a knowledge file can ask about, where one command tells. */
const FACT_HOWTO: Partial<Record<FactName, Howto>> = {
  lambdaInvokePermission: { what: "whether {functionName}'s resource policy lets this API invoke it", how: all('aws lambda get-policy --function-name {functionArn} --region {region}') },
  integrationHttpMethod: { what: "the integration's HTTP method (a Lambda integration needs POST)", how: GET_INTEGRATION },
  integrationType: { what: 'the integration type', how: GET_INTEGRATION },
  integrationUri: { what: 'the integration URI', how: GET_INTEGRATION },
  integrationTimeoutMs: { what: 'the integration timeout', how: GET_INTEGRATION },
  integrationCredentialsRole: { what: "the integration's credentials role", how: GET_INTEGRATION },
  stageVariableInUri: { what: 'whether the integration URI picks the function through a stage variable', how: GET_INTEGRATION },
  payloadFormatVersion: { what: "the integration's payload format version", how: GET_INTEGRATION },
  lambdaTimeoutMs: { what: "{functionName}'s timeout", how: all('aws lambda get-function-configuration --function-name {functionArn} --region {region} --query Timeout') },
  lambdaReservedConcurrency: { what: "{functionName}'s reserved concurrency", how: all('aws lambda get-function-concurrency --function-name {functionArn} --region {region}') },
  accessLogging: { what: 'whether the stage writes access logs', how: GET_STAGE },
  executionLogging: { what: "the stage's execution logging level", how: GET_STAGE },
  accessLogFormatHasIntegrationError: { what: 'whether the access log format has $context.integrationErrorMessage', how: GET_STAGE },
  cloudwatchRoleArnSet: { what: "whether the account has API Gateway's CloudWatch role in this Region", how: all('aws apigateway get-account --region {region}') },
};

const parsedCache = new Map<string, TemplateLine[]>();

/** A command with the evidence's values; an unknown one stays quoted and a comment says how to find it. */
function render(how: string, ctx: TemplateContext): string {
  let lines = parsedCache.get(how);
  if (!lines) {
    const parsed = parseTemplate(how);
    if ('error' in parsed) throw new Error(parsed.error);
    lines = parsed;
    parsedCache.set(how, lines);
  }
  const notes = new Set<string>();
  const command = renderCommand(lines, ctx, notes);
  return [command, ...[...notes].map((n) => `# ${n.replace(/\n/g, ' ')}`)].join('\n');
}

/** Lists what would sharpen the answer, most useful first. */
export function findMissing(evidence: Evidence, digest: LogDigest, causes: readonly Cause[], ctx: TemplateContext): Missing[] {
  const out: Missing[] = [];
  const add = (what: string, how: string | undefined): void => {
    if (how !== undefined && !out.some((m) => m.what === what)) out.push({ what, how: render(how, ctx) });
  };
  const { apiType, config } = evidence;
  const accessLines = digest.linesBySource.access;
  // A telemetry finding already carries the commands that turn logging on; do not repeat them here.
  const loggingCovered = causes.some((c) => c.kind === 'telemetry');

  if (!loggingCovered) {
    if (apiType !== 'HTTP' && digest.linesBySource.execution === 0 && config.executionLogging !== 'INFO' && config.executionLogging !== 'ERROR') {
      const role = config.cloudwatchRoleArnSet === false ? " (first give the account API Gateway's CloudWatch role in this Region: aws apigateway update-account --patch-operations op=replace,path=/cloudwatchRoleArn,value= followed by the ARN of a role with the managed policy AmazonAPIGatewayPushToCloudWatchLogs)" : '';
      add(`execution logs at ERROR level: they name the failure ("Execution failed due to …")${role}`, EXECUTION_LOGS_ON[apiType]);
    }
    if (accessLines === 0 && config.accessLogging !== true) {
      add('access logs with $context.integrationErrorMessage and $context.error.responseType: the integration error behind each 5xx', ACCESS_LOGS_ON[apiType]);
    } else if (config.accessLogFormatHasIntegrationError === false) {
      add("$context.integrationErrorMessage in the access log format: today's format leaves out why the integration failed", ACCESS_LOGS_ON[apiType]);
    }
  }
  // An AWS integration is Lambda's only when its URI says so (others reach SQS, DynamoDB, Step Functions…).
  const uri = typeof config.integrationUri === 'string' ? config.integrationUri : undefined;
  const lambdaBacked =
    evidence.integrationType === 'AWS_PROXY' || (evidence.integrationType === 'AWS' && (uri === undefined || uri.includes(':lambda:'))) || resolvePlaceholder('functionArn', ctx).known;
  if (lambdaBacked && digest.linesBySource.lambda === 0 && !evidence.logsRead?.includes('lambda') && causes.some((c) => c.integrationTypes?.some((t) => t === 'AWS_PROXY' || t === 'AWS'))) {
    add(fillText("{functionName}'s own log lines (errors, timeouts, crashes)", ctx), all('aws logs tail /aws/lambda/{functionName} --since 1h --filter-pattern ERROR --region {region}')[apiType]);
  }

  const known = (name: FactName): boolean =>
    (config as Record<string, unknown>)[name] !== undefined || (name === 'integrationType' && evidence.integrationType !== undefined);
  for (const cause of causes) {
    const conditions: Condition[] = [];
    if (cause.excludes) conditions.push(...cause.excludes);
    for (const s of cause.signals) {
      if (s.requires) conditions.push(s.requires);
      if (s.excludes) conditions.push(...s.excludes);
      if (s.kind === 'fact' || s.kind === 'metric') conditions.push(s.when);
    }
    for (const fact of new Set(conditions.flatMap(factsOf))) {
      const howto = FACT_HOWTO[fact];
      if (howto && !known(fact)) add(fillText(howto.what, ctx), howto.how[apiType]);
    }
  }
  return out;
}
