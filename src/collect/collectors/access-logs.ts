/**
 * `access-logs`: the stage's access log. A JSON format is read as fields: the 5xx counted by status,
 * route and error fields, which also say which route fails. Any other format is read as text lines.
 */
import type { LogLine } from '../../diagnosis/evidence';
import type { FailingRoute } from '../log-queries';
import { accessFailuresQuery, accessRowsToLogLines, failingRoutes, logGroupFromArn, parseAccessLogFormat, rawLinesQuery, rawRowsToLogLines } from '../log-queries';
import { defineCollector, describeLines, partialNote } from './collector';
import { GROUP_ROWS } from './execution-logs';

export interface AccessFindings {
  lines: LogLine[];
  /** Routes with the most 5xx, most first (JSON formats only). */
  routes: FailingRoute[];
  /** Other stages writing to the same log group whose lines could not be told apart (the format has no `$context.stage`). */
  sharedWith: string[];
}

const NONE: AccessFindings = { lines: [], routes: [], sharedWith: [] };

export const accessLogs = defineCollector({
  source: 'access-logs',
  label: 'access logs',
  async collect(ctx, deadline) {
    const { stage, stages, window } = ctx;
    const settings = stage.accessLog;
    const group = settings ? logGroupFromArn(settings.destinationArn) : null;
    if (!settings || !group) return { value: NONE, ok: false, detail: `not configured on stage ${stage.name}` };
    const format = parseAccessLogFormat(settings.format ?? '');
    const queryString = format ? accessFailuresQuery(format, GROUP_ROWS, stage.name) : null;
    const result = await ctx.query({ logGroups: [group], queryString: queryString ?? rawLinesQuery(ctx.literals.access), from: window.from, to: window.to, limit: GROUP_ROWS }, deadline);
    if (!result) return { value: NONE, ok: false, detail: `log group ${group} does not exist` };
    const lines = format && queryString ? accessRowsToLogLines(result.rows, format) : rawRowsToLogLines(result.rows, 'access');
    const routes = format && queryString ? failingRoutes(result.rows, format) : [];
    // Stages often share one access-log group; without $context.stage in the format their lines mix.
    const sharedWith = format?.stage !== undefined ? [] : stages.filter((s) => s.name !== stage.name && s.accessLog && logGroupFromArn(s.accessLog.destinationArn) === group).map((s) => s.name);
    const shared = sharedWith.length > 0 ? ` (shared with stage${sharedWith.length === 1 ? '' : 's'} ${sharedWith.join(', ')}: the format has no $context.stage)` : '';
    return { value: { lines, routes, sharedWith }, detail: `${describeLines(lines)} in ${group}${format ? '' : ' (not JSON: lines read as text)'}${shared}${partialNote(result)}` };
  },
});
