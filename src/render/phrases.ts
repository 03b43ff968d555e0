/**
 * Wording the terminal report and the Slack reply share, so that both say the same thing the same way:
 * the failing routes, the "you asked about 500s" note, a stage with nothing to diagnose, and the items of
 * the "Checked:" line. Each surface adds its own markup around them.
 */
import type { Checked, FailingRoute, Investigation, SourceName } from '../collect/investigate';
import type { Diagnosis, EvidenceItem } from '../diagnosis/engine';
import type { ReadAs } from '../diagnosis/loose-match';
import type { Metrics, StatusQuery } from '../diagnosis/evidence';
import { inWindowPhrase, windowPhraseOf } from './window-phrase';
import { SOURCE_LABELS } from '../collect/collectors/index';
import { formatCount, formatRate } from './describe-target';

/** How the sources are named for a reader (from the collectors' list). */
export { SOURCE_LABELS } from '../collect/collectors/index';

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

/** No 5xx counted and nothing failing in the stage's own logs: nothing to diagnose. */
export function isQuiet(diagnosis: Diagnosis, investigation: Pick<Investigation, 'evidence'>): boolean {
  return diagnosis.quiet === true || (investigation.evidence.metrics.count5xx === 0 && diagnosis.findings.length === 0);
}

/**
 * What a quiet stage gets instead of a cause: "No 5xx on stage dev in the last 1h (0 requests). Stages with
 * 5xx in that window: prod (2,204 of 48,180 requests)."
 */
export function quietSentence(investigation: Pick<Investigation, 'evidence' | 'target' | 'window' | 'stages'>): string {
  const { metrics } = investigation.evidence;
  const since = windowPhraseOf(investigation.window);
  const requests = metrics.count === undefined ? '' : metrics.count === 0 ? ' (0 requests)' : ` (${formatCount(metrics.count)} request${metrics.count === 1 ? '' : 's'}, none failed)`;
  const stage = investigation.target.stage;
  const out = [`No 5xx on ${stage ? `stage ${stage}` : 'this stage'} ${inWindowPhrase(since)}${requests}.`];
  const others = (investigation.stages ?? []).filter((s) => s.stage !== stage);
  const failing = others.filter((s) => s.count5xx > 0).sort((a, b) => b.count5xx - a.count5xx);
  if (failing.length > 0) {
    const listed = failing.slice(0, 4).map((s) => `${s.stage} (${formatCount(s.count5xx)} of ${formatCount(s.count)} requests)`);
    out.push(`Stage${failing.length === 1 ? '' : 's'} with 5xx in that window: ${listed.join(', ')}${failing.length > 4 ? `, and ${failing.length - 4} more` : ''}.`);
  } else if (others.length > 0) {
    out.push(`No other stage had any either.`);
  }
  return out.join(' ');
}

/**
 * The volume part of a headline: the status asked about, counted, and what else the logs show.
 * - ": 1,218 of 48,180 requests (2.5%)" (the logs show only the status asked about, or any 5xx was asked);
 * - ": 900 of 48,180 requests (1.9%); also 318 500s";
 * - ": asked about 504s: none; 1,218 502s of 48,180 requests (2.5%)";
 * - ": 1,218 5xx (all statuses) of 48,180 requests (2.5%)" (no log says which status: the metrics do not tell them apart).
 * Counts are the metrics' 5xx shared out in the proportions the logs show (the logs hold the lines their
 * filters kept; the metrics count every request).
 */
export function volumePhrase(asked: StatusQuery, metrics: Pick<Metrics, 'count5xx' | 'count'>, statuses: Readonly<Record<string, number>> = {}): string {
  const errors = metrics.count5xx;
  const total = metrics.count;
  const logged = Object.entries(statuses)
    .map(([status, n]) => ({ status: Number(status), n }))
    .filter((e) => e.n > 0)
    .sort((a, b) => b.n - a.n);
  const inLogs = logged.reduce((n, e) => n + e.n, 0);
  const scale = (n: number): number => (errors !== undefined && inLogs > 0 ? Math.round((errors * n) / inLogs) : n);
  const of = (n: number): string => (total === undefined || total === 0 ? '' : ` of ${formatCount(total)} requests (${formatRate(n / total)})`);
  const parts = (list: typeof logged): string => list.map((e) => `${formatCount(scale(e.n))} ${e.status}s`).join(', ');
  if (logged.length === 0) {
    if (errors === undefined) return '';
    if (errors === 0) return total ? `: none of ${formatCount(total)} requests` : ': none';
    if (total === undefined || total === 0) return `: ${formatCount(errors)} ${asked === '5xx' ? 'errors' : '5xx'}`;
    return asked === '5xx' ? `: ${formatCount(errors)}${of(errors)}` : `: ${formatCount(errors)} 5xx (all statuses)${of(errors)}`;
  }
  const all = errors ?? inLogs;
  if (asked === '5xx') return logged.length === 1 ? `: ${formatCount(all)} ${logged[0]?.status ?? ''}s${of(all)}` : `: ${formatCount(all)}${of(all)} (${parts(logged)})`;
  const mine = logged.find((e) => e.status === asked);
  const rest = logged.filter((e) => e.status !== asked);
  if (!mine) return `: asked about ${asked}s: none; ${parts(rest)}${of(all)}`;
  const n = scale(mine.n);
  return `: ${formatCount(n)}${of(n)}${rest.length > 0 ? `; also ${parts(rest)}` : ''}`;
}

/** True when the logs show 5xx but none of the status asked about: the headline then leads with the API. */
export function askedStatusAbsent(asked: StatusQuery, statuses: Readonly<Record<string, number>> = {}): boolean {
  return asked !== '5xx' && Object.keys(statuses).length > 0 && !(String(asked) in statuses);
}

/** How a line that matched only as pasted text was read. */
const READ_AS: Record<ReadAs, string> = {
  repaired: 'read after undoing its escaping or prefix',
  loosely: 'matched ignoring case and punctuation',
  'cut short': 'matched by its beginning: the copy was cut short',
};

/** What a surface says after a line of evidence, each in its own brackets: whose it may be, how it was read. */
export function evidenceAsides(e: Pick<EvidenceItem, 'sharedWith' | 'readAs'>): string[] {
  return [...(e.sharedWith ? [`shared with ${e.sharedWith.join(', ')}: may be theirs`] : []), ...(e.readAs ? [READ_AS[e.readAs]] : [])];
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
