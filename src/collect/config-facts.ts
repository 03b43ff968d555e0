/**
 * Turns API Gateway configuration into the config facts of DESIGN.md §3 for the failing integration,
 * named exactly as the fact vocabulary names them, so the knowledge base's fact signals can fire.
 */
import type { ConfigFacts } from '../diagnosis/evidence';
import { lambdaTargetFromUri } from './lambda-policy';
import type { AccountInfo, ApiSummary, AuthorizerInfo, MethodSetting, RouteInfo, StageInfo } from './ports';

/** What `integration.credentials` holds when the integration calls with the caller's own credentials. */
const CALLER_CREDENTIALS = 'arn:aws:iam::*:user/*';
/** Access-log variables that carry the integration's own error text. */
const INTEGRATION_ERROR_VARIABLES = ['$context.integrationErrorMessage', '$context.integration.error'];

/** Telemetry facts of a stage: what logs exist to read. */
export function telemetryFacts(api: ApiSummary, stage: StageInfo, account: AccountInfo | undefined, route?: RouteInfo): ConfigFacts {
  const facts: ConfigFacts = {};
  const setting = methodSetting(stage, route);
  // HTTP APIs have no execution logs at all; their LoggingLevel is not a thing to report.
  if (api.apiType !== 'HTTP') {
    facts.executionLogging = setting?.loggingLevel ?? 'OFF';
    facts.dataTraceEnabled = setting?.dataTraceEnabled ?? false;
  }
  facts.accessLogging = stage.accessLog !== undefined;
  if (stage.accessLog) {
    const format = stage.accessLog.format ?? '';
    facts.accessLogFormatHasIntegrationError = INTEGRATION_ERROR_VARIABLES.some((v) => format.includes(v));
  }
  if (account && api.apiType !== 'HTTP') facts.cloudwatchRoleArnSet = Boolean(account.cloudwatchRoleArn);
  return facts;
}

/**
 * The method setting that applies to a route: its own entry, else the stage-wide `*\/*`. REST keys are
 * the resource path without its leading slash plus the verb (`orders/{id}/GET`); the API also writes
 * them with `/` escaped as `~1`, so both spellings are tried.
 */
export function methodSetting(stage: StageInfo, route?: RouteInfo): MethodSetting | undefined {
  const keys: string[] = [];
  if (route?.resourcePath !== undefined && route.httpMethod) {
    const path = route.resourcePath.replace(/^\//, '');
    keys.push(`${path}/${route.httpMethod}`, `${path.replace(/\//g, '~1')}/${route.httpMethod}`, `~1${path.replace(/\//g, '~1')}/${route.httpMethod}`);
  }
  if (route) keys.push(route.routeKey);
  keys.push('*/*');
  for (const key of keys) {
    const setting = stage.methodSettings[key];
    // Fields a per-method setting leaves unset inherit the stage-wide ones (an adapter may carry them as undefined).
    if (setting) return { ...stage.methodSettings['*/*'], ...definedOnly(setting) };
  }
  return undefined;
}

/** Facts about the failing route's integration and authorizer. */
export function integrationFacts(api: ApiSummary, stage: StageInfo, route: RouteInfo, authorizers: readonly AuthorizerInfo[]): ConfigFacts {
  const facts: ConfigFacts = {};
  const integration = route.integration;
  if (integration) {
    facts.integrationType = integration.type;
    if (integration.httpMethod) facts.integrationHttpMethod = integration.httpMethod;
    if (integration.uri) {
      facts.integrationUri = integration.uri;
      facts.stageVariableInUri = integration.uri.includes('${stageVariables.');
      const host = backendHost(integration.uri, stage.variables);
      if (host) facts.backendHost = host;
    }
    facts.integrationTimeoutMs = integration.timeoutMs ?? defaultTimeoutMs(api);
    facts.connectionType = integration.connectionType ?? 'INTERNET';
    if (integration.payloadFormatVersion) facts.payloadFormatVersion = integration.payloadFormatVersion;
    if (integration.credentials) facts.integrationCredentialsRole = integration.credentials === CALLER_CREDENTIALS ? 'caller' : integration.credentials;
    const handling = integration.contentHandling ?? integration.responses.find((r) => r.contentHandling)?.contentHandling;
    if (handling) facts.contentHandling = handling;
  }
  facts.authorizerType = authorizerType(route, authorizers);
  const authorizer = route.authorizerId === undefined ? undefined : authorizers.find((a) => a.id === route.authorizerId);
  if (authorizer) {
    facts.authorizerId = authorizer.id;
    const fn = authorizer.uri ? lambdaTargetFromUri(authorizer.uri, stage.variables) : null;
    if (fn) facts.authorizerFunctionArn = fn.functionArn ?? fn.functionName;
  }
  if (api.binaryMediaTypes) facts.binaryMediaTypes = api.binaryMediaTypes;
  return facts;
}

/** REST and WebSocket integrations default to 29 s; HTTP APIs to 30 s. */
function defaultTimeoutMs(api: ApiSummary): number {
  return api.apiType === 'HTTP' ? 30_000 : 29_000;
}

function authorizerType(route: RouteInfo, authorizers: readonly AuthorizerInfo[]): string {
  const type = route.authorizationType ?? 'NONE';
  if (type === 'CUSTOM') return authorizers.find((a) => a.id === route.authorizerId)?.type ?? 'REQUEST';
  if (type === 'COGNITO_USER_POOLS' || type === 'JWT') return type;
  return 'NONE';
}

/**
 * The host an HTTP integration calls, with stage variables filled in; undefined for AWS service,
 * Lambda and private-integration ARNs, or when a variable stays unresolved.
 */
export function backendHost(uri: string, variables: Readonly<Record<string, string>>): string | undefined {
  const filled = uri.replace(/\$\{stageVariables\.([A-Za-z0-9_]+)\}/g, (whole, name: string) => variables[name] ?? whole);
  if (!/^https?:\/\//i.test(filled) || filled.includes('${')) return undefined;
  try {
    const host = new URL(filled).hostname;
    return host === '' ? undefined : host.replace(/^\[|\]$/g, '');
  } catch {
    return undefined;
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
