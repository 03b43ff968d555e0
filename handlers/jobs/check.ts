/**
 * `check <api> [stage]` from Slack: the telemetry doctor, the same content as the CLI's, answered in
 * the channel (or the thread it was asked in). The resolved API and stage are authorized first.
 */
import { UnrecoverableError } from 'bullmq';
import { checkTelemetry } from '../../src/collect/check-telemetry';
import { ErrorCode, TargetError, UserError } from '../../src/errors';
import type { CheckJob } from '../../src/queue/contracts';
import { failureMessage } from '../../src/slack/blocks';
import { checkMessage } from '../../src/slack/listing-blocks';
import { postAnswer } from './answer-place';
import type { InvestigateDeps } from './investigate';

export interface CheckJobRun {
  id?: string | undefined;
  data: CheckJob;
  attemptsMade: number;
  opts: { attempts?: number | undefined };
}

export async function handleCheckJob(job: CheckJobRun, deps: InvestigateDeps): Promise<void> {
  const { data } = job;
  const log = { jobId: job.id, channel: data.asker.channelId, api: data.api };
  try {
    const access = await deps.aws(data);
    const report = await checkTelemetry(access.ports, { api: data.api, ...(data.stage !== undefined ? { stage: data.stage } : {}) }, deps.now());
    const target = report.target;
    const decision = deps.permissions.authorizeTarget(data.asker.channelId, { ...(access.account !== undefined ? { account: access.account } : {}), region: target.region ?? access.ports.region, apiId: target.apiId ?? data.api, apiName: target.apiName ?? data.api, stage: target.stage ?? data.stage ?? '' });
    if (!decision.allowed) throw new UserError(ErrorCode.NotAllowed, `Not in this channel: ${decision.reason}.`);
    await postAnswer(deps, data.asker, checkMessage(report));
    deps.logger.info(log, 'telemetry check answered');
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    deps.logger.info({ ...log, code: e.code }, 'the check cannot be made');
    const candidate = e instanceof TargetError ? e.candidates[0] : undefined;
    const example = candidate === undefined ? undefined : e.code === ErrorCode.StageNeeded ? `/apigw check ${data.api} ${candidate}` : `/apigw check ${candidate}`;
    await postAnswer(deps, data.asker, failureMessage(e.message, example));
    throw new UnrecoverableError(e.message);
  }
}
