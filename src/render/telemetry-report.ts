/**
 * `check`: the telemetry of one API stage, item by item — ✓ in place, ✗ missing (a diagnosis is
 * partly blind without it), ○ optional and off, ? could not be read — each with why it matters and,
 * when not in place, the commands that fix it.
 */
import type { TelemetryItem, TelemetryReport, TelemetryStatus } from '../collect/check-telemetry';
import { describeTarget } from './describe-target';
import { styles, wrap } from './text-report';

export interface TelemetryReportOptions {
  color?: boolean;
}

const WIDTH = 100;

/** The terminal report. */
export function renderTelemetryReport(report: TelemetryReport, options: TelemetryReportOptions = {}): string {
  const { bold, dim } = styles(options.color);
  const mark: Record<TelemetryStatus, string> = {
    ok: options.color ? '\x1b[32m✓\x1b[39m' : '✓',
    missing: options.color ? '\x1b[31m✗\x1b[39m' : '✗',
    optional: '○',
    unknown: '?',
  };
  const needed = report.items.filter((i) => i.status !== 'optional' && !(i.status === 'ok' && isOptional(i)));
  const inPlace = needed.filter((i) => i.status === 'ok').length;
  const out = [bold(`Telemetry of ${describeTarget(report.target, report.apiType)}: ${inPlace} of ${needed.length} needed item${needed.length === 1 ? '' : 's'} in place`)];
  const width = Math.max(...report.items.map((i) => i.title.length));
  for (const item of report.items) {
    out.push('', `${mark[item.status]} ${bold(item.title.padEnd(width))}  ${item.current}${item.status === 'optional' ? ' (optional)' : ''}`);
    out.push(...wrap(item.why, 4, WIDTH).map(dim));
    if (item.fix !== undefined) out.push(`    ${item.status === 'optional' ? 'to turn it on' : 'fix'}:`, ...item.fix.split('\n').map((l) => `      ${l}`));
  }
  return `${out.join('\n')}\n`;
}

/** The `check --json` document. */
export function telemetryJson(report: TelemetryReport): Record<string, unknown> {
  return {
    target: { ...report.target, apiType: report.apiType },
    items: report.items.map((i) => ({ id: i.id, title: i.title, ok: i.status === 'ok', status: i.status, current: i.current, why: i.why, ...(i.fix !== undefined ? { fix: i.fix } : {}) })),
  };
}

/** Items that are a choice, not a need, whether on or off. */
function isOptional(item: TelemetryItem): boolean {
  return item.id === 'detailed-metrics' || item.id === 'data-trace';
}
