/**
 * `measureFix`: the stage's 5xx since a fix against the same time before, from its CloudWatch metrics,
 * on the sandbox and on an in-memory metrics port.
 */
import { sandboxPorts } from '../../../src/collect/adapters/sandbox-ports';
import { sandboxWorld } from '../../../src/collect/adapters/sandbox/sandbox-world';
import type { Investigation } from '../../../src/collect/investigate';
import type { MetricQuery, MetricSeries, MetricsPort } from '../../../src/collect/ports';
import { measureFix, verdictOf } from '../../../src/collect/verify-fix';
import { AwsUnavailableError, UsageError } from '../../../src/errors';
import { AwsCallError } from '../../../src/collect/call-aws';
import { NOW, runScenario } from '../slack/sandbox-run';

const MINUTE = 60_000;
const ago = (ms: number): Date => new Date(NOW.getTime() - ms);

type Stored = Pick<Investigation, 'target' | 'apiType'>;

const investigations = new Map<string, Investigation>();
async function investigationOf(scenario: string): Promise<Investigation> {
  const cached = investigations.get(scenario);
  if (cached) return cached;
  const { investigation } = await runScenario(scenario);
  investigations.set(scenario, investigation);
  return investigation;
}

function sandbox(): ReturnType<typeof sandboxPorts> {
  return sandboxPorts(sandboxWorld(NOW), { logs: { pollMs: 1, maxPollMs: 2 } });
}

describe('on the sandbox', () => {
  it('quotes-api: the Lambda service’s errors stopped 51 minutes ago: fixed', async () => {
    const investigation = await investigationOf('aws-internal-failure');
    // The scenario's errors: 5 a minute for the 7 minutes from 58 minutes ago.
    const m = await measureFix(sandbox().ports, investigation, { since: ago(51 * MINUTE), now: NOW });
    expect(m.verdict).toBe('fixed');
    expect(m.before).toEqual({ from: ago(102 * MINUTE).toISOString(), to: ago(51 * MINUTE).toISOString(), count5xx: 35, count: 410 * 51, rate: 35 / (410 * 51) });
    expect(m.after).toMatchObject({ from: ago(51 * MINUTE).toISOString(), to: NOW.toISOString(), count5xx: 0, count: 410 * 51 });
    expect(m.metrics).toEqual({ errors: '5XXError', requests: 'Count' });
    expect(m.periodS).toBe(60);
  });

  it('orders-api: the errors go on at the same rate: not fixed, with the same numbers on both sides', async () => {
    const investigation = await investigationOf('malformed-lambda-proxy-response');
    const m = await measureFix(sandbox().ports, investigation, { since: ago(10 * MINUTE), now: NOW });
    expect(m.verdict).toBe('not-fixed');
    expect(m.before).toMatchObject({ count5xx: 210, count: 8030 });
    expect(m.after).toMatchObject({ count5xx: 210, count: 8030 });
  });

  it('orders-api: since before the errors began, it got worse', async () => {
    const investigation = await investigationOf('malformed-lambda-proxy-response');
    const m = await measureFix(sandbox().ports, investigation, { since: ago(59 * MINUTE), now: NOW });
    expect(m.verdict).toBe('not-fixed');
    expect(m.before.count5xx).toBe(0);
    expect(m.after.count5xx).toBeGreaterThan(0);
  });

  it('catalog-api (healthy): no 5xx before and none since', async () => {
    const investigation = await investigationOf('healthy');
    const m = await measureFix(sandbox().ports, investigation, { since: ago(20 * MINUTE), now: NOW });
    expect(m.verdict).toBe('no-errors-before');
    expect(m.after.count).toBeGreaterThan(0);
  });

  it('an HTTP API reads 5xx and Count by API id', async () => {
    const investigation = await investigationOf('integration-timeout');
    const s = sandbox();
    const m = await measureFix(s.ports, investigation, { since: ago(10 * MINUTE), now: NOW });
    expect(m.metrics).toEqual({ errors: '5xx', requests: 'Count' });
    expect(m.after.count).toBeGreaterThan(0);
    const call = s.sandbox.calls.find((c) => c.command === 'GetMetricDataCommand');
    const queries = (call?.input.MetricDataQueries ?? []) as { MetricStat?: { Metric?: { MetricName?: string; Dimensions?: { Name?: string; Value?: string }[] } } }[];
    expect(queries.map((q) => q.MetricStat?.Metric?.MetricName).sort()).toEqual(['5xx', 'Count']);
    expect(queries[0]?.MetricStat?.Metric?.Dimensions?.map((d) => d.Name).sort()).toEqual(['ApiId', 'Stage']);
  });

  it('a WebSocket API counts integration and execution errors against connections and messages', async () => {
    const investigation = await investigationOf('websocket-function-error');
    const m = await measureFix(sandbox().ports, investigation, { since: ago(10 * MINUTE), now: NOW });
    expect(m.metrics).toEqual({ errors: 'IntegrationError + ExecutionError', requests: 'ConnectCount + MessageCount' });
    expect(m.after).toMatchObject({ count5xx: 30, count: 6500 });
    expect(m.verdict).toBe('not-fixed');
  });
});

// ---------------------------------------------------------------------------------------------------
// In memory
// ---------------------------------------------------------------------------------------------------

/** A metrics port with per-minute values from `perMinute(metricName, minuteStart)`; it records what it was asked. */
function metricsPort(perMinute: (metricName: string, minute: Date) => number | undefined): { port: MetricsPort; asked: { queries: MetricQuery[]; from: Date; to: Date }[] } {
  const asked: { queries: MetricQuery[]; from: Date; to: Date }[] = [];
  return {
    asked,
    port: {
      getMetricData(queries, from, to) {
        asked.push({ queries, from, to });
        const out = new Map<string, MetricSeries>();
        for (const q of queries) {
          const period = q.periodS * 1000;
          const series: MetricSeries = { timestamps: [], values: [] };
          for (let t = Math.ceil(from.getTime() / period) * period; t < to.getTime(); t += period) {
            let sum: number | undefined;
            for (let m = t; m < t + period; m += MINUTE) {
              const v = perMinute(q.metricName, new Date(m));
              if (v !== undefined) sum = (sum ?? 0) + v;
            }
            if (sum === undefined) continue;
            series.timestamps.push(new Date(t).toISOString());
            series.values.push(sum);
          }
          out.set(q.id, series);
        }
        return Promise.resolve(out);
      },
    },
  };
}

const REST: Stored = { target: { apiId: 'a1b2c3d4e5', apiName: 'orders-api', stage: 'prod', region: 'us-east-1' }, apiType: 'REST' };
const FIX = new Date('2026-11-25T17:05:30Z');
const LATER = new Date('2026-11-25T17:37:45Z');

describe('in memory', () => {
  it('counts whole minutes: the minute of the fix and the one still running are in neither window', async () => {
    // 16 5xx a minute before the fix; the minute 17:05 has 8; none after.
    const { port, asked } = metricsPort((name, t) => {
      if (name === 'Count') return 300;
      if (t.getTime() < Date.parse('2026-11-25T17:05:00Z')) return 16;
      return t.getTime() < Date.parse('2026-11-25T17:06:00Z') ? 8 : 0;
    });
    const m = await measureFix({ region: 'us-east-1', metrics: port }, REST, { since: FIX, now: LATER });
    expect(m.after).toEqual({ from: '2026-11-25T17:06:00.000Z', to: '2026-11-25T17:37:00.000Z', count5xx: 0, count: 31 * 300, rate: 0 });
    expect(m.before).toEqual({ from: '2026-11-25T16:34:00.000Z', to: '2026-11-25T17:05:00.000Z', count5xx: 31 * 16, count: 31 * 300, rate: 16 / 300 });
    expect(m.verdict).toBe('fixed');
    // One call, REST metrics by API name and stage, only the counts.
    expect(asked).toHaveLength(1);
    expect(asked[0]?.queries.map((q) => [q.metricName, q.dimensions, q.stat])).toEqual([
      ['5XXError', { ApiName: 'orders-api', Stage: 'prod' }, 'Sum'],
      ['Count', { ApiName: 'orders-api', Stage: 'prod' }, 'Sum'],
    ]);
    expect(asked[0]?.from.toISOString()).toBe('2026-11-25T16:34:00.000Z');
    expect(asked[0]?.to.toISOString()).toBe('2026-11-25T17:37:00.000Z');
  });

  it('better: the rate fell by at least half', async () => {
    const { port } = metricsPort((name, t) => (name === 'Count' ? 100 : t < FIX ? 10 : 4));
    const m = await measureFix({ region: 'us-east-1', metrics: port }, REST, { since: FIX, now: LATER });
    expect(m.verdict).toBe('better');
    expect(m.after.rate).toBeCloseTo(0.04);
  });

  it('no traffic since: cannot tell yet', async () => {
    const { port } = metricsPort((name, t) => (t < FIX ? (name === 'Count' ? 100 : 10) : undefined));
    const m = await measureFix({ region: 'us-east-1', metrics: port }, REST, { since: FIX, now: LATER });
    expect(m.verdict).toBe('no-traffic');
    expect(m.after).toMatchObject({ count5xx: 0, count: 0 });
    expect(m.after.rate).toBeUndefined();
  });

  it('too soon: under a whole minute since the fix, no metric is read', async () => {
    const { port, asked } = metricsPort(() => 1);
    const m = await measureFix({ region: 'us-east-1', metrics: port }, REST, { since: FIX, now: new Date('2026-11-25T17:06:40Z') });
    expect(m.verdict).toBe('too-soon');
    expect(m.askAgainAt).toBe('2026-11-25T17:08:00.000Z');
    expect(asked).toEqual([]);
    const future = await measureFix({ region: 'us-east-1', metrics: port }, REST, { since: LATER, now: FIX });
    expect(future.verdict).toBe('too-soon');
    expect(future.notes).toEqual(['the time given is after now']);
  });

  it('warns when few requests came since, or the newest minutes may still arrive', async () => {
    const { port } = metricsPort((name, t) => (name === 'Count' ? (t < FIX ? 100 : 1) : t < FIX ? 10 : 0));
    const m = await measureFix({ region: 'us-east-1', metrics: port }, REST, { since: FIX, now: new Date('2026-11-25T17:09:10Z') });
    expect(m.verdict).toBe('fixed');
    expect(m.notes.join(' ')).toMatch(/only 3 requests since the fix/);
    expect(m.notes.join(' ')).toMatch(/still be adding/);
  });

  it('uses a longer period for a fix days ago, within GetMetricData’s points', async () => {
    const { port, asked } = metricsPort(() => 1);
    const m = await measureFix({ region: 'us-east-1', metrics: port }, REST, { since: new Date(LATER.getTime() - 3 * 86_400_000), now: LATER });
    expect(m.periodS).toBeGreaterThan(60);
    const range = (asked[0]?.to.getTime() ?? 0) - (asked[0]?.from.getTime() ?? 0);
    expect(range / (m.periodS * 1000)).toBeLessThanOrEqual(1_440);
  });

  it('says what to grant when the metrics cannot be read', async () => {
    const port: MetricsPort = { getMetricData: () => Promise.reject(new AwsCallError('cloudwatch', 'GetMetricDataCommand', 'AccessDeniedException', 'not authorized', { action: 'cloudwatch:GetMetricData', resource: '*' })) };
    await expect(measureFix({ region: 'us-east-1', metrics: port }, REST, { since: FIX, now: LATER })).rejects.toThrow(AwsUnavailableError);
    await expect(measureFix({ region: 'us-east-1', metrics: port }, REST, { since: FIX, now: LATER })).rejects.toThrow(/cloudwatch:GetMetricData/);
  });

  it('refuses an investigation that names no stage', async () => {
    const { port } = metricsPort(() => 1);
    await expect(measureFix({ region: 'us-east-1', metrics: port }, { target: { apiId: 'a1b2c3d4e5' }, apiType: 'REST' }, { since: FIX, now: LATER })).rejects.toThrow(UsageError);
  });
});

describe('verdictOf', () => {
  it.each([
    [{ count5xx: 10, count: 100 }, { count5xx: 0, count: 50 }, 'fixed'],
    [{ count5xx: 10, count: 100 }, { count5xx: 5, count: 100 }, 'better'],
    [{ count5xx: 10, count: 100 }, { count5xx: 6, count: 100 }, 'not-fixed'],
    [{ count5xx: 10, count: 100 }, { count5xx: 20, count: 100 }, 'not-fixed'],
    [{ count5xx: 10, count: 100 }, { count5xx: 0, count: 0 }, 'no-traffic'],
    [{ count5xx: 0, count: 100 }, { count5xx: 0, count: 80 }, 'no-errors-before'],
    [{ count5xx: 0, count: 100 }, { count5xx: 3, count: 80 }, 'not-fixed'],
    [{ count5xx: 0, count: 0 }, { count5xx: 0, count: 0 }, 'no-traffic'],
  ] as const)('%j then %j: %s', (before, after, verdict) => {
    expect(verdictOf(before, after)).toBe(verdict);
  });
});
