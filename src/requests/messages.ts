/**
 * The short things said when a request is queued or joined, in the asker's words: "Investigating
 * 502s on orders-api (prod, last 1h)… I'll post in this channel." User text is escaped for mrkdwn.
 */
import type { Question } from '../queue/contracts';
import { describeSinceMs } from '../render/window-phrase';
import type { SlackMessage } from '../slack/poster';
import { plain } from '../slack/mrkdwn';

/** `502s on orders-api (prod, last 1h)` — what is being investigated, in the asker's words. */
export function describeQuestion(q: Question, now: Date, timeZone?: string): string {
  const status = q.status === '5xx' ? '5xx errors' : `${q.status}s`;
  const where = [q.stage, q.account !== undefined ? `account ${q.account}` : undefined, q.region, describeSinceMs(q.sinceMs, { now, ...(timeZone !== undefined ? { timeZone } : {}) })].filter((p): p is string => p !== undefined);
  return `${status} on ${plain(q.api)} (${plain(where.join(', '))})`;
}

/** A message of one line of mrkdwn (its fallback text the same). */
export function plainMessage(text: string): SlackMessage {
  return { text };
}
