/**
 * `apigw-doctor digest [--since 24h] [--all]`: the 5xx digest in a terminal, the same table the daily
 * digest posts in Slack: every API stage by its 5xx over the window, the change against the window
 * before, and the likely cause of the worst. `--json` prints the digest's data.
 */
import { collectDigest } from '../../src/collect/digest';
import { formatSince, looksLikeWindow, parseSince, windowEndingAt } from '../../src/collect/window';
import { UsageError } from '../../src/errors';
import { renderDigestReport } from '../../src/render/digest-report';
import { showControlsIn } from '../../src/render/show-controls';
import type { CliCommand } from './command';
import { AWS_OPTIONS, awsSelection, parseCommandLine } from './aws-args';

const usage = `Usage:
  apigw-doctor digest [--since 24h] [--all] [--account A] [--region R] [--sandbox] [--json]

  --since     the period, 15m to 7d (default 24h), compared with the same length of time before it; a lone argument such as 6h does the same
  --all       every stage with 5xx, not only the worst
  --account   an account alias from APIGW_DOCTOR_CONFIG (default: its defaultAccount, else the default credentials)
  --region    default: the account's first Region, else AWS_REGION
  --sandbox   read the built-in sandbox account instead of AWS (also APIGW_DOCTOR_SANDBOX=1)
  --json      print the digest: {window, before, rows: [{apiId, apiName, stage, count5xx, count, errorRate, before5xx, change, likelyCause}], unreadable, totals}`;

export const digestCommand: CliCommand = {
  name: 'digest',
  summary: 'the 5xx digest: every API stage by 5xx, change against the period before, likely cause: digest [--since 24h]',
  usage,
  run: async (args, io, deps) => {
    const { values, positionals } = parseCommandLine('digest', args, { ...AWS_OPTIONS, since: { type: 'string' }, all: { type: 'boolean', default: false } });
    const [word, ...extra] = positionals;
    if (extra.length > 0 || (word !== undefined && !looksLikeWindow(word))) throw new UsageError(`digest takes no arguments but a window, got "${positionals.join(' ')}"; e.g. apigw-doctor digest --since 24h`);
    if (word !== undefined && values.since !== undefined) throw new UsageError(`give the window once: --since ${values.since} or ${word}, not both`);
    const sinceMs = parseSince(word ?? values.since ?? '24h');
    const access = await deps.aws(awsSelection(values));
    const now = deps.now();
    const digest = await collectDigest([{ ports: access.ports }], windowEndingAt(now, sinceMs), { knowledge: deps.loadKnowledge(), now });
    if (values.json) io.stdout(`${JSON.stringify(digest, null, 2)}\n`);
    else io.stdout(renderDigestReport(showControlsIn(digest), { periodLabel: `in the last ${formatSince(sinceMs)}`, all: values.all === true, color: io.stdoutIsTTY }));
    return 0;
  },
};
