/**
 * The processes' logger: pino JSON lines, with secrets kept out twice over. Known secret fields are
 * censored by path (pino `redact`); and because a token can also hide inside a message, an error
 * or a Slack payload echoed back, every string in every line is passed through `redactSecrets`
 * (Slack `xox?-`/`xapp-` tokens, AWS keys, Authorization headers, …), 32-hex signing-secret look-alikes
 * and the configured secrets themselves are masked just before the line is written.
 */
// Types only: the worker uses this module too and need not load Bolt.
import type { Logger as BoltLogger, LogLevel as BoltLogLevel } from '@slack/bolt';
import pino from 'pino';
import type { DestinationStream, Logger } from 'pino';
import { redactSecrets } from './diagnosis/redact';

export type { Logger } from 'pino';

const CENSOR = '[redacted]';

/** Field names that always hold a secret, wherever they appear (top level or one level down). */
const SECRET_FIELDS = [
  'token',
  'botToken',
  'appToken',
  'userToken',
  'signingSecret',
  'clientSecret',
  'accessKeyId',
  'secretAccessKey',
  'sessionToken',
  'password',
  'response_url',
  'responseUrl',
];

/** pino redact paths: each secret field at the top level and one level down, plus HTTP header shapes. */
export const REDACT_PATHS: readonly string[] = [
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((f) => `*.${f}`),
  'headers.authorization',
  'headers.cookie',
  'headers["x-slack-signature"]',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers["x-slack-signature"]',
  'req.headers.authorization',
  'config.headers.Authorization',
  '*.config.headers.Authorization',
];

export interface LoggerOptions {
  /** pino level name (`LOG_LEVEL`). Default `info`. */
  level?: string;
  /** Where JSON lines go. Default stdout. Tests pass an in-memory stream and read what was written. */
  stream?: DestinationStream;
  /** Secret values known to this process (tokens, the signing secret), masked wherever they appear. */
  secrets?: readonly (string | undefined)[];
  /** Fields on every line (e.g. `{ process: 'web' }`). Default none (pino's pid and hostname are left out). */
  base?: Record<string, unknown>;
}

/** A pino logger whose output never carries the secrets it knows of or recognises. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const secrets = (options.secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length >= 6);
  const mask = (text: string): string => maskString(text, secrets);
  const pinoOptions: pino.LoggerOptions = {
    level: options.level ?? 'info',
    base: options.base ?? null,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: [...REDACT_PATHS], censor: CENSOR },
    formatters: { level: (label) => ({ level: label }) },
    hooks: { streamWrite: (line) => maskLine(line, mask) },
  };
  return options.stream ? pino(pinoOptions, options.stream) : pino(pinoOptions);
}

/** Masks every secret `redactSecrets` recognises, 32-hex signing-secret look-alikes and the known secrets. */
export function maskString(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('****');
  out = redactSecrets(out);
  // A response_url lets anyone post into the channel for 30 minutes.
  out = out.replace(/https:\/\/hooks\.slack\.com\/[^\s"'<>]+/g, 'https://hooks.slack.com/****');
  // A Slack signing secret is 32 lowercase hex characters standing alone. Job ids hold 32-hex question
  // keys between dashes (why-<key>-<ms>), so hex joined to a dash or a word character is left alone.
  return out.replace(/(?<![\w-])[0-9a-f]{32}(?![\w-])/g, '****');
}

/**
 * Masks the strings of one JSON line without breaking its JSON: the line is parsed, every string
 * (keys included) is masked, and it is written again. A line that is not JSON is masked as text.
 */
function maskLine(line: string, mask: (text: string) => string): string {
  const newline = line.endsWith('\n') ? '\n' : '';
  try {
    const value = JSON.parse(line) as unknown;
    return JSON.stringify(maskValue(value, mask)) + newline;
  } catch {
    return mask(line);
  }
}

function maskValue(value: unknown, mask: (text: string) => string): unknown {
  if (typeof value === 'string') return mask(value);
  if (Array.isArray(value)) return value.map((v) => maskValue(v, mask));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[mask(k)] = maskValue(v, mask);
    return out;
  }
  return value;
}

/** The Bolt level closest to a pino level, for `new App({ logLevel })`. Bolt's levels are these very strings. */
export function boltLogLevel(level: string): BoltLogLevel {
  if (level === 'trace' || level === 'debug') return 'debug' as BoltLogLevel;
  if (level === 'warn') return 'warn' as BoltLogLevel;
  if (level === 'error' || level === 'fatal' || level === 'silent') return 'error' as BoltLogLevel;
  return 'info' as BoltLogLevel;
}

/**
 * Bolt's and the Web API client's own messages, written through pino (so they are JSON and masked
 * like everything else). Bolt logs a list of values; an Error among them becomes `err`.
 */
export function toBoltLogger(logger: Logger): BoltLogger {
  let child = logger.child({ component: 'bolt' });
  const write =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...parts: unknown[]): void => {
      const err = parts.find((p): p is Error => p instanceof Error);
      const text = parts
        .filter((p) => p !== err)
        .map((p) => (typeof p === 'string' ? p : safeJson(p)))
        .join(' ');
      if (err) child[level]({ err }, text || err.message);
      else child[level](text);
    };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel: (level: BoltLogLevel) => {
      // Bolt's level names are pino's.
      child.level = level;
    },
    getLevel: () => boltLogLevel(child.level),
    setName: (name: string) => {
      const level = child.level;
      child = logger.child({ component: name });
      child.level = level;
    },
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
