import { TokenBucket, defaultSleep } from '../../../src/collect/rate-limit';

/** A fake clock whose sleep advances time (after yielding, like a timer would). */
function fakeTime(start = 1_000_000): { now: () => number; sleep: (ms: number) => Promise<void>; sleeps: number[]; advance: (ms: number) => void; elapsed: () => number } {
  let t = start;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms) => {
      sleeps.push(ms);
      await Promise.resolve();
      t += ms;
    },
    sleeps,
    advance: (ms) => {
      t += ms;
    },
    elapsed: () => t - start,
  };
}

/** Takes `n` tokens one after the other and returns the clock reading (ms since start) at each grant. */
async function takeSequentially(bucket: TokenBucket, n: number, elapsed: () => number): Promise<number[]> {
  const at: number[] = [];
  for (let i = 0; i < n; i++) {
    await bucket.take();
    at.push(elapsed());
  }
  return at;
}

describe('TokenBucket', () => {
  it('serves the burst at once, then paces at the rate (API Gateway: 10/s, burst 40)', async () => {
    const time = fakeTime();
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 40, now: time.now, sleep: time.sleep });
    const at = await takeSequentially(bucket, 45, time.elapsed);
    expect(at.slice(0, 40)).toEqual(Array.from({ length: 40 }, () => 0));
    expect(time.sleeps.slice(0, 5)).toEqual([100, 100, 100, 100, 100]);
    expect(at.slice(40)).toEqual([100, 200, 300, 400, 500]);
  });

  it('GetResources: 5 per 2 s', async () => {
    const time = fakeTime();
    const bucket = new TokenBucket({ ratePerSecond: 2.5, burst: 5, now: time.now, sleep: time.sleep });
    const at = await takeSequentially(bucket, 8, time.elapsed);
    expect(at).toEqual([0, 0, 0, 0, 0, 400, 800, 1_200]);
  });

  it.each<[number, number, number]>([
    // rate, burst, takes
    [1, 1, 5],
    [3, 2, 12],
    [10, 40, 100],
    [0.5, 3, 7],
  ])('never grants more than burst + rate·t (rate %d/s, burst %d, %d takes)', async (rate, burst, n) => {
    const time = fakeTime();
    const bucket = new TokenBucket({ ratePerSecond: rate, burst, now: time.now, sleep: time.sleep });
    const at = await takeSequentially(bucket, n, time.elapsed);
    at.forEach((t, i) => {
      // The (i+1)-th grant needs i+1 tokens: burst up front, the rest refilled at `rate`.
      expect(i + 1).toBeLessThanOrEqual(burst + (t / 1000) * rate + 1e-9);
    });
    // …and it is not slower than it needs to be (sleeps are rounded up to whole ms).
    const last = at[at.length - 1]!;
    expect(last).toBeLessThanOrEqual(Math.max(0, ((n - burst) / rate) * 1000) + n);
  });

  it('serves concurrent callers in the order they asked', async () => {
    const time = fakeTime();
    const bucket = new TokenBucket({ ratePerSecond: 5, burst: 2, now: time.now, sleep: time.sleep });
    const served: number[] = [];
    const grants = Array.from({ length: 6 }, (_, i) => bucket.take().then(() => served.push(i)));
    await Promise.all(grants);
    expect(served).toEqual([0, 1, 2, 3, 4, 5]);
    // Two at once, then one every 200 ms.
    expect(time.elapsed()).toBe(800);
  });

  it('keeps the order when a caller arrives while others wait', async () => {
    const time = fakeTime();
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 1, now: time.now, sleep: time.sleep });
    const served: string[] = [];
    const first = bucket.take().then(() => served.push('a'));
    const second = bucket.take().then(() => served.push('b'));
    await Promise.resolve();
    const third = bucket.take().then(() => served.push('c'));
    await Promise.all([first, second, third]);
    expect(served).toEqual(['a', 'b', 'c']);
  });

  it('refills while idle, but never beyond the burst', async () => {
    const time = fakeTime();
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 5, now: time.now, sleep: time.sleep });
    await takeSequentially(bucket, 5, time.elapsed);
    expect(time.sleeps).toEqual([]);
    // An hour idle would be 36,000 tokens; the bucket holds 5.
    time.advance(3_600_000);
    const start = time.elapsed();
    const at = await takeSequentially(bucket, 7, time.elapsed);
    expect(at.map((t) => t - start)).toEqual([0, 0, 0, 0, 0, 100, 200]);
  });

  it('a partial refill gives exactly the tokens earned', async () => {
    const time = fakeTime();
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 5, now: time.now, sleep: time.sleep });
    await takeSequentially(bucket, 5, time.elapsed);
    time.advance(250); // 2.5 tokens
    const start = time.elapsed();
    const at = await takeSequentially(bucket, 4, time.elapsed);
    // Two at once; the half token left needs 50 ms more, then 100 ms per token.
    expect(at.map((t) => t - start)).toEqual([0, 0, 50, 150]);
  });

  it('starts full', async () => {
    const time = fakeTime();
    const bucket = new TokenBucket({ ratePerSecond: 1, burst: 3, now: time.now, sleep: time.sleep });
    await takeSequentially(bucket, 3, time.elapsed);
    expect(time.sleeps).toEqual([]);
  });
});

describe('defaultSleep', () => {
  it('resolves after the given time', async () => {
    jest.useFakeTimers();
    try {
      let done = false;
      const p = defaultSleep(1_000).then(() => {
        done = true;
      });
      jest.advanceTimersByTime(999);
      await Promise.resolve();
      expect(done).toBe(false);
      jest.advanceTimersByTime(1);
      await p;
      expect(done).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });
});
