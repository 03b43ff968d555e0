/**
 * The demo's page server on 127.0.0.1: the page itself, the channel as it stands (`/state`, and pushed
 * on every change through Server-Sent Events at `/events`), and what the person at the page does:
 * `/send` (a slash command, or a message in the channel or a thread) and `/click` (a button). Each
 * becomes the request Slack would send the web process, signed with its signing secret; nothing the
 * page does reaches the bot any other way.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './read-body';
import { messageBodyHtml } from './render-blocks';
import type { RenderNames } from './render-blocks';
import { CHANNEL_PAGE_HTML } from './channel-page-html';
import { appMentionEnvelope, blockActionsPayload, messageEnvelope, sendEvent, sendInteraction, sendSlashCommand, slashCommandFields } from './slack-wire';
import type { WireAnswer } from './slack-wire';
import type { StoredMessage, Workspace } from './workspace';

/** Slack gives up on a request URL after 3 s. */
const SLACK_TIMEOUT_MS = 3_000;
/** Slackbot, who tells a user when a slash command failed. */
const SLACKBOT = 'USLACKBOT';

export interface ChannelPageOptions {
  workspace: Workspace;
  /** The web process's base URL (its `/slack/events` gets the signed requests); until it is known (`connect`), nothing is sent. */
  webUrl?: string;
  signingSecret: string;
  /** The person at the page. */
  you: { id: string; name: string };
  /** Host names the page answers to besides 127.0.0.1 and localhost (a forwarded port's). Default none. */
  hosts?: readonly string[];
}

/** A message as the page draws it. */
export interface MessageView {
  ts: string;
  threadTs?: string;
  author: string;
  bot: boolean;
  ephemeral: boolean;
  edited: boolean;
  /** HH:MM in the server's clock, as a channel shows it. */
  time: string;
  html: string;
}

export interface ChannelView {
  channel: { id: string; name: string };
  you: { id: string; name: string };
  bot: string;
  messages: MessageView[];
}

export class ChannelPage {
  private server: Server | undefined;
  private readonly streams = new Set<ServerResponse>();
  private pending: NodeJS.Timeout | undefined;
  private readonly unsubscribe: () => void;

  constructor(private readonly options: ChannelPageOptions) {
    options.workspace.person(options.you.id, options.you.name);
    this.unsubscribe = options.workspace.onChange(() => this.schedulePush());
  }

  /** Sends what the page does to the web process at `webUrl` from now on. */
  connect(webUrl: string): void {
    this.options.webUrl = webUrl;
  }

  private web(): string {
    if (this.options.webUrl === undefined) throw new InputError('apigw-doctor is still starting; try again in a second.');
    return this.options.webUrl;
  }

  /** Listens on 127.0.0.1:`port`; resolves with the page's URL. */
  async start(port: number): Promise<string> {
    const server = createServer((req, res) => void this.serve(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    this.server = server;
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.unsubscribe();
    clearTimeout(this.pending);
    for (const s of this.streams) s.end();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The channel as the person at the page sees it: no one else's ephemeral messages. */
  view(): ChannelView {
    const { workspace, you } = this.options;
    const names: RenderNames = { user: (id) => workspace.nameOf(id), channel: (id) => (id === workspace.channel.id ? workspace.channel.name : id) };
    const messages = workspace
      .all()
      .filter((m) => m.ephemeralFor === undefined || m.ephemeralFor === you.id)
      .map((m) => ({
        ts: m.ts,
        ...(m.threadTs !== undefined ? { threadTs: m.threadTs } : {}),
        author: m.user === SLACKBOT ? 'Slackbot' : workspace.nameOf(m.user),
        bot: m.user === workspace.botUserId || m.user === SLACKBOT,
        ephemeral: m.ephemeralFor !== undefined,
        edited: m.edits > 0,
        time: new Date(Number(m.ts.split('.')[0]) * 1000).toTimeString().slice(0, 5),
        html: messageBodyHtml(m, names),
      }));
    return { channel: workspace.channel, you, bot: workspace.botName, messages };
  }

  /** What the person typed: `/apigw …` is a slash command; anything else a message (a mention when it names the bot). */
  async send(text: string, threadTs?: string, timeZone?: string): Promise<void> {
    const { workspace, you } = this.options;
    if (timeZone !== undefined && isTimeZone(timeZone)) workspace.person(you.id, you.name, timeZone);
    const typed = text.trim();
    if (typed === '') throw new InputError('Type a message, or a command such as /apigw why 502 orders-api.');
    if (threadTs !== undefined && workspace.find(threadTs)?.threadTs !== undefined) throw new InputError(`${threadTs} is a reply, not a thread: reply in its thread.`);
    if (typed.startsWith('/')) return this.command(typed, threadTs);
    return this.message(typed, threadTs);
  }

  /** A click on the button `actionId` of message `ts`. */
  async click(ts: string, actionId: string, blockId: string, value: string): Promise<void> {
    const { workspace, you } = this.options;
    const web = this.web();
    const message = workspace.find(ts);
    if (!message) throw new InputError(`No message ${ts} in #${workspace.channel.name}.`);
    const payload = blockActionsPayload({
      channel: message.channel,
      user: you.id,
      userName: you.name,
      messageTs: message.ts,
      ...(message.threadTs !== undefined ? { threadTs: message.threadTs } : {}),
      ...(message.ephemeralFor !== undefined ? { ephemeral: true } : { message: { text: message.text, ...(message.blocks ? { blocks: message.blocks } : {}) } }),
      actionId,
      blockId,
      value,
      responseUrl: workspace.responseUrl({ channel: message.channel, user: you.id, threadTs: message.threadTs ?? message.ts, originalTs: message.ts }),
    });
    const answer = await this.deliver(() => sendInteraction(web, this.options.signingSecret, payload));
    if (answer.status !== 200) this.slackbotSays(`Your click could not be delivered to apigw-doctor: it answered HTTP ${answer.status}. ${answer.body.slice(0, 200)}`, message.threadTs ?? message.ts);
  }

  private async command(typed: string, threadTs: string | undefined): Promise<void> {
    const { workspace, you } = this.options;
    const web = this.web();
    const name = typed.split(/\s+/)[0] ?? '';
    if (name !== '/apigw') {
      this.slackbotSays(`${escapeSlack(name)} is not a valid command here. Try /apigw help.`, threadTs);
      return;
    }
    const fields = slashCommandFields(
      { channel: workspace.channel.id, channelName: workspace.channel.name, user: you.id, userName: you.name, responseUrl: workspace.responseUrl({ channel: workspace.channel.id, user: you.id, ...(threadTs !== undefined ? { threadTs } : {}) }) },
      escapeSlack(typed.slice(name.length).trim()),
    );
    const answer = await this.deliver(() => sendSlashCommand(web, this.options.signingSecret, fields));
    if (answer.status !== 200) {
      this.slackbotSays(`/apigw failed with the error "${answer.ms >= SLACK_TIMEOUT_MS ? 'operation_timeout' : 'dispatch_failed'}" (the app answered HTTP ${answer.status})`, threadTs);
      return;
    }
    if (answer.ms >= SLACK_TIMEOUT_MS) {
      this.slackbotSays(`/apigw failed with the error "operation_timeout": the app took ${(answer.ms / 1000).toFixed(1)} s to answer; Slack waits 3 s`, threadTs);
      return;
    }
    if (answer.body.trim() === '') return;
    const body = parseJson(answer.body);
    const text = typeof body?.text === 'string' ? body.text : answer.body;
    const blocks = Array.isArray(body?.blocks) ? (body.blocks as unknown[]) : undefined;
    workspace.post({ channel: workspace.channel.id, user: workspace.botUserId, text, ...(blocks ? { blocks } : {}), ...(threadTs !== undefined ? { threadTs } : {}), ...(body?.response_type === 'in_channel' ? {} : { ephemeralFor: you.id }) });
  }

  private async message(typed: string, threadTs: string | undefined): Promise<void> {
    const { workspace, you, signingSecret } = this.options;
    const webUrl = this.web();
    const mentions = new RegExp(`@${workspace.botName}\\b|<@${workspace.botUserId}>`, 'gi');
    const pieces = typed.split(mentions);
    const mentioned = pieces.length > 1;
    // Slack escapes its three control characters in what people type, and stores mentions as <@U…>.
    const text = pieces
      .map(escapeSlack)
      .join(`<@${workspace.botUserId}>`);
    const posted: StoredMessage = workspace.post({ channel: workspace.channel.id, user: you.id, text, ...(threadTs !== undefined ? { threadTs } : {}) });
    const wire = { channel: posted.channel, user: you.id, text, ts: posted.ts, ...(threadTs !== undefined ? { threadTs } : {}) };
    // Slack delivers both events of a message that mentions the app (app_mention and message.channels).
    const sends = [messageEnvelope(`Ev${randomUUID().slice(0, 10)}`, wire), ...(mentioned ? [appMentionEnvelope(`Ev${randomUUID().slice(0, 10)}`, wire, workspace.botUserId)] : [])].map((envelope) =>
      this.deliver((retry) => sendEvent(webUrl, signingSecret, envelope, retry)),
    );
    const answers = await Promise.all(sends);
    const failed = answers.find((a) => a.status !== 200);
    if (failed) this.slackbotSays(`apigw-doctor did not take this message: its request URL answered HTTP ${failed.status} three times.`, threadTs ?? posted.ts);
  }

  /** Sends as Slack does: once, then again (with the retry headers) on an error or timeout, up to 3 tries. */
  private async deliver(send: (retry?: number) => Promise<WireAnswer>): Promise<WireAnswer> {
    let answer: WireAnswer = { status: 0, body: '', ms: 0 };
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        answer = await send(attempt === 0 ? undefined : attempt);
        if (answer.status < 500) return answer;
      } catch (e) {
        answer = { status: 0, body: e instanceof Error ? e.message : String(e), ms: 0 };
      }
      await new Promise((r) => setTimeout(r, 500 * (attempt + 1)));
    }
    return answer;
  }

  private slackbotSays(text: string, threadTs: string | undefined): void {
    const { workspace, you } = this.options;
    workspace.post({ channel: workspace.channel.id, user: SLACKBOT, text, ephemeralFor: you.id, ...(threadTs !== undefined ? { threadTs } : {}) });
  }

  /** Pushes the view to every open page, at most every 50 ms (a burst of edits becomes one push). */
  private schedulePush(): void {
    this.pending ??= setTimeout(() => {
      this.pending = undefined;
      const data = `data: ${JSON.stringify(this.view())}\n\n`;
      for (const s of this.streams) s.write(data);
    }, 50);
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    try {
      // A page elsewhere that rebinds its name to 127.0.0.1 (DNS rebinding) arrives with its own Host: refused.
      const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
      if (!['127.0.0.1', 'localhost', ...(this.options.hosts ?? [])].includes(host)) {
        return json(421, { error: `this page answers at 127.0.0.1 or localhost, not at ${host || 'no host'}; to open it through a forwarded port, run the demo with DEMO_HOSTS=${host || 'its-name'}` });
      }
      if (req.method === 'GET' && url.pathname === '/') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'" });
        res.end(CHANNEL_PAGE_HTML);
        return;
      }
      if (req.method === 'GET' && url.pathname === '/state') return json(200, this.view());
      if (req.method === 'GET' && url.pathname === '/events') {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
        res.write(`data: ${JSON.stringify(this.view())}\n\n`);
        this.streams.add(res);
        req.on('close', () => this.streams.delete(res));
        return;
      }
      if (req.method === 'POST' && (url.pathname === '/send' || url.pathname === '/click')) {
        // Only this page may drive the channel: a page elsewhere cannot post here (no CORS, and JSON only).
        if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return json(415, { error: 'send JSON' });
        const raw = await readBody(req, 1_000_000);
        if (raw === undefined) throw new InputError('That is more than 1 MB; paste less.');
        const body = parseJson(raw) ?? {};
        const s = (k: string): string | undefined => (typeof body[k] === 'string' ? body[k] : undefined);
        if (url.pathname === '/send') await this.send(s('text') ?? '', s('threadTs'), s('timeZone'));
        else await this.click(s('ts') ?? '', s('actionId') ?? '', s('blockId') ?? '', s('value') ?? '');
        return json(200, { ok: true });
      }
      json(404, { error: `nothing at ${req.method ?? 'GET'} ${url.pathname}` });
    } catch (e) {
      json(e instanceof InputError ? 400 : 500, { error: e instanceof Error ? e.message : String(e) });
    }
  }
}

/** A problem with what the person typed or clicked, said back to them. */
class InputError extends Error {}

function escapeSlack(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

