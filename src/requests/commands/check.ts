/** `/apigw check orders-api prod`: is there enough telemetry to diagnose a 5xx at all? */
import { plain } from '../../slack/mrkdwn';
import { parseCheck } from '../../slack/parse-request';
import { askerOf, answersInThread, expectKind } from '../asker';
import { plainMessage } from '../messages';
import type { RequestSpec } from '../spec';

export const check: RequestSpec = {
  name: 'check',
  where: 'command',
  usage: 'check <api> [stage]',
  hint: 'check <api>',
  summary: 'Checks the stage’s logging and configuration: is there enough telemetry to diagnose a 5xx at all, and the `aws` commands that turn on what is missing.',
  examples: ['/apigw check orders-api prod'],
  parse: (words, { options }) => parseCheck(words, options),
  plan(request, { origin }) {
    const r = expectKind(request, 'check');
    const where = answersInThread(origin) ? 'here' : 'in this channel';
    return {
      kind: 'queue',
      job: {
        kind: 'check',
        api: r.api,
        ...(r.stage !== undefined ? { stage: r.stage } : {}),
        ...(r.account !== undefined ? { account: r.account } : {}),
        ...(r.region !== undefined ? { region: r.region } : {}),
        asker: askerOf(origin),
        askedAt: origin.now.toISOString(),
      },
      ...(answersInThread(origin) ? {} : { queued: plainMessage(`Checking the telemetry of ${plain(r.api)}${r.stage !== undefined ? ` (${plain(r.stage)})` : ''}… I'll post ${where}.`) }),
    };
  },
};
