/**
 * The demo's workspace answers the Web API as Slack does, to the real Web API client the bot uses, and
 * routes response_url answers: ephemeral to their user, in the channel, or replacing an ephemeral message.
 */
import { WebClient } from '@slack/web-api';
import { Workspace } from '../../src/demo/workspace';

let workspace: Workspace;
let client: WebClient;

beforeEach(async () => {
  workspace = new Workspace();
  await workspace.start();
  client = new WebClient('xoxb-demo', { slackApiUrl: workspace.apiUrl, retryConfig: { retries: 0 } });
});
afterEach(() => workspace.stop());

const C = 'C0DEMO0001';

describe('the demo workspace', () => {
  it('posts, replies in threads and edits, telling listeners each time', async () => {
    let changes = 0;
    workspace.onChange(() => changes++);
    const root = await client.chat.postMessage({ channel: C, text: 'Investigating…' });
    const reply = await client.chat.postMessage({ channel: C, thread_ts: root.ts!, text: 'findings', blocks: [{ type: 'divider' }] });
    await client.chat.update({ channel: C, ts: root.ts!, text: 'verdict' });
    expect(workspace.all().map((m) => [m.text, m.threadTs, m.edits])).toEqual([
      ['verdict', undefined, 1],
      ['findings', root.ts, 0],
    ]);
    expect(workspace.find(reply.ts!)?.blocks).toEqual([{ type: 'divider' }]);
    expect(Number(reply.ts)).toBeGreaterThan(Number(root.ts));
    expect(changes).toBe(3);
  });

  it('answers errors as Slack does: unknown channel, unknown message, someone else\'s message, unknown method', async () => {
    await expect(client.chat.postMessage({ channel: 'C0OTHER', text: 'x' })).rejects.toMatchObject({ data: { error: 'channel_not_found' } });
    await expect(client.chat.update({ channel: C, ts: '1.000001', text: 'x' })).rejects.toMatchObject({ data: { error: 'message_not_found' } });
    const mine = workspace.post({ channel: C, user: 'U0YOU00001', text: 'hello' });
    await expect(client.chat.update({ channel: C, ts: mine.ts, text: 'x' })).rejects.toMatchObject({ data: { error: 'cant_update_message' } });
    await expect(client.apiCall('reactions.add', { channel: C })).rejects.toMatchObject({ data: { error: 'unknown_method' } });
  });

  it('says who the bot is, and each person\'s time zone', async () => {
    await expect(client.auth.test()).resolves.toMatchObject({ ok: true, user_id: 'U0BOTDOC1' });
    workspace.person('U0YOU00001', 'you', 'Europe/Berlin');
    await expect(client.users.info({ user: 'U0YOU00001' })).resolves.toMatchObject({ user: { tz: 'Europe/Berlin' } });
  });

  it('keeps an ephemeral message for its user, in its thread', async () => {
    const root = workspace.post({ channel: C, user: 'U0YOU00001', text: 'why?' });
    await client.chat.postEphemeral({ channel: C, user: 'U0YOU00001', thread_ts: root.ts, text: 'only you' });
    expect(workspace.all()[1]).toMatchObject({ text: 'only you', ephemeralFor: 'U0YOU00001', threadTs: root.ts });
  });

  it('routes response_url answers: ephemeral by default, in_channel when asked, replacing the ephemeral it came from', async () => {
    const url = workspace.responseUrl({ channel: C, user: 'U0YOU00001' });
    const post = (body: unknown): Promise<Response> => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post({ text: 'queued' })).status).toBe(200);
    expect((await post({ response_type: 'in_channel', text: 'for all' })).status).toBe(200);
    expect(workspace.all().map((m) => [m.text, m.ephemeralFor])).toEqual([
      ['queued', 'U0YOU00001'],
      ['for all', undefined],
    ]);
    const asked = workspace.all()[0]!;
    const fromClick = workspace.responseUrl({ channel: C, user: 'U0YOU00001', originalTs: asked.ts });
    await fetch(fromClick, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ replace_original: true, text: 'answered' }) });
    expect(workspace.find(asked.ts)).toMatchObject({ text: 'answered', edits: 1 });
    expect((await fetch(`${url.slice(0, url.lastIndexOf('/'))}/nope`, { method: 'POST', body: '{}' })).status).toBe(404);
  });
});
