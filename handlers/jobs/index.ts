/**
 * The worker's jobs, by kind: the table of contents of what the worker runs. Adding a job kind is one
 * line here and one file beside it. A job's kind is in its data (`kind`; an investigation queued before
 * kinds existed has none), so the dispatch does not depend on BullMQ's job name.
 */
import type { Job } from 'bullmq';
import { UnrecoverableError } from 'bullmq';
import type { ApisJob, CheckJob, DigestJob, FollowUpJob, InvestigateJob, JobData, JobKind } from '../../src/queue/contracts';
import { kindOf } from '../../src/queue/contracts';
import { handleApisJob } from './apis';
import { handleCheckJob } from './check';
import type { DigestDeps } from './digest';
import { handleDigestJob } from './digest';
import { handleFollowUpJob } from './follow-up';
import { handleInvestigateJob } from './investigate';

export type { AwsAccessForJob, InvestigateDeps, InvestigateJobRun, JobLogger } from './investigate';
export type { DigestDeps, DigestTarget } from './digest';

/** Everything the worker's jobs need (the composition root builds it). */
export type WorkerDeps = DigestDeps;
export { STALLED_REASON, handleInvestigateJob, reportAbandoned, sweepAbandoned } from './investigate';

/** What a handler reads of a BullMQ job. */
export type JobRun = Pick<Job<JobData>, 'id' | 'data' | 'attemptsMade' | 'opts'> & { timestamp?: number };

/** Runs one job of its kind. */
export type JobHandler = (job: JobRun) => Promise<void>;

/** The handlers of every job kind, bound to their dependencies. */
export function jobHandlers(deps: WorkerDeps): Readonly<Record<JobKind, JobHandler>> {
  return {
    investigate: (job) => handleInvestigateJob({ ...job, data: job.data as InvestigateJob }, deps),
    'follow-up': (job) => handleFollowUpJob({ id: job.id, data: job.data as FollowUpJob }, deps),
    check: (job) => handleCheckJob({ ...job, data: job.data as CheckJob }, deps),
    apis: (job) => handleApisJob({ id: job.id, data: job.data as ApisJob }, deps),
    digest: (job) => handleDigestJob({ id: job.id, data: job.data as DigestJob, ...(job.timestamp !== undefined ? { timestamp: job.timestamp } : {}) }, deps),
  };
}

/** Runs a job by its kind; a job of a kind this worker does not know fails without retries. */
export async function runJob(handlers: Readonly<Record<JobKind, JobHandler>>, job: JobRun): Promise<void> {
  const kind = kindOf(job.data);
  const handle = Object.hasOwn(handlers, kind) ? handlers[kind] : undefined;
  if (!handle) throw new UnrecoverableError(`no handler for jobs of kind "${String(kind)}"`);
  await handle(job);
}
