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
  question: Question;
  /** The asker who started it; others who join are kept in Redis (see `joinInvestigation`). */
  asker: Asker;
  /** ISO time the question was asked; the window ends here. */
  askedAt: string;
  source: 'command' | 'mention';
}

/**
 * The key of a question asked in a channel: the same question in the same channel gets the same key,
 * whatever its spelling of the API's case. A question is joined, not repeated, while its key is held in
 * Redis (`DEDUPE_WINDOW_S`); the key is hex, so it is safe in a BullMQ job id (no `:`, not an integer).
 */
export function questionKey(question: Question, channelId: string, hash: (text: string) => string): string {
  return hash(JSON.stringify([channelId, String(question.status), question.api.toLowerCase(), question.stage ?? '', question.sinceMs, question.account ?? '', question.region ?? '']));
}
