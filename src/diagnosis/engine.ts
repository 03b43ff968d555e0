/**
 * The diagnosis engine: evidence in, ranked findings out. Each cause's fired signals combine by
 * noisy-OR into a confidence; the status asked about guides the ranking, but what the evidence shows
 * wins (asked "why 500" while the logs show malformed proxy responses, the answer says these are 502s).
 */
import type { FactLookup } from './conditions';
import { evaluateCondition, factsOf } from './conditions';
import type { Evidence, Skipped, TextSource } from './evidence';
import type { FactName, FactValue } from './facts';
import { isMetricName } from './facts';
import type { RenderedFix } from './fixes';
import { fillText, renderFixes } from './fixes';
import type { Cause, FactSignal, KnowledgeBase, ResponseSignal, Signal, TextSignal } from './knowledge/cause';
import type { LogDigest, MessageGroup } from './log-scanner';
import { LogScanner, requestsByStatus } from './log-scanner';
import type { Missing } from './missing';
import { findMissing } from './missing';
import type { ReadAs } from './loose-match';
import type { TemplateContext } from './placeholders';

/** The verdict is "diagnosed" only when the first finding names a root cause with at least this confidence. */
export const CONFIDENT = 0.6;
/** Findings below this confidence are not listed. */
export const LISTED = 0.1;
/** A cause whose statuses contradict both the question and the evidence keeps this share of its confidence. */
const STATUS_MISMATCH = 0.6;
/**
 * Among causes seen in the logs, one that explains far fewer lines than the busiest keeps at least this
 * share of its confidence (rising linearly to all of it): the dominant failure comes first.
 */
const MINORITY_FLOOR = 0.7;
/** Message groups shown per finding. */
const MAX_EVIDENCE = 5;
/**
 * A cause only evidence the stage shares with other busy stages points at (the log of a function they
 * all invoke) keeps at most this confidence: below {@link CONFIDENT}, so it is listed, never decided on.
 */
export const SHARED_CAP = 0.5;

export interface EvidenceItem {
  message: string;
  count: number;
  requestIds: string[];
  source: TextSource | 'log' | 'config' | 'metrics';
  firstSeen?: string;
  lastSeen?: string;
  /** Who else the evidence may belong to ("stage dev"), when it comes from something the stage shares. */
  sharedWith?: string[];
  /** Set when the lines matched only as pasted text (see loose-match.ts). */
  readAs?: ReadAs;
  /** What is wrong in the value the line quotes: "`body` is an object; it must be a string". */
  note?: string;
}

export interface Finding {
  causeId: string;
  title: string;
  kind: Cause['kind'];
  confidence: number;
  explanation: string;
  evidence: EvidenceItem[];
  fixes: RenderedFix[];
  docs: { title: string; url: string }[];
  /** Set when only evidence the stage shares with others points at the cause: who else it may belong to. */
  sharedWith?: string[];
}

export interface Diagnosis {
  verdict: 'diagnosed' | 'insufficient-evidence';
  statusSeen?: number;
  /** Requests per 5xx status the logs show (e.g. {"502": 1198}), when they show any. */
  statuses?: Record<string, number>;
  /**
   * The stage had no 5xx in the window (the metrics counted none) and its own logs show no failure:
   * there is nothing to explain, so no cause and no advice is given.
   */
  quiet?: true;
  findings: Finding[];
  missing: Missing[];
  skipped: Skipped[];
}

/** Scans the evidence's own log lines and integration error messages. */
export function scanEvidence(kb: KnowledgeBase, evidence: Evidence, scanner = scannerFor(kb, evidence)): LogDigest {
  scanner.scanEvidenceLines(evidence.logLines);
  for (const message of evidence.integrationErrorMessages) scanner.scanIntegrationErrorMessage(message);
  scanResponse(kb, evidence, scanner);
  return scanner.digest;
}

/** A scanner that reads returned values against the evidence's API type and payload format. */
export function scannerFor(kb: KnowledgeBase, evidence: Pick<Evidence, 'apiType' | 'config'>): LogScanner {
  const version = evidence.config.payloadFormatVersion;
  return new LogScanner(kb, { apiType: evidence.apiType, ...(typeof version === 'string' ? { payloadFormatVersion: version } : {}) });
}

/** Adds what the client saw to a scan (once; a scan of streamed logs gets it here too). */
export function scanResponse(kb: KnowledgeBase, evidence: Evidence, scanner: LogScanner): void {
  if (!evidence.response) return;
  scanner.scanResponse(
    evidence.response,
    kb.causes.flatMap((c) => c.signals.filter((s): s is ResponseSignal => s.kind === 'response')),
  );
}

interface Scored {
  cause: Cause;
  confidence: number;
  fired: Signal[];
  groups: MessageGroup[];
  statusFit: number;
  hits: number;
  /** Only evidence shared with other stages fired (see {@link SHARED_CAP}). */
  sharedOnly: boolean;
}

/**
 * Diagnoses evidence. `digest` is the scan of its logs; pass one when the logs were streamed
 * separately (a 1 GB file), otherwise the evidence's own lines are scanned.
 */
export function diagnose(kb: KnowledgeBase, evidence: Evidence, digest: LogDigest = scanEvidence(kb, evidence)): Diagnosis {
  const facts = withReportFacts(evidence, digest);
  const derived = derivedFacts(evidence, digest);
  const lookup: FactLookup = (name) => derived[name] ?? (facts.config as Record<string, FactValue | undefined>)[name] ?? (facts.metrics as Record<string, FactValue | undefined>)[name];
  const byStatus = requestsByStatus(digest);
  // Counted requests come from the logs; the one response the client pasted says only which status it got.
  const logged = requestsByStatus(digest, new Set(['execution', 'access', 'lambda', 'unknown'] as const));
  const statuses = logged.size > 0 ? { statuses: Object.fromEntries([...logged].sort((a, b) => b[1] - a[1]).map(([k, v]) => [String(k), v])) } : {};
  if (isQuietStage(evidence, digest)) return { verdict: 'insufficient-evidence', findings: [], missing: [], skipped: evidence.skipped, quiet: true, ...statuses };
  const explicitStatus = mostCommon(byStatus);
  const candidates = kb.causes.map((cause) => scoreCause(cause, evidence, digest, lookup, explicitStatus)).filter((s): s is Scored => s !== null);
  const busiest = Math.max(0, ...candidates.map((c) => c.hits));
  const scored = candidates
    .map((c) => {
      const share = c.hits > 0 ? MINORITY_FLOOR + (1 - MINORITY_FLOOR) * (c.hits / busiest) : 1;
      const confidence = c.confidence * share;
      return { ...c, confidence: round(c.sharedOnly ? Math.min(confidence, SHARED_CAP) : confidence) };
    })
    .filter((s) => s.confidence >= LISTED)
    .sort((a, b) => b.confidence - a.confidence || b.statusFit - a.statusFit || b.hits - a.hits || a.cause.id.localeCompare(b.cause.id));

  // What the evidence states wins over what the logs revealed.
  const target = { ...digest.discovered, ...evidence.target };
  const ctx: TemplateContext = { apiType: evidence.apiType, target, ...facts, derived };
  const findings = scored.map((s) => toFinding(s, ctx, digest, evidence.shared, lookup));
  const top = scored[0];
  const statusSeen = explicitStatus ?? (top ? impliedStatus(top, evidence) : undefined);
  const verdict = top?.cause.kind === 'root-cause' && top.confidence >= CONFIDENT ? 'diagnosed' : 'insufficient-evidence';
  return {
    verdict,
    ...(statusSeen !== undefined ? { statusSeen } : {}),
    findings,
    missing: findMissing(evidence, digest, scored.slice(0, 3).map((s) => s.cause), ctx),
    skipped: evidence.skipped,
    ...statuses,
  };
}

/** The evidence that is this stage's own: every log but those it shares with other stages, and what the client saw. */
function ownLogs(evidence: Evidence): Set<TextSource | 'unknown'> {
  const shared = new Set<string>(evidence.shared?.logs ?? []);
  return new Set<TextSource | 'unknown'>((['execution', 'access', 'lambda', 'unknown', 'response'] as const).filter((s) => !shared.has(s)));
}

/**
 * No 5xx counted on the stage, and nothing in its own execution or access logs (or lines of unknown
 * origin) reports one or matches a cause. A function's log is not the stage's own even when nothing
 * else uses it: a function fails for other callers too, and the stage's metric says whether it did here.
 */
function isQuietStage(evidence: Evidence, digest: LogDigest): boolean {
  if (evidence.metrics.count5xx !== 0) return false;
  const own = ownLogs(evidence);
  own.delete('lambda');
  if ([...requestsByStatus(digest, own).values()].some((n) => n > 0)) return false;
  if (evidence.integrationErrorMessages.length > 0) return false;
  return ![...digest.signalSources.values()].some((sources) => [...sources].some((s) => own.has(s)));
}

/** The facts the engine derives from the evidence itself (DERIVED_FACTS), for conditions and templates. */
function derivedFacts(evidence: Evidence, digest: LogDigest): Partial<Record<FactName, FactValue>> {
  const derived: Partial<Record<FactName, FactValue>> = {
    apiType: evidence.apiType,
    logLines: digest.lines,
    executionLogLines: digest.linesBySource.execution,
    accessLogLines: digest.linesBySource.access,
    lambdaLogLines: digest.linesBySource.lambda,
    ...(digest.returned.problem !== undefined ? { proxyResponseProblem: digest.returned.problem } : {}),
  };
  if (typeof evidence.status === 'number') derived.status = evidence.status;
  // The integration URI, when known, says whether a stage variable picks the function.
  if (evidence.config.stageVariableInUri === undefined && typeof evidence.config.integrationUri === 'string') {
    derived.stageVariableInUri = evidence.config.integrationUri.includes('${stageVariables.');
  }
  if (evidence.integrationType) derived.integrationType = evidence.integrationType;
  return derived;
}

/** The evidence's facts, with what the REPORT lines in its logs say where it does not say it itself. */
function withReportFacts(evidence: Evidence, digest: LogDigest): { config: Evidence['config']; metrics: Evidence['metrics'] } {
  const r = digest.report;
  return {
    config: { ...(r.memorySizeMb !== undefined ? { lambdaMemorySizeMb: r.memorySizeMb } : {}), ...evidence.config },
    metrics: {
      ...(r.durationMaxMs !== undefined ? { lambdaDurationMaxMs: r.durationMaxMs } : {}),
      ...(r.maxMemoryUsedMb !== undefined ? { lambdaMaxMemoryUsedMb: r.maxMemoryUsedMb } : {}),
      ...evidence.metrics,
    },
  };
}

function scoreCause(cause: Cause, evidence: Evidence, digest: LogDigest, lookup: FactLookup, explicitStatus: number | undefined): Scored | null {
  if (!cause.apiTypes.includes(evidence.apiType)) return null;
  const integrationType = lookup('integrationType');
  if (cause.integrationTypes && typeof integrationType === 'string' && !cause.integrationTypes.some((t) => t === integrationType.toUpperCase())) return null;
  if (cause.excludes?.some((c) => evaluateCondition(c, lookup) === true)) return null;

  const fired: Signal[] = [];
  for (const s of cause.signals) {
    if (s.apiTypes && !s.apiTypes.includes(evidence.apiType)) continue;
    if (s.requires && evaluateCondition(s.requires, lookup) !== true) continue;
    if (s.excludes?.some((c) => evaluateCondition(c, lookup) === true)) continue;
    if (s.unlessSeen?.some((uid) => (digest.signalHits.get(uid) ?? 0) > 0)) continue;
    const on = s.kind === 'fact' || s.kind === 'metric' ? evaluateCondition(s.when, lookup) === true : (digest.signalHits.get(s.uid) ?? 0) > 0;
    if (on) fired.push(s);
  }
  // Corroborating signals (a recent deployment) add weight only to a cause something else points at.
  const deciding = fired.filter((s) => !s.corroborates);
  if (deciding.length === 0) return null;

  const uids = new Set(fired.map((s) => s.uid));
  // A cause that reads the returned value brings the lines that quote it, with what is wrong in them.
  const aboutReturned = cause.signals.some((s) => (s.kind === 'fact' || s.kind === 'metric') && factsOf(s.when).includes('proxyResponseProblem'));
  const returned = aboutReturned ? [...digest.returned.groups.values()] : [];
  const quoted = new Set(returned.map((g) => g.message));
  const matched = [...digest.groups.values()].filter((g) => !quoted.has(g.message) && [...g.signals].some((u) => uids.has(u))).sort((a, b) => b.count - a.count);
  // The busiest line first, then what the function returned (with what is wrong in it), then the rest.
  const groups = [...matched.slice(0, 1), ...returned, ...matched.slice(1)];
  // Lines of one failure often fire several signals (the error line and the body before it): count the busiest.
  const hits = Math.max(0, ...fired.map((s) => digest.signalHits.get(s.uid) ?? 0));
  const combined = 1 - fired.reduce((p, s) => p * (1 - s.weight), 1);
  const statusFit = fitToStatus(cause, evidence, fired, explicitStatus);
  const sharedOnly = evidence.shared !== undefined && deciding.every((s) => isShared(s, evidence, digest));
  return { cause, confidence: combined * statusFit, fired, groups, statusFit, hits, sharedOnly };
}

/** True when a signal fired only on evidence the stage shares with other stages. */
function isShared(signal: Signal, evidence: Evidence, digest: LogDigest): boolean {
  const shared = evidence.shared;
  if (!shared) return false;
  switch (signal.kind) {
    case 'log':
    case 'access': {
      const own = ownLogs(evidence);
      return ![...(digest.signalSources.get(signal.uid) ?? [])].some((s) => own.has(s));
    }
    case 'response':
      return false;
    case 'metric':
      return testsSharedMetrics(signal, shared);
    case 'fact':
      return false;
  }
}

/** A metric signal whose every metric may count other stages' calls. */
function testsSharedMetrics(signal: FactSignal, shared: NonNullable<Evidence['shared']>): boolean {
  const tested = factsOf(signal.when).filter(isMetricName);
  return tested.length > 0 && tested.every((m) => shared.metrics.includes(m));
}

/** 1 when the cause produces the status asked about or the status the evidence shows; less otherwise. */
function fitToStatus(cause: Cause, evidence: Evidence, fired: readonly Signal[], explicitStatus: number | undefined): number {
  if (evidence.status === '5xx') return 1;
  const produces = cause.statuses[evidence.apiType] ?? [];
  if (produces.includes(evidence.status)) return 1;
  const textSignals = fired.filter((s): s is TextSignal | ResponseSignal => s.kind === 'log' || s.kind === 'access' || s.kind === 'response');
  if (textSignals.length === 0) return STATUS_MISMATCH;
  // The logs name this cause: evidence wins over the question when the statuses they show are this cause's.
  if (explicitStatus !== undefined) return produces.includes(explicitStatus) ? 1 : STATUS_MISMATCH;
  return 1;
}

/** The status the top finding's own log evidence implies, when the logs carry no explicit status. */
function impliedStatus(top: Scored, evidence: Evidence): number | undefined {
  const fromSignals = top.fired.map((s) => (s.kind === 'log' || s.kind === 'access' ? s.status : undefined)).find((s) => s !== undefined);
  if (fromSignals !== undefined) return fromSignals;
  if (top.groups.length === 0) return undefined;
  const produces = top.cause.statuses[evidence.apiType] ?? [];
  return produces.length === 1 ? produces[0] : undefined;
}

function toFinding(s: Scored, ctx: TemplateContext, digest: LogDigest, shared: Evidence['shared'], lookup: FactLookup): Finding {
  const evidence: EvidenceItem[] = s.groups.slice(0, MAX_EVIDENCE).map((g) => ({
    message: g.message,
    count: g.count,
    requestIds: [...g.requestIds],
    source: g.source ?? 'log',
    ...(g.firstSeen ? { firstSeen: g.firstSeen } : {}),
    ...(g.lastSeen ? { lastSeen: g.lastSeen } : {}),
    ...(g.readAs ? { readAs: g.readAs } : {}),
    ...(g.note ? { note: g.note } : {}),
    ...(shared && g.source && g.source !== 'response' && shared.logs.includes(g.source) ? { sharedWith: [...shared.with] } : {}),
  }));
  const listed = new Set(s.groups.slice(0, MAX_EVIDENCE));
  const unlisted = s.groups.filter((g) => !listed.has(g)).reduce((n, g) => n + g.count, 0);
  const overflow = s.fired.reduce((n, sig) => n + (digest.signalHits.get(sig.uid) ?? 0), 0) - s.groups.reduce((n, g) => n + g.count, 0);
  if (unlisted + Math.max(0, overflow) > 0) {
    evidence.push({ message: `…and ${unlisted + Math.max(0, overflow)} more matching lines`, count: unlisted + Math.max(0, overflow), requestIds: [], source: 'log' });
  }
  const noted = s.groups.slice(0, MAX_EVIDENCE).some((g) => g.note !== undefined);
  for (const sig of s.fired) {
    // The returned value's line already says what is wrong in it.
    if (noted && sig.kind === 'fact' && factsOf(sig.when).includes('proxyResponseProblem')) continue;
    if (sig.kind === 'fact' || sig.kind === 'metric') {
      const sharedMetric = shared && sig.kind === 'metric' && testsSharedMetrics(sig, shared);
      evidence.push({ message: fillText(sig.says, ctx), count: 1, requestIds: [], source: sig.kind === 'fact' ? 'config' : 'metrics', ...(sharedMetric ? { sharedWith: [...shared.with] } : {}) });
    }
  }
  return {
    causeId: s.cause.id,
    title: s.cause.title,
    kind: s.cause.kind,
    confidence: s.confidence,
    explanation: fillText(s.cause.explanation, ctx),
    evidence,
    fixes: renderFixes(s.cause.fixes, ctx, lookup, new Set(s.fired.map((f) => f.id))),
    docs: s.cause.docs.map((d) => ({ ...d })),
    ...(s.sharedOnly && shared ? { sharedWith: [...shared.with] } : {}),
  };
}

function mostCommon(counts: ReadonlyMap<number, number>): number | undefined {
  let best: number | undefined;
  let bestCount = 0;
  for (const [status, n] of counts) {
    if (n > bestCount) {
      best = status;
      bestCount = n;
    }
  }
  return best;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
