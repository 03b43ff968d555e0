/** `register` is the table of contents: the slash command and the two event listeners. */
import { register } from '../../../../handlers/slack';
import { harness } from '../../../helpers/slack-listener-fakes';

it('registers /apigw, app_mention and message', () => {
  const registered: string[] = [];
  const app = {
    command: (name: unknown) => void registered.push(`command ${String(name)}`),
    event: (name: unknown) => void registered.push(`event ${String(name)}`),
  };
  register(app, harness().deps);
  expect(registered).toEqual(['command /apigw', 'event app_mention', 'event message']);
});
