/**
 * What Slack sends an app's request URL, built the way Slack builds it: the form of a slash command, the
 * Events API envelope of a message or mention, the `block_actions` payload of a click, each signed with
 * the signing secret (v0 HMAC-SHA256 over `v0:timestamp:body`). The demo sends these to the real web
 * process, and the end-to-end tests use the same builders, so both speak exactly one dialect.
 */
import { createHmac, randomUUID } from 'node:crypto';

/** Who and where a request comes from: the workspace, the app, and optionally a channel's name. */
export interface WireWorkspace {
  teamId: string;
  teamDomain: string;
  appId: string;
}

/** The workspace of the demo and of the tests. */
export const WORKSPACE: WireWorkspace = { teamId: 'T0ACME001', teamDomain: 'acme', appId: 'A0APIGWDR1' };

/** The headers Slack signs a request with; `timestamp` in seconds, default now. */
export function signedHeaders(secret: string, body: string, contentType: 'application/x-www-form-urlencoded' | 'application/json', timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { 'content-type': contentType, 'x-slack-signature': signature, 'x-slack-request-timestamp': String(timestamp) };
}

/** Where a slash command was typed, and by whom. */
export interface CommandPlace {
  channel: string;
  channelName?: string;
  user: string;
  userName?: string;
  /** Where the app's delayed answers go (`response_url`). */
  responseUrl: string;
}

/** The form fields of `/apigw <text>`. */
export function slashCommandFields(place: CommandPlace, text: string, workspace: WireWorkspace = WORKSPACE): Record<string, string> {
  return {
    token: 'deprecated-verification-token',
    team_id: workspace.teamId,
    team_domain: workspace.teamDomain,
    channel_id: place.channel,
    channel_name: place.channelName ?? 'oncall',
    user_id: place.user,
    user_name: place.userName ?? 'alice',
    command: '/apigw',
    text,
    api_app_id: workspace.appId,
    is_enterprise_install: 'false',
    response_url: place.responseUrl,
    trigger_id: `${Date.now()}.0987654321.${randomUUID().slice(0, 8)}`,
  };
}

/** The Events API envelope Slack wraps `event` in. */
export function eventEnvelope(eventId: string, event: Record<string, unknown>, extra: Record<string, unknown> = {}, workspace: WireWorkspace = WORKSPACE): Record<string, unknown> {
  return {
    token: 'deprecated-verification-token',
    team_id: workspace.teamId,
    api_app_id: workspace.appId,
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    ...extra,
    event,
  };
}

/** A message as the events carry it. */
export interface WireMessage {
  channel: string;
  user: string;
  text: string;
  ts: string;
  threadTs?: string;
}

/** The `app_mention` envelope of a message that mentions the bot `botUserId` (its text holds `<@botUserId>`). */
export function appMentionEnvelope(eventId: string, message: WireMessage, botUserId: string, workspace: WireWorkspace = WORKSPACE): Record<string, unknown> {
  return eventEnvelope(eventId, { type: 'app_mention', ...messageFields(message) }, { authorizations: [{ team_id: workspace.teamId, user_id: botUserId, is_bot: true }] }, workspace);
}

/** The `message` envelope of a plain channel message (what `message.channels` delivers). */
export function messageEnvelope(eventId: string, message: WireMessage, workspace: WireWorkspace = WORKSPACE): Record<string, unknown> {
  return eventEnvelope(eventId, { type: 'message', channel_type: 'channel', ...messageFields(message) }, {}, workspace);
}

function messageFields(m: WireMessage): Record<string, unknown> {
  return { user: m.user, text: m.text, ts: m.ts, channel: m.channel, event_ts: m.ts, ...(m.threadTs !== undefined ? { thread_ts: m.threadTs } : {}) };
}

/** A click on a button of a message. */
export interface WireClick {
  channel: string;
  user: string;
  userName?: string;
  /** The message the button is on. */
  messageTs: string;
  /** The thread that message is in, when it is a reply. */
  threadTs?: string;
  /** An ephemeral message: Slack sends no `message` for it. */
  ephemeral?: boolean;
  /** The message as posted, sent along for a non-ephemeral one. */
  message?: { text: string; blocks?: unknown[] };
  actionId: string;
  blockId: string;
  value: string;
  responseUrl: string;
}

/** The `block_actions` payload of a button click. */
export function blockActionsPayload(click: WireClick, workspace: WireWorkspace = WORKSPACE): Record<string, unknown> {
  const thread = click.threadTs !== undefined ? { thread_ts: click.threadTs } : {};
  return {
    type: 'block_actions',
    user: { id: click.user, username: click.userName ?? 'alice', name: click.userName ?? 'alice', team_id: workspace.teamId },
    api_app_id: workspace.appId,
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: click.messageTs, channel_id: click.channel, is_ephemeral: click.ephemeral ?? false, ...thread },
    trigger_id: `${Date.now()}.0987654321.${randomUUID().slice(0, 8)}`,
    team: { id: workspace.teamId, domain: workspace.teamDomain },
    channel: { id: click.channel, name: 'oncall' },
    ...(click.ephemeral ? {} : { message: { type: 'message', ts: click.messageTs, ...thread, text: click.message?.text ?? '', ...(click.message?.blocks ? { blocks: click.message.blocks } : {}) } }),
    response_url: click.responseUrl,
    actions: [{ type: 'button', action_id: click.actionId, block_id: click.blockId, value: click.value, action_ts: String(Date.now() / 1000) }],
  };
}

/** What the app's request URL answered. */
export interface WireAnswer {
  status: number;
  body: string;
  ms: number;
}

/** Posts a signed slash command (form-encoded) to `base`'s `/slack/events`. */
export function sendSlashCommand(base: string, secret: string, fields: Record<string, string>, opts: { timestamp?: number; badSignature?: boolean } = {}): Promise<WireAnswer> {
  return sendSigned(base, opts.badSignature ? `${secret}x` : secret, new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded', {}, opts.timestamp);
}

/** Posts a signed Events API envelope; `retryNum` adds Slack's retry headers. */
export function sendEvent(base: string, secret: string, envelope: Record<string, unknown>, retryNum?: number): Promise<WireAnswer> {
  const retry: Record<string, string> = retryNum !== undefined ? { 'x-slack-retry-num': String(retryNum), 'x-slack-retry-reason': 'http_timeout' } : {};
  return sendSigned(base, secret, JSON.stringify(envelope), 'application/json', retry);
}

/** Posts a signed interactivity payload (`payload=<json>`, form-encoded), as Slack sends a click. */
export function sendInteraction(base: string, secret: string, payload: Record<string, unknown>, opts: { badSignature?: boolean } = {}): Promise<WireAnswer> {
  return sendSigned(base, opts.badSignature ? `${secret}x` : secret, new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded');
}

async function sendSigned(base: string, secret: string, body: string, contentType: 'application/x-www-form-urlencoded' | 'application/json', extra: Record<string, string> = {}, timestamp?: number): Promise<WireAnswer> {
  const started = Date.now();
  const res = await fetch(`${base}/slack/events`, { method: 'POST', body, headers: { ...signedHeaders(secret, body, contentType, timestamp), ...extra } });
  return { status: res.status, body: await res.text(), ms: Date.now() - started };
}
