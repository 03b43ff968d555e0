/**
 * Re-run, Widen to 24h and Show evidence under an answer: the same as typing `rerun`, `widen 24h` or
 * `evidence` in its thread. The button carries only the thread; its context is looked up in the
 * channel of the click and what it resolved to is authorized again before anything runs.
 */
import type { RequestSpec } from '../../../src/requests';
import { planRequest, specNamed } from '../../../src/requests';
import { noThreadPlan } from '../../../src/requests/follow-ups/thread-plans';
import { readThreadAction } from '../../../src/slack/actions';
import { failureMessage } from '../../../src/slack/blocks';
import type { BotRequest } from '../../../src/slack/request';
import { carryOut, refusalMessage, refusalOf } from '../carry-out';
import type { SlackDeps } from '../deps';
import { queueFailureText } from '../messages';
import type { ActionArgs } from './click';
import { clickLogger, clickOf, originOf, tellClicker } from './click';

/** What each button types. */
const TYPED: Readonly<Record<'rerun' | 'widen' | 'evidence', string>> = { rerun: 'rerun', widen: 'widen 24h', evidence: 'evidence' };

export function threadButton(deps: SlackDeps, button: keyof typeof TYPED): (args: ActionArgs) => Promise<void> {
  return async (args) => {
    await args.ack();
    const click = clickOf(args);
    const log = clickLogger(deps, click, args.action.action_id);
    const value = readThreadAction(args.action.value ?? '');
    if (!click || !value) {
      log.warn({ value: args.action.value }, 'a button value that is not ours; ignored');
      return;
    }
    const [word = '', ...rest] = TYPED[button].split(' ');
    const spec: RequestSpec | undefined = specNamed(word, 'thread');
    if (!spec) throw new Error(`no follow-up named ${word}`);
    try {
      const thread = await deps.answers.thread({ channelId: click.channelId, threadTs: value.thread });
      const origin = originOf(click, deps.now(), value.thread);
      if (!thread) {
        log.info('click on a thread with no context (expired)');
        const said = noThreadPlan();
        if (said.kind === 'say') tellClicker(deps, args.client, click, said.message, log);
        return;
      }
      const request: BotRequest = spec.parse(rest, { now: origin.now, options: {} });
      const refusal = refusalOf(deps, click.channelId, request, thread);
      if (refusal !== undefined) {
        log.warn({ reason: refusal }, 'click refused in this channel');
        tellClicker(deps, args.client, click, refusalMessage(refusal), log);
        return;
      }
      const carried = await carryOut(planRequest(request, { origin, thread }, spec), deps);
      log.info({ jobId: carried.jobId }, 'button queued');
      if (carried.message) tellClicker(deps, args.client, click, carried.message, log);
    } catch (e) {
      log.error({ err: e }, 'button failed');
      tellClicker(deps, args.client, click, failureMessage(queueFailureText(e)), log);
    }
  };
}
