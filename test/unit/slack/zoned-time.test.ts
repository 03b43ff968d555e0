import { instantOfClock, isTimeZone, wallClock } from '../../../src/slack/zoned-time';

const at = (iso: string): number => Date.parse(iso);

describe('zoned time', () => {
  it('knows IANA zones, and reads an unknown one as UTC', () => {
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(wallClock(at('2026-11-24T23:30:00Z'), 'Mars/Olympus_Mons')).toEqual({ year: 2026, month: 11, day: 24, hour: 23, minute: 30, second: 0 });
  });

  it('reads the wall clock in a zone, midnight as hour 0', () => {
    expect(wallClock(at('2026-11-24T23:30:00Z'), 'Europe/Paris')).toEqual({ year: 2026, month: 11, day: 25, hour: 0, minute: 30, second: 0 });
    expect(wallClock(at('2026-11-24T15:00:00Z'), 'Asia/Kathmandu')).toEqual({ year: 2026, month: 11, day: 24, hour: 20, minute: 45, second: 0 });
  });

  it.each([
    ['2026-11-24T15:00:00Z', 'Europe/Paris', 9, 0, 0, '2026-11-24T08:00:00.000Z'],
    ['2026-07-14T15:00:00Z', 'Europe/Paris', 9, 0, 0, '2026-07-14T07:00:00.000Z'],
    ['2026-11-24T15:00:00Z', 'America/Los_Angeles', 9, 0, 1, '2026-11-23T17:00:00.000Z'],
    ['2026-03-01T02:00:00Z', 'Pacific/Auckland', 0, 0, 0, '2026-02-28T11:00:00.000Z'],
    // 02:30 does not exist in Paris on 29 March 2026: it is moved forward to 03:30 CEST.
    ['2026-03-29T10:00:00Z', 'Europe/Paris', 2, 30, 0, '2026-03-29T01:30:00.000Z'],
    // 02:30 happens twice in Paris on 25 October 2026: the later one, in CET.
    ['2026-10-25T10:00:00Z', 'Europe/Paris', 2, 30, 0, '2026-10-25T01:30:00.000Z'],
    // The same west of UTC: 02:30 does not exist in Los Angeles on 8 March 2026 (03:30 PDT)…
    ['2026-03-08T20:00:00Z', 'America/Los_Angeles', 2, 30, 0, '2026-03-08T10:30:00.000Z'],
    // …and 01:30 happens twice there on 1 November 2026: the later one, in PST.
    ['2026-11-01T20:00:00Z', 'America/Los_Angeles', 1, 30, 0, '2026-11-01T09:30:00.000Z'],
    // Days either side of a change read plainly.
    ['2026-03-09T20:00:00Z', 'America/Los_Angeles', 9, 0, 0, '2026-03-09T16:00:00.000Z'],
    ['2026-03-07T20:00:00Z', 'America/Los_Angeles', 9, 0, 0, '2026-03-07T17:00:00.000Z'],
  ])('at %s in %s, %i:%i (%i days back) is %s', (now, zone, hour, minute, daysBack, expected) => {
    expect(new Date(instantOfClock(new Date(now), zone, hour, minute, daysBack)).toISOString()).toBe(expected);
  });
});
