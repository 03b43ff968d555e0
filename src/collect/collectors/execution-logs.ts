/**
 * `execution-logs`: the stage's execution log (REST and WebSocket), its messages counted in Logs Insights
 * with the knowledge base's literals as the filter.
 */
import type { LogLine } from '../../diagnosis/evidence';
import { executionLogGroup, messageGroupsQuery, rowsToLogLines } from '../log-queries';
import type { LogsQueryResult } from '../ports';
import { defineCollector, describeLines, partialNote } from './collector';

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
    return { value: lines, detail: `${describeLines(lines)} in ${group}${partialNote(result)}` };
  },
});
