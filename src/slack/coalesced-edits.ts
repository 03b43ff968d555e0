/**
 * Progress edits of one message, coalesced: Slack allows about one message a second per channel, and
 * an investigation's sources finish faster than that. Pure timing; the send function is the poster's.
 */
import type { SlackMessage } from './poster';

/**
 * Progress edits, at most one per interval: a new state replaces one not yet sent, and the last state
 * is always sent (unless `stop` comes first, when the verdict replaces it anyway).
 */
export class CoalescedEdits {
  private latest: SlackMessage | undefined;
  private timer: NodeJS.Timeout | undefined;
  private inflight: Promise<void> | undefined;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private stopped = false;

  constructor(
    private readonly send: (message: SlackMessage) => Promise<void>,
    private readonly intervalMs: number,
    private readonly onError: (e: unknown) => void,
  ) {}

  push(message: SlackMessage): void {
    if (this.stopped) return;
    this.latest = message;
    this.schedule();
  }

  /** Sends nothing more; resolves when an edit in flight has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.latest = undefined;
    await this.inflight;
  }

  private schedule(): void {
    if (this.timer !== undefined || this.inflight !== undefined || this.stopped) return;
    const delay = Math.max(0, this.lastSentAt + this.intervalMs - Date.now());
    this.timer = setTimeout(() => this.fire(), delay);
  }

  private fire(): void {
    this.timer = undefined;
    const message = this.latest;
    this.latest = undefined;
    if (message === undefined || this.stopped) return;
    this.lastSentAt = Date.now();
    this.inflight = this.send(message)
      .catch(this.onError)
      .finally(() => {
        this.inflight = undefined;
        if (this.latest !== undefined) this.schedule();
      });
  }
}
