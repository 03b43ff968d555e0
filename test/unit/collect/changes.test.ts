import { CHANGE_LOOKBACK_MS, changeEvents, correlateChanges } from '../../../src/collect/changes';
import type { ChangeEvent } from '../../../src/collect/changes';
import type { DeploymentInfo, LambdaAliasInfo, LambdaFunctionInfo, StageInfo } from '../../../src/collect/ports';

const stage = (extra: Partial<StageInfo> = {}): StageInfo => ({ name: 'prod', deploymentId: 'dep3', variables: {}, methodSettings: {}, ...extra });

const fn = (extra: Partial<LambdaFunctionInfo> = {}): LambdaFunctionInfo => ({
  functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders-handler',
  functionName: 'orders-handler',
  timeoutMs: 6_000,
  logGroup: '/aws/lambda/orders-handler',
  ...extra,
});

// Deployments newest first, as the port returns them.
const DEPLOYMENTS: DeploymentInfo[] = [
  { id: 'dep3', createdDate: '2026-11-25T14:00:00.000Z', description: 'fix auth' },
  { id: 'dep2', createdDate: '2026-11-25T10:00:00.000Z' },
  { id: 'dep1', createdDate: '2026-11-24T09:00:00.000Z', description: 'first' },
];

const event = (at: string, kind: ChangeEvent['kind'], subject: string, description: string): ChangeEvent => ({ at, kind, subject, description });

// ── changeEvents ────────────────────────────────────────────────────────────────────────────────

describe('changeEvents', () => {
  it('lists deployments oldest first, marking the live one and quoting descriptions', () => {
    expect(changeEvents(stage(), DEPLOYMENTS, [])).toEqual([
      event('2026-11-24T09:00:00.000Z', 'deployment', 'dep1', 'deployment dep1 "first"'),
      event('2026-11-25T10:00:00.000Z', 'deployment', 'dep2', 'deployment dep2'),
      event('2026-11-25T14:00:00.000Z', 'deployment', 'dep3', 'deployment dep3 (live on stage prod) "fix auth"'),
    ]);
  });

  it.each<[string, string | undefined, boolean]>([
    ['no update time', undefined, false],
    ['updated with the deployment itself', '2026-11-25T14:00:00.000Z', false],
    ['updated 30 s after the deployment', '2026-11-25T14:00:30.000Z', false],
    ['updated exactly 1 min after the deployment', '2026-11-25T14:01:00.000Z', false],
    ['updated 1 min 1 s after the deployment', '2026-11-25T14:01:01.000Z', true],
    ['updated an hour after the deployment', '2026-11-25T15:00:00.000Z', true],
  ])('a stage %s → stage-update event: %s', (_label, lastUpdatedDate, expected) => {
    const events = changeEvents(stage(lastUpdatedDate ? { lastUpdatedDate } : {}), DEPLOYMENTS, []);
    const update = events.find((e) => e.kind === 'stage-update');
    if (!expected) {
      expect(update).toBeUndefined();
      return;
    }
    expect(update).toEqual(event(lastUpdatedDate!, 'stage-update', 'prod', 'stage prod updated (now on deployment dep3)'));
  });

  it('a stage moved back to an older deployment shows the move', () => {
    const events = changeEvents(stage({ deploymentId: 'dep1', lastUpdatedDate: '2026-11-25T14:30:00.000Z' }), DEPLOYMENTS, []);
    expect(events.map((e) => e.description)).toEqual([
      'deployment dep1 (live on stage prod) "first"',
      'deployment dep2',
      'deployment dep3 "fix auth"',
      'stage prod updated (now on deployment dep1)',
    ]);
  });

  it('a stage on a deployment not among those listed shows its update time', () => {
    const events = changeEvents(stage({ deploymentId: 'gone99', lastUpdatedDate: '2026-11-25T14:00:10.000Z' }), DEPLOYMENTS, []);
    expect(events.filter((e) => e.kind === 'stage-update')).toEqual([event('2026-11-25T14:00:10.000Z', 'stage-update', 'prod', 'stage prod updated (now on deployment gone99)')]);
    expect(events.some((e) => e.description.includes('live'))).toBe(false);
  });

  it('a stage without a deployment id says only that it was updated', () => {
    const events = changeEvents(stage({ deploymentId: undefined, lastUpdatedDate: '2026-11-25T12:00:00.000Z' }), [], []);
    expect(events).toEqual([event('2026-11-25T12:00:00.000Z', 'stage-update', 'prod', 'stage prod updated')]);
  });

  it.each<[string, string, string]>([
    ["Lambda's own format (+0000)", '2026-11-25T13:58:40.000+0000', '2026-11-25T13:58:40.000Z'],
    ['another offset', '2026-11-25T15:58:40.000+0200', '2026-11-25T13:58:40.000Z'],
    ['already ISO', '2026-11-25T13:58:40.000Z', '2026-11-25T13:58:40.000Z'],
  ])('a Lambda LastModified in %s becomes ISO UTC', (_label, lastModified, iso) => {
    expect(changeEvents(stage(), [], [fn({ lastModified })])).toEqual([event(iso, 'lambda-update', 'orders-handler', 'Lambda orders-handler updated')]);
  });

  it.each<[string, string | undefined, string]>([
    ['no version', undefined, 'Lambda orders-handler updated'],
    ['$LATEST', '$LATEST', 'Lambda orders-handler updated'],
    ['a published version', '7', 'Lambda orders-handler version 7 published'],
  ])('a Lambda update with %s', (_label, version, description) => {
    expect(changeEvents(stage(), [], [fn({ lastModified: '2026-11-25T13:58:40.000+0000', ...(version ? { version } : {}) })])[0]?.description).toBe(description);
  });

  it.each<[string, LambdaAliasInfo, string]>([
    ['a plain alias', { name: 'live', functionVersion: '7' }, 'Lambda orders-handler version 7 published (alias live → 7)'],
    ['a weighted (canary) alias', { name: 'live', functionVersion: '7', additionalVersionWeights: { '8': 0.1 } }, 'Lambda orders-handler version 7 published (alias live → 7, 10% to version 8)'],
  ])('a function reached through %s names the alias', (_label, alias, description) => {
    const events = changeEvents(stage(), [], [fn({ lastModified: '2026-11-25T13:58:40.000+0000', version: '7' })], new Map([['orders-handler', alias]]));
    expect(events).toEqual([event('2026-11-25T13:58:40.000Z', 'lambda-update', 'orders-handler', description)]);
  });

  it('a function without LastModified gives no event', () => {
    expect(changeEvents(stage(), [], [fn()])).toEqual([]);
  });

  it('unparseable deployment and stage dates give no event', () => {
    const events = changeEvents(stage({ lastUpdatedDate: 'not a date', deploymentId: 'x' }), [{ id: 'bad', createdDate: 'yesterday-ish' }, { id: 'ok', createdDate: '2026-11-25T10:00:00.000Z' }], [fn()]);
    expect(events).toEqual([event('2026-11-25T10:00:00.000Z', 'deployment', 'ok', 'deployment ok')]);
  });

  it('an unparseable Lambda LastModified is dropped, not thrown', () => {
    const events = changeEvents(stage(), [{ id: 'ok', createdDate: '2026-11-25T10:00:00.000Z' }], [fn({ functionName: 'broken', lastModified: 'garbage' })]);
    expect(events).toEqual([event('2026-11-25T10:00:00.000Z', 'deployment', 'ok', 'deployment ok')]);
  });

  it('sorts every kind of event together, oldest first', () => {
    const events = changeEvents(stage({ lastUpdatedDate: '2026-11-25T14:10:00.000Z' }), DEPLOYMENTS, [
      fn({ lastModified: '2026-11-25T13:58:40.000+0000' }),
      fn({ functionName: 'auth-fn', lastModified: '2026-11-20T08:00:00.000+0000' }),
    ]);
    expect(events.map((e) => [e.at, e.kind, e.subject])).toEqual([
      ['2026-11-20T08:00:00.000Z', 'lambda-update', 'auth-fn'],
      ['2026-11-24T09:00:00.000Z', 'deployment', 'dep1'],
      ['2026-11-25T10:00:00.000Z', 'deployment', 'dep2'],
      ['2026-11-25T13:58:40.000Z', 'lambda-update', 'orders-handler'],
      ['2026-11-25T14:00:00.000Z', 'deployment', 'dep3'],
      ['2026-11-25T14:10:00.000Z', 'stage-update', 'prod'],
    ]);
  });
});

// ── correlateChanges ────────────────────────────────────────────────────────────────────────────

describe('correlateChanges', () => {
  const WINDOW = { from: new Date('2026-11-25T13:30:00.000Z'), to: new Date('2026-11-25T14:30:00.000Z') };
  const DEP = event('2026-11-25T14:00:00.000Z', 'deployment', 'dep3', 'deployment dep3 (live on stage prod) "fix auth"');

  it('suspects the last change at or before the onset and says how long before', () => {
    const events = [event('2026-11-25T10:00:00.000Z', 'deployment', 'dep2', 'deployment dep2'), DEP, event('2026-11-25T14:20:00.000Z', 'lambda-update', 'orders-handler', 'Lambda orders-handler updated')];
    const c = correlateChanges(events, WINDOW, { onset: '2026-11-25T14:02:00.000Z', beforeWindow: false });
    expect(c.suspect).toEqual({ event: DEP, minutesBefore: 2 });
    expect(c.summary).toBe('errors began 14:02 UTC, 2 minutes after deployment dep3 (live on stage prod) "fix auth"');
    // Changes after the onset but inside the window are still shown.
    expect(c.events).toEqual(events);
  });

  it.each<[string, string, number, string]>([
    ['the same instant', '2026-11-25T14:00:00.000Z', 0, 'less than a minute'],
    ['29 s later', '2026-11-25T14:00:29.000Z', 0, 'less than a minute'],
    ['31 s later (rounds to a minute)', '2026-11-25T14:00:31.000Z', 1, 'one minute'],
    ['1 min later', '2026-11-25T14:01:00.000Z', 1, 'one minute'],
    ['2 min later', '2026-11-25T14:02:00.000Z', 2, '2 minutes'],
    ['119 min later', '2026-11-25T15:59:00.000Z', 119, '119 minutes'],
    ['2 h later', '2026-11-25T16:00:00.000Z', 120, '2 hours'],
    ['5 h 20 min later', '2026-11-25T19:20:00.000Z', 320, '5 hours'],
    ['5 h 40 min later (rounds up)', '2026-11-25T19:40:00.000Z', 340, '6 hours'],
    ['23 h 59 min later', '2026-11-26T13:59:00.000Z', 1439, '24 hours'],
  ])('an onset %s', (_label, onset, minutes, gap) => {
    const c = correlateChanges([DEP], { from: new Date(onset), to: new Date(Date.parse(onset) + 3_600_000) }, { onset, beforeWindow: false });
    expect(c.suspect?.minutesBefore).toBe(minutes);
    expect(c.summary).toBe(`errors began ${onset.slice(11, 16)} UTC, ${gap} after deployment dep3 (live on stage prod) "fix auth"`);
  });

  it('notes an onset before the window asked about', () => {
    const c = correlateChanges([DEP], WINDOW, { onset: '2026-11-25T14:05:00.000Z', beforeWindow: true });
    expect(c.summary).toBe('errors began 14:05 UTC (before the window asked about), 5 minutes after deployment dep3 (live on stage prod) "fix auth"');
  });

  it('notes an onset before the window even without any change', () => {
    const c = correlateChanges([], WINDOW, { onset: '2026-11-25T13:00:00.000Z', beforeWindow: true });
    expect(c.summary).toBe('errors began 13:00 UTC (before the window asked about); no deployment or function change in the 24 h before');
  });

  it('says so when nothing changed in the 24 h before the onset, and suspects nothing', () => {
    const old = event('2026-11-24T14:01:00.000Z', 'deployment', 'dep1', 'deployment dep1');
    const later = event('2026-11-25T14:10:00.000Z', 'lambda-update', 'orders-handler', 'Lambda orders-handler updated');
    const c = correlateChanges([old, later], WINDOW, { onset: '2026-11-25T14:02:00.000Z', beforeWindow: false });
    expect(c.suspect).toBeUndefined();
    expect(c.summary).toBe('errors began 14:02 UTC; no deployment or function change in the 24 h before');
    expect(c.events).toEqual([later]);
  });

  it('a change exactly 24 h before the onset is still shown and suspected', () => {
    const onset = '2026-11-25T14:02:00.000Z';
    const edge = event(new Date(Date.parse(onset) - CHANGE_LOOKBACK_MS).toISOString(), 'deployment', 'dep1', 'deployment dep1');
    const c = correlateChanges([edge], WINDOW, { onset, beforeWindow: false });
    expect(c.events).toEqual([edge]);
    expect(c.suspect).toEqual({ event: edge, minutesBefore: 1440 });
    expect(c.summary).toBe('errors began 14:02 UTC, 24 hours after deployment dep1');
  });

  it('a change after the window is not shown', () => {
    const after = event('2026-11-25T14:30:01.000Z', 'deployment', 'dep9', 'deployment dep9');
    expect(correlateChanges([DEP, after], WINDOW, { onset: '2026-11-25T14:02:00.000Z', beforeWindow: false }).events).toEqual([DEP]);
  });

  it('suspects the latest of several changes before the onset', () => {
    const lambda = event('2026-11-25T14:01:00.000Z', 'lambda-update', 'orders-handler', 'Lambda orders-handler updated');
    const c = correlateChanges([DEP, lambda], WINDOW, { onset: '2026-11-25T14:02:00.000Z', beforeWindow: false });
    expect(c.suspect).toEqual({ event: lambda, minutesBefore: 1 });
    expect(c.summary).toBe('errors began 14:02 UTC, one minute after Lambda orders-handler updated');
  });

  describe('without an onset', () => {
    it('suspects nothing and has no summary', () => {
      const c = correlateChanges([DEP], WINDOW);
      expect(c).toEqual({ events: [DEP] });
      expect(c).not.toHaveProperty('suspect');
      expect(c).not.toHaveProperty('summary');
    });

    it('lists the events from 24 h before the window start to its end', () => {
      const tooOld = event('2026-11-24T13:29:59.000Z', 'deployment', 'dep0', 'deployment dep0');
      const oldest = event('2026-11-24T13:30:00.000Z', 'deployment', 'dep1', 'deployment dep1');
      const atEnd = event('2026-11-25T14:30:00.000Z', 'lambda-update', 'f', 'Lambda f updated');
      const afterEnd = event('2026-11-25T14:30:00.001Z', 'lambda-update', 'g', 'Lambda g updated');
      expect(correlateChanges([tooOld, oldest, DEP, atEnd, afterEnd], WINDOW).events).toEqual([oldest, DEP, atEnd]);
    });

    it('an empty list stays empty', () => {
      expect(correlateChanges([], WINDOW)).toEqual({ events: [] });
    });
  });

  it('works end to end from changeEvents', () => {
    const events = changeEvents(stage(), DEPLOYMENTS, [fn({ lastModified: '2026-11-25T13:58:40.000+0000', version: '12' })]);
    const c = correlateChanges(events, WINDOW, { onset: '2026-11-25T14:02:00.000Z', beforeWindow: false });
    expect(c.summary).toBe('errors began 14:02 UTC, 2 minutes after deployment dep3 (live on stage prod) "fix auth"');
    expect(c.events.map((e) => e.subject)).toEqual(['dep2', 'orders-handler', 'dep3']);
  });
});
