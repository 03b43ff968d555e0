/** `widen 24h` / `since 6h` / `since 9am` in an answered thread: the same question over another window. */
import { invalid, readWindowWords } from '../../slack/parse-request';
import { expectKind } from '../asker';
import type { RequestSpec } from '../spec';
import { againPlan } from './thread-plans';

const DAY = 24 * 3_600_000;

export const widen: RequestSpec = {
  name: 'widen',
  aliases: ['since'],
  where: 'thread',
  usage: 'widen <window> · since <time>',
  summary: 'the same question over a longer (or another) window, answered here: widen 24h, since 6h, since 9am',
  examples: ['widen 24h', 'since 6h', 'since 9am'],
  parse(words, { now, timeZone }) {
    if (words.length === 0) return { kind: 'again', change: { sinceMs: DAY } };
    const text = words.join(' ');
    // `since 9am` arrives as the words after `since`: read them as the phrase they were.
    const window = readWindowWords(/^\d|^last\b|^past\b|^today\b|^yesterday\b/i.test(text) && !/^\d{1,2}(:\d\d)?\s*(am|pm)?$/i.test(text) ? text : `since ${text}`, now, timeZone);
    if (window === undefined) return invalid(`"${text.slice(0, 40)}" is not a window: give 15m to 7d, e.g. widen 24h, or a time, e.g. since 9am`, 'widen 24h');
    if ('problem' in window) return invalid(window.problem, 'widen 24h');
    return { kind: 'again', change: { sinceMs: window.ms } };
  },
  plan: (request, context) => againPlan(expectKind(request, 'again').change, context),
};
