/**
 * The one reader of process.env. Each process mode asks for the settings it needs; every missing or
 * bad variable is listed at once, and a `.env` file is loaded when present (by the composition root).
 */
import { existsSync, readFileSync } from 'node:fs';
import util from 'node:util';
import { parse as parseYaml } from 'yaml';
import type { AccountsConfig } from './collect/accounts';
import { parseAccountsConfig } from './collect/accounts';
import { UsageError } from './errors';
import type { Permissions } from './slack/permissions';
import { allowEverything, parseChannelPermissions } from './slack/permissions';

export interface CliConfig {
  /** Extra knowledge folders (`KNOWLEDGE_DIRS`, comma-separated); their causes override shipped ones. Default none. */
  knowledgeDirs: string[];
}

type Env = Readonly<Record<string, string | undefined>>;

export function loadCliConfig(env: Env = process.env): CliConfig {
  const problems: string[] = [];
  const knowledgeDirs = (env.KNOWLEDGE_DIRS ?? '')
    .split(',')
    .map((d) => d.trim())
    .filter((d) => d !== '');
  if (knowledgeDirs.some((d) => d.includes('\n'))) problems.push('KNOWLEDGE_DIRS: expected comma-separated folder paths');
  if (problems.length > 0) throw new UsageError(`bad configuration: ${problems.join('; ')}`);
  return { knowledgeDirs };
}

export interface InvestigationConfig {
  /** Account aliases from `APIGW_DOCTOR_CONFIG` (none without it: the default credential chain). */
  accounts: AccountsConfig;
  /** `AWS_REGION` (or `AWS_DEFAULT_REGION`), used when neither the command nor the account names one. */
  awsRegion?: string;
  /** `COLLECTOR_TIMEOUT_MS`: time each collector may take. Default 25,000; 1,000 to 300,000. */
  collectorTimeoutMs: number;
  /** `APIGW_DOCTOR_SANDBOX` (`1`/`true`): read the built-in sandbox account instead of AWS. Default false. */
  sandbox: boolean;
  /** `SANDBOX_LATENCY_MS`: added to each sandbox AWS call, for demos that feel like AWS. Default 0; 0 to 60,000. */
  sandboxLatencyMs: number;
}


/** Every problem found in the environment, listed at once: the message joins them, `problems` keeps them apart. */
export class ConfigError extends UsageError {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`bad configuration: ${problems.join('; ')}`);
    this.problems = problems;
  }
}

type ReadFile = (path: string) => string;
const readUtf8: ReadFile = (p) => readFileSync(p, 'utf8');

/**
 * What an investigation needs from the environment, every problem listed at once. `readFile` is
 * injected so that tests need no files.
 */
export function loadInvestigationConfig(env: Env = process.env, readFile: ReadFile = readUtf8): InvestigationConfig {
  const read = new EnvReader(env);
  const doc = readConfigDocument(read, readFile);
  const config = readInvestigation(read, readAccounts(read, doc));
  read.throwIfProblems();
  return config;
}

/** Log levels (pino's names). `silent` logs nothing. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** How Slack reaches the web process: signed HTTP requests, or a Socket Mode WebSocket when `SLACK_APP_TOKEN` is set. */
export type SlackConnection =
  /** `SLACK_SIGNING_SECRET`: Basic Information → App Credentials; every request's signature is checked with it. */
  | { mode: 'http'; signingSecret: string }
  /** `SLACK_APP_TOKEN` (`xapp-…`, scope `connections:write`). */
  | { mode: 'socket'; appToken: string };

/** Settings both processes share. */
export interface ProcessConfig {
  /** `SLACK_BOT_TOKEN` (`xoxb-…`), required. */
  botToken: string;
  /** `SLACK_API_URL`: the Web API base, ending in `/api/` (a local fake in tests). Default Slack's own. */
  slackApiUrl?: string;
  /** `REDIS_URL`. Default `redis://127.0.0.1:6379`. */
  redisUrl: string;
  /** `QUEUE_PREFIX`: the BullMQ key prefix; `{hash-tagged}` for Redis Cluster. Default `apigw`. */
  queuePrefix: string;
  /** `DEDUPE_WINDOW_S`: the same question in the same channel within this many seconds joins the running investigation. Default 120; 0 to 86,400. */
  dedupeWindowS: number;
  /** `LOG_LEVEL`: fatal, error, warn, info, debug, trace or silent. Default info. */
  logLevel: LogLevel;
}

export interface WebConfig extends ProcessConfig {
  connection: SlackConnection;
  /** `PORT`: HTTP mode serves Slack and `/healthz` on it; Socket Mode only `/healthz`. Default 3000; 0 picks a free port. */
  port: number;
  /** The `channels:` section of `APIGW_DOCTOR_CONFIG`; everything is allowed without it. */
  permissions: Permissions;
  /** The digest's defaults (`/apigw digest …` changes it from Slack; those settings win). */
  digest: DigestConfig;
}

export interface DigestConfig {
  /** `DIGEST_CHANNEL`: the channel id the daily digest goes to. Default none (no daily digest until one is set). */
  channel?: string;
  /** `DIGEST_CRON`: when it runs, a 5- or 6-field cron pattern. Default `0 9 * * *`. */
  cron: string;
  /** `DIGEST_TZ`: the IANA time zone of the cron pattern. Default `UTC`. */
  tz: string;
}

export interface WorkerConfig extends ProcessConfig {
  /** `WORKER_CONCURRENCY`: investigations one worker process runs at once. Default 2; 1 to 50. */
  concurrency: number;
  /** `WORKER_LOCK_MS`: BullMQ `lockDuration`; a crashed worker's job is retaken after about this long. Default 30,000; 100 to 600,000. */
  lockMs: number;
  /** `WORKER_STALLED_INTERVAL_MS`: BullMQ `stalledInterval`, how often stalled jobs are looked for. Default 30,000; 100 to 600,000. */
  stalledIntervalMs: number;
  /** `KNOWLEDGE_DIRS` (comma-separated): extra knowledge folders. Default none. */
  knowledgeDirs: string[];
  /** `HEALTH_PORT`: serve `/healthz` on this port (for a container's health check). Default none: no HTTP at all. */
  healthPort?: number;
  digest: DigestConfig;
  investigation: InvestigationConfig;
  /** The `channels:` section of `APIGW_DOCTOR_CONFIG`: the worker checks what each question resolved to. */
  permissions: Permissions;
}

/**
 * The web process's settings (Slack listeners): HTTP mode needs `SLACK_BOT_TOKEN` and
 * `SLACK_SIGNING_SECRET`, Socket Mode `SLACK_BOT_TOKEN` and `SLACK_APP_TOKEN`. Throws a `ConfigError`
 * listing every missing or bad variable.
 */
export function loadWebConfig(env: Env = process.env, readFile: ReadFile = readUtf8): WebConfig {
  const read = new EnvReader(env);
  const shared = readProcessConfig(read);
  const appToken = read.text('SLACK_APP_TOKEN');
  let connection: SlackConnection | undefined;
  if (appToken !== undefined) {
    if (!appToken.startsWith('xapp-')) read.problem(`SLACK_APP_TOKEN: expected an app-level token starting with xapp- (Basic Information → App-Level Tokens, scope connections:write), got one starting with "${appToken.slice(0, 4)}"`);
    else connection = { mode: 'socket', appToken };
  } else {
    const signingSecret = read.text('SLACK_SIGNING_SECRET');
    if (signingSecret === undefined) read.problem('SLACK_SIGNING_SECRET: missing; HTTP mode needs the signing secret (Basic Information → App Credentials), or set SLACK_APP_TOKEN (xapp-…) for Socket Mode');
    else if (/\s/.test(signingSecret)) read.problem('SLACK_SIGNING_SECRET: contains white space; copy it again from Basic Information → App Credentials');
    else connection = { mode: 'http', signingSecret };
  }
  const port = read.integer('PORT', 3000, 0, 65_535, 'a TCP port');
  const doc = readConfigDocument(read, readFile);
  const permissions = readPermissions(read, doc, readAccounts(read, doc));
  const digest = readDigest(read);
  read.throwIfProblems();
  // Without problems every required value was read.
  if (shared === undefined || connection === undefined) throw new ConfigError(['internal: configuration incomplete']);
  return { ...shared, connection, port, permissions, digest };
}

/**
 * The worker process's settings: Slack (to post), Redis, the BullMQ worker, the knowledge folders, the
 * digest and the investigation. Throws a `ConfigError` listing every missing or bad variable.
 */
export function loadWorkerConfig(env: Env = process.env, readFile: ReadFile = readUtf8): WorkerConfig {
  const read = new EnvReader(env);
  const shared = readProcessConfig(read);
  const concurrency = read.integer('WORKER_CONCURRENCY', 2, 1, 50, 'a number of investigations');
  const lockMs = read.integer('WORKER_LOCK_MS', 30_000, 100, 600_000, 'milliseconds');
  const stalledIntervalMs = read.integer('WORKER_STALLED_INTERVAL_MS', 30_000, 100, 600_000, 'milliseconds');
  const knowledgeDirs = (read.text('KNOWLEDGE_DIRS') ?? '')
    .split(',')
    .map((d) => d.trim())
    .filter((d) => d !== '');
  const healthPort = read.text('HEALTH_PORT') !== undefined ? read.integer('HEALTH_PORT', 0, 0, 65_535, 'a TCP port') : undefined;
  const digest = readDigest(read);
  const doc = readConfigDocument(read, readFile);
  const accounts = readAccounts(read, doc);
  const investigation = readInvestigation(read, accounts);
  const permissions = readPermissions(read, doc, accounts);
  read.throwIfProblems();
  if (shared === undefined) throw new ConfigError(['internal: configuration incomplete']);
  return { ...shared, concurrency, lockMs, stalledIntervalMs, knowledgeDirs, ...(healthPort !== undefined ? { healthPort } : {}), digest, investigation, permissions };
}

/** The settings of `npm run demo` (a local Slack channel in the browser, on the sandbox). */
export interface DemoConfig {
  /** `DEMO_PORT`: the page's port on 127.0.0.1. Default 3939; 0 picks a free one. */
  port: number;
  /** `REDIS_URL`: used when it answers; otherwise the demo starts a private redis-server. Default redis://127.0.0.1:6379. */
  redisUrl: string;
  /** Whether `REDIS_URL` was set (then the demo never starts a Redis of its own in its place). */
  redisUrlGiven: boolean;
  /** `QUEUE_PREFIX`: the demo's Redis keys. Default `apigw-demo`, apart from a production bot's `apigw`. */
  queuePrefix: string;
  /** `SANDBOX_LATENCY_MS`: each sandbox AWS answer's delay, so that progress can be watched. Default 150. */
  sandboxLatencyMs: number;
  /** `LOG_LEVEL` of the bot's processes (their lines go to a log file). Default `info`. */
  logLevel: string;
  /** `DEMO_HOSTS` (comma-separated): host names the page also answers to (a forwarded port's). Default only 127.0.0.1 and localhost. */
  hosts: string[];
}

/** The demo's settings; throws a `ConfigError` listing every bad variable. */
export function loadDemoConfig(env: Env = process.env): DemoConfig {
  const read = new EnvReader(env);
  const port = read.integer('DEMO_PORT', 3939, 0, 65_535, 'a TCP port');
  const given = read.text('REDIS_URL');
  const redisUrl = given ?? 'redis://127.0.0.1:6379';
  if (!isUrl(redisUrl, ['redis:', 'rediss:'], () => true)) read.problem('REDIS_URL: expected redis://host:port or rediss://host:port, such as redis://127.0.0.1:6379');
  const queuePrefix = read.text('QUEUE_PREFIX') ?? 'apigw-demo';
  if (!/^[A-Za-z0-9_.{}-]{1,64}$/.test(queuePrefix)) read.problem(`QUEUE_PREFIX: expected letters, digits, ".", "_", "-" and {braces} (at most 64), got "${queuePrefix}"`);
  const sandboxLatencyMs = read.integer('SANDBOX_LATENCY_MS', 150, 0, 60_000, 'milliseconds');
  const logLevel = read.text('LOG_LEVEL') ?? 'info';
  const hosts = (read.text('DEMO_HOSTS') ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '');
  for (const h of hosts) if (!/^[a-z0-9.-]+$/.test(h)) read.problem(`DEMO_HOSTS: expected host names separated by commas, such as my-box.example.com, got "${h}"`);
  read.throwIfProblems();
  return { port, redisUrl, redisUrlGiven: given !== undefined, queuePrefix, sandboxLatencyMs, logLevel, hosts };
}

/**
 * Loads `path` (default `.env` in the working directory) into `target` (default `process.env`) when
 * the file exists; variables already set win, as with `node --env-file`. Parsed by Node's own
 * `util.parseEnv` (Node 20.12+, like `process.loadEnvFile`). Returns what happened, for the
 * composition root to log.
 */
export function loadDotEnv(path = '.env', target: Record<string, string | undefined> = process.env): 'loaded' | 'absent' | 'unsupported' {
  if (!existsSync(path)) return 'absent';
  // Typed as always present by @types/node 20.19, but Node 20.0–20.11 lacks it.
  const parseEnv = (util as { parseEnv?: (content: string) => Record<string, string> }).parseEnv;
  if (typeof parseEnv !== 'function') return 'unsupported';
  for (const [name, value] of Object.entries(parseEnv(readFileSync(path, 'utf8')))) {
    target[name] ??= value;
  }
  return 'loaded';
}

// ---------------------------------------------------------------------------------------------

/** Reads variables, collecting every problem instead of stopping at the first. */
class EnvReader {
  private readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  /** The trimmed value; empty counts as unset. */
  text(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  integer(name: string, fallback: number, min: number, max: number, unit: string): number {
    const text = this.text(name);
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min || n > max) {
      this.problem(`${name}: expected ${unit} from ${min} to ${max}, got "${text}"`);
      return fallback;
    }
    return n;
  }

  problem(text: string): void {
    this.problems.push(text);
  }

  throwIfProblems(): void {
    if (this.problems.length > 0) throw new ConfigError([...this.problems]);
  }
}

function readProcessConfig(read: EnvReader): ProcessConfig | undefined {
  const botToken = read.text('SLACK_BOT_TOKEN');
  let tokenOk = false;
  if (botToken === undefined) read.problem('SLACK_BOT_TOKEN: missing; set the bot token (xoxb-…, OAuth & Permissions → Bot User OAuth Token)');
  else if (!botToken.startsWith('xoxb-')) read.problem(`SLACK_BOT_TOKEN: expected a bot token starting with xoxb- (OAuth & Permissions → Bot User OAuth Token), got one starting with "${botToken.slice(0, 4)}"`);
  else tokenOk = true;

  const slackApiUrl = read.text('SLACK_API_URL');
  if (slackApiUrl !== undefined && !isUrl(slackApiUrl, ['http:', 'https:'], (u) => u.pathname.endsWith('/api/'))) {
    read.problem(`SLACK_API_URL: expected an http(s) URL ending in /api/, such as http://127.0.0.1:3999/api/, got "${slackApiUrl}"`);
  }
  const redisUrl = read.text('REDIS_URL') ?? 'redis://127.0.0.1:6379';
  // The URL may carry a password: the message does not repeat it.
  if (!isUrl(redisUrl, ['redis:', 'rediss:'], () => true)) read.problem(`REDIS_URL: expected redis://host:port or rediss://host:port, such as redis://127.0.0.1:6379`);
  const queuePrefix = read.text('QUEUE_PREFIX') ?? 'apigw';
  if (!/^[A-Za-z0-9_.{}-]{1,64}$/.test(queuePrefix)) read.problem(`QUEUE_PREFIX: expected letters, digits, ".", "_", "-" and {braces} for a Redis Cluster hash tag (at most 64), got "${queuePrefix}"`);
  const dedupeWindowS = read.integer('DEDUPE_WINDOW_S', 120, 0, 86_400, 'seconds');
  const levelText = read.text('LOG_LEVEL')?.toLowerCase() ?? 'info';
  const logLevel = LOG_LEVELS.find((l) => l === levelText);
  if (logLevel === undefined) read.problem(`LOG_LEVEL: expected one of ${LOG_LEVELS.join(', ')}, got "${levelText}"`);
  if (!tokenOk || botToken === undefined || logLevel === undefined) return undefined;
  return { botToken, redisUrl, queuePrefix, dedupeWindowS, logLevel, ...(slackApiUrl !== undefined ? { slackApiUrl } : {}) };
}

function readDigest(read: EnvReader): DigestConfig {
  const channel = read.text('DIGEST_CHANNEL');
  if (channel !== undefined && !/^[CG][A-Z0-9]{2,30}$/.test(channel)) read.problem(`DIGEST_CHANNEL: expected a channel id such as C0123ABCD (channel details → the id at the bottom), got "${channel}"`);
  const cron = read.text('DIGEST_CRON') ?? '0 9 * * *';
  const fields = cron.split(/\s+/);
  if ((fields.length !== 5 && fields.length !== 6) || !fields.every((f) => /^[0-9A-Za-z*,/?#LW-]+$/.test(f))) {
    read.problem(`DIGEST_CRON: expected a cron pattern of 5 fields (minute hour day month weekday) such as "0 9 * * 1-5", got "${cron}"`);
  }
  const tz = read.text('DIGEST_TZ') ?? 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    read.problem(`DIGEST_TZ: expected an IANA time zone such as Europe/Berlin or UTC, got "${tz}"`);
  }
  return { cron, tz, ...(channel !== undefined ? { channel } : {}) };
}

interface ConfigDocument {
  file: string;
  value: unknown;
}

/** Reads and parses `APIGW_DOCTOR_CONFIG` once; undefined when unset or unreadable (a problem is noted). */
function readConfigDocument(read: EnvReader, readFile: ReadFile): ConfigDocument | undefined {
  const file = read.text('APIGW_DOCTOR_CONFIG');
  if (file === undefined) return undefined;
  try {
    return { file, value: parseYaml(readFile(file)) as unknown };
  } catch (e) {
    const message = messageOf(e);
    read.problem(`APIGW_DOCTOR_CONFIG: ${message.includes('ENOENT') ? `${file} does not exist` : `${file}: ${message}`}`);
    return undefined;
  }
}

/** The `channels:` section, checked against the `accounts:` section; everything is allowed without it. */
function readPermissions(read: EnvReader, doc: ConfigDocument | undefined, accounts: AccountsConfig | undefined): Permissions {
  if (doc === undefined || accounts === undefined) return allowEverything;
  try {
    return parseChannelPermissions(doc.value, doc.file, { aliases: [...accounts.accounts.keys()], ...(accounts.defaultAccount ? { defaultAccount: accounts.defaultAccount } : {}) });
  } catch (e) {
    read.problem(`APIGW_DOCTOR_CONFIG: ${messageOf(e)}`);
    return allowEverything;
  }
}

function readAccounts(read: EnvReader, doc: ConfigDocument | undefined): AccountsConfig | undefined {
  if (doc === undefined) return { accounts: new Map() };
  try {
    return parseAccountsConfig(doc.value, doc.file);
  } catch (e) {
    read.problem(`APIGW_DOCTOR_CONFIG: ${messageOf(e)}`);
    return undefined;
  }
}

function readInvestigation(read: EnvReader, parsedAccounts: AccountsConfig | undefined): InvestigationConfig {
  const accounts = parsedAccounts ?? { accounts: new Map() };
  const collectorTimeoutMs = read.integer('COLLECTOR_TIMEOUT_MS', 25_000, 1_000, 300_000, 'milliseconds');
  const sandboxText = read.text('APIGW_DOCTOR_SANDBOX')?.toLowerCase() ?? '';
  let sandbox = false;
  if (sandboxText === '1' || sandboxText === 'true') sandbox = true;
  else if (sandboxText !== '' && sandboxText !== '0' && sandboxText !== 'false') read.problem(`APIGW_DOCTOR_SANDBOX: expected 1, true, 0 or false, got "${read.text('APIGW_DOCTOR_SANDBOX') ?? ''}"`);
  const sandboxLatencyMs = read.integer('SANDBOX_LATENCY_MS', 0, 0, 60_000, 'milliseconds');
  // An empty AWS_REGION means unset, so the default region variable still counts.
  const awsRegion = read.text('AWS_REGION') ?? read.text('AWS_DEFAULT_REGION');
  return { accounts, collectorTimeoutMs, sandbox, sandboxLatencyMs, ...(awsRegion ? { awsRegion } : {}) };
}

function isUrl(text: string, protocols: readonly string[], check: (u: URL) => boolean): boolean {
  try {
    const u = new URL(text);
    return protocols.includes(u.protocol) && check(u);
  } catch {
    return false;
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
