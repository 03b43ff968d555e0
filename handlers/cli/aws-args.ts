/**
 * What the commands that read AWS (`why`, `apis`, `check`) share: strict option parsing whose errors
 * are one line naming the option, the `--account` / `--region` / `--sandbox` options, and turning "which
 * API? which stage?" into a line that ends with the command to type instead.
 */
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { shellQuote } from '../../src/diagnosis/shell';
import { ErrorCode, TargetError, UsageError } from '../../src/errors';
import type { AwsSelection } from './command';

/** The options every AWS-reading command takes. */
export const AWS_OPTIONS = {
  account: { type: 'string' },
  region: { type: 'string' },
  sandbox: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
} as const satisfies ParseArgsConfig['options'];

/** `parseArgs`, strict, with its errors rewritten as one UsageError line that points at the command's help. */
export function parseCommandLine<O extends NonNullable<ParseArgsConfig['options']>>(command: string, args: string[], options: O) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (e) {
    throw new UsageError(`${describeParseError(e)}; see: apigw-doctor help ${command}`);
  }
}

function describeParseError(e: unknown): string {
  const message = e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e);
  const code = (e as { code?: unknown }).code;
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown) return `unknown option ${unknown[1] ?? ''}`;
  const missing = /Option '(-[^ ']+)[^']*' argument missing/.exec(message);
  if (missing) return `${missing[1] ?? 'the option'} needs a value`;
  const noValue = /Option '(-[^ ']+)[^']*' does not take an argument/.exec(message);
  if (noValue) return `${noValue[1] ?? 'the option'} takes no value`;
  return message.replace(/\.$/, '') || 'bad arguments';
}

/** The AWS selection of parsed options. */
export function awsSelection(values: { account?: string; region?: string; sandbox?: boolean }): AwsSelection {
  return { ...(values.account !== undefined ? { account: values.account } : {}), ...(values.region !== undefined ? { region: values.region } : {}), sandbox: values.sandbox === true };
}

/** The flags that select the same AWS again, for a command line suggested to the user. */
export function selectionFlags(selection: AwsSelection): string[] {
  return [...(selection.account !== undefined ? ['--account', selection.account] : []), ...(selection.region !== undefined ? ['--region', selection.region] : []), ...(selection.sandbox ? ['--sandbox'] : [])];
}

/** A command line as a user would paste it. */
export function commandLine(words: readonly string[]): string {
  return ['apigw-doctor', ...words].map(shellQuote).join(' ');
}

/**
 * Rethrows `e`, a TargetError with what to type instead appended ("…; try: apigw-doctor why 502
 * orders-api prod"). `retry` builds the command line for one candidate: a stage name when the stage is
 * the question, an API name or id otherwise. Other errors are rethrown as they are.
 */
export function rethrowWithTryHint(e: unknown, retry: (candidate: string, kind: 'stage' | 'api') => string): never {
  if (!(e instanceof TargetError) || e.candidates.length === 0) throw e;
  const kind = e.code === ErrorCode.StageNeeded ? 'stage' : 'api';
  // Domain mappings are offered as base paths ("/v1"), which are not something to type on their own.
  const candidates = e.candidates.filter((c) => kind === 'stage' || !c.startsWith('/')).slice(0, 3);
  if (candidates.length === 0) throw e;
  const code = e.code as ErrorCode.UnknownTarget | ErrorCode.AmbiguousTarget | ErrorCode.StageNeeded;
  throw new TargetError(code, `${e.message}; try: ${candidates.map((c) => retry(c, kind)).join(' or ')}`, e.candidates);
}
