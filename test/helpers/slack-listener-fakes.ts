/**
 * Fakes for the Slack listeners: an in-memory queue with the real one's dedupe semantics, a Web API
 * client that records posts, and a logger writing JSON to memory. Every call lands on one timeline, so
 * a test can assert the order (the job is in "Redis" before the ack; no Slack call before it).
 */
import type { ChatPostMessageArguments } from '@slack/web-api';
import type { SlackDeps, ThreadClient } from '../../handlers/slack/deps';
import { createLogger } from '../../src/logging';
import type { InvestigateJob, JobData } from '../../src/queue/contracts';
import type { ThreadContext } from '../../src/queue/thread-context';
import type { Asked, DeliveryClaim } from '../../src/queue/investigations';
import { allowEverything } from '../../src/slack/permissions';

export const NOW = new Date('2026-11-25T14:00:00.000Z');
export const BOT_USER_ID = 'U0BOTBOT1';

export class FakeQueue {
  readonly timeline: string[];
  readonly jobs: InvestigateJob[] = [];
  /** Event ids and messages (channel:ts): `pending` while claimed, `done` once confirmed (no lease here). */
  private readonly events = new Map<string, 'pending' | 'done'>();
  private readonly messages = new Map<string, string>();
  /** What `ask` does; default: a new job, after a tick (as Redis would take). */
  askImpl: (job: InvestigateJob) => Promise<Asked> = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    return { jobId: `why-abc-${this.jobs.length}`, joined: false };
  };
  /** Makes the dedupe calls fail (Redis down). */
  failDedupe: Error | undefined;
  /** Makes `forgetDelivery` fail (Redis still down when the claim is taken back). */
  failForget = false;

  constructor(timeline: string[]) {
    this.timeline = timeline;
  }

  async claimDelivery(eventId: string, channelId: string, ts: string): Promise<DeliveryClaim> {
    this.timeline.push(`claim:${eventId}`);
    if (this.failDedupe) throw this.failDedupe;
    await Promise.resolve();
    const event = this.events.get(eventId);
    if (event === 'done') return 'taken';
    if (event === 'pending') return 'in-progress';
    const message = this.messages.get(`${channelId}:${ts}`);
    if (message === 'done') return 'taken';
    if (message !== undefined) return 'sibling';
    this.events.set(eventId, 'pending');
    this.messages.set(`${channelId}:${ts}`, eventId);
    return 'claimed';
  }

  async confirmDelivery(eventId: string, channelId: string, ts: string): Promise<void> {
    this.timeline.push(`confirm:${eventId}`);
    await Promise.resolve();
    this.events.set(eventId, 'done');
    this.messages.set(`${channelId}:${ts}`, 'done');
  }

  async forgetDelivery(eventId: string, channelId: string, ts: string): Promise<boolean> {
    this.timeline.push(`forget:${eventId}`);
    await Promise.resolve();
    if (this.failForget) return false;
    this.events.delete(eventId);
    this.messages.delete(`${channelId}:${ts}`);
    return true;
  }

  /** Jobs that are not investigations (follow-ups, check, apis), as `enqueue` received them. */
  readonly enqueued: Exclude<JobData, InvestigateJob>[] = [];

  async enqueue(job: Exclude<JobData, InvestigateJob>): Promise<{ jobId: string; repeated: boolean }> {
    this.timeline.push('enqueue');
    if (this.failDedupe) throw this.failDedupe;
    await Promise.resolve();
    this.enqueued.push(job);
    return { jobId: `${job.kind}-${this.enqueued.length}`, repeated: false };
  }

  async ask(job: InvestigateJob): Promise<Asked> {
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
  /** Answered threads' contexts by `channel/threadTs`, as the answer store returns them. */
  threads: Map<string, ThreadContext>;
  /** The JSON lines the logger wrote. */
  logs: () => Record<string, unknown>[];
}

export function harness(overrides: Partial<SlackDeps> = {}): Harness {
  const timeline: string[] = [];
  const written: string[] = [];
  const queue = new FakeQueue(timeline);
  const threads = new Map<string, ThreadContext>();
  const deps: SlackDeps = {
    queue,
    answers: { thread: async (ref) => Promise.resolve(threads.get(`${ref.channelId}/${ref.threadTs}`)), listing: async () => Promise.resolve(undefined), digest: async () => Promise.resolve(undefined) },
    digest: {
      settings: async () => Promise.resolve({ cron: '0 9 * * *', tz: 'UTC', enabled: true, source: 'environment' as const }),
      change: async () => Promise.resolve({ cron: '0 9 * * *', tz: 'UTC', enabled: true, source: 'slack' as const }),
      next: async () => Promise.resolve(undefined),
    },
    votes: { vote: async () => Promise.resolve({}), instead: async () => Promise.resolve(false), stats: async () => Promise.resolve([]) },
    permissions: allowEverything,
    logger: createLogger({ level: 'debug', stream: { write: (s: string) => void written.push(s) } }),
    now: () => NOW,
    dedupeWindowS: 120,
    botUserId: BOT_USER_ID,
    ...overrides,
  };
  return { timeline, queue, client: new FakeClient(timeline), deps, threads, logs: () => written.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

/** The text of a message's blocks and fallback, for assertions on what the user sees. */
export function visibleText(message: unknown): string {
  return JSON.stringify(message);
}
