/**
 * The answers to two follow-ups of an answered thread, as Block Kit: `request <id>` (one request's
 * lines across the execution, access and Lambda logs) and `verify` (the 5xx since the fix against the
 * same time before). Pure: data in, `{ text, blocks }` out, within Slack's limits by construction
 * (`limits.ts`). Log lines are masked (`redactSecrets`) and escaped here, as every log text the bot posts.
 */
import type { KnownBlock } from '@slack/types';
import type { RequestTrace, TracedLog } from '../collect/request-trace';
import { traceQuery } from '../collect/request-trace';
import type { FixMeasure, WindowCounts } from '../collect/verify-fix';
import { formatSince } from '../collect/window';
import type { LogSource, Skipped } from '../diagnosis/evidence';
import { redactSecrets } from '../diagnosis/redact';
import { describeTarget, formatClock, formatCount, formatRate } from '../render/describe-target';
import { sourceLabel } from '../render/phrases';
import type { SlackMessage } from './blocks';
import { logsInsightsUrl } from './console-links';
import { MAX_BLOCKS, MAX_MESSAGE_CHARS, MAX_SECTION_TEXT, context, fallbackText, keepWithinLimits, messageChars, section } from './limits';
import { clipText, codeBlock, inlineCode, link, plain, wellFormed } from './mrkdwn';

/** What a reader sees of one log line (the rest is one click away in Logs Insights). */
const LINE_CHARS = 700;
/** A code block's share of a section: its fences stay inside the 3,000. */
const CHUNK_CHARS = MAX_SECTION_TEXT - 20;
/** "```\n" and "\n```": what a code block adds to its lines. */
const FENCES = 8;
/** Characters and blocks kept free for the last lines (what was not shown, where to see it). */
const RESERVE_CHARS = 600;
const RESERVE_BLOCKS = 2;

const LOG_NAMES: Readonly<Record<LogSource, string>> = { execution: 'Execution log', access: 'Access log', lambda: 'Lambda log' };
/** The same inside a sentence. */
const LOG_WORDS: Readonly<Record<LogSource, string>> = { execution: 'execution log', access: 'access log', lambda: 'Lambda log' };

// ────────────────────────────────────────────────────────────────────────────────────────────────
// request <id>
// ────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * One request's trace: what was searched, then each log's lines (time and message, masked, in code
 * blocks), how Lambda's request id was linked, what could not be read and why, and links to run the same
 * search in Logs Insights. Lines that do not fit are counted, never cut mid-way through the message.
 */
export function requestTraceMessage(trace: RequestTrace): SlackMessage {
  const window = timeRange(trace.window.from, trace.window.to, trace.window.to);
  const what = `Request ${inlineCode(trace.requestId, 80)} on ${plain(describeTarget(trace.target, trace.apiType))}`;
  const searched = trace.logs.map((l) => `${LOG_WORDS[l.log]} (${l.logGroups.map((g) => inlineCode(g, 120)).join(', ')})`);
  const head: KnownBlock[] = [
    section(
      [
        `*${what}*`,
        ...(trace.otherIds.length > 0 ? [`Its lines also name it ${trace.otherIds.map((x) => inlineCode(x, 80)).join(', ')} (API Gateway gives a request two ids: the request id and the extended id).`] : []),
        trace.found
          ? `Found in ${plain(foundIn(trace.logs))}; searched ${plain(window)}.`
          : searched.length === 0
            ? ':mag: *No log could be searched*: this stage writes none that could be read (see below).'
            : `:mag: *Not found in any log searched*: ${searched.join(', ')}, ${plain(window)}. Check the id (REST: the ${inlineCode('x-amzn-RequestId')} response header; HTTP APIs: ${inlineCode('apigw-requestid')}), or ask about a request from closer to the investigation.`,
      ].join('\n'),
    ),
  ];

  const tail: KnownBlock[] = [];
  const about = [...lambdaLine(trace), ...trace.notes.map((n) => plain(capitalised(clipText(n, 300))))];
  if (about.length > 0) tail.push(context(...about));
  // One section each: a fix can be a long command, and it must arrive whole to be pasted.
  trace.unread.forEach((u, i) => tail.push(section(`${i === 0 ? '*Could not read*\n' : ''}${unreadLine(u)}`)));
  const links = insightsLinks(trace);
  if (links.length > 0) tail.push(context(`Open in Logs Insights: ${links.join(' · ')}`));

  // The lines, each log with its share of what is left: a short log keeps all of its lines, a long
  // one gets the rest.
  const budget = {
    chars: MAX_MESSAGE_CHARS - messageChars(head) - messageChars(tail) - RESERVE_CHARS,
    blocks: MAX_BLOCKS - head.length - tail.length - RESERVE_BLOCKS,
  };
  const withLines = trace.logs.filter((l) => l.lines.length > 0);
  const shares = waterFill(
    // Escaped lines, the title and a code block's fences per section.
    withLines.map((l) => renderedLines(l).reduce((n, s) => n + plain(s).length + 1, 0) + 400),
    Math.max(0, budget.chars),
  );
  const body: KnownBlock[] = [];
  let omitted = 0;
  withLines.forEach((log, i) => {
    const rendered = logBlocks(log, shares[i] ?? 0, Math.max(0, budget.blocks - body.length));
    body.push(...rendered.blocks);
    omitted += rendered.omitted;
  });
  const empty = trace.found ? trace.logs.filter((l) => l.lines.length === 0).map((l) => `${LOG_NAMES[l.log]}: no line of this request in ${l.logGroups.map((g) => inlineCode(g, 120)).join(', ')}`) : [];
  if (empty.length > 0) body.push(context(...empty));
  const overflow = omitted > 0 ? [context(`+${formatCount(omitted)} more line${omitted === 1 ? '' : 's'} not shown: open the search in Logs Insights (links above) for all of them`)] : [];

  const blocks = keepWithinLimits([...head, ...body, ...tail, ...overflow]);
  const counts = trace.logs.filter((l) => l.lines.length > 0).map((l) => `${l.lines.length} ${LOG_WORDS[l.log]} line${l.lines.length === 1 ? '' : 's'}`);
  const text = trace.found ? `Request ${trace.requestId}: ${counts.join(', ')}` : `Request ${trace.requestId} not found in any log searched (${window})`;
  return { text: fallbackText(text), blocks };
}

function foundIn(logs: readonly TracedLog[]): string {
  const parts = logs.filter((l) => l.lines.length > 0).map((l) => `the ${LOG_WORDS[l.log]} (${formatCount(l.lines.length)} line${l.lines.length === 1 ? '' : 's'}${l.clipped ? ', the first of more' : ''}${l.partial ? ', search cut short' : ''})`);
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1] ?? ''}`;
}

/** How Lambda's request id was found: "Lambda request id `754b…` (from the execution log)", or why not. */
function lambdaLine(trace: RequestTrace): string[] {
  const l = trace.lambda;
  if (!l) return [];
  if (l.linked) {
    const ids = l.lambdaRequestIds.map((id) => inlineCode(id, 80)).join(', ');
    const via = l.via === 'lambda' ? 'from the function’s own lines naming the request' : `from the ${LOG_WORDS[l.via]}`;
    return [`Lambda request id ${ids} (${via}) in ${plain(trace.functions.join(', '))}`];
  }
  return [`Not linked to the Lambda log: ${plain(clipText(l.reason, 400))}`];
}

function unreadLine(s: Skipped): string {
  const fix = s.fix.trim();
  // A fix that is commands is shown as code, to copy; anything else as a sentence.
  const fixText = fix === '' ? '' : /^aws\s/.test(fix) ? `\n${codeBlock(fix)}` : ` — fix: ${plain(clipText(fix, 320))}`;
  return `• ${plain(sourceLabel(s.source))}: ${plain(clipText(s.reason, 240))}${fixText}`;
}

function insightsLinks(trace: RequestTrace): string[] {
  const region = trace.target.region;
  if (region === undefined) return [];
  return trace.logs.flatMap((l) => {
    let query: string;
    try {
      query = traceQuery(l.searchedFor, 200);
    } catch {
      return [];
    }
    const url = logsInsightsUrl({ region, logGroups: l.logGroups, from: l.from, to: l.to, query });
    return url ? [link(url, LOG_WORDS[l.log])] : [];
  });
}

/** `14:02:11.158  (3f2a…) Method completed with status: 502`, masked, one line, clipped. */
function renderedLines(log: TracedLog): string[] {
  return log.lines.map((l) => {
    const time = l.timestamp ? l.timestamp.slice(11, 23) : '--:--:--.---';
    const group = l.logGroup !== undefined && log.logGroups.length > 1 ? `[${shortGroup(l.logGroup)}] ` : '';
    return clipText(`${time}  ${group}${flattenLine(redactSecrets(l.message))}`, LINE_CHARS);
  });
}

function shortGroup(group: string): string {
  return group.replace(/^\/aws\/lambda\//, '');
}


/** A log's title and its lines as code blocks, within `chars` and `blocks`; the lines left out are counted. */
function logBlocks(log: TracedLog, chars: number, blocks: number): { blocks: KnownBlock[]; omitted: number } {
  const lines = renderedLines(log);
  const flags = [log.clipped ? `the first ${formatCount(log.lines.length)} lines that matched` : '', log.partial ? 'the search ran out of time: lines found by then' : ''].filter((s) => s !== '');
  const title = `*${LOG_NAMES[log.log]}* · ${log.logGroups.map((g) => inlineCode(g, 120)).join(', ')} · ${formatCount(lines.length)} line${lines.length === 1 ? '' : 's'}${flags.length > 0 ? ` (${plain(flags.join('; '))})` : ''}`;
  const out: KnownBlock[] = [];
  let chunk: string[] = [];
  let chunkChars = 0;
  let used = title.length + 1;
  let shown = 0;
  const flush = (): void => {
    if (chunk.length > 0) out.push(section(`${out.length === 0 ? `${title}\n` : ''}${codeBlock(chunk.join('\n'))}`));
    chunk = [];
    chunkChars = 0;
  };
  for (const line of lines) {
    // What escaping makes of the line, as the limits count it.
    const size = plain(line).length + 1;
    // A section holds its code block's fences and, the first, the title.
    const room = CHUNK_CHARS - (out.length === 0 ? title.length + 1 : 0);
    const newBlock = chunk.length === 0 || chunkChars + size > room;
    const cost = size + (newBlock ? FENCES : 0);
    if (used + cost > chars || out.length + (chunk.length > 0 ? 1 : 0) + (newBlock ? 1 : 0) > blocks) break;
    if (newBlock) flush();
    chunk.push(line);
    chunkChars += size;
    used += cost;
    shown++;
  }
  flush();
  if (out.length === 0 && blocks > 0) out.push(section(`${title}\n_(no room for its lines here: open it in Logs Insights)_`));
  return { blocks: out, omitted: lines.length - shown };
}

/**
 * Shares of `total` for items that want `wants`: each gets what it wants when that is under an even
 * share of what is left, and the largest split the rest evenly.
 */
function waterFill(wants: readonly number[], total: number): number[] {
  const shares = wants.map(() => 0);
  let left = total;
  const order = wants.map((w, i) => ({ w, i })).sort((a, b) => a.w - b.w);
  order.forEach(({ w, i }, k) => {
    const even = left / (order.length - k);
    const share = Math.min(w, even);
    shares[i] = share;
    left -= share;
  });
  return shares;
}

// ────────────────────────────────────────────────────────────────────────────────────────────────
// verify
// ────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * The verdict in one line ("Fixed: 0 5xx in 32m since 17:05 UTC (1,204 requests), against 512 of 9,800
 * (5.2%) in the 32m before"), then both windows' numbers, the metrics they come from, and what to bear
 * in mind.
 */
export function verifyMessage(measure: FixMeasure): SlackMessage {
  const line = verdictLine(measure);
  const blocks: KnownBlock[] = [section(`*${plain(line)}*`)];
  if (measure.verdict !== 'too-soon') {
    const { before, after } = measure;
    blocks.push(section([`*Before* ${plain(windowLabel(before, measure.now))}: ${plain(countsPhrase(before))}`, `*Since* ${plain(windowLabel(after, measure.now))}: ${plain(countsPhrase(after))}`].join('\n')));
  }
  const per = measure.periodS === 60 ? 'minute' : formatSince(measure.periodS * 1000);
  // The period the fix went out in holds requests from before and after it: it is in neither window.
  const straddled = Date.parse(measure.since) % (measure.periodS * 1000) !== 0 && measure.verdict !== 'too-soon' ? `; the ${per} from ${formatClock(measure.before.to, measure.now)}, when the fix went out, is counted in neither window` : '';
  const source = `${plain(describeTarget(measure.target, measure.apiType))} · CloudWatch ${inlineCode(`AWS/ApiGateway ${measure.metrics.errors}`)} and ${inlineCode(measure.metrics.requests)}, summed per ${plain(per)}${plain(straddled)}`;
  blocks.push(context(source, ...measure.notes.map((n) => plain(capitalised(clipText(n, 300))))));
  return { text: fallbackText(line), blocks: keepWithinLimits(blocks) };
}

/** The verdict's sentence. */
export function verdictLine(m: FixMeasure): string {
  const since = formatClock(m.since, m.now);
  const { before, after } = m;
  const len = formatSince(Math.max(60_000, Date.parse(after.to) - Date.parse(after.from)));
  const errors = m.apiType === 'WEBSOCKET' ? 'errors' : '5xx';
  const beforePart = `${formatCount(before.count5xx)} of ${formatCount(before.count)}${before.rate !== undefined ? ` (${formatRate(before.rate)})` : ''} in the ${len} before`;
  switch (m.verdict) {
    case 'too-soon':
      return `Too soon to tell: ${since} was less than a ${m.periodS === 60 ? 'minute' : formatSince(m.periodS * 1000)} ago, and CloudWatch counts requests per ${m.periodS === 60 ? 'minute' : formatSince(m.periodS * 1000)}; ask again after ${formatClock(m.askAgainAt ?? m.now, m.now)}`;
    case 'fixed':
      return `Fixed: 0 ${errors} in ${len} since ${since} (${formatCount(after.count)} request${after.count === 1 ? '' : 's'}), against ${beforePart}`;
    case 'better':
      return `Better: ${formatCount(after.count5xx)} ${errors} of ${formatCount(after.count)} (${formatRate(after.rate ?? 1)}) in ${len} since ${since}, against ${beforePart}`;
    case 'not-fixed':
      return before.count5xx === 0
        ? `Not fixed, worse: ${formatCount(after.count5xx)} ${errors} of ${formatCount(after.count)} (${formatRate(after.rate ?? 1)}) in ${len} since ${since}, against none of ${formatCount(before.count)} in the ${len} before`
        : `Not fixed: ${formatCount(after.count5xx)} ${errors} of ${formatCount(after.count)} (${formatRate(after.rate ?? 1)}) in ${len} since ${since}, against ${beforePart}`;
    case 'no-traffic':
      return `Cannot tell yet: no requests in ${len} since ${since} (${beforePart}); send some traffic or ask again later`;
    case 'no-errors-before':
      return `No ${errors} to fix: none in the ${len} before ${since} (${formatCount(before.count)} requests) and none since (${formatCount(after.count)} requests)`;
  }
}

function windowLabel(w: WindowCounts, now: string): string {
  const len = formatSince(Math.max(60_000, Date.parse(w.to) - Date.parse(w.from)));
  return `${timeRange(w.from, w.to, now)} (${len})`;
}

/** "13:00–15:00 UTC", with dates when a time is not on the day of `reference`. */
function timeRange(from: string, to: string, reference: string): string {
  const a = formatClock(from, reference);
  const b = formatClock(to, reference);
  return a.endsWith(' UTC') && b.endsWith(' UTC') && !/[A-Z][a-z]{2} /.test(a) ? `${a.slice(0, -4)}–${b}` : `${a}–${b}`;
}

function countsPhrase(w: WindowCounts): string {
  return `${formatCount(w.count5xx)} 5xx of ${formatCount(w.count)} request${w.count === 1 ? '' : 's'}${w.rate !== undefined ? ` (${formatRate(w.rate)})` : ''}`;
}

// ────────────────────────────────────────────────────────────────────────────────────────────────

function capitalised(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A log line on one line of a code block: its own line breaks shown as ↵, so each line of the trace stays one line. */
function flattenLine(text: string): string {
  return wellFormed(text).replace(/\r?\n/g, ' ↵ ');
}
