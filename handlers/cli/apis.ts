/**
 * `apigw-doctor apis [--since 24h]`: every API stage of the account and Region ranked by 5xx, the
 * morning question "what is failing?". `--json` prints the array of DESIGN.md §3, most 5xx first.
 */
import { listApiErrors } from '../../src/collect/list-apis';
import { formatSince, looksLikeWindow, parseSince, windowEndingAt } from '../../src/collect/window';
import { UsageError } from '../../src/errors';
import { renderApiTable } from '../../src/render/api-table';
import { showControlsIn } from '../../src/render/show-controls';
import type { AwsSelection, CliCommand } from './command';
import { AWS_OPTIONS, awsSelection, parseCommandLine } from './aws-args';

const usage = `Usage:
  apigw-doctor apis [--since 24h] [--account A] [--region R] [--sandbox] [--json]

  --since     how far back to count, 15m to 7d (default 24h); a lone argument such as 6h does the same
  --account   an account alias from APIGW_DOCTOR_CONFIG (default: its defaultAccount, else the default credentials)
  --region    default: the account's first Region, else AWS_REGION
  --sandbox   read the built-in sandbox account instead of AWS (also APIGW_DOCTOR_SANDBOX=1)
  --json      print [{apiId, apiName, apiType, stage, region, count5xx, count, errorRate}], most 5xx first`;

export interface ApisArgs {
  sinceMs: number;
  selection: AwsSelection;
  json: boolean;
}

export function parseApisArgs(args: string[]): ApisArgs {
  const { values, positionals } = parseCommandLine('apis', args, { ...AWS_OPTIONS, since: { type: 'string' } });
  const [word, ...extra] = positionals;
  if (extra.length > 0 || (word !== undefined && !looksLikeWindow(word))) {
    throw new UsageError(`apis takes no arguments but a window, got "${positionals.join(' ')}"; e.g. apigw-doctor apis --since 24h`);
  }
  if (word !== undefined && values.since !== undefined) throw new UsageError(`give the window once: --since ${values.since} or ${word}, not both`);
  return { sinceMs: parseSince(word ?? values.since ?? '24h'), selection: awsSelection(values), json: values.json };
}

export const apisCommand: CliCommand = {
  name: 'apis',
  summary: 'API stages ranked by 5xx: apis [--since 24h]',
  usage,
  run: async (args, io, deps) => {
    const a = parseApisArgs(args);
    const access = await deps.aws(a.selection);
    const now = deps.now();
    const list = await listApiErrors(access.ports, windowEndingAt(now, a.sinceMs), now);
    if (a.json) {
      for (const s of list.skipped) io.stderr(`warning: could not read ${s.source}: ${s.reason} — ${s.fix}\n`);
      io.stdout(`${JSON.stringify(list.stages, null, 2)}\n`);
    } else {
      io.stdout(renderApiTable(showControlsIn(list), { region: access.ports.region, sinceLabel: formatSince(a.sinceMs), color: io.stdoutIsTTY }));
    }
    return 0;
  },
};
