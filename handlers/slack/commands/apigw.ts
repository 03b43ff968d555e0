/**
 * `/apigw …`: parse, authorize, queue, then ack with an ephemeral note. The ack is the only answer
 * this listener gives (no Slack call before it; the worker does the rest), and it comes after the job
 * is in Redis, so "Investigating…" is never said of a question that was lost. When Redis is down the
 * producer connection fails within about 2 s and the ack says so; should `ask` still be pending at
 * the ack deadline, the ack goes out anyway and the outcome is only logged.
 */
import type { RespondArguments, SlashCommand } from '@slack/bolt';
import type { InvestigateJob } from '../../../src/queue/contracts';
import { failureMessage, helpMessage } from '../../../src/slack/blocks';
import { parseCommandText } from '../../../src/slack/parse-request';
import type { SlackDeps } from '../deps';
import { cliOnlyMessage, ephemeral, investigatingMessage, joinedMessage, messageOf, queueFailureText, requestFields } from '../messages';

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
      const request = parseCommandText(command.text);
      log.info({ request: requestFields(request), text: command.text }, 'slash command');
      if (request.kind === 'help') return await answer(ephemeral(helpMessage(request.topic)));
      if (request.kind === 'invalid') return await answer(ephemeral(failureMessage(request.problem, request.example)));
      const decision = deps.permissions.authorize(command.channel_id, request);
      if (!decision.allowed) {
        log.warn({ reason: decision.reason }, 'request refused in this channel');
        return await answer(ephemeral(failureMessage(`Not in this channel: ${decision.reason}.`)));
      }
      if (request.kind === 'check' || request.kind === 'apis') return await answer(ephemeral(cliOnlyMessage(request)));
      const job: InvestigateJob = {
        question: request.question,
        asker: { userId: command.user_id, teamId: command.team_id, channelId: command.channel_id, responseUrl: command.response_url },
        askedAt: deps.now().toISOString(),
        source: 'command',
      };
      const asked = deps.queue.ask(job);
      const outcome = await settleWithin(asked, deps.ackDeadlineMs ?? DEFAULT_ACK_DEADLINE_MS);
      if (outcome.state === 'pending') {
        // Slack gives up at 3 s; the job may still land, and the worker will then post as usual.
        asked.then(
          (r) => log.info({ jobId: r.jobId, joined: r.joined }, 'investigation queued after the ack deadline'),
          (e: unknown) => log.error({ err: e }, 'investigation could not be queued (after the ack deadline)'),
        );
        log.warn('queueing is slow; acked before it finished');
        return await answer(ephemeral(failureMessage('Queueing the investigation is taking unusually long (Redis is slow). If it goes through I will post in this channel in a moment; if nothing appears, ask again in a minute.')));
      }
      if (outcome.state === 'rejected') {
        log.error({ err: outcome.error }, 'investigation could not be queued');
        return await answer(ephemeral(failureMessage(queueFailureText(outcome.error))));
      }
      log.info({ jobId: outcome.value.jobId, joined: outcome.value.joined }, outcome.value.joined ? 'joined the running investigation' : 'investigation queued');
      await answer(ephemeral(outcome.value.joined ? joinedMessage(request.question, 'channel') : investigatingMessage(request.question)));
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
