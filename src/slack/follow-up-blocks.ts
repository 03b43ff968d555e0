/**
 * Answers to the follow-ups typed in an answer's thread, as Block Kit: `evidence` (everything that was
 * read, by where it came from), `explain N` (one finding in full), `fixes` (only the commands, ready to
 * paste), what text pasted in the thread changed, and the buttons under an answer. Pure: a diagnosis
 * and its investigation in, `{ text, blocks }` out. Log and user text is escaped and its secrets are
 * masked; every message keeps to Block Kit's limits (`limits.ts`) and, when something does not fit,
 * ends with the CLI command that prints everything.
 */
import type { ActionsBlock, KnownBlock } from '@slack/types';
import type { Checked, Investigation } from '../collect/investigate';
import { SOURCE_LABELS } from '../collect/collectors/index';
import { formatSince } from '../collect/window';
import type { Diagnosis, EvidenceItem, Finding } from '../diagnosis/engine';
import type { ConfigFacts, LogSource, Metrics } from '../diagnosis/evidence';
import type { FactValue, MetricName } from '../diagnosis/facts';
import { parseLogLine } from '../diagnosis/log-line';
import { redactSecrets } from '../diagnosis/redact';
import { describeTarget, formatClock, formatCount, formatRate } from '../render/describe-target';
import { evidenceAsides, isQuiet, quietSentence, sourceLabel } from '../render/phrases';
import { percent } from '../render/text-report';
import { ACTION_IDS, encodeActionValue } from './actions';
import type { SlackMessage } from './blocks';
import { cliWhy, failureMessage } from './blocks';
import { MAX_BLOCKS, MAX_FALLBACK_TEXT, MAX_MESSAGE_CHARS, MAX_SECTION_TEXT, button, context, divider, keepWithinLimits, messageChars, oneLine, section } from './limits';
import { clipMrkdwn, clipText, codeBlock, inlineCode, link, plain } from './mrkdwn';

/** The `block_id` of the Re-run / Widen / Show evidence buttons under an answer. */
export const ANSWER_ACTIONS_BLOCK_ID = 'apigw_answer_actions';

/** Room left in a section for what is packed into it, under Slack's 3,000 (clipping must never be needed). */
const SECTION_ROOM = MAX_SECTION_TEXT - 100;
/** Characters kept free for the "+N more" line. */
const OVERFLOW_RESERVE = 700;
/** Request ids shown per evidence item. */
const MAX_IDS = 3;
/** What a reader sees of a long piece of text. */
const CLIP = { message: 500, note: 300, detail: 300, reason: 300, fix: 400, fact: 200, title: 150, id: 80 } as const;
/** Lines of the "what changed" lists of `pastedMessage`; the rest are counted. */
const MAX_CHANGES = 15;

/** Where evidence came from, in the order the `evidence` answer lists it. */
type Origin = EvidenceItem['source'];
const ORIGIN_ORDER: readonly Origin[] = ['metrics', 'execution', 'access', 'lambda', 'log', 'response', 'config'];
const ORIGIN_TITLES: Record<Origin, string> = {
  metrics: 'Metrics',
  execution: 'Execution log',
  access: 'Access log',
  lambda: 'Lambda log',
  log: 'Logs (source not known)',
  response: 'The client’s response',
  config: 'Configuration facts',
};

/** Each metric fact as a reader names it, with its unit. */
const METRIC_LABELS: Record<MetricName, { label: string; unit: string }> = {
  count5xx: { label: '5xx', unit: '' },
  count: { label: 'requests', unit: '' },
  count4xx: { label: '4xx', unit: '' },
  latencyP99Ms: { label: 'latency p99', unit: ' ms' },
  integrationLatencyP99Ms: { label: 'integration latency p99', unit: ' ms' },
  integrationLatencyMaxMs: { label: 'integration latency max', unit: ' ms' },
  lambdaErrors: { label: 'Lambda errors', unit: '' },
  lambdaThrottles: { label: 'Lambda throttles', unit: '' },
  lambdaDurationMaxMs: { label: 'Lambda duration max', unit: ' ms' },
  lambdaMaxMemoryUsedMb: { label: 'Lambda max memory used', unit: ' MB' },
};

// ────────────────────────────────────────────────────────────────────────────────────────────────
// evidence
// ────────────────────────────────────────────────────────────────────────────────────────────────

/** One piece of evidence as the `evidence` answer lists it: merged across findings, with the findings it backs. */
interface Listed {
  item: EvidenceItem;
  /** 1-based numbers of the findings it backs; empty for a line no finding quotes. */
  findings: number[];
}

/**
 * The answer to `evidence`: everything the investigation read, grouped by where it came from (metrics,
 * execution, access and Lambda logs, the client's response, configuration facts). Each log item has its
 * count, the message as code, when it was first and last seen, up to three request ids and the findings
 * it backs ("→ finding 1, 2"; an item backing several findings is listed once); lines no finding quotes
 * are listed too ("→ no finding"). Then every source checked ✓/✗ with its detail, and the sources that
 * could not be read with the reason and the fix. What does not fit is counted in a last line giving the
 * CLI command that prints it all.
 */
export function evidenceMessage(diagnosis: Diagnosis, investigation: Investigation): SlackMessage {
  const listed = listEvidence(diagnosis, investigation);
  const where = describeTarget(investigation.target, investigation.apiType);
  const since = sinceLabel(investigation);
  const logItems = listed.filter((l) => l.item.source !== 'config' && l.item.source !== 'metrics').length;
  const facts = configLines(investigation.evidence.config, investigation.evidence.integrationType);
  const head = section(
    [
      `*Evidence for ${plain(clipText(where, 300))}, last ${since}*`,
      `${logItems} distinct log item${logItems === 1 ? '' : 's'}, ${facts.length} configuration fact${facts.length === 1 ? '' : 's'}${diagnosis.findings.length > 0 ? '; “→ finding N” names the findings an item backs' : ''}.`,
    ].join('\n'),
  );
  const tail = sourceBlocks(investigation.checked, diagnosis);
  const composer = new Composer({ chars: messageChars([head, ...tail]) + OVERFLOW_RESERVE, blocks: 2 + tail.length });
  composer.add(head, 0);

  const metricsLine = metricsSummary(investigation.evidence.metrics);
  for (const origin of ORIGIN_ORDER) {
    const items = listed.filter((l) => l.item.source === origin);
    const lines = items.map((l) => ({ text: `• ${evidenceLine(l.item, investigation.window.to, l.findings)}`, items: 1 }));
    if (origin === 'metrics') lines.unshift({ text: metricsLine ?? '_No metric could be read for the window._', items: metricsLine === undefined ? 0 : 1 });
    if (origin === 'config') lines.push(...facts.map((f) => ({ text: `• ${f}`, items: 1 })));
    if (lines.length === 0) continue;
    const count = origin === 'metrics' || origin === 'config' ? '' : ` · ${items.length} item${items.length === 1 ? '' : 's'}`;
    composer.addLines(`*${ORIGIN_TITLES[origin]}*${count}`, lines);
  }
  if (listed.length === 0 && facts.length === 0) composer.add(section('_No log line, response or configuration fact was read._'), 0);

  const overflow = composer.omitted > 0 ? [context(`+${composer.omitted} more item${composer.omitted === 1 ? '' : 's'} — run ${inlineCode(cliJson(investigation), 600)} for all`)] : [];
  const blocks = keepWithinLimits([...composer.blocks, ...tail, ...overflow]);
  const metricsText = metricsLine === undefined ? '' : `; ${volume(investigation.evidence.metrics)}`;
  return { text: fallback(`Evidence for ${where}, last ${since}: ${logItems} log item${logItems === 1 ? '' : 's'}${metricsText}`), blocks };
}

/**
 * The findings' evidence, each message once with the findings it backs, then the log lines the
 * investigation read that no finding quotes (most frequent first).
 */
function listEvidence(diagnosis: Diagnosis, investigation: Investigation): Listed[] {
  const byKey = new Map<string, Listed>();
  diagnosis.findings.forEach((f, i) => {
    for (const e of f.evidence) {
      const key = evidenceKey(e.source, e.message);
      const seen = byKey.get(key);
      if (!seen) {
        byKey.set(key, { item: e, findings: [i + 1] });
        continue;
      }
      if (!seen.findings.includes(i + 1)) seen.findings.push(i + 1);
      // Findings may quote the same lines with more or fewer examples: keep the fullest.
      if (e.count > seen.item.count || e.requestIds.length > seen.item.requestIds.length) seen.item = { ...e, ...(seen.item.note && !e.note ? { note: seen.item.note } : {}) };
    }
  });
  const others = new Map<string, EvidenceItem>();
  const addOther = (raw: string, source: LogSource | undefined, requestIds: readonly (string | undefined)[], count: number, first?: string, last?: string): void => {
    const parsed = parseLogLine(raw, source, requestIds[0]);
    const origin: Origin = parsed.source ?? 'log';
    const key = evidenceKey(origin, parsed.message);
    if (byKey.has(key)) return;
    const ids = [parsed.requestId, ...requestIds].filter((id): id is string => id !== undefined && id !== '');
    const seen = others.get(key);
    if (!seen) {
      others.set(key, { message: parsed.message, count, requestIds: [...new Set(ids)].slice(0, MAX_IDS), source: origin, ...(first ? { firstSeen: first } : {}), ...(last ? { lastSeen: last } : {}) });
      return;
    }
    seen.count += count;
    seen.requestIds = [...new Set([...seen.requestIds, ...ids])].slice(0, MAX_IDS);
    if (first !== undefined && (seen.firstSeen === undefined || first < seen.firstSeen)) seen.firstSeen = first;
    if (last !== undefined && (seen.lastSeen === undefined || last > seen.lastSeen)) seen.lastSeen = last;
  };
  for (const line of investigation.evidence.logLines) {
    addOther(line.message, line.source, [line.requestId, ...(line.requestIds ?? [])], line.count ?? 1, line.timestamp, line.lastSeen ?? line.timestamp);
  }
  for (const message of investigation.evidence.integrationErrorMessages) addOther(message, 'access', [], 1);
  const unquoted = [...others.values()].sort((a, b) => b.count - a.count).map((item) => ({ item, findings: [] }));
  return [...byKey.values(), ...unquoted];
}

/** Identical evidence: the same message from the same place, whatever finding quotes it. */
function evidenceKey(source: Origin, message: string): string {
  return `${source}\u0000${redactSecrets(message).replace(/\s+/g, ' ').trim()}`;
}

/**
 * `1,198× `Execution failed …` ← note · first 14:02 UTC, last 14:59 UTC · req `3f2a…`, `91c0…` → finding 1, 2`;
 * a configuration or metrics fact is a sentence, not a count. `findings` undefined: no "→" part.
 */
function evidenceLine(e: EvidenceItem, windowEnd: string, findings?: readonly number[]): string {
  const message = redactSecrets(e.message);
  const refs = findings === undefined ? '' : findings.length === 0 ? ' → no finding' : ` → finding${findings.length === 1 ? '' : 's'} ${findings.join(', ')}`;
  const asides = evidenceAsides(e)
    .map((a) => ` _(${plain(clipText(a, CLIP.note))})_`)
    .join('');
  if (e.source === 'config' || e.source === 'metrics') return `${plain(clipText(message, CLIP.message))}${asides}${refs}`;
  // "…and 12 more matching lines" is the engine's own summary, not a log line.
  if (e.requestIds.length === 0 && /^…and \d+ more/.test(message)) return `${plain(message)}${refs}`;
  const note = e.note ? ` ← ${plain(clipText(redactSecrets(e.note), CLIP.note))}` : '';
  const ids = e.requestIds.filter((r) => /^[A-Za-z0-9=_-]{8,64}$/.test(r)).slice(0, MAX_IDS);
  const parts = [`${formatCount(e.count)}× ${inlineCode(message, CLIP.message)}${note}`, seenWhen(e, windowEnd), ids.length > 0 ? `req ${ids.map((id) => inlineCode(id, CLIP.id)).join(', ')}` : ''];
  return `${parts.filter((p) => p !== '').join(' · ')}${asides}${refs}`;
}

/** "first 14:02 UTC, last 14:59 UTC", "at 14:02 UTC", or nothing when the times are not known. */
function seenWhen(e: Pick<EvidenceItem, 'firstSeen' | 'lastSeen'>, windowEnd: string): string {
  const first = e.firstSeen !== undefined && !Number.isNaN(Date.parse(e.firstSeen)) ? formatClock(e.firstSeen, windowEnd) : undefined;
  const last = e.lastSeen !== undefined && !Number.isNaN(Date.parse(e.lastSeen)) ? formatClock(e.lastSeen, windowEnd) : undefined;
  if (first !== undefined && last !== undefined && first !== last) return `first ${first}, last ${last}`;
  const at = first ?? last;
  return at === undefined ? '' : `at ${at}`;
}

/** "1,218 5xx of 48,180 requests (2.5%) · 4xx 180 · latency p99 142 ms · …" over the window, or undefined without metrics. */
function metricsSummary(metrics: Metrics): string | undefined {
  const parts: string[] = [];
  const lead = volume(metrics);
  if (lead !== '') parts.push(lead);
  for (const [name, { label, unit }] of Object.entries(METRIC_LABELS) as [MetricName, { label: string; unit: string }][]) {
    const value = metrics[name];
    if (value === undefined || name === 'count5xx' || name === 'count') continue;
    parts.push(`${label} ${formatCount(value)}${unit}`);
  }
  // A rate of "<0.1%" is text, not markup.
  return parts.length === 0 ? undefined : plain(`CloudWatch, over the window: ${parts.join(' · ')}`);
}

/** "1,218 5xx of 48,180 requests (2.5%)", with whichever of the two counts is known. */
function volume(metrics: Metrics): string {
  const { count5xx, count } = metrics;
  if (count5xx !== undefined && count !== undefined) return `${formatCount(count5xx)} 5xx of ${formatCount(count)} request${count === 1 ? '' : 's'}${count > 0 ? ` (${formatRate(count5xx / count)})` : ''}`;
  if (count5xx !== undefined) return `${formatCount(count5xx)} 5xx`;
  if (count !== undefined) return `${formatCount(count)} request${count === 1 ? '' : 's'}`;
  return '';
}

/** "integrationType `AWS_PROXY`", one per configuration fact, in the collectors' order. */
function configLines(config: ConfigFacts, integrationType: string | undefined): string[] {
  const entries = Object.entries(config).filter((e): e is [string, FactValue] => e[1] !== undefined);
  if (integrationType !== undefined && !entries.some(([name]) => name === 'integrationType')) entries.unshift(['integrationType', integrationType]);
  return entries.map(([name, value]) => `${plain(name)} ${inlineCode(redactSecrets(Array.isArray(value) ? value.join(', ') : String(value)), CLIP.fact)}`);
}

/** Every source checked, ✓ or ✗ with its detail, then those that could not be read with the reason and the fix. */
function sourceBlocks(checked: readonly Checked[], diagnosis: Diagnosis): KnownBlock[] {
  const blocks: KnownBlock[] = [divider()];
  if (checked.length > 0) {
    const lines = checked.slice(0, 20).map((c) => `• ${SOURCE_LABELS[c.source]} ${c.ok ? '✓' : '✗'} ${plain(clipText(redactSecrets(c.detail), CLIP.detail))}`);
    blocks.push(section(['*Sources checked*', ...lines].join('\n')));
  }
  if (diagnosis.skipped.length > 0) {
    const lines = diagnosis.skipped.slice(0, 10).map((s) => `• ${plain(clipText(sourceLabel(s.source), 40))}: ${plain(clipText(s.reason, CLIP.reason))}${s.fix ? ` — fix: ${plain(clipText(s.fix, CLIP.fix))}` : ''}`);
    const more = diagnosis.skipped.length - lines.length;
    blocks.push(section(['*Could not read*', ...lines, ...(more > 0 ? [`• and ${more} more`] : [])].join('\n')));
  }
  return blocks;
}

// ────────────────────────────────────────────────────────────────────────────────────────────────
// explain N
// ────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * The answer to `explain N`: finding `n` (1-based, as numbered in the thread) in full — title,
 * confidence, kind, the whole explanation, every evidence item, every fix (its command and verify
 * command as code, what it changes, its notes) and the docs as links. A number that names no finding
 * gets a failure-style answer saying how many findings there are and what to type; an answer without
 * findings says there is nothing to explain.
 */
export function explainMessage(diagnosis: Diagnosis, investigation: Investigation, n: number): SlackMessage {
  const k = diagnosis.findings.length;
  if (k === 0) {
    const why = isQuiet(diagnosis, investigation) ? quietSentence(investigation) : 'No cause could be named from the evidence read.';
    return failureMessage(`There is nothing to explain: this answer has no finding. ${why}`, 'evidence');
  }
  const f = Number.isInteger(n) && n >= 1 ? diagnosis.findings[n - 1] : undefined;
  if (!f) {
    const what = k === 1 ? 'Type "explain 1".' : `Type "explain 1" … "explain ${k}".`;
    return failureMessage(`There is no finding ${Number.isInteger(n) ? String(n) : 'by that number'}: this answer has ${k} finding${k === 1 ? '' : 's'}. ${what}`, 'explain 1');
  }

  const head = section(
    [
      `*Finding ${n} of ${k}: ${plain(oneLine(f.title))}*`,
      `Confidence ${percent(f.confidence)} · ${f.kind === 'telemetry' ? 'telemetry: what is missing to diagnose' : 'root cause'} · ${inlineCode(f.causeId, 80)}`,
      ...(f.sharedWith ? [`_Only evidence this stage shares with ${plain(f.sharedWith.join(', '))} points here, so it may be theirs; this stage’s own logs would decide it._`] : []),
    ].join('\n'),
  );
  const composer = new Composer({ chars: messageChars([head]) + OVERFLOW_RESERVE, blocks: 2 });
  composer.add(head, 0);
  for (const text of packParts(splitSentences(plain(f.explanation.trim())))) composer.add(section(text), 1);
  if (f.evidence.length > 0) {
    composer.addLines(
      `*Evidence* · ${f.evidence.length} item${f.evidence.length === 1 ? '' : 's'}`,
      f.evidence.map((e) => ({ text: `• ${evidenceLine(e, investigation.window.to)}`, items: 1 })),
    );
  }
  f.fixes.forEach((fix, i) => {
    const title = `*Fix${f.fixes.length > 1 ? ` ${i + 1} of ${f.fixes.length}` : ''}:* ${plain(oneLine(fix.title))}`;
    const code = commandParts(fix.command, fix.verify).map((c) => codeBlock(c));
    const rest = [...(fix.changes.trim() !== '' ? [`_Changes:_ ${plain(fix.changes.trim())}`] : []), ...fix.notes.map((note) => `• ${plain(note)}`)];
    const texts = packParts([title, ...code, ...rest]);
    // One fix is one item: its command without its verify command or notes would mislead.
    if (composer.fits(texts)) texts.forEach((t, j) => composer.add(section(t), j === 0 ? 1 : 0));
    else composer.skip(1);
  });
  if (f.docs.length > 0) composer.addLines('*Docs*', f.docs.map((d) => ({ text: `• ${link(d.url, oneLine(d.title))}`, items: 1 })));

  const overflow = composer.omitted > 0 ? [context(`+${composer.omitted} more part${composer.omitted === 1 ? '' : 's'} of this finding — run ${inlineCode(cliWhy(investigation, investigation.evidence.status), 600)} for all`)] : [];
  const blocks = keepWithinLimits([...composer.blocks, ...overflow]);
  return { text: fallback(`Finding ${n} of ${k}: ${oneLine(f.title)} (${percent(f.confidence)}) — ${firstSentence(f.explanation)}`), blocks };
}

/** A fix's command, then "# then check:" and its verify command; split in two when one code block would not fit a section. */
function commandParts(command: string, verify: string): string[] {
  const check = verify.trim() === '' ? '' : `# then check:\n${verify}`;
  const whole = check === '' ? command : `${command}\n${check}`;
  if (codeBlock(whole).length <= SECTION_ROOM || check === '') return [whole];
  return [command, check];
}

// ────────────────────────────────────────────────────────────────────────────────────────────────
// fixes
// ────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * The answer to `fixes`: only the commands, ready to paste. A one-line header, then one code block per
 * finding that has fixes; each command follows a `# N. <finding>: <fix>` comment line, and its verify
 * command follows `# then check:`. No fix at all: "No fix to suggest", and why.
 */
export function fixesMessage(diagnosis: Diagnosis, investigation: Investigation): SlackMessage {
  const where = describeTarget(investigation.target, investigation.apiType);
  const withFixes = diagnosis.findings.map((f, i) => ({ f, n: i + 1 })).filter(({ f }) => f.fixes.length > 0);
  if (withFixes.length === 0) {
    const k = diagnosis.findings.length;
    const why = isQuiet(diagnosis, investigation)
      ? uncapitalise(quietSentence(investigation))
      : k === 0
        ? 'no cause could be named from the evidence read, so there is nothing to fix yet. Type "evidence" to see what was read.'
        : k === 1
          ? 'the one finding comes with no command.'
          : `none of the ${k} findings comes with a command.`;
    const said = `No fix to suggest: ${why}`;
    return { text: fallback(`${where}: ${said}`), blocks: [section(plain(said))] };
  }
  const fixCount = withFixes.reduce((n, { f }) => n + f.fixes.length, 0);
  const head = section(`*Fix commands for ${plain(clipText(where, 300))}* (${fixCount}), ready to paste; run each with credentials for the account:`);
  const composer = new Composer({ chars: messageChars([head]) + OVERFLOW_RESERVE, blocks: 2 });
  composer.add(head, 0);
  let tooLong = 0;
  for (const { f, n } of withFixes) {
    const scripts = f.fixes.map((fix) => {
      const comment = `# ${n}. ${oneLine(f.title)}: ${oneLine(fix.title)}`;
      const verify = fix.verify.trim() === '' ? '' : `\n# then check:\n${fix.verify}`;
      return `${comment}\n${fix.command}${verify}`;
    });
    // One code block per finding when it fits a section, else one per fix; a fix longer than a section is left to the CLI.
    const whole = codeBlock(scripts.join('\n\n'));
    if (whole.length <= SECTION_ROOM) {
      composer.add(section(whole), scripts.length);
      continue;
    }
    for (const script of scripts) {
      const block = codeBlock(script);
      if (block.length <= SECTION_ROOM) composer.add(section(block), 1);
      else tooLong++;
    }
  }
  const more = composer.omitted + tooLong;
  const overflow = more > 0 ? [context(`+${more} more fix${more === 1 ? '' : 'es'} — run ${inlineCode(cliWhy(investigation, investigation.evidence.status), 600)} for all`)] : [];
  const first = withFixes[0];
  const blocks = keepWithinLimits([...composer.blocks, ...overflow]);
  return { text: fallback(`${fixCount} fix${fixCount === 1 ? '' : 'es'} for ${where}${first ? `, first: ${oneLine(first.f.fixes[0]?.title ?? '')}` : ''}`), blocks };
}

// ────────────────────────────────────────────────────────────────────────────────────────────────
// Pasted text
// ────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * What text pasted in the thread changed: how many of its lines matched a known error, the top cause
 * before → after (unchanged, changed, newly named, no longer confident), each cause whose confidence
 * moved ("Malformed Lambda proxy response 62% → 91%"), the findings that are new, then the top
 * finding now in short form (title, confidence, first fix command).
 */
export function pastedMessage(before: Diagnosis, after: Diagnosis, investigation: Investigation, pasted: { lines: number; matched: number }): SlackMessage {
  const lines = Math.max(0, Math.floor(pasted.lines));
  const matched = Math.min(lines, Math.max(0, Math.floor(pasted.matched)));
  const nothing = matched === 0;
  const lead = nothing
    ? lines === 1
      ? 'The pasted line matches no known error; the answer stands.'
      : `None of the ${formatCount(lines)} pasted lines matches a known error; the answer stands.`
    : lines === 1
      ? 'The pasted line matches a known error.'
      : matched >= lines
        ? `All ${formatCount(lines)} pasted lines match known errors.`
        : `${formatCount(matched)} of the ${formatCount(lines)} pasted lines match${matched === 1 ? 'es' : ''} a known error.`;

  const bTop = before.findings[0];
  const aTop = after.findings[0];
  const bNamed = before.verdict === 'diagnosed';
  const aNamed = after.verdict === 'diagnosed';
  const bold = (f: Finding): string => `*${plain(clipText(oneLine(f.title), CLIP.title))}*`;
  let top = { text: '', mrkdwn: '' };
  if (aTop && aNamed && !bNamed) {
    top = { text: `Cause newly named: ${oneLine(aTop.title)}`, mrkdwn: `Cause newly named: ${bold(aTop)}${bTop && bTop.causeId !== aTop.causeId ? ` (before: ${bold(bTop)}, not confident)` : ''}` };
  } else if (aTop && bTop?.causeId === aTop.causeId) {
    top = { text: `Top cause unchanged: ${oneLine(aTop.title)}`, mrkdwn: `Top cause unchanged: ${bold(aTop)}` };
  } else if (aTop && bTop) {
    top = { text: `Top cause changed: ${oneLine(bTop.title)} → ${oneLine(aTop.title)}`, mrkdwn: `Top cause changed: ${bold(bTop)} → ${bold(aTop)}` };
  } else if (aTop) {
    top = { text: `New top finding: ${oneLine(aTop.title)}`, mrkdwn: `New top finding: ${bold(aTop)}` };
  } else if (bTop) {
    top = { text: 'No finding any more', mrkdwn: `No finding any more (before: ${bold(bTop)})` };
  }
  if (top.text !== '' && bNamed && !aNamed) top = { text: `${top.text}, no longer named with confidence`, mrkdwn: `${top.mrkdwn} — no longer named with confidence` };

  const was = new Map(before.findings.map((f) => [f.causeId, f]));
  const now = new Set(after.findings.map((f) => f.causeId));
  const moved = [
    ...after.findings.filter((f) => was.has(f.causeId) && percent(was.get(f.causeId)?.confidence ?? 0) !== percent(f.confidence)).map((f) => `• ${plain(clipText(oneLine(f.title), CLIP.title))} ${percent(was.get(f.causeId)?.confidence ?? 0)} → ${percent(f.confidence)}`),
    ...before.findings.filter((f) => !now.has(f.causeId)).map((f) => `• ${plain(clipText(oneLine(f.title), CLIP.title))} ${percent(f.confidence)} → no longer listed`),
  ];
  const added = after.findings.filter((f) => !was.has(f.causeId)).map((f) => `• ${plain(clipText(oneLine(f.title), CLIP.title))} · ${percent(f.confidence)}`);
  const changed = moved.length > 0 || added.length > 0 || (aTop?.causeId ?? '') !== (bTop?.causeId ?? '') || bNamed !== aNamed;

  const summary = [`*${plain(lead)}*`];
  if (changed || !nothing) summary.push(top.mrkdwn !== '' ? top.mrkdwn : 'No finding, before or after.');
  if (!changed && !nothing && aTop) summary.push('Nothing else changed: the pasted lines confirm the answer.');
  const blocks: KnownBlock[] = [section(summary.join('\n'))];
  if (moved.length > 0) blocks.push(section(['*Confidence*', ...capped(moved)].join('\n')));
  if (added.length > 0) blocks.push(section([`*New finding${added.length === 1 ? '' : 's'}*`, ...capped(added)].join('\n')));
  if (aTop) {
    blocks.push(divider(), section(`*Now: ${plain(clipText(oneLine(aTop.title), CLIP.title))}* · ${percent(aTop.confidence)}${aNamed ? '' : ' _(not confident)_'}`));
    const fix = aTop.fixes[0];
    if (fix) {
      const fixText = `*Fix:* ${plain(clipText(oneLine(fix.title), CLIP.title))}\n${codeBlock(fix.command)}`;
      blocks.push(section(fixText.length <= SECTION_ROOM ? fixText : `*Fix:* ${plain(clipText(oneLine(fix.title), CLIP.title))} — too long for Slack; ${inlineCode('fixes', 20)} or ${inlineCode(cliWhy(investigation, investigation.evidence.status), 600)} prints it`));
    }
  }
  const text = nothing && !changed ? lead : `${lead} ${top.text}${aTop ? ` (${percent(aTop.confidence)})` : ''}`;
  return { text: fallback(text), blocks: keepWithinLimits(blocks) };
}

/** At most {@link MAX_CHANGES} lines, the rest counted. */
function capped(lines: readonly string[]): string[] {
  const more = lines.length - MAX_CHANGES;
  return more > 0 ? [...lines.slice(0, MAX_CHANGES), `• and ${more} more`] : [...lines];
}

// ────────────────────────────────────────────────────────────────────────────────────────────────
// Buttons
// ────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * The buttons under an answer: Re-run (same question, window ending now), Widen to 24h and Show
 * evidence. Each carries the thread (its first message's ts), whose context the click looks up again.
 */
export function answerActions(threadTs: string): KnownBlock {
  const value = encodeActionValue({ thread: threadTs });
  const block: ActionsBlock = {
    type: 'actions',
    block_id: ANSWER_ACTIONS_BLOCK_ID,
    elements: [
      button(ACTION_IDS.rerun, 'Re-run', value, 'Re-run this investigation, window ending now'),
      button(ACTION_IDS.widen, 'Widen to 24h', value, 'Re-run this investigation over the last 24 hours'),
      button(ACTION_IDS.evidence, 'Show evidence', value, 'Post all the evidence of this answer in the thread'),
    ],
  };
  return block;
}


// ────────────────────────────────────────────────────────────────────────────────────────────────
// Budget and text helpers
// ────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Fills a message in order within Block Kit's budget, less what is reserved for the blocks that follow
 * (the sources, the "+N more" line). Once something does not fit, nothing after it is added, so that
 * the reader never sees a later item without an earlier one; what is left out is counted in `omitted`.
 */
class Composer {
  readonly blocks: KnownBlock[] = [];
  /** Items (evidence lines, fixes, …) left out. */
  omitted = 0;
  private chars = 0;
  private full = false;

  constructor(private readonly reserve: { chars: number; blocks: number }) {}

  /** Whether sections of these texts would fit now. */
  fits(texts: readonly string[]): boolean {
    const chars = texts.reduce((n, t) => n + t.length, 0);
    return !this.full && this.chars + chars + this.reserve.chars <= MAX_MESSAGE_CHARS && this.blocks.length + texts.length + this.reserve.blocks <= MAX_BLOCKS;
  }

  /** Adds a block standing for `items` items, if it fits; false (and the items counted as left out) if not. */
  add(block: KnownBlock, items: number): boolean {
    const chars = messageChars([block]);
    if (this.full || this.chars + chars + this.reserve.chars > MAX_MESSAGE_CHARS || this.blocks.length + 1 + this.reserve.blocks > MAX_BLOCKS) {
      this.skip(items);
      return false;
    }
    this.blocks.push(block);
    this.chars += chars;
    return true;
  }

  /** Counts items as left out; nothing more is added after them. */
  skip(items: number): void {
    this.full = true;
    this.omitted += items;
  }

  /** Lines under a bold title, packed into as few sections as they fit in; the title goes with the first line. */
  addLines(title: string, lines: readonly { text: string; items: number }[]): void {
    // The open section: added once full, or when the lines end.
    let text = '';
    let items = 0;
    for (const [i, line] of lines.entries()) {
      const piece = clipMrkdwn(line.text, SECTION_ROOM - title.length - 1);
      let next = text === '' ? (i === 0 ? `${title}\n${piece}` : piece) : `${text}\n${piece}`;
      if (text !== '' && next.length > SECTION_ROOM) {
        this.add(section(text), items);
        text = '';
        items = 0;
        next = piece;
      }
      if (!this.fits([next])) {
        if (text !== '') this.add(section(text), items);
        this.skip(lines.slice(i).reduce((n, l) => n + l.items, 0));
        return;
      }
      text = next;
      items += line.items;
    }
    if (text !== '') this.add(section(text), items);
  }
}

/** Texts joined by newlines into as few sections' worth as they fit in; a text longer than a section stays alone. */
function packParts(parts: readonly string[]): string[] {
  const out: string[] = [];
  let current = '';
  for (const part of parts) {
    if (part === '') continue;
    const joined = current === '' ? part : `${current}\n${part}`;
    if (joined.length <= SECTION_ROOM || current === '') {
      current = joined;
      continue;
    }
    out.push(current);
    current = part;
  }
  if (current !== '') out.push(current);
  return out.flatMap((t) => (t.length <= SECTION_ROOM ? [t] : hardSplit(t)));
}

/** Sentences (kept whole, spaces between them kept), so that long prose splits between sentences. */
function splitSentences(text: string): string[] {
  const sentences = text.split(/(?<=[.!?])\s+/).filter((s) => s !== '');
  // Joined back with spaces, not newlines: prose stays one paragraph within a section.
  const out: string[] = [];
  let current = '';
  for (const s of sentences) {
    const joined = current === '' ? s : `${current} ${s}`;
    if (joined.length <= SECTION_ROOM || current === '') current = joined;
    else {
      out.push(current);
      current = s;
    }
  }
  if (current !== '') out.push(current);
  return out;
}

/** Escaped text cut into pieces of a section's room, never inside an entity (`&amp;`). */
function hardSplit(text: string): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > SECTION_ROOM) {
    let end = SECTION_ROOM;
    const amp = rest.lastIndexOf('&', end);
    if (amp > end - 5 && amp >= 0) end = amp;
    if (/[\ud800-\udbff]/.test(rest.charAt(end - 1))) end--;
    out.push(rest.slice(0, end));
    rest = rest.slice(end);
  }
  if (rest !== '') out.push(rest);
  return out;
}

/** `apigw-doctor why … --json`: the CLI command that prints every piece of evidence. */
function cliJson(investigation: Investigation): string {
  return `${cliWhy(investigation, investigation.evidence.status)} --json`;
}

/** "1h": the length of the investigation's window. */
function sinceLabel(investigation: Pick<Investigation, 'window'>): string {
  const ms = Date.parse(investigation.window.to) - Date.parse(investigation.window.from);
  return Number.isFinite(ms) && ms > 0 ? formatSince(ms) : 'window';
}

/** "No 5xx on …" continuing a sentence: "no 5xx on …". */
function uncapitalise(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function firstSentence(text: string): string {
  return clipText(text.trim().split(/(?<=[.!?])\s+/)[0] ?? '', 300);
}


/** Fallback text: the one line a notification shows, escaped and clipped; never blank. */
function fallback(line: string): string {
  const text = plain(clipText(redactSecrets(line).replace(/\s+/g, ' ').trim(), MAX_FALLBACK_TEXT - 100));
  return text.trim() === '' ? 'apigw-doctor' : text;
}

