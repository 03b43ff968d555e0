/**
 * The environment each process reads (the investigation's accounts file, Region and collector
 * timeout; the web and worker processes' Slack, Redis and queue settings), with every problem listed
 * at once and defaults for everything optional.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadDotEnv, loadInvestigationConfig, loadWebConfig, loadWorkerConfig } from '../../src/config';
import { UsageError } from '../../src/errors';
import { allowEverything } from '../../src/slack/permissions';

const files: Record<string, string> = {
  '/etc/apigw-doctor.yaml': ['defaultAccount: prod', 'accounts:', '  prod:', '    roleArn: arn:aws:iam::123456789012:role/apigw-doctor-read', '    regions: [eu-west-1, us-east-1]', '  dev: {regions: us-east-2}'].join('\n'),
  '/etc/bad.yaml': ['accounts:', '  prod:', '    roleArn: not-an-arn'].join('\n'),
};
const read = (p: string): string => {
  const text = files[p];
  if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${p}'`);
  return text;
};

it('reads nothing and defaults without any setting', () => {
  const c = loadInvestigationConfig({}, read);
  expect(c.accounts.accounts.size).toBe(0);
  expect(c.collectorTimeoutMs).toBe(25_000);
  expect(c.awsRegion).toBeUndefined();
});

it('reads the accounts file, the Region and the timeout', () => {
  const c = loadInvestigationConfig({ APIGW_DOCTOR_CONFIG: '/etc/apigw-doctor.yaml', AWS_REGION: 'us-west-2', COLLECTOR_TIMEOUT_MS: '10000' }, read);
  expect(c.accounts.defaultAccount).toBe('prod');
  expect(c.accounts.accounts.get('prod')).toEqual({ alias: 'prod', roleArn: 'arn:aws:iam::123456789012:role/apigw-doctor-read', regions: ['eu-west-1', 'us-east-1'] });
  expect(c.accounts.accounts.get('dev')?.regions).toEqual(['us-east-2']);
  expect(c.awsRegion).toBe('us-west-2');
  expect(c.collectorTimeoutMs).toBe(10_000);
});

it('lists every problem in one message naming the variable, the file and the field', () => {
  expect(() => loadInvestigationConfig({ APIGW_DOCTOR_CONFIG: '/etc/bad.yaml', COLLECTOR_TIMEOUT_MS: '5s' }, read)).toThrow(
    new UsageError(
      'bad configuration: APIGW_DOCTOR_CONFIG: /etc/bad.yaml: accounts.prod.roleArn: expected an IAM role ARN such as arn:aws:iam::123456789012:role/apigw-doctor-read; COLLECTOR_TIMEOUT_MS: expected milliseconds from 1000 to 300000, got "5s"',
    ),
  );
  expect(() => loadInvestigationConfig({ APIGW_DOCTOR_CONFIG: '/etc/missing.yaml' }, read)).toThrow('APIGW_DOCTOR_CONFIG: /etc/missing.yaml does not exist');
});

describe('loadWebConfig', () => {
  const http = { SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: 'abc123secret' };

  it('defaults everything but the Slack credentials (HTTP mode)', () => {
    const c = loadWebConfig(http, read);
    expect(c).toMatchObject({
      botToken: 'xoxb-1-2-abc',
      connection: { mode: 'http', signingSecret: 'abc123secret' },
      redisUrl: 'redis://127.0.0.1:6379',
      port: 3000,
      queuePrefix: 'apigw',
      dedupeWindowS: 120,
      logLevel: 'info',
    });
    expect(c.slackApiUrl).toBeUndefined();
    expect(c.permissions).toBe(allowEverything);
  });

  it('lists every missing variable of HTTP mode in one message', () => {
    expect(() => loadWebConfig({}, read)).toThrow(
      new ConfigError([
        'SLACK_BOT_TOKEN: missing; set the bot token (xoxb-…, OAuth & Permissions → Bot User OAuth Token)',
        'SLACK_SIGNING_SECRET: missing; HTTP mode needs the signing secret (Basic Information → App Credentials), or set SLACK_APP_TOKEN (xapp-…) for Socket Mode',
      ]),
    );
  });

  it('uses Socket Mode when SLACK_APP_TOKEN is set, and then needs no signing secret', () => {
    const c = loadWebConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1-A1-2-abc', PORT: '0' }, read);
    expect(c.connection).toEqual({ mode: 'socket', appToken: 'xapp-1-A1-2-abc' });
    expect(c.port).toBe(0);
  });

  it('reads every setting', () => {
    const c = loadWebConfig(
      { ...http, SLACK_API_URL: 'http://127.0.0.1:3999/api/', REDIS_URL: 'redis://:pw@redis.internal:6380/2', PORT: '8080', QUEUE_PREFIX: '{apigw}', DEDUPE_WINDOW_S: '0', LOG_LEVEL: 'DEBUG' },
      read,
    );
    expect(c).toMatchObject({ slackApiUrl: 'http://127.0.0.1:3999/api/', redisUrl: 'redis://:pw@redis.internal:6380/2', port: 8080, queuePrefix: '{apigw}', dedupeWindowS: 0, logLevel: 'debug' });
  });

  it('lists every bad value at once, without repeating secrets', () => {
    let error: unknown;
    try {
      loadWebConfig(
        { SLACK_BOT_TOKEN: 'xoxp-user-token-secret', SLACK_APP_TOKEN: 'xoxb-wrong-kind-secret', SLACK_API_URL: 'http://127.0.0.1:3999', REDIS_URL: 'http://:hunter2@redis', PORT: '70000', QUEUE_PREFIX: 'a b', DEDUPE_WINDOW_S: '-1', LOG_LEVEL: 'loud' },
        read,
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems, message } = error as ConfigError;
    expect(problems).toEqual([
      'SLACK_BOT_TOKEN: expected a bot token starting with xoxb- (OAuth & Permissions → Bot User OAuth Token), got one starting with "xoxp"',
      'SLACK_API_URL: expected an http(s) URL ending in /api/, such as http://127.0.0.1:3999/api/, got "http://127.0.0.1:3999"',
      'REDIS_URL: expected redis://host:port or rediss://host:port, such as redis://127.0.0.1:6379',
      'QUEUE_PREFIX: expected letters, digits, ".", "_", "-" and {braces} for a Redis Cluster hash tag (at most 64), got "a b"',
      'DEDUPE_WINDOW_S: expected seconds from 0 to 86400, got "-1"',
      'LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "loud"',
      'SLACK_APP_TOKEN: expected an app-level token starting with xapp- (Basic Information → App-Level Tokens, scope connections:write), got one starting with "xoxb"',
      'PORT: expected a TCP port from 0 to 65535, got "70000"',
    ]);
    expect(message).toMatch(/^bad configuration: SLACK_BOT_TOKEN: .*; SLACK_API_URL: /);
    for (const secret of ['user-token-secret', 'wrong-kind-secret', 'hunter2']) expect(message).not.toContain(secret);
  });

  it('reads channel permissions from APIGW_DOCTOR_CONFIG, checked against its accounts', () => {
    const files2: Record<string, string> = {
      '/etc/ok.yaml': ['defaultAccount: prod', 'accounts: {prod: {}, dev: {}}', 'channels:', "  C0123ABCD: {accounts: [prod], apis: ['orders-*']}", "  '*': {accounts: [dev]}"].join('\n'),
      '/etc/typo.yaml': ['accounts: {prod: {}}', 'channels:', '  C0123ABCD: {accounts: [prd]}'].join('\n'),
      '/etc/broken.yaml': 'channels: [unclosed',
    };
    const read2 = (p: string): string => files2[p] ?? read(p);
    const c = loadWebConfig({ ...http, APIGW_DOCTOR_CONFIG: '/etc/ok.yaml' }, read2);
    expect(c.permissions.authorize('C0123ABCD', { kind: 'why', question: { status: 502, api: 'orders-api', sinceMs: 3_600_000 } })).toEqual({ allowed: true });
    expect(c.permissions.authorize('C0OTHER01', { kind: 'why', question: { status: 502, api: 'orders-api', sinceMs: 3_600_000 } }).allowed).toBe(false);
    expect(() => loadWebConfig({ ...http, APIGW_DOCTOR_CONFIG: '/etc/typo.yaml' }, read2)).toThrow('APIGW_DOCTOR_CONFIG: /etc/typo.yaml: channels.C0123ABCD.accounts: unknown account "prd"; accounts: defines prod');
    expect(() => loadWebConfig({ ...http, APIGW_DOCTOR_CONFIG: '/etc/broken.yaml' }, read2)).toThrow(/APIGW_DOCTOR_CONFIG: \/etc\/broken\.yaml: /);
    expect(() => loadWebConfig({ APIGW_DOCTOR_CONFIG: '/etc/missing.yaml' }, read2)).toThrow(/SLACK_BOT_TOKEN: missing.*SLACK_SIGNING_SECRET: missing.*APIGW_DOCTOR_CONFIG: \/etc\/missing\.yaml does not exist/);
  });
});

describe('loadWorkerConfig', () => {
  it('defaults everything but the bot token', () => {
    const c = loadWorkerConfig({ SLACK_BOT_TOKEN: 'xoxb-1' }, read);
    expect(c).toMatchObject({
      botToken: 'xoxb-1',
      redisUrl: 'redis://127.0.0.1:6379',
      queuePrefix: 'apigw',
      dedupeWindowS: 120,
      logLevel: 'info',
      concurrency: 2,
      lockMs: 30_000,
      stalledIntervalMs: 30_000,
      knowledgeDirs: [],
      digest: { cron: '0 9 * * *', tz: 'UTC' },
      investigation: { collectorTimeoutMs: 25_000, sandbox: false, sandboxLatencyMs: 0 },
    });
    expect(c.digest.channel).toBeUndefined();
  });

  it('reads the worker, digest and investigation settings', () => {
    const c = loadWorkerConfig(
      {
        SLACK_BOT_TOKEN: 'xoxb-1',
        WORKER_CONCURRENCY: '4',
        WORKER_LOCK_MS: '1000',
        WORKER_STALLED_INTERVAL_MS: '500',
        KNOWLEDGE_DIRS: 'team-kb, ./more ,',
        DIGEST_CHANNEL: 'C0123ABCD',
        DIGEST_CRON: '30 8 * * 1-5',
        DIGEST_TZ: 'Europe/Berlin',
        APIGW_DOCTOR_SANDBOX: '1',
        APIGW_DOCTOR_CONFIG: '/etc/apigw-doctor.yaml',
      },
      read,
    );
    expect(c).toMatchObject({ concurrency: 4, lockMs: 1_000, stalledIntervalMs: 500, knowledgeDirs: ['team-kb', './more'], digest: { channel: 'C0123ABCD', cron: '30 8 * * 1-5', tz: 'Europe/Berlin' } });
    expect(c.investigation.sandbox).toBe(true);
    expect(c.investigation.accounts.defaultAccount).toBe('prod');
  });

  it('lists every missing or bad variable at once', () => {
    expect(() =>
      loadWorkerConfig({ WORKER_CONCURRENCY: '0', WORKER_LOCK_MS: 'fast', WORKER_STALLED_INTERVAL_MS: '99', DIGEST_CHANNEL: '#ops', DIGEST_CRON: 'daily', DIGEST_TZ: 'Mars/Olympus', COLLECTOR_TIMEOUT_MS: '5s' }, read),
    ).toThrow(
      new ConfigError([
        'SLACK_BOT_TOKEN: missing; set the bot token (xoxb-…, OAuth & Permissions → Bot User OAuth Token)',
        'WORKER_CONCURRENCY: expected a number of investigations from 1 to 50, got "0"',
        'WORKER_LOCK_MS: expected milliseconds from 100 to 600000, got "fast"',
        'WORKER_STALLED_INTERVAL_MS: expected milliseconds from 100 to 600000, got "99"',
        'DIGEST_CHANNEL: expected a channel id such as C0123ABCD (channel details → the id at the bottom), got "#ops"',
        'DIGEST_CRON: expected a cron pattern of 5 fields (minute hour day month weekday) such as "0 9 * * 1-5", got "daily"',
        'DIGEST_TZ: expected an IANA time zone such as Europe/Berlin or UTC, got "Mars/Olympus"',
        'COLLECTOR_TIMEOUT_MS: expected milliseconds from 1000 to 300000, got "5s"',
      ]),
    );
  });
});

describe('loadDotEnv', () => {
  const dir = mkdtempSync(join(tmpdir(), 'apigw-env-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads a .env file when present, without overriding what is set, and reports an absent one', () => {
    const file = join(dir, '.env');
    writeFileSync(file, 'APIGW_TEST_FROM_FILE=from-file\nAPIGW_TEST_ALREADY=from-file\n');
    process.env.APIGW_TEST_ALREADY = 'from-env';
    try {
      expect(loadDotEnv(file)).toBe('loaded');
      expect(process.env.APIGW_TEST_FROM_FILE).toBe('from-file');
      expect(process.env.APIGW_TEST_ALREADY).toBe('from-env');
      expect(loadDotEnv(join(dir, 'nope.env'))).toBe('absent');
    } finally {
      delete process.env.APIGW_TEST_FROM_FILE;
      delete process.env.APIGW_TEST_ALREADY;
    }
  });
});
