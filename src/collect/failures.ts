/**
 * How a read that failed becomes part of the answer: a `skipped` entry naming what could not be read,
 * the upstream error and the permission or step that fixes it; and the time limit every read runs under.
 */
import type { Skipped } from '../diagnosis/evidence';
import { AwsUnavailableError } from '../errors';
import { AwsCallError } from './call-aws';
import { iamNeedOf } from './iam';

/** A read that did not answer within its collector's time. */
export class TimeoutError extends Error {}

/**
 * A failed collector as a `skipped` entry: what could not be read, the upstream error, and what to
 * grant or do about it.
 */
export function toSkipped(source: string, e: unknown, where?: { region: string; accountId?: string }): Skipped {
  if (e instanceof AwsCallError) {
    // Name the resource with the account once it is known (the call may have failed before it was).
    const iam = (where && iamNeedOf(e.service, e.command, e.input, where.region, where.accountId)) ?? e.need;
    const need = iam ? `${iam.action} on ${iam.resource}` : e.command;
    switch (e.kind) {
      case 'access-denied':
        return { source, reason: `${e.errorName} on ${need}`, fix: `allow ${iam?.action ?? e.command} on ${iam?.resource ?? '*'} for the role apigw-doctor uses (docs/iam-policy.json is the whole read-only policy)` };
      case 'throttled':
        return { source, reason: `still throttled after retries (${e.errorName} on ${need})`, fix: 're-run in a minute; other tools may be using the account’s API Gateway or CloudWatch quota' };
      case 'credentials':
        return { source, reason: `${e.errorName}: the AWS credentials are missing or expired`, fix: 'refresh the credentials (aws sso login, or the role in APIGW_DOCTOR_CONFIG)' };
      case 'not-found':
      case 'other':
        return { source, reason: e.message, fix: 're-run; if it persists, check the message above' };
    }
  }
  if (e instanceof TimeoutError) return { source, reason: e.message, fix: 're-run, narrow the window, or raise COLLECTOR_TIMEOUT_MS' };
  const message = e instanceof Error ? e.message : String(e);
  return { source, reason: message, fix: 're-run; if it persists, report it with this message' };
}

/** Rejects with a TimeoutError when `promise` has not settled within `ms`. */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new TimeoutError(`no answer within ${Math.round(ms / 1000)} s`));
    }, ms);
    timer.unref();
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolution and stage listing cannot degrade: without them there is no investigation. */
export async function unlessUnavailable<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (e) {
    if (e instanceof AwsCallError) {
      const s = toSkipped('config', e);
      throw new AwsUnavailableError(`could not read API Gateway: ${s.reason}; ${s.fix}`);
    }
    throw e;
  }
}
