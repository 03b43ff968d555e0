/**
 * The worker's Slack poster against the local fake Slack Web API (form-encoded bodies, `blocks` as JSON
 * inside a form field, platform-facts §4): 429s waited out, channel errors typed, replies threaded,
 * ephemeral notes through a response_url.
 */
import { WebAPIPlatformError } from '@slack/web-api';
import { ChannelUnavailableError, ResponseUrlError, SlackPoster } from '../../src/slack/poster';
import type { FakeSlack } from '../helpers/fake-slack';
import { startFakeSlack } from '../helpers/fake-slack';

let slack: FakeSlack;
let logged: string[];

beforeEach(async () => {
  slack = await startFakeSlack();
  logged = [];
});

afterEach(async () => {
  await slack.close();
});

const message = { text: 'Investigating 502s on orders-api…', blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: 'Investigating *502s* on orders-api…' } }] };

function poster(): SlackPoster {
  const log = (_obj: object, msg?: string): void => {
    logged.push(msg ?? '');
  };
  return new SlackPoster({ token: 'xoxb-test-token', slackApiUrl: slack.apiUrl, retryConfig: { retries: 2, minTimeout: 10, maxTimeout: 50 }, logger: { debug: log, warn: log } });
}

it('posts a root message form-encoded, with blocks as JSON in a field, and returns its ts', async () => {
  const ts = await poster().postRoot('C0OPS', message);
  expect(slack.calls).toHaveLength(1);
  const [call] = slack.calls;
  expect(ts).toBe(call?.ts);
  expect(call?.method).toBe('chat.postMessage');
  expect(call?.token).toBe('xoxb-test-token');
  expect(call?.contentType).toMatch(/^application\/x-www-form-urlencoded/);
  expect(call?.args).toMatchObject({ channel: 'C0OPS', text: message.text, blocks: message.blocks });
  expect(call?.args.thread_ts).toBeUndefined();
});

it('replies in a thread and edits a message', async () => {
  const p = poster();
  await p.reply('C0OPS', '1732546000.000200', message);
  await p.update('C0OPS', '1732546000.000200', { text: 'done' });
  expect(slack.calls.map((c) => c.method)).toEqual(['chat.postMessage', 'chat.update']);
  expect(slack.calls[0]?.args.thread_ts).toBe('1732546000.000200');
  expect(slack.calls[1]?.args).toMatchObject({ channel: 'C0OPS', ts: '1732546000.000200', text: 'done' });
});

it('waits out a 429’s Retry-After and posts the message once', async () => {
  slack.rateLimitNext('chat.postMessage', 1, 1);
  const ts = await poster().postRoot('C0OPS', message);
  expect(slack.calls.map((c) => c.method)).toEqual(['chat.postMessage', 'chat.postMessage']);
  expect(ts).toBe(slack.calls[1]?.ts);
  // The client's own notes go through our logger, not the console.
  expect(logged.join('\n')).toMatch(/rate limit/i);
});

it.each(['not_in_channel', 'channel_not_found'])('turns %s into a ChannelUnavailableError', async (code) => {
  slack.failNext('chat.postMessage', code);
  const error = await poster()
    .postRoot('C0SECRET', message)
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(ChannelUnavailableError);
  expect(error).toMatchObject({ channel: 'C0SECRET', code });
  // Not retried: the bot is still not in the channel a second later.
  expect(slack.calls).toHaveLength(1);
});

it('passes other Slack errors through', async () => {
  slack.failNext('chat.update', 'msg_too_long');
  await expect(poster().update('C0OPS', '1.2', message)).rejects.toBeInstanceOf(WebAPIPlatformError);
});

it('tells a slash command’s user through the response_url, as ephemeral JSON', async () => {
  await poster().tellViaResponseUrl(`${slack.url}/response/T1/123/abc`, message);
  expect(slack.responses).toEqual([{ path: '/response/T1/123/abc', body: { response_type: 'ephemeral', text: message.text, blocks: message.blocks } }]);
});

it('rejects when the response_url refuses the message', async () => {
  slack.responseUrlStatus = 404;
  await expect(poster().tellViaResponseUrl(`${slack.url}/response/T1/123/abc`, message)).rejects.toThrow(ResponseUrlError);
});
