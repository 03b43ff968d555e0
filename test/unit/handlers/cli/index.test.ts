/** The registry and `help`: every command listed once, with a usage that names it. */
import { cliCommands, helpText } from '../../../../handlers/cli';
import { fakeDeps, fakeIO } from './fakes';

test('one entry per command, each usage naming its command', () => {
  const names = cliCommands.map((c) => c.name);
  expect(names).toEqual(['why', 'apis', 'check', 'digest', 'diagnose', 'doctor', 'kb', 'help']);
  for (const c of cliCommands) {
    expect(c.usage).toMatch(new RegExp(`^Usage:\\n {2}apigw-doctor ${c.name}\\b`));
    expect(c.summary).not.toContain('\n');
  }
});

test('help lists every command and the sandbox', () => {
  const text = helpText(cliCommands);
  for (const c of cliCommands) expect(text).toContain(`  ${c.name.padEnd(8)}  ${c.summary}`);
  expect(text).toContain('apigw-doctor why 502 orders-api --sandbox');
});

test('help why prints the usage of why', async () => {
  const io = fakeIO();
  const help = cliCommands.find((c) => c.name === 'help');
  expect(await help?.run(['why'], io, fakeDeps())).toBe(0);
  expect(io.out()).toContain('apigw-doctor why <500…599|5xx> <api> [stage] [--since 1h] [--account A] [--region R] [--sandbox] [--json]');
});
