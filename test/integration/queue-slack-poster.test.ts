/**
 * The worker's Slack poster against a local fake Slack Web API (form-encoded bodies, `blocks` as JSON
 * inside a form field, platform-facts §4): 429s waited out, channel errors typed, replies threaded,
 * ephemeral notes through a response_url.
 */
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { WebAPIPlatformError } from '@slack/web-api';
import { ChannelUnavailableError, ResponseUrlError, SlackPoster } from '../../src/slack/poster';

interface Received {
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  form: Record<string, string>;
  json?: unknown;
}

type Answer = (req: Received, res: ServerResponse) => void;

let server: Server;
let base: string;
let received: Received[];
let answers: Answer[];
let logged: string[];

const ok =
  (body: Record<string, unknown> = {}): Answer =>
  (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true, channel: req.form.channel, ts: '1732546800.000100', ...body }));
  };

const platformError =
  (error: string): Answer =>
  (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: false, error }));
  };

const rateLimited: Answer = (_req, res) => {
  res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
  res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
};

async function read(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void read(req).then((body) => {
      const contentType = req.headers['content-type'];
      const r: Received = {
        path: req.url ?? '',
        authorization: req.headers.authorization,
        contentType,
        form: contentType?.startsWith('application/x-www-form-urlencoded') ? Object.fromEntries(new URLSearchParams(body)) : {},
        ...(contentType?.startsWith('application/json') ? { json: JSON.parse(body) as unknown } : {}),
      };
      received.push(r);
      (answers.shift() ?? ok())(r, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  received = [];
  answers = [];
  logged = [];
});

const message = { text: 'Investigating 502s on orders-api…', blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: 'Investigating *502s* on orders-api…' } }] };

function poster(): SlackPoster {
  const log = (_obj: object, msg?: string): void => {
    logged.push(msg ?? '');
  };
  return new SlackPoster({ token: 'xoxb-test-token', slackApiUrl: `${base}/api/`, retryConfig: { retries: 2, minTimeout: 10, maxTimeout: 50 }, logger: { debug: log, warn: log } });
}

it('posts a root message form-encoded, with blocks as JSON in a field, and returns its ts', async () => {
  const ts = await poster().postRoot('C0OPS', message);
  expect(ts).toBe('1732546800.000100');
  expect(received).toHaveLength(1);
  const [call] = received;
  expect(call?.path).toBe('/api/chat.postMessage');
  expect(call?.authorization).toBe('Bearer xoxb-test-token');
  expect(call?.form.channel).toBe('C0OPS');
  expect(call?.form.text).toBe(message.text);
  expect(call?.form.thread_ts).toBeUndefined();
  expect(JSON.parse(call?.form.blocks ?? 'null')).toEqual(message.blocks);
});

it('replies in a thread and edits a message', async () => {
  const p = poster();
  await p.reply('C0OPS', '1732546000.000200', message);
  await p.update('C0OPS', '1732546000.000200', { text: 'done' });
  expect(received.map((r) => r.path)).toEqual(['/api/chat.postMessage', '/api/chat.update']);
  expect(received[0]?.form.thread_ts).toBe('1732546000.000200');
  expect(received[1]?.form).toMatchObject({ channel: 'C0OPS', ts: '1732546000.000200', text: 'done' });
});

it('waits out a 429’s Retry-After and posts the message once', async () => {
  answers = [rateLimited, ok()];
  const ts = await poster().postRoot('C0OPS', message);
  expect(ts).toBe('1732546800.000100');
  expect(received.map((r) => r.path)).toEqual(['/api/chat.postMessage', '/api/chat.postMessage']);
  // The client's own notes go through our logger, not the console.
  expect(logged.join('\n')).toMatch(/rate limit/i);
});

it.each(['not_in_channel', 'channel_not_found'])('turns %s into a ChannelUnavailableError', async (code) => {
  answers = [platformError(code)];
  const error = await poster()
    .postRoot('C0SECRET', message)
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(ChannelUnavailableError);
  expect(error).toMatchObject({ channel: 'C0SECRET', code });
  // Not retried: the bot is still not in the channel a second later.
  expect(received).toHaveLength(1);
});

it('passes other Slack errors through', async () => {
  answers = [platformError('msg_too_long')];
  await expect(poster().update('C0OPS', '1.2', message)).rejects.toBeInstanceOf(WebAPIPlatformError);
});

it('tells a slash command’s user through the response_url, as ephemeral JSON', async () => {
  await poster().tellViaResponseUrl(`${base}/commands/T1/123/abc`, message);
  expect(received).toHaveLength(1);
  expect(received[0]?.path).toBe('/commands/T1/123/abc');
  expect(received[0]?.json).toEqual({ response_type: 'ephemeral', text: message.text, blocks: message.blocks });
});

it('rejects when the response_url refuses the message', async () => {
  answers = [
    (_req, res) => {
      res.writeHead(404);
      res.end('expired_url');
    },
  ];
  await expect(poster().tellViaResponseUrl(`${base}/commands/T1/123/abc`, message)).rejects.toThrow(ResponseUrlError);
});
