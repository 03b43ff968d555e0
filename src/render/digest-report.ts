/**
 * The daily 5xx digest (`apigw-doctor digest`) as a terminal table, and the wording it shares with the
 * digest posted in Slack (`src/slack/digest-blocks.ts`): the headline with the worst mover, the change
 * against the period before (Δ), the likely cause as a phrase, "all quiet", and the accounts and
 * Regions that could not be read. Pure: data in, text out; plain unless `color` (the CLI shows any
 * control character in API names as an escape before printing, see show-controls.ts).
 */
import type { DigestData, DigestRow, LikelyCause, UnreadablePart } from '../collect/digest-data';
import { formatCount, formatRate } from './describe-target';
import { styles } from './text-report';

/** Rows shown before "…and N more", in the terminal and in Slack. */
export const DIGEST_ROWS = 10;

/** A row of `data.rows` with its index there (what an Investigate button refers to). */
export interface IndexedRow {
  row: DigestRow;
  index: number;
}

/** The stages with 5xx, most first (the collector's order kept among equals), with their index in `data.rows`. */
export function failingRows(data: DigestData): IndexedRow[] {
  return data.rows
    .map((row, index) => ({ row, index }))
    .filter((r) => r.row.count5xx > 0)
    .sort((a, b) => b.row.count5xx - a.row.count5xx);
}

/**
 * The worst mover: among the stages with 5xx now, the one whose 5xx count rose the most (in 5xx, not
 * in percent: 1 → 5 is no news next to 140 → 2,870); undefined when none rose.
 */
export function worstMover(data: DigestData): IndexedRow | undefined {
  let worst: IndexedRow | undefined;
  for (const r of failingRows(data)) {
    const rise = r.row.count5xx - r.row.before5xx;
    if (rise > 0 && (worst === undefined || rise > worst.row.count5xx - worst.row.before5xx)) worst = r;
  }
  return worst;
}

/**
 * The change of a stage's 5xx against the period before: "+1,900%", "−40%", "+<1%"; "new" when it had
 * none before; "—" when unchanged or when there is nothing to compare.
 */
export function formatDelta(row: Pick<DigestRow, 'count5xx' | 'before5xx' | 'change'>): string {
  if (row.count5xx > 0 && row.before5xx === 0) return 'new';
  const change = row.change ?? (row.before5xx > 0 ? (row.count5xx - row.before5xx) / row.before5xx : undefined);
  if (change === undefined || !Number.isFinite(change) || change === 0) return '—';
  const pct = Math.round(Math.abs(change) * 100);
  return `${change > 0 ? '+' : '−'}${pct === 0 ? '<1' : formatCount(pct)}%`;
}

/**
 * The likely cause as a phrase: "mostly integration timeout", "logging is off", "no known cause" (with
 * the top message, clipped, as `quote`), "logs unreadable (reason)". Undefined when the stage's logs
 * were not looked at.
 */
export function causePhrase(cause: LikelyCause | undefined): { text: string; quote?: string } | undefined {
  if (cause === undefined) return undefined;
  switch (cause.kind) {
    case 'cause':
      return { text: `mostly ${lowerFirst(oneLine(cause.title) || cause.causeId)}` };
    case 'logging-off':
      return { text: 'logging is off' };
    case 'unknown': {
      const top = clip(oneLine(cause.topMessage ?? ''), 80);
      return top === '' ? { text: 'no known cause' } : { text: 'no known cause', quote: top };
    }
    case 'unreadable': {
      const reason = clip(oneLine(cause.reason), 80);
      return { text: reason === '' ? 'logs unreadable' : `logs unreadable (${reason})` };
    }
  }
}

/** Where a row or an unreadable part is: "account prod us-east-1", or the Region alone for the default credentials. */
export function placeLabel(place: { account?: string; region: string }): string {
  const account = oneLine(place.account ?? '');
  return account === '' ? place.region : `account ${account} ${place.region}`;
}

/** Whether the digest spans more than one account or Region (then each row says where it is). */
export function spansManyPlaces(data: DigestData): boolean {
  const places = new Set([...data.rows, ...data.unreadable].map((p) => `${p.account ?? ''}\u0000${p.region}`));
  return places.size > 1;
}

/**
 * The digest in one line: "5xx yesterday: 3,412 across 4 of 37 APIs · worst mover: payments-api prod
 * (+1,900%)"; with no 5xx, "All quiet: no 5xx on any of 37 APIs (52 stages, 1,204,330 requests)
 * yesterday."; and what was read when nothing was. Raw text: escape it for Slack.
 */
export function digestHeadline(data: DigestData, periodLabel: string): string {
  const period = oneLine(periodLabel);
  const failing = failingRows(data);
  const apis = `${formatCount(data.apiCount)} API${data.apiCount === 1 ? '' : 's'}`;
  if (failing.length === 0) {
    if (data.rows.length === 0 && data.apiCount === 0) return data.unreadable.length > 0 ? `5xx ${period}: no API could be read.` : `5xx ${period}: no APIs in the accounts and Regions read.`;
    const stages = `${formatCount(data.rows.length)} stage${data.rows.length === 1 ? '' : 's'}`;
    const requests = `${formatCount(data.totals.count)} request${data.totals.count === 1 ? '' : 's'}`;
    return `All quiet: no 5xx on any of ${apis} (${stages}, ${requests}) ${period}.`;
  }
  const total = data.totals.count5xx > 0 ? data.totals.count5xx : failing.reduce((n, r) => n + r.row.count5xx, 0);
  const head = `5xx ${period}: ${formatCount(total)} across ${formatCount(data.totals.apisWith5xx)} of ${apis}`;
  const mover = worstMover(data);
  return mover ? `${head} · worst mover: ${stageName(mover.row)} (${formatDelta(mover.row)})` : head;
}

/** "payments-api prod": the API's name (its id when it has none) and the stage, each on one line and clipped. */
export function stageName(row: Pick<DigestRow, 'apiName' | 'apiId' | 'stage'>): string {
  return `${clip(oneLine(row.apiName) || row.apiId, 120)} ${clip(oneLine(row.stage), 80)}`;
}

/** "account prod us-east-1: could not read (AccessDenied …) — add apigateway:GET …". Raw text. */
export function unreadableText(part: UnreadablePart): string {
  const reason = oneLine(part.reason);
  const fix = oneLine(part.fix);
  const what = /^could not read\b/i.test(reason) ? reason : reason === '' ? 'could not read' : `could not read (${reason})`;
  return `${placeLabel(part)}: ${what}${fix === '' ? '' : ` — ${fix}`}`;
}

export interface DigestReportOptions {
  /** "yesterday", "last 24h". */
  periodLabel: string;
  /** ANSI bold/dim for a terminal (default false). */
  color?: boolean;
  /** Every stage with 5xx, not the first {@link DIGEST_ROWS} (default false). */
  all?: boolean;
}

/**
 * The digest for a terminal: the headline; the stages with 5xx as a table (`API / stage`, the account
 * and Region when the digest spans several, `5xx`, `rate`, `Δ`, `likely cause`), the first ten unless
 * `all`, then "…and N more (--all lists every stage)"; or the all-quiet line; then one line per
 * account and Region that could not be read, with the reason and the fix.
 */
export function renderDigestReport(data: DigestData, options: DigestReportOptions): string {
  const { bold, dim } = styles(options.color);
  const failing = failingRows(data);
  const out: string[] = [bold(digestHeadline(data, options.periodLabel))];
  if (failing.length > 0) {
    const shown = options.all === true ? failing : failing.slice(0, DIGEST_ROWS);
    out.push('', ...table(shown.map((r) => r.row), spansManyPlaces(data), dim));
    const more = failing.length - shown.length;
    if (more > 0) out.push(dim(`…and ${formatCount(more)} more (--all lists every stage)`));
    if (data.unreadable.length > 0) out.push('');
  }
  for (const part of data.unreadable) out.push(`⚠ ${unreadableText(part)}`);
  return `${out.join('\n')}\n`;
}

function table(rows: readonly DigestRow[], many: boolean, dim: (s: string) => string): string[] {
  const header = ['API / stage', ...(many ? ['account / Region'] : []), '5xx', 'rate', 'Δ', 'likely cause'];
  const left = new Set([0, ...(many ? [1] : []), header.length - 1]);
  const cells = rows.map((r) => {
    const cause = causePhrase(r.likelyCause);
    const where = many ? [oneLine(r.account ?? '') === '' ? r.region : `${clip(oneLine(r.account ?? ''), 60)} ${r.region}`] : [];
    return [stageName(r), ...where, formatCount(r.count5xx), formatRate(r.errorRate), formatDelta(r), cause === undefined ? '' : `${cause.text}${cause.quote === undefined ? '' : `: "${cause.quote}"`}`];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]?.length ?? 0)));
  const line = (c: readonly string[]): string =>
    c
      .map((v, i) => (left.has(i) ? v.padEnd(widths[i] ?? 0) : v.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [dim(line(header)), ...cells.map(line)];
}

/** "Integration timeout" → "integration timeout"; "Lambda function timed out", "HTTP API …" and "WebSocket …" kept as written. */
function lowerFirst(title: string): string {
  const word = /^[A-Za-z]+/.exec(title)?.[0] ?? '';
  if (!/^[A-Z][a-z]*$/.test(word) || PROPER_NOUNS.has(word)) return title;
  return `${title.charAt(0).toLowerCase()}${title.slice(1)}`;
}

/** Capitalised first words of cause titles that are names, not sentence case. */
const PROPER_NOUNS: ReadonlySet<string> = new Set(['Lambda', 'Amazon', 'Route', 'Cognito']);

/** Text on one line: line breaks and runs of spaces as one space. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Text clipped to `max` characters, "…" marking the cut (never splitting a surrogate pair). */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}
