#!/usr/bin/env node
/**
 * Composition root of the worker process (Procfile `worker`): configuration, logging, the knowledge
 * base, Redis, Slack and AWS (or the sandbox) wired into the investigation job handler, run by a
 * BullMQ worker. The order below is the architecture: nothing is started before everything it
 * needs has been checked, and SIGTERM/SIGINT let the running investigations finish before exit 0.
 *
 *   REDIS_URL=redis://127.0.0.1:6379 SLACK_BOT_TOKEN=xoxb-… [APIGW_DOCTOR_SANDBOX=1] node dist/src/bin/worker.js
 *
 * Settings (src/config.ts `loadWorkerConfig`): SLACK_BOT_TOKEN (required), SLACK_API_URL, REDIS_URL,
 * QUEUE_PREFIX, WORKER_CONCURRENCY, WORKER_LOCK_MS, WORKER_STALLED_INTERVAL_MS, DEDUPE_WINDOW_S,
 * LOG_LEVEL, KNOWLEDGE_DIRS, APIGW_DOCTOR_CONFIG, APIGW_DOCTOR_SANDBOX, SANDBOX_LATENCY_MS, AWS_REGION,
 * COLLECTOR_TIMEOUT_MS. A `.env` file in the working directory is loaded first.
 */
// The AWS SDK warns on every start that its 2027 releases need Node 22; once per deploy is noise.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { createServer } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue, QueueEvents, Worker } from 'bullmq';
import type { Job } from 'bullmq';
import type { AwsAccessForJob, DigestTarget, WorkerDeps } from '../../handlers/jobs';
import { STALLED_REASON, jobHandlers, reportAbandoned, runJob, sweepAbandoned } from '../../handlers/jobs';
import { chooseAccount } from '../collect/accounts';
import { AccountLimiters, createAwsPorts } from '../collect/adapters/aws/create-ports';
import { NodeDns } from '../collect/adapters/dns/dns';
import type { AwsPorts } from '../collect/ports';
import type { InvestigationConfig } from '../config';
import { loadDotEnv, loadWorkerConfig } from '../config';
import { loadKnowledge } from '../diagnosis/knowledge/load';
import { UsageError } from '../errors';
import { createLogger } from '../logging';
import type { Logger } from '../logging';
import { workerConnection } from '../queue/connection';
import type { JobData, Question } from '../queue/contracts';
import { DigestSchedule } from '../queue/digest-schedule';
import { INVESTIGATIONS_QUEUE } from '../queue/contracts';
import { healthHandler } from '../queue/health';
import { warnAboutRedisSettings } from '../queue/redis-settings';
import { SlackPoster } from '../slack/poster';

/**
 * AWS for one question, as the CLI builds it: the sandbox when APIGW_DOCTOR_SANDBOX is set, otherwise
 * the account and Region the question names (or the defaults). One set of rate limiters serves the
 * whole process, so concurrent investigations of an account share its API Gateway quota.
 */
function awsFactory(config: InvestigationConfig, now: () => Date): (question: Pick<Question, 'account' | 'region'>) => Promise<AwsAccessForJob> {
  const limiters = new AccountLimiters();
  const dns = new NodeDns();
  const { collectorTimeoutMs } = config;
  return async (question) => {
    if (config.sandbox) return { ports: await sandboxPorts(now(), question.region, config.sandboxLatencyMs), collectorTimeoutMs };
    // chooseAccount throws a UsageError for an unknown alias or a missing Region: the asker is told.
    const { account, region } = chooseAccount(config.accounts, { ...(question.account !== undefined ? { account: question.account } : {}), ...(question.region !== undefined ? { region: question.region } : {}) }, config.awsRegion);
    return { ports: createAwsPorts({ region, ...(account ? { account } : {}), dns, limiters }), ...(account ? { account: account.alias } : {}), collectorTimeoutMs };
  };
}

/**
 * What the digest reads: every Region of every configured account, else the default credentials in
 * AWS_REGION (the sandbox: its one account). An account that cannot be set up is a part the digest says
 * it could not read; the others still count.
 */
function digestTargetsFactory(config: InvestigationConfig, now: () => Date): WorkerDeps['digestTargets'] {
  const limiters = new AccountLimiters();
  const dns = new NodeDns();
  return async () => {
    if (config.sandbox) return { targets: [{ ports: await sandboxPorts(now(), undefined, config.sandboxLatencyMs) }], unreadable: [] };
    const targets: DigestTarget[] = [];
    const unreadable: { account?: string; region: string; reason: string; fix: string }[] = [];
    const accounts = [...config.accounts.accounts.values()];
    if (accounts.length === 0) {
      if (config.awsRegion === undefined) unreadable.push({ region: 'no Region', reason: 'no Region to read', fix: 'set AWS_REGION, or list accounts and their regions in APIGW_DOCTOR_CONFIG' });
      else targets.push({ ports: createAwsPorts({ region: config.awsRegion, dns, limiters }) });
    }
    for (const account of accounts) {
      for (const region of account.regions) targets.push({ account: account.alias, ports: createAwsPorts({ region, account, dns, limiters }) });
    }
    return { targets, unreadable };
  };
}

/** The sandbox account as it is at `now`, answered through the real SDK clients and adapters. */
async function sandboxPorts(now: Date, region: string | undefined, latencyMs: number): Promise<AwsPorts> {
  const [{ sandboxPorts: portsOf }, { sandboxWorld }] = await Promise.all([import('../collect/adapters/sandbox-ports'), import('../collect/adapters/sandbox/sandbox-world')]);
  const world = sandboxWorld(now);
  if (region !== undefined && region !== world.region) throw new UsageError(`the sandbox has one Region, ${world.region}; ask without a Region`);
  if (latencyMs > 0) world.latencyMs = latencyMs;
  return portsOf(world).ports;
}

async function main(): Promise<void> {
  const dotEnv = loadDotEnv();
  const config = loadWorkerConfig();
  const logger: Logger = createLogger({ level: config.logLevel, secrets: [config.botToken], base: { process: 'worker' } });
  if (dotEnv === 'unsupported') logger.warn('.env found but this Node cannot load it (needs 20.12+); set the variables in the environment');

  const knowledge = loadKnowledge(config.knowledgeDirs);
  for (const w of knowledge.warnings) logger.warn({ component: 'knowledge' }, w);

  const connection = workerConnection(config.redisUrl);
  // In the background: a Redis without AOF or noeviction is warned about, never waited for.
  warnAboutRedisSettings(connection, logger);
  connection.on('error', (e: Error) => logger.warn({ err: e }, 'Redis connection error'));
  const poster = new SlackPoster({ token: config.botToken, ...(config.slackApiUrl !== undefined ? { slackApiUrl: config.slackApiUrl } : {}), logger: logger.child({ component: 'slack' }) });
  const now = (): Date => new Date();
  const jobs = new Queue<JobData>(INVESTIGATIONS_QUEUE, { connection, prefix: config.queuePrefix });
  const digestSchedule = new DigestSchedule({ redis: connection, prefix: config.queuePrefix, defaults: config.digest, queue: jobs });
  const deps: WorkerDeps = {
    poster,
    aws: awsFactory(config.investigation, now),
    knowledge,
    permissions: config.permissions,
    redis: connection,
    prefix: config.queuePrefix,
    now,
    logger: logger.child({ component: 'investigate' }),
    digestSchedule,
    digestTargets: digestTargetsFactory(config.investigation, now),
  };

  const handlers = jobHandlers(deps);
  const worker = new Worker<JobData>(
    INVESTIGATIONS_QUEUE,
    async (job: Job<JobData>) => runJob(handlers, job),
    {
      connection,
      prefix: config.queuePrefix,
      concurrency: config.concurrency,
      lockDuration: config.lockMs,
      stalledInterval: config.stalledIntervalMs,
      // A job whose worker died twice is failed rather than taken up forever.
      maxStalledCount: 2,
    },
  );
  worker.on('error', (e) => logger.error({ err: e }, 'worker error'));
  // A job failed for stalling too often (its workers died mid-investigation more than twice) never reaches
  // the handler's own failure path: end it here. The worker whose stalled check failed it says so
  // ('failed'), other workers hear it through the queue's events, and a sweep at start and every few
  // stalled intervals finds those failed while no worker was listening.
  const abandonedReason = 'the workers running it stopped in the middle more than twice';
  const reportLater = (job: Job<JobData> | undefined, jobId: string | undefined): void => {
    const found = job ? Promise.resolve(job) : jobId !== undefined ? jobs.getJob(jobId) : Promise.resolve(undefined);
    found.then((j) => (j ? reportAbandoned(j, deps, abandonedReason) : undefined)).catch((err: unknown) => logger.error({ err, jobId }, 'could not report the abandoned investigation'));
  };
  worker.on('failed', (job, e) => {
    logger.warn({ jobId: job?.id, attemptsMade: job?.attemptsMade, err: e }, 'job failed');
    if (STALLED_REASON.test(e.message)) reportLater(job, job?.id);
  });
  const events = new QueueEvents(INVESTIGATIONS_QUEUE, { connection: workerConnection(config.redisUrl), prefix: config.queuePrefix });
  // Without listeners BullMQ prints these errors raw among the JSON lines; the connection's own are logged above.
  events.on('error', (e) => logger.debug({ err: e, component: 'queue-events' }, 'queue events connection error'));
  jobs.on('error', (e) => logger.debug({ err: e, component: 'queue' }, 'queue connection error'));
  events.on('failed', ({ jobId, failedReason }) => {
    if (STALLED_REASON.test(failedReason)) reportLater(undefined, jobId);
  });
  const sweep = (): void => {
    sweepAbandoned(jobs, deps)
      .then((n) => (n > 0 ? logger.info({ ended: n }, 'ended investigations abandoned while no worker was listening') : undefined))
      .catch((err: unknown) => logger.warn({ err }, 'could not look for abandoned investigations'));
  };
  const sweeper = setInterval(sweep, Math.max(5 * config.stalledIntervalMs, 10_000));
  sweeper.unref();
  worker.on('stalled', (jobId) => logger.warn({ jobId }, 'job stalled; it will be taken up again'));

  let stopping = false;
  // HEALTH_PORT: /healthz says whether Redis answers and this worker takes jobs (not while stopping).
  const health = config.healthPort !== undefined ? await serveHealth(config.healthPort, healthHandler(connection, logger, () => (stopping ? 'stopping' : worker.isRunning() ? undefined : 'not running'))) : undefined;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting without waiting; running jobs will be recovered as stalled');
      process.exit(1);
    }
    stopping = true;
    clearInterval(sweeper);
    health?.close();
    // With Redis gone, running jobs cannot finish (nor be waited for): they are recovered as stalled.
    const force = connection.status !== 'ready';
    logger.info({ signal, force }, force ? 'stopping at once: Redis is not reachable' : 'stopping: letting running investigations finish');
    // Closing BullMQ's connections can itself wait on Redis: do not outlive that by much.
    if (force) setTimeout(() => process.exit(1), 2_000).unref();
    void worker
      .close(force)
      .then(() => Promise.all([events.close(), jobs.close()]))
      .then(async () => {
        if (force) connection.disconnect();
        else await connection.quit();
      })
      .then(
        () => {
          logger.info('worker stopped');
          process.exit(0);
        },
        (e: unknown) => {
          logger.error({ err: e }, 'worker did not stop cleanly');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  await worker.waitUntilReady();
  sweep();
  // The digest's schedule as the settings say (Slack's changes win over the environment); every worker
  // applies it, and upserting the same scheduler is idempotent.
  try {
    const next = await digestSchedule.apply();
    const s = await digestSchedule.settings();
    logger.info({ channel: s.channel, cron: s.cron, tz: s.tz, enabled: s.enabled, source: s.source, next: next?.toISOString() }, next ? 'digest scheduled' : s.enabled ? 'no digest: no channel set (DIGEST_CHANNEL, or /apigw digest here)' : 'no digest: turned off in Slack');
  } catch (e) {
    logger.error({ err: e }, 'could not schedule the digest');
  }
  logger.info({ queue: INVESTIGATIONS_QUEUE, prefix: config.queuePrefix, concurrency: config.concurrency, sandbox: config.investigation.sandbox, ...(health ? { healthPort: (health.address() as AddressInfo).port } : {}) }, 'worker ready');
}

/** `/healthz` on `port` (0: a free one), nothing else; resolves once it listens. */
async function serveHealth(port: number, handle: (res: ServerResponse) => Promise<void>): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method === 'GET' && (req.url ?? '').split('?')[0] === '/healthz') return void handle(res);
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"ok":false,"error":"only GET /healthz here"}');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve());
  });
  return server;
}

main().catch((e: unknown) => {
  // Configuration problems are one line for a person; anything else is a defect.
  const message = e instanceof UsageError ? e.message : `internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
  process.stderr.write(`${JSON.stringify({ level: 'fatal', time: new Date().toISOString(), process: 'worker', msg: message })}\n`);
  process.exit(e instanceof UsageError ? 2 : 1);
});
