/**
 * Who asked and where their answer goes, as a job carries it, from where a request came from.
 */
import type { Asker } from '../queue/contracts';
import type { Origin } from './spec';

/**
 * The asker of a job: a slash command has no thread (the worker starts one) but a response_url; a
 * mention or a thread message is answered in its thread (the message's own, when it is not in one).
 */
export function askerOf(origin: Origin): Asker {
  const thread = origin.threadTs ?? (origin.via === 'mention' || origin.via === 'thread' ? origin.messageTs : undefined);
  return {
    userId: origin.userId,
    teamId: origin.teamId,
    channelId: origin.channelId,
    ...(thread !== undefined ? { threadTs: thread } : {}),
    ...(origin.messageTs !== undefined ? { messageTs: origin.messageTs } : {}),
    ...(origin.responseUrl !== undefined ? { responseUrl: origin.responseUrl } : {}),
  };
}

/** Whether the asker reads the answer in a thread (mentions, thread messages, buttons in a thread) or in the channel. */
export function answersInThread(origin: Origin): boolean {
  return origin.via !== 'command' && (origin.threadTs !== undefined || origin.messageTs !== undefined);
}

/** Narrows a request to the kind a spec handles; any other is a wiring mistake. */
export function expectKind<K extends string, R extends { kind: string }>(request: R, kind: K): Extract<R, { kind: K }> {
  if (request.kind !== kind) throw new Error(`a ${kind} request was expected here, got ${request.kind}`);
  return request as Extract<R, { kind: K }>;
}
