/** The Slack surface's table of contents: one line per listener. */
import type { App } from '@slack/bolt';
import { ACTION_IDS } from '../../src/slack/actions';
import { digestAllButton } from './actions/digest-all';
import { investigateButton } from './actions/investigate';
import { threadButton } from './actions/thread-buttons';
import { voteButton, wasInsteadButton } from './actions/vote';
import { apigwCommand } from './commands/apigw';
import type { SlackDeps } from './deps';
import { appMention } from './events/app-mention';
import { message } from './events/message';

/** The slash command, as in manifest.yml. */
export const SLASH_COMMAND = '/apigw';

export function register(app: Pick<App, 'command' | 'event' | 'action'>, deps: SlackDeps): void {
  app.command(SLASH_COMMAND, apigwCommand(deps));
  app.event('app_mention', appMention(deps));
  app.event('message', message(deps));
  app.action({ type: 'block_actions', action_id: ACTION_IDS.rerun }, threadButton(deps, 'rerun'));
  app.action({ type: 'block_actions', action_id: ACTION_IDS.widen }, threadButton(deps, 'widen'));
  app.action({ type: 'block_actions', action_id: ACTION_IDS.evidence }, threadButton(deps, 'evidence'));
  app.action({ type: 'block_actions', action_id: ACTION_IDS.voteUp }, voteButton(deps, 'up'));
  app.action({ type: 'block_actions', action_id: ACTION_IDS.voteDown }, voteButton(deps, 'down'));
  app.action({ type: 'block_actions', action_id: ACTION_IDS.wasInstead }, wasInsteadButton(deps));
  app.action({ type: 'block_actions', action_id: ACTION_IDS.investigate }, investigateButton(deps));
  app.action({ type: 'block_actions', action_id: ACTION_IDS.digestAll }, digestAllButton(deps));
}

export type { AnswerStore, ListenerQueue, SlackDeps, ThreadClient } from './deps';
