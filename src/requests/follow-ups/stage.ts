/** `stage dev` in an answered thread: the same question about another stage. */
import { invalid, stageProblem } from '../../slack/parse-request';
import { expectKind } from '../asker';
import type { RequestSpec } from '../spec';
import { againPlan } from './thread-plans';

export const stage: RequestSpec = {
  name: 'stage',
  where: 'thread',
  usage: 'stage <name>',
  summary: 'the same question about another stage of the API',
  examples: ['stage dev'],
  parse(words) {
    const [name, ...extra] = words;
    if (name === undefined || extra.length > 0) return invalid('name one stage', 'stage dev');
    const problem = stageProblem(name);
    return problem !== undefined ? invalid(problem, 'stage dev') : { kind: 'again', change: { stage: name } };
  },
  plan: (request, context) => againPlan(expectKind(request, 'again').change, context),
};
