/**
 * The built CLI fed hostile text (issue 11): control characters from log lines, evidence files, file
 * names and arguments are shown as JSON escapes (`\u001b`, `\r`, `\u202e`), never written raw, while
 * the report's own styling still reaches a terminal; user errors stay one line; a UTF-8 byte-order
 * mark is read past; a reader that goes away (`| head -1`) ends the run quietly.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Run } from '../helpers/cli';
import { CLI, EXAMPLE, ROOT, cli } from '../helpers/cli';

/** Characters a terminal acts on or that reorder what it shows; `\n` and `\t` are layout. */
// eslint-disable-next-line no-control-regex -- finding raw control characters is the point.
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;

function rawControls(text: string): string[] {
  return [...text].filter((c) => RAW_CONTROL.test(c)).map((c) => `U+${c.codePointAt(0)!.toString(16).padStart(4, '0')}`);
}

const TITLE = '\x1b]0;pwned\x07';
const CLEAR = '\x1b[2J\x1b[H';
const C1_CSI = '\u009b31m';
const BIDI = '\u202egnp.exe\u202c';
const MALFORMED = 'Execution failed due to configuration error: Malformed Lambda proxy response';

/** An evidence document whose log lines, target and skipped sources carry terminal sequences. */
function hostileEvidence(): Record<string, unknown> {
  return {
    status: 502,
    apiType: 'REST',
    target: { apiName: `orders${TITLE}api`, apiId: 'a1b2c3d4e5', stage: `prod${CLEAR}`, region: 'us-east-1' },
    logLines: [
      { source: 'execution', timestamp: '2026-11-25T14:02:11.121Z', message: `(3f2a9c1e) ${MALFORMED} ${TITLE}${CLEAR}${C1_CSI}${BIDI}\rFAKE` },
      { source: 'execution', timestamp: '2026-11-25T14:02:11.121Z', message: '(3f2a9c1e) Method completed with status: 502' },
    ],
    skipped: [{ source: 'lambda-logs', reason: `AccessDenied${TITLE}`, fix: `grant logs:FilterLogEvents${C1_CSI}` }],
  };
}

let dir: string;
let hostileFile: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-hostile-'));
  hostileFile = join(dir, 'hostile.json');
  writeFileSync(hostileFile, JSON.stringify(hostileEvidence()));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the text report shows control characters as escapes', () => {
  test('diagnose --evidence: log lines, API names and skipped reasons', () => {
    const r = cli(['diagnose', '--evidence', hostileFile]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(rawControls(r.stdout)).toEqual([]);
    expect(r.stdout).toContain('orders\\u001b]0;pwned\\u0007api');
    expect(r.stdout).toContain(`${MALFORMED} \\u001b]0;pwned\\u0007\\u001b[2J\\u001b[H\\u009b31m\\u202egnp.exe\\u202c\\rFAKE`);
    expect(r.stdout).toContain('AccessDenied\\u001b]0;pwned\\u0007');
    // Layout is kept: the report is still many lines.
    expect(r.stdout.split('\n').length).toBeGreaterThan(10);
  });

  test('diagnose --logs from stdin', () => {
    const r = cli(['diagnose', '--logs', '-', '--api-type', 'REST'], { input: `${MALFORMED}${TITLE}\n` });
    expect(r.status).toBe(0);
    expect(rawControls(r.stdout)).toEqual([]);
    expect(r.stdout).toContain(`${MALFORMED}\\u001b]0;pwned\\u0007`);
  });

  const scriptAvailable = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
  // `script` gives the CLI a terminal, where the report is styled.
  (scriptAvailable ? test : test.skip)('on a terminal the report keeps its own styling and nothing else', () => {
    const r = spawnSync('script', ['-qec', `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} diagnose --evidence ${JSON.stringify(hostileFile)}`, '/dev/null'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', TERM: 'xterm' },
    });
    expect(r.status).toBe(0);
    // The terminal turns \n into \r\n; the report's bold and dim are there.
    const out = r.stdout.replace(/\r\n/g, '\n');
    expect(out).toContain('\x1b[1m');
    expect(out).toContain('\x1b[2m');
    expect(out).not.toContain(TITLE);
    expect(out).not.toContain('\x1b[2J');
    expect(out).not.toContain('\x1b]');
    expect(out).toContain('orders\\u001b]0;pwned\\u0007api');
    // Every ESC left is one of the report's styles.
    // eslint-disable-next-line no-control-regex -- the styles are ESC sequences.
    expect(out.replace(/\x1b\[(?:1|2|22|31|32|39)m/g, '')).not.toContain('\x1b');
  });
});

describe('--json stays JSON with the same values', () => {
  test('diagnose --evidence --json: C0 escaped by JSON, C1 and bidi controls escaped too', () => {
    const r = cli(['diagnose', '--evidence', hostileFile, '--json']);
    expect(r.status).toBe(0);
    expect(rawControls(r.stdout)).toEqual([]);
    const out = JSON.parse(r.stdout) as { findings: { evidence: { message: string }[] }[]; skipped: { reason: string }[] };
    const messages = out.findings.flatMap((f) => f.evidence.map((e) => e.message));
    expect(messages.some((m) => m.includes(`${TITLE}${CLEAR}${C1_CSI}${BIDI}\rFAKE`))).toBe(true);
    expect(r.stdout).toContain('\\u001b]0;pwned\\u0007');
    expect(r.stdout).toContain('\\u009b31m\\u202egnp.exe\\u202c');
  });
});

describe('user errors are one line on stderr, escaped and clipped', () => {
  function expectOneLine(r: Run): string {
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^apigw-doctor: [^\n]*\n$/);
    expect(rawControls(r.stderr)).toEqual([]);
    expect(r.stderr).not.toContain('at ');
    return r.stderr;
  }

  test('a broken evidence file whose parse error echoes it', () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{"a":\n\x1b[31m1,\n');
    const line = expectOneLine(cli(['diagnose', '--evidence', file]));
    expect(line).toContain(`${file} is not JSON`);
    expect(line).toContain('\\u001b[31m1,');
  });

  test('a long argument is clipped, keeping the start and the advice at the end', () => {
    const name = `${'\x1b[2J'.repeat(50)}${'x'.repeat(5000)}`;
    const line = expectOneLine(cli(['diagnose', '--evidence', name]));
    expect(line.length).toBeLessThan(600);
    expect(line).toContain('cannot read evidence file \\u001b[2J');
    expect(line).toContain('…');
    // The end of the message survives the cut.
    expect(line).toMatch(/x: ENAMETOOLONG\n$/);
  });

  test('an unknown command and a hostile API name', () => {
    expect(expectOneLine(cli([`why\x1b]0;x\x07`]))).toContain('unknown command "why\\u001b]0;x\\u0007"');
    const line = expectOneLine(cli(['why', '502', `orders\n\x1b[2Japi`, '--sandbox']));
    expect(line).toContain('orders\\n\\u001b[2Japi');
  });

  test('kb lint names a file whose name carries a terminal sequence, escaped', () => {
    const kb = join(dir, 'kb');
    mkdirSync(kb);
    writeFileSync(join(kb, `bad\x1b]0;x\x07.yaml`), 'id: [unclosed\n');
    const r = cli(['kb', 'lint', kb]);
    expect(r.status).toBe(1);
    expect(rawControls(r.stdout + r.stderr)).toEqual([]);
    expect(r.stdout).toContain('bad\\u001b]0;x\\u0007.yaml');
  });
});

describe('a UTF-8 byte-order mark is read past', () => {
  const BOM = '\ufeff';
  const evidence = readFileSync(EXAMPLE, 'utf8');

  test('evidence file, standard input and --response file', () => {
    const file = join(dir, 'bom-evidence.json');
    writeFileSync(file, `${BOM}${evidence}`);
    const fromFile = cli(['diagnose', '--evidence', file, '--json']);
    expect(fromFile.stderr).toBe('');
    expect(JSON.parse(fromFile.stdout)).toMatchObject({ verdict: 'diagnosed' });
    const fromStdin = cli(['diagnose', '--evidence', '-', '--json'], { input: `${BOM}${evidence}` });
    expect(fromStdin.stderr).toBe('');
    expect(JSON.parse(fromStdin.stdout)).toMatchObject({ verdict: 'diagnosed' });
    const response = join(dir, 'bom-response.json');
    writeFileSync(response, `${BOM}${JSON.stringify({ status: 502, headers: { 'x-amzn-ErrorType': 'InternalServerErrorException' }, body: '{"message": "Internal server error"}' })}`);
    const r = cli(['diagnose', '--response', response, '--api-type', 'REST', '--json']);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ statusSeen: 502 });
  });

  test('only one: a second mark is an error, shown as an escape', () => {
    const file = join(dir, 'two-boms.json');
    writeFileSync(file, `${BOM}${BOM}${evidence}`);
    const r = cli(['diagnose', '--evidence', file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^apigw-doctor: .* is not JSON .*\\ufeff.*\n$/);
  });
});

describe('a reader that goes away', () => {
  /** Runs the CLI with its stdout's reader closed before it writes; resolves with its exit code and stderr. */
  function runWithClosedStdout(args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.destroy();
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code, signal) => resolve({ code, signal, stderr }));
    });
  }

  test.each([['kb', 'list'], ['help'], ['diagnose', '--evidence', EXAMPLE]])('%s: exit 0, no stack trace', async (...args) => {
    const r = await runWithClosedStdout(args);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  test('kb list | head -1 through a shell', () => {
    for (let i = 0; i < 3; i++) {
      const r = spawnSync('sh', ['-c', `"${process.execPath}" "${CLI}" kb list | head -1`], { cwd: ROOT, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.stdout.split('\n')[0]).toMatch(/^cause\s+status/);
    }
  });
});
