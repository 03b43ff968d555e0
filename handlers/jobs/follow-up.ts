/**
 * A follow-up in an answered thread (`evidence`, `explain 2`, `fixes`, `request <id>`, `verify`,
 * pasted text): answered in that thread from the thread's stored investigation, diagnosed again with
 * the current knowledge base; `request` and `verify` also read AWS for the thread's target, which is
 * authorized again first. Pasted text is added to the thread's evidence, so later follow-ups see it.
 */
import { UnrecoverableError } from 'bullmq';
import type { Investigation } from '../../src/collect/investigate';
import { traceRequest } from '../../src/collect/request-trace';
import { measureFix } from '../../src/collect/verify-fix';
import type { Diagnosis } from '../../src/diagnosis/engine';
import { diagnose } from '../../src/diagnosis/engine';
import type { LogLine } from '../../src/diagnosis/evidence';
import { parseResponseText } from '../../src/diagnosis/response';
import type { FollowUpJob } from '../../src/queue/contracts';
import type { ThreadContext, ThreadRef } from '../../src/queue/thread-context';
import { loadThreadContext, loadThreadInvestigation, saveThreadInvestigation } from '../../src/queue/thread-context';
import { MAX_PASTE_CHARS } from '../../src/requests/pasted';
import { failureMessage } from '../../src/slack/blocks';
import { evidenceMessage, explainMessage, fixesMessage, pastedMessage } from '../../src/slack/follow-up-blocks';
import { requestTraceMessage, verifyMessage } from '../../src/slack/follow-up-results';
import type { SlackMessage } from '../../src/slack/poster';
import { postAnswer } from './answer-place';
import type { InvestigateDeps } from './investigate';

/** What the handler reads of a BullMQ job. */
export interface FollowUpJobRun {
  id?: string | undefined;
  data: FollowUpJob;
}

/** The shortest window `verify` compares: sooner than this after the answer there is nothing to measure. */
const MIN_VERIFY_MS = 60_000;

export async function handleFollowUpJob(job: FollowUpJobRun, deps: InvestigateDeps): Promise<void> {
  const { data } = job;
  const ref: ThreadRef = { channelId: data.asker.channelId, threadTs: data.asker.threadTs };
  const log = { jobId: job.id, channel: ref.channelId, thread: ref.threadTs, intent: data.followUp.intent };
  const say = async (message: SlackMessage): Promise<void> => {
    await postAnswer(deps, data.asker, message);
  };
  const [context, investigation] = await Promise.all([loadThreadContext(deps.redis, deps.prefix, ref), loadThreadInvestigation(deps.redis, deps.prefix, ref)]);
  if (!context || !investigation) {
    deps.logger.info(log, 'follow-up on a thread with no stored investigation');
    await say(failureMessage('I no longer have this thread’s investigation (it is more than 7 days old): ask again in the channel.', `/apigw why 5xx ${context?.question.api ?? '<api>'}`));
    return;
  }
  const refusal = refused(deps, ref.channelId, context);
  if (refusal !== undefined) {
    deps.logger.warn({ ...log, reason: refusal }, 'follow-up refused in this channel');
    await say(failureMessage(`Not in this channel: ${refusal}.`));
    throw new UnrecoverableError(refusal);
  }
  const diagnosis = diagnose(deps.knowledge, investigation.evidence);
  const followUp = data.followUp;
  let message: SlackMessage;
  switch (followUp.intent) {
    case 'evidence':
      message = evidenceMessage(diagnosis, investigation);
      break;
    case 'explain':
      message = explainMessage(diagnosis, investigation, followUp.finding);
      break;
    case 'fixes':
      message = fixesMessage(diagnosis, investigation);
      break;
    case 'request': {
      const access = await deps.aws(context.question);
      message = requestTraceMessage(await traceRequest(access.ports, investigation, followUp.requestId, { now: deps.now(), timeoutMs: access.collectorTimeoutMs }));
      break;
    }
    case 'verify': {
      const now = deps.now();
      const since = followUp.sinceMs !== undefined ? new Date(now.getTime() - followUp.sinceMs) : new Date(Date.parse(context.answeredAt));
      if (now.getTime() - since.getTime() < MIN_VERIFY_MS) {
        message = failureMessage('The answer is less than a minute old: there is nothing to measure yet. Apply the fix, give it a few minutes of traffic, then verify.', 'verify since 30m');
        break;
      }
      const access = await deps.aws(context.question);
      message = verifyMessage(await measureFix(access.ports, investigation, { since, now }));
      break;
    }
    case 'paste':
      message = await answerPaste(deps, ref, investigation, diagnosis, followUp.text);
      break;
  }
  await say(message);
  deps.logger.info(log, 'follow-up answered');
}

/** The thread's target checked against the channel's scope as it is now. */
function refused(deps: InvestigateDeps, channelId: string, context: ThreadContext): string | undefined {
  const { target, question } = context;
  if (target.apiId === undefined || target.stage === undefined) return undefined;
  const decision = deps.permissions.authorizeTarget(channelId, {
    ...(question.account !== undefined ? { account: question.account } : {}),
    region: target.region ?? question.region ?? '',
    apiId: target.apiId,
    apiName: target.apiName ?? target.apiId,
    stage: target.stage,
  });
  return decision.allowed ? undefined : decision.reason;
}

/**
 * Pasted log lines (or an error response) diagnosed with the thread's evidence: what they changed,
 * and the thread's evidence from now on includes them.
 */
async function answerPaste(deps: InvestigateDeps, ref: ThreadRef, investigation: Investigation, before: Diagnosis, text: string): Promise<SlackMessage> {
  const clipped = text.slice(0, MAX_PASTE_CHARS);
  const lines = clipped.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  const evidence = { ...investigation.evidence };
  if (/^HTTP\/[12]/i.test(lines[0] ?? '') || /^\{\s*"message"\s*:/.test(clipped.trim())) {
    try {
      evidence.response = parseResponseText(clipped, 'the pasted response');
    } catch {
      // Not a response after all: read as log lines below.
    }
  }
  const pasted: LogLine[] = evidence.response ? [] : lines.map((message) => ({ message }));
  evidence.logLines = [...investigation.evidence.logLines, ...pasted];
  const after = diagnose(deps.knowledge, evidence);
  const alone = diagnose(deps.knowledge, { ...investigation.evidence, logLines: pasted, integrationErrorMessages: [], ...(evidence.response ? { response: evidence.response } : {}) });
  const matched = alone.findings.reduce((n, f) => n + f.evidence.filter((e) => e.source !== 'config' && e.source !== 'metrics').reduce((m, e) => m + e.count, 0), 0);
  await saveThreadInvestigation(deps.redis, deps.prefix, ref, { ...investigation, evidence });
  return pastedMessage(before, after, investigation, { lines: evidence.response ? 1 : pasted.length, matched: Math.min(matched, Math.max(1, pasted.length)) });
}
