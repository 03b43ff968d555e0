/**
 * The evidence sources of an investigation, in the order a report lists them: this list is the table of
 * contents. A new source is one collector file (plus its port and adapter) and one line here; `checked`,
 * `skipped`, the labels and the Slack progress all follow from it.
 *
 * ```
 * target ─▶ stage ─┬─▶ config ─┬─▶ failing route ◀── access logs, execution logs
 *                  │           ├─▶ Lambda functions ─┬─▶ function settings ─▶ changes ◀── deployments, metrics
 *                  │           │                     ├─▶ Lambda logs, Lambda metrics
 *                  │           │                     └─▶ Lambda policy
 *                  │           └─▶ DNS of HTTP backends
 *                  ├─▶ metrics (5xx, onset, every stage's traffic)
 *                  └─▶ execution logs, access logs
 * ```
 */
import type { ApiType } from '../../diagnosis/evidence';
import { accessLogs } from './access-logs';
import { changes } from './changes';
import { config } from './config';
import { dns } from './dns';
import { executionLogs } from './execution-logs';
import { lambdaLogs } from './lambda-logs';
import { lambdaPolicy } from './lambda-policy';
import { metrics } from './metrics';

export const COLLECTORS = [config, executionLogs, accessLogs, lambdaLogs, metrics, lambdaPolicy, dns, changes] as const;

/** The sources named in `checked` and `skipped` (DESIGN.md §3), in report order. */
export type SourceName = (typeof COLLECTORS)[number]['source'];
export const SOURCES: readonly SourceName[] = COLLECTORS.map((c) => c.source);

/** How each source is named for a reader. */
export const SOURCE_LABELS = Object.fromEntries(COLLECTORS.map((c) => [c.source, c.label])) as Readonly<Record<SourceName, string>>;

/** The sources an API type has at all (HTTP APIs have no execution logs). */
export function sourcesFor(apiType: ApiType): SourceName[] {
  return COLLECTORS.filter((c) => c.apiTypes?.includes(apiType) ?? true).map((c) => c.source);
}
