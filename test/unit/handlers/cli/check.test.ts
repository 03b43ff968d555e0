/** `check`: its command line, the report and JSON for a sandbox world, and the stage question. */
import { checkCommand, parseCheckArgs } from '../../../../handlers/cli/check';
import { UsageError } from '../../../../src/errors';
import { malformedProxyResponse, malformedWithoutAccessLogs } from '../../../helpers/aws-scenarios';
import { fakeDeps, fakeIO } from './fakes';

describe('parseCheckArgs', () => {
  test.each([
    { args: ['orders-api'], want: { api: 'orders-api', selection: { sandbox: false }, json: false } },
    { args: ['orders-api', 'prod', '--json', '--sandbox'], want: { api: 'orders-api', stage: 'prod', json: true, selection: { sandbox: true } } },
  ])('$args', ({ args, want }) => {
    expect(parseCheckArgs(args)).toMatchObject(want);
  });

  test.each([
    { args: [], message: 'check needs an API, e.g. apigw-doctor check orders-api' },
    { args: ['orders-api', 'prod', 'extra'], message: 'too many arguments: extra; expected check <api> [stage]' },
    { args: ['orders-api', '--since', '1h'], message: 'unknown option --since; see: apigw-doctor help check' },
  ])('$args → $message', ({ args, message }) => {
    expect(() => parseCheckArgs(args)).toThrow(new UsageError(message));
  });
});

test('a stage without access logs: ✗ with the commands, ✓ for what is there', async () => {
  const io = fakeIO();
  expect(await checkCommand.run(['orders-api', 'prod'], io, fakeDeps(malformedWithoutAccessLogs()))).toBe(0);
  const out = io.out();
  expect(out.split('\n')[0]).toBe('Telemetry of orders-api (REST a1b2c3d4e5, stage prod, us-east-1): 2 of 3 needed items in place');
  expect(out).toMatch(/^✓ CloudWatch role \(account\) {2}arn:aws:iam::123456789012:role\/APIGatewayCloudWatchLogs$/m);
  expect(out).toMatch(/^✓ Execution logging {10}INFO stage-wide$/m);
  expect(out).toMatch(/^✗ Access logging {13}not configured$/m);
  expect(out).toMatch(/^ {6}aws logs create-log-group --log-group-name \/aws\/apigateway\/access-logs\/a1b2c3d4e5 --region us-east-1$/m);
  expect(out).toMatch(/^○ Data trace {17}off \(optional\)$/m);
});

test('--json: target and items', async () => {
  const io = fakeIO();
  await checkCommand.run(['orders-api', '--json'], io, fakeDeps(malformedProxyResponse()));
  const doc = JSON.parse(io.out()) as { target: unknown; items: Record<string, unknown>[] };
  expect(doc.target).toEqual({ apiId: 'a1b2c3d4e5', apiName: 'orders-api', stage: 'prod', region: 'us-east-1', accountId: '123456789012', apiType: 'REST' });
  expect(doc.items.map((i) => [i.id, i.ok])).toEqual([
    ['cloudwatch-role', true],
    ['execution-logging', true],
    ['access-logging', true],
    ['access-log-format', false],
    ['detailed-metrics', false],
    ['data-trace', false],
  ]);
  for (const i of doc.items) expect(Object.keys(i)).toEqual(i.ok ? ['id', 'title', 'ok', 'status', 'current', 'why'] : ['id', 'title', 'ok', 'status', 'current', 'why', 'fix']);
});

test('an unknown stage: the stages, as check commands', async () => {
  await expect(checkCommand.run(['orders-api', 'qa', '--sandbox'], fakeIO(), fakeDeps(malformedProxyResponse()))).rejects.toThrow(
    'orders-api has no stage "qa"; its stages are prod, dev; try: apigw-doctor check orders-api prod --sandbox or apigw-doctor check orders-api dev --sandbox',
  );
});
