/**
 * Any command as a long-running child process in a folder of the test's choosing (a container image's
 * CMD run from the image's folder, or the repository's own web and worker through `startProcess` in
 * `processes.ts`): every line it wrote, waiting for a line, and stopping it. It runs whatever `argv`
 * says, from `cwd`, with only `env` (and PATH, HOME) set.
 */
import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import type { ChildProcess } from 'node:child_process';

/** A child process of a test: every line it wrote, waiting for a line, stopping it. */
export interface BotProcess {
  child: ChildProcess;
  /** Every line the process wrote, stdout and stderr. */
  lines: string[];
  /** Resolves once a line contains `text` (rejects after `timeoutMs`). */
  waitForLine(text: string | RegExp, timeoutMs?: number): Promise<string>;
  /** SIGTERM, then SIGKILL after 5 s; resolves on exit. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface CommandOptions {
  cwd: string;
  env: Record<string, string>;
  /** Names the process in error messages. Default argv joined. */
  name?: string;
}

/** Starts `argv` (`node` is the Node running the tests, first on PATH). */
export function startCommand(argv: readonly string[], options: CommandOptions): BotProcess {
  const name = options.name ?? argv.join(' ');
  const child = spawn(argv[0]!, argv.slice(1), {
    cwd: options.cwd,
    env: { PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`, HOME: process.env.HOME ?? '/tmp', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: { test: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  const take = (buffer: { text: string }) => (chunk: Buffer): void => {
    buffer.text += chunk.toString('utf8');
    for (let i = buffer.text.indexOf('\n'); i >= 0; i = buffer.text.indexOf('\n')) {
      const line = buffer.text.slice(0, i);
      buffer.text = buffer.text.slice(i + 1);
      lines.push(line);
      for (const w of waiters.filter((x) => x.test(line))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  };
  child.stdout.on('data', take({ text: '' }));
  child.stderr.on('data', take({ text: '' }));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    lines,
    waitForLine: (text, timeoutMs = 20_000) => {
      const test = (line: string): boolean => (typeof text === 'string' ? line.includes(text) : text.test(line));
      const seen = lines.find(test);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name}: no line matching ${String(text)} within ${timeoutMs} ms; last lines:\n${lines.slice(-15).join('\n')}`)), timeoutMs);
        waiters.push({
          test,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
      });
    },
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
