/**
 * `npm run demo` as a newcomer runs it: the built demo entry point as a child process, its first line
 * read for the page's URL. And Chromium for browser tests: Debian's (`.ci/run` installs it), or the one
 * `CHROMIUM_PATH` names.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export interface DemoRun {
  child: ChildProcess;
  /** Everything it printed, stdout and stderr. */
  output(): string;
  /** Resolves with the page's URL once it prints it. */
  url: Promise<string>;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

export function startDemo(env: Record<string, string>): DemoRun {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'bin', 'demo.js')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so that a demo that will not stop is killed with its web, worker and Redis.
    detached: true,
  });
  let text = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = new Promise<string>((resolve, reject) => {
    const look = (chunk: Buffer): void => {
      text += chunk.toString('utf8');
      // The whole banner: it ends with how to stop.
      const found = /apigw-doctor demo: (http:\/\/127\.0\.0\.1:\d+)[^]*Ctrl\+C stops everything/.exec(text)?.[1];
      if (found !== undefined) resolve(found);
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    void exited.then((code) => reject(new Error(`the demo exited (${String(code)}) before serving its page:\n${text}`)));
  });
  url.catch(() => undefined);
  return {
    child,
    output: () => text,
    url,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      const timer = setTimeout(() => killGroup(child), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

function killGroup(child: ChildProcess): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Chromium's path: `CHROMIUM_PATH`, else Debian's. Throws how to get one when there is none. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter((p): p is string => p !== undefined && p !== '');
  const found = candidates.find((p) => existsSync(p));
  if (found === undefined) throw new Error(`No Chromium for the browser tests (looked at ${candidates.join(', ')}): install Debian's (apt-get install chromium), as .ci/run does, or set CHROMIUM_PATH`);
  return found;
}
