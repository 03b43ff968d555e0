#!/usr/bin/env node
/**
 * Composition root of the `apigw-doctor` CLI: reads configuration, wires the knowledge base and AWS
 * (or the sandbox) into the commands, and turns errors into exit codes (2 for anything the user can
 * fix, with one line on stderr; 1 for a defect).
 */
// The AWS SDK warns on every run that its 2027 releases need Node 22; in a terminal that buries the
// progress lines. Silenced unless the variable is set (to "false" to see it).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { cliCommands, helpText } from '../../handlers/cli';
import type { AwsAccess, AwsSelection, CliDeps, CliIO } from '../../handlers/cli';
import { chooseAccount } from '../collect/accounts';
import type { AccountLimiters } from '../collect/adapters/aws/create-ports';
import type { AwsPorts } from '../collect/ports';
import type { InvestigationConfig } from '../config';
import { loadCliConfig, loadInvestigationConfig } from '../config';
import { SHIPPED_KNOWLEDGE_DIR, loadKnowledge } from '../diagnosis/knowledge/load';
import { UsageError, UserError } from '../errors';
import { showControls, toOneLine } from '../render/show-controls';

/**
 * AWS for the commands that read it. The settings, the AWS SDK and the sandbox are loaded on first
 * use, so `diagnose` and `kb` neither wait for them nor fail on a bad APIGW_DOCTOR_CONFIG. One set of
 * rate limiters serves the whole process: every investigation of an account shares its quotas.
 */
function awsFactory(now: () => Date): (selection: AwsSelection) => Promise<AwsAccess> {
  let config: InvestigationConfig | undefined;
  let limiters: AccountLimiters | undefined;
  return async (selection) => {
    config ??= loadInvestigationConfig();
    const { collectorTimeoutMs } = config;
    if (selection.sandbox || config.sandbox) return { ports: await sandboxPorts(now(), selection, config.sandboxLatencyMs), sandbox: true, collectorTimeoutMs };
    // The account and Region are settled before the SDK loads: a typo is answered at once.
    const { account, region } = chooseAccount(config.accounts, selection, config.awsRegion);
    const [aws, { NodeDns }] = await Promise.all([import('../collect/adapters/aws/create-ports'), import('../collect/adapters/dns/dns')]);
    limiters ??= new aws.AccountLimiters();
    return { ports: aws.createAwsPorts({ region, ...(account ? { account } : {}), dns: new NodeDns(), limiters }), sandbox: false, collectorTimeoutMs };
  };
}

/** The sandbox account as it is at `now`, answered through the real SDK clients and adapters. */
async function sandboxPorts(now: Date, selection: AwsSelection, latencyMs: number): Promise<AwsPorts> {
  const [{ sandboxPorts: portsOf }, { sandboxWorld }] = await Promise.all([import('../collect/adapters/sandbox-ports'), import('../collect/adapters/sandbox/sandbox-world')]);
  const world = sandboxWorld(now);
  if (selection.region !== undefined && selection.region !== world.region) {
    throw new UsageError(`the sandbox has one Region, ${world.region}; leave out --region ${selection.region}, or leave out --sandbox to read AWS`);
  }
  if (latencyMs > 0) world.latencyMs = latencyMs;
  return portsOf(world).ports;
}

async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    io.stdout(helpText(cliCommands));
    return name === undefined ? 2 : 0;
  }
  const command = cliCommands.find((c) => c.name === name);
  if (!command) throw new UsageError(`unknown command "${name}"; commands: ${cliCommands.map((c) => c.name).join(', ')} (try: help)`);
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(`${command.usage}\n`);
    return 0;
  }
  const config = loadCliConfig();
  const now = (): Date => new Date();
  const deps: CliDeps = {
    knowledgeDirs: config.knowledgeDirs,
    shippedKnowledgeDir: SHIPPED_KNOWLEDGE_DIR,
    loadKnowledge: () => loadKnowledge(config.knowledgeDirs),
    loadKnowledgeWith: (dirs) => loadKnowledge(dirs),
    aws: awsFactory(now),
    now,
    env: () => ({ ...process.env }),
  };
  return command.run(args, io, deps);
}

/**
 * Every text the commands print passes through `showControls`: control characters from logs, evidence,
 * file names and AWS are shown as escapes (`\u001b`), never written raw. On a terminal the reports'
 * own styling is kept (the commands escape the data before a report styles it), and on stderr the live
 * progress's line redraw.
 */
const stdoutIsTTY = process.stdout.isTTY === true;
const stderrIsTTY = process.stderr.isTTY === true;
const io: CliIO = {
  stdout: (text) => {
    if (!process.stdout.destroyed) process.stdout.write(showControls(text, { styles: stdoutIsTTY }));
  },
  stderr: (text) => {
    if (!process.stderr.destroyed) process.stderr.write(showControls(text, { styles: stderrIsTTY, redraw: stderrIsTTY }));
  },
  stdin: process.stdin,
  stdoutIsTTY,
  stderrIsTTY,
};

/**
 * A reader that goes away (`apigw-doctor kb list | head -1`) ends the run quietly: no stack trace, exit
 * status as the command set it, else 0 (not SIGPIPE's 141: the reader had what it wanted). Without a
 * reader of stderr the run goes on and its messages are dropped. Other write errors stay fatal.
 */
function onWriteError(stream: NodeJS.WriteStream, whenGone: () => void): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    whenGone();
  });
}
onWriteError(process.stdout, () => process.exit());
onWriteError(process.stderr, () => undefined);

main(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    // One line whatever the message echoes (a parse error quotes the input), clipped when long.
    if (e instanceof UserError) {
      io.stderr(`apigw-doctor: ${toOneLine(e.message)}\n`);
      process.exitCode = 2;
    } else {
      io.stderr(`apigw-doctor: internal error: ${toOneLine(e instanceof Error ? e.message : String(e))} (this is a bug; please report it)\n`);
      process.exitCode = 1;
    }
  },
);
