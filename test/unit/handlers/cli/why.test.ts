/**
 * `why`: the command line (good and bad, each mistake one line), the progress on stderr, the report
 * and the JSON on stdout, and the "which API / which stage" questions ending with what to type.
 */
import { parseWhyArgs, whyCommand } from '../../../../handlers/cli/why';
import { TargetError, UsageError } from '../../../../src/errors';
import { malformedProxyResponse } from '../../../helpers/aws-scenarios';
import { fakeDeps, fakeIO } from './fakes';

describe('parseWhyArgs', () => {
  test.each([
    { args: ['502', 'orders-api'], want: { status: 502, api: 'orders-api', sinceMs: 3_600_000, selection: { sandbox: false }, json: false } },
    { args: ['5XX', 'a1b2c3d4e5', 'dev', '6h'], want: { status: '5xx', api: 'a1b2c3d4e5', stage: 'dev', sinceMs: 6 * 3_600_000 } },
    { args: ['504', 'orders-api', '--since', '15m', '--json'], want: { status: 504, sinceMs: 900_000, json: true } },
    { args: ['500', 'orders-api', 'prod', '--since=7d'], want: { stage: 'prod', sinceMs: 7 * 86_400_000 } },
    { args: ['503', 'orders-api', '90m'], want: { sinceMs: 90 * 60_000 } },
    { args: ['502', 'orders-api', '--sandbox'], want: { selection: { sandbox: true } } },
    { args: ['502', 'orders-api', '--account', 'prod', '--region', 'eu-west-1'], want: { selection: { account: 'prod', region: 'eu-west-1', sandbox: false } } },
    { args: ['502', 'https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod/orders/1'], want: { api: 'https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod/orders/1' } },
  ])('$args', ({ args, want }) => {
    expect(parseWhyArgs(args)).toMatchObject(want);
  });

  test.each([
    { args: [], message: 'why needs a status and an API, e.g. apigw-doctor why 502 orders-api' },
    { args: ['502'], message: 'why needs an API after the status, e.g. apigw-doctor why 502 orders-api' },
    { args: ['abc', 'orders-api'], message: 'expected a status from 500 to 599 or 5xx, got "abc"' },
    { args: ['404', 'orders-api'], message: 'expected a status from 500 to 599 or 5xx, got "404"' },
    { args: ['6xx', 'orders-api'], message: 'expected a status from 500 to 599 or 5xx, got "6xx"' },
    { args: ['orders-api', '502'], message: 'the status comes first: apigw-doctor why 502 orders-api' },
    { args: ['502', 'orders-api', '--since', '2w'], message: 'expected a window such as 15m, 1h, 6h or 7d, got "2w"' },
    { args: ['502', 'orders-api', '--since', 'yesterday'], message: 'expected a window such as 15m, 1h, 6h or 7d, got "yesterday"' },
    { args: ['502', 'orders-api', '--since', '5m'], message: '5m is shorter than 15m; expected a window such as 15m, 1h, 6h or 7d' },
    { args: ['502', 'orders-api', '--since', '8d'], message: '8d is longer than 7d (Logs Insights would scan all of it); expected a window such as 15m, 1h, 6h or 7d' },
    { args: ['502', 'orders-api', 'prod', '6h', '--since', '1h'], message: 'give the window once: --since 1h or 6h, not both' },
    { args: ['502', 'orders-api', 'prod', 'extra'], message: 'too many arguments: extra; expected why <status> <api> [stage] [window]' },
    { args: ['502', 'orders-api', '--verbose'], message: 'unknown option --verbose; see: apigw-doctor help why' },
    { args: ['502', 'orders-api', '-x'], message: 'unknown option -x; see: apigw-doctor help why' },
    { args: ['502', 'orders-api', '--since'], message: '--since needs a value; see: apigw-doctor help why' },
    { args: ['502', 'orders-api', '--json=yes'], message: '--json takes no value; see: apigw-doctor help why' },
  ])('$args → $message', ({ args, message }) => {
    let error: unknown;
    try {
      parseWhyArgs(args);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(message);
    expect((error as Error).message).not.toContain('\n');
  });
});

describe('why against an AWS world', () => {
  test('progress lines on stderr, then the report on stdout', async () => {
    const io = fakeIO();
    const deps = fakeDeps(malformedProxyResponse());
    expect(await whyCommand.run(['502', 'orders-api', '--sandbox'], io, deps)).toBe(0);
    expect(deps.selections).toEqual([{ sandbox: true }]);
    const progress = io.err().split('\n');
    expect(progress[0]).toBe('Investigating 502s on orders-api (REST a1b2c3d4e5, stage prod, us-east-1), last 1h…');
    expect(progress).toContain('… config ✓ 41 methods, 40 integrated, stage prod');
    expect(progress.filter((l) => l.startsWith('… ')).length).toBeGreaterThanOrEqual(6);
    expect(io.err()).not.toContain('\x1b[');

    const out = io.out();
    const lines = out.split('\n');
    expect(lines[0]).toBe('502s on orders-api (REST a1b2c3d4e5, stage prod, us-east-1), last 1h: 1,218 of 48,180 requests (2.5%), since 14:02 UTC');
    expect(lines[1]).toMatch(/^Errors began 14:02 UTC, 2 minutes after deployment dep7x1/);
    expect(out).toContain('Failing routes: GET /orders/{id} 1,198× 502');
    expect(out).toContain('1. Malformed Lambda proxy response · 100%  (malformed-lambda-proxy-response)');
    expect(out).toMatch(/^ {6}aws lambda invoke --function-name arn:aws:lambda:us-east-1:123456789012:function:orders-handler /m);
    expect(out).toMatch(/^Checked: config ✓ · execution logs ✓ · access logs ✓ · Lambda logs ✓ · metrics ✓ · Lambda policy ✓ ·/m);
    expect(out).not.toContain('\x1b[');
  });

  test('--json: the diagnosis of DESIGN.md §3 plus target, window and checked; nothing else on stdout', async () => {
    const io = fakeIO();
    expect(await whyCommand.run(['502', 'orders-api', '--json'], io, fakeDeps(malformedProxyResponse()))).toBe(0);
    const doc = JSON.parse(io.out()) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(['verdict', 'statusSeen', 'findings', 'missing', 'skipped', 'target', 'window', 'checked', 'statuses', 'failingRoutes', 'changes', 'onset', 'stages']);
    expect(doc).toMatchObject({
      verdict: 'diagnosed',
      statusSeen: 502,
      findings: [{ causeId: 'malformed-lambda-proxy-response' }],
      target: { apiId: 'a1b2c3d4e5', apiName: 'orders-api', apiType: 'REST', stage: 'prod', region: 'us-east-1', accountId: '123456789012', resourcePath: '/orders/{id}' },
      window: { from: '2026-11-25T14:00:00.000Z', to: '2026-11-25T15:00:00.000Z' },
      failingRoutes: [{ resourcePath: '/orders/{id}', httpMethod: 'GET', status: 502, count: 1198 }],
    });
    const checked = doc.checked as { source: string; ok: boolean; detail: string }[];
    expect(checked.map((c) => c.source)).toEqual(['config', 'execution-logs', 'access-logs', 'lambda-logs', 'metrics', 'lambda-policy', 'changes']);
    for (const c of checked) expect(Object.keys(c)).toEqual(['source', 'ok', 'detail']);
    expect(io.err()).toContain('Investigating 502s on orders-api');
  });

  test('on a terminal, progress is a live list: lines rewritten in place, the spinner cleared at the end', async () => {
    const io = fakeIO({ stderrIsTTY: true });
    await whyCommand.run(['502', 'orders-api'], io, fakeDeps(malformedProxyResponse()));
    const err = io.err();
    expect(err).toContain('\r\x1b[2K');
    expect(err).toMatch(/⠋ finding orders-api in us-east-1 \(sandbox\)…/);
    expect(err).toMatch(/✓.* config {9} .*41 methods, 40 integrated, stage prod/);
    expect(err.endsWith('\r\x1b[2K')).toBe(true);
    expect(io.out()).not.toContain('\r');
  });

  test('an unknown stage: the question, its stages, and the command lines to type', async () => {
    const io = fakeIO();
    const run = whyCommand.run(['502', 'orders-api', 'staging', '--sandbox', '--since', '6h'], io, fakeDeps(malformedProxyResponse()));
    await expect(run).rejects.toThrow(TargetError);
    await expect(run).rejects.toThrow(
      'orders-api has no stage "staging"; its stages are prod, dev; try: apigw-doctor why 502 orders-api prod --since 6h --sandbox or apigw-doctor why 502 orders-api dev --since 6h --sandbox',
    );
  });

  test('an unknown API: the closest names, as commands', async () => {
    const run = whyCommand.run(['5xx', 'order-api'], fakeIO(), fakeDeps(malformedProxyResponse()));
    await expect(run).rejects.toThrow('no API named "order-api" in us-east-1; closest: orders-api (a1b2c3d4e5, REST); try: apigw-doctor why 5xx orders-api');
  });

  test('bad arguments fail before AWS is touched', async () => {
    const deps = fakeDeps(malformedProxyResponse());
    await expect(whyCommand.run(['502'], fakeIO(), deps)).rejects.toThrow(UsageError);
    expect(deps.selections).toEqual([]);
  });
});
