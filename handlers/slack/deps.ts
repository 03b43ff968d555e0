/**
 * What the Slack listeners need, passed in by the composition root (src/bin/web.ts). Each listener is
 * a plain function of Bolt's arguments, narrowed here to the fields it reads, so a test calls it with
 * fakes: `{ command, ack }` for the slash command, `{ event, body, context, client }` for events.
 */
import type { ChatPostMessageArguments } from '@slack/web-api';
import type { Logger } from 'pino';
import type { InvestigationQueue } from '../../src/queue/investigations';
import type { Permissions } from '../../src/slack/permissions';

/** The queue as the listeners use it: dedupe deliveries, then ask (start or join) an investigation. */
export type ListenerQueue = Pick<InvestigationQueue, 'claimDelivery' | 'confirmDelivery' | 'forgetDelivery' | 'ask'>;

export interface SlackDeps {
  queue: ListenerQueue;
  /** Channel → account/API permissions (`channels:` in APIGW_DOCTOR_CONFIG); everything allowed without it. */
  permissions: Permissions;
  /** Every request is logged here: who, what, where. */
  logger: Logger;
  /** The clock; a question's window ends when it was asked. */
  now: () => Date;
  /** `DEDUPE_WINDOW_S`: the same question in the same channel this soon joins the running investigation (said in the ack). */
  dedupeWindowS: number;
  /** The bot's own user id (from `auth.test`), to find @mentions of it in message text. */
  botUserId: string;
  /**
   * True when a listener's failure makes Slack deliver the event again (HTTP mode with
   * `processBeforeResponse`: a thrown error becomes a 500). Socket Mode acks on receipt, so there a
   * failure is answered in the thread at once. Default true.
   */
  eventsRedelivered?: boolean;
  /** The asker's IANA time zone (`users.info`), so "since 9am" means their 9am. Default: none (UTC). */
  timeZoneOf?: (userId: string) => Promise<string | undefined>;
  /** How long the slash command may wait for Redis before it acks anyway (Slack gives 3 s). Default 2,500 ms. */
  ackDeadlineMs?: number;
}

/** The part of the Web API client the event listeners use: replies in threads. */
export interface ThreadClient {
  chat: { postMessage(args: ChatPostMessageArguments): Promise<unknown> };
}
