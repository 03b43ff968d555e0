#!/usr/bin/env node
/**
 * Composition root of the `apigw-doctor` CLI: reads configuration, wires the knowledge base into the
 * commands, and turns errors into exit codes (2 for anything the user can fix, with one line on
 * stderr; 1 for a defect).
 */
import { cliCommands, helpText } from '../../handlers/cli';
import type { CliDeps, CliIO } from '../../handlers/cli';
import { loadCliConfig } from '../config';
import { SHIPPED_KNOWLEDGE_DIR, loadKnowledge } from '../diagnosis/knowledge/load';
import { UsageError, UserError } from '../errors';

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
  const deps: CliDeps = {
    knowledgeDirs: config.knowledgeDirs,
    shippedKnowledgeDir: SHIPPED_KNOWLEDGE_DIR,
    loadKnowledge: () => loadKnowledge(config.knowledgeDirs),
    loadKnowledgeWith: (dirs) => loadKnowledge(dirs),
  };
  return command.run(args, io, deps);
}

const io: CliIO = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stdin: process.stdin,
  stdoutIsTTY: process.stdout.isTTY,
};

main(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof UserError) {
      io.stderr(`apigw-doctor: ${e.message}\n`);
      process.exitCode = 2;
    } else {
      io.stderr(`apigw-doctor: internal error: ${e instanceof Error ? e.message : String(e)} (this is a bug; please report it)\n`);
      process.exitCode = 1;
    }
  },
);
