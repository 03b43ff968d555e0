/**
 * `apigw-doctor doctor`: a self-check of a real setup. Each check is one line, passed or failed with
 * what to do: the Slack token and its scopes, how Slack reaches the web process, Redis and its
 * production settings, AWS (one call of each read an investigation makes, against one API stage) and
 * the daily digest. Pure over the injected probes: it reads no environment and opens no connection.
 */
import { parse as parseYaml } from 'yaml';
import type { DigestSettings } from '../queue/digest-schedule';
import { describeSchedule } from '../queue/digest-schedule';
import type { RedisInfo } from '../queue/redis-settings';
import { redisSettingProblems } from '../queue/redis-settings';
import { AwsCallError } from './call-aws';
import { toSkipped, within } from './failures';
import { stageCountQueries } from './list-apis';
import { executionLogGroup, logGroupFromArn } from './log-queries';
import type { ApiSummary, AwsPorts, StageInfo } from './ports';
import { lambdaTargetOf, shortName } from './routes';

export interface DoctorCheck {
  id: string;
  title: string;
  /** true ✓, false ✗, 'warn' works but should be fixed, 'skipped' could not be checked (detail says why). */
  ok: boolean | 'warn' | 'skipped';
  detail: string;
  fix?: string;
}

/** A setting missing or wrong before a probe could run (`SLACK_BOT_TOKEN: missing; …`). */
export interface SettingProblem {
  problem: string;
}

/** What `auth.test` answered. */
export type SlackAuth =
  | { ok: true; team?: string; teamId?: string; user?: string; userId?: string; botId?: string; url?: string; scopes?: readonly string[] }
  | { ok: false; error: string };

export interface RedisProbeResult {
  version?: string;
  info: RedisInfo;
}

export interface DoctorProbes {
  /** auth.test with the bot token (rejects when Slack cannot be reached), or the token's setting problem. */
  slack: (() => Promise<SlackAuth>) | SettingProblem;
  /** Where the Web API is (`SLACK_API_URL`, else Slack's), for the messages. */
  slackApiUrl?: string;
  /** The bot scopes of the app manifest; undefined when it could not be read. */
  manifestScopes?: readonly string[];
  /** How Slack reaches the web process: the signing secret or app token is set, or what is wrong. */
  connection: { mode: 'http' | 'socket' } | SettingProblem;
  /** PING, the server version and INFO persistence/memory (rejects when Redis cannot be reached), or REDIS_URL's problem. */
  redis: (() => Promise<RedisProbeResult>) | SettingProblem;
  /** The Redis address without a password (`127.0.0.1:6379`). */
  redisAddress: string;
  /** The digest settings in force (read from Redis), or a DIGEST_* problem. Run only when Redis answered. */
  digest: (() => Promise<DigestSettings>) | SettingProblem;
  /** The AWS ports (rejects on a bad account, Region or setting), and whether they are the sandbox's. */
  aws: () => Promise<{ ports: AwsPorts; sandbox: boolean }>;
  /** `--api`: the API to read (name or id); default the first one found. */
  api?: string;
  /** Other configuration problems, one ✗ line each. */
  configProblems?: readonly string[];
  now: Date;
  /** Time each AWS read may take. Default 20 s. */
  timeoutMs?: number;
}

/** The bot scopes (`oauth_config.scopes.bot`) of an app manifest's YAML text. */
export function manifestBotScopes(yamlText: string): string[] {
  const doc = parseYaml(yamlText) as { oauth_config?: { scopes?: { bot?: unknown } } } | null;
  const bot = doc?.oauth_config?.scopes?.bot;
  return Array.isArray(bot) ? bot.filter((s): s is string => typeof s === 'string') : [];
}

const isProblem = (p: unknown): p is SettingProblem => typeof p === 'object' && p !== null && 'problem' in p;
const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));
/** A config problem as detail and fix: `NAME: what; what to do` → detail `NAME: what`, fix the rest. */
function problemLine(p: string): { detail: string; fix?: string } {
  const semi = p.indexOf('; ');
  return semi > 0 ? { detail: p.slice(0, semi), fix: p.slice(semi + 2) } : { detail: p, fix: 'correct it in the environment or .env' };
}

/** Why Slack refused the token, and what to do. */
const SLACK_FIXES: Record<string, string> = {
  invalid_auth: 'the token is wrong or was revoked: copy the Bot User OAuth Token (xoxb-…) again from OAuth & Permissions into SLACK_BOT_TOKEN',
  not_authed: 'no token reached Slack: set SLACK_BOT_TOKEN (xoxb-…, OAuth & Permissions → Bot User OAuth Token)',
  token_revoked: 'the token was revoked: reinstall the app (OAuth & Permissions → Reinstall to Workspace) and set the new SLACK_BOT_TOKEN',
  token_expired: 'the token expired (token rotation is on): turn rotation off in the app settings, or set a fresh SLACK_BOT_TOKEN',
  account_inactive: 'the app was uninstalled or its workspace deactivated: reinstall the app and set the new SLACK_BOT_TOKEN',
  missing_scope: 'reinstall the app from manifest.yml so that it has its scopes, and set the new SLACK_BOT_TOKEN',
};

export async function runDoctor(probes: DoctorProbes): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  for (const p of probes.configProblems ?? []) checks.push({ id: 'config', title: 'Configuration', ok: false, ...problemLine(p) });
  checks.push(...(await slackChecks(probes)));
  checks.push(connectionCheck(probes));
  checks.push(...(await redisChecks(probes)));
  checks.push(...(await awsChecks(probes)));
  return checks;
}

async function slackChecks(probes: DoctorProbes): Promise<DoctorCheck[]> {
  const token = { id: 'slack-token', title: 'Slack token' };
  const scopes = { id: 'slack-scopes', title: 'Slack scopes' };
  const skipScopes = (why: string): DoctorCheck => ({ ...scopes, ok: 'skipped', detail: why });
  if (isProblem(probes.slack)) return [{ ...token, ok: false, ...problemLine(probes.slack.problem) }, skipScopes('needs a working token')];
  let auth: SlackAuth;
  try {
    auth = await probes.slack();
  } catch (e) {
    const where = probes.slackApiUrl ?? 'https://slack.com/api/';
    return [{ ...token, ok: false, detail: `cannot reach Slack at ${where}: ${messageOf(e)}`, fix: 'check the network path to slack.com (proxy, firewall), or SLACK_API_URL if set' }, skipScopes('Slack did not answer')];
  }
  if (!auth.ok) {
    return [
      { ...token, ok: false, detail: `Slack refused the token: ${auth.error}`, fix: SLACK_FIXES[auth.error] ?? 'check SLACK_BOT_TOKEN (OAuth & Permissions → Bot User OAuth Token)' },
      skipScopes('needs a working token'),
    ];
  }
  const who = `${auth.user ?? auth.userId ?? 'the bot'} in ${auth.team ?? auth.teamId ?? 'its workspace'}`;
  const checks: DoctorCheck[] = [{ ...token, ok: true, detail: auth.botId !== undefined ? `${who} (bot ${auth.botId})` : `${who} (not a bot token: use the xoxb- Bot User OAuth Token)` }];
  if (auth.botId === undefined) checks[0] = { ...token, ok: 'warn', detail: `${who}, but not a bot token`, fix: 'use the Bot User OAuth Token (xoxb-…) from OAuth & Permissions' };
  const wanted = probes.manifestScopes;
  if (wanted === undefined || wanted.length === 0) checks.push(skipScopes('the app manifest (manifest.yml) could not be read'));
  else if (auth.scopes === undefined) checks.push({ ...scopes, ok: 'warn', detail: 'Slack did not say which scopes the token has (no x-oauth-scopes header)', fix: `check OAuth & Permissions → Bot Token Scopes lists ${wanted.join(', ')}` });
  else {
    const granted = new Set(auth.scopes);
    const missing = wanted.filter((s) => !granted.has(s));
    checks.push(
      missing.length === 0
        ? { ...scopes, ok: true, detail: `all ${wanted.length} bot scopes of the manifest granted` }
        : { ...scopes, ok: false, detail: `missing ${missing.join(', ')}`, fix: 'add them under OAuth & Permissions → Bot Token Scopes (or update the app from manifest.yml), then reinstall the app to the workspace' },
    );
  }
  return checks;
}

function connectionCheck(probes: DoctorProbes): DoctorCheck {
  const base = { id: 'slack-connection', title: 'Slack connection' };
  const c = probes.connection;
  if (isProblem(c)) return { ...base, ok: false, ...problemLine(c.problem) };
  return c.mode === 'http'
    ? { ...base, ok: true, detail: 'HTTP mode, SLACK_SIGNING_SECRET set (Slack must reach /slack/events at the manifest’s URL)' }
    : { ...base, ok: true, detail: 'Socket Mode, SLACK_APP_TOKEN set' };
}

async function redisChecks(probes: DoctorProbes): Promise<DoctorCheck[]> {
  const base = { id: 'redis', title: 'Redis' };
  const digest = { id: 'digest', title: 'Digest' };
  if (isProblem(probes.redis)) return [{ ...base, ok: false, ...problemLine(probes.redis.problem) }, { ...digest, ok: 'skipped', detail: 'its settings live in Redis' }];
  let result: RedisProbeResult;
  try {
    result = await probes.redis();
  } catch (e) {
    return [
      { ...base, ok: false, detail: `cannot connect to ${probes.redisAddress}: ${messageOf(e)}`, fix: 'start it: redis-server --appendonly yes --maxmemory-policy noeviction (or point REDIS_URL at yours)' },
      { ...digest, ok: 'skipped', detail: 'its settings live in Redis' },
    ];
  }
  const checks: DoctorCheck[] = [{ ...base, ok: true, detail: `${probes.redisAddress} answers PING${result.version !== undefined ? `, Redis ${result.version}` : ''}` }];
  for (const p of redisSettingProblems(result.info)) {
    checks.push({ id: `redis-${p.setting}`, title: p.setting === 'appendonly' ? 'Redis persistence' : 'Redis eviction', ok: 'warn', detail: p.problem, fix: p.fix });
  }
  checks.push(await digestCheck(probes));
  return checks;
}

async function digestCheck(probes: DoctorProbes): Promise<DoctorCheck> {
  const base = { id: 'digest', title: 'Digest' };
  if (isProblem(probes.digest)) return { ...base, ok: false, ...problemLine(probes.digest.problem) };
  let s: DigestSettings;
  try {
    s = await probes.digest();
  } catch (e) {
    return { ...base, ok: false, detail: `could not read its settings from Redis: ${messageOf(e)}`, fix: 're-run; if it persists, check Redis' };
  }
  const from = s.source === 'slack' ? `set in Slack${s.updatedBy !== undefined ? ` by ${s.updatedBy}` : ''}` : 'from DIGEST_*';
  if (!s.enabled) return { ...base, ok: true, detail: `off (${from}); /apigw digest here turns it on` };
  if (s.channel === undefined) return { ...base, ok: true, detail: `no channel, so no daily digest; set DIGEST_CHANNEL or run /apigw digest here in a channel` };
  return { ...base, ok: true, detail: `to ${s.channel} ${describeSchedule(s)} (${from})` };
}

/** One AWS read: ✓ with `ok`'s detail, or ✗ naming the IAM action and what to do (`toSkipped`'s wording). */
async function awsChecks(probes: DoctorProbes): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  const timeoutMs = probes.timeoutMs ?? 20_000;
  const skip = (id: string, title: string, why: string): void => {
    checks.push({ id, title, ok: 'skipped', detail: why });
  };
  let ports: AwsPorts;
  let sandbox: boolean;
  try {
    ({ ports, sandbox } = await probes.aws());
  } catch (e) {
    // These messages (no Region, an unknown account, a bad APIGW_DOCTOR_CONFIG) already say what to do.
    checks.push({ id: 'aws', title: 'AWS', ok: false, detail: messageOf(e) });
    return checks;
  }
  const where: { region: string; accountId?: string } = { region: ports.region };
  const failed = (id: string, title: string, e: unknown): DoctorCheck => {
    const s = toSkipped(id, e, where);
    return { id, title, ok: false, detail: s.reason, fix: s.fix };
  };

  try {
    const me = await within(ports.identity.getCallerIdentity(), timeoutMs);
    where.accountId = me.accountId;
    checks.push({ id: 'aws-identity', title: 'AWS identity', ok: true, detail: `account ${me.accountId} as ${me.arn} in ${ports.region}${sandbox ? ' (sandbox)' : ''}` });
  } catch (e) {
    checks.push(failed('aws-identity', 'AWS identity', e));
    return checks;
  }

  const lists = await Promise.all(
    ([['rest', 'REST APIs'], ['v2', 'HTTP and WebSocket APIs']] as const).map(async ([family, title]) => {
      try {
        const apis = await within(ports[family].listApis(), timeoutMs);
        checks.push({ id: `aws-list-${family}`, title, ok: true, detail: `${apis.length} in ${ports.region}` });
        return apis;
      } catch (e) {
        checks.push(failed(`aws-list-${family}`, title, e));
        return [];
      }
    }),
  );
  const all = lists.flat();
  const later = [
    ['aws-stages', 'API stages'],
    ['aws-metrics', 'CloudWatch metrics'],
    ['aws-execution-logs', 'Execution logs'],
    ['aws-access-logs', 'Access logs'],
    ['aws-lambda', 'Lambda'],
  ] as const;
  const skipLater = (why: string, from = 0): DoctorCheck[] => {
    for (const [id, title] of later.slice(from)) skip(id, title, why);
    return checks;
  };
  let api: ApiSummary | undefined;
  if (probes.api !== undefined) {
    const wanted = probes.api;
    api = all.find((a) => a.apiId === wanted) ?? all.find((a) => a.name === wanted) ?? all.find((a) => a.name.toLowerCase() === wanted.toLowerCase());
    if (!api) {
      const names = all.slice(0, 5).map((a) => a.name);
      checks.push({ id: 'aws-api', title: 'API', ok: false, detail: `no API named "${wanted}" in ${ports.region}${names.length > 0 ? `; there are ${names.join(', ')}${all.length > names.length ? ', …' : ''}` : ''}`, fix: 'pass --api with a name or id from that list, or --region / --account for where it is' });
      return skipLater('needs an API to read');
    }
  } else {
    api = all[0];
    if (!api) return skipLater(`no API found in ${ports.region} to read; pass --api NAME, or --region where your APIs are`);
  }
  const apiName = api.name;
  const family = api.apiType === 'REST' ? ports.rest : ports.v2;

  let stage: StageInfo | undefined;
  try {
    const stages = await within(family.getStages(api.apiId), timeoutMs);
    stage = stages[0];
    if (!stage) {
      checks.push({ id: 'aws-stages', title: 'API stages', ok: 'warn', detail: `${apiName} (${api.apiId}) has no stage`, fix: 'deploy it to a stage, or pass --api with another API' });
      return skipLater('needs a stage to read', 1);
    }
    checks.push({ id: 'aws-stages', title: 'API stages', ok: true, detail: `${apiName} (${api.apiType} ${api.apiId}): ${stages.map((s) => s.name).join(', ')}; reading stage ${stage.name}` });
  } catch (e) {
    checks.push(failed('aws-stages', 'API stages', e));
    return skipLater('needs the API’s stages', 1);
  }
  const target = `${apiName} ${stage.name}`;
  const to = probes.now;
  const from = new Date(to.getTime() - 3_600_000);

  try {
    const series = await within(ports.metrics.getMetricData(stageCountQueries([{ api, stage: stage.name }], 300), from, to), timeoutMs);
    checks.push({ id: 'aws-metrics', title: 'CloudWatch metrics', ok: true, detail: `GetMetricData read ${series.size} series of ${target}, last hour` });
  } catch (e) {
    checks.push(failed('aws-metrics', 'CloudWatch metrics', e));
  }

  const query = async (logGroup: string): Promise<number> => {
    const r = await within(ports.logs.runQuery({ logGroups: [logGroup], queryString: 'fields @timestamp | limit 1', from, to, limit: 1 }, Date.now() + timeoutMs), timeoutMs + 1_000);
    return r.rows.length;
  };
  const notFound = (e: unknown): boolean => e instanceof AwsCallError && e.kind === 'not-found';
  if (api.apiType === 'HTTP') skip('aws-execution-logs', 'Execution logs', `${apiName} is an HTTP API: HTTP APIs write no execution logs`);
  else {
    const group = executionLogGroup(api.apiId, stage.name);
    try {
      const rows = await query(group);
      checks.push({ id: 'aws-execution-logs', title: 'Execution logs', ok: true, detail: `Logs Insights query on ${group} ran (${rows === 0 ? 'no lines in the last hour' : 'lines in the last hour'})` });
    } catch (e) {
      if (notFound(e)) checks.push({ id: 'aws-execution-logs', title: 'Execution logs', ok: 'warn', detail: `${group} does not exist: execution logging is off on ${target}, or it has logged nothing yet`, fix: `apigw-doctor check ${apiName} ${stage.name} prints the commands that turn it on` });
      else checks.push(failed('aws-execution-logs', 'Execution logs', e));
    }
  }

  const arn = stage.accessLog?.destinationArn;
  const accessGroup = arn !== undefined ? logGroupFromArn(arn) : null;
  if (arn === undefined) checks.push({ id: 'aws-access-logs', title: 'Access logs', ok: 'warn', detail: `access logging is off on ${target}`, fix: `apigw-doctor check ${apiName} ${stage.name} prints the commands that turn it on` });
  else if (accessGroup === null) skip('aws-access-logs', 'Access logs', `${target} logs access to ${arn}, not a CloudWatch log group`);
  else {
    try {
      await query(accessGroup);
      checks.push({ id: 'aws-access-logs', title: 'Access logs', ok: true, detail: `${accessGroup} present and readable` });
    } catch (e) {
      if (notFound(e)) checks.push({ id: 'aws-access-logs', title: 'Access logs', ok: 'warn', detail: `${target} logs access to ${accessGroup}, which does not exist`, fix: `aws logs create-log-group --log-group-name ${accessGroup} --region ${ports.region}` });
      else checks.push(failed('aws-access-logs', 'Access logs', e));
    }
  }

  let fn: ReturnType<typeof lambdaTargetOf> = null;
  try {
    const routes = await within(family.getRoutes(api.apiId), timeoutMs);
    for (const r of routes) {
      fn = lambdaTargetOf(r, stage);
      if (fn) break;
    }
  } catch (e) {
    checks.push(failed('aws-lambda', 'Lambda', e));
    return checks;
  }
  if (!fn) {
    skip('aws-lambda', 'Lambda', `no Lambda integration found on ${apiName}`);
    return checks;
  }
  const name = shortName(fn.functionName);
  try {
    const info = await within(ports.lambda.getFunction(fn.functionName, fn.qualifier), timeoutMs);
    if (!info) {
      checks.push({ id: 'aws-lambda', title: 'Lambda', ok: 'warn', detail: `${apiName} integrates ${name}, which does not exist in ${fn.region}`, fix: 'fix the integration URI or deploy the function' });
      return checks;
    }
    const policy = await within(ports.lambda.getPolicy(fn.functionName, fn.qualifier), timeoutMs);
    checks.push({ id: 'aws-lambda', title: 'Lambda', ok: true, detail: `read ${name} and its resource policy (${policy === null ? 'none' : 'present'})` });
  } catch (e) {
    checks.push(failed('aws-lambda', 'Lambda', e));
  }
  return checks;
}

/** One line per check and a summary line. */
export function renderDoctor(checks: readonly DoctorCheck[]): string {
  const mark = (ok: DoctorCheck['ok']): string => (ok === true ? '✓' : ok === false ? '✗' : ok === 'warn' ? '!' : '○');
  const lines = checks.map((c) => `${mark(c.ok)} ${c.title}: ${c.detail}${c.fix !== undefined && c.ok !== true ? ` — ${c.fix}` : ''}`);
  const failed = checks.filter((c) => c.ok === false).length;
  const warned = checks.filter((c) => c.ok === 'warn').length;
  const skipped = checks.filter((c) => c.ok === 'skipped').length;
  const passed = checks.filter((c) => c.ok === true).length;
  const parts = [`${passed} ok`, ...(warned > 0 ? [`${warned} to look at`] : []), ...(failed > 0 ? [`${failed} failed`] : []), ...(skipped > 0 ? [`${skipped} skipped`] : [])];
  lines.push(failed > 0 ? `${parts.join(', ')}: fix the ✗ lines and run apigw-doctor doctor again` : `${parts.join(', ')}: ready`);
  return `${lines.join('\n')}\n`;
}
