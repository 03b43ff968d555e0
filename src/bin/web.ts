#!/usr/bin/env node
/**
 * Composition root of the web process: Slack in (signed HTTP, or Socket Mode when SLACK_APP_TOKEN is
 * set), jobs out (BullMQ on Redis). The order below is the architecture: configuration, logger, who
 * the bot is (one `auth.test`), Redis, the Bolt app with its listeners, `/healthz`, start; SIGTERM
 * stops taking requests, then closes the queue and Redis.
 *
 * In HTTP mode `processBeforeResponse` holds each HTTP response until its listener has finished, so an
 * event is acknowledged only once its job is in Redis: a listener that fails (Redis down) answers 500
 * and Slack delivers the event again. Slash commands ack with their ephemeral answer at the same point.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver } from '@slack/bolt';
import { Queue } from 'bullmq';
import { WebClient } from '@slack/web-api';
import type { WebClientOptions } from '@slack/web-api';
import { register } from '../../handlers/slack';
import type { WebConfig } from '../config';
import { ConfigError, loadDotEnv, loadWebConfig } from '../config';
import { UserError } from '../errors';
import type { Logger } from '../logging';
import { boltLogLevel, createLogger, toBoltLogger } from '../logging';
import { describeRedis, producerConnection } from '../queue/connection';
import { healthHandler } from '../queue/health';
import { withTimeout } from '../with-timeout';
import { InvestigationQueue } from '../queue/investigations';
import { loadDigest, loadListing } from '../queue/listings';
import { DigestSchedule } from '../queue/digest-schedule';
import { INVESTIGATIONS_QUEUE } from '../queue/contracts';
import { loadThreadContext } from '../queue/thread-context';
import { VoteStore } from '../queue/votes';
import { warnAboutRedisSettings } from '../queue/redis-settings';
import { requestTimeProblem } from '../slack/request-time';

/** How long a mention may wait for the asker's time zone (`users.info`) before it is read in UTC. */
const TIME_ZONE_LOOKUP_MS = 1_000;
const TIME_ZONE_CACHE_MS = 6 * 3_600_000;

async function main(): Promise<void> {
  const dotenv = loadDotEnv();
  const config = loadWebConfig();
  const logger = createLogger({
    level: config.logLevel,
    base: { process: 'web' },
    secrets: [config.botToken, config.connection.mode === 'http' ? config.connection.signingSecret : config.connection.appToken],
  });
  if (dotenv === 'unsupported') logger.warn('.env is present but this Node has no util.parseEnv (Node 20.12+); set the variables in the environment instead');
  const boltLogger = toBoltLogger(logger);
  const clientOptions: WebClientOptions = {
    retryConfig: { retries: 2 },
    logger: boltLogger,
    ...(config.slackApiUrl !== undefined ? { slackApiUrl: config.slackApiUrl } : {}),
  };

  // Who the bot is, asked once; Bolt is then given the answer instead of asking again.
  const client = new WebClient(config.botToken, clientOptions);
  const identity = await whoAmI(client);
  logger.info({ botUserId: identity.botUserId, botId: identity.botId, team: identity.team, mode: config.connection.mode }, 'authenticated with Slack');

  const connection = producerConnection(config.redisUrl);
  // In the background: a Redis without AOF or noeviction is warned about, never waited for.
  warnAboutRedisSettings(connection, logger);
  const queue = new InvestigationQueue({ connection, prefix: config.queuePrefix, dedupeWindowS: config.dedupeWindowS });
  const serveHealth = healthHandler(connection, logger);

  const receiver =
    config.connection.mode === 'http'
      ? new HTTPReceiver({
          signingSecret: config.connection.signingSecret,
          endpoints: '/slack/events',
          processBeforeResponse: true,
          customRoutes: [{ path: '/healthz', method: ['GET'], handler: (_req, res) => void serveHealth(res) }],
          logger: boltLogger,
        })
      : undefined;
  if (receiver) refuseOutOfTimeRequests(receiver, logger);
  const app = new App({
    token: config.botToken,
    botId: identity.botId,
    botUserId: identity.botUserId,
    clientOptions,
    logger: boltLogger,
    logLevel: boltLogLevel(config.logLevel),
    // Conversation state is not used; its in-memory store would only grow.
    convoStore: false,
    ...(receiver ? { receiver } : { socketMode: true, appToken: config.connection.mode === 'socket' ? config.connection.appToken : '' }),
  });
  app.error((error) => {
    logger.error({ err: error }, 'listener failed');
    // Rethrown: in HTTP mode the request then answers 500 and Slack delivers the event again.
    return Promise.reject(error);
  });
  const zones = timeZoneLookup(app.client, logger);
  // The digest's scheduler lives on the jobs queue; the web process reschedules it when a setting changes.
  const jobsQueue = new Queue(INVESTIGATIONS_QUEUE, { connection, prefix: config.queuePrefix });
  jobsQueue.on('error', () => undefined);
  register(app, {
    queue,
    answers: {
      thread: (ref) => loadThreadContext(connection, config.queuePrefix, ref),
      listing: (channelId, ts) => loadListing(connection, config.queuePrefix, channelId, ts),
      digest: (channelId, ts) => loadDigest(connection, config.queuePrefix, channelId, ts),
    },
    digest: new DigestSchedule({ redis: connection, prefix: config.queuePrefix, defaults: config.digest, queue: jobsQueue }),
    votes: new VoteStore({ redis: connection, prefix: config.queuePrefix }),
    permissions: config.permissions,
    logger,
    now: () => new Date(),
    dedupeWindowS: config.dedupeWindowS,
    botUserId: identity.botUserId,
    eventsRedelivered: config.connection.mode === 'http',
    timeZoneOf: zones.lookup,
    knownTimeZoneOf: zones.known,
  });

  const started = await start(app, receiver, config, serveHealth);
  logger.info({ port: started.port, mode: config.connection.mode, redis: describeRedis(connection), queuePrefix: config.queuePrefix }, 'web ready');

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'web stopping');
    void (async () => {
      try {
        await app.stop();
        await new Promise<void>((resolve) => (started.healthServer ? started.healthServer.close(() => resolve()) : resolve()));
        await queue.close();
        await jobsQueue.close();
        await connection.quit().catch(() => connection.disconnect());
        logger.info('web stopped');
      } catch (e) {
        logger.error({ err: e }, 'web did not stop cleanly');
        process.exitCode = 1;
      } finally {
        logger.flush();
        // Keep-alive sockets and Redis' reconnect timer must not hold the process open.
        setTimeout(() => process.exit(), 100).unref();
      }
    })();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/**
 * Answers 401 to a request dated more than five minutes from now, either way, before Bolt sees it:
 * Bolt refuses only stale ones, so a captured request dated ahead could be replayed until then.
 * (Socket Mode has no such path: its events come over the app-token WebSocket, unsigned and undated.)
 */
function refuseOutOfTimeRequests(receiver: HTTPReceiver, logger: Logger): void {
  const bolts = receiver.requestListener;
  receiver.requestListener = (req, res) => {
    const problem = req.method === 'POST' ? requestTimeProblem(req.headers['x-slack-request-timestamp'], Date.now()) : undefined;
    if (problem === undefined) return bolts(req, res);
    logger.warn({ url: req.url, problem }, 'request refused: its signed date is too far from now (a replay, or a clock out of sync)');
    req.resume();
    res.writeHead(401, { 'content-type': 'text/plain' }).end('request timestamp out of range');
  };
}

/** `auth.test`: the bot's user id (to find mentions of it) and bot id (Bolt's `ignoreSelf`). */
async function whoAmI(client: WebClient): Promise<{ botUserId: string; botId: string; team?: string }> {
  let answer;
  try {
    answer = await client.auth.test();
  } catch (e) {
    const code = (e as { data?: { error?: unknown } }).data?.error;
    if (code === 'invalid_auth' || code === 'not_authed' || code === 'account_inactive' || code === 'token_revoked') {
      throw new ConfigError([`SLACK_BOT_TOKEN: Slack refused it (${code}); copy the Bot User OAuth Token again (OAuth & Permissions), or reinstall the app`]);
    }
    throw new Error(`could not reach Slack to check the bot token (auth.test): ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  if (typeof answer.user_id !== 'string' || typeof answer.bot_id !== 'string') {
    throw new ConfigError(['SLACK_BOT_TOKEN: auth.test did not name a bot user; use the Bot User OAuth Token (xoxb-…), not a user token']);
  }
  return { botUserId: answer.user_id, botId: answer.bot_id, ...(answer.team !== undefined ? { team: answer.team } : {}) };
}

interface Started {
  port: number;
  /** Socket Mode's separate `/healthz` server. */
  healthServer?: Server;
}

async function start(app: App, receiver: HTTPReceiver | undefined, config: WebConfig, serveHealth: (res: ServerResponse) => Promise<void>): Promise<Started> {
  if (receiver) {
    const server = await app.start(config.port);
    return { port: (server.address() as AddressInfo).port };
  }
  // Socket Mode needs no public URL; /healthz is still served on PORT for the platform's probes.
  const healthServer = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'GET' && (req.url === '/healthz' || req.url?.startsWith('/healthz?'))) void serveHealth(res);
    else res.writeHead(404, { 'content-type': 'application/json' }).end('{"ok":false,"error":"not found"}');
  });
  await new Promise<void>((resolve, reject) => {
    healthServer.once('error', reject);
    healthServer.listen(config.port, () => resolve());
  });
  await app.start();
  return { port: (healthServer.address() as AddressInfo).port, healthServer };
}

/**
 * The asker's time zone from `users.info`, cached per user. Looked up only for mentions that name a
 * clock time (see handle-mention), and given up on after a second: a mention is never held for it.
 */
function timeZoneLookup(client: WebClient, logger: Logger): { lookup: (userId: string) => Promise<string | undefined>; known: (userId: string) => string | undefined } {
  const cache = new Map<string, { tz: string | undefined; at: number }>();
  const known = (userId: string): string | undefined => {
    const hit = cache.get(userId);
    return hit && Date.now() - hit.at < TIME_ZONE_CACHE_MS ? hit.tz : undefined;
  };
  const lookup = async (userId: string): Promise<string | undefined> => {
    const hit = cache.get(userId);
    if (hit && Date.now() - hit.at < TIME_ZONE_CACHE_MS) return hit.tz;
    try {
      const info = await withTimeout(client.users.info({ user: userId }), TIME_ZONE_LOOKUP_MS, 'users.info took too long');
      const tz = info.user?.tz;
      if (cache.size > 10_000) cache.clear();
      cache.set(userId, { tz, at: Date.now() });
      return tz;
    } catch (e) {
      logger.debug({ err: e, user: userId }, 'users.info failed; reading times in UTC');
      return undefined;
    }
  };
  return { lookup, known };
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError) {
    process.stderr.write(`apigw-doctor web: bad configuration:\n${e.problems.map((p) => `  - ${p}`).join('\n')}\n(see .env.example)\n`);
    process.exitCode = 2;
  } else if (e instanceof UserError) {
    process.stderr.write(`apigw-doctor web: ${e.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`apigw-doctor web: could not start: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  }
  // Redis' reconnect timer would otherwise keep a failed start alive.
  setTimeout(() => process.exit(), 100).unref();
});
