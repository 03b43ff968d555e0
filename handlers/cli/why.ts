/**
 * `apigw-doctor why 502 orders-api [stage]`: investigates an API stage's 5xx in AWS (or the sandbox),
 * showing each source as it is read, then prints the findings, evidence and fixes. `--json` prints
 * the diagnosis of DESIGN.md §3 plus `target`, `window` and `checked`, and nothing else on stdout.
 */
import { investigate } from '../../src/collect/investigate';
import { logLiteralsOf } from '../../src/collect/log-literals';
import { formatSince, looksLikeWindow, parseSince, windowEndingAt } from '../../src/collect/window';
import { diagnose } from '../../src/diagnosis/engine';
import type { StatusQuery } from '../../src/diagnosis/evidence';
import { parseStatus } from '../../src/diagnosis/evidence';
import { UsageError } from '../../src/errors';
import { investigationJson, renderInvestigationReport } from '../../src/render/investigation-report';
import { createProgress, investigatingLine } from '../../src/render/progress';
import { showControls, showControlsIn } from '../../src/render/show-controls';
import { windowPhraseOf } from '../../src/render/window-phrase';
import type { AwsSelection, CliCommand } from './command';
import { AWS_OPTIONS, awsSelection, commandLine, parseCommandLine, selectionFlags, rethrowWithTryHint } from './aws-args';

const usage = `Usage:
  apigw-doctor why <500…599|5xx> <api> [stage] [--since 1h] [--account A] [--region R] [--sandbox] [--json]

  <api>       the API's name, id (a1b2c3d4e5), invoke URL or custom domain
  [stage]     default: the only stage, or the one with the 5xx
  --since     how far back to look, 15m to 7d (default 1h); a last argument such as 6h does the same
  --account   an account alias from APIGW_DOCTOR_CONFIG (default: its defaultAccount, else the default credentials)
  --region    default: the account's first Region, else AWS_REGION
  --sandbox   read the built-in sandbox account instead of AWS (also APIGW_DOCTOR_SANDBOX=1)
  --json      print the diagnosis as JSON (DESIGN.md §3) with target, window and checked

  e.g. apigw-doctor why 502 orders-api --sandbox`;

const DEFAULT_SINCE = '1h';

export interface WhyArgs {
  status: StatusQuery;
  api: string;
  stage?: string;
  sinceMs: number;
  selection: AwsSelection;
  json: boolean;
}

/** Parses a `why` command line; every mistake is one UsageError line saying what to type. */
export function parseWhyArgs(args: string[]): WhyArgs {
  const { values, positionals } = parseCommandLine('why', args, { ...AWS_OPTIONS, since: { type: 'string' } });
  const words = [...positionals];
  // "why 5xx orders-api dev 6h": a last word shaped like a window is the window.
  let since = values.since;
  const last = words[words.length - 1];
  if (words.length >= 3 && last !== undefined && looksLikeWindow(last)) {
    if (since !== undefined) throw new UsageError(`give the window once: --since ${since} or ${last}, not both`);
    since = last;
    words.pop();
  }
  const [statusText, api, stage, ...extra] = words;
  if (statusText === undefined) throw new UsageError('why needs a status and an API, e.g. apigw-doctor why 502 orders-api');
  const status = parseStatusWord(statusText, api);
  if (api === undefined) throw new UsageError(`why needs an API after the status, e.g. apigw-doctor why ${statusText} orders-api`);
  if (extra.length > 0) throw new UsageError(`too many arguments: ${extra.join(' ')}; expected why <status> <api> [stage] [window]`);
  return {
    status,
    api,
    ...(stage !== undefined ? { stage } : {}),
    sinceMs: parseSince(since ?? DEFAULT_SINCE),
    selection: awsSelection(values),
    json: values.json,
  };
}

function parseStatusWord(text: string, next: string | undefined): StatusQuery {
  try {
    return parseStatus(text);
  } catch {
    if (next !== undefined && isStatus(next)) throw new UsageError(`the status comes first: apigw-doctor why ${next} ${text}`);
    throw new UsageError(`expected a status from 500 to 599 or 5xx, got "${text.length > 40 ? `${text.slice(0, 37)}…` : text}"`);
  }
}

function isStatus(text: string): boolean {
  try {
    parseStatus(text);
    return true;
  } catch {
    return false;
  }
}

export const whyCommand: CliCommand = {
  name: 'why',
  summary: 'investigate an API stage’s 5xx in AWS: why 502 orders-api [stage] [--since 1h]',
  usage,
  run: async (args, io, deps) => {
    const a = parseWhyArgs(args);
    const kb = deps.loadKnowledge();
    for (const w of kb.warnings) io.stderr(`warning: ${w}\n`);
    const access = await deps.aws(a.selection);
    const window = windowEndingAt(deps.now(), a.sinceMs);
    const sinceLabel = formatSince(a.sinceMs);
    const progress = createProgress(io.stderr, { tty: io.stderrIsTTY, color: io.stderrIsTTY, startLabel: `finding ${showControls(a.api)} in ${access.ports.region}${access.sandbox ? ' (sandbox)' : ''}` });
    const again = (stage: string | undefined, api = a.api): string =>
      commandLine(['why', String(a.status), api, ...(stage !== undefined ? [stage] : []), ...(a.sinceMs !== parseSince(DEFAULT_SINCE) ? ['--since', sinceLabel] : []), ...selectionFlags(a.selection)]);
    let investigation;
    try {
      investigation = await investigate(
        access.ports,
        { api: a.api, status: a.status, ...(a.stage !== undefined ? { stage: a.stage } : {}), from: window.from, to: window.to },
        {
          literals: logLiteralsOf(kb),
          collectorTimeoutMs: access.collectorTimeoutMs,
          // Names and details from AWS are escaped before the live progress styles them.
          onProgress: (event) => {
            const e = showControlsIn(event);
            if (e.kind === 'target') progress.target(investigatingLine(a.status, e.target, e.apiType, windowPhraseOf(e.window)));
            else progress.source(e.checked);
          },
        },
      );
    } catch (e) {
      rethrowWithTryHint(e, (candidate, kind) => (kind === 'stage' ? again(candidate) : again(a.stage, candidate)));
    } finally {
      progress.stop();
    }
    const diagnosis = diagnose(kb, investigation.evidence);
    if (a.json) {
      io.stdout(`${JSON.stringify(investigationJson(diagnosis, investigation), null, 2)}\n`);
      return 0;
    }
    // What AWS and the logs say is escaped before the report styles it (src/render/show-controls.ts).
    const shown = showControlsIn(investigation);
    const target = shown.target;
    const checkCommand = showControls(commandLine(['check', target.apiName ?? a.api, ...(target.stage !== undefined ? [target.stage] : []), ...selectionFlags(a.selection)]));
    io.stdout(renderInvestigationReport(showControlsIn(diagnosis), shown, { status: a.status, color: io.stdoutIsTTY, checkCommand }));
    return 0;
  },
};
