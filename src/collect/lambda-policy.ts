/**
 * Which Lambda function an integration invokes, and whether the function's resource policy lets API
 * Gateway invoke it from this API (platform-facts §12). Pure: the policy text comes from
 * `LambdaPort.getPolicy`.
 */

/** The function an integration URI names. */
export interface LambdaTarget {
  /** The unqualified function ARN (`arn:aws:lambda:{region}:{account}:function:{name}`), which every Lambda read accepts. */
  functionName: string;
  /** The alias or version, when the URI names one (it then needs its own permission). */
  qualifier?: string;
  /** The function ARN as written in the URI (after stage-variable substitution), qualified when the URI is. */
  functionArn?: string;
  region?: string;
  accountId?: string;
}

const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const QUALIFIER = /^(\$LATEST|[A-Za-z0-9_-]{1,128})$/;
const STAGE_VARIABLE = /\$\{stageVariables\.([^}]*)\}/g;
/** REST (and optionally HTTP API) Lambda integration URIs wrap the function ARN in an invocation path. */
const INVOCATION_URI = /^arn:aws[a-z-]*:apigateway:[a-z0-9-]+:lambda:path\/2015-03-31\/functions\/(.+)\/invocations\/?$/;
const FUNCTION_ARN = /^arn:(aws[a-z-]*):lambda:([a-z0-9-]+):(\d{12}):function:([^:]+)(?::([^:]+))?$/;

/**
 * The Lambda function an integration URI invokes, or null when the URI is not a Lambda one or does
 * not name a valid function. Accepts REST invocation URIs
 * (`arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{function ARN}/invocations`) and HTTP
 * API URIs that are the function ARN itself. `${stageVariables.NAME}` placeholders anywhere in the URI
 * are replaced from `stageVariables` first; the result is null when one has no value. The name and
 * qualifier are checked against Lambda's patterns, so a stage variable cannot smuggle in anything else.
 */
export function lambdaTargetFromUri(uri: string, stageVariables: Record<string, string>): LambdaTarget | null {
  let unresolved = false;
  const resolved = uri.replace(STAGE_VARIABLE, (_all, name: string) => {
    if (Object.hasOwn(stageVariables, name)) return stageVariables[name] ?? '';
    unresolved = true;
    return '';
  });
  if (unresolved) return null;
  const arn = INVOCATION_URI.exec(resolved)?.[1] ?? resolved;
  const m = FUNCTION_ARN.exec(arn);
  if (!m) return null;
  const [, partition, region, accountId, name, qualifier] = m;
  if (partition === undefined || region === undefined || accountId === undefined || name === undefined) return null;
  if (!FUNCTION_NAME.test(name) || (qualifier !== undefined && !QUALIFIER.test(qualifier))) return null;
  return {
    functionName: `arn:${partition}:lambda:${region}:${accountId}:function:${name}`,
    ...(qualifier !== undefined ? { qualifier } : {}),
    functionArn: arn,
    region,
    accountId,
  };
}

/** The ARN partition of a Region (`aws`, `aws-cn`, `aws-us-gov`). */
function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/**
 * The `AWS:SourceArn` API Gateway presents when it invokes a function for a method or route:
 * `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path without leading /}`.
 * `httpMethod` absent or `ANY` gives `*` (the request's own verb varies), and `resourcePath` absent
 * gives `*`. A route key instead of a path (no leading `/`: WebSocket `$connect`, `sendMessage`, HTTP
 * `$default`) without `httpMethod` is the last segment on its own, `{apiId}/{stage}/{routeKey}`, as
 * API Gateway presents it for those routes.
 */
export function executeApiSourceArn(p: { region: string; accountId: string; apiId: string; stage: string; httpMethod?: string; resourcePath?: string }): string {
  const prefix = `arn:${partitionOf(p.region)}:execute-api:${p.region}:${p.accountId}:${p.apiId}/${p.stage}`;
  if (p.httpMethod === undefined && p.resourcePath !== undefined && p.resourcePath !== '' && !p.resourcePath.startsWith('/')) return `${prefix}/${p.resourcePath}`;
  const method = p.httpMethod === undefined || p.httpMethod === '' || p.httpMethod.toUpperCase() === 'ANY' ? '*' : p.httpMethod.toUpperCase();
  const path = p.resourcePath === undefined || p.resourcePath === '' ? '*' : p.resourcePath.replace(/^\//, '');
  return `${prefix}/${method}/${path}`;
}

/** The verdict on one resource policy. */
export interface InvokeVerdict {
  allowed: boolean;
  /** The statement that allows or denies; when not allowed, the nearest miss (right principal and action). */
  statementId?: string;
  /** One sentence for the evidence: which statement decided, or why none allows. */
  reason: string;
}

const APIGW_PRINCIPAL = 'apigateway.amazonaws.com';
const INVOKE = 'lambda:InvokeFunction';

type Outcome = { kind: 'match' } | { kind: 'no-match'; why: string; near: boolean } | { kind: 'unknown'; why: string };

interface Request {
  sourceArn: string;
  sourceAccount: string | undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A policy value that may be one string or a list. */
function listOf(v: unknown): string[] {
  if (Array.isArray(v)) return v.map((x) => String(x));
  if (v === undefined || v === null) return [];
  return [typeof v === 'string' ? v : JSON.stringify(v)];
}

/** IAM wildcard match: `*` any run of characters, `?` one character, everything else literal. */
function wildcardMatch(pattern: string, value: string, caseInsensitive = false): boolean {
  const body = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, caseInsensitive ? 'is' : 's').test(value);
}

/** The six colon-separated ARN components; the last keeps its colons. */
function arnParts(arn: string): string[] | null {
  const parts = arn.split(':');
  if (parts.length < 6) return null;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

/** `ArnLike` / `ArnEquals` (identical in IAM): each ARN component matched on its own, with wildcards. */
function arnMatch(pattern: string, value: string): boolean {
  const p = arnParts(pattern);
  const v = arnParts(value);
  if (!p || !v) return false;
  return p.every((part, i) => wildcardMatch(part, v[i] ?? ''));
}

const OPERATORS: Record<string, (pattern: string, value: string) => boolean> = {
  StringEquals: (p, v) => p === v,
  StringLike: (p, v) => wildcardMatch(p, v),
  ArnEquals: arnMatch,
  ArnLike: arnMatch,
};
const NEGATED: Record<string, string> = {
  StringNotEquals: 'StringEquals',
  StringNotLike: 'StringLike',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
};

function conditionOutcome(condition: unknown, req: Request): Outcome {
  if (condition === undefined) return { kind: 'match' };
  if (!isRecord(condition)) return { kind: 'unknown', why: 'its Condition is not an object' };
  for (const [operator, block] of Object.entries(condition)) {
    const negated = Object.hasOwn(NEGATED, operator) ? NEGATED[operator] : undefined;
    const positive = negated ?? operator;
    const test = Object.hasOwn(OPERATORS, positive) ? OPERATORS[positive] : undefined;
    if (!test) return { kind: 'unknown', why: `condition operator ${operator} is not evaluated by this tool` };
    if (!isRecord(block)) return { kind: 'unknown', why: `condition ${operator} is not an object` };
    for (const [key, expected] of Object.entries(block)) {
      // Condition keys are case-insensitive in IAM.
      const k = key.toLowerCase();
      const actual = k === 'aws:sourcearn' ? req.sourceArn : k === 'aws:sourceaccount' ? req.sourceAccount : undefined;
      if (k !== 'aws:sourcearn' && k !== 'aws:sourceaccount') return { kind: 'unknown', why: `condition key ${key} (${operator}) is not evaluated by this tool` };
      if (actual === undefined) return { kind: 'unknown', why: `the source account for ${operator} ${key} is not known` };
      const patterns = listOf(expected);
      const any = patterns.some((p) => test(p, actual));
      const holds = negated !== undefined ? !any : any;
      if (!holds) return { kind: 'no-match', why: `${operator} ${key} ${patterns.join(' or ')} does not hold for ${actual}`, near: true };
    }
  }
  return { kind: 'match' };
}

function principalMatches(principal: unknown): boolean {
  if (principal === '*') return true;
  if (!isRecord(principal)) return false;
  return listOf(principal.Service).includes(APIGW_PRINCIPAL);
}

function statementOutcome(st: Record<string, unknown>, req: Request): Outcome {
  if (st.NotPrincipal !== undefined) return { kind: 'unknown', why: 'it uses NotPrincipal, which this tool does not evaluate' };
  if (st.NotAction !== undefined) return { kind: 'unknown', why: 'it uses NotAction, which this tool does not evaluate' };
  if (!principalMatches(st.Principal)) return { kind: 'no-match', why: `its principal is not ${APIGW_PRINCIPAL}`, near: false };
  if (!listOf(st.Action).some((a) => wildcardMatch(a, INVOKE, true))) return { kind: 'no-match', why: `its action is not ${INVOKE}`, near: false };
  return conditionOutcome(st.Condition, req);
}

/**
 * Whether a function's resource policy (the JSON text `aws lambda get-policy` returns) lets API Gateway
 * invoke it for a request with this `AWS:SourceArn` (see {@link executeApiSourceArn}).
 *
 * A statement allows when its `Effect` is `Allow`, its `Principal` is `*` or has `Service`
 * `apigateway.amazonaws.com` (string or list), its `Action` matches `lambda:InvokeFunction` (`lambda:*`,
 * `*`, lists; case-insensitive as in IAM) and every condition holds. Conditions evaluated:
 * `StringEquals`/`StringLike`/`ArnEquals`/`ArnLike` and their `Not` forms on `AWS:SourceArn` and
 * `AWS:SourceAccount` (`*` and `?` wildcards, case-sensitive; the `Arn` operators match each ARN
 * component on its own, as IAM does). Anything else (another operator or key, `NotPrincipal`,
 * `NotAction`) cannot be evaluated here, so it is never counted as allowing, and a `Deny` that might
 * apply is counted as denying: a false "not allowed" costs a harmless `add-permission`, a false
 * "allowed" hides the cause. A matching `Deny` wins over any `Allow`. `Resource` is not checked:
 * `GetPolicy` already returned the policy of the function or qualifier being invoked.
 *
 * @param sourceAccount default: the account in `sourceArn` (API Gateway sends the API's account).
 * @throws SyntaxError when `policyJson` is not JSON.
 */
export function policyAllowsInvoke(policyJson: string | null, sourceArn: string, sourceAccount?: string): InvokeVerdict {
  if (policyJson === null) return { allowed: false, reason: 'the function has no resource policy' };
  const doc: unknown = JSON.parse(policyJson);
  const rawStatements = isRecord(doc) ? doc.Statement : undefined;
  const statements = (Array.isArray(rawStatements) ? (rawStatements as unknown[]) : rawStatements === undefined ? [] : [rawStatements]).filter(isRecord);
  if (statements.length === 0) return { allowed: false, reason: 'the resource policy has no statements' };
  const req: Request = { sourceArn, sourceAccount: sourceAccount ?? arnParts(sourceArn)?.[4] };
  const sidOf = (st: Record<string, unknown>, i: number): string => (typeof st.Sid === 'string' && st.Sid !== '' ? st.Sid : `#${i + 1}`);

  const judged = statements.map((st, i) => ({ sid: sidOf(st, i), effect: st.Effect, outcome: statementOutcome(st, req) }));
  for (const { sid, effect, outcome } of judged) {
    if (effect !== 'Deny') continue;
    if (outcome.kind === 'match') return { allowed: false, statementId: sid, reason: `statement "${sid}" denies ${APIGW_PRINCIPAL} invoking the function from ${sourceArn}` };
    if (outcome.kind === 'unknown') {
      return { allowed: false, statementId: sid, reason: `statement "${sid}" may deny invoking the function (${outcome.why}), so it is counted as denying` };
    }
  }
  const allow = judged.find((j) => j.effect === 'Allow' && j.outcome.kind === 'match');
  if (allow) return { allowed: true, statementId: allow.sid, reason: `statement "${allow.sid}" allows ${APIGW_PRINCIPAL} to invoke the function from ${sourceArn}` };

  const misses = judged.filter((j) => j.effect === 'Allow');
  const near = misses.find((j) => j.outcome.kind === 'unknown' || (j.outcome.kind === 'no-match' && j.outcome.near));
  const whys = misses.map((j) => `"${j.sid}": ${j.outcome.kind === 'match' ? 'matches' : j.outcome.why}`);
  const reason = `no statement allows ${APIGW_PRINCIPAL} to invoke the function from ${sourceArn}${whys.length > 0 ? ` (${whys.join('; ')})` : ''}`;
  return { allowed: false, ...(near ? { statementId: near.sid } : {}), reason };
}
