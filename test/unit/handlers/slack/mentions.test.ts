/**
 * @mentions, through `app_mention` and `message`, called directly with fake `{ event, body, context,
 * client }` and an in-memory queue with the real one's dedupe semantics: one investigation per
 * mention whatever Slack redelivers, answers in the mention's thread, and Redis failures that either
 * make Slack redeliver (HTTP mode, nothing stored yet) or are told in the thread.
 */
import type { AppMentionArgs } from '../../../../handlers/slack/events/app-mention';
import { appMention } from '../../../../handlers/slack/events/app-mention';
import type { MessageArgs } from '../../../../handlers/slack/events/message';
import { mentions, message } from '../../../../handlers/slack/events/message';
import { QueueUnavailableError } from '../../../../src/queue/connection';
import { parseChannelPermissions } from '../../../../src/slack/permissions';
import type { Harness } from '../../../helpers/slack-listener-fakes';
import { BOT_USER_ID, NOW, harness, visibleText } from '../../../helpers/slack-listener-fakes';

const CHANNEL = 'C0123ABCD';
const TS = '1764079000.000100';

function mentionArgs(h: Harness, text: string, opts: { eventId?: string; ts?: string; threadTs?: string; retryNum?: number } = {}): AppMentionArgs {
  return {
    event: { text: `<@${BOT_USER_ID}> ${text}`, user: 'U0ASKER01', team: 'T0TEAM001', channel: CHANNEL, ts: opts.ts ?? TS, ...(opts.threadTs ? { thread_ts: opts.threadTs } : {}) },
    body: { event_id: opts.eventId ?? 'Ev0MENTION1', team_id: 'T0TEAM001' },
    context: opts.retryNum !== undefined ? { retryNum: opts.retryNum } : {},
    client: h.client,
  };
}

function messageArgs(h: Harness, text: string, event: Partial<MessageArgs['event']> = {}): MessageArgs {
  return {
    event: { text, user: 'U0ASKER01', team: 'T0TEAM001', channel: CHANNEL, ts: TS, ...event },
    body: { event_id: 'Ev0MESSAGE1', team_id: 'T0TEAM001' },
    context: {},
    client: h.client,
  };
}

const redisDown = (): QueueUnavailableError => new QueueUnavailableError('remember the Slack event', '127.0.0.1:6379', new Error('connect ECONNREFUSED 127.0.0.1:6379'));

describe('app_mention', () => {
  it('dedupes, then queues the question to be answered in the mention thread, posting nothing itself', async () => {
    const h = harness();
    await appMention(h.deps)(mentionArgs(h, 'why 502 orders-api'));
    // Confirmed only once the job is queued: a process dying before that leaves a claim that lapses.
    expect(h.timeline).toEqual(['claim:Ev0MENTION1', 'ask:start', 'ask:done', 'confirm:Ev0MENTION1']);
    expect(h.queue.jobs).toHaveLength(1);
    expect(h.queue.jobs[0]).toMatchObject({
      question: { status: 502, api: 'orders-api' },
      asker: { userId: 'U0ASKER01', teamId: 'T0TEAM001', channelId: CHANNEL, threadTs: TS, messageTs: TS },
      askedAt: NOW.toISOString(),
      source: 'mention',
    });
    expect(h.queue.jobs[0]!.asker.responseUrl).toBeUndefined();
    expect(h.client.posts).toHaveLength(0);
  });

  it('answers in the existing thread when the mention is a thread reply', async () => {
    const h = harness();
    await appMention(h.deps)(mentionArgs(h, 'why 504 orders-api', { threadTs: '1764078000.000001' }));
    expect(h.queue.jobs[0]!.asker).toMatchObject({ threadTs: '1764078000.000001', messageTs: TS });
  });

  it('ignores Slack retries of the same event: one investigation', async () => {
    const h = harness();
    const listener = appMention(h.deps);
    await listener(mentionArgs(h, 'why 502 orders-api'));
    await listener(mentionArgs(h, 'why 502 orders-api', { retryNum: 1 }));
    await listener(mentionArgs(h, 'why 502 orders-api', { retryNum: 2 }));
    expect(h.queue.jobs).toHaveLength(1);
    expect(h.logs().filter((l) => l.msg === 'already taken (a Slack retry, or the other event of the same mention); ignored')).toHaveLength(2);
  });

  it('answers a redelivery of an event still being handled with an error, so that Slack delivers it again later', async () => {
    const h = harness({ eventsRedelivered: true });
    let release: () => void = () => undefined;
    h.queue.askImpl = () => new Promise((resolve) => (release = () => resolve({ jobId: 'why-abc-1', joined: false })));
    const listener = appMention(h.deps);
    const first = listener(mentionArgs(h, 'why 502 orders-api'));
    await new Promise((r) => setImmediate(r));
    await expect(listener(mentionArgs(h, 'why 502 orders-api', { retryNum: 1 }))).rejects.toThrow('is still being handled');
    release();
    await first;
    // Handled now: the next redelivery is dropped quietly.
    await expect(listener(mentionArgs(h, 'why 502 orders-api', { retryNum: 2 }))).resolves.toBeUndefined();
    expect(h.queue.jobs).toHaveLength(1);
    expect(h.client.posts).toHaveLength(0);
  });

  it('replies in the thread with usage and an example when the text is not a request', async () => {
    const h = harness();
    await appMention(h.deps)(mentionArgs(h, 'why'));
    expect(h.queue.jobs).toHaveLength(0);
    expect(h.client.posts).toHaveLength(1);
    expect(h.client.posts[0]).toMatchObject({ channel: CHANNEL, thread_ts: TS });
    expect(visibleText(h.client.posts[0])).toContain('Try:');
  });

  it('replies in the thread with the reason when the channel may not ask that', async () => {
    const permissions = parseChannelPermissions({ channels: { [CHANNEL]: { apis: ['payments-*'] } } }, '/etc/apigw.yaml');
    const h = harness({ permissions });
    await appMention(h.deps)(mentionArgs(h, 'why 502 orders-api'));
    expect(h.queue.jobs).toHaveLength(0);
    expect(h.client.posts[0]).toMatchObject({ channel: CHANNEL, thread_ts: TS });
    expect(visibleText(h.client.posts[0])).toContain('in this channel I may only investigate API payments-*');
  });

  it('tells the asker in the thread when the question joined a running investigation', async () => {
    const h = harness();
    h.queue.askImpl = () => Promise.resolve({ jobId: 'why-abc-1', joined: true });
    await appMention(h.deps)(mentionArgs(h, 'why 502 orders-api'));
    expect(h.client.posts).toHaveLength(1);
    expect(h.client.posts[0]!.text).toMatch(/^Already investigating 502s on orders-api .* — you'll get the same answer here\.$/);
  });

  it('looks up the asker time zone only for a clock time, and carries on without it', async () => {
    const lookups: string[] = [];
    const h = harness({ timeZoneOf: (user) => (lookups.push(user), Promise.resolve('Europe/Berlin')) });
    await appMention(h.deps)(mentionArgs(h, 'why 502 orders-api', { eventId: 'Ev1', ts: '1.1' }));
    expect(lookups).toEqual([]);
    await appMention(h.deps)(mentionArgs(h, 'why is orders-api throwing 504s since 9am?', { eventId: 'Ev2', ts: '1.2' }));
    expect(lookups).toEqual(['U0ASKER01']);
    expect(h.logs().filter((l) => l.msg === 'mention')[1]).toMatchObject({ timeZone: 'Europe/Berlin', user: 'U0ASKER01', channel: CHANNEL });
    const h2 = harness({ timeZoneOf: () => Promise.reject(new Error('users.info failed')) });
    await appMention(h2.deps)(mentionArgs(h2, 'why is orders-api throwing 504s since 9am?'));
    expect(h2.queue.jobs).toHaveLength(1);
  });

  describe('when Redis is down', () => {
    it('HTTP mode, nothing stored yet: rethrows so the event is not acked and Slack redelivers, telling the asker once', async () => {
      const h = harness({ eventsRedelivered: true });
      h.queue.failDedupe = redisDown();
      const listener = appMention(h.deps);
      await expect(listener(mentionArgs(h, 'why 502 orders-api'))).rejects.toBeInstanceOf(QueueUnavailableError);
      await expect(listener(mentionArgs(h, 'why 502 orders-api', { retryNum: 1 }))).rejects.toBeInstanceOf(QueueUnavailableError);
      expect(h.client.posts).toHaveLength(1);
      expect(h.client.posts[0]!.text).toContain('Could not queue the investigation: Redis at 127.0.0.1:6379 is unreachable');
      expect(h.client.posts[0]!.text).toContain('Slack will also deliver your message again');
      // The last retry: nothing more will come, so it is told and not thrown.
      await expect(listener(mentionArgs(h, 'why 502 orders-api', { retryNum: 3 }))).resolves.toBeUndefined();
      expect(h.client.posts).toHaveLength(2);
      expect(h.client.posts[1]!.text).not.toContain('Slack will also deliver');
    });

    it('Socket Mode (already acked): tells the asker in the thread and does not throw', async () => {
      const h = harness({ eventsRedelivered: false });
      h.queue.failDedupe = redisDown();
      await expect(appMention(h.deps)(mentionArgs(h, 'why 502 orders-api'))).resolves.toBeUndefined();
      expect(h.client.posts).toHaveLength(1);
      expect(h.client.posts[0]).toMatchObject({ channel: CHANNEL, thread_ts: TS });
      expect(h.client.posts[0]!.text).toContain('Could not queue the investigation: Redis at 127.0.0.1:6379 is unreachable');
    });

    it('when the claim cannot be taken back either: tells the asker (a redelivery would wait for the lease) and does not throw', async () => {
      const h = harness();
      h.queue.failForget = true;
      h.queue.askImpl = () => Promise.reject(new QueueUnavailableError('queue the investigation', '127.0.0.1:6379', new Error('Connection is closed.')));
      await expect(appMention(h.deps)(mentionArgs(h, 'why 502 orders-api'))).resolves.toBeUndefined();
      expect(h.client.posts[0]!.text).toBe('Could not queue the investigation: Redis at 127.0.0.1:6379 is unreachable (Connection is closed.); nothing was stored, try again in a minute');
    });

    it('after the event was remembered, in HTTP mode: takes the keys back and rethrows, so Slack’s redelivery is taken', async () => {
      const h = harness({ eventsRedelivered: true });
      h.queue.askImpl = () => Promise.reject(new QueueUnavailableError('queue the investigation', '127.0.0.1:6379', new Error('Connection is closed.')));
      await expect(appMention(h.deps)(mentionArgs(h, 'why 502 orders-api'))).rejects.toBeInstanceOf(QueueUnavailableError);
      expect(h.timeline.filter((t) => t.startsWith('forget:') || t.startsWith('confirm:'))).toEqual(['forget:Ev0MENTION1']);
      expect(h.client.posts[0]!.text).toContain('Slack will also deliver your message again');
    });

    it('a failing reply is logged, not thrown', async () => {
      const h = harness({ eventsRedelivered: false });
      h.queue.failDedupe = redisDown();
      h.client.fail = new Error('not_in_channel');
      await expect(appMention(h.deps)(mentionArgs(h, 'why 502 orders-api'))).resolves.toBeUndefined();
      expect(h.logs().map((l) => l.msg)).toContain('could not reply in the thread');
    });
  });
});

describe('message', () => {
  it('takes a mention that arrives as a message first; the app_mention of the same ts is then ignored', async () => {
    const h = harness();
    await message(h.deps)(messageArgs(h, `<@${BOT_USER_ID}> why 502 orders-api`));
    await appMention(h.deps)(mentionArgs(h, 'why 502 orders-api'));
    expect(h.queue.jobs).toHaveLength(1);
    expect(h.queue.jobs[0]).toMatchObject({ source: 'mention', asker: { threadTs: TS, messageTs: TS } });
    expect(h.logs().map((l) => l.msg)).toContain('already taken (a Slack retry, or the other event of the same mention); ignored');
  });

  it('and the other way round: app_mention first, then the message', async () => {
    const h = harness();
    await appMention(h.deps)(mentionArgs(h, 'why 502 orders-api'));
    await message(h.deps)(messageArgs(h, `<@${BOT_USER_ID}> why 502 orders-api`));
    expect(h.queue.jobs).toHaveLength(1);
  });

  it.each<[string, Partial<MessageArgs['event']>]>([
    ['an edit', { subtype: 'message_changed' }],
    ['a bot message', { subtype: 'bot_message', bot_id: 'B0OTHER01' }],
    ['a message from a bot user', { bot_id: 'B0OTHER01' }],
    ['a join', { subtype: 'channel_join' }],
    ['a message without a user', { user: undefined }],
  ])('ignores %s', async (_name, event) => {
    const h = harness();
    await message(h.deps)(messageArgs(h, `<@${BOT_USER_ID}> why 502 orders-api`, event));
    expect(h.timeline).toEqual([]);
  });

  it('ignores text that does not mention the bot', async () => {
    const h = harness();
    await message(h.deps)(messageArgs(h, 'why 502 orders-api, anyone? <@U0SOMEONE>'));
    expect(h.timeline).toEqual([]);
  });

  it('recognises both mention forms', () => {
    expect(mentions(`hey <@${BOT_USER_ID}> why`, BOT_USER_ID)).toBe(true);
    expect(mentions(`hey <@${BOT_USER_ID}|apigw-doctor> why`, BOT_USER_ID)).toBe(true);
    expect(mentions(`hey <@${BOT_USER_ID}2> why`, BOT_USER_ID)).toBe(false);
  });
});
