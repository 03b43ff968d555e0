/**
 * Fakes for the Slack listeners: an in-memory queue with the real one's dedupe semantics, a Web API
 * client that records posts, and a logger writing JSON to memory. Every call lands on one timeline, so
 * a test can assert the order (the job is in "Redis" before the ack; no Slack call before it).
 */
import type { ChatPostMessageArguments } from '@slack/web-api';
import type { SlackDeps, ThreadClient } from '../../../../handlers/slack/deps';
import { createLogger } from '../../../../src/logging';
import type { InvestigateJob } from '../../../../src/queue/contracts';
import { allowEverything } from '../../../../src/slack/permissions';

export const NOW = new Date('2026-11-25T14:00:00.000Z');
export const BOT_USER_ID = 'U0BOTBOT1';

export class FakeQueue {
  readonly timeline: string[];
  readonly jobs: InvestigateJob[] = [];
  private readonly events = new Set<string>();
  private readonly messages = new Set<string>();
  /** What `ask` does; default: a new job, after a tick (as Redis would take). */
  askImpl: (job: InvestigateJob) => Promise<{ jobId: string; joined: boolean }> = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    return { jobId: `why-abc-${this.jobs.length}`, joined: false };
  };
  /** Makes the dedupe calls fail (Redis down). */
  failDedupe: Error | undefined;
  /** Undoes the dedupe keys of an event whose job could not be queued; absent in a queue that cannot. */
  forgetDelivery?: (eventId: string, channelId: string, ts: string) => Promise<boolean>;

  constructor(timeline: string[]) {
    this.timeline = timeline;
  }

  async firstDelivery(eventId: string): Promise<boolean> {
    this.timeline.push(`firstDelivery:${eventId}`);
    if (this.failDedupe) throw this.failDedupe;
    await Promise.resolve();
    if (this.events.has(eventId)) return false;
    this.events.add(eventId);
    return true;
  }

  async claimMessage(channelId: string, ts: string): Promise<boolean> {
    this.timeline.push(`claimMessage:${channelId}:${ts}`);
    if (this.failDedupe) throw this.failDedupe;
    await Promise.resolve();
    const key = `${channelId}:${ts}`;
    if (this.messages.has(key)) return false;
    this.messages.add(key);
    return true;
  }

  async ask(job: InvestigateJob): Promise<{ jobId: string; joined: boolean }> {
    this.timeline.push('ask:start');
    this.jobs.push(job);
    const result = await this.askImpl(job);
    this.timeline.push('ask:done');
    return result;
  }
}

/** What a post carried, as the fake Slack API would see it. */
export interface Posted {
  channel: string;
  thread_ts?: string;
  text?: string;
  blocks?: unknown[];
}

export class FakeClient implements ThreadClient {
  readonly posts: Posted[] = [];
  fail: Error | undefined;
  readonly chat: ThreadClient['chat'];

  constructor(timeline: string[]) {
    this.chat = {
      postMessage: async (args: ChatPostMessageArguments) => {
        timeline.push('slack:chat.postMessage');
        if (this.fail) throw this.fail;
        this.posts.push(args);
        await Promise.resolve();
        return { ok: true, ts: '1764079200.000200' };
      },
    };
  }
}

export interface Harness {
  timeline: string[];
  queue: FakeQueue;
  client: FakeClient;
  deps: SlackDeps;
  /** The JSON lines the logger wrote. */
  logs: () => Record<string, unknown>[];
}

export function harness(overrides: Partial<SlackDeps> = {}): Harness {
  const timeline: string[] = [];
  const written: string[] = [];
  const queue = new FakeQueue(timeline);
  const deps: SlackDeps = {
    queue,
    permissions: allowEverything,
    logger: createLogger({ level: 'debug', stream: { write: (s: string) => void written.push(s) } }),
    now: () => NOW,
    dedupeWindowS: 120,
    botUserId: BOT_USER_ID,
    ...overrides,
  };
  return { timeline, queue, client: new FakeClient(timeline), deps, logs: () => written.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

/** The text of a message's blocks and fallback, for assertions on what the user sees. */
export function visibleText(message: unknown): string {
  return JSON.stringify(message);
}
