/** The doctor's checks over in-memory probes: the sandbox account's ports, fake Slack and Redis answers. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sandboxPorts } from '../../../src/collect/adapters/sandbox-ports';
import { sandboxWorld } from '../../../src/collect/adapters/sandbox/sandbox-world';
import { AwsCallError } from '../../../src/collect/call-aws';
import type { DoctorProbes } from '../../../src/collect/doctor';
import { manifestBotScopes, renderDoctor, runDoctor } from '../../../src/collect/doctor';
import type { AwsPorts } from '../../../src/collect/ports';

const NOW = new Date('2025-11-25T12:00:00Z');
const SCOPES = manifestBotScopes(readFileSync(join(__dirname, '..', '..', '..', 'manifest.yml'), 'utf8'));
const GOOD_INFO = { persistence: 'aof_enabled:1\r\n', memory: 'maxmemory_policy:noeviction\r\n' };

function ports(): AwsPorts {
  return sandboxPorts(sandboxWorld(NOW), { logs: { pollMs: 1 } }).ports;
}

function probes(over: Partial<DoctorProbes> = {}): DoctorProbes {
  const aws = ports();
  return {
    slack: () => Promise.resolve({ ok: true, team: 'Acme', user: 'apigw-doctor', botId: 'B0BOTDOC1', scopes: SCOPES }),
    manifestScopes: SCOPES,
    connection: { mode: 'http' },
    redis: () => Promise.resolve({ version: '7.2.4', info: GOOD_INFO }),
    redisAddress: '127.0.0.1:6379',
    digest: () => Promise.resolve({ channel: 'C0123ABCD', cron: '0 9 * * 1-5', tz: 'Europe/Berlin', enabled: true, source: 'environment' }),
    aws: () => Promise.resolve({ ports: aws, sandbox: true }),
    now: NOW,
    ...over,
  };
}

test('the manifest’s bot scopes', () => {
  expect(SCOPES).toEqual(['commands', 'chat:write', 'app_mentions:read', 'channels:history', 'groups:history', 'users:read']);
});

test('all good: every line ✓, one call of each read against the first API', async () => {
  const checks = await runDoctor(probes());
  expect(checks.filter((c) => c.ok !== true)).toEqual([]);
  expect(checks.map((c) => c.id)).toEqual(['slack-token', 'slack-scopes', 'slack-connection', 'redis', 'digest', 'aws-identity', 'aws-list-rest', 'aws-list-v2', 'aws-stages', 'aws-metrics', 'aws-execution-logs', 'aws-access-logs', 'aws-lambda']);
  const text = renderDoctor(checks);
  expect(text).toContain('✓ Slack token: apigw-doctor in Acme (bot B0BOTDOC1)\n');
  expect(text).toContain('✓ Digest: to C0123ABCD weekdays at 09:00 Europe/Berlin (from DIGEST_*)\n');
  expect(text).toMatch(/^13 ok: ready\n$/m);
});

test('AccessDenied on logs:StartQuery is a ✗ naming the action and the log group', async () => {
  const aws = ports();
  aws.logs = {
    runQuery: (q) => Promise.reject(new AwsCallError('logs', 'StartQueryCommand', 'AccessDeniedException', 'not authorized to perform: logs:StartQuery', undefined, { logGroupNames: q.logGroups })),
  };
  const checks = await runDoctor(probes({ aws: () => Promise.resolve({ ports: aws, sandbox: false }) }));
  const exec = checks.find((c) => c.id === 'aws-execution-logs');
  expect(exec).toMatchObject({ ok: false, detail: expect.stringContaining('AccessDeniedException on logs:StartQuery on arn:aws:logs:us-east-1:123456789012:log-group:API-Gateway-Execution-Logs_a1b2c3d4e5/prod:*') as unknown });
  expect(exec?.fix).toMatch(/^allow logs:StartQuery on arn:aws:logs:/);
  expect(renderDoctor(checks)).toMatch(/^✗ Execution logs: .*logs:StartQuery.* — allow logs:StartQuery /m);
  expect(checks.find((c) => c.id === 'aws-metrics')?.ok).toBe(true);
});

test('missing scopes are listed with the fix', async () => {
  const checks = await runDoctor(probes({ slack: () => Promise.resolve({ ok: true, team: 'Acme', user: 'apigw-doctor', botId: 'B1', scopes: ['commands', 'chat:write', 'channels:history'] }) }));
  expect(checks.find((c) => c.id === 'slack-scopes')).toMatchObject({ ok: false, detail: 'missing app_mentions:read, groups:history, users:read', fix: expect.stringContaining('reinstall') as unknown });
});

test('setting problems, a refused token, Redis down and Redis without AOF', async () => {
  const bad = await runDoctor(
    probes({
      slack: () => Promise.resolve({ ok: false, error: 'invalid_auth' }),
      connection: { problem: 'SLACK_SIGNING_SECRET: missing; set it' },
      redis: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6399')),
      redisAddress: '127.0.0.1:6399',
      configProblems: ['LOG_LEVEL: expected one of fatal, error, got "loud"'],
      aws: () => Promise.reject(new Error('no AWS Region: pass --region us-east-1')),
    }),
  );
  const text = renderDoctor(bad);
  expect(text).toContain('✗ Configuration: LOG_LEVEL: expected one of fatal, error, got "loud" — correct it in the environment or .env\n');
  expect(text).toMatch(/^✗ Slack token: Slack refused the token: invalid_auth — the token is wrong or was revoked/m);
  expect(text).toContain('✗ Slack connection: SLACK_SIGNING_SECRET: missing — set it\n');
  expect(text).toMatch(/^✗ Redis: cannot connect to 127\.0\.0\.1:6399: connect ECONNREFUSED 127\.0\.0\.1:6399 — start it: redis-server /m);
  expect(text).toContain('○ Digest: its settings live in Redis\n');
  expect(text).toContain('✗ AWS: no AWS Region: pass --region us-east-1\n');

  const noAof = await runDoctor(probes({ redis: () => Promise.resolve({ info: { persistence: 'aof_enabled:0', memory: 'maxmemory_policy:noeviction' } }) }));
  expect(noAof.find((c) => c.id === 'redis-appendonly')).toMatchObject({ ok: 'warn', fix: expect.stringContaining('appendonly yes') as unknown });
  expect(noAof.some((c) => c.ok === false)).toBe(false);
});
