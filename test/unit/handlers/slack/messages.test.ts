/** The listeners' own short answers: what was asked, in the asker's words, escaped and quoted. */
import { cliOnlyMessage, describeQuestion, formatWindow, queueFailureText } from '../../../../handlers/slack/messages';

it('describes a question with its stage, account, Region and window', () => {
  expect(describeQuestion({ status: 502, api: 'orders-api', stage: 'prod', sinceMs: 3_600_000 })).toBe('502s on orders-api (prod, last 1h)');
  expect(describeQuestion({ status: '5xx', api: 'a1b2c3d4e5', sinceMs: 6 * 3_600_000, account: 'dev', region: 'eu-west-1' })).toBe('5xx errors on a1b2c3d4e5 (account dev, eu-west-1, last 6h)');
  expect(describeQuestion({ status: 500, api: '<!channel>&', sinceMs: 900_000 })).toBe('500s on &lt;!channel&gt;&amp; (last 15m)');
});

it('formats windows the way users type them', () => {
  expect([900_000, 3_600_000, 86_400_000, 2 * 86_400_000, 7 * 86_400_000, 90 * 60_000].map(formatWindow)).toEqual(['15m', '1h', '24h', '2d', '7d', '90m']);
});

it('points to the CLI with the user text shell-quoted', () => {
  expect(cliOnlyMessage({ kind: 'check', api: "orders'; rm -rf ~", stage: 'prod', account: 'dev' }).text).toContain("`apigw-doctor check 'orders'\\''; rm -rf ~' prod --account dev`");
  expect(cliOnlyMessage({ kind: 'apis', sinceMs: 6 * 3_600_000, region: 'us-east-1' }).text).toContain('`apigw-doctor apis --since 6h --region us-east-1`');
});

it('reads a queue failure as one sentence', () => {
  expect(queueFailureText(new Error('could not remember the Slack event: Redis at 127.0.0.1:6379 is unreachable (x)'))).toBe('Could not queue the investigation: Redis at 127.0.0.1:6379 is unreachable (x)');
  expect(queueFailureText(new Error('boom'))).toBe('Could not queue the investigation: boom');
});
