/** `fixes` in an answered thread: only the commands, ready to paste. */
import { invalid, quote } from '../../slack/parse-request';
import type { RequestSpec } from '../spec';
import { followUpPlan } from './thread-plans';

export const fixes: RequestSpec = {
  name: 'fixes',
  aliases: ['fix', 'commands'],
  where: 'thread',
  usage: 'fixes',
  summary: 'only the fix commands, ready to paste',
  examples: ['fixes'],
  parse: (words) => (words.length === 0 ? { kind: 'follow-up', followUp: { intent: 'fixes' } } : invalid(`fixes takes nothing after it, not ${quote(words.join(' '))}`, 'fixes')),
  plan: (_request, context) => followUpPlan({ intent: 'fixes' }, context),
};
