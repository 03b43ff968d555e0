/**
 * What the worker says in Slack, over the Web API client: the visible progress message, its edits,
 * replies in its thread, and ephemeral notes through a slash command's `response_url`. Rate limits are
 * the client's job: with retries allowed it waits out each 429's `Retry-After` and tries again
 * (platform-facts §5). A channel the bot cannot post in is a `ChannelUnavailableError`, which the job
 * handler turns into an ephemeral "invite me" through the `response_url`.
 */
import type { Block, KnownBlock, Logger, RetryOptions } from '@slack/web-api';
import { LogLevel, WebAPIPlatformError, WebClient } from '@slack/web-api';

/** A message as the Block Kit builders (src/slack/blocks.ts) make it: fallback text and blocks. */
export interface SlackMessage {
  text: string;
  blocks?: readonly (KnownBlock | Block)[];
}

/** Slack errors meaning the bot cannot post in this channel at all: retrying will not help. */
export const CHANNEL_ERRORS = ['not_in_channel', 'channel_not_found', 'is_archived'] as const;
export type ChannelErrorCode = (typeof CHANNEL_ERRORS)[number];

/** The bot cannot post in `channel` (not a member, gone, or archived). */
export class ChannelUnavailableError extends Error {
  constructor(
    readonly channel: string,
    readonly code: ChannelErrorCode,
    options?: ErrorOptions,
  ) {
    super(`cannot post in ${channel}: ${code}`, options);
    this.name = new.target.name;
  }
}

/** Slack errors meaning the message to edit is gone or can no longer be edited. */
export const MESSAGE_ERRORS = ['message_not_found', 'cant_update_message', 'edit_window_closed'] as const;
export type MessageErrorCode = (typeof MESSAGE_ERRORS)[number];

/** The message at `channel`/`ts` cannot be edited any more (deleted by a person, or too old). */
export class MessageUnavailableError extends Error {
  constructor(
    readonly channel: string,
    readonly ts: string,
    readonly code: MessageErrorCode,
    options?: ErrorOptions,
  ) {
    super(`cannot edit message ${ts} in ${channel}: ${code}`, options);
    this.name = new.target.name;
  }
}

/** What the job handler needs of a poster; tests pass a fake that records calls. */
export interface Poster {
  postRoot(channel: string, message: SlackMessage): Promise<string>;
  reply(channel: string, threadTs: string, message: SlackMessage): Promise<string>;
  update(channel: string, ts: string, message: SlackMessage): Promise<void>;
  tellViaResponseUrl(responseUrl: string, message: SlackMessage): Promise<void>;
}

/** A `response_url` that did not take the message (expired after 30 min, or used 5 times). */
export class ResponseUrlError extends Error {
  constructor(
    readonly status: number,
    body: string,
  ) {
    super(`the response_url answered ${status}${body ? `: ${body.slice(0, 200)}` : ''}`);
    this.name = new.target.name;
  }
}

/** The part of a pino logger the poster uses. */
export interface PosterLogger {
  debug(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface PosterOptions {
  /** `SLACK_BOT_TOKEN`. */
  token: string;
  /** `SLACK_API_URL`: the Web API base ending in `/api/`. Default Slack's own (`https://slack.com/api/`). */
  slackApiUrl?: string;
  /**
   * Retries of a failed call, 429s included (each waits its `Retry-After` first). Default three
   * retries 1–10 s apart: a job retries as a whole after that, so minutes of client retries would only
   * hold the job's lock.
   */
  retryConfig?: RetryOptions;
  /** Per-request timeout. Default 10,000 ms. */
  timeoutMs?: number;
  logger?: PosterLogger;
  /** The fetch used for `response_url`s. Default the global one. */
  fetch?: typeof fetch;
}

/** Three retries, 1 s, 2 s, 4 s apart (at most 10 s): enough for a 429 or a blip. */
export const DEFAULT_RETRY_CONFIG: RetryOptions = { retries: 3, factor: 2, minTimeout: 1_000, maxTimeout: 10_000 };

export class SlackPoster implements Poster {
  private readonly client: WebClient;
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;

  constructor(options: PosterOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.fetch = options.fetch ?? fetch;
    this.client = new WebClient(options.token, {
      ...(options.slackApiUrl !== undefined ? { slackApiUrl: options.slackApiUrl } : {}),
      retryConfig: options.retryConfig ?? DEFAULT_RETRY_CONFIG,
      rejectRateLimitedCalls: false,
      timeout: this.timeoutMs,
      ...(options.logger ? { logger: slackLogger(options.logger) } : {}),
    });
  }

  /** Posts a message in a channel; returns its ts (the thread's id from then on). */
  async postRoot(channel: string, message: SlackMessage): Promise<string> {
    return this.post(channel, message);
  }

  /** Replies in a thread; returns the reply's ts. */
  async reply(channel: string, threadTs: string, message: SlackMessage): Promise<string> {
    return this.post(channel, message, threadTs);
  }

  /** Replaces a message the bot posted. */
  async update(channel: string, ts: string, message: SlackMessage): Promise<void> {
    try {
      await this.call(channel, () => this.client.chat.update({ channel, ts, text: message.text, ...(message.blocks ? { blocks: [...message.blocks] } : {}) }));
    } catch (e) {
      const code = e instanceof WebAPIPlatformError ? MESSAGE_ERRORS.find((c) => c === e.data.error) : undefined;
      if (code) throw new MessageUnavailableError(channel, ts, code, { cause: e });
      throw e;
    }
  }

  /** Tells a slash command's user something only they see, through its `response_url` (no channel membership needed). */
  async tellViaResponseUrl(responseUrl: string, message: SlackMessage): Promise<void> {
    const response = await this.fetch(responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ response_type: 'ephemeral', text: message.text, ...(message.blocks ? { blocks: message.blocks } : {}) }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!response.ok) throw new ResponseUrlError(response.status, await response.text().catch(() => ''));
  }

  private async post(channel: string, message: SlackMessage, threadTs?: string): Promise<string> {
    const result = await this.call(channel, () =>
      this.client.chat.postMessage({ channel, text: message.text, ...(message.blocks ? { blocks: [...message.blocks] } : {}), ...(threadTs !== undefined ? { thread_ts: threadTs } : {}) }),
    );
    if (typeof result.ts !== 'string') throw new Error(`chat.postMessage in ${channel} answered without a ts`);
    return result.ts;
  }

  private async call<T>(channel: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (e) {
      if (e instanceof WebAPIPlatformError) {
        const code = CHANNEL_ERRORS.find((c) => c === e.data.error);
        if (code) throw new ChannelUnavailableError(channel, code, { cause: e });
      }
      throw e;
    }
  }
}

/** The Web API client's logger, writing through pino; its own messages are warnings or debug lines. */
function slackLogger(logger: PosterLogger): Logger {
  let level = LogLevel.INFO;
  const text = (msg: unknown[]): string => msg.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
  return {
    debug: (...msg: unknown[]) => logger.debug({ component: 'slack-web-api' }, text(msg)),
    info: (...msg: unknown[]) => logger.debug({ component: 'slack-web-api' }, text(msg)),
    warn: (...msg: unknown[]) => logger.warn({ component: 'slack-web-api' }, text(msg)),
    error: (...msg: unknown[]) => logger.warn({ component: 'slack-web-api' }, text(msg)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
