/**
 * `lambda-logs`: the examined functions' own log groups in one Logs Insights query grouped `by @log`,
 * so that only the failing function's lines become evidence; and, alongside it, a summary of their
 * REPORT lines (longest duration, most memory used), which no metric gives for memory.
 */
import type { LambdaReportSummary } from '../log-queries';
import { lambdaReportQuery, messageGroupsQuery, parseReportRows, rowsToLogLines } from '../log-queries';
import { lambdaLogGroup } from '../routes';
import { defineCollector, describeLines, partialNote } from './collector';
import { GROUP_ROWS } from './execution-logs';
import { lambdaTargets } from './lambda-targets';

export interface LambdaLogs {
  /** Message-group rows of every examined function, each with its `@log`. */
  rows: Record<string, string>[];
  /** REPORT-line summaries by log group. */
  reports: Map<string, LambdaReportSummary>;
}

export const lambdaLogs = defineCollector({
  source: 'lambda-logs',
  label: 'Lambda logs',
  needs: [lambdaTargets],
  async collect(ctx, deadline) {
    const targets = await ctx.get(lambdaTargets);
    if (targets.length === 0) return null;
    // Default log group names, so this query need not wait for each function's configuration.
    const groups = [...new Set(targets.map((t) => lambdaLogGroup(t)))];
    const range = { logGroups: groups, from: ctx.window.from, to: ctx.window.to };
    const [result, reports] = await Promise.all([
      ctx.query({ ...range, queryString: messageGroupsQuery(ctx.literals.lambda, 'lambda', GROUP_ROWS), limit: GROUP_ROWS }, deadline),
      // Best effort: the messages are the evidence; the summary only sharpens it.
      ctx.optional(ctx.query({ ...range, queryString: lambdaReportQuery(), limit: groups.length }, deadline)),
    ]);
    if (!result) return { value: { rows: [], reports: new Map<string, LambdaReportSummary>() }, ok: false, detail: `log group ${groups.join(', ')} does not exist` };
    return { value: { rows: result.rows, reports: parseReportRows(reports?.rows ?? []) }, detail: `${describeLines(rowsToLogLines(result.rows, 'lambda'))} in ${groups.join(', ')}${partialNote(result)}` };
  },
});
