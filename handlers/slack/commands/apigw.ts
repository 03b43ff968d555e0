/**
 * `/apigw …`: read through the request registry, authorize, carry out (queue, or read the stats),
 * then ack with an ephemeral note. The ack is the only answer
 * this listener gives (no Slack call before it; the worker does the rest), and it comes after the job
 * is in Redis, so "Investigating…" is never said of a question that was lost. When Redis is down the
 * producer connection fails within about 2 s and the ack says so; should `ask` still be pending at
 * the ack deadline, the ack goes out anyway and the outcome is only logged.
 */
import type { RespondArguments, SlashCommand } from '@slack/bolt';
import { parseCommandText, planRequest } from '../../../src/requests';
import { failureMessage } from '../../../src/slack/blocks';
import { carryOut, refusalMessage, refusalOf } from '../carry-out';
import type { Carried } from '../carry-out';
import type { SlackDeps } from '../deps';
import { ephemeral, messageOf, queueFailureText, requestFields } from '../messages';

/** The fields of Bolt's slash-command arguments this listener reads. */
export interface ApigwCommandArgs {
  command: Pick<SlashCommand, 'text' | 'user_id' | 'team_id' | 'channel_id' | 'response_url'> & Partial<Pick<SlashCommand, 'command' | 'user_name' | 'channel_name'>>;
  ack: (response?: RespondArguments) => Promise<void>;
}

const DEFAULT_ACK_DEADLINE_MS = 2_500;

export function apigwCommand(deps: SlackDeps): (args: ApigwCommandArgs) => Promise<void> {
  return async ({ command, ack }) => {
    const log = deps.logger.child({ listener: 'command', user: command.user_id, team: command.team_id, channel: command.channel_id });
    let acked = false;
    const answer = async (message: RespondArguments): Promise<void> => {
      acked = true;
      await ack(message);
    };
    try {
      const now = deps.now();
      // No Slack call before the ack: the zone is the one already known for the user, else UTC (said in the ack).
      const timeZone = deps.knownTimeZoneOf?.(command.user_id);
      const request = parseCommandText(command.text, { now, ...(timeZone !== undefined ? { timeZone } : {}) });
      log.info({ request: requestFields(request), text: command.text }, 'slash command');
      const refusal = refusalOf(deps, command.channel_id, request);
      if (refusal !== undefined) {
        log.warn({ reason: refusal }, 'request refused in this channel');
        return await answer(ephemeral(refusalMessage(refusal)));
      }
      const plan = planRequest(request, {
        origin: { via: 'command', userId: command.user_id, teamId: command.team_id, channelId: command.channel_id, responseUrl: command.response_url, now, ...(timeZone !== undefined ? { timeZone } : {}) },
      });
      const carried = carryOut(plan, deps, { channelId: command.channel_id, userId: command.user_id });
      const outcome = await settleWithin(carried, deps.ackDeadlineMs ?? DEFAULT_ACK_DEADLINE_MS);
      if (outcome.state === 'pending') {
        // Slack gives up at 3 s; the job may still land, and the worker will then post as usual.
        carried.then(
          (r) => log.info({ jobId: r.jobId, joined: r.joined }, 'queued after the ack deadline'),
          (e: unknown) => log.error({ err: e }, 'could not be queued (after the ack deadline)'),
        );
        log.warn('queueing is slow; acked before it finished');
        return await answer(ephemeral(failureMessage('Queueing the request is taking unusually long (Redis is slow). If it goes through I will post in this channel in a moment; if nothing appears, ask again in a minute.')));
      }
      if (outcome.state === 'rejected') {
        log.error({ err: outcome.error }, 'could not be queued');
        return await answer(ephemeral(failureMessage(queueFailureText(outcome.error))));
      }
      const done: Carried = outcome.value;
      if (done.jobId !== undefined) log.info({ jobId: done.jobId, joined: done.joined }, done.joined ? 'joined the running investigation' : 'queued');
      await answer(done.message ? ephemeral(done.message) : { response_type: 'ephemeral', text: 'On it.' });
      // After the ack: learn the asker's time zone for their next "since 9am".
      if (timeZone === undefined) void deps.timeZoneOf?.(command.user_id).catch(() => undefined);
    } catch (e) {
      log.error({ err: e }, 'slash command failed');
      // Whatever went wrong, the asker hears it instead of Slack's "dispatch_failed".
      if (!acked) await ack(ephemeral(failureMessage(`Something went wrong on my side: ${messageOf(e)}`)));
    }
  };
}

type Settled<T> = { state: 'fulfilled'; value: T } | { state: 'rejected'; error: unknown } | { state: 'pending' };

/** How `promise` stands after at most `ms`: settled, or still pending (it is not cancelled). */
async function settleWithin<T>(promise: Promise<T>, ms: number): Promise<Settled<T>> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<Settled<T>>((resolve) => {
    timer = setTimeout(() => resolve({ state: 'pending' }), ms);
  });
  try {
    return await Promise.race([promise.then((value): Settled<T> => ({ state: 'fulfilled', value }), (error: unknown): Settled<T> => ({ state: 'rejected', error })), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
