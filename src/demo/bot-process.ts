/**
 * One of the bot's processes (`web` or `worker`) run by the demo: the built entry point as a child,
 * its JSON log lines appended to a file, and the last of them kept to explain an early exit.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { WriteStream } from 'node:fs';

export class BotProcess {
  readonly child: ChildProcess;
  private readonly recent: string[] = [];
  private readonly waiters: { test: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  private readonly exited: Promise<number | null>;

  constructor(
    readonly name: 'web' | 'worker',
    entry: string,
    options: { cwd: string; env: Record<string, string>; log: WriteStream },
  ) {
    this.child = spawn(process.execPath, [entry], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : null))));
    const take = (buffer: { text: string }) => (chunk: Buffer): void => {
      buffer.text += chunk.toString('utf8');
      let i = buffer.text.indexOf('\n');
      while (i >= 0) {
        const line = buffer.text.slice(0, i);
        buffer.text = buffer.text.slice(i + 1);
        options.log.write(`${this.name} ${line}\n`);
        this.recent.push(line);
        if (this.recent.length > 30) this.recent.shift();
        for (const w of [...this.waiters]) {
          if (w.test(line)) {
            this.waiters.splice(this.waiters.indexOf(w), 1);
            w.resolve(line);
          }
        }
        i = buffer.text.indexOf('\n');
      }
    };
    this.child.stdout?.on('data', take({ text: '' }));
    this.child.stderr?.on('data', take({ text: '' }));
  }

  /** The last lines it wrote (at most 30). */
  lastLines(n = 10): string[] {
    return this.recent.slice(-n);
  }

  /** Resolves with the first line matching `pattern`; rejects if the process exits or `timeoutMs` passes first. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string> {
    const seen = this.recent.find((l) => pattern.test(l));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name} was not ready within ${timeoutMs / 1000} s`)), timeoutMs);
      void this.exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`${this.name} exited (code ${String(code)}) before it was ready`));
      });
      this.waiters.push({
        test: (l) => pattern.test(l),
        resolve: (l) => {
          clearTimeout(timer);
          resolve(l);
        },
      });
    });
  }

  /** Resolves with the exit code when it exits, for whatever reason. */
  whenExited(): Promise<number | null> {
    return this.exited;
  }

  /** SIGTERM (the process finishes what it runs), then SIGKILL after `graceMs`. */
  async stop(graceMs = 5_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
