/**
 * Wording the terminal report and the Slack reply share, so that both say the same thing the same way:
 * the failing routes, the "you asked about 500s" note, a stage with nothing to diagnose, and the items of
 * the "Checked:" line. Each surface adds its own markup around them.
 */
import type { Checked, FailingRoute, Investigation, SourceName } from '../collect/investigate';
import type { Diagnosis } from '../diagnosis/engine';
import type { StatusQuery } from '../diagnosis/evidence';
import { formatCount } from './describe-target';

/** How the sources are named for a reader. */
export const SOURCE_LABELS: Record<SourceName, string> = {
  config: 'config',
  'execution-logs': 'execution logs',
  'access-logs': 'access logs',
  'lambda-logs': 'Lambda logs',
  metrics: 'metrics',
  'lambda-policy': 'Lambda policy',
  dns: 'DNS',
  changes: 'changes',
};

/** The label of a source named in `checked` or `skipped`; a name outside the list (a team's own) as it is. */
export function sourceLabel(source: string): string {
  return Object.hasOwn(SOURCE_LABELS, source) ? SOURCE_LABELS[source as SourceName] : source;
}

/** `GET /orders/{id}`, a route key, or "(unknown route)". */
export function routeName(r: FailingRoute): string {
  return (r.routeKey ?? [r.httpMethod, r.resourcePath].filter((s) => s !== undefined).join(' ')) || '(unknown route)';
}

/** `GET /orders/{id} 1,198× 502`; `name` lets a surface escape or clip the route first. */
export function describeRoute(r: FailingRoute, name: string = routeName(r)): string {
  return `${name} ${formatCount(r.count)}× ${r.status}`;
}

/** Said when the evidence shows another status than the one asked about. */
export function statusSeenNote(diagnosis: Diagnosis, asked: StatusQuery): string | undefined {
  if (diagnosis.statusSeen === undefined || asked === '5xx' || asked === diagnosis.statusSeen) return undefined;
  return `You asked about ${asked}s, but the evidence shows ${diagnosis.statusSeen}s: the findings below explain those.`;
}

/** No 5xx counted and nothing failing in the logs: nothing to diagnose. */
export function isQuiet(diagnosis: Diagnosis, investigation: Pick<Investigation, 'evidence'>): boolean {
  return investigation.evidence.metrics.count5xx === 0 && diagnosis.findings.length === 0;
}

export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export interface CheckedItemStyle {
  ok: (mark: string) => string;
  bad: (mark: string) => string;
  /** A source's detail as this surface shows it (escaped, clipped). */
  detail: (text: string) => string;
  /** "(see …)" after a log that is not configured, given the command that shows the stage's telemetry. */
  see?: (command: string) => string;
}

/** The items of "Checked: config ✓ · access logs ✗ not configured … · …"; a source that could not be read points below. */
export function checkedItems(checked: readonly Checked[], diagnosis: Diagnosis, style: CheckedItemStyle, checkCommand?: string): string[] {
  const skipped = new Set(diagnosis.skipped.map((s) => s.source));
  return checked.map((c) => {
    const label = SOURCE_LABELS[c.source];
    if (c.ok) return `${label} ${style.ok('✓')}`;
    if (skipped.has(c.source)) return `${label} ${style.bad('✗')} could not read (below)`;
    const telemetry = (c.source === 'execution-logs' || c.source === 'access-logs') && checkCommand !== undefined && style.see !== undefined;
    return `${label} ${style.bad('✗')} ${style.detail(c.detail)}${telemetry && style.see ? ` ${style.see(checkCommand)}` : ''}`;
  });
}
