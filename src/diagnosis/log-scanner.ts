/**
 * One pass over log text for every pattern of the knowledge base at once. A single regular
 * expression of the patterns' required literals runs over a whole chunk; only lines that contain a
 * literal are cut out and tested against the patterns that own it. Lines that match nothing are
 * never allocated, so a gigabyte of logs streams through in bounded memory at close to the speed of
 * the literal search.
 */
import type { KnowledgeBase, ResponseSignal, TextSignal } from './knowledge/cause';
import { redactSecrets } from './redact';
import type { ClientResponse } from './response';
import { describeResponse, responseField, responseRequestIds } from './response';
import type { ApiType, LogLine, LogSource, Target, TargetField, TextSource } from './evidence';
import type { ParsedLine } from './log-line';
import { normaliseMessage, parseIntegrationErrorMessage, parseLogLine } from './log-line';
import type { ReadAs } from './loose-match';
import { LooseMatcher, repairLine } from './loose-match';
import { BODY_BEFORE, describeProblem, returnedValueOf, shapeProblems } from './proxy-response';

/** Lines that count as the same message, with the signals they fired. */
export interface MessageGroup {
  message: string;
  source?: TextSource;
  count: number;
  /** Up to {@link MAX_REQUEST_IDS} distinct example request ids. */
  requestIds: string[];
  signals: Set<string>;
  firstSeen?: string;
  lastSeen?: string;
  /** Set when the lines matched only as pasted text: repaired (escapes, prefixes), loosely (case, punctuation) or cut short. */
  readAs?: ReadAs;
  /** What is wrong with the value the line quotes ("`body` is an object"). */
  note?: string;
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
  /** The same per log (`unknown` for lines of unknown source): one request is in both the execution and the access log. */
  statusesBySource: Map<TextSource | 'unknown', Map<number, number>>;
  /** Signal uid → the logs its lines came from (`unknown` for lines of unknown source; `response` for what the client saw). */
  signalSources: Map<string, Set<TextSource | 'unknown'>>;
  /** Ids the logs reveal (function ARN, API id and stage, method), for fixes pre-filled from plain logs. */
  discovered: Target;
  /** What the Lambda runtime's REPORT lines say (one line per invocation). */
  report: ReportDigest;
  /** What the function returned, as the execution log quotes it, read against the proxy-response format. */
  returned: ReturnedDigest;
}

export interface ReturnedDigest {
  /** Returned values read. */
  read: number;
  /** The first problem found ("`body` is an object; …"), when one was. */
  problem?: string;
  /** The lines of returned values with problems, each with its `note`. */
  groups: Map<string, MessageGroup>;
}

export interface ReportDigest {
  durationMaxMs?: number;
  memorySizeMb?: number;
  maxMemoryUsedMb?: number;
}

export const MAX_REQUEST_IDS = 3;
/** Distinct messages kept; beyond this, hits still count but new messages are not listed. */
export const MAX_GROUPS = 2000;

/** Literals that pick out execution-log lines reporting a client status. */
const EXECUTION_STATUS_LITERALS = ['Method completed with status: 5'];
/** The literal of the Lambda runtime's REPORT line, one per invocation: its duration and memory are read. */
const REPORT_LITERALS = ['REPORT RequestId: '];
/** Returned values read for their proxy-response shape at most; then the literal leaves the prefilter. */
const MAX_RETURNED = 50;
/**
 * Literals that pick out access-log lines (JSON, Common Log Format) reporting a 5xx. They begin with
 * characters that fill every log line (`"`, `H`), which would slow the main alternation threefold, so
 * they form a second alternation that runs only over text that has access-log lines at all.
 */
const ACCESS_STATUS_LITERALS = ['"status":"5', '"status": "5', '"status":5', '"status": 5', 'HTTP/1.1" 5', 'HTTP/2.0" 5'];
const ACCESS_STATUS_GATES = ['"status"', 'HTTP/'];

/**
 * Execution-log lines that name the target. Each is looked for until found once, then dropped from the
 * prefilter so that it costs nothing for the rest of the scan.
 */
interface Extractor {
  literal: string;
  pattern: RegExp;
  /** The target field each capture group fills, in order; the extractor retires once all are known. */
  fills: readonly TargetField[];
}

const LAMBDA_INVOCATION = /https:\/\/lambda\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com\/[\d-]+\/functions\/(arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(?::[A-Za-z0-9_$-]+)?)\/invocations/;

const EXTRACTORS: readonly Extractor[] = [
  // INFO execution logs name the Lambda invocation URL, in either of two wordings.
  { literal: 'Endpoint request URI: https://lambda.', pattern: LAMBDA_INVOCATION, fills: ['region', 'functionArn'] },
  { literal: 'Sending request to https://lambda.', pattern: LAMBDA_INVOCATION, fills: ['region', 'functionArn'] },
  { literal: 'API Stage: ', pattern: /API Stage: ([a-z0-9]{10})\/([A-Za-z0-9_-]{1,128})\b/, fills: ['apiId', 'stage'] },
  { literal: 'HTTP Method: ', pattern: /HTTP Method: ([A-Z]{3,7}), Resource Path: /, fills: ['httpMethod'] },
];

/** What a prefilter literal can stand for: signals to test, a status line, an extractor. */
interface Owner {
  signals: readonly TextSignal[];
  status: boolean;
  /** A REPORT line: its numbers are read. */
  report: boolean;
  /** A line quoting what the function returned: its shape is read. */
  returned: boolean;
  extractors: readonly Extractor[];
}

/** One alternation of literals, longest first, and what each literal stands for. */
interface Alternation {
  regex: RegExp;
  owners: Map<string, Owner>;
  /** Literals of case-insensitive patterns: matches are looked up lower-cased. */
  folded: boolean;
  /** Runs only over text that contains one of these (see {@link ACCESS_STATUS_LITERALS}). */
  gates?: readonly string[];
}

/**
 * The literals, split so that each alternation stays fast: case-sensitive literals, the literals of
 * case-insensitive patterns (an `i` flag slows a whole alternation down), and the access-log status
 * literals, which start with characters found on every line.
 */
type Prefilter = readonly Alternation[];

/** Runs the candidate signals' patterns on a raw line; access signals wait for the parsed fields. */
function testPatterns(line: string, owners: readonly Owner[]): { textHits: TextSignal[]; accessCandidates: TextSignal[] } {
  const textHits: TextSignal[] = [];
  const accessCandidates: TextSignal[] = [];
  // One signal can own literals in two alternations (as two objects): count it once per line.
  const seen = new Set<string>();
  for (const owner of owners) {
    for (const s of owner.signals) {
      if (seen.has(s.uid)) continue;
      seen.add(s.uid);
      if (s.kind === 'access') accessCandidates.push(s);
      else if (s.pattern.test(line)) textHits.push(s);
    }
  }
  return { textHits, accessCandidates };
}

function buildAlternation(
  signals: readonly TextSignal[],
  statusLiterals: readonly string[],
  extractors: readonly Extractor[],
  folded: boolean,
  gates?: readonly string[],
  reportLiterals: readonly string[] = [],
  returnedLiterals: readonly string[] = [],
): Alternation | null {
  const fold = (l: string): string => (folded ? l.toLowerCase() : l);
  const literals = [...new Set([...signals.flatMap((s) => s.literals), ...statusLiterals, ...reportLiterals, ...returnedLiterals, ...extractors.map((e) => e.literal)].map(fold))];
  if (literals.length === 0) return null;
  literals.sort((a, b) => b.length - a.length);
  const owners = new Map<string, Owner>();
  for (const lit of literals) {
    owners.set(lit, {
      signals: signals.filter((s) => s.literals.some((l) => lit.startsWith(fold(l)))),
      status: statusLiterals.some((l) => lit.startsWith(fold(l))),
      report: reportLiterals.some((l) => lit.startsWith(fold(l))),
      returned: returnedLiterals.some((l) => lit.startsWith(fold(l))),
      extractors: extractors.filter((e) => lit.startsWith(fold(e.literal))),
    });
  }
  return { regex: new RegExp(literals.map(escapeRegExp).join('|'), folded ? 'gi' : 'g'), owners, folded, ...(gates ? { gates } : {}) };
}

function ownerOf(alternation: Alternation, match: string): Owner | undefined {
  return alternation.owners.get(alternation.folded ? match.toLowerCase() : match);
}

/**
 * Collects into `owners` every match of one alternation from `match` up to `stop`, each search starting
 * one past the previous match so that overlapping literals count too. Returns the first match at or
 * past `stop` (the alternation's next hit), or null.
 */
function collectOwners(alternation: Alternation, text: string, match: RegExpExecArray | null, stop: number, owners: Owner[]): RegExpExecArray | null {
  const re = alternation.regex;
  let n = match;
  while (n !== null && n.index < stop) {
    const owner = ownerOf(alternation, n[0]);
    if (owner) owners.push(owner);
    re.lastIndex = n.index + 1;
    n = re.exec(text);
  }
  return n;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export class LogScanner {
  private readonly signals: readonly TextSignal[];
  private prefilter: Prefilter;
  private extractors: Extractor[] = [...EXTRACTORS];
  readonly digest: LogDigest = {
    lines: 0,
    linesBySource: { execution: 0, access: 0, lambda: 0 },
    groups: new Map(),
    signalHits: new Map(),
    statuses: new Map(),
    statusesBySource: new Map(),
    signalSources: new Map(),
    discovered: {},
    report: {},
    returned: { read: 0, groups: new Map() },
  };

  /**
   * @param format the API type (and HTTP API payload format) the logs come from, against which a returned
   *   value is read; default REST.
   */
  constructor(
    kb: KnowledgeBase,
    private readonly format: { apiType: ApiType; payloadFormatVersion?: string } = { apiType: 'REST' },
  ) {
    this.signals = kb.causes.flatMap((c) => c.signals.filter((s): s is TextSignal => s.kind === 'log' || s.kind === 'access'));
    this.prefilter = this.buildPrefilter();
  }

  /**
   * Builds the alternations. At a position an alternation reports only its longest literal; any other
   * literal of it that matches there is a prefix of that one, so the owners of a literal include the
   * owners of its prefixes.
   */
  private buildPrefilter(): Prefilter {
    const sensitive = this.signals.filter((s) => !s.caseInsensitive);
    const insensitive = this.signals.filter((s) => s.caseInsensitive);
    // Literals that start with a letter and those that start with punctuation (quotes, brackets, tabs)
    // run as two alternations: punctuation fills log lines, and mixing them slows every position.
    const wordy = (l: string): boolean => /^[A-Za-z]/.test(l);
    const bySign = (signals: readonly TextSignal[], word: boolean): TextSignal[] =>
      signals.flatMap((s) => {
        const literals = s.literals.filter((l) => wordy(l) === word);
        return literals.length === 0 ? [] : [{ ...s, literals }];
      });
    return [
      buildAlternation(bySign(sensitive, true), EXECUTION_STATUS_LITERALS, this.extractors, false, undefined, REPORT_LITERALS, this.digest.returned.read < MAX_RETURNED ? [BODY_BEFORE] : []),
      buildAlternation(bySign(sensitive, false), [], [], false),
      buildAlternation(insensitive, [], [], true),
      buildAlternation([], ACCESS_STATUS_LITERALS, [], false, ACCESS_STATUS_GATES),
    ].filter((a): a is Alternation => a !== null);
  }

  /**
   * Scans text made of whole lines, from `start` to `end` (the caller keeps a partial last line for the
   * next chunk). `source` applies to every line when known.
   */
  scanText(text: string, source?: LogSource, end = text.length, start = 0): void {
    const lineCount = countLines(text, start, end);
    this.digest.lines += lineCount;
    if (source) this.digest.linesBySource[source] += lineCount;
    const gateOpen = (gates: readonly string[]): boolean =>
      gates.some((g) => {
        const i = text.indexOf(g, start);
        return i >= 0 && i < end;
      });
    const open = (from: number): { prefilter: Prefilter; active: Alternation[]; next: (RegExpExecArray | null)[] } => {
      const prefilter = this.prefilter;
      const active = prefilter.filter((a) => !a.gates || gateOpen(a.gates));
      return {
        prefilter,
        active,
        next: active.map(({ regex }) => {
          regex.lastIndex = from;
          return from < end ? regex.exec(text) : null;
        }),
      };
    };
    let scan = open(start);
    for (;;) {
      // The earliest match of any alternation starts the next line to look at.
      let first: RegExpExecArray | null = null;
      for (const n of scan.next) if (n !== null && n.index < end && (first === null || n.index < first.index)) first = n;
      if (first === null) break;
      const lineStart = text.lastIndexOf('\n', first.index) + 1;
      let stop = text.indexOf('\n', first.index);
      if (stop < 0 || stop > end) stop = end;
      // Every literal on this line, each match starting one past the previous so overlaps count too;
      // each alternation's first match past the line is its next hit.
      const owners: Owner[] = [];
      scan.active.forEach((alternation, k) => {
        scan.next[k] = collectOwners(alternation, text, scan.next[k] ?? null, stop, owners);
      });
      const line = text.charCodeAt(stop - 1) === 13 ? text.slice(lineStart, stop - 1) : text.slice(lineStart, stop);
      this.scanHitLine(line, owners, source, undefined, !source);
      // An extractor that found its line leaves the prefilter: continue with the new one.
      if (scan.prefilter !== this.prefilter) scan = open(stop + 1);
    }
  }

  /** The owners of every literal in a single line of text. */
  private ownersIn(text: string): Owner[] {
    const owners: Owner[] = [];
    for (const alternation of this.prefilter) {
      alternation.regex.lastIndex = 0;
      collectOwners(alternation, text, alternation.regex.exec(text), text.length, owners);
    }
    return owners;
  }

  /** Scans one evidence log line, with what the evidence says about it. Returns whether a signal fired. */
  scanLogLine(line: LogLine): boolean {
    const count = line.count ?? 1;
    this.digest.lines += count;
    if (line.source) this.digest.linesBySource[line.source] += count;
    const owners = this.ownersIn(line.message);
    return owners.length > 0 && this.scanHitLine(line.message, owners, line.source, line, !line.source);
  }

  /**
   * Scans the lines of an evidence document: each as it is, then the ones no pattern matched read the way
   * people paste them (see loose-match.ts): repaired, loosely, cut short, or joined with the next line
   * when a copy wrapped one message over two.
   */
  scanEvidenceLines(lines: readonly LogLine[]): void {
    const missed = lines.map((line) => !this.scanLogLine(line));
    this.readLoosely(lines, missed);
  }

  /** Scans one `$context.integrationErrorMessage` value. */
  scanIntegrationErrorMessage(message: string): void {
    this.digest.lines += 1;
    this.digest.linesBySource.access += 1;
    const parsed = parseIntegrationErrorMessage(message);
    const { textHits, accessCandidates } = testPatterns(message, this.ownersIn(message));
    const fired = firedSignals(parsed, textHits, accessCandidates);
    if (fired.length > 0) {
      this.record(parsed, fired, false);
      return;
    }
    // Read loosely as the integration error it is (an access-log field).
    if (!this.readOneLoosely({ message, source: 'access' })) this.record(parsed, [], false);
  }

  private loose: LooseMatcher | undefined;

  /** Lines no pattern matched, read as pasted text; `missed[i]` says whether line i is one. */
  private readLoosely(lines: readonly LogLine[], missed: boolean[]): void {
    lines.forEach((line, i) => {
      if (missed[i] && this.readOneLoosely(line)) missed[i] = false;
    });
    // A message a copy wrapped over two lines: each half alone matched nothing.
    for (let i = 0; i + 1 < lines.length; i++) {
      const a = lines[i];
      const b = lines[i + 1];
      if (!a || !b || !missed[i] || !missed[i + 1] || (a.source !== undefined && b.source !== undefined && a.source !== b.source)) continue;
      if (this.readOneLoosely({ ...a, message: `${a.message.trimEnd()} ${b.message.trimStart()}` })) {
        missed[i] = false;
        missed[i + 1] = false;
        i++;
      }
    }
  }

  /**
   * One line read as pasted: its repaired forms matched exactly, then loosely. What fires is recorded as
   * the evidence line it stands for (its status is not counted again). Returns whether anything fired.
   */
  private readOneLoosely(line: LogLine): boolean {
    this.loose ??= new LooseMatcher(this.signals);
    for (const text of repairLine(line.message)) {
      const owners = this.ownersIn(text);
      const exact = testPatterns(text, owners);
      const parsed = parseLogLine(text, line.source, line.requestId, line.timestamp);
      let fired = firedSignals(parsed, exact.textHits, exact.accessCandidates);
      let how: MessageGroup['readAs'] = 'repaired';
      if (fired.length === 0) {
        const loose = this.loose.match(parsed.message);
        fired = firedSignals(parsed, loose.signals, []);
        how = loose.cut ? 'cut short' : 'loosely';
      }
      if (fired.length > 0) {
        this.record({ ...parsed, status: undefined }, fired, false, line, how);
        return true;
      }
    }
    return false;
  }

  /** At the end of a stream small enough to have been kept whole: its unmatched lines, read as pasted. */
  readSampleLoosely(text: string, source?: LogSource): void {
    const lines: LogLine[] = [];
    for (const raw of text.split(/\r?\n/)) {
      if (raw.trim() === '') continue;
      const { textHits, accessCandidates } = testPatterns(raw, this.ownersIn(raw));
      if (textHits.length === 0 && accessCandidates.length === 0) lines.push({ message: raw, ...(source ? { source } : {}) });
    }
    this.readLoosely(lines, lines.map(() => true));
  }

  /** Returns whether a signal fired. */
  private scanHitLine(line: string, owners: readonly Owner[], source: LogSource | undefined, given: LogLine | undefined, countSource: boolean): boolean {
    if (owners.some((o) => o.extractors.length > 0)) this.extract(line, owners);
    if (owners.some((o) => o.report)) this.readReport(line);
    if (owners.some((o) => o.returned)) this.readReturned(line, source, given);
    // Test the patterns on the raw line first: most prefilter hits match nothing, and parsing a line
    // (prefixes, source, access fields, secret masking) costs more than the patterns.
    const { textHits, accessCandidates } = testPatterns(line, owners);
    if (textHits.length === 0 && accessCandidates.length === 0 && !owners.some((o) => o.status)) return false;
    const parsed = parseLogLine(line, source, given?.requestId, given?.timestamp);
    const fired = firedSignals(parsed, textHits, accessCandidates);
    this.record(parsed, fired, countSource, given);
    return fired.length > 0;
  }

  private extract(line: string, owners: readonly Owner[]): void {
    let found = false;
    for (const e of owners.flatMap((o) => o.extractors)) {
      const m = e.pattern.exec(line);
      if (!m) continue;
      e.fills.forEach((field, i) => {
        const value = m[i + 1];
        if (value) this.digest.discovered[field] ??= value;
      });
      found = true;
    }
    if (!found) return;
    // Retire every extractor with nothing left to learn, so that it costs nothing for the rest of the scan.
    this.extractors = this.extractors.filter((e) => e.fills.some((f) => this.digest.discovered[f] === undefined));
    this.prefilter = this.buildPrefilter();
  }

  /**
   * Records what the client saw: its 5xx status, and the response signals its status, headers or body
   * fire, as one piece of evidence.
   */
  scanResponse(response: ClientResponse, signals: readonly ResponseSignal[]): void {
    const d = this.digest;
    if (response.status !== undefined && response.status >= 500 && response.status <= 599) {
      d.statusesBySource.set('response', new Map([[response.status, 1]]));
    }
    const fired = signals.filter((s) => {
      const value = responseField(response, s.field);
      s.pattern.lastIndex = 0;
      return value !== undefined && s.pattern.test(value);
    });
    if (fired.length === 0) return;
    const ids = responseRequestIds(response);
    const group: MessageGroup = { message: redactSecrets(describeResponse(response)), source: 'response', count: 1, requestIds: ids.slice(0, MAX_REQUEST_IDS), signals: new Set() };
    for (const s of fired) {
      d.signalHits.set(s.uid, (d.signalHits.get(s.uid) ?? 0) + 1);
      d.signalSources.set(s.uid, new Set([...(d.signalSources.get(s.uid) ?? []), 'response']));
      group.signals.add(s.uid);
    }
    d.groups.set('response|client', group);
  }

  /**
   * A REPORT line: `REPORT RequestId: … Duration: 6003.52 ms Billed Duration: 6004 ms Memory Size: 128 MB
   * Max Memory Used: 128 MB [Init Duration: … ms] [Status: timeout]`. Keeps the longest duration, the most
   * memory used and the memory size.
   */
  private readReport(line: string): void {
    const num = (re: RegExp): number | undefined => {
      const m = re.exec(line);
      return m ? Number(m[1]) : undefined;
    };
    const duration = num(/\bDuration: (\d+(?:\.\d+)?) ms/);
    const size = num(/Memory Size: (\d+) MB/);
    const used = num(/Max Memory Used: (\d+) MB/);
    const r = this.digest.report;
    if (duration !== undefined) r.durationMaxMs = Math.max(r.durationMaxMs ?? 0, duration);
    if (size !== undefined) r.memorySizeMb = Math.max(r.memorySizeMb ?? 0, size);
    if (used !== undefined) r.maxMemoryUsedMb = Math.max(r.maxMemoryUsedMb ?? 0, used);
  }

  /**
   * A line quoting what the function returned: read against the proxy-response format, and kept as
   * evidence with what is wrong ("`body` is an object") when something is.
   */
  private readReturned(line: string, source: LogSource | undefined, given: LogLine | undefined): void {
    const r = this.digest.returned;
    const value = returnedValueOf(line);
    if (value === undefined) return;
    r.read++;
    // Enough read: the phrase leaves the prefilter so that the rest of an INFO log costs nothing for it.
    if (r.read === MAX_RETURNED) this.prefilter = this.buildPrefilter();
    const problems = shapeProblems(value, this.format.apiType, this.format.payloadFormatVersion);
    const first = problems[0];
    if (!first) return;
    const parsed = parseLogLine(line, source, given?.requestId, given?.timestamp);
    const note = problems.map(describeProblem).join('; ');
    r.problem ??= describeProblem(first);
    const key = `returned|${this.normalise(parsed.message)}`;
    let group = r.groups.get(key);
    if (!group) {
      if (r.groups.size >= MAX_REQUEST_IDS * 3) return;
      group = { message: parsed.message, source: parsed.source ?? 'execution', count: 0, requestIds: [], signals: new Set(), note };
      r.groups.set(key, group);
    }
    group.count += given?.count ?? 1;
    addRequestIds(group, [parsed.requestId, ...(given?.requestIds ?? [])]);
  }

  /** Failing lines repeat the same few messages: remember their keys rather than recompute them. */
  private readonly keys = new Map<string, string>();

  private normalise(message: string): string {
    let key = this.keys.get(message);
    if (key === undefined) {
      if (this.keys.size >= MAX_GROUPS * 4) this.keys.clear();
      key = normaliseMessage(message);
      this.keys.set(message, key);
    }
    return key;
  }

  /**
   * Records a parsed line; `given` is the evidence line it came from, which may stand for many lines;
   * `readAs` says when it matched only as pasted text.
   */
  private record(parsed: ParsedLine, fired: readonly string[], countSource: boolean, given?: LogLine, readAs?: MessageGroup['readAs']): void {
    const d = this.digest;
    const n = given?.count ?? 1;
    if (countSource && parsed.source) d.linesBySource[parsed.source] += n;
    const where = parsed.source ?? 'unknown';
    if (parsed.status !== undefined) {
      d.statuses.set(parsed.status, (d.statuses.get(parsed.status) ?? 0) + n);
      let bySource = d.statusesBySource.get(where);
      if (!bySource) d.statusesBySource.set(where, (bySource = new Map<number, number>()));
      bySource.set(parsed.status, (bySource.get(parsed.status) ?? 0) + n);
    }
    if (fired.length === 0) return;
    for (const uid of fired) {
      d.signalHits.set(uid, (d.signalHits.get(uid) ?? 0) + n);
      let sources = d.signalSources.get(uid);
      if (!sources) d.signalSources.set(uid, (sources = new Set<TextSource | 'unknown'>()));
      sources.add(where);
    }
    const key = `${parsed.source ?? '-'}|${this.normalise(parsed.message)}`;
    let group = d.groups.get(key);
    if (!group) {
      if (d.groups.size >= MAX_GROUPS) return;
      group = { message: parsed.message, count: 0, requestIds: [], signals: new Set() };
      if (parsed.source) group.source = parsed.source;
      if (readAs) group.readAs = readAs;
      d.groups.set(key, group);
    }
    group.count += n;
    for (const uid of fired) group.signals.add(uid);
    addRequestIds(group, [parsed.requestId, ...(given?.requestIds ?? [])]);
    for (const ts of [parsed.timestamp, given?.lastSeen]) {
      if (!ts) continue;
      if (group.firstSeen === undefined || ts < group.firstSeen) group.firstSeen = ts;
      if (group.lastSeen === undefined || ts > group.lastSeen) group.lastSeen = ts;
    }
  }
}

/** The signals a parsed line fires: pattern hits whose source fits, and access signals whose field matches. */
function firedSignals(parsed: ParsedLine, textHits: readonly TextSignal[], accessCandidates: readonly TextSignal[]): string[] {
  const fired: string[] = [];
  for (const s of textHits) if (!s.sources || !parsed.source || s.sources.includes(parsed.source)) fired.push(s.uid);
  for (const s of accessCandidates) if (parsed.access && s.fields?.some((f) => matchField(s, parsed.access?.[f]))) fired.push(s.uid);
  return fired;
}

function matchField(signal: TextSignal, value: string | undefined): boolean {
  if (value === undefined) return false;
  signal.pattern.lastIndex = 0;
  return signal.pattern.test(value);
}

/** Keeps up to {@link MAX_REQUEST_IDS} distinct example request ids on a group. */
function addRequestIds(group: MessageGroup, ids: readonly (string | undefined)[]): void {
  for (const id of ids) if (id && group.requestIds.length < MAX_REQUEST_IDS && !group.requestIds.includes(id)) group.requestIds.push(id);
}

/**
 * Requests per 5xx status the logs show: per status, the most any one log counted (a failing request
 * is in the execution log and the access log alike; summing them would count it twice).
 */
export function requestsByStatus(digest: Pick<LogDigest, 'statusesBySource'>, sources?: ReadonlySet<TextSource | 'unknown'>): Map<number, number> {
  const out = new Map<number, number>();
  for (const [source, counts] of digest.statusesBySource) {
    if (sources && !sources.has(source)) continue;
    for (const [status, n] of counts) out.set(status, Math.max(out.get(status) ?? 0, n));
  }
  return out;
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
  // A small input (a paste saved to a file) is kept whole, so that its unmatched lines can be read as
  // pasted text at the end; a large one is a real log export and streams through.
  let sample: string[] | null = [];
  let sampled = 0;
  let carry = '';
  // A line longer than MAX_LINE is scanned by its first MAX_LINE characters; the rest is skipped.
  let skippingRest = false;
  for await (const chunk of chunks) {
    if (sample) {
      sampled += chunk.length;
      if (sampled > SAMPLE_CHARS) sample = null;
      else sample.push(chunk);
    }
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
  if (sample) scanner.readSampleLoosely(sample.join(''), source);
}

/** The most text a stream may hold for its unmatched lines to be read as pasted text (256 KiB). */
const SAMPLE_CHARS = 1 << 18;

/** The longest line scanned whole (1 MiB of text). */
export const MAX_LINE = 1 << 20;
