/**
 * The messages the bot posts, as Block Kit: pure functions from an investigation and its diagnosis to
 * `{ text, blocks }`. The root message shows progress and then the verdict; the threaded reply holds
 * the findings, evidence, fixes and console links; ephemeral answers explain bad input and failures.
 * Every message carries a fallback `text` (notifications, screen readers) and keeps to Block Kit's
 * limits by construction (see `limits.ts`): what does not fit is summarised in a last line that gives
 * the CLI command printing everything. User and log text is escaped (`mrkdwn.ts`).
 */
import type { KnownBlock } from '@slack/types';
import type { Checked, Investigation } from '../collect/investigate';
import { SOURCES, sourcesFor } from '../collect/collectors/index';
import { formatSince } from '../collect/window';
import type { Diagnosis, EvidenceItem, Finding } from '../diagnosis/engine';
import type { ApiType, StatusQuery } from '../diagnosis/evidence';
import type { Missing } from '../diagnosis/missing';
import { redactSecrets } from '../diagnosis/redact';
import { shellQuote } from '../diagnosis/shell';
import type { Question } from '../queue/contracts';
import { formatCount, statusLabel } from '../render/describe-target';
import { headline } from '../render/investigation-report';
import { investigatingLine } from '../render/progress';
import { windowPhraseOf } from '../render/window-phrase';
import { percent } from '../render/text-report';
import { consoleLinks } from './console-links';
import { MAX_BLOCKS, MAX_MESSAGE_CHARS, context, divider, fallbackText, keepWithinLimits, messageChars, section } from './limits';
import { clipText, codeBlock, inlineCode, link, plain } from './mrkdwn';
import { SOURCE_LABELS, capitalise, checkedItems, evidenceAsides, describeRoute, isQuiet, quietSentence, routeName, sourceLabel, statusSeenNote } from '../render/phrases';

/** A message for chat.postMessage / chat.update / response_url: blocks plus the fallback text. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

export interface FindingsOptions {
  /** Findings shown (the first three in full, the others in short); the rest are counted in the last line. Default 5. */
  maxFindings?: number;
  /** Blocks shown under each finding that is shown (its 👍/👎), counted in the budget. Default none. */
  afterFinding?: (finding: Finding, n: number) => KnownBlock[];
  /** Blocks that end the message (its buttons), always kept. Default none. */
  footer?: readonly KnownBlock[];
}

/** Findings shown in full (evidence, every fix, notes, docs); later ones get a short form. */
const DETAILED = 3;
/** Characters kept free for the "+N more" line. */
const OVERFLOW_RESERVE = 400;
/** What a reader sees of a long piece of text. */
const CLIP = { headline: 600, explanation: 420, shortExplanation: 200, evidence: 300, note: 300, detail: 70, checkedDetail: 160, skippedReason: 240, skippedFix: 320, change: 600, missingWhat: 300 } as const;

// ────────────────────────────────────────────────────────────────────────────────────────────────
// Progress and verdict: the root message
// ────────────────────────────────────────────────────────────────────────────────────────────────

export interface ProgressState {
  question: Question;
  /** Known once the API and stage resolve. */
  target?: Investigation['target'];
  apiType?: ApiType;
  window?: { from: string; to: string };
  /** Sources read so far, in the order they completed. */
  checked: readonly Checked[];
  /** Every source has answered: nothing is shown as pending. */
  finished?: boolean;
}

/** The root message while an investigation runs: what is investigated, then each source ✓/✗ or pending (…). */
export function progressMessage(state: ProgressState): SlackMessage {
  const { question } = state;
  const sinceMs = state.window ? Date.parse(state.window.to) - Date.parse(state.window.from) : question.sinceMs;
  const since = state.window ? windowPhraseOf(state.window) : `last ${formatSince(Number.isFinite(sinceMs) && sinceMs > 0 ? sinceMs : question.sinceMs)}`;
  let line: string;
  if (state.target && state.apiType) {
    line = investigatingLine(question.status, state.target, state.apiType, since);
  } else {
    const where = [question.stage !== undefined ? `stage ${question.stage}` : '', question.region ?? '', since].filter((s) => s !== '');
    line = `Investigating ${statusLabel(question.status)} on ${clipText(question.api, 200)} (${where.join(', ')})…`;
  }
  if (state.finished) line = `${line.replace(/…$/, '')}: every source read, diagnosing…`;
  const done = new Map(state.checked.map((c) => [c.source, c]));
  const items = state.checked.map((c) => `${SOURCE_LABELS[c.source]} ${c.ok ? '✓' : '✗'} ${plain(clipText(c.detail, CLIP.detail))}`);
  if (!state.finished) {
    const pending = (state.apiType ? sourcesFor(state.apiType) : SOURCES).filter((s) => !done.has(s));
    items.push(...pending.map((s) => `${SOURCE_LABELS[s]} …`));
  }
  return { text: fallbackText(line), blocks: [section(`*${plain(clipText(line, CLIP.headline))}*`), context(items.join(' · '))] };
}

/**
 * The root message's last edit: the headline (volume, onset), the verdict in one line pointing at the
 * thread, and what was checked.
 */
export function verdictMessage(diagnosis: Diagnosis, investigation: Investigation, status: StatusQuery): SlackMessage {
  const head = clipText(headline(investigation, status, diagnosis), CLIP.headline);
  const verdict = verdictLine(diagnosis, investigation, status);
  const blocks: KnownBlock[] = [section(`*${plain(head)}*`), section(verdict.mrkdwn)];
  const checked = checkedLine(investigation.checked, diagnosis, undefined);
  if (checked) blocks.push(context(checked));
  return { text: fallbackText(`${head} — ${verdict.text}`), blocks };
}

function verdictLine(diagnosis: Diagnosis, investigation: Investigation, status: StatusQuery): { text: string; mrkdwn: string } {
  const top = diagnosis.findings[0];
  const seen = diagnosis.statusSeen !== undefined && status !== '5xx' && status !== diagnosis.statusSeen ? ` (the evidence shows ${diagnosis.statusSeen}s, not ${status}s)` : '';
  if (isQuiet(diagnosis, investigation)) {
    const text = `${quietSentence(investigation)} Nothing to diagnose.`;
    return { text, mrkdwn: plain(text) };
  }
  if (diagnosis.verdict === 'diagnosed' && top) {
    return {
      text: `Likely cause: ${top.title} · ${percent(top.confidence)}${seen} — details in the thread`,
      mrkdwn: `Likely cause: *${plain(top.title)}* · ${percent(top.confidence)}${plain(seen)} — details in the thread`,
    };
  }
  const telemetry = top?.kind === 'telemetry' ? `: ${top.title}` : '';
  return { text: `No cause named with confidence${telemetry}${seen} — see the thread`, mrkdwn: `No cause named with confidence${plain(telemetry)}${plain(seen)} — see the thread` };
}

// ────────────────────────────────────────────────────────────────────────────────────────────────
// Findings: the threaded reply
// ────────────────────────────────────────────────────────────────────────────────────────────────

/** A unit of the reply in its forms, longest first; the first that fits the budget is used. */
interface Piece {
  forms: { blocks: KnownBlock[]; droppedLines: number }[];
  kind: 'finding' | 'line';
}

/**
 * The threaded reply: the headline, each finding (title · confidence, explanation, evidence with counts
 * and a request id, fixes as code blocks with their verify command, docs), what would sharpen the
 * answer, the change before the errors, console links and what was checked or could not be read.
 */
export function findingsMessage(diagnosis: Diagnosis, investigation: Investigation, status: StatusQuery, options: FindingsOptions = {}): SlackMessage {
  const maxFindings = Math.max(0, Math.floor(options.maxFindings ?? 5));
  const head = clipText(headline(investigation, status, diagnosis), CLIP.headline);
  const headBlocks = [section([`*${plain(head)}*`, ...notes(diagnosis, investigation, status)].join('\n'))];

  const pieces: Piece[] = [];
  let omittedFindings = 0;
  diagnosis.findings.forEach((f, i) => {
    if (i >= maxFindings) omittedFindings++;
    else {
      const after = options.afterFinding?.(f, i + 1) ?? [];
      pieces.push({ kind: 'finding', forms: findingForms(f, i + 1, i < DETAILED).map((form) => ({ ...form, blocks: [...form.blocks, ...after] })) });
    }
  });
  diagnosis.missing.forEach((m, i) => pieces.push({ kind: 'line', forms: missingForms(m, i === 0) }));

  const footer = options.footer ?? [];
  const tail = tailBlocks(diagnosis, investigation);
  let chars = messageChars(headBlocks) + messageChars(tail) + messageChars(footer) + OVERFLOW_RESERVE;
  let count = headBlocks.length + tail.length + footer.length + 1;
  const body: KnownBlock[] = [];
  let omittedLines = 0;
  let full = false;
  for (const piece of pieces) {
    const form = full ? undefined : piece.forms.find((f) => chars + messageChars(f.blocks) <= MAX_MESSAGE_CHARS && count + f.blocks.length <= MAX_BLOCKS);
    if (!form) {
      // Keep the order: once something does not fit, nothing after it is shown.
      full = true;
      if (piece.kind === 'finding') omittedFindings++;
      else omittedLines++;
      continue;
    }
    body.push(...form.blocks);
    chars += messageChars(form.blocks);
    count += form.blocks.length;
    omittedLines += form.droppedLines;
  }
  const overflow = omittedFindings + omittedLines > 0 ? [context(overflowLine(omittedFindings, omittedLines, investigation, status))] : [];
  const blocks = keepWithinLimits([...headBlocks, ...body, ...tail, ...overflow, ...footer]);
  const top = diagnosis.findings[0];
  const summary = isQuiet(diagnosis, investigation)
    ? 'nothing to diagnose'
    : diagnosis.verdict === 'diagnosed' && top
      ? `likely cause: ${top.title} (${percent(top.confidence)})`
      : `no cause named with confidence${top ? `; ${diagnosis.findings.length} finding${diagnosis.findings.length === 1 ? '' : 's'}` : ''}`;
  return { text: fallbackText(`${head} — ${summary}`), blocks };
}

/** Notes under the headline: another status than asked, no 5xx at all, not enough evidence. */
function notes(diagnosis: Diagnosis, investigation: Investigation, status: StatusQuery): string[] {
  const out: string[] = [];
  const seen = statusSeenNote(diagnosis, status);
  if (seen) out.push(seen);
  if (isQuiet(diagnosis, investigation)) {
    const again = slashWhy('5xx', investigation, '24h');
    out.push(plain(`${quietSentence(investigation)} Nothing to diagnose; widen the window or name another stage, e.g. `) + inlineCode(again));
    return out;
  }
  if (investigation.evidence.metrics.count5xx === 0) out.push('CloudWatch counted no 5xx on this stage in the window; what follows comes from the logs and the configuration.');
  if (diagnosis.findings.length === 0) {
    out.push('No cause can be named from this evidence: a bare "Internal server error" says only that something failed; the logs below would say what.');
  } else if (diagnosis.verdict === 'insufficient-evidence') {
    out.push(`Not enough evidence to name a cause with confidence${diagnosis.missing.length > 0 ? '; see what would sharpen the answer below' : ''}.`);
  }
  return out;
}

function findingForms(f: Finding, n: number, detailed: boolean): Piece['forms'] {
  const evidence = f.evidence.map(evidenceLine);
  const title = `*${n}. ${plain(f.title)}* · ${percent(f.confidence)}${f.kind === 'telemetry' ? ' _(telemetry)_' : ''}`;
  const summary = (explanationMax: number, lines: number): string =>
    [title, plain(shorten(f.explanation, explanationMax)), ...(lines > 0 && evidence.length > 0 ? ['*Evidence*', ...evidence.slice(0, lines).map((l) => `• ${l}`)] : [])].join('\n');
  const oneLine = { blocks: [section(`${title}${evidence[0] ? ` — ${evidence[0]}` : ''}`)], droppedLines: Math.max(0, evidence.length - 1) + f.fixes.length };
  const compactFix = f.fixes[0];
  const compact = {
    blocks: [section(summary(CLIP.shortExplanation, 2)), ...(compactFix ? [section(`*Fix:* ${plain(compactFix.title)}\n${codeBlock(compactFix.command)}`)] : [])],
    droppedLines: Math.max(0, evidence.length - 2) + Math.max(0, f.fixes.length - 1),
  };
  if (!detailed) return [compact, oneLine];
  const fixes = f.fixes.map((fix) => {
    const notes = fix.notes.slice(0, 3).map((note) => `• ${plain(clipText(note, CLIP.note))}`);
    return section([`*Fix:* ${plain(fix.title)}`, codeBlock(`${fix.command}\n# then check:\n${fix.verify}`), `_Changes:_ ${plain(clipText(fix.changes, CLIP.note))}`, ...notes].join('\n'));
  });
  const docs = f.docs.slice(0, 4).map((d) => link(d.url, d.title));
  const fullForm = { blocks: [section(summary(CLIP.explanation, evidence.length)), ...fixes, ...(docs.length > 0 ? [context(`Docs: ${docs.join(' · ')}`)] : [])], droppedLines: 0 };
  return [fullForm, compact, oneLine];
}

/** `1,198× `Execution failed …` (e.g. req `3f2a9c1e-…`)`, or `config: …` for a fact. */
function evidenceLine(e: EvidenceItem): string {
  const message = redactSecrets(e.message);
  if (e.source === 'config' || e.source === 'metrics') return `${e.source}: ${plain(clipText(message, CLIP.evidence))}${e.sharedWith ? ` _(shared with ${plain(e.sharedWith.join(', '))})_` : ''}`;
  // "…and 12 more matching lines" is the engine's own summary, not a log line.
  if (e.requestIds.length === 0 && /^…and \d+ more/.test(message)) return plain(message);
  const id = e.requestIds.find((r) => /^[A-Za-z0-9=_-]{8,64}$/.test(r));
  const shared = evidenceAsides(e).map((a) => ` _(${plain(a)})_`).join('');
  const note = e.note ? ` ← ${plain(clipText(e.note, CLIP.note))}` : '';
  return `${formatCount(e.count)}× ${inlineCode(message, CLIP.evidence)}${note}${id !== undefined ? ` (e.g. req ${inlineCode(id)})` : ''}${shared}`;
}

function missingForms(m: Missing, first: boolean): Piece['forms'] {
  const title = first ? '*What would sharpen the answer*\n' : '';
  const what = `• ${plain(clipText(m.what, CLIP.missingWhat))}`;
  return [
    { blocks: [section(`${title}${what}\n${codeBlock(m.how)}`)], droppedLines: 0 },
    { blocks: [section(`${title}${what}`)], droppedLines: 1 },
  ];
}

/** The change before the errors and the failing routes, console links, what was checked and what could not be read. */
function tailBlocks(diagnosis: Diagnosis, investigation: Investigation): KnownBlock[] {
  const blocks: KnownBlock[] = [divider()];
  const change = investigation.changes.summary;
  const routes = investigation.failingRoutes.slice(0, 3).map((r) => describeRoute(r, plain(clipText(routeName(r), 80))));
  const more = investigation.failingRoutes.length - routes.length;
  const about = [
    change ? plain(capitalise(clipText(change, CLIP.change))) : '',
    routes.length > 0 ? `Failing routes: ${routes.join(' · ')}${more > 0 ? ` · and ${more} more` : ''}` : '',
  ].filter((s) => s !== '');
  if (about.length > 0) blocks.push(context(...about));
  const links = consoleLinks(investigation).map((l) => link(l.url, l.label));
  if (links.length > 0) blocks.push(context(`Open in the AWS console: ${links.join(' · ')}`));
  // A quiet stage needs no advice on its telemetry: nothing failed.
  const checked = checkedLine(investigation.checked, diagnosis, isQuiet(diagnosis, investigation) ? undefined : slashCheck(investigation));
  if (checked) blocks.push(context(checked));
  if (diagnosis.skipped.length > 0) {
    const lines = diagnosis.skipped.slice(0, SOURCES.length).map((s) => {
      // Own keys only: a source named "constructor" must not find Object.prototype's.
      const label = sourceLabel(s.source);
      return `• ${plain(clipText(label, 40))}: ${plain(clipText(s.reason, CLIP.skippedReason))}${s.fix ? ` — fix: ${plain(clipText(s.fix, CLIP.skippedFix))}` : ''}`;
    });
    blocks.push(section(['*Could not read*', ...lines].join('\n')));
  }
  return blocks;
}

/**
 * "Checked: config ✓ · execution logs ✓ · access logs ✗ not configured on stage prod (see `/apigw check …`) · …".
 * A source that could not be read is explained under "Could not read".
 */
function checkedLine(checked: readonly Checked[], diagnosis: Diagnosis, checkCommand: string | undefined): string | undefined {
  if (checked.length === 0) return undefined;
  const items = checkedItems(checked, diagnosis, { ok: (m) => m, bad: (m) => m, detail: (d) => plain(clipText(d, CLIP.checkedDetail)), see: (command) => `(see ${inlineCode(command)})` }, checkCommand);
  return `Checked: ${items.join(' · ')}`;
}

function overflowLine(findings: number, lines: number, investigation: Investigation, status: StatusQuery): string {
  const parts = [findings > 0 ? `${findings} more finding${findings === 1 ? '' : 's'}` : '', lines > 0 ? `${lines} more line${lines === 1 ? '' : 's'}` : ''].filter((s) => s !== '');
  return `+${parts.join(', ')} — run ${inlineCode(cliWhy(investigation, status), 600)} for all`;
}

/** The CLI command that prints this investigation's whole report. */
export function cliWhy(investigation: Pick<Investigation, 'target' | 'window'>, status: StatusQuery): string {
  const { target, window } = investigation;
  const sinceMs = Date.parse(window.to) - Date.parse(window.from);
  const words = [
    'why',
    String(status),
    target.apiId ?? target.apiName ?? '<api>',
    ...(target.stage !== undefined ? [target.stage] : []),
    ...(Number.isFinite(sinceMs) && sinceMs > 0 && sinceMs !== 3_600_000 ? ['--since', formatSince(sinceMs)] : []),
    ...(target.region !== undefined ? ['--region', target.region] : []),
  ];
  return ['apigw-doctor', ...words.map(shellQuote)].join(' ');
}

/** `/apigw why 5xx orders-api prod 24h`: the slash command asking again about this stage. */
function slashWhy(status: StatusQuery, investigation: Pick<Investigation, 'target'>, window: string): string {
  const t = investigation.target;
  return ['/apigw why', String(status), t.apiName ?? t.apiId ?? '<api>', ...(t.stage !== undefined ? [t.stage] : []), window].join(' ');
}

/** `/apigw check orders-api prod`: the telemetry of this stage. */
function slashCheck(investigation: Pick<Investigation, 'target'>): string | undefined {
  const t = investigation.target;
  const api = t.apiName ?? t.apiId;
  return api === undefined ? undefined : ['/apigw check', api, ...(t.stage !== undefined ? [t.stage] : [])].join(' ');
}

/** The first sentences of `text` that fit in `max` characters (at least the first, clipped). */
function shorten(text: string, max: number): string {
  const sentences = text.trim().split(/(?<=[.!?])\s+/);
  let out = '';
  for (const s of sentences) {
    const next = out === '' ? s : `${out} ${s}`;
    if (next.length > max) break;
    out = next;
  }
  return out === '' ? clipText(text.trim(), max) : out;
}



// ────────────────────────────────────────────────────────────────────────────────────────────────
// Ephemeral answers: failures and help
// ────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * What went wrong, and an example to copy. `problem` is plain text and is escaped whole, whatever it
 * quotes (a user's `<#C0FAKE|general>` stays text), except references to the channels in
 * `channelRefs`, which the caller itself wrote (`<#C0OPS>`); `example` is shown as code.
 */
export function failureMessage(problem: string, example?: string, channelRefs: readonly string[] = []): SlackMessage {
  const said = problem.trim() === '' ? 'Something went wrong.' : problem.trim();
  const blocks: KnownBlock[] = [section(`:warning: ${keepChannelRefs(clipText(said, 2000), channelRefs)}`)];
  const hasExample = example !== undefined && example.trim() !== '';
  if (hasExample) blocks.push(section(`Try: ${inlineCode(example.trim(), 1000)}`));
  return { text: fallbackText(`${said}${hasExample ? ` Try: ${example.trim()}` : ''}`), blocks };
}

/** Escapes `text` but keeps the references (`<#C123>`) to the given channels. */
function keepChannelRefs(text: string, channels: readonly string[]): string {
  if (channels.length === 0) return plain(text);
  let out = '';
  let last = 0;
  for (const m of text.matchAll(/<#([CG][A-Z0-9]{2,20})>/g)) {
    if (!channels.includes(m[1] ?? '')) continue;
    out += plain(text.slice(last, m.index));
    out += m[0];
    last = m.index + m[0].length;
  }
  return out + plain(text.slice(last));
}

