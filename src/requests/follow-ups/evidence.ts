/** `evidence` in an answered thread: every piece of evidence, with counts, request ids and where it came from. */
import { invalid, quote } from '../../slack/parse-request';
import type { RequestSpec } from '../spec';
import { followUpPlan } from './thread-plans';

export const evidence: RequestSpec = {
  name: 'evidence',
  where: 'thread',
  usage: 'evidence',
  summary: 'all the evidence, with counts, request ids and where each came from',
  examples: ['evidence'],
  parse: (words) => (words.length === 0 ? { kind: 'follow-up', followUp: { intent: 'evidence' } } : invalid(`evidence takes nothing after it, not ${quote(words.join(' '))}`, 'evidence')),
  plan: (_request, context) => followUpPlan({ intent: 'evidence' }, context),
};
