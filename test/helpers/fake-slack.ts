/**
 * A local fake of the Slack Web API (`SLACK_API_URL=http://127.0.0.1:PORT/api/`) and of response_url
 * endpoints: it parses the form bodies the Web API client sends (`blocks` is JSON inside a form field),
 * answers `auth.test`, `chat.postMessage` (with a fresh `ts`), `chat.update` and `users.info`, and
 * records every call so a test can read what the bot posted. Channels can be made to answer
 * `not_in_channel`, and the next N calls of a method to answer 429 with `Retry-After`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

export interface SlackCall {
  method: string;
  /** Form fields, with `blocks`/`attachments` parsed from their JSON. */
  args: Record<string, unknown>;
  token?: string;
  contentType?: string;
  /** The message ts the fake answered with (chat.postMessage, chat.update). */
  ts?: string;
  at: number;
}

export interface ResponseUrlPost {
  path: string;
  body: Record<string, unknown>;
}

export interface FakeSlack {
  url: string;
  apiUrl: string;
  calls: SlackCall[];
  responses: ResponseUrlPost[];
  botUserId: string;
  /** When set, auth.test answers with these scopes in its `x-oauth-scopes` header, as Slack does. */
  scopes?: string[];
  /** Channels where posting answers `not_in_channel`. */
  notInChannel: Set<string>;
  /** The next `n` calls of `method` answer 429 with `Retry-After: seconds`. */
  rateLimitNext(method: string, n: number, seconds: number): void;
  /** The next call of `method` answers `{ok: false, error}`. */
  failNext(method: string, error: string): void;
  /** response_url posts answer this HTTP status (default 200). */
  responseUrlStatus: number;
  /** Resolves once `predicate` holds for the recorded calls (polls every 25 ms), or rejects after `timeoutMs`. */
  waitFor(predicate: (calls: SlackCall[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: SlackCall[] = [];
  const responses: ResponseUrlPost[] = [];
  const notInChannel = new Set<string>();
  const limited = new Map<string, { n: number; seconds: number }>();
  const failing = new Map<string, string>();
  const state: { responseUrlStatus: number; scopes?: string[] } = { responseUrlStatus: 200 };
  let seq = 0;
  const botUserId = 'U0BOTDOC1';

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const json = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      };
      if (url.pathname.startsWith('/response/')) {
        responses.push({ path: url.pathname, body: JSON.parse(raw || '{}') as Record<string, unknown> });
        if (state.responseUrlStatus !== 200) {
          res.writeHead(state.responseUrlStatus);
          res.end('expired_url');
          return;
        }
        json(200, { ok: true });
        return;
      }
      const method = url.pathname.replace(/^\/api\//, '');
      const args: Record<string, unknown> = {};
      const type = req.headers['content-type'] ?? '';
      if (type.includes('application/json')) Object.assign(args, JSON.parse(raw || '{}'));
      else for (const [k, v] of new URLSearchParams(raw)) args[k] = k === 'blocks' || k === 'attachments' ? JSON.parse(v) : v;
      const token = (req.headers.authorization ?? '').replace(/^Bearer /, '') || undefined;
      const call: SlackCall = { method, args, ...(token ? { token } : {}), ...(type ? { contentType: type } : {}), at: Date.now() };
      calls.push(call);
      const failure = failing.get(method);
      if (failure !== undefined) {
        failing.delete(method);
        json(200, { ok: false, error: failure });
        return;
      }
      const limit = limited.get(method);
      if (limit && limit.n > 0) {
        limit.n -= 1;
        json(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(limit.seconds) });
        return;
      }
      switch (method) {
        case 'auth.test':
          json(200, { ok: true, url: 'https://acme.slack.com/', team: 'Acme', user: 'apigw-doctor', team_id: 'T0ACME001', user_id: botUserId, bot_id: 'B0BOTDOC1' }, state.scopes ? { 'x-oauth-scopes': state.scopes.join(',') } : {});
          return;
        case 'chat.postMessage': {
          const channel = typeof args.channel === 'string' ? args.channel : '';
          if (notInChannel.has(channel)) {
            json(200, { ok: false, error: 'not_in_channel' });
            return;
          }
          seq += 1;
          call.ts = `1764079${String(200000 + seq).padStart(6, '0')}.000${String(seq).padStart(3, '0')}`;
          json(200, { ok: true, channel, ts: call.ts, message: { text: args.text } });
          return;
        }
        case 'chat.update':
          if (typeof args.ts === 'string') call.ts = args.ts;
          json(200, { ok: true, channel: args.channel, ts: args.ts, text: args.text });
          return;
        case 'chat.postEphemeral':
          json(200, { ok: true, message_ts: '1764079000.000001' });
          return;
        case 'users.info':
          json(200, { ok: true, user: { id: args.user, tz: 'Europe/Paris', tz_offset: 3600 } });
          return;
        default:
          json(200, { ok: false, error: 'unknown_method' });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    apiUrl: `${url}/api/`,
    calls,
    responses,
    botUserId,
    notInChannel,
    rateLimitNext: (method, n, seconds) => {
      limited.set(method, { n, seconds });
    },
    failNext: (method, error) => {
      failing.set(method, error);
    },
    get scopes() {
      return state.scopes;
    },
    set scopes(scopes: string[] | undefined) {
      state.scopes = scopes;
    },
    get responseUrlStatus() {
      return state.responseUrlStatus;
    },
    set responseUrlStatus(status: number) {
      state.responseUrlStatus = status;
    },
    waitFor: async (predicate, timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(calls)) {
        if (Date.now() > deadline) throw new Error(`fake Slack: condition not met within ${timeoutMs} ms; calls: ${calls.map((c) => c.method).join(', ')}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
