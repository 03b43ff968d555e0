/**
 * The fact vocabulary (DESIGN.md §3): the names that the collectors, the sandbox, the knowledge base
 * and evidence files share. Knowledge files are checked against it when they load, so a misspelt fact
 * is a load error rather than a signal that silently never fires.
 */

export type FactType = 'string' | 'number' | 'boolean' | 'string[]';

export interface FactSpec {
  type: FactType;
  /** What the fact means, for `kb lint` messages and the knowledge README. */
  meaning: string;
}

export const CONFIG_FACTS = {
  integrationType: { type: 'string', meaning: 'AWS_PROXY, AWS, HTTP_PROXY, HTTP, MOCK' },
  integrationHttpMethod: { type: 'string', meaning: "the integration's own method (a Lambda integration needs POST)" },
  integrationUri: { type: 'string', meaning: 'the integration target' },
  backendHost: { type: 'string', meaning: "the integration target's host name" },
  integrationTimeoutMs: { type: 'number', meaning: 'integration timeout' },
  connectionType: { type: 'string', meaning: 'INTERNET or VPC_LINK' },
  payloadFormatVersion: { type: 'string', meaning: '"1.0" or "2.0"' },
  integrationCredentialsRole: { type: 'string', meaning: 'credentials role ARN, or "caller"' },
  stageVariableInUri: { type: 'boolean', meaning: 'the URI picks the function through ${stageVariables.…}' },
  lambdaInvokePermission: { type: 'boolean', meaning: "the function's resource policy lets this API invoke it" },
  lambdaTimeoutMs: { type: 'number', meaning: "the integrated function's timeout" },
  lambdaReservedConcurrency: { type: 'number', meaning: "the integrated function's reserved concurrency" },
  lambdaMemorySizeMb: { type: 'number', meaning: "the integrated function's memory size in MB" },
  executionLogging: { type: 'string', meaning: 'OFF, ERROR or INFO' },
  dataTraceEnabled: { type: 'boolean', meaning: 'full request/response data in execution logs' },
  accessLogging: { type: 'boolean', meaning: 'the stage writes access logs' },
  accessLogFormatHasIntegrationError: { type: 'boolean', meaning: 'the access log format has $context.integrationErrorMessage' },
  cloudwatchRoleArnSet: { type: 'boolean', meaning: 'the account has a CloudWatch role for API Gateway in this Region' },
  backendResolves: { type: 'boolean', meaning: 'backendHost resolves in DNS' },
  backendHasIPv4: { type: 'boolean', meaning: 'backendHost has A records' },
  backendHasIPv6: { type: 'boolean', meaning: 'backendHost has AAAA records' },
  authorizerType: { type: 'string', meaning: 'TOKEN, REQUEST, COGNITO_USER_POOLS, JWT or NONE' },
  authorizerId: { type: 'string', meaning: "the id of the failing route's authorizer" },
  authorizerFunctionArn: { type: 'string', meaning: "the Lambda function of the failing route's authorizer" },
  binaryMediaTypes: { type: 'string[]', meaning: "the API's binary media types" },
  contentHandling: { type: 'string', meaning: 'CONVERT_TO_TEXT, CONVERT_TO_BINARY or absent' },
  responsePayloadBytes: { type: 'number', meaning: 'largest response seen' },
  minutesSinceDeploymentAtOnset: { type: 'number', meaning: 'from the last deployment / function change to the error onset' },
} as const satisfies Record<string, FactSpec>;

export const METRIC_FACTS = {
  count5xx: { type: 'number', meaning: '5xx responses in the window (WebSocket: integration + execution errors)' },
  count4xx: { type: 'number', meaning: '4xx responses in the window' },
  count: { type: 'number', meaning: 'requests in the window' },
  latencyP99Ms: { type: 'number', meaning: 'p99 latency' },
  integrationLatencyP99Ms: { type: 'number', meaning: 'p99 integration latency' },
  integrationLatencyMaxMs: { type: 'number', meaning: 'maximum integration latency' },
  lambdaErrors: { type: 'number', meaning: 'Lambda Errors metric' },
  lambdaThrottles: { type: 'number', meaning: 'Lambda Throttles metric' },
  lambdaDurationMaxMs: { type: 'number', meaning: 'Lambda maximum Duration' },
  lambdaMaxMemoryUsedMb: { type: 'number', meaning: 'the largest "Max Memory Used" of the function\'s REPORT lines, in MB' },
} as const satisfies Record<string, FactSpec>;

/**
 * Facts the engine derives from the evidence itself, so that knowledge files can ask about them
 * (for example "an HTTP API and not one log line").
 */
export const DERIVED_FACTS = {
  apiType: { type: 'string', meaning: 'REST, HTTP or WEBSOCKET' },
  status: { type: 'number', meaning: 'the status asked about (absent for 5xx)' },
  logLines: { type: 'number', meaning: 'log lines in the evidence' },
  executionLogLines: { type: 'number', meaning: 'execution log lines in the evidence' },
  accessLogLines: { type: 'number', meaning: 'access log lines and integration error messages in the evidence' },
  lambdaLogLines: { type: 'number', meaning: 'Lambda log lines in the evidence' },
  proxyResponseProblem: { type: 'string', meaning: 'what is wrong with the value the function returned, as the execution log quotes it ("`body` is an object")' },
} as const satisfies Record<string, FactSpec>;

export type ConfigFactName = keyof typeof CONFIG_FACTS;
export type MetricName = keyof typeof METRIC_FACTS;
export type DerivedFactName = keyof typeof DERIVED_FACTS;
export type FactName = ConfigFactName | MetricName | DerivedFactName;

export type FactValue = string | number | boolean | readonly string[];

export const ALL_FACTS: Readonly<Record<FactName, FactSpec>> = { ...CONFIG_FACTS, ...METRIC_FACTS, ...DERIVED_FACTS };

export function isFactName(name: string): name is FactName {
  return Object.hasOwn(ALL_FACTS, name);
}

export function isConfigFactName(name: string): name is ConfigFactName {
  return Object.hasOwn(CONFIG_FACTS, name);
}

export function isMetricName(name: string): name is MetricName {
  return Object.hasOwn(METRIC_FACTS, name);
}

/** True when `value` has the type the vocabulary gives `name`. */
export function factHasType(spec: FactSpec, value: unknown): value is FactValue {
  switch (spec.type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'string[]':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
  }
}
