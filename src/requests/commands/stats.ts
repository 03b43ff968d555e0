/** `/apigw stats`: how often each cause was right, from the 👍/👎 under the findings. */
import { invalid, quote } from '../../slack/parse-request';
import { expectKind } from '../asker';
import type { RequestSpec } from '../spec';

/** Votes are counted over this many days unless told otherwise. */
export const STATS_DAYS = 30;
const EXAMPLE = '/apigw stats';

export const stats: RequestSpec = {
  name: 'stats',
  where: 'command',
  usage: 'stats [days]',
  hint: 'stats',
  summary: 'Per cause over the last 30 days: 👍 and 👎 on its findings, its precision, and what 👎 voters said it was instead.',
  examples: ['/apigw stats', '/apigw stats 7d'],
  parse(words) {
    if (words.length === 0) return { kind: 'stats', days: STATS_DAYS };
    const [word, ...extra] = words;
    const m = /^(\d{1,3})\s*(?:d|days?)?$/i.exec(word ?? '');
    const days = m?.[1] !== undefined ? Number(m[1]) : NaN;
    if (extra.length > 0 || !Number.isInteger(days) || days < 1 || days > 90) return invalid(`${quote(words.join(' '))} is not a number of days: give 1d to 90d (default 30d)`, EXAMPLE);
    return { kind: 'stats', days };
  },
  plan(request) {
    return { kind: 'stats', days: expectKind(request, 'stats').days };
  },
};
