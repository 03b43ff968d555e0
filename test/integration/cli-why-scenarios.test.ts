/**
 * `apigw-doctor why --sandbox` on every sandbox scenario, through the built CLI in child processes:
 * each broken API's intended cause comes first in the `--json` output, and the healthy API gets no
 * confident finding. (test/integration/sandbox-scenarios.test.ts checks the same scenarios in-process,
 * with their worlds' details.)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCENARIOS } from '../../src/collect/adapters/sandbox/scenarios';
import { CONFIDENT } from '../../src/diagnosis/engine';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'src', 'bin', 'cli.js');

interface WhyJson {
  verdict: string;
  findings: { causeId: string; confidence: number; fixes: { command: string }[] }[];
  target: { apiName: string; stage: string };
  checked: { source: string; ok: boolean }[];
}

let home: string;
const results = new Map<string, { code: number | null; stdout: string; stderr: string }>();

function why(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'why', ...args, '--sandbox', '--json'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: home, AWS_EC2_METADATA_DISABLED: 'true' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'cli-why-all-'));
  // Four at a time: a 2-core machine runs them in about the time of the slowest few.
  const queue = [...SCENARIOS];
  const worker = async (): Promise<void> => {
    for (let s = queue.shift(); s; s = queue.shift()) results.set(s.id, await why([String(s.status), s.apiName, s.stage]));
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}, 120_000);
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe.each(SCENARIOS.map((s) => [s.id, s] as const))('%s', (id, scenario) => {
  it(scenario.cause ? `names ${scenario.cause} first` : 'names no cause with confidence', () => {
    const run = results.get(id);
    expect(run?.code).toBe(0);
    const doc = JSON.parse(run?.stdout ?? '') as WhyJson;
    expect(doc.target).toMatchObject({ apiName: scenario.apiName, stage: scenario.stage });
    if (scenario.cause === null) {
      expect(doc.findings.filter((f) => f.confidence >= CONFIDENT)).toEqual([]);
      expect(doc.verdict).toBe('insufficient-evidence');
    } else {
      expect(doc.findings[0]?.causeId).toBe(scenario.cause);
      // A root cause comes with commands to paste; none may start with anything but aws.
      for (const fix of doc.findings[0]?.fixes ?? []) for (const line of fix.command.split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('#'))) expect(line).toMatch(/^aws /);
    }
    expect(doc.checked.map((c) => c.source)).toContain('config');
  });
});

describe('a quiet stage, through the built CLI', () => {
  it('says there were no 5xx, names the stage that has them, and gives no cause and no advice', async () => {
    const json = await why(['5xx', 'carts-api', 'dev']);
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout) as WhyJson & { quiet?: boolean; missing: unknown[]; stages: { stage: string; count5xx: number; count: number }[] };
    expect({ verdict: doc.verdict, quiet: doc.quiet, findings: doc.findings, missing: doc.missing }).toEqual({ verdict: 'insufficient-evidence', quiet: true, findings: [], missing: [] });
    expect(doc.stages.find((s) => s.stage === 'dev')).toEqual({ stage: 'dev', count5xx: 0, count: 0 });
    expect(doc.stages.find((s) => s.stage === 'prod')?.count5xx).toBeGreaterThan(0);

    const text = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, 'why', '5xx', 'carts-api', 'dev', '--sandbox'], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: home, AWS_EC2_METADATA_DISABLED: 'true' } });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.on('error', reject);
      child.on('close', () => resolve(out));
    });
    expect(text.split('\n')[0]).toBe('No 5xx on carts-api (REST c4r7t2s8a1, stage dev, us-east-1) in the last 1h (0 requests)');
    expect(text).toMatch(/Stage with 5xx in that window: prod \([\d,]+ of [\d,]+ requests\)/);
    expect(text).not.toMatch(/Lambda throttled|What would sharpen/);
  });
});
