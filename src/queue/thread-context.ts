/**
 * What an answered thread was about, kept in Redis for its follow-ups (`evidence`, `explain 2`,
 * `widen 24h`, `verify`…): they arrive later as messages in the thread and need the target, the
 * window and the findings without investigating again.
 */
import type { Redis } from 'ioredis';
import type { Checked, Investigation } from '../collect/investigate';
import type { Diagnosis } from '../diagnosis/engine';
import type { ApiType, Metrics, Skipped, Target } from '../diagnosis/evidence';
import type { Question } from './contracts';

/** A thread: the channel and the ts of its first message. */
export interface ThreadRef {
  channelId: string;
  threadTs: string;
}

/** Evidence items kept per finding, and their longest message. */
const MAX_ITEMS = 3;
const MAX_MESSAGE = 300;

export interface ThreadFinding {
  causeId: string;
  title: string;
  confidence: number;
  /** The finding's top evidence: message groups with their counts and a few request ids. */
  evidence: { message: string; count: number; requestIds: string[] }[];
}

export interface ThreadContext {
  /** The job that answered in this thread. */
  jobId: string;
  /** The root message (progress, then verdict) that a rerun edits; the thread's first message for a slash command. Absent in contexts saved before reruns existed. */
  rootTs?: string;
  question: Question;
  target: Target;
  apiType: ApiType;
  window: { from: string; to: string };
  verdict: Diagnosis['verdict'];
  statusSeen?: number;
  findings: ThreadFinding[];
  /** What was read (✓/✗ per source), what could not be, and the window's metrics. */
  evidence: { checked: Checked[]; skipped: Skipped[]; metrics: Metrics };
  /** ISO time the answer was given. */
  answeredAt: string;
}

/** Seven days: follow-ups come the same week, or the question is asked again. */
export const THREAD_CONTEXT_TTL_S = 7 * 24 * 3_600;

export const threadContextKey = (prefix: string, ref: ThreadRef): string => `${prefix}:thread:${ref.channelId}:${ref.threadTs}`;

/** The context of a thread answered by an investigation. */
export function threadContextOf(jobId: string, question: Question, investigation: Investigation, diagnosis: Diagnosis, answeredAt: Date, rootTs?: string): ThreadContext {
  return {
    jobId,
    ...(rootTs !== undefined ? { rootTs } : {}),
    question,
    target: investigation.target,
    apiType: investigation.apiType,
    window: investigation.window,
    verdict: diagnosis.verdict,
    ...(diagnosis.statusSeen !== undefined ? { statusSeen: diagnosis.statusSeen } : {}),
    findings: diagnosis.findings.map((f) => ({
      causeId: f.causeId,
      title: f.title,
      confidence: f.confidence,
      evidence: f.evidence.slice(0, MAX_ITEMS).map((e) => ({ message: clip(e.message), count: e.count, requestIds: e.requestIds.slice(0, 3) })),
    })),
    evidence: { checked: investigation.checked, skipped: diagnosis.skipped, metrics: investigation.evidence.metrics },
    answeredAt: answeredAt.toISOString(),
  };
}

export async function saveThreadContext(redis: Redis, prefix: string, ref: ThreadRef, context: ThreadContext, ttlS = THREAD_CONTEXT_TTL_S): Promise<void> {
  await redis.set(threadContextKey(prefix, ref), JSON.stringify(context), 'EX', ttlS);
}

/** The thread's context, or undefined when it has none (never answered here, or expired). */
export async function loadThreadContext(redis: Redis, prefix: string, ref: ThreadRef): Promise<ThreadContext | undefined> {
  const raw = await redis.get(threadContextKey(prefix, ref));
  if (raw === null) return undefined;
  try {
    const parsed = JSON.parse(raw) as unknown;
    return isThreadContext(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function isThreadContext(value: unknown): value is ThreadContext {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<Record<keyof ThreadContext, unknown>>;
  return typeof v.jobId === 'string' && typeof v.question === 'object' && typeof v.target === 'object' && Array.isArray(v.findings) && typeof v.window === 'object';
}

function clip(text: string): string {
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 1)}…` : text;
}

/** Log lines kept of a thread's investigation, and their longest message: enough to diagnose again, bounded in Redis. */
const KEPT_LOG_LINES = 2_000;
const KEPT_LINE_CHARS = 4_000;

export const threadInvestigationKey = (prefix: string, ref: ThreadRef): string => `${threadContextKey(prefix, ref)}:investigation`;

/**
 * The thread's whole investigation (evidence included), for the follow-ups that diagnose again
 * (`evidence`, `explain`, `fixes`, pasted text) or read AWS for its target (`request`, `verify`).
 */
export async function saveThreadInvestigation(redis: Redis, prefix: string, ref: ThreadRef, investigation: Investigation, ttlS = THREAD_CONTEXT_TTL_S): Promise<void> {
  const evidence = investigation.evidence;
  const kept: Investigation = {
    ...investigation,
    evidence: { ...evidence, logLines: evidence.logLines.slice(0, KEPT_LOG_LINES).map((l) => (l.message.length > KEPT_LINE_CHARS ? { ...l, message: l.message.slice(0, KEPT_LINE_CHARS) } : l)) },
  };
  await redis.set(threadInvestigationKey(prefix, ref), JSON.stringify(kept), 'EX', ttlS);
}

/** The thread's stored investigation, or undefined (none, expired, or unreadable). */
export async function loadThreadInvestigation(redis: Redis, prefix: string, ref: ThreadRef): Promise<Investigation | undefined> {
  const raw = await redis.get(threadInvestigationKey(prefix, ref));
  if (raw === null) return undefined;
  try {
    const parsed = JSON.parse(raw) as Partial<Investigation> | null;
    return parsed && typeof parsed.evidence === 'object' && typeof parsed.window === 'object' && Array.isArray(parsed.checked) ? (parsed as Investigation) : undefined;
  } catch {
    return undefined;
  }
}
