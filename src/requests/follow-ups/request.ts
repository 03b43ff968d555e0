/** `request <requestId>` in an answered thread: that request's lines across the execution, access and Lambda logs. */
import { requestIdProblem } from '../../collect/request-trace';
import { invalid } from '../../slack/parse-request';
import { expectKind } from '../asker';
import type { RequestSpec } from '../spec';
import { followUpPlan } from './thread-plans';

const EXAMPLE = 'request 3f2a9c1e-5b7d-4c3a-9e8f-1a2b3c4d5e6f';

export const request: RequestSpec = {
  name: 'request',
  aliases: ['req', 'trace'],
  where: 'thread',
  usage: 'request <requestId>',
  summary: 'that request’s lines across the execution, access and Lambda logs',
  examples: [EXAMPLE],
  parse(words) {
    const [id, ...extra] = words;
    if (id === undefined || extra.length > 0) return invalid('give one request id, as the evidence shows it', EXAMPLE);
    const problem = requestIdProblem(id);
    return problem !== undefined ? invalid(problem, EXAMPLE) : { kind: 'follow-up', followUp: { intent: 'request', requestId: id } };
  },
  plan: (r, context) => followUpPlan(expectKind(r, 'follow-up').followUp, context),
};
