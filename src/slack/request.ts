/**
 * What a user asked the bot, parsed from a slash command's text, an @mention's free text, a message in
 * an answered thread, or a button. Pure: the request registry (src/requests) reads and plans them.
 */
import type { StatusQuery } from '../diagnosis/evidence';
import type { FollowUp, Question } from '../queue/contracts';

export type BotRequest =
  | { kind: 'why'; question: Question }
  | { kind: 'check'; api: string; stage?: string; account?: string; region?: string }
  | { kind: 'apis'; sinceMs: number; account?: string; region?: string }
  | { kind: 'stats'; days: number }
  /** `digest` (show the settings), `digest now [window]`, `digest here|off|on|weekdays|daily|at 08:30 [zone]`. */
  | { kind: 'digest'; action: 'show' } | { kind: 'digest'; action: 'now'; sinceMs?: number } | { kind: 'digest'; action: 'change'; change: DigestSettingChange }
  | { kind: 'help'; topic?: string }
  /** A follow-up answered from the thread's investigation: `evidence`, `explain 2`, `fixes`, `request …`, `verify`, pasted text. */
  | { kind: 'follow-up'; followUp: FollowUp }
  /** The thread's question asked again, changed: `rerun`, `widen 24h`, `stage dev`, `try 504`. */
  | { kind: 'again'; change: QuestionChange }
  /** Text that is not a request: what was wrong, and an example to copy. */
  | { kind: 'invalid'; problem: string; example: string };

/** A change to the daily digest's settings, as typed (`here` is the channel it was typed in). */
export interface DigestSettingChange {
  here?: boolean;
  enabled?: boolean;
  time?: { hour: number; minute: number };
  tz?: string;
  days?: 'weekdays' | 'daily';
}

/** How a follow-up changes the thread's question; empty for a plain rerun. */
export interface QuestionChange {
  sinceMs?: number;
  stage?: string;
  status?: StatusQuery;
}
