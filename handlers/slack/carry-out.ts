/**
 * Carries out what a request runs (the router's `Plan`), the same way for every entry point: the
 * request is checked against the channel's permissions (a follow-up or a button against what its
 * thread's investigation resolved to), then its job queued (an investigation may join the same
 * question's running one) or the vote counts read. Returns what to say, if anything; throws when
 * Redis cannot be reached, for the entry point to answer in its own way.
 */
import { isInvestigateJob } from '../../src/queue/contracts';
import type { Asked } from '../../src/queue/investigations';
import type { ThreadContext } from '../../src/queue/thread-context';
import type { Origin, Plan } from '../../src/requests';
import { failureMessage } from '../../src/slack/blocks';
import { statsMessage } from '../../src/slack/feedback-blocks';
import type { SlackMessage } from '../../src/slack/poster';
import type { BotRequest } from '../../src/slack/request';
import type { SlackDeps } from './deps';
import { digestSettingsMessage } from './messages';

/** What carrying out a plan did, and what to say about it (nothing: the worker answers). */
export interface Carried {
  message?: SlackMessage;
  jobId?: string;
  joined?: boolean;
  /** The same message had queued it already (a redelivery). */
  repeated?: boolean;
}

/**
 * Why the request may not be served in this channel, or undefined when it may. A thread's follow-ups
 * and buttons are checked against the target its investigation resolved to, so a channel whose scope
 * changed since cannot go on reading it.
 */
export function refusalOf(deps: Pick<SlackDeps, 'permissions'>, channelId: string, request: BotRequest, thread?: ThreadContext): string | undefined {
  const decision = deps.permissions.authorize(channelId, request);
  if (!decision.allowed) return decision.reason;
  if ((request.kind === 'follow-up' || request.kind === 'again') && thread) {
    const { target, question } = thread;
    if (target.apiId === undefined || target.stage === undefined) return undefined;
    const stage = request.kind === 'again' && request.change.stage !== undefined ? request.change.stage : target.stage;
    const resolved = deps.permissions.authorizeTarget(channelId, {
      ...(question.account !== undefined ? { account: question.account } : {}),
      region: target.region ?? question.region ?? '',
      apiId: target.apiId,
      apiName: target.apiName ?? target.apiId,
      stage,
    });
    if (!resolved.allowed) return resolved.reason;
  }
  return undefined;
}

/** The refusal as said to the asker. */
export function refusalMessage(reason: string): SlackMessage {
  return failureMessage(`Not in this channel: ${reason}.`);
}

/** Queues the plan's job, or reads the stats, or just says its message. */
export async function carryOut(plan: Plan, deps: Pick<SlackDeps, 'queue' | 'votes' | 'now' | 'digest'>, origin?: Pick<Origin, 'channelId' | 'userId'>): Promise<Carried> {
  switch (plan.kind) {
    case 'digest-settings': {
      const change = plan.change;
      if (!change) {
        const settings = await deps.digest.settings();
        return { message: digestSettingsMessage(settings, await deps.digest.next()) };
      }
      if (change.here && origin === undefined) throw new Error('digest here needs the channel it was typed in');
      const settings = await deps.digest.change(
        {
          ...(change.here && origin ? { channel: origin.channelId } : {}),
          ...(change.enabled !== undefined ? { enabled: change.enabled } : {}),
          ...(change.time ? { time: change.time } : {}),
          ...(change.tz !== undefined ? { tz: change.tz } : {}),
          ...(change.days ? { days: change.days } : {}),
        },
        { userId: origin?.userId ?? 'unknown', at: deps.now() },
      );
      // `change` has rescheduled already: read when the next one is due.
      return { message: digestSettingsMessage(settings, await deps.digest.next(), true) };
    }
    case 'say':
      return { message: plan.message };
    case 'stats': {
      const stats = await deps.votes.stats(deps.now(), plan.days);
      return { message: statsMessage(stats, plan.days) };
    }
    case 'queue': {
      const job = plan.job;
      if (isInvestigateJob(job)) {
        const asked: Asked = await deps.queue.ask(job);
        const message = asked.joined ? plan.joined : asked.repeated ? undefined : plan.queued;
        return { ...(message ? { message } : {}), jobId: asked.jobId, joined: asked.joined, ...(asked.repeated ? { repeated: true } : {}) };
      }
      const queued = await deps.queue.enqueue(job);
      return { ...(plan.queued && !queued.repeated ? { message: plan.queued } : {}), jobId: queued.jobId, joined: false, ...(queued.repeated ? { repeated: true } : {}) };
    }
  }
}
