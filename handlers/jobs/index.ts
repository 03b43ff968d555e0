/**
 * The worker's jobs, by BullMQ job name: the table of contents of what the worker runs. Adding a job
 * kind is one line here and one file beside it.
 */
import { INVESTIGATE_JOB_NAME } from '../../src/queue/investigations';
import type { InvestigateDeps, InvestigateJobRun } from './investigate';
import { handleInvestigateJob } from './investigate';

export type { AwsAccessForJob, InvestigateDeps, InvestigateJobRun, JobLogger } from './investigate';
export { STALLED_REASON, handleInvestigateJob, reportAbandoned, sweepAbandoned } from './investigate';

/** Runs one job of the investigations queue. */
export type JobHandler = (job: InvestigateJobRun) => Promise<void>;

/** The handlers of the investigations queue's jobs, bound to their dependencies. */
export function investigationJobHandlers(deps: InvestigateDeps): Readonly<Record<string, JobHandler>> {
  return { [INVESTIGATE_JOB_NAME]: (job) => handleInvestigateJob(job, deps) };
}
