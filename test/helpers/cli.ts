/** The built CLI (`dist/`, which `npm test` builds first) run in a child process, as users and scripts run it. */
import { spawnSync } from 'node:child_process';
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
