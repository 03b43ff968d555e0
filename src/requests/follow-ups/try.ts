/** `try 504` in an answered thread: the same question about another status. */
import { invalid, statusWord } from '../../slack/parse-request';
import { expectKind } from '../asker';
import type { RequestSpec } from '../spec';
import { againPlan } from './thread-plans';

export const tryStatus: RequestSpec = {
  name: 'try',
  where: 'thread',
  usage: 'try <500…599|5xx>',
  summary: 'the same question about another status',
  examples: ['try 504', 'try 5xx'],
  parse(words) {
    const [word, ...extra] = words;
    const status = word !== undefined ? statusWord(word) : null;
    if (status?.kind !== 'status' || extra.length > 0) return invalid(`give one status from 500 to 599, or 5xx${status?.kind === 'other' ? ` (${status.code} is not a 5xx)` : ''}`, 'try 504');
    return { kind: 'again', change: { status: status.status } };
  },
  plan: (request, context) => againPlan(expectKind(request, 'again').change, context),
};
