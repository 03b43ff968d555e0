/**
 * `execution-logs`: the stage's execution log (REST and WebSocket), its messages counted in Logs Insights
 * with the knowledge base's literals as the filter.
 */
import type { LogLine } from '../../diagnosis/evidence';
import { BODY_BEFORE } from '../../diagnosis/proxy-response';
import { MAX_BODY_LOOKUPS, executionLogGroup, messageGroupsQuery, rawRowsToLogLines, returnedBodiesQuery, rowsToLogLines } from '../log-queries';
import type { LogsQueryResult } from '../ports';
import type { StepContext } from './collector';
import { defineCollector, describeLines, partialNote } from './collector';

/** The requests that answered a 5xx, when no line the counts kept quotes what their integration returned. */
async function returnedBodies(ctx: StepContext, group: string, lines: readonly LogLine[], deadline: number): Promise<LogLine[]> {
  if (lines.some((l) => l.message.includes(BODY_BEFORE))) return [];
  const failing = lines.filter((l) => /Method completed with status: 5\d\d/.test(l.message)).flatMap((l) => [l.requestId, ...(l.requestIds ?? [])]);
  const queryString = returnedBodiesQuery(failing.filter((id): id is string => id !== undefined));
  if (!queryString) return [];
  const result = await ctx.optional(ctx.query({ logGroups: [group], queryString, from: ctx.window.from, to: ctx.window.to, limit: MAX_BODY_LOOKUPS }, deadline));
  return rawRowsToLogLines(result?.rows ?? [], 'execution');
}

/** Rows asked of each Logs Insights query. */
export const GROUP_ROWS = 200;

export const executionLogs = defineCollector({
  source: 'execution-logs',
  label: 'execution logs',
  apiTypes: ['REST', 'WEBSOCKET'],
  async collect(ctx, deadline) {
    const { api, stage, window } = ctx;
    const level = stage.methodSettings['*/*']?.loggingLevel ?? 'OFF';
    const anyOn = Object.values(stage.methodSettings).some((s) => s.loggingLevel === 'ERROR' || s.loggingLevel === 'INFO');
    if (!anyOn) return { value: [] as LogLine[], ok: false, detail: `execution logging is ${level} on stage ${stage.name}` };
    // REST execution logs go to API-Gateway-Execution-Logs_{id}/{stage}. WebSocket APIs are reported to
    // write theirs to /aws/apigateway/{id}/{stage}; try that first for them, then the REST name.
    const groups = api.apiType === 'WEBSOCKET' ? [`/aws/apigateway/${api.apiId}/${stage.name}`, executionLogGroup(api.apiId, stage.name)] : [executionLogGroup(api.apiId, stage.name)];
    let result: LogsQueryResult | undefined;
    let group = groups[0] ?? '';
    for (const candidate of groups) {
      group = candidate;
      result = await ctx.query({ logGroups: [candidate], queryString: messageGroupsQuery(ctx.literals.execution, 'execution', GROUP_ROWS), from: window.from, to: window.to, limit: GROUP_ROWS }, deadline);
      if (result) break;
    }
    if (!result) return { value: [] as LogLine[], ok: false, detail: `log group ${groups.join(' / ')} does not exist (no request logged yet, or no CloudWatch role for API Gateway in ${ctx.ports.region})` };
    const lines = rowsToLogLines(result.rows, 'execution');
    // What the integration returned for a few failing requests, when the counts did not carry it: the
    // value that says what is wrong with a proxy response, or the error a function returned.
    const bodies = await returnedBodies(ctx, group, lines, deadline);
    return { value: [...lines, ...bodies], detail: `${describeLines(lines)} in ${group}${partialNote(result)}` };
  },
});
