/**
 * What the Slack listeners need, passed in by the composition root (src/bin/web.ts). Each listener is
 * a plain function of Bolt's arguments, narrowed here to the fields it reads, so a test calls it with
 * fakes: `{ command, ack }` for the slash command, `{ event, body, context, client }` for events,
 * `{ ack, body, action, client }` for buttons.
 */
import type { ChatPostEphemeralArguments, ChatPostMessageArguments } from '@slack/web-api';
import type { Logger } from 'pino';
import type { InvestigationQueue } from '../../src/queue/investigations';
import type { ListingRow, StoredDigest } from '../../src/queue/listings';
import type { ThreadContext, ThreadRef } from '../../src/queue/thread-context';
import type { VoteStore } from '../../src/queue/votes';
import type { DigestSchedule } from '../../src/queue/digest-schedule';
import type { Permissions } from '../../src/slack/permissions';

/** The queue as the listeners use it: dedupe deliveries, then ask (start or join) an investigation, or queue another job. */
export type ListenerQueue = Pick<InvestigationQueue, 'claimDelivery' | 'confirmDelivery' | 'forgetDelivery' | 'ask' | 'enqueue'>;

/** What the bot keeps in Redis about its answers: a thread's context, an `apis` listing's rows. */
export interface AnswerStore {
  thread(ref: ThreadRef): Promise<ThreadContext | undefined>;
  listing(channelId: string, ts: string): Promise<ListingRow[] | undefined>;
  digest(channelId: string, ts: string): Promise<StoredDigest | undefined>;
}

export interface SlackDeps {
  queue: ListenerQueue;
  /** Threads answered and listings posted, for follow-ups and buttons. */
  answers: AnswerStore;
  /** The daily digest's settings and schedule (`/apigw digest here|off|at …`). */
  digest: Pick<DigestSchedule, 'settings' | 'change' | 'next'>;
  /** 👍/👎 on findings, and `/apigw stats`. */
  votes: Pick<VoteStore, 'vote' | 'instead' | 'stats'>;
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
  /**
   * The asker's time zone if already known (no Slack call): the slash command may not call Slack before
   * its ack, so it reads times in the zone last seen for the user, else UTC (and says which).
   */
  knownTimeZoneOf?: (userId: string) => string | undefined;
  /** How long the slash command may wait for Redis before it acks anyway (Slack gives 3 s). Default 2,500 ms. */
  ackDeadlineMs?: number;
}

/** The part of the Web API client the listeners use: replies in threads, and answers only the clicker sees. */
export interface ThreadClient {
  chat: {
    postMessage(args: ChatPostMessageArguments): Promise<unknown>;
    postEphemeral?(args: ChatPostEphemeralArguments): Promise<unknown>;
  };
}
