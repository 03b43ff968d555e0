/**
 * Progress of an investigation for a person waiting on it: the target once it resolves, then each
 * source as it completes. On a terminal a live list with a spinner line kept at the bottom; otherwise
 * (a pipe, a CI log) one plain line per event, so the output reads the same when captured.
 */
import type { Checked } from '../collect/investigate';
import type { ApiType, StatusQuery, Target } from '../diagnosis/evidence';
import { describeTarget, statusLabel } from './describe-target';
import { SOURCE_LABELS } from './phrases';
import { styles } from './text-report';


/** "Investigating 502s on orders-api (REST a1b2c3d4e5, stage prod, us-east-1), last 1h…" */
export function investigatingLine(status: StatusQuery, target: Target, apiType: ApiType, windowPhrase: string): string {
  return `Investigating ${statusLabel(status)} on ${describeTarget(target, apiType)}, ${windowPhrase}…`;
}

/** Details longer than this are cut in progress lines (the report and `--json` keep them whole). */
const MAX_DETAIL = 160;

/** "… config ✓ 41 methods, 40 integrated, stage prod": one source, as a plain line. */
export function checkedLine(c: Checked): string {
  return `… ${c.source} ${c.ok ? '✓' : '✗'} ${clip(c.detail)}`;
}

function clip(detail: string): string {
  return detail.length > MAX_DETAIL ? `${detail.slice(0, MAX_DETAIL - 1)}…` : detail;
}

export interface ProgressView {
  /** The target resolved: the first line. */
  target(line: string): void;
  source(checked: Checked): void;
  /** Clears whatever is live (the spinner); idempotent. */
  stop(): void;
}

export interface ProgressOptions {
  /** A terminal: a live list with a spinner. Otherwise plain lines. */
  tty: boolean;
  /** ANSI colour (terminals only). */
  color?: boolean;
  /** What the spinner says before the target resolves, e.g. "finding orders-api in us-east-1". */
  startLabel?: string;
  /** Spinner frame interval (default 80 ms). */
  intervalMs?: number;
  /** Clock for the elapsed time, ms (default `Date.now`). */
  now?: () => number;
}

/** A progress view writing to `write` (stderr): live on a terminal, plain lines otherwise. */
export function createProgress(write: (text: string) => void, options: ProgressOptions): ProgressView {
  return options.tty ? new LiveProgress(write, options) : new PlainProgress(write);
}

class PlainProgress implements ProgressView {
  constructor(private readonly write: (text: string) => void) {}
  target(line: string): void {
    this.write(`${line}\n`);
  }
  source(checked: Checked): void {
    this.write(`${checkedLine(checked)}\n`);
  }
  stop(): void {
    // Plain lines leave nothing to clear.
  }
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
/** Carriage return, then erase the line: the spinner line is redrawn in place. */
const CLEAR_LINE = '\r\x1b[2K';
const LABEL_WIDTH = Math.max(...Object.values(SOURCE_LABELS).map((l) => l.length));

/**
 * Completed sources are printed as lines of a list; a single spinner line below them says what is
 * still being read and for how long. Each redraw erases only the spinner line.
 */
class LiveProgress implements ProgressView {
  private readonly timer: NodeJS.Timeout;
  private readonly started: number;
  private readonly now: () => number;
  private readonly paint: ReturnType<typeof styles> & { ok: (s: string) => string; bad: (s: string) => string };
  private frame = 0;
  private label: string;
  private done = 0;
  private stopped = false;

  constructor(
    private readonly write: (text: string) => void,
    options: ProgressOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.started = this.now();
    const color = options.color ?? true;
    this.paint = { ...styles(color), ok: (s) => (color ? `\x1b[32m${s}\x1b[39m` : s), bad: (s) => (color ? `\x1b[31m${s}\x1b[39m` : s) };
    this.label = options.startLabel ?? 'finding the API';
    this.timer = setInterval(() => {
      this.frame = (this.frame + 1) % FRAMES.length;
      this.redraw();
    }, options.intervalMs ?? 80);
    // The spinner must never keep the process alive on its own.
    this.timer.unref();
    this.redraw();
  }

  target(line: string): void {
    this.print(this.paint.bold(line));
    this.label = 'reading AWS';
    this.redraw();
  }

  source(c: Checked): void {
    this.done++;
    const mark = c.ok ? this.paint.ok('✓') : this.paint.bad('✗');
    this.print(`  ${mark} ${SOURCE_LABELS[c.source].padEnd(LABEL_WIDTH)}  ${this.paint.dim(clip(c.detail))}`);
    this.redraw();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    this.write(CLEAR_LINE);
  }

  private print(line: string): void {
    if (this.stopped) return;
    this.write(`${CLEAR_LINE}${line}\n`);
  }

  private redraw(): void {
    if (this.stopped) return;
    const seconds = ((this.now() - this.started) / 1000).toFixed(1);
    const count = this.done > 0 ? `, ${this.done} source${this.done === 1 ? '' : 's'} read` : '';
    this.write(`${CLEAR_LINE}${FRAMES[this.frame] ?? ''} ${this.label}… ${this.paint.dim(`${seconds} s${count}`)}`);
  }
}
