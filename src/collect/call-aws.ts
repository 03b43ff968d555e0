/**
 * Every AWS call the adapters make goes through `callAws`: it waits for the rate limiter, retries
 * throttling with exponential backoff and full jitter, records the call, and turns a failure into an
 * `AwsCallError` that names the IAM action and resource, so the investigation can say exactly what
 * permission is missing. The SDK's own retries are switched off (`maxAttempts: 1`) so that retrying
 * happens once, here, where tests can see it.
 */
import type { AwsService, IamNeed } from './iam';
import { iamNeedOf } from './iam';
import type { RateLimiter } from './rate-limit';
import { defaultSleep } from './rate-limit';

/** Error names AWS uses for throttling across these services. */
const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'LimitExceededException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
]);
const ACCESS_DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedException', 'UnauthorizedOperation', 'UnrecognizedClientException']);
const NOT_FOUND = new Set(['ResourceNotFoundException', 'NotFoundException', 'NoSuchEntity']);
const CREDENTIALS = new Set(['CredentialsProviderError', 'ExpiredTokenException', 'ExpiredToken', 'InvalidClientTokenId', 'InvalidSignatureException']);
/** Transient failures worth one more try (network resets, 5xx from AWS). */
const TRANSIENT = new Set(['InternalFailure', 'InternalServerError', 'ServiceUnavailable', 'ServiceUnavailableException', 'ECONNRESET', 'ETIMEDOUT', 'TimeoutError']);

export type AwsErrorKind = 'throttled' | 'access-denied' | 'not-found' | 'credentials' | 'other';

/** A failed AWS call, with what it needed. */
export class AwsCallError extends Error {
  readonly kind: AwsErrorKind;
  readonly service: AwsService;
  readonly command: string;
  /** The upstream error name, e.g. `AccessDeniedException`. */
  readonly errorName: string;
  readonly need: IamNeed | undefined;
  /** The call's input, to name the IAM need again once the account is known. */
  readonly input: Readonly<Record<string, unknown>>;
  constructor(service: AwsService, command: string, errorName: string, message: string, need: IamNeed | undefined, input: Readonly<Record<string, unknown>> = {}) {
    super(`${command.replace(/Command$/, '')}: ${errorName}: ${message}`);
    this.name = 'AwsCallError';
    this.kind = classify(errorName, message);
    this.service = service;
    this.command = command;
    this.errorName = errorName;
    this.need = need;
    this.input = input;
  }
}

function classify(name: string, message: string): AwsErrorKind {
  // The error name decides; the message only when the name is a generic one.
  if (THROTTLING.has(name)) return 'throttled';
  if (ACCESS_DENIED.has(name)) return 'access-denied';
  if (NOT_FOUND.has(name)) return 'not-found';
  if (CREDENTIALS.has(name)) return 'credentials';
  if (/rate exceeded|too many requests/i.test(message)) return 'throttled';
  if (/not authorized to perform/i.test(message)) return 'access-denied';
  if (/could not load credentials/i.test(message)) return 'credentials';
  return 'other';
}

/** A call made, as recorded for call counts and the critical-path figure. */
export interface CallRecord {
  service: AwsService;
  command: string;
  startedAt: number;
  endedAt: number;
  attempts: number;
  ok: boolean;
}

export interface CallPolicy {
  region: string;
  accountId?: string;
  /** Rate limiter for a call, by service and command (API Gateway: 10 rps per account; GetResources 5 per 2 s). */
  limiterFor?: (service: AwsService, command: string) => RateLimiter | undefined;
  /** Attempts for a throttled or transient call. Default 5. */
  maxAttempts?: number;
  /** First backoff; doubled each attempt, capped at `maxDelayMs`, with full jitter. Default 200 ms. */
  baseDelayMs?: number;
  /** Default 5,000 ms. */
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
  onCall?: (record: CallRecord) => void;
}

interface CommandLike {
  readonly input: object;
}

/**
 * Runs `send` (which sends `command` on an SDK client) under the policy. `command` is only read for its
 * class name and input, to name the IAM need.
 */
export async function callAws<T>(policy: CallPolicy, service: AwsService, command: CommandLike, send: () => Promise<T>): Promise<T> {
  const name = command.constructor.name;
  const now = policy.now ?? Date.now;
  const sleep = policy.sleep ?? defaultSleep;
  const random = policy.random ?? Math.random;
  const maxAttempts = policy.maxAttempts ?? 5;
  const base = policy.baseDelayMs ?? 200;
  const cap = policy.maxDelayMs ?? 5_000;
  const limiter = policy.limiterFor?.(service, name);
  const startedAt = now();
  for (let attempt = 1; ; attempt++) {
    if (limiter) await limiter.take();
    try {
      const out = await send();
      policy.onCall?.({ service, command: name, startedAt, endedAt: now(), attempts: attempt, ok: true });
      return out;
    } catch (e) {
      const errorName = errorNameOf(e);
      const message = e instanceof Error ? e.message : String(e);
      const input = command.input as Record<string, unknown>;
      const error = new AwsCallError(service, name, errorName, message, iamNeedOf(service, name, input, policy.region, policy.accountId), input);
      const retryable = error.kind === 'throttled' || TRANSIENT.has(errorName);
      if (!retryable || attempt >= maxAttempts) {
        policy.onCall?.({ service, command: name, startedAt, endedAt: now(), attempts: attempt, ok: false });
        throw error;
      }
      await sleep(Math.floor(random() * Math.min(cap, base * 2 ** (attempt - 1))));
    }
  }
}

function errorNameOf(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    if (e.name && e.name !== 'Error') return e.name;
    if (typeof code === 'string') return code;
    return 'Error';
  }
  return 'Error';
}

/** True for a failed call whose resource does not exist (an answer, for most reads, not a failure). */
export function isNotFound(e: unknown): boolean {
  return e instanceof AwsCallError && e.kind === 'not-found';
}

/** Null when the call failed because the thing read does not exist; any other failure is rethrown. */
export async function orNullWhenMissing<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (e) {
    if (isNotFound(e)) return null;
    throw e;
  }
}

/**
 * Reads every page of a paginated list, following the page token (`position` for REST, `NextToken`
 * for v2). A token that does not move would loop forever against a shared quota: it ends the list.
 */
export async function allPages<P, T>(fetch: (token: string | undefined) => Promise<P>, items: (page: P) => readonly T[] | undefined, next: (page: P) => string | undefined): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetch(token);
    out.push(...(items(page) ?? []));
    const following = next(page);
    token = following !== token ? following : undefined;
  } while (token);
  return out;
}
