/** The built CLI (`dist/`, which `npm test` builds first) run in a child process, as users and scripts run it. */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const CLI = join(ROOT, 'dist', 'src', 'bin', 'cli.js');
/** An evidence document that the CLI diagnoses as a malformed Lambda proxy response. */
export const EXAMPLE = join(ROOT, 'examples', 'evidence', 'malformed-proxy-response.json');

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `apigw-doctor <args>` with only PATH (and `env`) set; `nodeArgs` go to node, such as a heap limit. */
export function cli(args: string[], options: { input?: string; nodeArgs?: string[]; env?: Record<string, string> } = {}): Run {
  const r = spawnSync(process.execPath, [...(options.nodeArgs ?? []), CLI, ...args], {
    cwd: ROOT,
    input: options.input,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...options.env },
    maxBuffer: 64 << 20,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Runs `argv` to its end in `cwd` with only `env` set, without blocking this process (as `spawnSync`
 * would): for commands that talk to a fake served from the test itself.
 */
export function runToEnd(argv: readonly string[], options: { cwd: string; env: Record<string, string> }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd: options.cwd, env: options.env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
