/**
 * `apis [window]` from Slack: the API stages ranked by 5xx, the same list as the CLI's, with an
 * Investigate button on each stage that had any. The rows are kept in Redis for the message, so a
 * button carries only its row's number. A channel limited to some APIs never gets the account's list
 * (the web process refuses it; the worker checks each row again, should the scope have changed).
 */
import { randomUUID } from 'node:crypto';
import { UnrecoverableError } from 'bullmq';
import { listApiErrors } from '../../src/collect/list-apis';

import { UserError } from '../../src/errors';
import type { ApisJob } from '../../src/queue/contracts';
import type { ListingRow } from '../../src/queue/listings';
import { saveListing } from '../../src/queue/listings';
import { formatSince, windowEndingAt } from '../../src/collect/window';
import { failureMessage } from '../../src/slack/blocks';
import { apisMessage } from '../../src/slack/listing-blocks';
import { postAnswer } from './answer-place';
import type { InvestigateDeps } from './investigate';

export interface ApisJobRun {
  id?: string | undefined;
  data: ApisJob;
}

export async function handleApisJob(job: ApisJobRun, deps: InvestigateDeps): Promise<void> {
  const { data } = job;
  const log = { jobId: job.id, channel: data.asker.channelId };
  const askedAt = Date.parse(data.askedAt);
  const now = Number.isFinite(askedAt) ? new Date(askedAt) : deps.now();
  try {
    const access = await deps.aws(data);
    const list = await listApiErrors(access.ports, windowEndingAt(now, data.sinceMs), now);
    const allowed = list.stages.filter((s) => deps.permissions.authorizeTarget(data.asker.channelId, { ...(access.account !== undefined ? { account: access.account } : {}), region: s.region, apiId: s.apiId, apiName: s.apiName, stage: s.stage }).allowed);
    const shown = { ...list, stages: allowed };
    // Kept before the post, under an id its buttons carry: a click a moment after the post finds it.
    const listId = randomUUID();
    const rows: ListingRow[] = allowed.map((s) => ({ apiId: s.apiId, apiName: s.apiName, stage: s.stage, region: s.region, ...(access.account !== undefined ? { account: access.account } : {}), sinceMs: data.sinceMs }));
    await saveListing(deps.redis, deps.prefix, data.asker.channelId, listId, rows);
    await postAnswer(deps, data.asker, apisMessage(shown, { sinceLabel: formatSince(data.sinceMs), listId }));
    deps.logger.info({ ...log, stages: allowed.length }, 'API list answered');
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    await postAnswer(deps, data.asker, failureMessage(e.message));
    throw new UnrecoverableError(e.message);
  }
}
