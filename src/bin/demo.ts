#!/usr/bin/env node
/**
 * Composition root of `npm run demo`: a Slack channel in the browser, answered by the real bot on the
 * sandbox account. In order: settings, a Redis (REDIS_URL, or a private redis-server), the local Slack
 * workspace (Web API and response URLs), the built web and worker processes pointed at it, and the page
 * on 127.0.0.1:DEMO_PORT. Ctrl+C stops all of it.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadDemoConfig } from '../config';
import { BotProcess } from '../demo/bot-process';
import { ChannelPage } from '../demo/channel-page';
import { findOrStartRedis, NoRedisError } from '../demo/local-redis';
import type { LocalRedis } from '../demo/local-redis';
import { Workspace } from '../demo/workspace';

const READY_TIMEOUT_MS = 60_000;
const YOU = { id: 'U0YOU00001', name: 'you' };

const say = (line: string): void => void process.stdout.write(`${line}\n`);
const complain = (line: string): void => void process.stderr.write(`${line}\n`);

async function main(): Promise<number> {
  const started = Date.now();
  // Ctrl+C at any moment, during the start too, stops whatever has been started.
  const interrupted = new Promise<'interrupted'>((resolve) => {
    process.once('SIGINT', () => resolve('interrupted'));
    process.once('SIGTERM', () => resolve('interrupted'));
  });
  const config = loadDemoConfig();

  let redis: LocalRedis;
  try {
    const found = await Promise.race([findOrStartRedis(config.redisUrl), interrupted]);
    if (found === 'interrupted') return 130;
    redis = found;
  } catch (e) {
    complain(e instanceof NoRedisError ? e.message : `Could not start a Redis for the demo: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }

  const workspace = new Workspace();
  await workspace.start();
  const signingSecret = randomBytes(16).toString('hex');
  // The page's port first: a taken DEMO_PORT is said before anything else is started.
  const page = new ChannelPage({ workspace, signingSecret, you: YOU, hosts: config.hosts });
  let url: string;
  try {
    url = await page.start(config.port);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    complain(code === 'EADDRINUSE' ? `DEMO_PORT ${config.port} is taken: set DEMO_PORT to a free port (DEMO_PORT=0 picks one)` : `The demo could not serve its page: ${e instanceof Error ? e.message : String(e)}`);
    await workspace.stop();
    await redis.stop();
    return 1;
  }
  const folder = mkdtempSync(join(tmpdir(), 'apigw-doctor-demo-'));
  const logPath = join(folder, 'bot.log');
  const log = createWriteStream(logPath, { flags: 'a' });
  // Only what the demo sets: a real token or Slack App token in the caller's environment or .env is
  // never used (the processes run in an empty folder, so no .env is read).
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? folder,
    SLACK_BOT_TOKEN: 'xoxb-demo-local-workspace',
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: workspace.apiUrl,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: config.queuePrefix,
    PORT: '0',
    APIGW_DOCTOR_SANDBOX: '1',
    SANDBOX_LATENCY_MS: String(config.sandboxLatencyMs),
    LOG_LEVEL: config.logLevel,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const web = new BotProcess('web', join(__dirname, 'web.js'), { cwd: folder, env, log });
  const worker = new BotProcess('worker', join(__dirname, 'worker.js'), { cwd: folder, env, log });
  const stopAll = async (): Promise<void> => {
    await page.stop();
    await Promise.all([web.stop(), worker.stop()]);
    await workspace.stop();
    await redis.stop();
    log.end();
  };

  try {
    const ready = await Promise.race([Promise.all([web.waitForLine(/"msg":"web ready"/, READY_TIMEOUT_MS), worker.waitForLine(/"msg":"worker ready"/, READY_TIMEOUT_MS)]), interrupted]);
    if (ready === 'interrupted') {
      await stopAll();
      return 130;
    }
    const [webReady] = ready;
    const webPort = (JSON.parse(webReady) as { port?: number }).port;
    if (typeof webPort !== 'number') throw new Error(`web said it was ready without its port: ${webReady}`);
    page.connect(`http://127.0.0.1:${webPort}`);
    say(`apigw-doctor demo: ${url}   (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
    say(`  a local Slack channel, answered by the real web and worker processes on the sandbox AWS account`);
    say(`  Redis: ${redis.private ? `a private redis-server at ${redis.url} (nothing answered at ${config.redisUrl}; it stops with the demo)` : redis.url} · key prefix ${config.queuePrefix}`);
    say(`  the bot's logs: ${logPath}`);
    say('  Ctrl+C stops everything.');
  } catch (e) {
    complain(`The demo could not start: ${e instanceof Error ? e.message : String(e)}`);
    for (const p of [web, worker]) if (p.lastLines().length > 0) complain(`last lines of ${p.name}:\n  ${p.lastLines().join('\n  ')}`);
    complain(`all of their logs: ${logPath}`);
    await stopAll();
    return 1;
  }

  const unexpectedExit = Promise.race(
    [web, worker].map(async (p) => {
      const code = await p.whenExited();
      return { name: p.name, code, lines: p.lastLines() };
    }),
  );
  const ended = await Promise.race([interrupted, unexpectedExit]);
  if (ended !== 'interrupted') complain(`${ended.name} stopped unexpectedly (code ${String(ended.code)}); stopping the demo. Its last lines:\n  ${ended.lines.join('\n  ')}\nall of the logs: ${logPath}`);
  await stopAll();
  return ended === 'interrupted' ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    complain(e instanceof ConfigError ? e.message : `The demo failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(e instanceof ConfigError ? 2 : 1);
  },
);
