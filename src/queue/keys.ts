/**
 * The Redis keys the bot keeps beside BullMQ's, all under the queue prefix (one hash slot on Redis
 * Cluster when the prefix is `{hash-tagged}`). BullMQ's own keys are `<prefix>:investigations:…`.
 */

/** A Slack event already accepted (its retries are dropped). */
export const eventKey = (prefix: string, eventId: string): string => `${prefix}:evt:${eventId}`;

/** A message already accepted: one @mention arrives both as `app_mention` and as `message`. */
export const messageKey = (prefix: string, channelId: string, ts: string): string => `${prefix}:msg:${channelId}:${ts}`;

/** The investigation a question is joining: `pending:<jobId>` while it is being enqueued, then `<jobId>`. */
export const questionHolderKey = (prefix: string, questionKey: string): string => `${prefix}:question:${questionKey}`;

/** Per-job state the worker keeps so that a retried job continues instead of repeating itself. */
export interface JobKeys {
  /** The list of askers (JSON `Asker`s): the first, then everyone who joined. */
  askers: string;
  /** The visible progress message: JSON `{channel, ts, threadTs}`. */
  root: string;
  /** `posting` while the final reply is being posted, then its ts: a retry never posts it twice. */
  final: string;
  /** The rendered answer (JSON), for a retry that only has joiners left to tell. */
  answer: string;
  /** The set of threads already told (joiners), so that a retry tells each once. */
  told: string;
}

export function jobKeys(prefix: string, jobId: string): JobKeys {
  const base = `${prefix}:job:${jobId}`;
  return { askers: `${base}:askers`, root: `${base}:root`, final: `${base}:final`, answer: `${base}:answer`, told: `${base}:told` };
}

/** How long per-job state is kept: longer than any job's attempts and their backoff. */
export const JOB_STATE_TTL_S = 24 * 3_600;
