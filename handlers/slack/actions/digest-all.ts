/**
 * "Show all N" under a digest: the whole list of stages with 5xx, posted in the digest's thread from
 * the digest as it was posted (kept 7 days). Nothing is read from AWS again.
 */
import { readInvestigateAction } from '../../../src/slack/actions';
import { failureMessage } from '../../../src/slack/blocks';
import { digestAllMessage } from '../../../src/slack/digest-blocks';
import type { SlackDeps } from '../deps';
import type { ActionArgs } from './click';
import { clickLogger, clickOf, tellClicker } from './click';

export function digestAllButton(deps: SlackDeps): (args: ActionArgs) => Promise<void> {
  return async (args) => {
    await args.ack();
    const click = clickOf(args);
    const log = clickLogger(deps, click, args.action.action_id);
    const messageTs = click?.messageTs;
    const value = readInvestigateAction(args.action.value ?? '');
    const listId = value?.list ?? messageTs;
    if (!click || messageTs === undefined || listId === undefined) return log.warn('a Show all click without its message; ignored');
    try {
      const stored = await deps.answers.digest(click.channelId, listId);
      if (!stored) return tellClicker(deps, args.client, click, failureMessage('This digest is more than 7 days old: ask for a fresh one.', '/apigw digest now'), log);
      const message = digestAllMessage(stored.data, { periodLabel: stored.periodLabel, ...(value?.list !== undefined ? { listId: value.list } : {}) });
      // After the ack, and not awaited: the click's HTTP answer does not wait for Slack.
      void args.client.chat
        .postMessage({ channel: click.channelId, thread_ts: messageTs, text: message.text, blocks: [...message.blocks] })
        .catch((e: unknown) => log.warn({ err: e }, 'could not post the full list'));
      log.info({ rows: stored.data.rows.length }, 'digest: full list');
    } catch (e) {
      log.error({ err: e }, 'Show all failed');
      tellClicker(deps, args.client, click, failureMessage(`Could not read the digest: ${e instanceof Error ? e.message : String(e)}`), log);
    }
  };
}
