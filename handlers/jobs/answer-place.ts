/**
 * Where a job that is not an investigation answers: in the thread it was asked in (a mention, a
 * thread message, a button in a thread), or as a new message in the channel (a slash command). When
 * the bot cannot post there, a slash command's asker is told privately why (as for investigations).
 */
import { tellCannotPost } from '../../src/queue/answer-delivery';
import type { AnswerDeps } from '../../src/queue/answer-delivery';
import type { Asker } from '../../src/queue/contracts';
import type { SlackMessage } from '../../src/slack/poster';
import { ChannelUnavailableError } from '../../src/slack/poster';

/** Posts the answer where the asker asked; returns its ts, or undefined when the channel refused it (the asker told). */
export async function postAnswer(deps: AnswerDeps, asker: Asker, message: SlackMessage): Promise<string | undefined> {
  const thread = asker.threadTs ?? asker.messageTs;
  try {
    return thread !== undefined ? await deps.poster.reply(asker.channelId, thread, message) : await deps.poster.postRoot(asker.channelId, message);
  } catch (e) {
    if (!(e instanceof ChannelUnavailableError)) throw e;
    deps.logger.warn({ err: e, channel: asker.channelId }, 'cannot post the answer in the channel');
    await tellCannotPost(deps, [asker], e);
    return undefined;
  }
}
