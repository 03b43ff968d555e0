/**
 * A button click as the action listeners read it: who clicked, in which channel and thread, on which
 * message, and the button's value. Bolt's `block_actions` body, narrowed to what is read.
 */
import type { Logger } from 'pino';
import type { Origin } from '../../../src/requests';
import type { SlackMessage } from '../../../src/slack/poster';
import type { SlackDeps, ThreadClient } from '../deps';

/** The fields of Bolt's action arguments these listeners read. */
export interface ActionArgs {
  ack: () => Promise<void>;
  action: { action_id: string; value?: string; type?: string };
  body: {
    user: { id: string; team_id?: string };
    team?: { id: string } | null;
    channel?: { id: string };
    container?: { channel_id?: string; message_ts?: string; thread_ts?: string; is_ephemeral?: boolean };
    message?: { ts: string; thread_ts?: string };
    response_url?: string;
  };
  client: ThreadClient;
}

export interface Click {
  userId: string;
  teamId: string;
  channelId: string;
  /** The message the button is on. */
  messageTs?: string;
  /** The thread that message is in (its own ts when it starts one). */
  threadTs?: string;
  value: string;
  responseUrl?: string;
}

/** The click, or undefined when Slack's payload lacks a channel (a click outside a conversation). */
export function clickOf({ action, body }: Pick<ActionArgs, 'action' | 'body'>): Click | undefined {
  const channelId = body.container?.channel_id ?? body.channel?.id;
  if (channelId === undefined) return undefined;
  const messageTs = body.container?.message_ts ?? body.message?.ts;
  const threadTs = body.container?.thread_ts ?? body.message?.thread_ts ?? messageTs;
  return {
    userId: body.user.id,
    teamId: body.team?.id ?? body.user.team_id ?? '',
    channelId,
    ...(messageTs !== undefined ? { messageTs } : {}),
    ...(threadTs !== undefined ? { threadTs } : {}),
    value: action.value ?? '',
    ...(body.response_url !== undefined ? { responseUrl: body.response_url } : {}),
  };
}

/** Where a click came from, as the router takes it, in the thread `threadTs`. */
export function originOf(click: Click, now: Date, threadTs: string | undefined): Origin {
  return {
    via: 'button',
    userId: click.userId,
    teamId: click.teamId,
    channelId: click.channelId,
    ...(threadTs !== undefined ? { threadTs } : {}),
    ...(click.responseUrl !== undefined ? { responseUrl: click.responseUrl } : {}),
    now,
  };
}

/**
 * Tells the clicker, and only them, in the thread of the click. Not awaited by the listener: with
 * `processBeforeResponse` the click's HTTP answer waits for the listener, and Slack wants it within 3 s.
 */
export function tellClicker(deps: Pick<SlackDeps, 'logger'>, client: ThreadClient, click: Click, message: SlackMessage, log: Logger = deps.logger): void {
  if (!client.chat.postEphemeral) return;
  client.chat
    .postEphemeral({
      channel: click.channelId,
      user: click.userId,
      ...(click.threadTs !== undefined ? { thread_ts: click.threadTs } : {}),
      text: message.text,
      ...(message.blocks ? { blocks: [...message.blocks] } : {}),
    })
    .catch((e: unknown) => log.warn({ err: e }, 'could not answer the click'));
}

/** A child logger for one click. */
export function clickLogger(deps: Pick<SlackDeps, 'logger'>, click: Click | undefined, actionId: string): Logger {
  return deps.logger.child({ listener: 'action', action: actionId, ...(click ? { user: click.userId, channel: click.channelId, thread: click.threadTs } : {}) });
}
