/**
 * The built CLI in child processes, as users and other tools call it: the JSON contract of DESIGN.md
 * §3, the terminal report, bad input (exit 2 with one line, never a stack trace), `--logs` from a
 * file and stdin, `kb lint`, and a log far larger than the heap it is allowed.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE, cli } from '../helpers/cli';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('diagnose --evidence', () => {
  test('--json follows the output contract', () => {
    const r = cli(['diagnose', '--evidence', EXAMPLE, '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    // The contract's keys in its order; `statuses` (requests per status in the logs) follows them.
    expect(Object.keys(out)).toEqual(['verdict', 'statusSeen', 'findings', 'missing', 'skipped', 'statuses']);
    expect(out).toMatchObject({ verdict: 'diagnosed', statusSeen: 502, skipped: [] });
    const findings = out.findings as Record<string, unknown>[];
    expect(findings[0]).toMatchObject({
      causeId: 'malformed-lambda-proxy-response',
      title: expect.any(String) as unknown,
      confidence: expect.any(Number) as unknown,
      explanation: expect.stringContaining('orders-handler') as unknown,
    });
    const evidence = findings[0]!.evidence as { message: string; count: number; requestIds: string[] }[];
    expect(evidence[0]).toMatchObject({ count: 3, message: 'Execution failed due to configuration error: Malformed Lambda proxy response' });
    expect(evidence[0]!.requestIds).toContain('3f2a9c1e-5b7d-4e21-9a0c-2d9e8b7c6a51');
    const fixes = findings[0]!.fixes as Record<string, unknown>[];
    expect(Object.keys(fixes[0]!)).toEqual(['title', 'command', 'changes', 'verify', 'notes']);
    expect(fixes[0]!.verify).toBe(
      "aws apigateway test-invoke-method --rest-api-id a1b2c3d4e5 --resource-id x1y2z3 --http-method GET --path-with-query-string '/orders/{id}' --region us-east-1",
    );
    for (const m of out.missing as Record<string, unknown>[]) expect(Object.keys(m)).toEqual(['what', 'how']);
    // The Authorization header in the example never leaves the process.
    expect(r.stdout).not.toContain('c2lnbmF0dXJl');
  });

  test('without --json: a readable report that leads with the status, the API and the verdict', () => {
    const r = cli(['diagnose', '--evidence', EXAMPLE]);
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('502s on orders-api (REST a1b2c3d4e5), stage prod, us-east-1: 1,204 of 48,210 requests (2.5%), since 14:02 UTC — likely cause: Malformed Lambda proxy response');
    expect(r.stdout).toContain('1. Malformed Lambda proxy response · 100%');
    expect(r.stdout).toContain('3× Execution failed due to configuration error: Malformed Lambda proxy response');
    expect(r.stdout).not.toContain('\x1b[');
  });

  test('evidence from stdin, and a status asked about that the evidence contradicts', () => {
    const doc = { status: '500', apiType: 'REST', logLines: ['Execution failed due to configuration error: Malformed Lambda proxy response'] };
    const r = cli(['diagnose', '--evidence', '-', '--json'], { input: JSON.stringify(doc) });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ verdict: 'diagnosed', statusSeen: 502, findings: [{ causeId: 'malformed-lambda-proxy-response' }] });
    const text = cli(['diagnose', '--evidence', '-'], { input: JSON.stringify(doc) });
    expect(text.stdout).toContain('You asked about 500s, but the evidence shows 502s');
  });

  test('insufficient evidence still exits 0 and says what would tell', () => {
    const r = cli(['diagnose', '--evidence', '-', '--json'], { input: '{"status":"5xx","apiType":"HTTP","logLines":["{\\"message\\":\\"Internal Server Error\\"}"]}' });
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { verdict: string; findings: { causeId: string }[]; missing: unknown[] };
    expect(out.verdict).toBe('insufficient-evidence');
    expect(out.findings[0]?.causeId).toBe('http-api-no-logging');
    expect(out.missing.length).toBeGreaterThan(0);
  });
});

describe('bad input: exit 2, one line saying what was wrong, no stack trace', () => {
  test.each<[string, string[], string | undefined, RegExp]>([
    ['missing file', ['diagnose', '--evidence', 'nope.json'], undefined, /^apigw-doctor: cannot read evidence file nope\.json: no such file$/],
    ['a folder', ['diagnose', '--evidence', 'examples'], undefined, /^apigw-doctor: evidence file examples is a folder/],
    ['not JSON', ['diagnose', '--evidence', '-'], 'status: 502', /^apigw-doctor: standard input is not JSON \(/],
    ['wrong types', ['diagnose', '--evidence', '-'], '{"status":502,"apiType":"REST","logLines":"x"}', /^apigw-doctor: logLines: expected an array/],
    ['unknown status', ['diagnose', '--evidence', '-'], '{"status":"404","apiType":"REST"}', /^apigw-doctor: status: expected a status from 500 to 599/],
    ['unknown option', ['diagnose', '--evidance', 'x'], undefined, /^apigw-doctor: Unknown option '--evidance'.*see: npm run -s cli -- help diagnose$/],
    ['no input named', ['diagnose'], undefined, /^apigw-doctor: diagnose needs --evidence FILE, --logs FILE or --response FILE; e\.g\. npm run -s cli -- diagnose --evidence examples/],
    ['--logs without an API type', ['diagnose', '--logs', '-'], '', /^apigw-doctor: --logs needs --api-type REST, HTTP or WEBSOCKET/],
    ['--logs with a bad status', ['diagnose', '--logs', '-', '--api-type', 'REST', '--status', '200'], '', /^apigw-doctor: --status: expected a status from 500 to 599/],
    ['unknown command', ['diagnoze'], undefined, /^apigw-doctor: unknown command "diagnoze"; commands: why, apis, check, digest, diagnose, doctor, kb, help/],
  ])('%s', (_name, args, input, message) => {
    const r = cli(args, input === undefined ? {} : { input });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr.trimEnd()).toMatch(message);
  });
});

describe('diagnose --logs', () => {
  test('a plain log file: findings, counts and fixes pre-filled from what the logs reveal', () => {
    const r = cli(['diagnose', '--logs', 'examples/logs/rest-execution.log', '--api-type', 'REST', '--status', '500', '--json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { statusSeen: number; findings: { causeId: string; evidence: { count: number }[]; fixes: { command: string }[] }[] };
    expect(out.statusSeen).toBe(500);
    expect(out.findings.map((f) => f.causeId)).toEqual(['lambda-invoke-permission', 'lambda-function-error', 'integration-role-permission', 'stage-variable-lambda-permission']);
    expect(out.findings[0]!.evidence[0]!.count).toBe(50);
    expect(out.findings[0]!.fixes[0]!.command).toContain("--source-arn 'arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/*'");
    expect(r.stdout).not.toContain('eyJzdWIiOiJ1c2VyLXtpfSJ9');
  });

  test('from stdin', () => {
    const r = cli(['diagnose', '--logs', '-', '--api-type', 'rest', '--json'], { input: 'x\n(abc12345) Execution failed due to a timeout error\nMethod completed with status: 504' });
    expect(JSON.parse(r.stdout)).toMatchObject({ statusSeen: 504, findings: [{ causeId: 'integration-timeout', evidence: [{ requestIds: ['abc12345'] }] }] });
  });

  test('a log several times larger than the heap streams through in bounded memory', () => {
    const path = join(dir, 'big.log');
    const fd = openSync(path, 'w');
    const block: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const id = `${(i * 7919).toString(16).padStart(8, '0')}-aaaa-4bbb-8ccc-${i.toString(16).padStart(12, '0')}`;
      block.push(`2026-11-25T09:${String(i % 60).padStart(2, '0')}:00.000Z (${id}) Method request body before transformations: {"orderId": ${i}, "items": [${'1,'.repeat(20)}2]}`);
      block.push(`2026-11-25T09:${String(i % 60).padStart(2, '0')}:00.010Z (${id}) ${i % 100 === 0 ? 'Execution failed due to a timeout error' : 'Method completed with status: 200'}`);
    }
    const text = `${block.join('\n')}\n`;
    let written = 0;
    while (written < 160 << 20) written += writeSync(fd, text);
    closeSync(fd);
    const size = statSync(path).size;
    const heapMb = 32;
    expect(size).toBeGreaterThan(4 * heapMb * (1 << 20));

    const r = cli(['diagnose', '--logs', path, '--api-type', 'REST', '--json'], { nodeArgs: [`--max-old-space-size=${heapMb}`] });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const repeats = Math.ceil((160 << 20) / Buffer.byteLength(text));
    const out = JSON.parse(r.stdout) as { findings: { causeId: string; evidence: { count: number }[] }[] };
    expect(out.findings[0]?.causeId).toBe('integration-timeout');
    expect(out.findings[0]?.evidence[0]?.count).toBe(10 * repeats);
    rmSync(path);
  });
});

describe('kb lint', () => {
  test('the shipped knowledge base is clean', () => {
    const r = cli(['kb', 'lint']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\d+ causes, \d+ examples: \d+ pass, 0 fail$/m);
  });

  test('a team folder with a bad file: the file, the field and what was expected; exit 1', () => {
    const team = join(dir, 'team');
    rmSync(team, { recursive: true, force: true });
    spawnSync('mkdir', ['-p', team]);
    writeFileSync(join(team, 'ours.yaml'), 'id: our-cause\ntitle: Ours\nsummary: s\napiTypes: [REST]\nstatuses: [502]\nexplanation: e\nsignals: []\n');
    const r = cli(['kb', 'lint', team]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`✗ ${join(team, 'ours.yaml')}: signals: expected a non-empty list`);
  });

  test('kb list shows every cause with its statuses, patterns and sources', () => {
    const r = cli(['kb', 'list']);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^cause\s+status\s+API types\s+patterns\s+facts\s+sources$/);
    for (const id of ['lambda-timeout', 'backend-tls-error', 'http-api-no-logging', 'aws-internal-failure']) expect(r.stdout).toMatch(new RegExp(`^${id} `, 'm'));
    // One line per shipped cause file, and the count of them at the end.
    const shipped = readdirSync(join(__dirname, '..', '..', 'knowledge')).filter((f) => f.endsWith('.yaml')).length;
    expect(r.stdout).toMatch(new RegExp(`^${shipped} causes, \\d+ log and access patterns$`, 'm'));
  });

  test('KNOWLEDGE_DIRS that does not exist: one line, exit 2', () => {
    const r = cli(['diagnose', '--evidence', EXAMPLE], { env: { KNOWLEDGE_DIRS: '/nonexistent/kb' } });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('apigw-doctor: /nonexistent/kb: (top level): cannot read this knowledge folder (ENOENT); check the path in KNOWLEDGE_DIRS');
  });
});

test('help lists the commands', () => {
  const r = cli(['help']);
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/diagnose .*\n.*doctor .*\n.*kb .*\n.*help/);
  expect(cli(['help', 'diagnose']).stdout).toContain('--logs FILE|-');
});
