/**
 * Which channel may ask about what: the optional `channels:` section of the config file
 * (`APIGW_DOCTOR_CONFIG`). Without the section every channel may ask about everything; with it, a
 * channel uses its own entry, else the `'*'` entry, else it is refused.
 *
 * ```yaml
 * channels:
 *   C0123ABCD: { accounts: [prod], apis: ['orders-*', payments-api] }
 *   '*': { accounts: [dev] }
 * ```
 *
 * API patterns match the API as the user typed it (a name or an id; `*` is any run of characters,
 * case-insensitive): the web process does not read AWS, so list ids too if people type them.
 */
import { UsageError } from '../errors';
import type { BotRequest } from './request';

/** What one channel may read. An absent list allows anything of its kind. */
export interface ChannelScope {
  /** Account aliases (from the `accounts:` section); a request naming none reads the default account. */
  accounts?: readonly string[];
  /** API names or ids, `*` matching any run of characters, compared case-insensitively. */
  apis?: readonly string[];
}

export type Authorization = { allowed: true } | { allowed: false; reason: string };

/** Answers whether a request may be served in a channel; `reason` is shown to the asker as is. */
export interface Permissions {
  authorize(channelId: string, request: BotRequest): Authorization;
}

/** What the `accounts:` section defines, to check the channels' account names against. */
export interface KnownAccounts {
  aliases: readonly string[];
  defaultAccount?: string;
}

/** The wildcard entry: any channel without an entry of its own. */
export const ANY_CHANNEL = '*';

const CHANNEL_ID = /^[CGD][A-Z0-9]{2,30}$/;
const ALIAS = /^[A-Za-z0-9_.-]{1,64}$/;

/** Everything is allowed everywhere (no `channels:` section). */
export const allowEverything: Permissions = { authorize: () => ({ allowed: true }) };

export class ChannelPermissions implements Permissions {
  private readonly scopes: ReadonlyMap<string, ChannelScope>;
  private readonly defaultAccount: string | undefined;

  constructor(scopes: ReadonlyMap<string, ChannelScope>, defaultAccount?: string) {
    this.scopes = scopes;
    this.defaultAccount = defaultAccount;
  }

  authorize(channelId: string, request: BotRequest): Authorization {
    if (request.kind === 'help' || request.kind === 'invalid') return { allowed: true };
    const scope = this.scopes.get(channelId) ?? this.scopes.get(ANY_CHANNEL);
    if (!scope) {
      return refuse(`this channel is not set up for apigw-doctor (channel ${channelId} is not listed under channels: in the bot's config); ask whoever runs the bot to add it, or ask in a channel that is`);
    }
    const account = request.kind === 'why' ? request.question.account : request.account;
    if (scope.accounts) {
      const effective = account ?? this.defaultAccount;
      const allowed = scope.accounts;
      const hint = `add --account ${allowed[0] ?? ''}`;
      if (effective === undefined) return refuse(`in this channel I may only read ${describeAccounts(allowed)}, and this request names no account; ${hint}`);
      if (!allowed.includes(effective)) return refuse(`in this channel I may only read ${describeAccounts(allowed)}, not account ${effective}${account === undefined ? ` (the default); ${hint}` : ''}`);
    }
    if (scope.apis) {
      const patterns = scope.apis;
      if (request.kind === 'apis') return refuse(`in this channel I may only investigate ${describeApis(patterns)}; listing every API of the account is not allowed here`);
      const api = request.kind === 'why' ? request.question.api : request.api;
      if (!patterns.some((p) => matchesPattern(p, api))) return refuse(`in this channel I may only investigate ${describeApis(patterns)}, not "${api}"`);
    }
    return { allowed: true };
  }
}

/**
 * Reads the `channels:` section of the config document (other top-level keys belong to other parts).
 * Returns `allowEverything` without it. Errors name the file and the field.
 */
export function parseChannelPermissions(doc: unknown, file: string, known: KnownAccounts = { aliases: [] }): Permissions {
  const bad = (field: string, expected: string): UsageError => new UsageError(`${file}: ${field}: ${expected}`);
  if (!isRecord(doc) || doc.channels === undefined || doc.channels === null) return allowEverything;
  const raw = doc.channels;
  if (!isRecord(raw)) throw bad('channels', `expected a mapping of channel id (or '*') → {accounts, apis}, such as {C0123ABCD: {accounts: [prod], apis: ['orders-*']}}`);
  const scopes = new Map<string, ChannelScope>();
  for (const [channel, value] of Object.entries(raw)) {
    const field = `channels.${channel}`;
    if (channel !== ANY_CHANNEL && !CHANNEL_ID.test(channel)) throw bad(field, `expected a channel id such as C0123ABCD (channel details → the id at the bottom) or '*' for every other channel`);
    if (value === null || value === undefined) {
      scopes.set(channel, {});
      continue;
    }
    if (!isRecord(value)) throw bad(field, 'expected {accounts: [...], apis: [...]} (both optional)');
    for (const key of Object.keys(value)) {
      if (key !== 'accounts' && key !== 'apis') throw bad(`${field}.${key}`, 'unknown setting; a channel has accounts and apis');
    }
    const scope: ChannelScope = {};
    if (value.accounts !== undefined) {
      const accounts = stringList(value.accounts);
      if (!accounts || accounts.length === 0 || !accounts.every((a) => ALIAS.test(a))) throw bad(`${field}.accounts`, 'expected a list of account aliases such as [prod, staging]');
      for (const alias of accounts) {
        if (!known.aliases.includes(alias)) {
          throw bad(`${field}.accounts`, `unknown account "${alias}"; ${known.aliases.length > 0 ? `accounts: defines ${known.aliases.join(', ')}` : 'define it under accounts: first'}`);
        }
      }
      scope.accounts = accounts;
    }
    if (value.apis !== undefined) {
      const apis = stringList(value.apis);
      if (!apis || apis.length === 0 || !apis.every((a) => a.trim() !== '' && a.length <= 128)) throw bad(`${field}.apis`, `expected a list of API names, ids or patterns such as ['orders-*', payments-api]`);
      scope.apis = apis.map((a) => a.trim());
    }
    scopes.set(channel, scope);
  }
  return new ChannelPermissions(scopes, known.defaultAccount);
}

/** `*` matches any run of characters; everything else literally, ignoring case. */
export function matchesPattern(pattern: string, value: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 'i').test(value);
}

function refuse(reason: string): Authorization {
  return { allowed: false, reason };
}

function describeAccounts(accounts: readonly string[]): string {
  return accounts.length === 1 ? `account ${accounts[0] ?? ''}` : `accounts ${accounts.join(', ')}`;
}

function describeApis(patterns: readonly string[]): string {
  return patterns.length === 1 ? `API ${patterns[0] ?? ''}` : `APIs ${patterns.join(', ')}`;
}

function stringList(value: unknown): string[] | undefined {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || !list.every((v): v is string => typeof v === 'string')) return undefined;
  return list;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
