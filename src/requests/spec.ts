/**
 * What one request a user can make is, as the registry (`index.ts`) lists it: its name and words, its
 * usage and examples (help, the manifest's usage hint and the parser's vocabulary come from these),
 * how its words are read, and what it runs. Pure: no Slack SDK, Redis or clock; the entry points in
 * handlers/slack carry out the plan a request gives.
 */
import type { ThreadContext } from '../queue/thread-context';
import type { JobData } from '../queue/contracts';
import type { SlackMessage } from '../slack/poster';
import type { CommandReadContext } from '../slack/parse-request';
import type { BotRequest, DigestSettingChange } from '../slack/request';

/** Where a request came from: who asked, where, and how (the entry point). */
export interface Origin {
  via: 'command' | 'mention' | 'thread' | 'button';
  userId: string;
  teamId: string;
  channelId: string;
  /** The thread it was asked in (a mention or message in a thread, a button in one). */
  threadTs?: string;
  /** The asker's own message (mentions and thread messages). */
  messageTs?: string;
  /** A slash command's or a button's response_url. */
  responseUrl?: string;
  now: Date;
  /** The asker's IANA time zone, when known. */
  timeZone?: string;
}

/**
 * What a request runs, for its entry point to carry out:
 * - `say`: an answer given at once (help, a usage problem);
 * - `queue`: a job for the worker, then `queued` said (or `joined` when it joined the same question's running job);
 * - `stats`: the vote counts read from Redis and said.
 */
export type Plan =
  | { kind: 'say'; message: SlackMessage }
  | { kind: 'queue'; job: JobData; queued?: SlackMessage; joined?: SlackMessage }
  | { kind: 'stats'; days: number }
  /** Show the digest's settings, or change them (and reschedule): said back as they now are. */
  | { kind: 'digest-settings'; change?: DigestSettingChange };

/** What a plan is made from: the request, where it came from, the answered thread it is about (follow-ups), and the registry (help). */
export interface PlanContext {
  origin: Origin;
  /** The thread's context, for follow-ups and buttons. */
  thread?: ThreadContext;
  specs: readonly RequestSpec[];
}

/** The clock and zone words are read against ("since 9am"), and a command's options (`--account`…; none in a thread). */
export type ReadContext = CommandReadContext;

export interface RequestSpec {
  /** The word that starts it: `why`, `widen`. */
  name: string;
  /** Other words for it: `since` for `widen`. */
  aliases?: readonly string[];
  /** A `/apigw` subcommand (also asked by @mention), or a follow-up in an answered thread. */
  where: 'command' | 'thread';
  /** One line of usage: `why <500…599|5xx> <api> [stage] [window]`. */
  usage: string;
  /** The usage hint's short form (`why 502 orders-api [stage] [1h]`); absent keeps it out of the hint. */
  hint?: string;
  /** What it does, in a sentence or two. */
  summary: string;
  /** Commands to copy, as typed (`/apigw why 502 orders-api`, `widen 24h`). */
  examples: readonly string[];
  /** Reads the words after the name (options such as `--account` already taken out for commands). */
  parse(words: readonly string[], context: ReadContext): BotRequest;
  /** What the parsed request runs. */
  plan(request: BotRequest, context: PlanContext): Plan;
}
