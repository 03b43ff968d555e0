import fc from 'fast-check';
import { describeSinceMs, describeWindow } from '../../../src/render/window-phrase';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** A Tuesday afternoon: 15:00 UTC is 07:00 in Los Angeles (PST), 16:00 in Berlin (CET), 20:30 in Kolkata. */
const NOW = new Date('2026-11-24T15:00:00Z');
const at = (iso: string): Date => new Date(iso);

describe('describeSinceMs', () => {
  it.each<[string, string | undefined, number, string]>([
    // A round window ending now reads as its length, in any zone.
    ['1h', 'America/Los_Angeles', HOUR, 'last 1h'],
    ['6h', 'Europe/Berlin', 6 * HOUR, 'last 6h'],
    ['24h', 'Asia/Kolkata', DAY, 'last 24h'],
    ['48h', 'UTC', 2 * DAY, 'last 48h'],
    ['72h', 'UTC', 3 * DAY, 'last 3d'],
    ['7d', 'America/Los_Angeles', 7 * DAY, 'last 7d'],
    // Any other length reads as the clock it began at, in the zone and in UTC.
    ['30m', 'America/Los_Angeles', 30 * MIN, 'since 06:30 PT (14:30 UTC)'],
    ['30m', 'Europe/Berlin', 30 * MIN, 'since 15:30 CET (14:30 UTC)'],
    ['90m', 'Asia/Kolkata', 90 * MIN, 'since 19:00 GMT+5:30 (13:30 UTC)'],
    ['30m', 'UTC', 30 * MIN, 'since 14:30 UTC'],
    ['30m', 'Etc/UTC', 30 * MIN, 'since 14:30 UTC'],
    ['30m', undefined, 30 * MIN, 'since 14:30 UTC'],
    // An unknown zone reads as UTC.
    ['30m', 'Mars/Olympus_Mons', 30 * MIN, 'since 14:30 UTC'],
    ['30m', '', 30 * MIN, 'since 14:30 UTC'],
    // 1051 minutes back is yesterday (Monday): both clocks say the day.
    ['1051m', 'UTC', 1051 * MIN, 'since Mon 21:29 UTC'],
    ['1051m', 'America/Los_Angeles', 1051 * MIN, 'since Mon 13:29 PT (Mon 21:29 UTC)'],
    // Tuesday already in Kolkata, still Monday in UTC.
    ['1051m', 'Asia/Kolkata', 1051 * MIN, 'since Tue 02:59 GMT+5:30 (Mon 21:29 UTC)'],
    ['50h', 'Europe/Berlin', 50 * HOUR, 'since Sun 14:00 CET (Sun 13:00 UTC)'],
    // A week back in Los Angeles: the date rather than the weekday.
    ['6.5d', 'America/Los_Angeles', 6.5 * DAY, 'since Nov 17 19:00 PT (Nov 18 03:00 UTC)'],
    ['6.5d', 'UTC', 6.5 * DAY, 'since Wed 03:00 UTC'],
  ])('%s in %s', (_label, timeZone, sinceMs, expected) => {
    expect(describeSinceMs(sinceMs, { now: NOW, ...(timeZone !== undefined ? { timeZone } : {}) })).toBe(expected);
  });

  it.each<[string, number, string, string]>([
    // The brief's own examples: 09:00 PST is 17:00 UTC.
    ['2026-11-24T22:30:00Z', 5.5 * HOUR, 'America/Los_Angeles', 'since 09:00 PT (17:00 UTC)'],
    ['2026-11-25T18:30:00Z', 25.5 * HOUR, 'America/Los_Angeles', 'since Tue 09:00 PT (Tue 17:00 UTC)'],
    // Tuesday evening in Los Angeles is Wednesday in UTC: the day is said in both.
    ['2026-11-25T01:00:00Z', 8.5 * HOUR, 'America/Los_Angeles', 'since Tue 08:30 PT (Tue 16:30 UTC)'],
    // Summer: Berlin is CEST.
    ['2026-07-14T15:00:00Z', 7.5 * HOUR, 'Europe/Berlin', 'since 09:30 CEST (07:30 UTC)'],
    // "since 9am" read at 15:00:10 is 6h01m long: its start, 08:59:10, reads 09:00.
    ['2026-11-24T15:00:10Z', 6 * HOUR + MIN, 'UTC', 'since 09:00 UTC'],
  ])('at %s, %d ms in %s', (now, sinceMs, timeZone, expected) => {
    expect(describeSinceMs(sinceMs, { now: at(now), timeZone })).toBe(expected);
  });

  describe('across daylight-saving changes in Los Angeles', () => {
    it.each<[string, number, string]>([
      // Sunday 8 March 2026: 02:00 PST became 03:00 PDT at 10:00 UTC. Now is 11:00 PDT.
      ['2026-03-08T18:00:00Z', 8.5 * HOUR, 'since 01:30 PT (09:30 UTC)'],
      ['2026-03-08T18:00:00Z', 7.5 * HOUR, 'since 03:30 PT (10:30 UTC)'],
      // Midnight to 11:00 that day is ten hours, a round window.
      ['2026-03-08T18:00:00Z', 10 * HOUR, 'last 10h'],
      // Sunday 1 November 2026: 02:00 PDT became 01:00 PST at 09:00 UTC, so 01:30 happened twice; UTC tells which.
      ['2026-11-01T18:00:00Z', 9.5 * HOUR, 'since 01:30 PT (08:30 UTC)'],
      ['2026-11-01T18:00:00Z', 8.5 * HOUR, 'since 01:30 PT (09:30 UTC)'],
    ])('at %s, %i ms', (now, sinceMs, expected) => {
      expect(describeSinceMs(sinceMs, { now: at(now), timeZone: 'America/Los_Angeles' })).toBe(expected);
    });
  });

  it.each<[string, number, Date, string]>([
    ['NaN', NaN, NOW, 'the requested window'],
    ['a negative length', -HOUR, NOW, 'the requested window'],
    ['Infinity', Infinity, NOW, 'the requested window'],
    ['6h with no clock', 6 * HOUR, new Date(NaN), 'last 6h'],
    ['45m with no clock', 45 * MIN, new Date(NaN), 'last 45 min'],
    ['90m with no clock', 90 * MIN, new Date(NaN), 'last 1.5h'],
    ['1051m with no clock', 1051 * MIN, new Date(NaN), 'last 17.5h'],
    ['3.5d with no clock', 3.5 * DAY, new Date(NaN), 'last 3.5d'],
  ])('%s gives a plain phrase', (_label, sinceMs, now, expected) => {
    expect(describeSinceMs(sinceMs, { now, timeZone: 'America/Los_Angeles' })).toBe(expected);
  });
});

describe('describeWindow', () => {
  it.each<[string, string | undefined, { from: Date | string; to: Date | string }, string]>([
    ['a window ending now', 'America/Los_Angeles', { from: at('2026-11-24T09:00:00Z'), to: NOW }, 'last 6h'],
    ['ISO strings', 'UTC', { from: '2026-11-24T09:00:00Z', to: '2026-11-24T15:00:00Z' }, 'last 6h'],
    ['a window ending a minute ahead', 'UTC', { from: at('2026-11-24T09:01:00Z'), to: at('2026-11-24T15:01:00Z') }, 'last 6h'],
    ['a window ending 90s ago', 'UTC', { from: at('2026-11-24T09:00:00Z'), to: at('2026-11-24T14:58:30Z') }, 'since 09:00 UTC'],
    ['bounds the wrong way round', 'Europe/Berlin', { from: NOW, to: at('2026-11-24T14:30:00Z') }, 'since 15:30 CET (14:30 UTC)'],
    // Windows that ended earlier read as ranges.
    ['an earlier hour today', 'UTC', { from: '2026-11-24T10:00:00Z', to: '2026-11-24T11:00:00Z' }, '10:00–11:00 UTC'],
    ['an earlier hour today', 'America/Los_Angeles', { from: '2026-11-24T10:00:00Z', to: '2026-11-24T11:00:00Z' }, '02:00–03:00 PT (10:00–11:00 UTC)'],
    ['an earlier hour today', 'Asia/Kolkata', { from: '2026-11-24T10:00:00Z', to: '2026-11-24T11:00:00Z' }, '15:30–16:30 GMT+5:30 (10:00–11:00 UTC)'],
    ['an earlier hour today', 'Nowhere/Else', { from: '2026-11-24T10:00:00Z', to: '2026-11-24T11:00:00Z' }, '10:00–11:00 UTC'],
    ['a window ending 3 minutes ago', 'UTC', { from: '2026-11-24T09:00:00Z', to: '2026-11-24T14:57:00Z' }, '09:00–14:57 UTC'],
    ['seconds, rounded to the minute', 'UTC', { from: '2026-11-24T09:59:40Z', to: '2026-11-24T11:00:20Z' }, '10:00–11:00 UTC'],
    ['across midnight', 'UTC', { from: '2026-11-22T22:00:00Z', to: '2026-11-23T02:00:00Z' }, 'Sun 22:00 – Mon 02:00 UTC'],
    ['across midnight in UTC only', 'America/Los_Angeles', { from: '2026-11-22T22:00:00Z', to: '2026-11-23T02:00:00Z' }, 'Sun 14:00–18:00 PT (Sun 22:00 – Mon 02:00 UTC)'],
    ['yesterday, one day', 'Europe/Berlin', { from: '2026-11-23T10:00:00Z', to: '2026-11-23T11:00:00Z' }, 'Mon 11:00–12:00 CET (Mon 10:00–11:00 UTC)'],
    ['two weeks back', 'UTC', { from: '2026-11-10T10:00:00Z', to: '2026-11-10T11:00:00Z' }, 'Nov 10 10:00–11:00 UTC'],
    ['last year', 'UTC', { from: '2025-12-28T10:00:00Z', to: '2025-12-28T11:00:00Z' }, 'Dec 28 2025 10:00–11:00 UTC'],
  ])('%s in %s', (_label, timeZone, window, expected) => {
    expect(describeWindow(window, { now: NOW, ...(timeZone !== undefined ? { timeZone } : {}) })).toBe(expected);
  });

  it('reads a day-long window from Tuesday to Wednesday in Los Angeles', () => {
    const window = { from: '2026-11-24T17:00:00Z', to: '2026-11-25T17:00:00Z' };
    expect(describeWindow(window, { now: at('2026-11-26T20:00:00Z'), timeZone: 'America/Los_Angeles' })).toBe('Tue 09:00 – Wed 09:00 PT (Tue 17:00 – Wed 17:00 UTC)');
  });

  it('names each end of a range when the zone changes its name (Berlin, 25 October 2026)', () => {
    // 03:00 CEST became 02:00 CET at 01:00 UTC.
    const window = { from: '2026-10-24T22:00:00Z', to: '2026-10-25T04:00:00Z' };
    expect(describeWindow(window, { now: at('2026-10-25T12:00:00Z'), timeZone: 'Europe/Berlin' })).toBe('Sun 00:00 CEST – 05:00 CET (Sat 22:00 – Sun 04:00 UTC)');
  });

  it.each<[string, { from: Date | string; to: Date | string }, Date, string]>([
    ['an unreadable start', { from: 'yesterday-ish', to: NOW }, NOW, 'the requested window'],
    ['an invalid end', { from: NOW, to: new Date(NaN) }, NOW, 'the requested window'],
    ['not a date at all', { from: 42 as unknown as string, to: NOW }, NOW, 'the requested window'],
    ['no clock', { from: '2026-11-24T09:00:00Z', to: '2026-11-24T15:00:00Z' }, new Date(NaN), 'last 6h'],
    ['no clock, an odd length', { from: '2026-11-24T09:00:00Z', to: '2026-11-24T09:40:00Z' }, new Date(NaN), 'last 40 min'],
  ])('%s gives a plain phrase', (_label, window, now, expected) => {
    expect(describeWindow(window, { now, timeZone: 'Europe/Berlin' })).toBe(expected);
  });
});

describe('never minutes, never throws (properties)', () => {
  const zones = fc.constantFrom('UTC', 'America/Los_Angeles', 'Europe/Berlin', 'Asia/Kolkata', 'Asia/Kathmandu', 'Pacific/Chatham', 'Nowhere/Else', '');
  const clock = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true });

  it('describeSinceMs reads any window of 15m…7d ending now as "last Nh/Nd" or "since …"', () => {
    fc.assert(
      fc.property(fc.integer({ min: 15 * MIN, max: 7 * DAY }), clock, zones, (sinceMs, now, timeZone) => {
        const phrase = describeSinceMs(sinceMs, { now, timeZone });
        expect(phrase).toMatch(/^(last \d+[hd]|since (\S+ ){0,3}\d\d:\d\d \S+( \(.+ UTC\))?)$/);
        expect(phrase).not.toMatch(/\d+m\b/);
      }),
      { numRuns: 1000 },
    );
  });

  it('describeWindow takes anything', () => {
    const bound = fc.oneof(clock.map((d) => d as Date | string), fc.string({ maxLength: 30 }), clock.map((d) => d.toISOString()), fc.constant(new Date(NaN)));
    fc.assert(
      fc.property(bound, bound, fc.oneof(clock, fc.constant(new Date(NaN))), zones, (from, to, now, timeZone) => {
        const phrase = describeWindow({ from, to }, { now, timeZone });
        expect(typeof phrase).toBe('string');
        expect(phrase).not.toMatch(/\d+m\b/);
      }),
      { numRuns: 1000 },
    );
  });
});
