/**
 * The short answers the listeners give themselves (the worker writes the investigation's): the
 * slash command's ephemeral ack, the "already investigating" note, and the pointer to the CLI for
 * requests the worker does not run yet. User text is escaped for mrkdwn and shell-quoted in commands.
 */
import type { RespondArguments } from '@slack/bolt';
import type { DigestSettings } from '../../src/queue/digest-schedule';
import { describeSchedule } from '../../src/queue/digest-schedule';
import type { SlackMessage } from '../../src/slack/poster';
import type { BotRequest } from '../../src/slack/request';

/**
 * How the daily digest is set: "The daily 5xx digest goes to <#C0OPS> weekdays at 08:30 Europe/Berlin;
 * next 2026-12-07 07:30 UTC. Set in Slack by <@U…>." (or that it is off, or has no channel yet).
 */
export function digestSettingsMessage(settings: DigestSettings, next: Date | undefined, changed = false): SlackMessage {
  const lead = changed ? 'Done. ' : '';
  const source = settings.source === 'slack' && settings.updatedBy !== undefined ? ` Set in Slack by <@${settings.updatedBy}>.` : ' From the environment (DIGEST_CHANNEL, DIGEST_CRON, DIGEST_TZ).';
  let text: string;
  if (!settings.enabled) text = `${lead}The daily 5xx digest is off. \`/apigw digest on\` turns it back on; \`/apigw digest now\` posts one at once.`;
  else if (settings.channel === undefined) text = `${lead}The daily 5xx digest has no channel yet: \`/apigw digest here\` sends it to the channel you type it in (${describeSchedule(settings)}).`;
  else text = `${lead}The daily 5xx digest goes to <#${settings.channel}> ${describeSchedule(settings)}${next ? `; next ${nextRun(next, settings.tz)}` : ''}.`;
  return { text: `${text}${source}` };
}

/** "Mon 7 Dec 08:30 Europe/Berlin": when the next digest is due, in the schedule's own zone. */
function nextRun(next: Date, tz: string): string {
  try {
    const parts = new Intl.DateTimeFormat('en-GB', { timeZone: tz, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(next);
    return `${parts.replace(',', '')} ${tz}`;
  } catch {
    return `${next.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  }
}

/** A message as a slash command's ack body: seen by the asker only. */
export function ephemeral(message: SlackMessage): RespondArguments {
  return { response_type: 'ephemeral', text: message.text, ...(message.blocks ? { blocks: [...message.blocks] } : {}) };
}


/**
 * "Could not queue the investigation: Redis at 127.0.0.1:6379 is unreachable (…)" — the queue's own
 * errors already start "could not <step>:", which is dropped so the asker reads one sentence.
 */
export function queueFailureText(error: unknown): string {
  return `Could not queue the investigation: ${messageOf(error).replace(/^could not [^:]{1,80}: /, '')}`;
}

/** An error's message, for the asker (secrets never reach errors the queue throws: Redis URLs are described without passwords). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The request's kind and target, for the log. */
export function requestFields(request: BotRequest): Record<string, unknown> {
  switch (request.kind) {
    case 'why':
      return { kind: 'why', ...request.question };
    case 'check':
    case 'apis':
    case 'stats':
      return { ...request };
    case 'help':
      return { kind: 'help' };
    case 'follow-up':
      // Pasted text is logged by its size only: it may hold anything.
      return request.followUp.intent === 'paste' ? { kind: 'follow-up', intent: 'paste', chars: request.followUp.text.length } : { kind: 'follow-up', ...request.followUp };
    case 'again':
      return { kind: 'again', ...request.change };
    case 'digest':
      return { ...request };
    case 'invalid':
      return { kind: 'invalid', problem: request.problem };
  }
}
