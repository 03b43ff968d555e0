/** `/apigw help [command]`: usage, from the registry. */
import { expectKind } from '../asker';
import { helpMessage } from '../help-message';
import type { RequestSpec } from '../spec';

export const help: RequestSpec = {
  name: 'help',
  aliases: ['usage', '?'],
  where: 'command',
  usage: 'help [command]',
  hint: 'help',
  summary: 'This message, or the help of one command or follow-up.',
  examples: ['/apigw help why', '/apigw help follow-ups'],
  parse(words) {
    const topic = words.join(' ').trim().toLowerCase();
    return topic === '' ? { kind: 'help' } : { kind: 'help', topic: topic.slice(0, 40) };
  },
  plan(request, { specs }) {
    return { kind: 'say', message: helpMessage(specs, expectKind(request, 'help').topic) };
  },
};
