/** The listeners' own short answers: what was asked, in the asker's words, escaped. */
import { queueFailureText } from '../../../../handlers/slack/messages';
import { describeQuestion } from '../../../../src/requests/messages';

const NOW = new Date('2026-11-25T17:00:00Z');

it('describes a question with its stage, account, Region and window, as people read windows', () => {
  expect(describeQuestion({ status: 502, api: 'orders-api', stage: 'prod', sinceMs: 3_600_000 }, NOW)).toBe('502s on orders-api (prod, last 1h)');
  expect(describeQuestion({ status: '5xx', api: 'a1b2c3d4e5', sinceMs: 6 * 3_600_000, account: 'dev', region: 'eu-west-1' }, NOW)).toBe('5xx errors on a1b2c3d4e5 (account dev, eu-west-1, last 6h)');
  expect(describeQuestion({ status: 500, api: '<!channel>&', sinceMs: 900_000 }, NOW)).toBe('500s on &lt;!channel&gt;&amp; (since 16:45 UTC)');
  // A window of 1,051 minutes reads as the time it started, in the asker's zone and in UTC: never "last 1051m".
  expect(describeQuestion({ status: 504, api: 'orders-api', sinceMs: 1051 * 60_000 }, NOW, 'America/Los_Angeles')).toBe('504s on orders-api (since Tue 15:29 PT (Tue 23:29 UTC))');
});

it('reads a queue failure as one sentence', () => {
  expect(queueFailureText(new Error('could not remember the Slack event: Redis at 127.0.0.1:6379 is unreachable (x)'))).toBe('Could not queue the investigation: Redis at 127.0.0.1:6379 is unreachable (x)');
  expect(queueFailureText(new Error('boom'))).toBe('Could not queue the investigation: boom');
});
