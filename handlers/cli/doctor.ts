/**
 * `apigw-doctor doctor`: checks a real setup, one line each: the Slack token and its scopes, the
 * signing secret (or app token), Redis and its settings, AWS (one call of each read an investigation
 * makes) and the digest. Reads the same environment (and `.env`) as the web and worker processes; a
 * missing or bad setting is a ✗ line with its fix, not a crash. Exit 0 when nothing failed, else 1.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LogLevel, WebClient } from '@slack/web-api';
import type { DoctorProbes, SettingProblem, SlackAuth } from '../../src/collect/doctor';
import { manifestBotScopes, renderDoctor, runDoctor } from '../../src/collect/doctor';
import type { WebConfig, WorkerConfig } from '../../src/config';
import { ConfigError, loadDotEnv, loadWebConfig, loadWorkerConfig } from '../../src/config';
import { PACKAGE_ROOT } from '../../src/diagnosis/knowledge/load';
import { UsageError } from '../../src/errors';
import { producerConnection, whenReady } from '../../src/queue/connection';
import { DigestSchedule } from '../../src/queue/digest-schedule';
import { parseInfo, readRedisInfo } from '../../src/queue/redis-settings';
import { showControlsIn } from '../../src/render/show-controls';
import type { CliCommand } from './command';
import { AWS_OPTIONS, awsSelection, parseCommandLine } from './aws-args';

const usage = `Usage:
  apigw-doctor doctor [--api NAME] [--account A] [--region R] [--sandbox] [--json]

  Checks the setup the bot runs with (the environment and .env): the Slack token and its scopes, the
  signing secret or app token, Redis and its settings, one call of each AWS read an investigation makes,
  and the daily digest. Exit 0 when nothing failed, 1 otherwise.

  --api       the API whose stage the AWS reads use (name or id; default the first one found)
  --account   an account alias from APIGW_DOCTOR_CONFIG (default: its defaultAccount, else the default credentials)
  --region    default: the account's first Region, else AWS_REGION
  --sandbox   read the built-in sandbox account instead of AWS (also APIGW_DOCTOR_SANDBOX=1)
  --json      print the checks: [{id, title, ok, detail, fix}], ok true, false, "warn" or "skipped"`;

type Env = Record<string, string | undefined>;

/** Variables whose problem belongs to a check of its own rather than the Configuration lines. */
const OWNED: Record<string, 'slack' | 'connection' | 'redis' | 'digest'> = {
  SLACK_BOT_TOKEN: 'slack',
  SLACK_SIGNING_SECRET: 'connection',
  SLACK_APP_TOKEN: 'connection',
  REDIS_URL: 'redis',
  QUEUE_PREFIX: 'redis',
  DIGEST_CHANNEL: 'digest',
  DIGEST_CRON: 'digest',
  DIGEST_TZ: 'digest',
};
/** Stand-ins that let the loaders read everything else when a required value is missing or bad. */
const STAND_INS: Record<string, string> = { SLACK_BOT_TOKEN: 'xoxb-doctor', SLACK_SIGNING_SECRET: 'doctor' };

interface Settings {
  web: WebConfig;
  /** Problems by the variable they name. */
  problems: Map<string, string[]>;
}

/**
 * The web and worker settings, every problem kept: a variable with a problem is left out (its default
 * taken, or a stand-in when required) and read again, so one bad value does not hide the rest.
 */
function readSettings(env: Env): Settings {
  const problems = new Map<string, string[]>();
  const note = (e: unknown): void => {
    if (!(e instanceof ConfigError)) throw e;
    for (const p of e.problems) {
      const name = /^([A-Z_]+):/.exec(p)?.[1] ?? '';
      const list = problems.get(name) ?? [];
      if (!list.includes(p)) list.push(p);
      problems.set(name, list);
    }
  };
  const patched = (): Env => {
    const copy = { ...env };
    for (const name of problems.keys()) {
      copy[name] = STAND_INS[name];
      // The signing secret counts only when there is no app token, so a bad app token falls back to it.
      if (name === 'SLACK_APP_TOKEN') copy.SLACK_SIGNING_SECRET = STAND_INS.SLACK_SIGNING_SECRET;
    }
    return copy;
  };
  const attempt = <T>(load: (e: Env) => T): T | undefined => {
    try {
      return load(patched());
    } catch (e) {
      note(e);
      return undefined;
    }
  };
  let web: WebConfig | undefined;
  let worker: WorkerConfig | undefined;
  for (let i = 0; i < 4 && (web === undefined || worker === undefined); i++) {
    web ??= attempt((e) => loadWebConfig(e));
    worker ??= attempt((e) => loadWorkerConfig(e));
  }
  if (web === undefined) throw new ConfigError([...problems.values()].flat());
  return { web, problems };
}

export const doctorCommand: CliCommand = {
  name: 'doctor',
  summary: 'check the setup: Slack token and scopes, Redis, AWS permissions, digest: doctor [--api NAME]',
  usage,
  run: async (args, io, deps) => {
    const { values, positionals } = parseCommandLine('doctor', args, { ...AWS_OPTIONS, api: { type: 'string' } });
    if (positionals.length > 0) throw new UsageError(`doctor takes no arguments, got "${positionals.join(' ')}"; to read one API: apigw-doctor doctor --api ${positionals[0] ?? ''}`);
    // As the web and worker processes start: .env fills what the environment leaves unset (AWS settings too).
    loadDotEnv();
    // A copy for the loaders: readSettings reads it again with stand-ins for bad values, so every problem is seen.
    const env: Env = { ...deps.env() };
    const { web, problems } = readSettings(env);
    const owned = (check: string): SettingProblem | undefined => {
      const found = [...problems].filter(([name]) => OWNED[name] === check).flatMap(([, list]) => list);
      return found.length > 0 ? { problem: found.join('; ') } : undefined;
    };
    const configProblems = [...problems].filter(([name]) => OWNED[name] === undefined).flatMap(([, list]) => list);

    const redis = owned('redis') === undefined ? producerConnection(web.redisUrl, { connectTimeoutMs: 2_000 }) : undefined;
    const redisAddress = redisAddressOf(web.redisUrl);
    try {
      const probes: DoctorProbes = {
        slack: owned('slack') ?? (() => authTest(web)),
        ...(web.slackApiUrl !== undefined ? { slackApiUrl: web.slackApiUrl } : {}),
        ...manifestScopes(),
        connection: owned('connection') ?? { mode: web.connection.mode },
        redis: redis
          ? async () => {
              await whenReady(redis, 3_000);
              await redis.ping();
              const version = parseInfo(await redis.info('server')).get('redis_version');
              return { ...(version !== undefined ? { version } : {}), info: await readRedisInfo(redis) };
            }
          : owned('redis')!,
        redisAddress,
        digest:
          owned('digest') ??
          (() => {
            if (!redis) throw new Error('no Redis connection');
            // Only the settings are read; the scheduler is never touched.
            const unused = (): never => {
              throw new Error('doctor does not change the digest schedule');
            };
            return new DigestSchedule({ redis, prefix: web.queuePrefix, defaults: web.digest, queue: { upsertJobScheduler: unused, removeJobScheduler: unused, getJobScheduler: unused } }).settings();
          }),
        aws: () => deps.aws(awsSelection(values)),
        ...(values.api !== undefined ? { api: values.api } : {}),
        configProblems,
        now: deps.now(),
      };
      const checks = await runDoctor(probes);
      io.stdout(values.json ? `${JSON.stringify(checks, null, 2)}\n` : renderDoctor(showControlsIn(checks)));
      return checks.some((c) => c.ok === false) ? 1 : 0;
    } finally {
      redis?.disconnect();
    }
  },
};

/** auth.test, once (no retries), with the granted scopes from its `x-oauth-scopes` header. */
async function authTest(web: WebConfig): Promise<SlackAuth> {
  const client = new WebClient(web.botToken, {
    retryConfig: { retries: 0 },
    timeout: 10_000,
    logLevel: LogLevel.ERROR,
    ...(web.slackApiUrl !== undefined ? { slackApiUrl: web.slackApiUrl } : {}),
  });
  try {
    const r = await client.auth.test();
    return {
      ok: true,
      ...(r.team !== undefined ? { team: r.team } : {}),
      ...(r.team_id !== undefined ? { teamId: r.team_id } : {}),
      ...(r.user !== undefined ? { user: r.user } : {}),
      ...(r.user_id !== undefined ? { userId: r.user_id } : {}),
      ...(r.bot_id !== undefined ? { botId: r.bot_id } : {}),
      ...(r.response_metadata?.scopes !== undefined ? { scopes: r.response_metadata.scopes } : {}),
    };
  } catch (e) {
    // A platform error ({ok: false, error}) is Slack's answer; anything else (network) rejects.
    const error = (e as { code?: string; data?: { error?: unknown } }).data?.error;
    if ((e as { code?: string }).code === 'slack_webapi_platform_error' && typeof error === 'string') return { ok: false, error };
    throw e;
  }
}

/** The bot scopes of the repository's manifest.yml, when it can be read. */
function manifestScopes(): { manifestScopes?: string[] } {
  try {
    return { manifestScopes: manifestBotScopes(readFileSync(join(PACKAGE_ROOT, 'manifest.yml'), 'utf8')) };
  } catch {
    return {};
  }
}

/** `host:port` of a Redis URL, without its password. */
function redisAddressOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || '127.0.0.1'}:${u.port || '6379'}`;
  } catch {
    return 'REDIS_URL';
  }
}
