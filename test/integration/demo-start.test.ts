/**
 * How `npm run demo` finds its Redis and says what is wrong: it uses REDIS_URL when it answers, starts a
 * private redis-server from PATH when nothing answers there (and stops it on Ctrl+C), says in one line how
 * to get one when there is none, and names DEMO_PORT when that port is taken.
 */
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { startDemo } from '../helpers/demo';
import { freePort } from '../helpers/processes';

jest.setTimeout(60_000);

const prefix = (): string => `demo-start-${randomUUID().slice(0, 8)}`;

async function ask(url: string, text: string): Promise<void> {
  const res = await fetch(`${url}/send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
  expect(res.status).toBe(200);
}

/** The status of GET /state sent with another Host header (fetch cannot set one). */
function statusWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/state`, { headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

async function waitForAnswer(url: string, pattern: RegExp): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const view = (await (await fetch(`${url}/state`)).json()) as { messages: { html: string; ephemeral: boolean }[] };
    if (view.messages.some((m) => !m.ephemeral && pattern.test(m.html))) return;
    if (Date.now() > deadline) throw new Error(`no answer matching ${String(pattern)}: ${JSON.stringify(view.messages.map((m) => m.html.slice(0, 120)))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('npm run demo: its Redis', () => {
  it('uses REDIS_URL when it answers, under its own key prefix', async () => {
    const keys = prefix();
    const demo = startDemo({ DEMO_PORT: '0', REDIS_URL: 'redis://127.0.0.1:6379', QUEUE_PREFIX: keys, SANDBOX_LATENCY_MS: '0' });
    try {
      const url = await demo.url;
      expect(demo.output()).toContain(`Redis: redis://127.0.0.1:6379 · key prefix ${keys}`);
      // Only its own address: a name rebound to 127.0.0.1 by another site is refused.
      expect(await statusWithHost(url, 'attacker.example')).toBe(421);
      expect(await statusWithHost(url, 'localhost')).toBe(200);
      expect(await statusWithHost(url, 'devbox.example:443')).toBe(421);
      await ask(url, '/apigw why 502 orders-api');
      await waitForAnswer(url, /Likely cause/);
      const redis = new Redis('redis://127.0.0.1:6379');
      expect((await redis.keys(`${keys}:*`)).length).toBeGreaterThan(0);
      redis.disconnect();
    } finally {
      expect(await demo.stop()).toBe(0);
    }
  });

  it('starts a private redis-server when nothing answers at REDIS_URL, and stops it on Ctrl+C', async () => {
    const dead = await freePort();
    const demo = startDemo({ DEMO_PORT: '0', REDIS_URL: `redis://127.0.0.1:${dead}`, SANDBOX_LATENCY_MS: '0', DEMO_HOSTS: 'devbox.example' });
    let privateUrl: string | undefined;
    try {
      const url = await demo.url;
      privateUrl = /a private redis-server at (redis:\/\/127\.0\.0\.1:\d+)/.exec(demo.output())?.[1];
      expect(privateUrl).toBeDefined();
      expect(demo.output()).toContain(`nothing answered at redis://127.0.0.1:${dead}`);
      // DEMO_HOSTS lets a forwarded port's name in.
      expect(await statusWithHost(url, 'devbox.example:443')).toBe(200);
      await ask(url, '/apigw why 502 orders-api');
      await waitForAnswer(url, /Likely cause/);
    } finally {
      expect(await demo.stop()).toBe(0);
    }
    const probe = new Redis(privateUrl!, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    await expect(probe.connect()).rejects.toThrow();
    probe.disconnect();
  });

  it('says in one line how to get a Redis when none answers and none is on PATH', async () => {
    const dead = await freePort();
    // PATH holds an empty folder: no redis-server (the demo starts node by its own path).
    const demo = startDemo({ DEMO_PORT: '0', REDIS_URL: `redis://127.0.0.1:${dead}`, PATH: mkdtempSync(join(tmpdir(), 'no-redis-')) });
    expect(await demo.exited).toBe(1);
    const lines = demo.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/No Redis answers at redis:\/\/127\.0\.0\.1:\d+ and there is no redis-server on PATH: install one \(Debian\/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis\) or set REDIS_URL/);
  });
});

describe('npm run demo: bad settings', () => {
  it('names DEMO_PORT when the port is taken', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const demo = startDemo({ DEMO_PORT: String(port), REDIS_URL: 'redis://127.0.0.1:6379', QUEUE_PREFIX: prefix() });
      expect(await demo.exited).toBe(1);
      expect(demo.output()).toContain(`DEMO_PORT ${port} is taken: set DEMO_PORT to a free port (DEMO_PORT=0 picks one)`);
    } finally {
      server.close();
    }
  });

  it('says what is wrong with a bad DEMO_PORT, and exits 2', async () => {
    const demo = startDemo({ DEMO_PORT: 'eighty' });
    expect(await demo.exited).toBe(2);
    expect(demo.output()).toMatch(/DEMO_PORT/);
  });
});
