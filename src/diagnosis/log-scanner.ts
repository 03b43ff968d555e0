/**
 * One pass over log text for every pattern of the knowledge base at once. A single regular
 * expression of the patterns' required literals runs over a whole chunk; only lines that contain a
 * literal are cut out and tested against the patterns that own it. Lines that match nothing are
 * never allocated, so a gigabyte of logs streams through in bounded memory at close to the speed of
 * the literal search.
 */
import type { KnowledgeBase, TextSignal } from './knowledge/cause';
import type { LogLine, LogSource, Target } from './evidence';
import type { ParsedLine } from './log-line';
import { normaliseMessage, parseIntegrationErrorMessage, parseLogLine } from './log-line';

/** Lines that count as the same message, with the signals they fired. */
export interface MessageGroup {
  message: string;
  source?: LogSource;
  count: number;
  /** Up to {@link MAX_REQUEST_IDS} distinct example request ids. */
  requestIds: string[];
  signals: Set<string>;
  firstSeen?: string;
  lastSeen?: string;
}

/** What the scan found: counts per source, message groups, hits per signal and statuses seen. */
export interface LogDigest {
  lines: number;
  linesBySource: Record<LogSource, number>;
  groups: Map<string, MessageGroup>;
  /** Signal uid → number of lines it matched (exact even when groups overflow). */
  signalHits: Map<string, number>;
  /** 5xx status → lines that reported it to a client. */
  statuses: Map<number, number>;
  /** Ids the logs reveal (function ARN, API id and stage, method), for fixes pre-filled from plain logs. */
  discovered: Target;
}

export const MAX_REQUEST_IDS = 3;
/** Distinct messages kept; beyond this, hits still count but new messages are not listed. */
export const MAX_GROUPS = 2000;

/** Literals that pick out lines reporting a client status (execution "Method completed", access JSON, CLF). */
const STATUS_LITERALS = ['Method completed with status: 5', '"status":"5', '"status": "5', '"status":5', '"status": 5', 'HTTP/1.1" 5', 'HTTP/2.0" 5'];

/**
 * Execution-log lines that name the target. Each is looked for until found once, then dropped from the
 * prefilter so that it costs nothing for the rest of the scan.
 */
interface Extractor {
  literal: string;
  pattern: RegExp;
  fields: (m: RegExpExecArray) => Target;
}

const EXTRACTORS: readonly Extractor[] = [
  {
    literal: 'Sending request to https://lambda.',
    pattern: /Sending request to https:\/\/lambda\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com\/[\d-]+\/functions\/(arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(?::[A-Za-z0-9_$-]+)?)\/invocations/,
    fields: (m) => ({ region: m[1] ?? '', functionArn: m[2] ?? '' }),
  },
  {
    literal: 'API Stage: ',
    pattern: /API Stage: ([a-z0-9]{10})\/([A-Za-z0-9_-]{1,128})\b/,
    fields: (m) => ({ apiId: m[1] ?? '', stage: m[2] ?? '' }),
  },
  {
    literal: 'HTTP Method: ',
    pattern: /HTTP Method: ([A-Z]{3,7}), Resource Path: /,
    fields: (m) => ({ httpMethod: m[1] ?? '' }),
  },
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export class LogScanner {
  private readonly signals: readonly TextSignal[];
  private prefilter: RegExp;
  private readonly caseInsensitive: boolean;
  private extractors: Extractor[] = [...EXTRACTORS];
  readonly digest: LogDigest = {
    lines: 0,
    linesBySource: { execution: 0, access: 0, lambda: 0 },
    groups: new Map(),
    signalHits: new Map(),
    statuses: new Map(),
    discovered: {},
  };

  constructor(kb: KnowledgeBase) {
    this.signals = kb.causes.flatMap((c) => c.signals.filter((s): s is TextSignal => s.kind === 'log' || s.kind === 'access'));
    this.caseInsensitive = this.signals.some((s) => s.caseInsensitive);
    this.prefilter = this.buildPrefilter();
  }

  private buildPrefilter(): RegExp {
    const literals = new Set<string>([...this.signals.flatMap((s) => s.literals), ...STATUS_LITERALS, ...this.extractors.map((e) => e.literal)]);
    // Longest first: the alternation stops at the first literal that matches at a position.
    const sorted = [...literals].sort((a, b) => b.length - a.length).map(escapeRegExp);
    return new RegExp(sorted.join('|'), this.caseInsensitive ? 'gi' : 'g');
  }

  /**
   * Scans text made of whole lines (the caller keeps a partial last line for the next chunk).
   * `source` applies to every line when known.
   */
  scanText(text: string, source?: LogSource, end = text.length, start = 0): void {
    const lineCount = countLines(text, start, end);
    this.digest.lines += lineCount;
    if (source) this.digest.linesBySource[source] += lineCount;
    let from = start;
    let m: RegExpExecArray | null;
    for (;;) {
      // The prefilter may be rebuilt inside the loop (an extractor found its line), so read it each time.
      const re = this.prefilter;
      re.lastIndex = from;
      if ((m = re.exec(text)) === null || m.index >= end) break;
      const start = text.lastIndexOf('\n', m.index) + 1;
      let stop = text.indexOf('\n', m.index);
      if (stop < 0 || stop > end) stop = end;
      const line = text.charCodeAt(stop - 1) === 13 ? text.slice(start, stop - 1) : text.slice(start, stop);
      this.scanHitLine(line, source, undefined, !source);
      from = stop + 1;
      if (stop >= end) break;
    }
  }

  /** Scans one evidence log line, with what the evidence says about it. */
  scanLogLine(line: LogLine): void {
    this.digest.lines += 1;
    if (line.source) this.digest.linesBySource[line.source] += 1;
    this.prefilter.lastIndex = 0;
    if (!this.prefilter.test(line.message)) return;
    this.scanHitLine(line.message, line.source, line, !line.source);
  }

  /** Scans one `$context.integrationErrorMessage` value. */
  scanIntegrationErrorMessage(message: string): void {
    this.digest.lines += 1;
    this.digest.linesBySource.access += 1;
    const parsed = parseIntegrationErrorMessage(message);
    const candidates = this.signals.filter((s) => s.literals.some((l) => (s.caseInsensitive ? message.toLowerCase() : message).includes(l)));
    const textHits = candidates.filter((s) => s.kind === 'log' && s.pattern.test(message));
    this.record(parsed, firedSignals(parsed, textHits, candidates.filter((s) => s.kind === 'access')), false);
  }

  private scanHitLine(line: string, source: LogSource | undefined, given: LogLine | undefined, countSource: boolean): void {
    if (this.extractors.length > 0) this.extract(line);
    // Test the patterns on the raw line first: most prefilter hits match nothing, and parsing a line
    // (prefixes, source, access fields, secret masking) costs more than the patterns.
    const folded = this.caseInsensitive ? line.toLowerCase() : line;
    let textHits: TextSignal[] | undefined;
    let accessCandidates: TextSignal[] | undefined;
    for (const s of this.signals) {
      if (!s.literals.some((l) => (s.caseInsensitive ? folded : line).includes(l))) continue;
      if (s.kind === 'access') (accessCandidates ??= []).push(s);
      else if (s.pattern.test(line)) (textHits ??= []).push(s);
    }
    if (!textHits && !accessCandidates && !STATUS_LITERALS.some((l) => line.includes(l))) return;
    const parsed = parseLogLine(line, source, given?.requestId, given?.timestamp);
    this.record(parsed, firedSignals(parsed, textHits, accessCandidates), countSource);
  }

  private extract(line: string): void {
    const found = this.extractors.filter((e) => {
      if (!line.includes(e.literal)) return false;
      const m = e.pattern.exec(line);
      if (!m) return false;
      for (const [k, v] of Object.entries(e.fields(m))) if (v) (this.digest.discovered as Record<string, string>)[k] ??= v;
      return true;
    });
    if (found.length === 0) return;
    this.extractors = this.extractors.filter((e) => !found.includes(e));
    this.prefilter = this.buildPrefilter();
  }

  private record(parsed: ParsedLine, fired: readonly string[], countSource: boolean): void {
    const d = this.digest;
    if (countSource && parsed.source) d.linesBySource[parsed.source] += 1;
    if (parsed.status !== undefined) d.statuses.set(parsed.status, (d.statuses.get(parsed.status) ?? 0) + 1);
    if (fired.length === 0) return;
    for (const uid of fired) d.signalHits.set(uid, (d.signalHits.get(uid) ?? 0) + 1);
    const key = `${parsed.source ?? '-'}|${normaliseMessage(parsed.message)}`;
    let group = d.groups.get(key);
    if (!group) {
      if (d.groups.size >= MAX_GROUPS) return;
      group = { message: parsed.message, count: 0, requestIds: [], signals: new Set() };
      if (parsed.source) group.source = parsed.source;
      d.groups.set(key, group);
    }
    group.count += 1;
    for (const uid of fired) group.signals.add(uid);
    if (parsed.requestId && group.requestIds.length < MAX_REQUEST_IDS && !group.requestIds.includes(parsed.requestId)) {
      group.requestIds.push(parsed.requestId);
    }
    if (parsed.timestamp) {
      if (group.firstSeen === undefined || parsed.timestamp < group.firstSeen) group.firstSeen = parsed.timestamp;
      if (group.lastSeen === undefined || parsed.timestamp > group.lastSeen) group.lastSeen = parsed.timestamp;
    }
  }
}

/** The signals a parsed line fires: pattern hits whose source fits, and access signals whose field matches. */
function firedSignals(parsed: ParsedLine, textHits: readonly TextSignal[] | undefined, accessCandidates: readonly TextSignal[] | undefined): string[] {
  const fired: string[] = [];
  for (const s of textHits ?? []) if (!s.sources || !parsed.source || s.sources.includes(parsed.source)) fired.push(s.uid);
  for (const s of accessCandidates ?? []) if (parsed.access && s.fields?.some((f) => matchField(s, parsed.access?.[f]))) fired.push(s.uid);
  return fired;
}

function matchField(signal: TextSignal, value: string | undefined): boolean {
  if (value === undefined) return false;
  signal.pattern.lastIndex = 0;
  return signal.pattern.test(value);
}

function countLines(text: string, start: number, end: number): number {
  if (end <= start) return 0;
  let n = 0;
  let i = text.indexOf('\n', start);
  while (i >= 0 && i < end) {
    n++;
    i = text.indexOf('\n', i + 1);
  }
  return text.charCodeAt(end - 1) === 10 ? n : n + 1;
}

/**
 * Feeds a stream of text chunks to a scanner line-aligned: the partial line at the end of each chunk
 * waits for the next one. Memory stays at about one chunk plus the longest line.
 */
export async function scanChunks(scanner: LogScanner, chunks: AsyncIterable<string>, source?: LogSource): Promise<void> {
  let carry = '';
  // A line longer than MAX_LINE is scanned by its first MAX_LINE characters; the rest is skipped.
  let skippingRest = false;
  for await (const chunk of chunks) {
    let from = 0;
    if (skippingRest) {
      const nl = chunk.indexOf('\n');
      if (nl < 0) continue;
      from = nl + 1;
      skippingRest = false;
    }
    const first = chunk.indexOf('\n', from);
    if (first < 0) {
      carry += chunk.slice(from);
      if (carry.length > MAX_LINE) {
        scanner.scanText(carry.slice(0, MAX_LINE), source);
        carry = '';
        skippingRest = true;
      }
      continue;
    }
    // The line that straddles the chunk boundary is joined; the rest of the chunk is scanned in place,
    // without copying it.
    if (carry !== '' || from > 0) {
      scanner.scanText(carry + chunk.slice(from, first + 1), source);
    } else {
      scanner.scanText(chunk, source, first + 1);
    }
    const last = chunk.lastIndexOf('\n');
    if (last > first) scanner.scanText(chunk, source, last + 1, first + 1);
    carry = chunk.slice(last + 1);
  }
  if (carry !== '') scanner.scanText(carry, source);
}

/** The longest line scanned whole (1 MiB of text). */
export const MAX_LINE = 1 << 20;
