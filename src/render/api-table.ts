/**
 * `apis`: every API stage of an account and Region with its 5xx over a window, worst first, as a
 * table a person scans; "all quiet" when nothing failed (silence would read as "did it run?").
 */
import type { ApiErrorList, ApiStageErrors } from '../collect/list-apis';
import { formatCount, formatRate } from './describe-target';
import { styles } from './text-report';

export interface ApiTableOptions {
  region: string;
  /** "24h", for "last 24h". */
  sinceLabel: string;
  color?: boolean;
}

/** The table, with a summary line above it and the APIs that could not be read below it. */
export function renderApiTable(list: ApiErrorList, options: ApiTableOptions): string {
  const { bold, dim } = styles(options.color);
  const { stages } = list;
  const where = `${options.region}, last ${options.sinceLabel}`;
  const out: string[] = [];
  if (stages.length === 0) {
    out.push(list.apiCount === 0 ? `No APIs in ${options.region}: check the account and Region (--account, --region).` : `No deployed stages among the ${list.apiCount} APIs in ${options.region}.`);
  } else {
    const failing = stages.filter((s) => s.count5xx > 0);
    const total = failing.reduce((n, s) => n + s.count5xx, 0);
    out.push(
      bold(
        failing.length === 0
          ? `All quiet in ${where}: no 5xx on any of ${stages.length} API stage${stages.length === 1 ? '' : 's'}.`
          : `5xx in ${where}: ${formatCount(total)} across ${failing.length} of ${stages.length} API stage${stages.length === 1 ? '' : 's'}`,
      ),
      '',
      ...table(stages, dim),
    );
  }
  for (const s of list.skipped) out.push(dim(`could not read ${s.source}: ${s.reason} — ${s.fix}`));
  return `${out.join('\n')}\n`;
}

export { formatRate };

function table(rows: readonly ApiStageErrors[], dim: (s: string) => string): string[] {
  const header = ['API / stage', 'type', '5xx', 'requests', 'rate'];
  const cells = rows.map((r) => [`${r.apiName} ${r.stage}`, r.apiType, formatCount(r.count5xx), formatCount(r.count), formatRate(r.errorRate)]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]?.length ?? 0)));
  // Names and types align left, numbers right.
  const line = (c: readonly string[]): string =>
    c
      .map((v, i) => (i < 2 ? v.padEnd(widths[i] ?? 0) : v.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [dim(line(header)), ...cells.map((c, i) => ((rows[i]?.count5xx ?? 0) > 0 ? line(c) : dim(line(c))))];
}
