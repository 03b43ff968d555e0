/** `explain 2` in an answered thread: finding 2 in full, with the knowledge base's docs. */
import { invalid, quote } from '../../slack/parse-request';
import { expectKind } from '../asker';
import type { RequestSpec } from '../spec';
import { followUpPlan } from './thread-plans';

export const explain: RequestSpec = {
  name: 'explain',
  where: 'thread',
  usage: 'explain <n>',
  summary: 'finding n in full: the explanation, all its evidence, every fix and the docs',
  examples: ['explain 1', 'explain 2'],
  parse(words) {
    if (words.length === 0) return { kind: 'follow-up', followUp: { intent: 'explain', finding: 1 } };
    const n = /^#?(\d{1,2})[.)]?$/.exec(words[0] ?? '')?.[1];
    if (words.length > 1 || n === undefined || Number(n) < 1) return invalid(`${quote(words.join(' '))} is not a finding's number: the findings are numbered 1, 2, 3…`, 'explain 1');
    return { kind: 'follow-up', followUp: { intent: 'explain', finding: Number(n) } };
  },
  plan: (request, context) => followUpPlan(expectKind(request, 'follow-up').followUp, context),
};
