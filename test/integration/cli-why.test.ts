/**
 * The built CLI's AWS commands in child processes, against the sandbox account (no AWS needed):
 * `why` (report, progress on stderr, the JSON contract of DESIGN.md §3), `apis` (ranked, JSON contract),
 * `check`, and bad input (exit 2, one line on stderr, nothing on stdout).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'src', 'bin', 'cli.js');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

let home: string;
beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'cli-why-'));
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

function cli(args: string[], env: Record<string, string> = {}): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    // No credentials, no instance metadata, no Region: only the sandbox (or a clear error) can answer.
    env: { PATH: process.env.PATH ?? '', HOME: home, AWS_EC2_METADATA_DISABLED: 'true', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('why --sandbox', () => {
  let run: Run;
  beforeAll(() => {
    run = cli(['why', '502', 'orders-api', '--sandbox']);
  });

  test('exits 0 with a report naming the cause and an aws fix', () => {
    expect(run.status).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^502s on orders-api \(REST a1b2c3d4e5, stage prod, us-east-1\), last 1h: [\d,]+ of [\d,]+ requests \(\d+\.\d%\), since \d\d:\d\d UTC$/);
    expect(run.stdout).toMatch(/^1\. Malformed Lambda proxy response · \d+% {2}\(malformed-lambda-proxy-response\)$/m);
    expect(run.stdout).toMatch(/^ +aws (lambda|apigateway) [a-z-]+ .*--region us-east-1/m);
    expect(run.stdout).toMatch(/^Checked: config ✓ · /m);
    expect(run.stdout).not.toContain('\x1b[');
  });

  test('progress on stderr, one plain line per event (stderr is not a terminal)', () => {
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('Investigating 502s on orders-api (REST a1b2c3d4e5, stage prod, us-east-1), last 1h…');
    expect(lines).toContain('… config ✓ 41 methods, 40 integrated, stage prod');
    for (const line of lines.slice(1)) expect(line).toMatch(/^… (config|execution-logs|access-logs|lambda-logs|metrics|lambda-policy|dns|changes) [✓✗] /);
    expect(run.stderr).not.toContain('\r');
    expect(run.stderr).not.toContain('\x1b[');
  });

  test('--json: the diagnosis plus target, window and checked, and nothing else on stdout', () => {
    const r = cli(['why', '502', 'orders-api', '--sandbox', '--json', '--since', '6h']);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(doc).slice(0, 8)).toEqual(['verdict', 'statusSeen', 'findings', 'missing', 'skipped', 'target', 'window', 'checked']);
    expect(doc).toMatchObject({ verdict: 'diagnosed', statusSeen: 502, findings: [{ causeId: 'malformed-lambda-proxy-response' }], target: { apiId: 'a1b2c3d4e5', apiName: 'orders-api', stage: 'prod', region: 'us-east-1' } });
    const window = doc.window as { from: string; to: string };
    expect(Date.parse(window.to) - Date.parse(window.from)).toBe(6 * 3_600_000);
    const checked = doc.checked as { source: string; ok: boolean; detail: string }[];
    expect(checked.length).toBeGreaterThanOrEqual(5);
    for (const c of checked) expect(c).toEqual({ source: expect.any(String) as unknown, ok: expect.any(Boolean) as unknown, detail: expect.any(String) as unknown });
    expect(r.stderr).toMatch(/^Investigating 502s on orders-api .*, last 6h…\n/);
  });

  test('APIGW_DOCTOR_SANDBOX=1 selects the sandbox without the flag; SANDBOX_LATENCY_MS slows each call', () => {
    const r = cli(['why', '5xx', 'legacy-http', '--json'], { APIGW_DOCTOR_SANDBOX: '1', SANDBOX_LATENCY_MS: '5' });
    expect(r.stderr).toContain('Investigating 5xx errors on legacy-http (HTTP');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ findings: [{ causeId: 'http-api-no-logging' }], target: { apiName: 'legacy-http', apiType: 'HTTP', stage: '$default' } });
  });
});

describe('apis --sandbox', () => {
  test('--json: every API stage, most 5xx first, in the contract’s shape', () => {
    const r = cli(['apis', '--sandbox', '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) expect(Object.keys(row)).toEqual(['apiId', 'apiName', 'apiType', 'stage', 'region', 'count5xx', 'count', 'errorRate']);
    const counts = rows.map((row) => row.count5xx as number);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(rows).toContainEqual(expect.objectContaining({ apiId: 'a1b2c3d4e5', apiName: 'orders-api', apiType: 'REST', stage: 'prod', region: 'us-east-1' }));
    const orders = rows.find((row) => row.apiName === 'orders-api' && row.stage === 'prod');
    expect(orders?.count5xx).toBeGreaterThan(0);
    for (const row of rows) expect(row.errorRate).toBeGreaterThanOrEqual(0);
  });

  test('a table with a summary line', () => {
    const r = cli(['apis', '6h', '--sandbox']);
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^5xx in us-east-1, last 6h: [\d,]+ across \d+ of \d+ API stages$/);
    expect(lines[2]).toMatch(/^API \/ stage +type +5xx +requests +rate$/);
    expect(r.stdout).toMatch(/^orders-api prod +REST +[\d,]+ +[\d,]+ +[\d.<]+%$/m);
  });
});

describe('check --sandbox', () => {
  test('lists each telemetry item with ✓/✗ and why', () => {
    const r = cli(['check', 'orders-api', '--sandbox']);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^Telemetry of orders-api \(REST a1b2c3d4e5, stage prod, us-east-1\): \d of \d needed items in place$/);
    for (const title of ['CloudWatch role (account)', 'Execution logging', 'Access logging', 'Detailed metrics', 'Data trace']) expect(r.stdout).toMatch(new RegExp(`^[✓✗○?] ${title.replace(/[()]/g, '\\$&')} `, 'm'));
  });

  test('--json, and an HTTP API without access logs gets the command that turns them on', () => {
    const r = cli(['check', 'legacy-http', '--sandbox', '--json']);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as { target: Record<string, string>; items: { id: string; ok: boolean; fix?: string }[] };
    expect(doc.target).toMatchObject({ apiName: 'legacy-http', apiType: 'HTTP', stage: '$default' });
    const access = doc.items.find((i) => i.id === 'access-logging');
    expect(access?.ok).toBe(false);
    expect(access?.fix).toMatch(/^aws logs create-log-group /);
    expect(access?.fix).toContain("aws apigatewayv2 update-stage --api-id ");
  });
});

describe('bad input: exit 2, one line on stderr, nothing on stdout', () => {
  test.each([
    { args: ['why', '404', 'orders-api', '--sandbox'], message: 'expected a status from 500 to 599 or 5xx, got "404"' },
    { args: ['why', '502', '--sandbox'], message: 'why needs an API after the status' },
    { args: ['why', '502', 'orders-api', '--since', '2w', '--sandbox'], message: 'expected a window such as 15m, 1h, 6h or 7d, got "2w"' },
    { args: ['why', '502', 'orders-api', '--bogus'], message: 'unknown option --bogus; see: apigw-doctor help why' },
    { args: ['why', '502', 'order-api', '--sandbox'], message: /^apigw-doctor: no API named "order-api" in us-east-1; closest: orders-api \(a1b2c3d4e5, REST\).*; try: apigw-doctor why 502 orders-api --sandbox\b/ },
    { args: ['why', '502', 'orders-api', 'staging', '--sandbox'], message: 'orders-api has no stage "staging"; its stages are prod, dev; try: apigw-doctor why 502 orders-api prod --sandbox' },
    { args: ['why', '502', 'orders-api', '--sandbox', '--region', 'eu-west-1'], message: 'the sandbox has one Region, us-east-1' },
    { args: ['why', '502', 'orders-api', '--account', 'prod'], message: 'unknown account "prod"; no accounts are configured (APIGW_DOCTOR_CONFIG)' },
    { args: ['why', '502', 'orders-api'], message: 'no AWS Region: pass --region us-east-1' },
    { args: ['why', '502', 'orders-api', '--region', 'us-east-1'], message: 'could not read API Gateway: CredentialsProviderError: the AWS credentials are missing or expired' },
    { args: ['apis', 'yesterday', '--sandbox'], message: 'apis takes no arguments but a window' },
    { args: ['check', '--sandbox'], message: 'check needs an API, e.g. apigw-doctor check orders-api' },
    { args: ['check', 'orders-api', 'staging', '--sandbox'], message: 'try: apigw-doctor check orders-api prod --sandbox' },
  ])('$args', ({ args, message }) => {
    const r = cli(args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.startsWith('apigw-doctor: ')).toBe(true);
    if (typeof message === 'string') expect(r.stderr).toContain(message);
    else expect(r.stderr).toMatch(message);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  test('a bad sandbox setting is named', () => {
    const r = cli(['apis'], { APIGW_DOCTOR_SANDBOX: 'maybe', SANDBOX_LATENCY_MS: 'slow' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('apigw-doctor: bad configuration: APIGW_DOCTOR_SANDBOX: expected 1, true, 0 or false, got "maybe"; SANDBOX_LATENCY_MS: expected milliseconds from 0 to 60000, got "slow"\n');
  });
});

test('help lists the AWS commands, and each has its usage', () => {
  const r = cli(['help']);
  expect(r.status).toBe(0);
  for (const name of ['why', 'apis', 'check']) expect(r.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
  expect(cli(['why', '--help']).stdout).toMatch(/^Usage:\n {2}apigw-doctor why <500…599\|5xx> <api> \[stage\] \[--since 1h\]/);
});
