/**
 * What a user asked the bot, parsed from a slash command's text or an @mention's free text. Pure:
 * the listeners in handlers/ call it, and the same parser answers `help`.
 */
import type { Question } from '../queue/contracts';

export type BotRequest =
  | { kind: 'why'; question: Question }
  | { kind: 'check'; api: string; stage?: string; account?: string; region?: string }
  | { kind: 'apis'; sinceMs: number; account?: string; region?: string }
  | { kind: 'help'; topic?: string }
  /** Text that is not a request: what was wrong, and an example to copy. */
  | { kind: 'invalid'; problem: string; example: string };
