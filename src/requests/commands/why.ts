/** `/apigw why 502 orders-api prod 6h`: investigate an API stage's 5xx. */
import { parseWhy } from '../../slack/parse-request';
import { askerOf, answersInThread, expectKind } from '../asker';
import { describeQuestion, plainMessage } from '../messages';
import type { RequestSpec } from '../spec';

export const why: RequestSpec = {
  name: 'why',
  where: 'command',
  usage: 'why <500…599|5xx> <api> [stage] [window]',
  hint: 'why 502 orders-api [stage] [1h]',
  summary:
    'Investigates an API stage’s 5xx: posts "Investigating…" here, then answers in its thread with the likely cause, the evidence and AWS CLI fixes. The API is a name, an id (a1b2c3d4e5), an invoke URL or a custom domain; the window goes from 15m to 7d (default 1h), or since a time ("since 9am").',
  examples: ['/apigw why 502 orders-api', '/apigw why 5xx a1b2c3d4e5 dev 6h', '/apigw why is orders-api failing since 9am'],
  parse: (words, { options }) => parseWhy(words, options),
  plan(request, { origin }) {
    const { question } = expectKind(request, 'why');
    const inThread = answersInThread(origin);
    const about = describeQuestion(question, origin.now, origin.timeZone);
    return {
      kind: 'queue',
      job: { kind: 'investigate', question, asker: askerOf(origin), askedAt: origin.now.toISOString(), source: origin.via === 'command' ? 'command' : origin.via === 'button' ? 'button' : 'mention' },
      // A mention is answered by the worker in its thread: nothing to say before that.
      ...(inThread ? {} : { queued: plainMessage(`Investigating ${about}… I'll post in this channel.`) }),
      joined: plainMessage(`Already investigating ${about} — ${inThread ? "you'll get the same answer here" : "you'll get the same answer"}.`),
    };
  },
};
