/** `register` is the table of contents: the slash command, the two event listeners and one listener per button. */
import { register } from '../../../../handlers/slack';
import { ACTION_IDS } from '../../../../src/slack/actions';
import { harness } from '../../../helpers/slack-listener-fakes';

it('registers /apigw, app_mention, message and every button the bot puts on a message', () => {
  const registered: string[] = [];
  const app = {
    command: (name: unknown) => void registered.push(`command ${String(name)}`),
    event: (name: unknown) => void registered.push(`event ${String(name)}`),
    action: (constraints: { action_id?: unknown }) => void registered.push(`action ${String(constraints.action_id)}`),
  };
  register(app as unknown as Parameters<typeof register>[0], harness().deps);
  expect(registered).toEqual(['command /apigw', 'event app_mention', 'event message', ...Object.values(ACTION_IDS).map((id) => `action ${id}`)]);
});
