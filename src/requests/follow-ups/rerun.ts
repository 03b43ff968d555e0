/** `rerun` in an answered thread: the same question again, its window ending now. */
import { invalid, quote } from '../../slack/parse-request';
import type { RequestSpec } from '../spec';
import { againPlan } from './thread-plans';

export const rerun: RequestSpec = {
  name: 'rerun',
  aliases: ['re-run', 'again', 'retry'],
  where: 'thread',
  usage: 'rerun',
  summary: 'the same question again, its window ending now',
  examples: ['rerun'],
  parse: (words) => (words.length === 0 ? { kind: 'again', change: {} } : invalid(`rerun takes nothing after it, not ${quote(words.join(' '))}: to change the window, widen 24h`, 'rerun')),
  plan: (_request, context) => againPlan({}, context),
};
