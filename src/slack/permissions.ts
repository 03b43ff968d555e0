/**
 * Which channel may ask about what: the optional `channels:` section of the config file
 * (`APIGW_DOCTOR_CONFIG`). Without the section every channel may ask about everything; with it, a
 * channel uses its own entry, else the `'*'` entry, else it is refused.
 *
 * ```yaml
 * channels:
 *   C0123ABCD: { accounts: [prod], apis: ['orders-*', payments-api], stages: [prod] }
 *   '*': { accounts: [dev] }
 * ```
 *
 * Checked twice. The web process checks the request as typed, for a fast answer; the guard is the
 * worker's check of what the question **resolved** to (`authorizeTarget`: the account alias, the API's
 * id and name, the stage), made before any evidence is read. API patterns (`*` is any run of
 * characters, case-insensitive) allow an API when they match its name or its id; `stages:` (optional)
 * limits the stages.
 */
import { UsageError } from '../errors';
import type { BotRequest } from './request';

/** What one channel may read. An absent list allows anything of its kind. */
export interface ChannelScope {
  /** Account aliases (from the `accounts:` section); a request naming none reads the default account. */
  accounts?: readonly string[];
  /** API names or ids, `*` matching any run of characters, compared case-insensitively. */
  apis?: readonly string[];
  /** Stage names, `*` matching any run of characters, compared case-insensitively. */
  stages?: readonly string[];
}

/** What a question resolved to, as the worker knows it once the API and stage are found. */
export interface ResolvedTarget {
  /** The account alias read (from the `accounts:` section); undefined: the default credentials. */
  account?: string;
  region: string;
  apiId: string;
  apiName: string;
  stage: string;
}

export type Authorization = { allowed: true } | { allowed: false; reason: string };

/** Answers whether a request may be served in a channel; `reason` is shown to the asker as is. */
export interface Permissions {
  /** The request as typed: a fast answer in the web process, never the guard. */
  authorize(channelId: string, request: BotRequest): Authorization;
  /** What the request resolved to: the guard, in the worker, before any evidence is read. */
  authorizeTarget(channelId: string, target: ResolvedTarget): Authorization;
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
export const allowEverything: Permissions = { authorize: () => ({ allowed: true }), authorizeTarget: () => ({ allowed: true }) };

export class ChannelPermissions implements Permissions {
  private readonly scopes: ReadonlyMap<string, ChannelScope>;
  private readonly defaultAccount: string | undefined;

  constructor(scopes: ReadonlyMap<string, ChannelScope>, defaultAccount?: string) {
    this.scopes = scopes;
    this.defaultAccount = defaultAccount;
  }

  authorize(channelId: string, request: BotRequest): Authorization {
    if (request.kind === 'help' || request.kind === 'invalid' || request.kind === 'stats' || (request.kind === 'digest' && request.action === 'show')) return { allowed: true };
    // A thread's follow-ups are about what its investigation resolved to: checked with `authorizeTarget`.
    if (request.kind === 'follow-up' || request.kind === 'again') return { allowed: true };
    const scope = this.scopeOf(channelId);
    if (!scope) return notSetUp(channelId);
    if (request.kind === 'digest') {
      // The digest covers every API of every account: only a channel that may see them all may ask for it.
      if (scope.apis || scope.accounts) return refuse('the digest covers every API of every account, and this channel is limited to some of them');
      return { allowed: true };
    }
    const account = request.kind === 'why' ? request.question.account : request.account;
    const accountCheck = this.checkAccount(scope, account ?? this.defaultAccount, account === undefined);
    if (accountCheck) return accountCheck;
    if (scope.apis) {
      const patterns = scope.apis;
      if (request.kind === 'apis') return refuse(`in this channel I may only investigate ${describeApis(patterns)}; listing every API of the account is not allowed here`);
      const api = request.kind === 'why' ? request.question.api : request.api;
      if (!patterns.some((p) => matchesPattern(p, api))) return refuse(`in this channel I may only investigate ${describeApis(patterns)}, not "${api}"`);
    }
    const stage = request.kind === 'why' ? request.question.stage : request.kind === 'check' ? request.stage : undefined;
    if (scope.stages && stage !== undefined && !scope.stages.some((p) => matchesPattern(p, stage))) return refuse(`in this channel I may only investigate ${describeStages(scope.stages)}, not stage "${stage}"`);
    return { allowed: true };
  }

  authorizeTarget(channelId: string, target: ResolvedTarget): Authorization {
    const scope = this.scopeOf(channelId);
    if (!scope) return notSetUp(channelId);
    const accountCheck = this.checkAccount(scope, target.account, false);
    if (accountCheck) return accountCheck;
    const api = `${target.apiName} (${target.apiId})`;
    if (scope.apis && !scope.apis.some((p) => matchesPattern(p, target.apiName) || matchesPattern(p, target.apiId))) {
      return refuse(`in this channel I may only investigate ${describeApis(scope.apis)}, and what you asked about is ${api}`);
    }
    if (scope.stages && !scope.stages.some((p) => matchesPattern(p, target.stage))) return refuse(`in this channel I may only investigate ${describeStages(scope.stages)}, not stage ${target.stage} of ${api}`);
    return { allowed: true };
  }

  private scopeOf(channelId: string): ChannelScope | undefined {
    return this.scopes.get(channelId) ?? this.scopes.get(ANY_CHANNEL);
  }

  /** A refusal when the scope limits accounts and `effective` is not one of them; `byDefault`: the request named none. */
  private checkAccount(scope: ChannelScope, effective: string | undefined, byDefault: boolean): Authorization | undefined {
    if (!scope.accounts) return undefined;
    const allowed = scope.accounts;
    const hint = `add --account ${allowed[0] ?? ''}`;
    if (effective === undefined) return refuse(`in this channel I may only read ${describeAccounts(allowed)}, and this request names no account; ${hint}`);
    if (!allowed.includes(effective)) return refuse(`in this channel I may only read ${describeAccounts(allowed)}, not account ${effective}${byDefault ? ` (the default); ${hint}` : ''}`);
    return undefined;
  }
}

function notSetUp(channelId: string): Authorization {
  return refuse(`this channel is not set up for apigw-doctor (channel ${channelId} is not listed under channels: in the bot's config); ask whoever runs the bot to add it, or ask in a channel that is`);
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
      if (key !== 'accounts' && key !== 'apis' && key !== 'stages') throw bad(`${field}.${key}`, 'unknown setting; a channel has accounts, apis and stages');
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
    if (value.stages !== undefined) {
      const stages = stringList(value.stages);
      if (!stages || stages.length === 0 || !stages.every((a) => a.trim() !== '' && a.length <= 128)) throw bad(`${field}.stages`, `expected a list of stage names or patterns such as [prod, 'canary-*']`);
      scope.stages = stages.map((a) => a.trim());
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

function describeStages(patterns: readonly string[]): string {
  return patterns.length === 1 ? `stage ${patterns[0] ?? ''}` : `stages ${patterns.join(', ')}`;
}

function stringList(value: unknown): string[] | undefined {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || !list.every((v): v is string => typeof v === 'string')) return undefined;
  return list;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
