/**
 * The job contracts between the web process (which validates and enqueues) and the worker (which
 * investigates and posts). Everything in a job is plain JSON; nothing in it is a secret.
 */

/** The BullMQ queue investigations go through. */
export const INVESTIGATIONS_QUEUE = 'investigations';

/** What was asked, normalised: two askers asking this within the dedupe window share one investigation. */
export interface Question {
  /** 500–599, or '5xx'. */
  status: number | '5xx';
  /** As typed (an id, a name, an invoke URL or a custom domain); resolved by the worker. */
  api: string;
  stage?: string;
  /** The window, ending when the job is created: 15 min to 7 days. */
  sinceMs: number;
  account?: string;
  region?: string;
}

/** Where one asker asked, and so where their answer goes. */
export interface Asker {
  userId: string;
  teamId: string;
  channelId: string;
  /** The thread to answer in: the mention's thread, or (slash commands) none, so the worker starts one. */
  threadTs?: string;
  /** A slash command's response_url: how to tell the asker what went wrong when the bot cannot post. */
  responseUrl?: string;
  /** The asker's message (a mention), to answer in its thread. */
  messageTs?: string;
}

export interface InvestigateJob {
  /** Absent on jobs queued before job kinds existed: they are investigations. */
  kind?: 'investigate';
  question: Question;
  /** The asker who started it; others who join are kept in Redis (see `joinInvestigation`). */
  asker: Asker;
  /** ISO time the question was asked; the window ends here. */
  askedAt: string;
  /** Where it was asked: a slash command, a mention, a follow-up in a thread (`widen 24h`), or a button. */
  source: 'command' | 'mention' | 'follow-up' | 'button';
  /**
   * A follow-up's or a button's investigation: the root message of the thread it answers in, which is
   * edited into the newest verdict instead of a new root being posted.
   */
  root?: { channel: string; ts: string; threadTs: string };
}

/** What a follow-up in an answered thread asks for (DESIGN.md §1). */
export type FollowUp =
  /** All the evidence, with counts, request ids and where each came from. */
  | { intent: 'evidence' }
  /** Finding N (1-based) in full, with the knowledge base's docs. */
  | { intent: 'explain'; finding: number }
  /** Only the fix commands, ready to paste. */
  | { intent: 'fixes' }
  /** One request's lines across the execution, access and Lambda logs. */
  | { intent: 'request'; requestId: string }
  /** The 5xx rate since the answer (or since `sinceMs` before asking) against the same length of time before. */
  | { intent: 'verify'; sinceMs?: number }
  /** Log lines or an error response pasted in the thread, diagnosed with the thread's evidence. */
  | { intent: 'paste'; text: string };

/** A follow-up answered in its thread from the thread's stored investigation (and, for some, AWS). */
export interface FollowUpJob {
  kind: 'follow-up';
  followUp: FollowUp;
  /** Who asked, and where: `threadTs` is the answered thread. */
  asker: Asker & { threadTs: string };
  askedAt: string;
  source: 'follow-up' | 'button';
}

/** `check <api> [stage]`: the telemetry doctor, answered in the channel (or the thread it was asked in). */
export interface CheckJob {
  kind: 'check';
  api: string;
  stage?: string;
  account?: string;
  region?: string;
  asker: Asker;
  askedAt: string;
}

/** `apis [window]`: the API stages ranked by 5xx, with an Investigate button per row. */
export interface ApisJob {
  kind: 'apis';
  sinceMs: number;
  account?: string;
  region?: string;
  asker: Asker;
  askedAt: string;
}

/**
 * A 5xx digest: the scheduled one (`scheduled`: its channel and period come from the digest settings and
 * the time it was due), or one asked for with `/apigw digest now` (answered where it was asked).
 */
export interface DigestJob {
  kind: 'digest';
  scheduled?: boolean;
  asker?: Asker;
  askedAt?: string;
  /** The period, ending when the digest is due or asked for. Default 24 h. */
  sinceMs?: number;
}

/** Every job the worker runs, tagged by `kind` (the BullMQ job name is the same word). */
export type JobData = InvestigateJob | FollowUpJob | CheckJob | ApisJob | DigestJob;
export type JobKind = NonNullable<JobData['kind']>;

/** A job's kind; an investigation queued before kinds existed has none. */
export function kindOf(job: JobData): JobKind {
  return job.kind ?? 'investigate';
}

/**
 * The key of a question asked in a channel: the same question in the same channel gets the same key,
 * whatever its spelling of the API's case. A question is joined, not repeated, while its key is held in
 * Redis (`DEDUPE_WINDOW_S`); the key is hex, so it is safe in a BullMQ job id (no `:`, not an integer).
 */
export function questionKey(question: Question, channelId: string, hash: (text: string) => string): string {
  return hash(JSON.stringify([channelId, String(question.status), question.api.toLowerCase(), question.stage ?? '', question.sinceMs, question.account ?? '', question.region ?? '']));
}

export function isInvestigateJob(job: JobData): job is InvestigateJob {
  return job.kind === undefined || job.kind === 'investigate';
}
