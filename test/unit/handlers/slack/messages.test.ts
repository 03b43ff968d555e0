/** The listeners' own short answers: what was asked, in the asker's words, escaped. */
import { digestSettingsMessage, queueFailureText } from '../../../../handlers/slack/messages';
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

it('says how the digest is set, the next run in the schedule’s own zone, and who set it', () => {
  const next = new Date('2026-12-07T07:30:00Z');
  expect(digestSettingsMessage({ channel: 'C0OPS', cron: '30 8 * * 1-5', tz: 'Europe/Berlin', enabled: true, source: 'slack', updatedBy: 'U0ALICE' }, next, true).text).toBe(
    'Done. The daily 5xx digest goes to <#C0OPS> weekdays at 08:30 Europe/Berlin; next Mon 7 Dec 08:30 Europe/Berlin. Set in Slack by <@U0ALICE>.',
  );
  expect(digestSettingsMessage({ cron: '0 9 * * *', tz: 'UTC', enabled: true, source: 'environment' }, undefined).text).toMatch(/^The daily 5xx digest has no channel yet: `\/apigw digest here`/);
  expect(digestSettingsMessage({ channel: 'C0OPS', cron: '0 9 * * *', tz: 'UTC', enabled: false, source: 'slack' }, undefined).text).toMatch(/^The daily 5xx digest is off\./);
});
