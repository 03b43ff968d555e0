/** `/apigw apis 24h`: the API stages ranked by 5xx, each with an Investigate button. */
import { describeSinceMs } from '../../render/window-phrase';
import { parseApis } from '../../slack/parse-request';
import { askerOf, answersInThread, expectKind } from '../asker';
import { plainMessage } from '../messages';
import type { RequestSpec } from '../spec';

export const apis: RequestSpec = {
  name: 'apis',
  where: 'command',
  usage: 'apis [window]',
  hint: 'apis [24h]',
  summary: 'Lists the API stages of the account by their 5xx over the window (default 24h), with an Investigate button on each stage that had any.',
  examples: ['/apigw apis', '/apigw apis 6h'],
  parse: (words, { options }) => parseApis(words, options),
  plan(request, { origin }) {
    const r = expectKind(request, 'apis');
    const since = describeSinceMs(r.sinceMs, { now: origin.now, ...(origin.timeZone !== undefined ? { timeZone: origin.timeZone } : {}) });
    return {
      kind: 'queue',
      job: {
        kind: 'apis',
        sinceMs: r.sinceMs,
        ...(r.account !== undefined ? { account: r.account } : {}),
        ...(r.region !== undefined ? { region: r.region } : {}),
        asker: askerOf(origin),
        askedAt: origin.now.toISOString(),
      },
      ...(answersInThread(origin) ? {} : { queued: plainMessage(`Counting 5xx per API stage (${since})… I'll post in this channel.`) }),
    };
  },
};
