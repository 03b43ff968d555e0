/**
 * What the follow-ups of an answered thread run: a job answered in that thread from its stored
 * investigation, or the thread's question asked again (changed) with the root message edited into
 * the newest verdict. Without a thread context (not one of the bot's answers, or expired) they say so.
 */
import type { FollowUp, InvestigateJob } from '../../queue/contracts';
import type { ThreadContext } from '../../queue/thread-context';
import { failureMessage } from '../../slack/blocks';
import type { QuestionChange } from '../../slack/request';
import { askerOf } from '../asker';
import type { Plan, PlanContext } from '../spec';

/** Said when a follow-up (or a button) finds no investigation for its thread. */
export function noThreadPlan(): Plan {
  return {
    kind: 'say',
    message: failureMessage(
      'I have no investigation for this thread (it was not one of my answers, or it is more than 7 days old). Ask anew in the channel:',
      '/apigw why 5xx <api> [stage] [window]',
    ),
  };
}

function threadOf(context: PlanContext): { thread: ThreadContext; threadTs: string } | undefined {
  const threadTs = context.origin.threadTs;
  return context.thread && threadTs !== undefined ? { thread: context.thread, threadTs } : undefined;
}

/** A follow-up answered in the thread by the worker. */
export function followUpPlan(followUp: FollowUp, context: PlanContext): Plan {
  const found = threadOf(context);
  if (!found) return noThreadPlan();
  const { origin } = context;
  return {
    kind: 'queue',
    job: { kind: 'follow-up', followUp, asker: { ...askerOf(origin), threadTs: found.threadTs }, askedAt: origin.now.toISOString(), source: origin.via === 'button' ? 'button' : 'follow-up' },
  };
}

/** The thread's question asked again with `change`, answered in the same thread; the root shows the newest verdict. */
export function againPlan(change: QuestionChange, context: PlanContext): Plan {
  const found = threadOf(context);
  if (!found) return noThreadPlan();
  const { origin } = context;
  const { thread, threadTs } = found;
  const question = {
    ...thread.question,
    ...(change.sinceMs !== undefined ? { sinceMs: change.sinceMs } : {}),
    ...(change.stage !== undefined ? { stage: change.stage } : {}),
    ...(change.status !== undefined ? { status: change.status } : {}),
  };
  // The stage the first answer resolved to is kept, so "widen 24h" looks at the same stage.
  if (change.stage === undefined && question.stage === undefined && thread.target.stage !== undefined) question.stage = thread.target.stage;
  const job: InvestigateJob = {
    kind: 'investigate',
    question,
    asker: { ...askerOf(origin), threadTs },
    askedAt: origin.now.toISOString(),
    source: origin.via === 'button' ? 'button' : 'follow-up',
    root: { channel: origin.channelId, ts: thread.rootTs ?? threadTs, threadTs },
  };
  return { kind: 'queue', job };
}
