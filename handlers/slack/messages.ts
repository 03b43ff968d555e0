/**
 * The short answers the listeners give themselves (the worker writes the investigation's): the
 * slash command's ephemeral ack, the "already investigating" note, and the pointer to the CLI for
 * requests the worker does not run yet. User text is escaped for mrkdwn and shell-quoted in commands.
 */
import type { RespondArguments } from '@slack/bolt';
import { shellQuote } from '../../src/diagnosis/shell';
import type { Question } from '../../src/queue/contracts';
import type { SlackMessage } from '../../src/slack/poster';
import { inlineCode, plain } from '../../src/slack/mrkdwn';
import type { BotRequest } from '../../src/slack/request';

/** A message as a slash command's ack body: seen by the asker only. */
export function ephemeral(message: SlackMessage): RespondArguments {
  return { response_type: 'ephemeral', text: message.text, ...(message.blocks ? { blocks: [...message.blocks] } : {}) };
}

/** `502s on orders-api (prod, last 1h)` — what is being investigated, in the asker's words. */
export function describeQuestion(q: Question): string {
  const status = q.status === '5xx' ? '5xx errors' : `${q.status}s`;
  const where = [q.stage, q.account ? `account ${q.account}` : undefined, q.region, `last ${formatWindow(q.sinceMs)}`].filter((p): p is string => p !== undefined);
  return `${status} on ${plain(q.api)} (${plain(where.join(', '))})`;
}

/** The ack of a queued investigation. */
export function investigatingMessage(q: Question): SlackMessage {
  return { text: `Investigating ${describeQuestion(q)}… I'll post in this channel.` };
}

/** The ack of a question that joined the same question's running investigation. */
export function joinedMessage(q: Question, where: 'channel' | 'thread'): SlackMessage {
  const answer = where === 'thread' ? "you'll get the same answer here" : "you'll get the same answer";
  return { text: `Already investigating ${describeQuestion(q)} — ${answer}.` };
}

/** `check` and `apis` do not run as jobs yet: the same command in a terminal does. */
export function cliOnlyMessage(request: Extract<BotRequest, { kind: 'check' | 'apis' }>): SlackMessage {
  const words = ['apigw-doctor', request.kind];
  if (request.kind === 'check') {
    words.push(shellQuote(request.api));
    if (request.stage !== undefined) words.push(shellQuote(request.stage));
  } else {
    words.push('--since', formatWindow(request.sinceMs));
  }
  if (request.account !== undefined) words.push('--account', shellQuote(request.account));
  if (request.region !== undefined) words.push('--region', shellQuote(request.region));
  const what = request.kind === 'check' ? 'The telemetry check' : 'The list of APIs by 5xx';
  return { text: `${what} does not run from Slack yet; run it from a terminal with AWS access: ${inlineCode(words.join(' '))}` };
}

/** 3,600,000 → `1h`; 86,400,000 → `24h`; whole days from two days up, else hours, else minutes. */
export function formatWindow(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes >= 2 * 1_440 && minutes % 1_440 === 0) return `${minutes / 1_440}d`;
  if (minutes >= 60 && minutes % 60 === 0) return `${minutes / 60}h`;
  return `${minutes}m`;
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
      return { ...request };
    case 'help':
      return { kind: 'help' };
    case 'invalid':
      return { kind: 'invalid', problem: request.problem };
  }
}
