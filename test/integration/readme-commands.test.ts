/**
 * Every command the README shows in a `bash` block is run: here (the CLI's, each with its exit code and
 * what it prints), or by the test or CI step named for it, which must exist and do it. Commands that need
 * what this machine lacks (AWS, a Docker engine, a git remote) are checked as far as they can be: the files
 * they name exist and parse. A command added to the README that nothing runs fails here, saying so.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';

const ROOT = join(__dirname, '..', '..');
const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');

/** The commands of the README's `bash` blocks: comment lines and trailing comments dropped, `\` lines joined, heredocs kept whole. */
function readmeCommands(markdown: string): string[] {
  const commands: string[] = [];
  for (const block of markdown.matchAll(/^```bash\n([^]*?)^```$/gm)) {
    const lines = (block[1] ?? '').split('\n');
    for (let i = 0; i < lines.length; i++) {
      let line = lines[i] ?? '';
      const heredoc = /<<'?(\w+)'?\s*$/.exec(line)?.[1];
      if (heredoc !== undefined) {
        while (i + 1 < lines.length && lines[i] !== heredoc) line += `\n${lines[++i] ?? ''}`;
        commands.push(line);
        continue;
      }
      while (line.endsWith('\\') && i + 1 < lines.length) line = `${line.slice(0, -1).trimEnd()} ${(lines[++i] ?? '').trim()}`;
      const command = line.replace(/\s{2,}#.*$/, '').trim();
      if (command !== '' && !command.startsWith('#')) commands.push(command);
    }
  }
  return commands;
}

const exec = promisify(execFile);

/** Runs a README command in the repository with no AWS or Slack settings; resolves with its exit code and output. */
async function run(command: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await exec('bash', ['-c', command], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', AWS_EC2_METADATA_DISABLED: 'true', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      maxBuffer: 32 * 1024 * 1024,
      timeout: 120_000,
    });
    return { code: 0, out: stdout + stderr };
  } catch (e) {
    const failed = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, out: (failed.stdout ?? '') + (failed.stderr ?? '') };
  }
}

/** A test or CI file that runs a command: it must exist and contain `proof`. */
function ranBy(file: string, proof: string | RegExp): void {
  expect(existsSync(join(ROOT, file))).toBe(true);
  const text = read(file);
  if (typeof proof === 'string') expect(text).toContain(proof);
  else expect(text).toMatch(proof);
}

/** The JSON documents a command names with file:// and inline with --policy-document '…', parsed; heredoc files come from `written`. */
function checkAwsCommand(command: string, written: Map<string, string>): void {
  for (const m of command.matchAll(/file:\/\/(\S+)/g)) {
    const path = m[1] ?? '';
    const text = written.get(path) ?? (existsSync(join(ROOT, path)) ? read(path) : undefined);
    expect({ path, found: text !== undefined }).toEqual({ path, found: true });
    expect(() => JSON.parse(text ?? '') as unknown).not.toThrow();
  }
  for (const m of command.matchAll(/--policy-document '([^']+)'/g)) expect((JSON.parse(m[1] ?? '') as { Version?: string }).Version).toBe('2012-10-17');
}

/** How each README command is run, first match wins; `undefined`: nothing runs it. */
interface Rule {
  match: RegExp;
  how: string;
  check(command: string): Promise<void> | void;
}

const written = new Map<string, string>();
const compose = (): Record<string, unknown> => parseYaml(read('docker-compose.yml')) as Record<string, unknown>;

const RULES: Rule[] = [
  {
    match: /^npm run -s cli -- doctor( --sandbox)?$/,
    how: 'run here: without Slack settings it says what is missing and exits 1',
    async check(command) {
      const { code, out } = await run(command);
      expect(code).toBe(1);
      expect(out).toMatch(/✗ Slack token: SLACK_BOT_TOKEN: missing/);
      expect(out).toMatch(/✓ Redis: 127\.0\.0\.1:6379 answers PING/);
      if (command.endsWith('--sandbox')) expect(out).toMatch(/✓ AWS identity: account 123456789012/);
    },
  },
  {
    match: /^npm run -s cli -- /,
    how: 'run here: exits 0 and prints',
    async check(command) {
      const { code, out } = await run(command);
      expect({ command, code, out: code === 0 ? '' : out }).toEqual({ command, code: 0, out: '' });
      expect(out.trim()).not.toBe('');
    },
  },
  {
    match: /^npm run eval$/,
    how: 'run here after its build step (the gate has built dist/; rebuilding it here would race the other tests)',
    async check() {
      expect((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.eval).toBe('npm run -s build && node dist/bench/eval.js');
      const { code, out } = await run('node dist/bench/eval.js');
      expect(code).toBe(0);
      expect(out).toMatch(/cases/i);
    },
  },
  { match: /^npm ci && npm run demo$/, how: 'run by the browser test (npm ci by CI)', check: () => (ranBy('test/integration/demo-browser.test.ts', 'startDemo('), ranBy('test/helpers/demo.ts', "'dist', 'src', 'bin', 'demo.js'"), ranBy('package.json', '"demo": "node dist/src/bin/demo.js"'), ranBy('.ci/run', 'npm ci')) },
  { match: /^npm ci$/, how: 'run by CI', check: () => ranBy('.ci/run', /^if ! npm ci /m) },
  { match: /^npm test$/, how: 'run by CI', check: () => ranBy('.ci/run', /^npm test 2>&1/m) },
  {
    match: /^(APIGW_DOCTOR_SANDBOX=1 )?node dist\/src\/bin\/(web|worker)\.js$/,
    how: 'run by the end-to-end tests (built web and worker, sandbox)',
    check: () => (ranBy('test/helpers/processes.ts', "join(ROOT, 'dist', 'src', 'bin', `${entry}.js`)"), ranBy('test/helpers/bot-env.ts', "APIGW_DOCTOR_SANDBOX: '1'"), ranBy('Procfile', 'node dist/src/bin/web.js')),
  },
  {
    match: /^cp \.env\.example \.env$/,
    how: 'checked here: .env.example names every variable the processes read',
    check() {
      const example = read('.env.example');
      for (const name of read('src/config.ts').matchAll(/read\.(?:text|integer)\('([A-Z_]+)'/g)) {
        // The demo's own settings: it reads no .env.
        if (name[1]?.startsWith('DEMO_')) continue;
        expect({ variable: name[1], listed: example.includes(name[1] ?? '') }).toEqual({ variable: name[1], listed: true });
      }
    },
  },
  {
    match: /^cat > (\S+) <<'EOF'\n/,
    how: 'checked here: the file it writes is JSON (an AssumeRole trust policy)',
    check(command) {
      const [first = '', ...rest] = command.split('\n');
      const path = /^cat > (\S+)/.exec(first)?.[1] ?? '';
      const body = rest.slice(0, -1).join('\n');
      const doc = JSON.parse(body) as { Statement: { Action: string }[] };
      expect(doc.Statement[0]?.Action).toBe('sts:AssumeRole');
      written.set(path, body);
    },
  },
  { match: /^aws iam /, how: 'cannot run here (no AWS): every policy document it names exists and parses', check: (command) => checkAwsCommand(command, written) },
  {
    match: /^docker build -t apigw-doctor \.$/,
    how: 'cannot run here (no Docker engine): the container-image test runs the Dockerfile\'s steps',
    check: () => ranBy('test/integration/container-image.test.ts', 'Dockerfile'),
  },
  {
    match: /^docker compose (up|ps|logs|exec)\b/,
    how: 'cannot run here (no Docker engine): the services it names are in docker-compose.yml, which the container-image test checks',
    check(command) {
      ranBy('test/integration/container-image.test.ts', 'docker-compose.yml');
      const services = Object.keys((compose().services ?? {}));
      for (const named of command.match(/\b(web|worker|redis)\b/g) ?? []) expect(services).toContain(named);
      const exec = /exec web (node .+)$/.exec(command)?.[1];
      // What is run inside the web container is a command of the image: its entry point exists once built.
      if (exec !== undefined) expect(existsSync(join(ROOT, exec.split(' ')[1] ?? ''))).toBe(true);
    },
  },
  { match: /^git pull$/, how: 'needs a remote: not run', check: () => undefined },
];

const commands = readmeCommands(read('README.md'));

describe('every command in the README', () => {
  it('finds the commands (and the first two are the set-up ones)', () => {
    expect(commands.slice(0, 2)).toEqual(['npm ci && npm run demo', 'npm test']);
    expect(commands.length).toBeGreaterThan(20);
  });

  it.each(commands.map((c) => [c.split('\n')[0] ?? c, c]))('%s', async (_title, command) => {
    const rule = RULES.find((r) => r.match.test(command));
    if (rule === undefined) throw new Error(`README command \`${command}\` is run by no test: run it in test/integration/readme-commands.test.ts, or name the test that does (RULES)`);
    await rule.check(command);
  });
});

describe('readmeCommands', () => {
  it('joins continued lines, drops comments and keeps heredocs whole', () => {
    const md = "```bash\n# a comment\nnpm run x \\\n  --flag   # why\ncat > f.json <<'EOF'\n{\"a\": 1}\nEOF\n```\n";
    expect(readmeCommands(md)).toEqual(['npm run x --flag', "cat > f.json <<'EOF'\n{\"a\": 1}\nEOF"]);
  });
});
