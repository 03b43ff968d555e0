/**
 * The worker's `/healthz` on HEALTH_PORT, as a container's health check sees it: 200 while Redis answers
 * and it takes jobs; 503 with the reason when Redis is gone; nothing served without HEALTH_PORT.
 */
import { randomUUID } from 'node:crypto';
import type { FakeSlack } from '../helpers/fake-slack';
import { startFakeSlack } from '../helpers/fake-slack';
import type { BotProcess } from '../helpers/processes';
import { freePort, startPrivateRedis, startProcess } from '../helpers/processes';
import { botEnv } from '../helpers/bot-env';

jest.setTimeout(60_000);

let slack: FakeSlack;
beforeAll(async () => {
  slack = await startFakeSlack();
});
afterAll(() => slack.close());

const health = async (port: number): Promise<{ status: number; body: unknown }> => {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`);
  return { status: res.status, body: await res.json() };
};

describe('the worker\'s /healthz', () => {
  let worker: BotProcess | undefined;
  afterEach(async () => {
    await worker?.stop('SIGKILL');
    worker = undefined;
  });

  it('answers 200 while Redis answers, then 503 naming Redis once it is gone', async () => {
    const redis = await startPrivateRedis();
    const port = await freePort();
    try {
      worker = startProcess('worker', botEnv({ slack, token: 'xoxb-health', secret: 'health-secret', prefix: `health${randomUUID().slice(0, 8)}`, port: 0 }, { REDIS_URL: redis.url, HEALTH_PORT: String(port) }));
      const ready = JSON.parse(await worker.waitForLine('worker ready')) as { healthPort?: number };
      expect(ready.healthPort).toBe(port);
      await expect(health(port)).resolves.toEqual({ status: 200, body: { ok: true, redis: 'ok', worker: 'taking jobs' } });
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404);
      await redis.stop();
      const down = await health(port);
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({ ok: false, redis: expect.stringMatching(/PONG|Redis|connect|closed/i) as unknown });
    } finally {
      await redis.stop();
    }
  });

  it('serves nothing without HEALTH_PORT', async () => {
    worker = startProcess('worker', botEnv({ slack, token: 'xoxb-health', secret: 'health-secret', prefix: `health${randomUUID().slice(0, 8)}`, port: 0 }));
    const ready = JSON.parse(await worker.waitForLine('worker ready')) as { healthPort?: number };
    expect(ready.healthPort).toBeUndefined();
  });

  it('a bad HEALTH_PORT is named at start, and the worker exits 2', async () => {
    worker = startProcess('worker', botEnv({ slack, token: 'xoxb-health', secret: 'health-secret', prefix: 'health-bad', port: 0 }, { HEALTH_PORT: 'http' }));
    const line = await worker.waitForLine('HEALTH_PORT');
    expect(line).toMatch(/HEALTH_PORT: expected a TCP port/);
    const child = worker.child;
    const code = child.exitCode ?? (await new Promise<number | null>((resolve) => child.once('exit', resolve)));
    expect(code).toBe(2);
  });
});
