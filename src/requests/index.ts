/**
 * The request registry: every `/apigw` subcommand and every follow-up of an answered thread, one file
 * each, one line each here. Help, the "not yet" answer, the manifest's usage hint and the parser's
 * vocabulary all come from this list, and `planRequest` routes any parsed request (slash command,
 * mention, thread message, button) to what it runs.
 */
import { failureMessage } from '../slack/blocks';
import type { SlackMessage } from '../slack/blocks';
import type { BotRequest } from '../slack/request';
import type { CommandVocabulary, ReadingContext } from '../slack/parse-request';
import { invalid, parseCommandText as readCommand, parseMentionText as readMention, unwrapSlackText } from '../slack/parse-request';
import { apis } from './commands/apis';
import { check } from './commands/check';
import { digest } from './commands/digest';
import { help } from './commands/help';
import { stats } from './commands/stats';
import { why } from './commands/why';
import { evidence } from './follow-ups/evidence';
import { explain } from './follow-ups/explain';
import { fixes } from './follow-ups/fixes';
import { request } from './follow-ups/request';
import { rerun } from './follow-ups/rerun';
import { stage } from './follow-ups/stage';
import { tryStatus } from './follow-ups/try';
import { verify } from './follow-ups/verify';
import { widen } from './follow-ups/widen';
import { looksPasted } from './pasted';
import type { Plan, PlanContext, ReadContext, RequestSpec } from './spec';
import { followUpPlan } from './follow-ups/thread-plans';

/** Every request there is: `/apigw` subcommands first (help lists them in this order), then follow-ups. */
export const REQUESTS: readonly RequestSpec[] = [why, check, apis, digest, stats, help, evidence, explain, fixes, widen, stage, tryStatus, rerun, request, verify];

/** Words of DESIGN.md §1 not built yet: answered "not available yet" instead of "unknown command". */
export const LATER: readonly string[] = [];

const COMMAND_VOCABULARY: CommandVocabulary = { commands: REQUESTS.filter((s) => s.where === 'command'), later: LATER };

/** Reads the text after `/apigw` (see parse-request.ts); given a clock, plain English too. */
export function parseCommandText(text: string, context?: ReadingContext): BotRequest {
  return readCommand(text, COMMAND_VOCABULARY, context);
}

/** Reads an @mention in the asker's own words (see parse-request.ts). */
export function parseMentionText(text: string, botUserId: string, now: Date, timeZone?: string): BotRequest {
  return readMention(text, botUserId, COMMAND_VOCABULARY, now, timeZone);
}

/** The spec a request word names, of the given kind of place. */
export function specNamed(word: string, where?: RequestSpec['where']): RequestSpec | undefined {
  const w = word.toLowerCase();
  return REQUESTS.find((s) => (where === undefined || s.where === where) && (s.name === w || (s.aliases ?? []).includes(w)));
}

/**
 * What a message in an answered thread asks: a follow-up when it starts with a follow-up word (the
 * bot's mention, if any, removed first), pasted log lines or an error response, or `undefined` for
 * chatter, which is left alone.
 */
export function parseThreadMessage(text: string, botUserId: string, context: Omit<ReadContext, 'options'>): { spec?: RequestSpec; request: BotRequest } | undefined {
  const clean = unwrapSlackText(text, botUserId).trim();
  if (clean === '') return undefined;
  const words = clean.split(/\s+/);
  const first = (words[0] ?? '').replace(/[:,.!?]+$/, '');
  const spec = specNamed(first, 'thread');
  if (spec) {
    // A sentence that merely starts with the word ("request ids look odd today") is read only as far as it parses.
    return { spec, request: spec.parse(words.slice(1).map((w) => w.replace(/[?!.,;]+$/, '')).filter((w) => w !== ''), { ...context, options: {} }) };
  }
  // Pasted text keeps its Slack escaping undone (`&lt;` as `<`) but not its mention markup stripped of meaning.
  if (looksPasted(clean)) return { request: { kind: 'follow-up', followUp: { intent: 'paste', text: unwrapPaste(text) } } };
  return undefined;
}

/** The pasted text as typed: code fences removed, Slack's escapes undone. */
function unwrapPaste(text: string): string {
  return text
    .replace(/<@[A-Z0-9]+(?:\|[^>]*)?>/g, '')
    .replace(/```/g, '\n')
    .replace(/&(amp|lt|gt);/g, (_w, name: string) => (name === 'amp' ? '&' : name === 'lt' ? '<' : '>'))
    .trim();
}

/** The spec that plans a request of this kind (follow-ups are planned by the spec that read them). */
function plannerOf(request: BotRequest): RequestSpec | undefined {
  switch (request.kind) {
    case 'why':
    case 'check':
    case 'apis':
    case 'stats':
    case 'help':
    case 'digest':
      return specNamed(request.kind, 'command');
    case 'follow-up':
    case 'again':
    case 'invalid':
      return undefined;
  }
}

/**
 * The router: what a parsed request runs, whatever entry point it came from. `spec` is the spec that
 * read it, when known (follow-ups); an `invalid` request says its problem and an example.
 */
export function planRequest(request: BotRequest, context: Omit<PlanContext, 'specs'>, spec?: RequestSpec): Plan {
  const full: PlanContext = { ...context, specs: REQUESTS };
  if (request.kind === 'invalid') return { kind: 'say', message: invalidMessage(request) };
  if (request.kind === 'follow-up' && request.followUp.intent === 'paste') return followUpPlan(request.followUp, full);
  const planner = spec ?? plannerOf(request);
  if (!planner) return { kind: 'say', message: invalidMessage(invalid('that cannot be asked here', '/apigw help')) };
  return planner.plan(request, full);
}

function invalidMessage(request: Extract<BotRequest, { kind: 'invalid' }>): SlackMessage {
  return failureMessage(request.problem, request.example);
}

export { followUpHelpMessage, helpMessage, usageHint } from './help-message';
export type { Origin, Plan, PlanContext, ReadContext, RequestSpec } from './spec';
