/** The CLI's table of contents: one line per command. */
import { apisCommand } from './apis';
import { checkCommand } from './check';
import type { CliCommand } from './command';
import { diagnoseCommand } from './diagnose';
import { digestCommand } from './digest';
import { doctorCommand } from './doctor';
import { makeHelpCommand } from './help';
import { kbCommand } from './kb';
import { whyCommand } from './why';

export const cliCommands: readonly CliCommand[] = [
  whyCommand,
  apisCommand,
  checkCommand,
  digestCommand,
  diagnoseCommand,
  doctorCommand,
  kbCommand,
  makeHelpCommand(() => cliCommands),
];

export { helpText } from './help';
export type { AwsAccess, AwsSelection, CliCommand, CliDeps, CliIO } from './command';
