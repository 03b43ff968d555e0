/**
 * `apigw-doctor check orders-api [stage]`: is there enough telemetry on this stage to diagnose its 5xx?
 * Each item ✓/✗ with why it matters and the `aws …` commands that fix it. It only reads.
 */
import { checkTelemetry } from '../../src/collect/check-telemetry';
import { UsageError } from '../../src/errors';
import { showControlsIn } from '../../src/render/show-controls';
import { renderTelemetryReport, telemetryJson } from '../../src/render/telemetry-report';
import type { AwsSelection, CliCommand } from './command';
import { AWS_OPTIONS, awsSelection, commandLine, parseCommandLine, rethrowWithTryHint, selectionFlags } from './aws-args';

const usage = `Usage:
  apigw-doctor check <api> [stage] [--account A] [--region R] [--sandbox] [--json]

  <api>       the API's name, id (a1b2c3d4e5), invoke URL or custom domain
  [stage]     default: the only stage, or the one with the most 5xx in the last 24h
  --account   an account alias from APIGW_DOCTOR_CONFIG (default: its defaultAccount, else the default credentials)
  --region    default: the account's first Region, else AWS_REGION
  --sandbox   read the built-in sandbox account instead of AWS (also APIGW_DOCTOR_SANDBOX=1)
  --json      print {target, items: [{id, title, ok, status, current, why, fix}]}`;

export interface CheckArgs {
  api: string;
  stage?: string;
  selection: AwsSelection;
  json: boolean;
}

export function parseCheckArgs(args: string[]): CheckArgs {
  const { values, positionals } = parseCommandLine('check', args, AWS_OPTIONS);
  const [api, stage, ...extra] = positionals;
  if (api === undefined) throw new UsageError('check needs an API, e.g. apigw-doctor check orders-api');
  if (extra.length > 0) throw new UsageError(`too many arguments: ${extra.join(' ')}; expected check <api> [stage]`);
  return { api, ...(stage !== undefined ? { stage } : {}), selection: awsSelection(values), json: values.json };
}

export const checkCommand: CliCommand = {
  name: 'check',
  summary: 'is there enough logging to diagnose an API stage? check orders-api [stage]',
  usage,
  run: async (args, io, deps) => {
    const a = parseCheckArgs(args);
    const access = await deps.aws(a.selection);
    let report;
    try {
      report = await checkTelemetry(access.ports, { api: a.api, ...(a.stage !== undefined ? { stage: a.stage } : {}) }, deps.now());
    } catch (e) {
      rethrowWithTryHint(e, (candidate, kind) => commandLine(['check', ...(kind === 'stage' ? [a.api, candidate] : [candidate, ...(a.stage !== undefined ? [a.stage] : [])]), ...selectionFlags(a.selection)]));
    }
    io.stdout(a.json ? `${JSON.stringify(telemetryJson(report), null, 2)}\n` : renderTelemetryReport(showControlsIn(report), { color: io.stdoutIsTTY }));
    return 0;
  },
};
