/**
 * What a user asked, read from a slash command's text (`/apigw why 502 orders-api prod 6h`) or from an
 * @mention in their own words ("why is orders-api throwing 504s since 9am?"). Pure and total: every
 * input gives a `BotRequest`, and anything that is not a request gives `invalid` with what was wrong
 * and a command to copy. Nothing here reaches AWS: the API stays as typed (the worker resolves it);
 * stage names, Regions and account aliases are allow-listed here.
 */
import { MAX_SINCE_MS, MIN_SINCE_MS } from '../collect/window';
import { STAGE_NAME, apiRefProblem, editDistance } from '../collect/resolve-target';
import type { StatusQuery } from '../diagnosis/evidence';
import type { Question } from '../queue/contracts';
import type { BotRequest } from './request';
import { instantOfClock } from './zoned-time';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** `why` looks at the last hour unless told otherwise, `apis` at the last day. */
const DEFAULT_WHY_MS = HOUR;
const DEFAULT_APIS_MS = DAY;
/** Longer text is not a question (Slack allows 40,000 characters; an API reference is at most 2,048). */
const MAX_TEXT = 4000;
const MAX_API = 2048;

/** Commands to copy, shown with every `invalid`. */
export const EXAMPLES = {
  why: '/apigw why 502 orders-api prod 1h',
  check: '/apigw check orders-api prod',
  apis: '/apigw apis 24h',
  help: '/apigw help',
  mention: '@apigw-doctor why is orders-api throwing 502s since 9am?',
} as const;

/**
 * The commands the reader knows, from the request registry (src/requests/index.ts): the parser's
 * vocabulary is the registry's, so a new command is read once it is registered.
 */
export interface CommandVocabulary {
  commands: readonly CommandReader[];
  /** Words of DESIGN.md §1 that are not commands yet: answered "not available yet". */
  later: readonly string[];
}

/** A command as the reader needs it: its words, and how the words after them are read. */
export interface CommandReader {
  name: string;
  aliases?: readonly string[];
  parse(words: readonly string[], context: CommandReadContext): BotRequest;
}

/** What a command's own reader gets besides its words. */
export interface CommandReadContext {
  now: Date;
  timeZone?: string;
  /** `--account`, `--region` and `--since`, already taken out of the words. */
  options: CommandOptions;
}

/** Commands a user may ask in a sentence of their own. */
const SENTENCE_COMMANDS = new Set(['why', 'check', 'apis']);

/** Words close to a command that mean something else: "status orders-api" is not a misspelt `stats`. */
const NOT_TYPOS = new Set(['status', 'state', 'start', 'stage']);

function readerOf(vocabulary: CommandVocabulary, word: string): CommandReader | undefined {
  return vocabulary.commands.find((c) => c.name === word || (c.aliases ?? []).includes(word));
}

function namesOf(vocabulary: CommandVocabulary): string[] {
  return vocabulary.commands.map((c) => c.name);
}

/** "why, check, apis and help". */
function listWords(words: readonly string[]): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1] ?? ''}`;
}
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
/** An account alias from the config file, or a 12-digit account id. */
const ACCOUNT = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

type Invalid = Extract<BotRequest, { kind: 'invalid' }>;

export function invalid(problem: string, example: string): Invalid {
  return { kind: 'invalid', problem, example };
}

function isInvalid(x: unknown): x is Invalid {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'invalid';
}

// ────────────────────────────────────────────────────────────────────────────────────────────────
// Slack's text
// ────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Slack's markup undone: `<https://x|label>` becomes what the user typed (the label when the URL ends
 * with it, as Slack writes auto-linked domains, otherwise the URL), the bot's own mention is removed,
 * other mentions become `@name` / `#name` or nothing, `&lt;` `&gt;` `&amp;` are decoded, and smart
 * punctuation (“quotes”, an em dash for `--`) is made plain.
 */
export function unwrapSlackText(text: string, botUserId?: string): string {
  const unwrapped = text.replace(/<([^<>]*)>/g, (_whole, inner: string) => {
    const bar = inner.indexOf('|');
    const target = bar >= 0 ? inner.slice(0, bar) : inner;
    const label = bar >= 0 ? inner.slice(bar + 1) : '';
    if (target.startsWith('@')) return target.slice(1) === botUserId || label === '' ? ' ' : ` @${label} `;
    if (target.startsWith('#')) return label === '' ? ' ' : ` #${label} `;
    if (target.startsWith('!')) return ' ';
    if (label !== '' && target.toLowerCase().endsWith(label.toLowerCase())) return label;
    return target;
  });
  return (
    unwrapped
      .replace(/&(amp|lt|gt);/g, (_w, name: string) => (name === 'amp' ? '&' : name === 'lt' ? '<' : '>'))
      // Smart punctuation that phones and Macs substitute as people type.
      .replace(/(^|\s)[\u2010-\u2015\u2212]+(?=[A-Za-z])/g, '$1--')
      .replace(/[\u2018\u2019\u201b]/g, "'")
      .replace(/[\u201c\u201d\u201f]/g, '"')
      .replace(/[\u200b-\u200d\u2060\ufeff]/g, '')
      .replace(/\p{Cc}/gu, ' ')
  );
}

function tooLong(length: number, example: string): Invalid {
  return invalid(`That is ${length.toLocaleString('en-US')} characters, too long to be a question: ask in one line.`, example);
}

/** User text quoted in a problem: clipped, so that a 10 KB paste does not come back whole. */
export function quote(text: string): string {
  return `"${text.length > 40 ? `${text.slice(0, 39)}…` : text}"`;
}

// ────────────────────────────────────────────────────────────────────────────────────────────────
// Words shared by both readers
// ────────────────────────────────────────────────────────────────────────────────────────────────

type StatusWord = { kind: 'status'; status: StatusQuery } | { kind: 'other'; code: string } | null;

/** `502`, `502s`, `5xx`, `5XX` → a status; `404`, `4xx` → not a 5xx; anything else → null. */
export function statusWord(word: string): StatusWord {
  const m = /^([1-9])(\d\d|xx)s?$/i.exec(word);
  if (!m?.[1] || !m[2]) return null;
  const code = `${m[1]}${m[2].toLowerCase()}`;
  if (m[1] !== '5') return { kind: 'other', code };
  return { kind: 'status', status: code === '5xx' ? '5xx' : Number(code) };
}

const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1000, sec: 1000, secs: 1000, second: 1000, seconds: 1000,
  m: MINUTE, min: MINUTE, mins: MINUTE, minute: MINUTE, minutes: MINUTE,
  h: HOUR, hr: HOUR, hrs: HOUR, hour: HOUR, hours: HOUR,
  d: DAY, day: DAY, days: DAY,
  w: 7 * DAY, wk: 7 * DAY, wks: 7 * DAY, week: 7 * DAY, weeks: 7 * DAY,
  mo: 30 * DAY, month: 30 * DAY, months: 30 * DAY,
  y: 365 * DAY, yr: 365 * DAY, yrs: 365 * DAY, year: 365 * DAY, years: 365 * DAY,
};

/** The length of a unit word, or undefined; own keys only, so `__proto__` or `constructor` is no unit. */
function unitMs(word: string): number | undefined {
  return Object.hasOwn(UNIT_MS, word) ? UNIT_MS[word] : undefined;
}

type WindowWord = { ms: number } | { problem: string } | null;

/** `6h`, `90m`, `2days`, `1.5h` → a window in range; `7y`, `5m`, `8d` → what is wrong; other words → null. */
export function windowWord(word: string): WindowWord {
  const m = /^(\d{1,7}(?:\.\d{1,3})?)([a-z]+)$/i.exec(word);
  const unit = m?.[2] ? unitMs(m[2].toLowerCase()) : undefined;
  if (!m?.[1] || unit === undefined) return null;
  return windowOf(Number(m[1]) * unit, word);
}

function windowOf(ms: number, typed: string): WindowWord {
  if (ms > MAX_SINCE_MS) return { problem: ms >= 30 * DAY ? `${quote(typed)} is not a window: use 15m to 7d` : `${quote(typed)} is longer than 7d: use 15m to 7d` };
  if (ms < MIN_SINCE_MS) return { problem: `${quote(typed)} is shorter than 15m: use 15m to 7d` };
  return { ms: Math.round(ms) };
}

function clampWindow(ms: number): number {
  return Math.min(MAX_SINCE_MS, Math.max(MIN_SINCE_MS, Math.ceil(ms / MINUTE) * MINUTE));
}

/** The options every command takes. */
export interface CommandOptions {
  account?: string;
  region?: string;
  /** `--since 6h`, the window as an option. */
  sinceMs?: number;
}

/** Takes `--account A`, `--region R` and `--since W` (also `--x=v`) out of `words`. */
function takeOptions(words: readonly string[], example: string): { words: string[]; options: CommandOptions } | Invalid {
  const rest: string[] = [];
  const options: CommandOptions = {};
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    if (!word.startsWith('--')) {
      rest.push(word);
      continue;
    }
    const eq = word.indexOf('=');
    const name = (eq >= 0 ? word.slice(2, eq) : word.slice(2)).toLowerCase();
    if (name !== 'account' && name !== 'region' && name !== 'since' && name !== 'window') {
      return invalid(`unknown option ${quote(word.slice(0, eq >= 0 ? eq : undefined))}: the options are --account and --region`, example);
    }
    let value = eq >= 0 ? word.slice(eq + 1) : words[i + 1];
    if (eq < 0) i++;
    if (value === undefined || value === '' || value.startsWith('--')) {
      return invalid(`--${name} needs a value, e.g. ${name === 'account' ? '--account prod' : name === 'region' ? '--region eu-west-1' : '--since 6h'}`, example);
    }
    value = value.trim();
    if (name === 'account') {
      if (options.account !== undefined) return invalid('give --account once', example);
      if (!ACCOUNT.test(value)) return invalid(`${quote(value)} is not an account: use an alias from the bot's config or a 12-digit account id`, example);
      options.account = value;
    } else if (name === 'region') {
      if (options.region !== undefined) return invalid('give --region once', example);
      if (!REGION.test(value.toLowerCase())) return invalid(`${quote(value)} is not a Region: use one such as us-east-1 or eu-west-1`, example);
      options.region = value.toLowerCase();
    } else {
      if (options.sinceMs !== undefined) return invalid('give the window once', example);
      const w = windowWord(value);
      if (w === null) return invalid(`${quote(value)} is not a window: use 15m to 7d, e.g. 6h`, example);
      if ('problem' in w) return invalid(w.problem, example);
      options.sinceMs = w.ms;
    }
    // A dangling "--region" was consumed with its value above; an empty word cannot follow.
  }
  return { words: rest, options };
}

/** Why `api` cannot be an API reference, or undefined when it can. */
function apiProblem(api: string): string | undefined {
  if (api.length > MAX_API) return `the API is ${api.length.toLocaleString('en-US')} characters long: give its name, its id (a1b2c3d4e5), its invoke URL or its custom domain`;
  if (/[\s<>`"{}|\\^]/.test(api) || api.startsWith('-')) return `${quote(api)} is not an API: give its name, its id (a1b2c3d4e5), its invoke URL or its custom domain`;
  return apiRefProblem(api);
}

export function stageProblem(stage: string): string | undefined {
  return STAGE_NAME.test(stage) ? undefined : `${quote(stage)} is not a stage name: use letters, digits, - and _ (up to 128), or $default`;
}

/** A word a user might wrap an API in: `orders-api`, "orders-api", *orders-api*. */
function unquote(word: string): string {
  return word.replace(/^[`"'*~]+/, '').replace(/[`"'*~]+$/, '');
}

// ────────────────────────────────────────────────────────────────────────────────────────────────
// Slash commands
// ────────────────────────────────────────────────────────────────────────────────────────────────

/** The clock and time zone a request is read against, for phrases such as "since 9am". */
export interface ReadingContext {
  now: Date;
  /** The asker's IANA time zone (Slack's `users.info` → `tz`); default UTC. */
  timeZone?: string;
}

/**
 * Reads the text after `/apigw`: `why <500…599|5xx> <api> [stage] [window]`, `check <api> [stage]`,
 * `apis [window]`, `help [topic]`, each with optional `--account A` / `--region R`. Empty text is help.
 * Given a `context`, text in the user's own words ("why is orders-api failing since 9am") is read as an
 * @mention would be; without one, only the command grammar is understood.
 */
export function parseCommandText(text: string, vocabulary: CommandVocabulary, context?: ReadingContext): BotRequest {
  try {
    if (text.length > 2 * MAX_TEXT) return tooLong(text.length, EXAMPLES.why);
    const clean = unwrapSlackText(text).trim();
    if (clean.length > MAX_TEXT) return tooLong(clean.length, EXAMPLES.why);
    const words = clean === '' ? [] : clean.split(/\s+/).map(unquote).filter((w) => w !== '');
    // Only questions read as sentences ("why is …", "check orders-api in dev"); a setting such as
    // `digest at 08:30` keeps its own grammar.
    const first = words[0]?.toLowerCase();
    const own = first !== undefined && !SENTENCE_COMMANDS.has(first) && readerOf(vocabulary, first) !== undefined;
    if (context && !own && isNaturalLanguage(words)) {
      const request = parseMention(clean, validDate(context.now), context.timeZone ?? 'UTC', vocabulary);
      return request.kind === 'invalid' ? { ...request, example: request.example.replace(/^@apigw-doctor /, '/apigw ') } : request;
    }
    return parseCommandWords(words, vocabulary, context);
  } catch {
    return invalid(UNREADABLE, EXAMPLES.why);
  }
}

/** Words after the first that only a sentence has ("is", "in", "since", "the"…). */
function isNaturalLanguage(words: readonly string[]): boolean {
  return words.slice(1).some((w) => !w.startsWith('--') && STOP_WORDS.has(w.toLowerCase().replace(/[?!.,;:]+$/, '').replace(/'s$/, '')));
}

function validDate(now: Date): Date {
  return Number.isNaN(now.getTime()) ? new Date(0) : now;
}

/** Said when reading failed in a way the parser did not foresee (a bug): the user still gets an answer. */
export const UNREADABLE = 'I could not read that request';

function parseCommandWords(all: readonly string[], vocabulary: CommandVocabulary, context?: ReadingContext): BotRequest {
  const taken = takeOptions(all, EXAMPLES.why);
  if (isInvalid(taken)) return taken;
  const { words, options } = taken;
  const [first, ...rest] = words;
  if (first === undefined) return Object.keys(options).length > 0 ? invalid('options but no command: what should I do?', EXAMPLES.why) : { kind: 'help' };
  const command = first.toLowerCase();
  const reader = readerOf(vocabulary, command);
  const readContext: CommandReadContext = { now: validDate(context?.now ?? new Date(0)), ...(context?.timeZone !== undefined ? { timeZone: context.timeZone } : {}), options };
  if (reader) return reader.parse(rest, readContext);
  // "/apigw 502 orders-api": the status says it is a `why`.
  const why = readerOf(vocabulary, 'why');
  if (statusWord(first) !== null && why) return why.parse(words, readContext);
  const names = namesOf(vocabulary);
  if (vocabulary.later.includes(command)) return invalid(`"${command}" is not available yet: for now there are ${listWords(names)}`, EXAMPLES.help);
  const close = NOT_TYPOS.has(command) ? undefined : names.find((c) => first.length >= 2 && editDistance(command, c) <= (c.length <= 3 ? 1 : 2));
  if (close !== undefined) return invalid(`unknown command ${quote(first)}: did you mean ${close}?`, [`/apigw ${close}`, ...rest.slice(0, 4)].join(' ').slice(0, 200));
  const apiLike = /^[A-Za-z0-9][A-Za-z0-9._:/-]*$/.test(first) && /[-_.\d]/.test(first) && first.length <= 200;
  return invalid(`unknown command ${quote(first)}: the commands are ${listWords(names)}`, apiLike ? `/apigw why 5xx ${first}` : EXAMPLES.why);
}

/** Words of a sentence, never an API's name: "/apigw why is orders-api failing" is not about an API called "is". */
const SENTENCE_WORDS = new Set(['is', 'are', 'was', 'were', 'the', 'a', 'an', 'my', 'our', 'why', 'what', 'whats', "what's", 'does', 'do', 'it', 'this', 'that', 'with', 'on', 'in', 'for', 'of']);

function sentence(word: string, words: readonly string[], grammar: string, example: (api: string | undefined) => string): Invalid {
  const api = words.find((w) => !SENTENCE_WORDS.has(w.toLowerCase()) && /[-_.\d]/.test(w));
  return invalid(`${quote(word)} is not an API: it is ${grammar}`, example(api));
}

/** An example that reuses the user's API when it is short and plain. */
function whyExample(api: string | undefined, status: StatusQuery = 502): string {
  return api !== undefined && /^[A-Za-z0-9._:/-]{1,64}$/.test(api) ? `/apigw why ${status} ${api} prod 1h` : EXAMPLES.why;
}

/** `why <status> <api> [stage] [window]`: the words after `why`. */
export function parseWhy(words: readonly string[], options: CommandOptions): BotRequest {
  let status: StatusQuery | undefined;
  let sinceMs = options.sinceMs;
  const positional: string[] = [];
  for (const word of words) {
    const s = statusWord(word);
    if (s?.kind === 'other') return invalid(`${s.code} is not a 5xx status: ask about 500 to 599, or 5xx`, whyExample(positional[0]));
    if (s?.kind === 'status') {
      if (status !== undefined) return invalid(`give one status, not ${status} and ${s.status}: 500 to 599, or 5xx for all`, whyExample(positional[0]));
      status = s.status;
      continue;
    }
    const w = windowWord(word);
    if (w !== null) {
      if ('problem' in w) return invalid(w.problem, whyExample(positional[0], status));
      if (sinceMs !== undefined) return invalid('give the window once', whyExample(positional[0], status));
      sinceMs = w.ms;
      continue;
    }
    positional.push(word);
  }
  const [api, stage, ...extra] = positional;
  if (api === undefined) return invalid('missing the API: which API?', status !== undefined ? `/apigw why ${status} orders-api prod 1h` : EXAMPLES.why);
  if (SENTENCE_WORDS.has(api.toLowerCase())) return sentence(api, positional, 'why <status> <api> [stage] [window]', (a) => whyExample(a, status ?? '5xx'));
  const problem = apiProblem(api) ?? (stage !== undefined ? stageProblem(stage) : undefined);
  if (problem !== undefined) return invalid(problem, whyExample(apiProblem(api) === undefined ? api : undefined, status));
  if (extra.length > 0) return invalid(`too many words: ${quote(extra.join(' '))}; it is why <status> <api> [stage] [window]`, whyExample(api, status));
  const question: Question = {
    status: status ?? '5xx',
    api,
    ...(stage !== undefined ? { stage } : {}),
    sinceMs: sinceMs ?? DEFAULT_WHY_MS,
    ...(options.account !== undefined ? { account: options.account } : {}),
    ...(options.region !== undefined ? { region: options.region } : {}),
  };
  return { kind: 'why', question };
}

/** `check <api> [stage]`: the words after `check`. */
export function parseCheck(words: readonly string[], options: CommandOptions): BotRequest {
  const example = (api?: string): string => (api !== undefined && /^[A-Za-z0-9._:/-]{1,64}$/.test(api) ? `/apigw check ${api} prod` : EXAMPLES.check);
  if (options.sinceMs !== undefined) return invalid('check takes no window: it reads the stage as it is now', example(words[0]));
  for (const word of words) {
    if (statusWord(word) !== null) return invalid('check takes no status: it checks the telemetry of a stage (to ask about errors, use why)', example(words.find((w) => statusWord(w) === null)));
    if (windowWord(word) !== null) return invalid('check takes no window: it reads the stage as it is now', example(words[0]));
  }
  const [api, stage, ...extra] = words;
  if (api === undefined) return invalid('missing the API: which API?', EXAMPLES.check);
  if (SENTENCE_WORDS.has(api.toLowerCase())) return sentence(api, words, 'check <api> [stage]', example);
  const problem = apiProblem(api) ?? (stage !== undefined ? stageProblem(stage) : undefined);
  if (problem !== undefined) return invalid(problem, example(apiProblem(api) === undefined ? api : undefined));
  if (extra.length > 0) return invalid(`too many words: ${quote(extra.join(' '))}; it is check <api> [stage]`, example(api));
  return {
    kind: 'check',
    api,
    ...(stage !== undefined ? { stage } : {}),
    ...(options.account !== undefined ? { account: options.account } : {}),
    ...(options.region !== undefined ? { region: options.region } : {}),
  };
}

/** `apis [window]`: the words after `apis`. */
export function parseApis(words: readonly string[], options: CommandOptions): BotRequest {
  let sinceMs = options.sinceMs;
  for (const word of words) {
    const w = windowWord(word);
    if (w === null) return invalid(`apis takes only a window, not ${quote(word)}`, EXAMPLES.apis);
    if ('problem' in w) return invalid(w.problem, EXAMPLES.apis);
    if (sinceMs !== undefined) return invalid('give the window once', EXAMPLES.apis);
    sinceMs = w.ms;
  }
  return {
    kind: 'apis',
    sinceMs: sinceMs ?? DEFAULT_APIS_MS,
    ...(options.account !== undefined ? { account: options.account } : {}),
    ...(options.region !== undefined ? { region: options.region } : {}),
  };
}

// ────────────────────────────────────────────────────────────────────────────────────────────────
// @mentions: free text
// ────────────────────────────────────────────────────────────────────────────────────────────────

/** Words that are never the API. */
const STOP_WORDS = new Set(
  (
    'a about after again ago all also am an and any anything api apis are as at be been before being broken but by call calls can check code codes ' +
    'could day days debug diagnose did do does doing down during eh else env environment error erroring errors even ever every explain fail failed ' +
    'failing fails failure failures few find fine for from gateway get gets getting give gives giving going got had has have having he hello help ' +
    'her hey hi high him his hmm hour hours how i if in internal into investigate is isnt it its just keep keeps last lately like look lot lots ' +
    'many me midnight min mins minute minutes more morning most much my need new night no noon not now of off ok okay on once one only or our out ' +
    'over past please pls previous rate really recent recently request requests response responses return returning returns right see seeing ' +
    'seem seems seen server service she show since so some spike spiking stage start started starting status still suddenly tell than thanks that ' +
    'the their them then there these they this those throw throwing throws time timeout timeouts timing to today tonight too unavailable up us ' +
    'usage very was we week weeks were what whats when where which while who why will with within wrong yes yesterday you your'
  ).split(' '),
);
/** Words that name a stage on their own. */
const STAGE_WORDS = new Set(['prod', 'production', 'prd', 'dev', 'develop', 'development', 'staging', 'stg', 'test', 'testing', 'qa', 'uat', 'sandbox', 'beta', 'alpha', 'preprod', 'pre-prod', 'demo', 'live', 'canary', 'v1', 'v2', 'v3', '$default']);
/** Words after which the API is usually named: "why is X", "errors on X", "what's wrong with X". */
const BEFORE_API = new Set(['is', 'are', 'with', 'on', 'for', 'about', 'of', 'check', 'why', 'at', 'to', 'calling', 'hitting', 'behind', 'from']);
/** Words skipped when looking back from a candidate: "with the orders-api". */
const ARTICLES = new Set(['the', 'my', 'our', 'your', 'this', 'that', 'a', 'an', 'api', 'service']);
/** Verbs between the API and its status: "orders-api is throwing 504s". */
const VERBS = new Set(['is', 'are', 'keeps', 'throwing', 'throws', 'returning', 'returns', 'giving', 'gives', 'failing', 'fails', 'erroring', 'serving', 'sending', 'has', 'having', 'getting', 'with', 'spiking']);
/** Words that make a mention a `why` rather than a `check`. */
const WHY_WORDS = new Set(['why', 'wrong', 'failing', 'fails', 'failed', 'failure', 'failures', 'error', 'errors', 'erroring', 'broken', 'down', 'throwing', 'returning', 'timeout', 'timeouts', 'investigate', 'diagnose', 'debug']);
const NUMBER_WORDS: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12, fifteen: 15, twenty: 20, thirty: 30, couple: 2, few: 3 };

/** The number a word names ("two", "couple"), or undefined; own keys only. */
function numberWord(word: string): number | undefined {
  return Object.hasOwn(NUMBER_WORDS, word) ? NUMBER_WORDS[word] : undefined;
}

interface Token {
  /** As typed, without surrounding punctuation. */
  text: string;
  lc: string;
  used: boolean;
}

function tokenize(text: string): Token[] {
  return text
    .split(/[\s,;]+/)
    .map((raw) => {
      const t = raw
        .replace(/^[("'`*~\u00ab\u00bf\u00a1[{]+/, '')
        .replace(/[)"'`*~\u00bb\]}?!.,;:\u2026]+$/, '')
        .replace(/'s$/i, '');
      return { text: t, lc: t.toLowerCase(), used: false };
    })
    .filter((t) => t.text !== '');
}

/**
 * Reads a message addressed to the bot (`<@BOTID> why is orders-api throwing 504s since 9am?`): the
 * status (default 5xx), the API, the stage ("in dev", "stage prod"), the window ("since 9am" read in
 * `timeZone`, default UTC; "last 6h", "today"; clamped to 15m…7d), and `check`, `apis` and `help` when
 * asked for. Text that names no API is `invalid`, with an example mention.
 */
export function parseMentionText(text: string, botUserId: string, vocabulary: CommandVocabulary, now: Date, timeZone?: string): BotRequest {
  try {
    if (text.length > 2 * MAX_TEXT) return tooLong(text.length, EXAMPLES.mention);
    const clean = unwrapSlackText(text, botUserId)
      // Emoji codes (":fire:", ":thumbsup::skin-tone-2:") say nothing about the question.
      .replace(/(?<![\w:]):[a-z0-9_+'-]*[a-z][a-z0-9_+'-]*:(?![\w])/gi, ' ')
      .trim();
    if (clean.length > MAX_TEXT) return tooLong(clean.length, EXAMPLES.mention);
    return parseMention(clean, validDate(now), timeZone ?? 'UTC', vocabulary);
  } catch {
    return invalid(UNREADABLE, EXAMPLES.mention);
  }
}

function parseMention(text: string, now: Date, timeZone: string, vocabulary: CommandVocabulary): BotRequest {
  const words = text === '' ? [] : text.split(/\s+/);
  const taken = takeOptions(words, EXAMPLES.mention);
  if (isInvalid(taken)) return taken;
  const { options } = taken;
  const tokens = tokenize(taken.words.join(' '));
  if (tokens.length === 0) return Object.keys(options).length > 0 ? invalid('options but no question: which API?', EXAMPLES.mention) : { kind: 'help' };

  // Words a command would take ("why 502 orders-api prod 6h", "check orders-api"): read it as one.
  const first = tokens[0]?.lc ?? '';
  const structured = tokens.slice(1).every((t) => !STOP_WORDS.has(t.lc) || statusWord(t.text) !== null) && tokens.length <= 5;
  if (structured && (readerOf(vocabulary, first) !== undefined || statusWord(first)?.kind === 'status')) {
    const request = parseCommandWords([...(statusWord(first) ? ['why'] : []), ...tokens.map((t) => t.text), ...optionWords(options)], vocabulary, { now, timeZone });
    return request.kind === 'invalid' ? { ...request, example: mentionExample(request.example) } : request;
  }
  if (first === 'help' || first === 'usage' || first === 'commands') {
    const topic = tokens[1]?.lc;
    return topic !== undefined && readerOf(vocabulary, topic) !== undefined ? { kind: 'help', topic } : { kind: 'help' };
  }

  const window = findWindow(tokens, now, timeZone);
  if (window && 'problem' in window) return invalid(window.problem, EXAMPLES.mention);

  let status: StatusQuery | undefined;
  for (const [i, t] of tokens.entries()) {
    if (t.used) continue;
    const s = /^\d+$/.test(t.text) ? bareStatus(t.text, tokens[i - 1]) : statusWord(t.text);
    if (s === null) continue;
    if (s.kind === 'other') return invalid(`${s.code} is not a 5xx status: I diagnose 500 to 599 (5xx)`, EXAMPLES.mention);
    t.used = true;
    status ??= s.status;
  }

  let region = options.region;
  let account = options.account;
  tokens.forEach((t, i) => {
    if (t.used) return;
    if (REGION.test(t.lc)) {
      t.used = true;
      region ??= t.lc;
    } else if ((t.lc === 'account' || t.lc === 'acct') && tokens[i + 1] && !tokens[i + 1]?.used && ACCOUNT.test(tokens[i + 1]?.text ?? '') && !STOP_WORDS.has(tokens[i + 1]?.lc ?? '')) {
      const next = tokens[i + 1];
      if (next) {
        t.used = true;
        next.used = true;
        account ??= next.text;
      }
    }
  });

  let stage = findStage(tokens);
  const api = findApi(tokens);
  if (api !== undefined) {
    api.used = true;
    stage ??= stageAfterPreposition(tokens);
  }
  const lcs = new Set(tokens.map((t) => t.lc));
  const wantsWhy = status !== undefined || [...lcs].some((w) => WHY_WORDS.has(w));

  if (api === undefined) {
    if (lcs.has('apis') || (lcs.has('api') && (lcs.has('which') || lcs.has('all') || lcs.has('list')))) {
      return { kind: 'apis', sinceMs: window?.ms ?? DEFAULT_APIS_MS, ...(account !== undefined ? { account } : {}), ...(region !== undefined ? { region } : {}) };
    }
    if (lcs.has('help') || lcs.has('usage') || lcs.has('commands')) return { kind: 'help' };
    return invalid('I could not tell which API you mean: name it (its name, its id such as a1b2c3d4e5, its invoke URL or its custom domain)', EXAMPLES.mention);
  }
  const problem = apiProblem(api.text) ?? (stage !== undefined ? stageProblem(stage) : undefined);
  if (problem !== undefined) return invalid(problem, EXAMPLES.mention);
  const common = { ...(account !== undefined ? { account } : {}), ...(region !== undefined ? { region } : {}) };
  if (!wantsWhy && (lcs.has('check') || lcs.has('telemetry') || lcs.has('logging'))) {
    return { kind: 'check', api: api.text, ...(stage !== undefined ? { stage } : {}), ...common };
  }
  return { kind: 'why', question: { status: status ?? '5xx', api: api.text, ...(stage !== undefined ? { stage } : {}), sinceMs: window?.ms ?? DEFAULT_WHY_MS, ...common } };
}

/** The options again as words, for the command reader. */
function optionWords(options: CommandOptions): string[] {
  return [
    ...(options.account !== undefined ? ['--account', options.account] : []),
    ...(options.region !== undefined ? ['--region', options.region] : []),
    ...(options.sinceMs !== undefined ? ['--since', `${Math.round(options.sinceMs / MINUTE)}m`] : []),
  ];
}

/** A slash-command example as a mention. */
function mentionExample(example: string): string {
  return example.startsWith('/apigw ') ? `@apigw-doctor ${example.slice('/apigw '.length)}` : example;
}

/**
 * A bare number as a status: 500–599 is one ("returning 502"); 400–499 right after a verb or "why"
 * ("returning 404") is another code; any other number ("300 errors") is not a status.
 */
function bareStatus(word: string, previous: Token | undefined): StatusWord {
  if (/^5\d\d$/.test(word)) return { kind: 'status', status: Number(word) };
  if (/^4\d\d$/.test(word) && previous !== undefined && (VERBS.has(previous.lc) || previous.lc === 'why')) return { kind: 'other', code: word };
  return null;
}

/** "stage prod", "prod stage", "env dev", "in dev", "on prod", or a word that names a stage by itself. */
function findStage(tokens: Token[]): string | undefined {
  for (const [i, t] of tokens.entries()) {
    if (t.used) continue;
    const next = tokens[i + 1];
    if ((t.lc === 'stage' || t.lc === 'env' || t.lc === 'environment') && next && !next.used && isStageCandidate(next)) {
      t.used = true;
      next.used = true;
      return next.text;
    }
  }
  const named = tokens.find((t) => !t.used && STAGE_WORDS.has(t.lc));
  if (named) {
    named.used = true;
    return named.text;
  }
  return undefined;
}

/** After the API is known: "in blue", "on canary-2" name the stage. */
function stageAfterPreposition(tokens: Token[]): string | undefined {
  for (const [i, t] of tokens.entries()) {
    const next = tokens[i + 1];
    if ((t.lc === 'in' || t.lc === 'on') && next && !next.used && isStageCandidate(next) && statusWord(next.text) === null && !/^\d+$/.test(next.text)) {
      next.used = true;
      return next.text;
    }
  }
  return undefined;
}

function isStageCandidate(t: Token): boolean {
  return STAGE_NAME.test(t.text) && !STOP_WORDS.has(t.lc) && windowWord(t.text) === null && statusWord(t.text) === null;
}

/** A name, an id, a domain (with a path) or an invoke URL. */
function isApiShaped(t: Token): boolean {
  if (t.text.length > MAX_API) return true;
  if (/^https?:\/\/\S+$/i.test(t.text)) return true;
  return /^[A-Za-z0-9][A-Za-z0-9._-]*(?:\/[A-Za-z0-9._~%$-]*)*$/.test(t.text) && !/^\d+$/.test(t.text);
}

/** The token most likely to be the API, by where it stands and what it looks like. */
function findApi(tokens: Token[]): Token | undefined {
  let best: { token: Token; score: number } | undefined;
  tokens.forEach((t, i) => {
    if (t.used || STOP_WORDS.has(t.lc) || STAGE_WORDS.has(t.lc) || !isApiShaped(t)) return;
    if (windowWord(t.text) !== null || statusWord(t.text) !== null || isClock(t.lc) || REGION.test(t.lc) || numberWord(t.lc) !== undefined) return;
    let score = 0;
    let j = i - 1;
    while (j >= 0 && ARTICLES.has(tokens[j]?.lc ?? '')) j--;
    if (j >= 0 && BEFORE_API.has(tokens[j]?.lc ?? '')) score += 4;
    // "orders-api 5xx", "orders-api is throwing 504s".
    const next = tokens[i + 1];
    if (next && statusWord(next.text)?.kind === 'status') score += 4;
    else if (next && VERBS.has(next.lc)) score += 3;
    if (/^https?:\/\//i.test(t.text) || /[-_.]/.test(t.text) || /^[a-z0-9]{10}$/.test(t.text)) score += 3;
    if (/\d/.test(t.text) && /[a-z]/i.test(t.text)) score += 1;
    if (!best || score > best.score) best = { token: t, score };
  });
  return best?.token;
}

function isClock(lc: string): boolean {
  return /^\d{1,2}(?::\d{2})?(?:am|pm|a\.m|p\.m)$/.test(lc) || /^\d{1,2}:\d{2}$/.test(lc) || /^\d{1,2}h\d{2}$/.test(lc);
}

/**
 * The window the words name, clamped to 15m…7d; for a duration ("6h", "2 hours", "last week") also what
 * was asked before clamping and the words that asked it, for `readWindowWords` to refuse "30d".
 */
type Found = { ms: number; asked?: { ms: number; typed: string } } | { problem: string } | undefined;

/**
 * The window named in a short phrase typed after a follow-up word in an answered thread (`widen 24h`,
 * `since 6h`, `since 9am`, `verify since 14:30`): the words a mention's window is read from ("24h",
 * "since 9am", "since yesterday", "last 2 days", "today", "3 hours ago"), and a bare "6 hours" too. A
 * clock time is read in `timeZone` (default UTC) and clamped to 15m…7d as in a mention ("since 8:55" at
 * 9:00 is 15m); a duration outside 15m…7d is a problem, as in a command ("widen 30d" is not quietly 7d),
 * and so is a clock that is not one ("since 25:00"). Undefined when the words name no window.
 */
export function readWindowWords(text: string, now: Date, timeZone?: string): { ms: number } | { problem: string } | undefined {
  try {
    if (typeof text !== 'string' || text.length > MAX_TEXT) return undefined;
    const tokens = tokenize(unwrapSlackText(text));
    const found = findWindow(tokens, validDate(now), timeZone ?? 'UTC') ?? spokenDuration(tokens);
    if (found === undefined || 'problem' in found) return found;
    if (found.asked !== undefined) {
      const inRange = windowOf(found.asked.ms, found.asked.typed);
      if (inRange !== null && 'problem' in inRange) return { problem: inRange.problem };
    }
    return { ms: found.ms };
  } catch {
    return undefined;
  }
}

/** "6 hours", "two days": a duration said without "last" or "ago", which a mention does not take for a window. */
function spokenDuration(tokens: readonly Token[]): Found {
  for (const [i, t] of tokens.entries()) {
    const span = statusWord(t.text) === null ? amount(t, tokens[i + 1]) : undefined;
    if (span?.words === 2) return { ms: clampWindow(span.ms), asked: { ms: span.ms, typed: spanText(t, tokens[i + 1], 2) } };
  }
  return undefined;
}

/** The words a duration was said in: "6h", "2 hours". */
function spanText(a: Token | undefined, b: Token | undefined, words: 1 | 2): string {
  return words === 2 && b ? `${a?.text ?? ''} ${b.text}` : (a?.text ?? '');
}

/**
 * The window the text asks about: "since 9am", "since 14:30", "since yesterday", "last 6h", "in the last
 * 2 hours", "past 30 minutes", "for 2 hours", "2 hours ago", "today", or a bare "6h"; clamped to 15m…7d.
 * The words it reads are marked used.
 */
function findWindow(tokens: Token[], now: Date, timeZone: string): Found {
  const nowMs = now.getTime();
  const sinceClock = (hour: number, minute: number, daysBack = 0): number => {
    let t = instantOfClock(now, timeZone, hour, minute, daysBack);
    // "since 9am" said at 8am means yesterday's 9am.
    if (t > nowMs) t = instantOfClock(now, timeZone, hour, minute, daysBack + 1);
    return clampWindow(nowMs - t);
  };
  /** Marks the words read and returns the window. */
  const take = (ms: number, ...read: (Token | undefined)[]): Found => {
    for (const t of read) if (t) t.used = true;
    return { ms };
  };
  /** Marks the words read and returns the duration they said, clamped, with what was asked. */
  const takeSpan = (ms: number, typed: string, ...read: (Token | undefined)[]): Found => {
    for (const t of read) if (t) t.used = true;
    return { ms: clampWindow(ms), asked: { ms, typed } };
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t || t.used) continue;
    const a = tokens[i + 1];
    const b = tokens[i + 2];
    if (t.lc === 'since') {
      if (!a) continue;
      const span = amount(a, b);
      if (span) {
        const after = tokens[i + 1 + span.words];
        return takeSpan(span.ms, spanText(a, b, span.words), t, a, span.words === 2 ? b : undefined, after?.lc === 'ago' ? after : undefined);
      }
      if (a.lc === 'yesterday') return take(sinceClock(0, 0, 1), t, a);
      if (a.lc === 'midnight' || a.lc === 'today') return take(sinceClock(0, 0), t, a);
      if (a.lc === 'this' && b?.lc === 'morning') return take(sinceClock(0, 0), t, a, b);
      if (a.lc === 'noon') return take(sinceClock(12, 0), t, a);
      const clock = readClock(a, b);
      if (clock && 'problem' in clock) return clock;
      if (clock) return take(sinceClock(clock.hour, clock.minute), t, a, clock.words === 2 ? b : undefined);
      continue;
    }
    if (t.lc === 'last' || t.lc === 'past' || t.lc === 'previous' || t.lc === 'for' || t.lc === 'over' || t.lc === 'within') {
      const span = a ? amount(a, b) : undefined;
      if (span) return takeSpan(span.ms, spanText(a, b, span.words), t, a, span.words === 2 ? b : undefined);
      // "last hour", "past day", "last week".
      const unit = a && a.lc.length > 1 && (t.lc === 'last' || t.lc === 'past' || t.lc === 'previous') ? unitMs(a.lc) : undefined;
      if (unit !== undefined && a) return takeSpan(unit, `${t.text} ${a.text}`, t, a);
      continue;
    }
    if (t.lc === 'today') return take(sinceClock(0, 0), t);
    if (t.lc === 'yesterday') return take(sinceClock(0, 0, 1), t);
    // "2 hours ago", "6h ago", or a bare "6h" ("504s" is a status, not 504 seconds).
    const span = statusWord(t.text) === null ? amount(t, a) : undefined;
    const after = span ? tokens[i + span.words] : undefined;
    if (span && (windowWord(t.text) !== null || after?.lc === 'ago')) {
      return takeSpan(span.ms, spanText(t, a, span.words), t, span.words === 2 ? a : undefined, after?.lc === 'ago' ? after : undefined);
    }
  }
  return undefined;
}

/** "6h", "90min", "2 hours", "two hours", "an hour", "1.5 days": a duration in ms and the words it took. */
function amount(a: Token, b: Token | undefined): { ms: number; words: 1 | 2 } | undefined {
  const single = /^(\d{1,7}(?:\.\d{1,3})?)([a-z]+)$/.exec(a.lc);
  const unit1 = single?.[2] !== undefined ? unitMs(single[2]) : undefined;
  if (single?.[1] && unit1 !== undefined) return { ms: Number(single[1]) * unit1, words: 1 };
  const n = /^\d{1,7}(?:\.\d{1,3})?$/.test(a.lc) ? Number(a.lc) : numberWord(a.lc);
  const unit2 = b ? unitMs(b.lc) : undefined;
  if (n !== undefined && unit2 !== undefined) return { ms: n * unit2, words: 2 };
  return undefined;
}

/** "9am", "9:30am", "9 am", "14:30", "14h30", "9" (24-hour clock) → hour and minute; "25:00" → a problem. */
function readClock(a: Token, b: Token | undefined): { hour: number; minute: number; words: 1 | 2 } | { problem: string } | undefined {
  const m = /^(\d{1,2})(?:[:h](\d{2}))?(am|pm|a\.m|p\.m)?$/.exec(a.lc);
  if (!m?.[1]) return undefined;
  let meridiem = m[3]?.replace(/\./g, '');
  let words: 1 | 2 = 1;
  const nextMeridiem = b?.lc.replace(/\./g, '');
  if (meridiem === undefined && (nextMeridiem === 'am' || nextMeridiem === 'pm')) {
    meridiem = nextMeridiem;
    words = 2;
  }
  // "since 9" alone is a clock; "since 2019" is not.
  if (m[2] === undefined && meridiem === undefined && m[1].length > 2) return undefined;
  let hour = Number(m[1]);
  const minute = m[2] !== undefined ? Number(m[2]) : 0;
  const bad = meridiem !== undefined ? hour < 1 || hour > 12 : hour > 23;
  if (bad || minute > 59) return { problem: `${quote(a.text + (words === 2 && b ? ` ${b.text}` : ''))} is not a time of day: say e.g. since 9am or since 14:30` };
  if (meridiem === 'am' && hour === 12) hour = 0;
  if (meridiem === 'pm' && hour < 12) hour += 12;
  return { hour, minute, words };
}
