/**
 * Deep links into the AWS console for what an investigation looked at: the stage's execution logs in
 * Logs Insights over the window, the API's stages, the integrated Lambda function. Built only from
 * values that passed their allow-list (Region, API id, stage, function name), so a link can never be
 * made to point elsewhere. The console's URL formats (documented in README.md) are:
 *
 * - Logs Insights: `https://R.console.aws.amazon.com/cloudwatch/home?region=R#logsV2:logs-insights$3FqueryDetail$3D~(end~'…~start~'…~timeType~'ABSOLUTE~tz~'UTC~editorString~'…~source~(~'GROUP))`
 *   — the query detail is a JSURL object; in its strings every character but letters, digits, `_`, `-`
 *   and `.` is written `*XX` (hex), `$` as `!`.
 * - Log group: `https://R.console.aws.amazon.com/cloudwatch/home?region=R#logsV2:log-groups/log-group/NAME`, the
 *   name URI-encoded twice with `%` written `$`.
 * - REST API stages: `https://R.console.aws.amazon.com/apigateway/main/apis/ID/stages?api=ID&region=R`;
 *   HTTP and WebSocket APIs: `https://R.console.aws.amazon.com/apigateway/main/api-detail?api=ID&region=R`.
 * - Lambda function: `https://R.console.aws.amazon.com/lambda/home?region=R#/functions/NAME`.
 */
import type { Checked } from '../collect/investigate';
import { executionLogGroup } from '../collect/log-queries';
import { API_ID, STAGE_NAME } from '../collect/resolve-target';
import type { ApiType, Target } from '../diagnosis/evidence';

export interface ConsoleLink {
  /** What the link opens, e.g. "Logs Insights: execution logs". */
  label: string;
  url: string;
}

const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
/** Lambda function names: letters, digits, `-` and `_`, up to 64. */
const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
/** Log group names, as CloudWatch Logs allows them. */
const LOG_GROUP = /^[A-Za-z0-9._/#-]{1,512}$/;

/** The query a Logs Insights link opens with: the failures of the window, newest first. */
export const EXECUTION_LOG_QUERY = [
  'fields @timestamp, @message, @logStream',
  '| filter @message like /Execution failed|Method completed with status: 5|Lambda execution failed|timed out|error/',
  '| sort @timestamp desc',
  '| limit 200',
].join('\n');

/** The console's origin for a Region: China and GovCloud have their own. */
function consoleOrigin(region: string): string {
  if (region.startsWith('cn-')) return `https://${region}.console.amazonaws.cn`;
  if (region.startsWith('us-gov-')) return `https://${region}.console.amazonaws-us-gov.com`;
  return `https://${region}.console.aws.amazon.com`;
}

/** A JSURL string: `'` then the text with every character but `[A-Za-z0-9_.-]` written `*XX` (or `**XXXX`), `$` as `!`. */
export function jsurlString(text: string): string {
  const body = text.replace(/[^A-Za-z0-9_.-]/g, (ch) => {
    if (ch === '$') return '!';
    const code = ch.charCodeAt(0);
    return code < 0x100 ? `*${code.toString(16).padStart(2, '0')}` : `**${code.toString(16).padStart(4, '0')}`;
  });
  return `'${body}`;
}

/** Logs Insights over `logGroups` from `from` to `to` (ISO times), opening with `query`. */
export function logsInsightsUrl(p: { region: string; logGroups: readonly string[]; from: string; to: string; query: string }): string | undefined {
  const groups = p.logGroups.filter((g) => LOG_GROUP.test(g)).slice(0, 50);
  const from = Date.parse(p.from);
  const to = Date.parse(p.to);
  if (!REGION.test(p.region) || groups.length === 0 || Number.isNaN(from) || Number.isNaN(to)) return undefined;
  const detail =
    `~(end~${jsurlString(new Date(to).toISOString())}~start~${jsurlString(new Date(from).toISOString())}~timeType~'ABSOLUTE~tz~'UTC` +
    `~editorString~${jsurlString(p.query)}~source~(${groups.map((g) => `~${jsurlString(g)}`).join('')}))`;
  return `${consoleOrigin(p.region)}/cloudwatch/home?region=${p.region}#logsV2:logs-insights$3FqueryDetail$3D${detail}`;
}

/** A log group's page (its streams). */
export function logGroupUrl(region: string, logGroup: string): string | undefined {
  if (!REGION.test(region) || !LOG_GROUP.test(logGroup)) return undefined;
  const name = encodeURIComponent(encodeURIComponent(logGroup)).replace(/%/g, '$');
  return `${consoleOrigin(region)}/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${name}`;
}

/** The API's stages (REST) or its detail page (HTTP, WebSocket), where the stage settings are. */
export function apiStageUrl(region: string, apiId: string, apiType: ApiType): string | undefined {
  if (!REGION.test(region) || !API_ID.test(apiId)) return undefined;
  return apiType === 'REST'
    ? `${consoleOrigin(region)}/apigateway/main/apis/${apiId}/stages?api=${apiId}&region=${region}`
    : `${consoleOrigin(region)}/apigateway/main/api-detail?api=${apiId}&region=${region}`;
}

/** A Lambda function's page. */
export function lambdaFunctionUrl(region: string, functionName: string): string | undefined {
  if (!REGION.test(region) || !FUNCTION_NAME.test(functionName)) return undefined;
  return `${consoleOrigin(region)}/lambda/home?region=${region}#/functions/${functionName}`;
}

/** The function name of a Lambda ARN (`arn:aws:lambda:R:ACCOUNT:function:NAME[:QUALIFIER]`), or a bare name. */
export function functionNameOf(arnOrName: string): string | undefined {
  const m = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:([A-Za-z0-9_-]{1,64})(?::[A-Za-z0-9$_-]+)?$/.exec(arnOrName);
  if (m?.[1]) return m[1];
  return FUNCTION_NAME.test(arnOrName) ? arnOrName : undefined;
}

/**
 * The links worth opening after an investigation: Logs Insights over the execution logs (when they
 * were read) and the function's logs, the API's stage, the function. Absent ids give no link.
 */
export function consoleLinks(investigation: { target: Target; apiType: ApiType; window: { from: string; to: string }; checked: readonly Checked[] }): ConsoleLink[] {
  const { target, apiType, window } = investigation;
  const region = target.region;
  if (region === undefined || !REGION.test(region)) return [];
  const read = new Set(investigation.checked.filter((c) => c.ok).map((c) => c.source));
  const fn = target.functionArn ? functionNameOf(target.functionArn) : undefined;
  const links: ConsoleLink[] = [];
  const groups: string[] = [];
  const { apiId, stage } = target;
  if (apiType !== 'HTTP' && apiId !== undefined && stage !== undefined && API_ID.test(apiId) && STAGE_NAME.test(stage) && read.has('execution-logs')) {
    groups.push(executionLogGroup(apiId, stage));
  }
  if (fn !== undefined && read.has('lambda-logs')) groups.push(`/aws/lambda/${fn}`);
  const insights = logsInsightsUrl({ region, logGroups: groups, from: window.from, to: window.to, query: EXECUTION_LOG_QUERY });
  if (insights) links.push({ label: `Logs Insights: ${groups.some((g) => g.startsWith('API-Gateway')) ? 'execution logs' : 'Lambda logs'}, ${windowLabel(window)}`, url: insights });
  const stageUrl = apiId !== undefined ? apiStageUrl(region, apiId, apiType) : undefined;
  if (stageUrl) links.push({ label: stage !== undefined ? `stage ${stage}` : 'API', url: stageUrl });
  const fnUrl = fn !== undefined ? lambdaFunctionUrl(region, fn) : undefined;
  if (fn !== undefined && fnUrl) links.push({ label: `Lambda ${fn}`, url: fnUrl });
  return links;
}

function windowLabel(window: { from: string; to: string }): string {
  const from = new Date(Date.parse(window.from));
  const to = new Date(Date.parse(window.to));
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) return 'the window';
  return `${from.toISOString().slice(11, 16)}–${to.toISOString().slice(11, 16)} UTC`;
}
