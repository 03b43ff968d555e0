/** `apigw-doctor help [COMMAND]`: what each command does, and how to call it. */
import { UsageError } from '../../src/errors';
import type { CliCommand } from './command';

export function makeHelpCommand(all: () => readonly CliCommand[]): CliCommand {
  return {
    name: 'help',
    summary: 'show this help, or one command in full: help diagnose',
    usage: 'Usage:\n  apigw-doctor help [COMMAND]',
    run: (args, io) => {
      const [name] = args;
      if (name !== undefined) {
        const cmd = all().find((c) => c.name === name);
        if (!cmd) throw new UsageError(`no command "${name}"; commands: ${all().map((c) => c.name).join(', ')}`);
        io.stdout(`${cmd.usage}\n`);
        return Promise.resolve(0);
      }
      io.stdout(helpText(all()));
      return Promise.resolve(0);
    },
  };
}

export function helpText(commands: readonly CliCommand[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'apigw-doctor: why does my API Gateway API return 5xx?',
    '',
    'Commands:',
    ...lines,
    '',
    'No AWS account at hand? Every AWS command takes --sandbox: apigw-doctor why 502 orders-api --sandbox',
    'From a clone: npm run -s cli -- <command> …',
    '',
  ].join('\n');
}
