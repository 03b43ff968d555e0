/**
 * A token bucket: `take()` resolves when a request may go. API Gateway's control plane allows 10
 * requests per second per account with a burst of 40, and GetResources 5 per 2 seconds; every
 * investigation in the process shares the account's buckets, so several at once stay within them.
 */

/**
 * Sleeps. The timer keeps the process alive on purpose: a CLI run waiting between two Logs Insights
 * polls has nothing else pending, and an unref'd timer would let it exit mid-investigation.
 */
export const defaultSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

export interface RateLimiter {
  take(): Promise<void>;
}

export interface TokenBucketOptions {
  /** Tokens added per second. */
  ratePerSecond: number;
  /** Bucket size (the burst). */
  burst: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class TokenBucket implements RateLimiter {
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();
  private readonly opts: Required<TokenBucketOptions>;

  constructor(options: TokenBucketOptions) {
    this.opts = { now: Date.now, sleep: defaultSleep, ...options };
    this.tokens = options.burst;
    this.last = this.opts.now();
  }

  /** Waits for a token; callers are served in order. */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.acquire());
    this.queue = turn;
    return turn;
  }

  private async acquire(): Promise<void> {
    for (;;) {
      const now = this.opts.now();
      this.tokens = Math.min(this.opts.burst, this.tokens + ((now - this.last) / 1000) * this.opts.ratePerSecond);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.opts.sleep(Math.ceil(((1 - this.tokens) / this.opts.ratePerSecond) * 1000));
    }
  }
}
