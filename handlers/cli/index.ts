/** The CLI's table of contents: one line per command. */
import type { CliCommand } from './command';
import { diagnoseCommand } from './diagnose';
import { makeHelpCommand } from './help';
import { kbCommand } from './kb';

export const cliCommands: readonly CliCommand[] = [
  diagnoseCommand,
  kbCommand,
  makeHelpCommand(() => cliCommands),
];

export { helpText } from './help';
export type { CliCommand, CliDeps, CliIO } from './command';
