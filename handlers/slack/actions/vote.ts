/**
 * 👍/👎 under a finding, and the answer to "what was it?" after a 👎: one vote per person per finding
 * (a second click changes it), kept in Redis for `/apigw stats`. The button names the thread and the
 * finding; the cause is checked against the thread's context, so a value cannot vote for a finding
 * that was never shown there.
 */
import { SOMETHING_ELSE, readVoteAction, readWasInsteadAction } from '../../../src/slack/actions';
import { failureMessage } from '../../../src/slack/blocks';
import { voteNotedMessage, whatWasItMessage } from '../../../src/slack/feedback-blocks';
import type { SlackDeps } from '../deps';
import type { ActionArgs } from './click';
import { clickLogger, clickOf, tellClicker } from './click';

const EXPIRED = 'This answer is more than 7 days old (or not one of mine): its votes can no longer be recorded.';

export function voteButton(deps: SlackDeps, kind: 'up' | 'down'): (args: ActionArgs) => Promise<void> {
  return async (args) => {
    await args.ack();
    const click = clickOf(args);
    const log = clickLogger(deps, click, args.action.action_id);
    const value = readVoteAction(args.action.value ?? '');
    if (!click || !value) return log.warn({ value: args.action.value }, 'a vote value that is not ours; ignored');
    try {
      const thread = await deps.answers.thread({ channelId: click.channelId, threadTs: value.thread });
      const finding = thread?.findings[value.finding - 1];
      if (!thread || finding?.causeId !== value.cause) {
        log.info({ finding: value.finding, cause: value.cause }, 'vote on a finding this thread does not have');
        return tellClicker(deps, args.client, click, failureMessage(EXPIRED), log);
      }
      const { previous } = await deps.votes.vote({ channelId: click.channelId, threadTs: value.thread, finding: value.finding, causeId: finding.causeId, causeTitle: finding.title, userId: click.userId, vote: kind, at: deps.now() });
      log.info({ cause: finding.causeId, vote: kind, previous }, 'vote recorded');
      if (kind === 'down') {
        const others = thread.findings.filter((f, i) => i !== value.finding - 1).map((f) => ({ causeId: f.causeId, title: f.title }));
        return tellClicker(deps, args.client, click, whatWasItMessage(value, finding.title, others), log);
      }
      tellClicker(deps, args.client, click, voteNotedMessage('up', finding.title, previous), log);
    } catch (e) {
      log.error({ err: e }, 'could not record the vote');
      tellClicker(deps, args.client, click, failureMessage(`Could not record your vote: ${e instanceof Error ? e.message : String(e)}`), log);
    }
  };
}

export function wasInsteadButton(deps: SlackDeps): (args: ActionArgs) => Promise<void> {
  return async (args) => {
    await args.ack();
    const click = clickOf(args);
    const log = clickLogger(deps, click, args.action.action_id);
    const value = readWasInsteadAction(args.action.value ?? '');
    if (!click || !value) return log.warn({ value: args.action.value }, 'an answer value that is not ours; ignored');
    try {
      const thread = await deps.answers.thread({ channelId: click.channelId, threadTs: value.thread });
      const finding = thread?.findings[value.finding - 1];
      const instead = thread?.findings.find((f) => f.causeId === value.instead);
      if (!thread || finding?.causeId !== value.cause || (value.instead !== SOMETHING_ELSE && !instead)) {
        return tellClicker(deps, args.client, click, failureMessage(EXPIRED), log);
      }
      const recorded = await deps.votes.instead({ channelId: click.channelId, threadTs: value.thread, finding: value.finding, userId: click.userId, instead: value.instead, ...(instead ? { insteadTitle: instead.title } : {}), at: deps.now() });
      log.info({ cause: finding.causeId, instead: value.instead, recorded }, 'what it was instead');
      tellClicker(deps, args.client, click, recorded ? voteNotedMessage('instead', finding.title, undefined, instead?.title ?? 'something else') : failureMessage(`Your 👎 on ${finding.title} is no longer there (changed to 👍?), so there is nothing to add it to.`), log);
    } catch (e) {
      log.error({ err: e }, 'could not record the answer');
      tellClicker(deps, args.client, click, failureMessage(`Could not record your answer: ${e instanceof Error ? e.message : String(e)}`), log);
    }
  };
}
