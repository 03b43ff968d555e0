/**
 * The diagnosis engine: evidence in, ranked findings out. Each cause's fired signals combine by
 * noisy-OR into a confidence; the status asked about guides the ranking, but what the evidence shows
 * wins (asked "why 500" while the logs show malformed proxy responses, the answer says these are 502s).
 */
import type { FactLookup } from './conditions';
import { evaluateCondition, factsOf } from './conditions';
import type { Evidence, LogSource, Skipped } from './evidence';
import type { FactName, FactValue } from './facts';
import { isMetricName } from './facts';
import type { RenderedFix } from './fixes';
import { fillText, renderFixes } from './fixes';
import type { Cause, KnowledgeBase, Signal, TextSignal } from './knowledge/cause';
import type { LogDigest, MessageGroup } from './log-scanner';
import { LogScanner, requestsByStatus } from './log-scanner';
import type { Missing } from './missing';
import { findMissing } from './missing';
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
  source: LogSource | 'log' | 'config' | 'metrics';
  firstSeen?: string;
  lastSeen?: string;
  /** Who else the evidence may belong to ("stage dev"), when it comes from something the stage shares. */
  sharedWith?: string[];
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
export function scanEvidence(kb: KnowledgeBase, evidence: Evidence, scanner = new LogScanner(kb)): LogDigest {
  for (const line of evidence.logLines) scanner.scanLogLine(line);
  for (const message of evidence.integrationErrorMessages) scanner.scanIntegrationErrorMessage(message);
  return scanner.digest;
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
  const lookup = factLookup(evidence, digest);
  const byStatus = requestsByStatus(digest);
  const statuses = byStatus.size > 0 ? { statuses: Object.fromEntries([...byStatus].sort((a, b) => b[1] - a[1]).map(([k, v]) => [String(k), v])) } : {};
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
  const ctx: TemplateContext = { apiType: evidence.apiType, target, config: evidence.config, metrics: evidence.metrics };
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

/** The logs that are this stage's own: every log but those it shares with other stages. */
function ownLogs(evidence: Evidence): Set<LogSource | 'unknown'> {
  const shared = new Set<string>(evidence.shared?.logs ?? []);
  return new Set<LogSource | 'unknown'>(['execution', 'access', 'lambda', 'unknown'].filter((s): s is LogSource | 'unknown' => !shared.has(s)));
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

function factLookup(evidence: Evidence, digest: LogDigest): FactLookup {
  const derived: Partial<Record<FactName, FactValue>> = {
    apiType: evidence.apiType,
    logLines: digest.lines,
    executionLogLines: digest.linesBySource.execution,
    accessLogLines: digest.linesBySource.access,
    lambdaLogLines: digest.linesBySource.lambda,
  };
  if (typeof evidence.status === 'number') derived.status = evidence.status;
  // The integration URI, when known, says whether a stage variable picks the function.
  if (evidence.config.stageVariableInUri === undefined && typeof evidence.config.integrationUri === 'string') {
    derived.stageVariableInUri = evidence.config.integrationUri.includes('${stageVariables.');
  }
  if (evidence.integrationType) derived.integrationType = evidence.integrationType;
  return (name) => derived[name] ?? (evidence.config as Record<string, FactValue | undefined>)[name] ?? (evidence.metrics as Record<string, FactValue | undefined>)[name];
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
  const groups = [...digest.groups.values()].filter((g) => [...g.signals].some((u) => uids.has(u))).sort((a, b) => b.count - a.count);
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
    case 'metric': {
      const tested = factsOf(signal.when).filter(isMetricName);
      return tested.length > 0 && tested.every((m) => shared.metrics.includes(m));
    }
    case 'fact':
      return false;
  }
}

/** 1 when the cause produces the status asked about or the status the evidence shows; less otherwise. */
function fitToStatus(cause: Cause, evidence: Evidence, fired: readonly Signal[], explicitStatus: number | undefined): number {
  if (evidence.status === '5xx') return 1;
  const produces = cause.statuses[evidence.apiType] ?? [];
  if (produces.includes(evidence.status)) return 1;
  const textSignals = fired.filter((s): s is TextSignal => s.kind === 'log' || s.kind === 'access');
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
    ...(shared && g.source && shared.logs.includes(g.source) ? { sharedWith: [...shared.with] } : {}),
  }));
  const listed = new Set(s.groups.slice(0, MAX_EVIDENCE));
  const unlisted = s.groups.filter((g) => !listed.has(g)).reduce((n, g) => n + g.count, 0);
  const overflow = s.fired.reduce((n, sig) => n + (digest.signalHits.get(sig.uid) ?? 0), 0) - s.groups.reduce((n, g) => n + g.count, 0);
  if (unlisted + Math.max(0, overflow) > 0) {
    evidence.push({ message: `…and ${unlisted + Math.max(0, overflow)} more matching lines`, count: unlisted + Math.max(0, overflow), requestIds: [], source: 'log' });
  }
  for (const sig of s.fired) {
    if (sig.kind === 'fact' || sig.kind === 'metric') {
      const sharedMetric = shared && sig.kind === 'metric' && factsOf(sig.when).filter(isMetricName).every((m) => shared.metrics.includes(m));
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
    fixes: renderFixes(s.cause.fixes, ctx, lookup),
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
