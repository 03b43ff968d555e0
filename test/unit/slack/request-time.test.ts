/** The signed date of a Slack request, refused more than five minutes away from now in either direction. */
import { requestTimeProblem } from '../../../src/slack/request-time';

const NOW_MS = Date.parse('2026-12-05T12:00:00Z');
const at = (skewS: number): string => String(Math.floor(NOW_MS / 1000) + skewS);

it.each([
  [5 * 60, undefined],
  [-5 * 60, undefined],
  [0, undefined],
  [5 * 60 + 1, 'dated 5 min ahead of now (at most 5 minutes either way)'],
  [3_600, 'dated 1 h ahead of now (at most 5 minutes either way)'],
  [365 * 86_400, 'dated 365 d ahead of now (at most 5 minutes either way)'],
  [-(5 * 60 + 1), 'dated 5 min before now (at most 5 minutes either way)'],
])('a request dated %i s from now: %s', (skew, problem) => {
  expect(requestTimeProblem(at(skew), NOW_MS)).toBe(problem);
});

it('leaves a missing or malformed date to the signature check, which refuses it', () => {
  expect(requestTimeProblem(undefined, NOW_MS)).toBeUndefined();
  expect(requestTimeProblem('soon', NOW_MS)).toBeUndefined();
  expect(requestTimeProblem(['1', '2'], NOW_MS)).toBeUndefined();
});
