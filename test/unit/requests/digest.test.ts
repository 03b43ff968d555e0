/** `/apigw digest …`: every subcommand read, and what bad settings say. */
import { parseCommandText } from '../../../src/requests';
import { changeCron, describeSchedule } from '../../../src/queue/digest-schedule';

const NOW = new Date('2026-11-25T17:00:00Z');
const read = (text: string): unknown => parseCommandText(text, { now: NOW });

it.each([
  ['digest', { kind: 'digest', action: 'show' }],
  ['digest now', { kind: 'digest', action: 'now' }],
  ['digest now 6h', { kind: 'digest', action: 'now', sinceMs: 6 * 3_600_000 }],
  ['digest here', { kind: 'digest', action: 'change', change: { here: true, enabled: true } }],
  ['digest off', { kind: 'digest', action: 'change', change: { enabled: false } }],
  ['digest on', { kind: 'digest', action: 'change', change: { enabled: true } }],
  ['digest weekdays', { kind: 'digest', action: 'change', change: { days: 'weekdays', enabled: true } }],
  ['digest daily', { kind: 'digest', action: 'change', change: { days: 'daily', enabled: true } }],
  ['digest at 08:30 Europe/Berlin', { kind: 'digest', action: 'change', change: { time: { hour: 8, minute: 30 }, tz: 'Europe/Berlin', enabled: true } }],
  ['digest at 8am', { kind: 'digest', action: 'change', change: { time: { hour: 8, minute: 0 }, enabled: true } }],
  ['digest at 6:15pm UTC', { kind: 'digest', action: 'change', change: { time: { hour: 18, minute: 15 }, tz: 'UTC', enabled: true } }],
])('%j', (text, expected) => {
  expect(read(text)).toEqual(expected);
});

it.each([
  ['digest at 25:00', /not a time of day/],
  ['digest at 8', /not a time of day/],
  ['digest at 08:30 Mars/Olympus', /not a time zone/],
  ['digest at 08:30 Europe/Berlin please', /too many words/],
  ['digest now 8d', /longer than 7d/],
  ['digest here now', /takes nothing after it/],
  ['digest sometimes', /unknown digest setting/],
])('%j is refused with what to type', (text, problem) => {
  expect(read(text)).toMatchObject({ kind: 'invalid', problem: expect.stringMatching(problem) as string });
});

it('changes only the cron fields asked for, in 5- and 6-field patterns', () => {
  expect(changeCron('0 9 * * *', { time: { hour: 8, minute: 30 } })).toBe('30 8 * * *');
  expect(changeCron('30 8 * * *', { days: 'weekdays' })).toBe('30 8 * * 1-5');
  expect(changeCron('30 8 * * 1-5', { days: 'daily' })).toBe('30 8 * * *');
  expect(changeCron('15 0 9 * * *', { time: { hour: 7, minute: 5 } })).toBe('0 5 7 * * *');
});

it('describes a schedule the way people say it', () => {
  expect(describeSchedule({ cron: '0 9 * * *', tz: 'UTC' })).toBe('every day at 09:00 UTC');
  expect(describeSchedule({ cron: '30 8 * * 1-5', tz: 'Europe/Berlin' })).toBe('weekdays at 08:30 Europe/Berlin');
  expect(describeSchedule({ cron: '*/15 * * * * *', tz: 'UTC' })).toBe('on the schedule */15 * * * * * (UTC)');
});
