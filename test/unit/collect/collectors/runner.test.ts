/**
 * The steps of an investigation: each runs once however many read it, waits for what it needs, may read
 * only what it declared; a collector's failure or timeout is a skipped source with a ✗, never an exception.
 */
import type { InvestigationScope } from '../../../../src/collect/collectors/collector';
import { defineCollector, defineStep } from '../../../../src/collect/collectors/collector';
import { COLLECTORS, SOURCES, SOURCE_LABELS, sourcesFor } from '../../../../src/collect/collectors/index';
import { StepRunner } from '../../../../src/collect/collectors/runner';
import type { Skipped } from '../../../../src/diagnosis/evidence';

function scope(timeoutMs = 200): InvestigationScope {
  return {
    ports: { region: 'us-east-1' } as InvestigationScope['ports'],
    api: { apiId: 'a1b2c3d4e5', name: 'orders-api', apiType: 'REST' },
    stage: { name: 'prod', variables: {}, methodSettings: {} },
    stages: [],
    status: '5xx',
    window: { from: new Date(0), to: new Date(3_600_000) },
    metricsFrom: new Date(0),
    periodS: 60,
    literals: { execution: [], access: [], lambda: [] },
    timeoutMs,
    maxFunctions: 5,
    now: Date.now,
  };
}

function runner(timeoutMs?: number): { runner: StepRunner; reported: { source: string; ok: boolean; detail: string }[]; skipped: Skipped[] } {
  const reported: { source: string; ok: boolean; detail: string }[] = [];
  const skipped: Skipped[] = [];
  return { runner: new StepRunner(scope(timeoutMs), { report: (source, r) => reported.push({ source, ...r }), skipped: (e) => skipped.push(e) }), reported, skipped };
}

test('a step runs once, after what it needs, however many steps read it', async () => {
  let runs = 0;
  const base = defineStep({ name: 'base', run: () => Promise.resolve(++runs) });
  const a = defineStep({ name: 'a', needs: [base], run: async (ctx) => (await ctx.get(base)) + 10 });
  const b = defineStep({ name: 'b', needs: [base], run: async (ctx) => (await ctx.get(base)) + 20 });
  const { runner: r } = runner();
  expect(await Promise.all([r.get(a), r.get(b), r.get(base)])).toEqual([11, 21, 1]);
  expect(runs).toBe(1);
});

test('a step may read only what it declared', async () => {
  const other = defineStep({ name: 'other', run: () => Promise.resolve(1) });
  const sneaky = defineStep({ name: 'sneaky', run: (ctx) => ctx.get(other) });
  await expect(runner().runner.get(sneaky)).rejects.toThrow('step sneaky reads other without declaring it in needs or uses');
});

test("a collector's result is a ✓ or ✗ line; its failure a skipped entry; nothing to read, no line at all", async () => {
  const ok = defineCollector({ source: 'one', label: 'one', collect: () => Promise.resolve({ value: 7, detail: '7 lines' }) });
  const bad = defineCollector({ source: 'two', label: 'two', collect: () => Promise.reject(new Error('boom')) });
  const none = defineCollector({ source: 'three', label: 'three', collect: () => Promise.resolve(null) });
  const slow = defineCollector({ source: 'four', label: 'four', collect: () => new Promise<null>(() => undefined) });
  const { runner: r, reported, skipped } = runner(50);
  expect(await Promise.all([r.get(ok), r.get(bad), r.get(none), r.get(slow)])).toEqual([7, undefined, undefined, undefined]);
  expect(reported).toEqual([{ source: 'one', ok: true, detail: '7 lines' }]);
  expect(skipped).toEqual([
    { source: 'two', reason: 'boom', fix: 're-run; if it persists, report it with this message' },
    { source: 'four', reason: 'no answer within 0 s', fix: 're-run, narrow the window, or raise COLLECTOR_TIMEOUT_MS' },
  ]);
});

test('the list of collectors is the table of contents: sources, labels and what each API type has', () => {
  expect(SOURCES).toEqual(['config', 'execution-logs', 'access-logs', 'lambda-logs', 'metrics', 'lambda-policy', 'dns', 'changes']);
  expect(SOURCE_LABELS['execution-logs']).toBe('execution logs');
  expect(sourcesFor('HTTP')).not.toContain('execution-logs');
  expect(sourcesFor('WEBSOCKET')).toContain('execution-logs');
  expect(COLLECTORS.every((c) => c.needs.every((n) => n !== c))).toBe(true);
});
