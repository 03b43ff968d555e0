/**
 * The demo's Slack workspace: one channel and its threads in memory, and the Slack Web API methods the
 * bot calls (`auth.test`, `chat.postMessage`, `chat.update`, `chat.postEphemeral`, `users.info`) plus the
 * `response_url`s it answers slash commands and clicks through, served over HTTP so that the real web and
 * worker processes talk to it exactly as they talk to Slack (`SLACK_API_URL`). Every change is announced
 * to listeners, which is how the page sees a message appear and change.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './read-body';

/** A message in the channel or in one of its threads, as the page shows it. */
export interface StoredMessage {
  ts: string;
  channel: string;
  /** The author's user id (the bot's, or a person's). */
  user: string;
  text: string;
  blocks?: unknown[];
  /** The thread it replies in; absent for a message in the channel. */
  threadTs?: string;
  /** Shown only to this user ("Only visible to you"). */
  ephemeralFor?: string;
  /** How many times the bot edited it (`chat.update`). */
  edits: number;
}

/** A person or the bot. */
export interface WorkspaceUser {
  id: string;
  name: string;
  /** IANA zone `users.info` answers with; the page sets it from the browser. */
  tz: string;
}

/** Where a `response_url` answer goes: the channel, whom it is for, and the thread it was asked in. */
interface ResponseTarget {
  channel: string;
  user: string;
  threadTs?: string;
  /** The ephemeral message a click was on, which `replace_original` replaces. */
  originalTs?: string;
}

export interface WorkspaceOptions {
  /** The bot's user id; default `U0BOTDOC1`. */
  botUserId?: string;
  /** The bot's display name; default `apigw-doctor`. */
  botName?: string;
  channel?: { id: string; name: string };
}

/** The workspace's channel, its people and the bot, and the HTTP server the bot's processes call. */
export class Workspace {
  readonly botUserId: string;
  readonly botName: string;
  readonly channel: { id: string; name: string };
  private readonly messages: StoredMessage[] = [];
  private readonly users = new Map<string, WorkspaceUser>();
  private readonly targets = new Map<string, ResponseTarget>();
  private readonly listeners = new Set<() => void>();
  private lastTs = 0;
  private server: Server | undefined;
  private base = '';

  constructor(options: WorkspaceOptions = {}) {
    this.botUserId = options.botUserId ?? 'U0BOTDOC1';
    this.botName = options.botName ?? 'apigw-doctor';
    this.channel = options.channel ?? { id: 'C0DEMO0001', name: 'oncall' };
    this.users.set(this.botUserId, { id: this.botUserId, name: this.botName, tz: 'UTC' });
  }

  /** The Web API base for `SLACK_API_URL` (ends in `/api/`); valid once started. */
  get apiUrl(): string {
    return `${this.base}/api/`;
  }

  /** Serves the Web API and response URLs on 127.0.0.1 (a free port unless given). */
  async start(port = 0): Promise<void> {
    const server = createServer((req, res) => void this.serve(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    this.server = server;
    this.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Calls `listener` after every change; returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A person of the workspace, added on first sight. */
  person(id: string, name: string, tz?: string): WorkspaceUser {
    const known = this.users.get(id);
    const user = { id, name, tz: tz ?? known?.tz ?? 'UTC' };
    this.users.set(id, user);
    return user;
  }

  nameOf(id: string): string {
    return this.users.get(id)?.name ?? id;
  }

  /** Every message, in the order posted. */
  all(): readonly StoredMessage[] {
    return this.messages;
  }

  find(ts: string): StoredMessage | undefined {
    return this.messages.find((m) => m.ts === ts);
  }

  /** Posts a message as `user` (a person typing); returns it. */
  post(message: Omit<StoredMessage, 'ts' | 'edits'>): StoredMessage {
    const stored: StoredMessage = { ...message, ts: this.nextTs(), edits: 0 };
    this.messages.push(stored);
    this.changed();
    return stored;
  }

  /** A fresh `response_url` whose answers go to `target`. */
  responseUrl(target: ResponseTarget): string {
    const id = randomUUID();
    this.targets.set(id, target);
    return `${this.base}/response/${id}`;
  }

  /** Slack's ts: seconds, a dot, six digits; strictly increasing, as in one channel. */
  private nextTs(): string {
    const micros = Math.max(Date.now() * 1000, this.lastTs + 1);
    this.lastTs = micros;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = (await readBody(req, 10_000_000)) ?? '';
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    try {
      if (url.pathname.startsWith('/response/')) {
        const ok = this.respond(url.pathname.slice('/response/'.length), parseArgs(raw, req.headers['content-type']));
        if (ok) json(200, { ok: true });
        else {
          res.writeHead(404);
          res.end('expired_url');
        }
        return;
      }
      if (!url.pathname.startsWith('/api/')) return json(404, { ok: false, error: 'not_found' });
      json(200, this.call(url.pathname.slice('/api/'.length), parseArgs(raw, req.headers['content-type'])));
    } catch (e) {
      json(200, { ok: false, error: 'invalid_arguments', detail: e instanceof Error ? e.message : String(e) });
    }
  }

  /** One Web API method, answered as Slack answers it. */
  private call(method: string, args: Record<string, unknown>): Record<string, unknown> {
    const text = (name: string): string | undefined => (typeof args[name] === 'string' ? args[name] : undefined);
    const blocks = Array.isArray(args.blocks) ? (args.blocks as unknown[]) : undefined;
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://acme.slack.com/', team: 'Acme', user: this.botName, team_id: 'T0ACME001', user_id: this.botUserId, bot_id: 'B0BOTDOC1' };
      case 'chat.postMessage': {
        const channel = text('channel');
        if (channel !== this.channel.id) return { ok: false, error: 'channel_not_found' };
        const threadTs = text('thread_ts');
        if (threadTs !== undefined && !this.find(threadTs)) return { ok: false, error: 'thread_not_found' };
        const posted = this.post({ channel, user: this.botUserId, text: text('text') ?? '', ...(blocks ? { blocks } : {}), ...(threadTs !== undefined ? { threadTs } : {}) });
        return { ok: true, channel, ts: posted.ts, message: { text: posted.text, ts: posted.ts } };
      }
      case 'chat.update': {
        const message = this.find(text('ts') ?? '');
        if (!message || message.channel !== text('channel')) return { ok: false, error: 'message_not_found' };
        if (message.user !== this.botUserId) return { ok: false, error: 'cant_update_message' };
        message.text = text('text') ?? message.text;
        if (blocks) message.blocks = blocks;
        message.edits += 1;
        this.changed();
        return { ok: true, channel: message.channel, ts: message.ts, text: message.text };
      }
      case 'chat.postEphemeral': {
        const channel = text('channel');
        const user = text('user');
        if (channel !== this.channel.id) return { ok: false, error: 'channel_not_found' };
        if (user === undefined) return { ok: false, error: 'user_not_found' };
        const threadTs = text('thread_ts');
        const posted = this.post({ channel, user: this.botUserId, text: text('text') ?? '', ephemeralFor: user, ...(blocks ? { blocks } : {}), ...(threadTs !== undefined ? { threadTs } : {}) });
        return { ok: true, message_ts: posted.ts };
      }
      case 'users.info': {
        const user = this.users.get(text('user') ?? '');
        if (!user) return { ok: false, error: 'user_not_found' };
        return { ok: true, user: { id: user.id, name: user.name, tz: user.tz, tz_offset: 0 } };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  /** An answer posted to a `response_url`: ephemeral for its user, or in the channel; false when unknown. */
  private respond(id: string, body: Record<string, unknown>): boolean {
    const target = this.targets.get(id);
    if (!target) return false;
    const text = typeof body.text === 'string' ? body.text : '';
    const blocks = Array.isArray(body.blocks) ? (body.blocks as unknown[]) : undefined;
    const original = body.replace_original === true && target.originalTs !== undefined ? this.find(target.originalTs) : undefined;
    if (original?.ephemeralFor !== undefined) {
      original.text = text;
      if (blocks) original.blocks = blocks;
      else delete original.blocks;
      original.edits += 1;
      this.changed();
      return true;
    }
    const inChannel = body.response_type === 'in_channel';
    this.post({
      channel: target.channel,
      user: this.botUserId,
      text,
      ...(blocks ? { blocks } : {}),
      ...(target.threadTs !== undefined ? { threadTs: target.threadTs } : {}),
      ...(inChannel ? {} : { ephemeralFor: target.user }),
    });
    return true;
  }
}

/** The Web API client sends forms with JSON inside `blocks`; response URLs get JSON. */
function parseArgs(raw: string, contentType: string | undefined): Record<string, unknown> {
  if ((contentType ?? '').includes('application/json')) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const args: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) args[k] = k === 'blocks' || k === 'attachments' ? (JSON.parse(v) as unknown) : v;
  return args;
}
