/** `verify` / `verify since 14:30` in an answered thread: is the 5xx gone since the fix? */
import { invalid, readWindowWords } from '../../slack/parse-request';
import { expectKind } from '../asker';
import type { RequestSpec } from '../spec';
import { followUpPlan } from './thread-plans';

export const verify: RequestSpec = {
  name: 'verify',
  where: 'thread',
  usage: 'verify [since <time>]',
  summary: 'the 5xx rate since the answer (or since a time) against the same time before: fixed, better, or not',
  examples: ['verify', 'verify since 14:30', 'verify since 30m'],
  parse(words, { now, timeZone }) {
    if (words.length === 0) return { kind: 'follow-up', followUp: { intent: 'verify' } };
    const text = words.join(' ');
    const window = readWindowWords(/^since\b/i.test(text) ? text : `since ${text}`, now, timeZone);
    if (window === undefined) return invalid(`"${text.slice(0, 40)}" is not a time: say verify since 14:30, or verify since 30m`, 'verify since 30m');
    if ('problem' in window) return invalid(window.problem, 'verify since 30m');
    return { kind: 'follow-up', followUp: { intent: 'verify', sinceMs: window.ms } };
  },
  plan: (r, context) => followUpPlan(expectKind(r, 'follow-up').followUp, context),
};
