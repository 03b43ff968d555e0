/** `apis`: its command line, and the table and JSON it prints for a sandbox world. */
import { apisCommand, parseApisArgs } from '../../../../handlers/cli/apis';
import { UsageError } from '../../../../src/errors';
import { malformedProxyResponse } from '../../../helpers/aws-scenarios';
import { fakeDeps, fakeIO } from './fakes';

describe('parseApisArgs', () => {
  test.each([
    { args: [], want: { sinceMs: 24 * 3_600_000, selection: { sandbox: false }, json: false } },
    { args: ['6h'], want: { sinceMs: 6 * 3_600_000 } },
    { args: ['--since', '7d', '--json', '--sandbox'], want: { sinceMs: 7 * 86_400_000, json: true, selection: { sandbox: true } } },
    { args: ['--account', 'prod', '--region', 'eu-west-1'], want: { selection: { account: 'prod', region: 'eu-west-1', sandbox: false } } },
  ])('$args', ({ args, want }) => {
    expect(parseApisArgs(args)).toMatchObject(want);
  });

  test.each([
    { args: ['orders-api'], message: 'apis takes no arguments but a window, got "orders-api"; e.g. apigw-doctor apis --since 24h' },
    { args: ['1h', '2h'], message: 'apis takes no arguments but a window, got "1h 2h"; e.g. apigw-doctor apis --since 24h' },
    { args: ['6h', '--since', '1h'], message: 'give the window once: --since 1h or 6h, not both' },
    { args: ['--since', '30d'], message: '30d is longer than 7d (Logs Insights would scan all of it); expected a window such as 15m, 1h, 6h or 7d' },
    { args: ['--top', '5'], message: 'unknown option --top; see: apigw-doctor help apis' },
  ])('$args → $message', ({ args, message }) => {
    expect(() => parseApisArgs(args)).toThrow(new UsageError(message));
  });
});

test('text: a summary line and the table, worst first', async () => {
  const io = fakeIO();
  expect(await apisCommand.run(['--sandbox'], io, fakeDeps(malformedProxyResponse()))).toBe(0);
  expect(io.out()).toBe(
    [
      '5xx in us-east-1, last 24h: 1,218 across 1 of 2 API stages',
      '',
      'API / stage      type    5xx   requests  rate',
      'orders-api prod  REST  1,218  1,156,320  0.1%',
      'orders-api dev   REST      0          0    0%',
      '',
    ].join('\n'),
  );
  expect(io.err()).toBe('');
});

test('--json: the array of DESIGN.md §3 and nothing else', async () => {
  const io = fakeIO();
  await apisCommand.run(['--json', '--since', '1h'], io, fakeDeps(malformedProxyResponse()));
  expect(JSON.parse(io.out())).toEqual([
    { apiId: 'a1b2c3d4e5', apiName: 'orders-api', apiType: 'REST', stage: 'prod', region: 'us-east-1', count5xx: 1218, count: 48180, errorRate: 1218 / 48180 },
    { apiId: 'a1b2c3d4e5', apiName: 'orders-api', apiType: 'REST', stage: 'dev', region: 'us-east-1', count5xx: 0, count: 0, errorRate: 0 },
  ]);
});
