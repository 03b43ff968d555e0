/**
 * The terminal report of a diagnosis: what an on-call engineer reads first (the verdict and the
 * status the evidence shows), then each finding with its evidence and fixes ready to paste.
 */
import type { Diagnosis, EvidenceItem, Finding } from '../diagnosis/engine';
import type { Evidence } from '../diagnosis/evidence';
import { statusLabel } from './describe-target';
import { askedStatusAbsent, evidenceAsides, statusSeenNote, volumePhrase } from './phrases';

export interface TextReportOptions {
  /** ANSI bold/dim for a terminal (default false). */
  color?: boolean;
  /** Findings shown in full; the rest get one line each (default 3). */
  detailed?: number;
}

const SOURCE_NAMES: Record<EvidenceItem['source'], string> = {
  execution: 'execution log',
  access: 'access log',
  lambda: 'Lambda log',
  response: 'client response',
  log: 'log',
  config: 'config',
  metrics: 'metrics',
};

export function renderTextReport(diagnosis: Diagnosis, evidence: Pick<Evidence, 'status' | 'apiType' | 'target'> & Partial<Pick<Evidence, 'metrics'>>, options: TextReportOptions = {}): string {
  const { bold } = styles(options.color);
  return `${[bold(headline(diagnosis, evidence)), ...renderReportBody(diagnosis, evidence.status, options)].join('\n')}\n`;
}

export interface ReportBodyOptions extends TextReportOptions {
  /** List the sources that could not be read (default true); a report with its own "Checked" section says false. */
  skipped?: boolean;
  /** The caller already said there is nothing to explain (no 5xx at all): no "no cause can be named" text. Default false. */
  quiet?: boolean;
}

/**
 * Everything below a report's headline, as lines: a note when the evidence shows another status than
 * the one asked about, the findings (the first `detailed` in full), what would sharpen the answer,
 * and the sources that could not be read.
 */
export function renderReportBody(diagnosis: Diagnosis, asked: Evidence['status'], options: ReportBodyOptions = {}): string[] {
  const { bold, dim } = styles(options.color);
  const out: string[] = [];
  const seen = statusSeenNote(diagnosis, asked);
  if (seen) out.push(seen);
  if (diagnosis.findings.length === 0 && options.quiet !== true) {
    out.push('', 'No cause can be named from this evidence. A generic "Internal server error" says only that something failed;', 'the logs below would say what.');
  }
  const detailed = options.detailed ?? 3;
  diagnosis.findings.forEach((f, i) => {
    out.push('');
    if (i < detailed) out.push(...renderFinding(f, i + 1, bold, dim));
    else out.push(`${i + 1}. ${f.title} · ${percent(f.confidence)}  ${dim(`(${f.causeId})`)}`);
  });
  if (diagnosis.missing.length > 0) {
    out.push('', bold('What would sharpen the answer'));
    for (const m of diagnosis.missing) out.push(`  • ${m.what}`, ...indent(m.how, 6));
  }
  if (diagnosis.skipped.length > 0 && options.skipped !== false) {
    out.push('', bold('Skipped'));
    for (const s of diagnosis.skipped) out.push(`  • ${s.source}: ${s.reason}${s.fix ? ` — ${s.fix}` : ''}`);
  }
  return out;
}

/** ANSI bold and dim, or nothing when the output is not a terminal. */
export function styles(color: boolean | undefined): { bold: (s: string) => string; dim: (s: string) => string } {
  return {
    bold: (s) => (color ? `\x1b[1m${s}\x1b[22m` : s),
    dim: (s) => (color ? `\x1b[2m${s}\x1b[22m` : s),
  };
}

function headline(diagnosis: Diagnosis, evidence: Pick<Evidence, 'status' | 'apiType' | 'target'> & Partial<Pick<Evidence, 'metrics'>>): string {
  const t = evidence.target;
  const kind = t.apiId ? `${evidence.apiType} ${t.apiId}` : `${evidence.apiType} API`;
  const api = t.apiName ? `${t.apiName} (${kind})` : kind;
  const where = [api, t.stage ? `stage ${t.stage}` : '', t.region ?? ''].filter(Boolean).join(', ');
  const metrics = evidence.metrics ?? {};
  if (diagnosis.quiet) return `No 5xx on ${where}${metrics.count !== undefined ? ` (${metrics.count.toLocaleString('en-US')} requests)` : ''} — nothing to diagnose`;
  const verdict = diagnosis.verdict === 'diagnosed' ? `likely cause: ${diagnosis.findings[0]?.title ?? ''}` : 'not enough evidence to name a cause';
  const asked = evidence.status;
  const lead = askedStatusAbsent(asked, diagnosis.statuses) ? where : `${statusLabel(asked)} on ${where}`;
  let volume = volumePhrase(asked, metrics, diagnosis.statuses);
  // Without status lines or metrics, say which status the evidence itself points at.
  if (volume === '' && diagnosis.statusSeen !== undefined && asked !== diagnosis.statusSeen) volume = `: the evidence shows ${diagnosis.statusSeen}s`;
  return `${lead}${volume}${onset(diagnosis)} — ${verdict}`;
}

/** ", since 14:02 UTC": the first log line of the first finding. */
function onset(diagnosis: Diagnosis): string {
  const first = diagnosis.findings[0]?.evidence.map((e) => e.firstSeen).filter((t): t is string => t !== undefined).sort()[0];
  const time = first === undefined ? NaN : Date.parse(first);
  if (Number.isNaN(time)) return '';
  return `, since ${new Date(time).toISOString().slice(11, 16)} UTC`;
}

function renderFinding(f: Finding, n: number, bold: (s: string) => string, dim: (s: string) => string): string[] {
  const lines = [`${bold(`${n}. ${f.title}`)} · ${percent(f.confidence)}  ${dim(`(${f.causeId}${f.kind === 'telemetry' ? ', telemetry' : ''})`)}`];
  lines.push(...wrap(f.explanation, 3, 100));
  if (f.sharedWith) lines.push(...wrap(`Only evidence this stage shares with ${f.sharedWith.join(', ')} points here, so it may be theirs; this stage's own logs would decide it.`, 3, 100));
  if (f.evidence.length > 0) {
    lines.push('   Evidence');
    for (const e of f.evidence) {
      const ids = e.requestIds.length > 0 ? ` (e.g. req ${e.requestIds.join(', ')})` : '';
      const count = e.source === 'config' || e.source === 'metrics' ? `${SOURCE_NAMES[e.source]}:` : `${e.count.toLocaleString('en-US')}×`;
      const shared = evidenceAsides(e).map((a) => ` (${a})`).join('');
      lines.push(`     ${count} ${e.message}${dim(`${e.source === 'config' || e.source === 'metrics' ? '' : `  [${SOURCE_NAMES[e.source]}]`}${ids}${shared}`)}`);
      if (e.note) lines.push(`       ← ${e.note}`);
    }
  }
  for (const fix of f.fixes) {
    lines.push(`   Fix: ${fix.title}`, ...indent(fix.command, 6), `     changes: ${fix.changes}`, '     verify:', ...indent(fix.verify, 6));
    for (const note of fix.notes) lines.push(...wrap(`note: ${note}`, 5, 100));
  }
  for (const d of f.docs) lines.push(dim(`   docs: ${d.title} <${d.url}>`));
  return lines;
}

export function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}

function indent(text: string, n: number): string[] {
  return text.split('\n').map((l) => `${' '.repeat(n)}${l}`);
}

/** Words of `text` in lines of at most `width` columns, each indented by `n`; blank lines separate paragraphs. */
export function wrap(text: string, n: number, width: number): string[] {
  const out: string[] = [];
  // Single line breaks inside a paragraph are the YAML author's; blank lines separate paragraphs.
  for (const para of text.split(/\n\s*\n/)) {
    let line = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      if (line && line.length + word.length + 1 > width - n) {
        out.push(' '.repeat(n) + line);
        line = word;
      } else {
        line = line ? `${line} ${word}` : word;
      }
    }
    out.push(' '.repeat(n) + line);
  }
  return out;
}
