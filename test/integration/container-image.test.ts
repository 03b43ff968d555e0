/**
 * The container image, checked as far as it can be without a Docker engine (none runs on these
 * machines). The repository's Dockerfile is parsed (an instruction the runner does not know fails the
 * test) and its stages executed in a clean temporary folder: a build context filtered by .dockerignore,
 * one folder per stage, RUN with this machine's Node and npm. The final stage's folder alone, production
 * dependencies only, then runs the image's CMD (web), docker-compose.yml's worker command, the
 * HEALTHCHECK and `doctor`, against the fake Slack and the local Redis, and answers a signed slash
 * command. docker-compose.yml is checked against the Dockerfile and the Procfile.
 *
 * Not checked here: the base image (its Node and its `node` user), file ownership inside the image,
 * and Docker's and Compose's own reading of these files.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Redis } from 'ioredis';
import { parse as parseYaml } from 'yaml';
import { botEnv } from '../helpers/bot-env';
import { runToEnd as runCommand } from '../helpers/cli';
import type { Run } from '../helpers/cli';
import { startCommand } from '../helpers/command-process';
import type { BuiltStage, Stage } from '../helpers/dockerfile';
import { DockerIgnore, buildContext, parseDockerfile, runStages } from '../helpers/dockerfile';
import type { FakeSlack } from '../helpers/fake-slack';
import { startFakeSlack } from '../helpers/fake-slack';
import type { BotProcess } from '../helpers/processes';
import { freePort, postSlashCommand } from '../helpers/processes';
import { blocksText, posts, slashCommand } from '../helpers/slack-requests';

const ROOT = join(__dirname, '..', '..');
const SECRET = 'image-signing-secret-7c2e9a';
const TOKEN = 'xoxb-000000000000-000000000000-ImageBotTokenValue01';

const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');
const stages: Stage[] = parseDockerfile(read('Dockerfile'));
const final = stages.at(-1)!;
/** The Procfile's commands by process name, split into argv. */
const procfile = new Map(
  read('Procfile')
    .split('\n')
    .filter((l) => l.includes(':'))
    .map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim().split(/\s+/)]),
);

interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  environment?: Record<string, string>;
  ports?: string[];
  container_name?: string;
  depends_on?: Record<string, { condition?: string }>;
  healthcheck?: { disable?: boolean; test?: string[] };
  volumes?: string[];
}
const compose = parseYaml(read('docker-compose.yml'), { merge: true }) as { services: Record<string, ComposeService>; volumes?: Record<string, unknown> };
const service = (name: string): ComposeService => compose.services[name] ?? {};
const argvOf = (command: ComposeService['command']): string[] => (typeof command === 'string' ? command.split(/\s+/) : (command ?? []));

/** The temporary folder: `context/`, then one folder per stage. */
let work: string;
let built: Map<string, BuiltStage>;
let context: string[];
let image: BuiltStage;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'apigw-image-'));
  context = buildContext(ROOT, new DockerIgnore(read('.dockerignore')), join(work, 'context'));
  built = await runStages(stages, {
    context: join(work, 'context'),
    into: join(work, 'stages'),
    env: {
      PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
      HOME: process.env.HOME ?? '/tmp',
      // The registry is reachable, but this machine's npm cache answers faster.
      npm_config_prefer_offline: 'true',
      npm_config_update_notifier: 'false',
      ...passThrough(['NODE_EXTRA_CA_CERTS', 'HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy', 'npm_config_registry']),
    },
  });
  image = built.get(final.name)!;
}, 240_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

function passThrough(names: string[]): Record<string, string> {
  return Object.fromEntries(names.flatMap((n) => (process.env[n] !== undefined ? [[n, process.env[n]]] : [])));
}

describe('the Dockerfile', () => {
  it('builds in stages and runs the web process as a non-root user on Node 20, in production mode', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(final.base).toMatch(/^node:20[.-]/);
    expect(final.user).toBeDefined();
    expect(final.user).not.toMatch(/^(root|0)(:|$)/);
    expect(final.env.NODE_ENV).toBe('production');
    expect(final.cmd).toEqual(procfile.get('web'));
    expect(final.expose).toContain('3000');
    expect(final.healthcheck?.argv.join(' ')).toContain('/healthz');
  });

  it('sends only what .dockerignore lets through: no secrets, tests, installed or built files', () => {
    expect(context).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'manifest.yml', 'src/bin/web.ts', 'handlers/slack/index.ts']));
    expect(context.filter((f) => /(^|\/)(\.git|node_modules|dist|test|bench|coverage)\//.test(f) || /(^|\/)\.env/.test(f))).toEqual([]);
  });

  it('keeps a .env out of the context wherever it is, and anything new at the top level', () => {
    const repo = join(work, 'fake-repo');
    for (const file of ['.env', 'src/.env', 'src/a.ts', 'node_modules/x/index.js', 'test/a.test.ts', 'bench/run.ts', 'credentials.json', '.git/config', 'knowledge/x.yaml']) {
      mkdirSync(dirname(join(repo, file)), { recursive: true });
      writeFileSync(join(repo, file), 'x');
    }
    expect(buildContext(repo, new DockerIgnore(read('.dockerignore')), join(work, 'fake-context'))).toEqual(['knowledge/x.yaml', 'src/a.ts']);
  });
});

describe("the image's folder", () => {
  const has = (path: string): boolean => existsSync(join(image.dir, path));

  it('holds production dependencies only', () => {
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    // The lock marks what only development needs (some dev dependencies, such as @types/node, production needs too).
    const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { dev?: boolean }> };
    const devOnly = Object.keys(pkg.devDependencies).filter((name) => lock.packages[`node_modules/${name}`]?.dev === true);
    expect(devOnly).toEqual(expect.arrayContaining(['typescript', 'jest', 'ts-jest', 'eslint']));
    for (const dev of devOnly) expect([dev, has(`node_modules/${dev}`)]).toEqual([dev, false]);
    for (const dep of Object.keys(pkg.dependencies)) expect([dep, has(`node_modules/${dep}`)]).toEqual([dep, true]);
  });

  it('holds the compiled entry points, package.json, the knowledge base and the manifest, and no sources or tests', () => {
    for (const file of ['dist/src/bin/web.js', 'dist/src/bin/worker.js', 'dist/src/bin/cli.js', 'package.json', 'manifest.yml']) expect([file, has(file)]).toEqual([file, true]);
    const causes = (dir: string): string[] => readdirSync(dir).filter((n) => n.endsWith('.yaml'));
    expect(causes(join(image.dir, 'knowledge'))).toEqual(causes(join(ROOT, 'knowledge')));
    for (const absent of ['src', 'handlers', 'test', 'bench', 'dist/test', 'dist/bench', 'tsconfig.json', '.env']) expect([absent, has(absent)]).toEqual([absent, false]);
  });
});

describe("the image's commands, run from its folder", () => {
  let slack: FakeSlack;
  let web: BotProcess;
  let worker: BotProcess;
  let port: number;
  let workerHealthPort: number;
  let prefix: string;
  const env = (): Record<string, string> => ({ ...image.stage.env, AWS_EC2_METADATA_DISABLED: 'true', ...botEnv({ slack, token: TOKEN, secret: SECRET, prefix, port }) });

  beforeAll(async () => {
    slack = await startFakeSlack();
    slack.scopes = manifestScopes();
    prefix = `image${randomUUID().slice(0, 8)}`;
    port = await freePort();
    web = startCommand(final.cmd!, { cwd: image.dir, env: env(), name: 'web (image CMD)' });
    workerHealthPort = await freePort();
    worker = startCommand(argvOf(service('worker').command), { cwd: image.dir, env: { ...env(), HEALTH_PORT: String(workerHealthPort) }, name: 'worker (compose command)' });
    await Promise.all([web.waitForLine('web ready', 30_000), worker.waitForLine('worker ready', 30_000)]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([web?.stop(), worker?.stop()]);
    await slack?.close();
    await deleteKeys(`${prefix}:*`);
  }, 30_000);

  it('web answers /healthz with 200, and the HEALTHCHECK command exits 0 (1 when nothing answers)', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, redis: 'ok' });
    const check = final.healthcheck!.argv;
    expect((await runToEnd(check, { ...image.stage.env, PORT: String(port) })).status).toBe(0);
    expect((await runToEnd(check, { ...image.stage.env, PORT: String(await freePort()) })).status).toBe(1);
  }, 30_000);

  it('the worker says it started, with the sandbox', async () => {
    const line = await worker.waitForLine('worker ready');
    expect(JSON.parse(line)).toMatchObject({ process: 'worker', sandbox: true, prefix, healthPort: workerHealthPort });
  });

  it('the worker answers /healthz on HEALTH_PORT, and the same HEALTHCHECK command passes for it', async () => {
    const res = await fetch(`http://127.0.0.1:${workerHealthPort}/healthz`);
    expect(await res.json()).toEqual({ ok: true, redis: 'ok', worker: 'taking jobs' });
    expect((await runToEnd(final.healthcheck!.argv, { ...image.stage.env, HEALTH_PORT: String(workerHealthPort) })).status).toBe(0);
  }, 30_000);

  it('a signed slash command is acknowledged by web and answered in its thread by the worker', async () => {
    const channel = 'C0IMAGE01';
    const ack = await postSlashCommand(`http://127.0.0.1:${port}`, SECRET, slashCommand(slack, channel, 'why 502 orders-api'));
    expect(ack.status).toBe(200);
    expect(ack.body).toMatch(/orders-api/);
    await slack.waitFor((calls) => posts(calls, channel).some((c) => c.args.thread_ts !== undefined), 60_000);
    const reply = posts(slack.calls, channel).find((c) => c.args.thread_ts !== undefined);
    expect(blocksText(reply)).toContain('Malformed Lambda proxy response');
  }, 90_000);

  it('doctor runs from the image and reads its manifest (the scopes check is not skipped)', async () => {
    const r = await runToEnd(['node', 'dist/src/bin/cli.js', 'doctor', '--sandbox'], env());
    expect(r.stdout).toMatch(/^✓ Slack scopes: all \d+ bot scopes of the manifest granted$/m);
    expect(r.stdout).toMatch(/^✓ Redis: 127\.0\.0\.1:6379 answers PING/m);
    expect(r.status).toBe(0);
  }, 30_000);

  it('no log line carries the bot token or the signing secret', () => {
    for (const line of [...web.lines, ...worker.lines]) {
      expect(line).not.toContain(TOKEN);
      expect(line).not.toContain(SECRET);
    }
  });

  /** Runs `argv` in the image's folder without blocking (the fake Slack answers from this process). */
  function runToEnd(argv: string[], extra: Record<string, string>): Promise<Run> {
    return runCommand(argv, { cwd: image.dir, env: { PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`, HOME: work, ...extra } });
  }
});

describe('docker-compose.yml', () => {
  it('runs web and worker from the image this Dockerfile builds, with the Procfile commands', () => {
    for (const name of ['web', 'worker']) {
      const s = service(name);
      const build = typeof s.build === 'string' ? { context: s.build } : (s.build ?? {});
      expect([name, build.context, build.dockerfile ?? 'Dockerfile']).toEqual([name, '.', 'Dockerfile']);
      expect([name, argvOf(s.command)]).toEqual([name, procfile.get(name)]);
      expect([name, s.environment?.REDIS_URL]).toEqual([name, 'redis://redis:6379']);
      expect([name, s.depends_on?.redis?.condition]).toEqual([name, 'service_healthy']);
    }
    expect(service('worker').image).toBe(service('web').image);
    expect(argvOf(service('web').command)).toEqual(final.cmd);
  });

  it('publishes the port web listens on, and lets the worker scale: no container_name, no published port; its health on HEALTH_PORT', () => {
    expect(service('web').ports).toContain(`${service('web').environment?.PORT}:${final.expose[0]}`);
    expect(service('worker').container_name).toBeUndefined();
    expect(service('worker').ports).toBeUndefined();
    // The image's HEALTHCHECK reads HEALTH_PORT before PORT, so the worker needs no check of its own.
    expect(service('worker').environment?.HEALTH_PORT).toMatch(/^\d+$/);
    expect(service('worker').healthcheck).toBeUndefined();
    expect(final.healthcheck!.argv.join(' ')).toContain('process.env.HEALTH_PORT');
  });

  it('runs Redis with AOF (fsync every second) and noeviction, on a named volume, with a health check', () => {
    const redis = service('redis');
    expect(redis.image).toMatch(/^redis:7/);
    const args = argvOf(redis.command).join(' ');
    expect(args).toMatch(/--appendonly yes\b/);
    expect(args).toMatch(/--appendfsync everysec\b/);
    expect(args).toMatch(/--maxmemory-policy noeviction\b/);
    const volume = redis.volumes?.find((v) => v.endsWith(':/data'))?.split(':')[0];
    expect(Object.keys(compose.volumes ?? {})).toContain(volume);
    expect(redis.healthcheck?.test).toEqual(['CMD', 'redis-cli', 'ping']);
  });
});

/** The bot scopes manifest.yml asks for: what the fake Slack says the token has, for `doctor`. */
function manifestScopes(): string[] {
  const manifest = parseYaml(read('manifest.yml')) as { oauth_config: { scopes: { bot: string[] } } };
  return manifest.oauth_config.scopes.bot;
}

/** Removes this file's keys from the shared Redis. */
async function deleteKeys(pattern: string): Promise<void> {
  const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
