/**
 * `apigw-doctor doctor` through the built CLI: the sandbox account, the fake Slack and the local Redis
 * (127.0.0.1:6379); a Redis that is not there, a token Slack refuses, and `--json`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Run } from '../helpers/cli';
import { CLI, ROOT, runToEnd } from '../helpers/cli';
import type { FakeSlack } from '../helpers/fake-slack';
import { startFakeSlack } from '../helpers/fake-slack';
import { freePort } from '../helpers/processes';

let slack: FakeSlack;
let home: string;
beforeAll(async () => {
  slack = await startFakeSlack();
  slack.scopes = ['commands', 'chat:write', 'app_mentions:read', 'channels:history', 'groups:history', 'users:read'];
  home = mkdtempSync(join(tmpdir(), 'cli-doctor-'));
});
afterAll(async () => {
  await slack.close();
  rmSync(home, { recursive: true, force: true });
});

/** The built CLI, without blocking: the fake Slack answers from this process. */
function cli(args: string[], options: { env: Record<string, string> }): Promise<Run> {
  return runToEnd([process.execPath, CLI, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...options.env } });
}

function env(over: Record<string, string> = {}): Record<string, string> {
  return {
    HOME: home,
    AWS_EC2_METADATA_DISABLED: 'true',
    SLACK_BOT_TOKEN: 'xoxb-doctor-test',
    SLACK_SIGNING_SECRET: 'a-signing-secret',
    SLACK_API_URL: slack.apiUrl,
    REDIS_URL: 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `doctor-test-${process.pid}`,
    ...over,
  };
}

test('the sandbox, a good token and the local Redis: no ✗, exit 0', async () => {
  const r = await cli(['doctor', '--sandbox'], { env: env() });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const lines = r.stdout.trimEnd().split('\n');
  expect(lines[0]).toBe('✓ Slack token: apigw-doctor in Acme (bot B0BOTDOC1)');
  expect(r.stdout).toContain('✓ Slack scopes: all 6 bot scopes of the manifest granted\n');
  expect(r.stdout).toMatch(/^✓ Redis: 127\.0\.0\.1:6379 answers PING, Redis \d/m);
  expect(r.stdout).toMatch(/^✓ AWS identity: account \d{12} .*\(sandbox\)$/m);
  for (const line of lines.slice(0, -1)) expect(line).toMatch(/^[✓!○] /);
  expect(lines.at(-1)).toMatch(/^\d+ ok(, \d+ to look at)?(, \d+ skipped)?: ready$/);
});

test('no Redis: a ✗ Redis line, exit 1, within a few seconds', async () => {
  const port = await freePort();
  const started = Date.now();
  const r = await cli(['doctor', '--sandbox'], { env: env({ REDIS_URL: `redis://127.0.0.1:${port}` }) });
  expect(Date.now() - started).toBeLessThan(8_000);
  expect(r.status).toBe(1);
  expect(r.stdout).toMatch(new RegExp(`^✗ Redis: cannot connect to 127\\.0\\.0\\.1:${port}: .* — start it: redis-server `, 'm'));
  expect(r.stdout).toMatch(/ 1 failed(, \d+ skipped)?: fix the ✗ lines and run apigw-doctor doctor again\n$/);
});

test('a token Slack refuses: a ✗ Slack token line with the fix', async () => {
  slack.failNext('auth.test', 'invalid_auth');
  const r = await cli(['doctor', '--sandbox'], { env: env() });
  expect(r.status).toBe(1);
  expect(r.stdout).toMatch(/^✗ Slack token: Slack refused the token: invalid_auth — the token is wrong or was revoked: copy the Bot User OAuth Token/m);
  expect(r.stdout).toContain('○ Slack scopes: needs a working token\n');
});

test('a missing token is a ✗ line, not a crash', async () => {
  const rest = env();
  delete rest.SLACK_BOT_TOKEN;
  const r = await cli(['doctor', '--sandbox'], { env: rest });
  expect(r.status).toBe(1);
  expect(r.stdout).toMatch(/^✗ Slack token: SLACK_BOT_TOKEN: missing — set the bot token/m);
});

test('--json prints the checks', async () => {
  const r = await cli(['doctor', '--sandbox', '--json', '--api', 'legacy-http'], { env: env() });
  expect(r.status).toBe(0);
  const checks = JSON.parse(r.stdout) as { id: string; title: string; ok: unknown; detail: string }[];
  expect(checks.length).toBeGreaterThan(8);
  for (const c of checks) expect([true, false, 'warn', 'skipped']).toContain(c.ok);
  expect(checks.find((c) => c.id === 'aws-stages')?.detail).toContain('legacy-http (HTTP');
  expect(checks.find((c) => c.id === 'aws-execution-logs')?.ok).toBe('skipped');
});
