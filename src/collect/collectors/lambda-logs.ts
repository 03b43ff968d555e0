/**
 * `lambda-logs`: the examined functions' own log groups in one Logs Insights query grouped `by @log`,
 * so that only the failing function's lines become evidence.
 */
import { messageGroupsQuery, rowsToLogLines } from '../log-queries';
import { lambdaLogGroup } from '../routes';
import { defineCollector, describeLines, partialNote } from './collector';
import { GROUP_ROWS } from './execution-logs';
import { lambdaTargets } from './lambda-targets';

export const lambdaLogs = defineCollector({
  source: 'lambda-logs',
  label: 'Lambda logs',
  needs: [lambdaTargets],
  async collect(ctx, deadline) {
    const targets = await ctx.get(lambdaTargets);
    if (targets.length === 0) return null;
    // Default log group names, so this query need not wait for each function's configuration.
    const groups = [...new Set(targets.map((t) => lambdaLogGroup(t)))];
    const result = await ctx.query({ logGroups: groups, queryString: messageGroupsQuery(ctx.literals.lambda, 'lambda', GROUP_ROWS), from: ctx.window.from, to: ctx.window.to, limit: GROUP_ROWS }, deadline);
    if (!result) return { value: [] as Record<string, string>[], ok: false, detail: `log group ${groups.join(', ')} does not exist` };
    return { value: result.rows, detail: `${describeLines(rowsToLogLines(result.rows, 'lambda'))} in ${groups.join(', ')}${partialNote(result)}` };
  },
});
