/** The Slack surface's table of contents: one line per listener. */
import type { App } from '@slack/bolt';
import { apigwCommand } from './commands/apigw';
import type { SlackDeps } from './deps';
import { appMention } from './events/app-mention';
import { message } from './events/message';

/** The slash command, as in manifest.yml. */
export const SLASH_COMMAND = '/apigw';

export function register(app: Pick<App, 'command' | 'event'>, deps: SlackDeps): void {
  app.command(SLASH_COMMAND, apigwCommand(deps));
  app.event('app_mention', appMention(deps));
  app.event('message', message(deps));
}

export type { ListenerQueue, SlackDeps, ThreadClient } from './deps';
