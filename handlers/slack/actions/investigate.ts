/**
 * An Investigate button on a row of an `apis` answer: investigates that API stage over the listing's
 * window, answered in the listing's thread. The button carries only its row's number; the row is
 * looked up for the message it is on, and authorized as if the clicker had typed the question.
 */
import { planRequest } from '../../../src/requests';
import { readInvestigateAction } from '../../../src/slack/actions';
import { failureMessage } from '../../../src/slack/blocks';
import type { BotRequest } from '../../../src/slack/request';
import { carryOut, refusalMessage, refusalOf } from '../carry-out';
import type { SlackDeps } from '../deps';
import { queueFailureText } from '../messages';
import type { ActionArgs } from './click';
import { clickLogger, clickOf, originOf, tellClicker } from './click';

export function investigateButton(deps: SlackDeps): (args: ActionArgs) => Promise<void> {
  return async (args) => {
    await args.ack();
    const click = clickOf(args);
    const log = clickLogger(deps, click, args.action.action_id);
    const value = readInvestigateAction(args.action.value ?? '');
    const listId = value?.list ?? click?.messageTs;
    if (!click || !value || listId === undefined) return log.warn({ value: args.action.value }, 'an Investigate value that is not ours; ignored');
    try {
      const rows = await deps.answers.listing(click.channelId, listId);
      const row = rows?.[value.row];
      if (!row) return tellClicker(deps, args.client, click, failureMessage('This list is more than 7 days old: ask for a fresh one.', '/apigw apis 24h'), log);
      const request: BotRequest = {
        kind: 'why',
        question: { status: '5xx', api: row.apiId, stage: row.stage, sinceMs: row.sinceMs, ...(row.region !== undefined ? { region: row.region } : {}), ...(row.account !== undefined ? { account: row.account } : {}) },
      };
      const refusal = refusalOf(deps, click.channelId, request);
      if (refusal !== undefined) return tellClicker(deps, args.client, click, refusalMessage(refusal), log);
      // Answered in the listing's thread: the listing is the thread's first message.
      const origin = originOf(click, deps.now(), click.threadTs ?? click.messageTs);
      const carried = await carryOut(planRequest(request, { origin }), deps);
      log.info({ jobId: carried.jobId, api: row.apiId, stage: row.stage }, 'investigation from a listing');
      if (carried.message) tellClicker(deps, args.client, click, carried.message, log);
    } catch (e) {
      log.error({ err: e }, 'Investigate failed');
      tellClicker(deps, args.client, click, failureMessage(queueFailureText(e)), log);
    }
  };
}
