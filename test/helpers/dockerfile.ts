/**
 * A Dockerfile read and run without a Docker engine, as far as that goes: `parseDockerfile` knows the
 * instructions this repository's Dockerfile uses and throws on any other, so that the test reading it
 * cannot drift from it silently; `buildContext` copies what `.dockerignore` lets through; `runStages`
 * executes each stage in a folder of its own (WORKDIR inside it, COPY from the context or an earlier
 * stage, RUN with `sh -c` and the stage's ENV). The base image is not there: RUN uses this machine's
 * Node and npm, and USER, EXPOSE, HEALTHCHECK and CMD are only recorded.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { basename, join, posix } from 'node:path';

/** One step of a stage, in order: what changes its folder or the environment of later steps. */
export type StageStep =
  | { op: 'workdir'; path: string }
  /** `dest` is absolute; `intoFolder` when it was written ending in `/`. */
  | { op: 'copy'; from?: string; sources: string[]; dest: string; intoFolder: boolean }
  | { op: 'run'; argv: string[] }
  | { op: 'env'; vars: Record<string, string> };

export interface HealthCheck {
  /** `--interval=30s` and the like, by name without the dashes. */
  options: Record<string, string>;
  argv: string[];
}

export interface Stage {
  /** The `AS` name, or the stage's index when it has none. */
  name: string;
  /** The `FROM` image (or an earlier stage's name). */
  base: string;
  steps: StageStep[];
  /** As the stage ends. */
  workdir: string;
  env: Record<string, string>;
  user?: string;
  expose: string[];
  healthcheck?: HealthCheck;
  cmd?: string[];
}

/** A stage executed into `root`, its filesystem; the stage's `/app` is `join(root, 'app')`. */
export interface BuiltStage {
  stage: Stage;
  root: string;
  /** The stage's WORKDIR inside `root`. */
  dir: string;
}

const KNOWN = 'FROM … [AS name], WORKDIR, COPY [--from=stage], RUN, ENV, USER, EXPOSE, HEALTHCHECK, CMD';

/** The stages of a Dockerfile, in order. Throws on an instruction, flag or form this runner does not understand. */
export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  for (const { keyword, args, line } of logicalLines(text)) {
    const fail: (why: string) => never = (why) => {
      throw new Error(`Dockerfile line ${line}: ${keyword} ${args}: ${why} (this runner knows ${KNOWN}; teach test/helpers/dockerfile.ts the rest)`);
    };
    if (keyword === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+([A-Za-z][\w.-]*))?$/i.exec(args);
      if (!m || m[1]!.startsWith('--')) fail('expected FROM image [AS name]');
      const base = m[1]!;
      const earlier = stages.find((s) => s.name === base);
      stages.push({
        name: m[2] ?? String(stages.length),
        base,
        steps: [],
        workdir: earlier?.workdir ?? '/',
        env: { ...earlier?.env },
        ...(earlier?.user !== undefined ? { user: earlier.user } : {}),
        expose: [...(earlier?.expose ?? [])],
        ...(earlier?.healthcheck ? { healthcheck: earlier.healthcheck } : {}),
        ...(earlier?.cmd ? { cmd: earlier.cmd } : {}),
      });
      continue;
    }
    const stage = stages.at(-1) ?? fail('comes before any FROM');
    // Variable expansion outside RUN is not implemented: refuse it rather than copy a literal "$X".
    if (keyword !== 'RUN' && keyword !== 'CMD' && keyword !== 'HEALTHCHECK' && args.includes('$')) fail('variable expansion is not supported here');
    switch (keyword) {
      case 'WORKDIR':
        stage.workdir = posix.resolve(stage.workdir, args);
        stage.steps.push({ op: 'workdir', path: stage.workdir });
        break;
      case 'COPY': {
        const words = jsonArray(args) ?? args.split(/\s+/);
        let from: string | undefined;
        while (words[0]?.startsWith('--')) {
          const flag = words.shift()!;
          const m = /^--from=(.+)$/.exec(flag);
          if (!m) fail(`the flag ${flag} is not supported`);
          from = m[1]!;
          if (!stages.slice(0, -1).some((s) => s.name === from)) fail(`--from=${from} names no earlier stage`);
        }
        if (words.length < 2) fail('expected COPY source… destination');
        const dest = words.pop()!;
        if (words.some((w) => /[*?[]/.test(w))) fail('wildcards in sources are not supported');
        if (words.length > 1 && !dest.endsWith('/')) fail('with several sources the destination must end in /');
        stage.steps.push({ op: 'copy', ...(from !== undefined ? { from } : {}), sources: words, dest: posix.resolve(stage.workdir, dest), intoFolder: dest.endsWith('/') });
        break;
      }
      case 'RUN':
        if (args.startsWith('--')) fail('RUN flags are not supported');
        stage.steps.push({ op: 'run', argv: commandOf(args, ['/bin/sh', '-c']) });
        break;
      case 'ENV': {
        const vars = envPairs(args) ?? fail('expected ENV NAME=value …');
        Object.assign(stage.env, vars);
        stage.steps.push({ op: 'env', vars });
        break;
      }
      case 'USER':
        if (!/^\S+$/.test(args)) fail('expected USER name[:group]');
        stage.user = args;
        break;
      case 'EXPOSE':
        stage.expose.push(...args.split(/\s+/));
        break;
      case 'HEALTHCHECK': {
        const m = /^((?:--[a-z-]+=\S+\s+)*)CMD\s+([\s\S]+)$/.exec(args);
        if (!m) fail('expected HEALTHCHECK [--option=value…] CMD command');
        const options = Object.fromEntries([...m[1]!.matchAll(/--([a-z-]+)=(\S+)/g)].map((o) => [o[1]!, o[2]!]));
        stage.healthcheck = { options, argv: commandOf(m[2]!, ['/bin/sh', '-c']) };
        break;
      }
      case 'CMD':
        stage.cmd = commandOf(args, ['/bin/sh', '-c']);
        break;
      default:
        fail('not understood');
    }
  }
  if (stages.length === 0) throw new Error('Dockerfile: no FROM');
  return stages;
}

/**
 * The Dockerfile's instructions, one per logical line: comments and blank lines dropped, lines ending
 * in `\` joined with the next (comment lines inside a continuation are dropped, as Docker does).
 */
function logicalLines(text: string): { keyword: string; args: string; line: number }[] {
  const out: { keyword: string; args: string; line: number }[] = [];
  let pending: { text: string; line: number } | undefined;
  text.split('\n').forEach((raw, i) => {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const continued = trimmed.endsWith('\\');
    const part = continued ? trimmed.slice(0, -1).trim() : trimmed;
    pending = pending ? { text: `${pending.text} ${part}`, line: pending.line } : { text: part, line: i + 1 };
    if (continued) return;
    const m = /^(\S+)\s*([\s\S]*)$/.exec(pending.text)!;
    out.push({ keyword: m[1]!.toUpperCase(), args: m[2]!.trim(), line: pending.line });
    pending = undefined;
  });
  if (pending) throw new Error(`Dockerfile line ${pending.line}: ends in a continuation`);
  return out;
}

/** The JSON (exec) form `["a", "b"]`, or undefined for the shell form (as Docker falls back to it). */
function jsonArray(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  try {
    const value: unknown = JSON.parse(args);
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
  } catch {
    return undefined;
  }
}

function commandOf(args: string, shell: string[]): string[] {
  return jsonArray(args) ?? [...shell, args];
}

/** `A=1 B="two words"` (or the legacy `A value`), undefined when unreadable. */
function envPairs(args: string): Record<string, string> | undefined {
  if (!args.includes('=')) {
    const m = /^(\S+)\s+(.+)$/.exec(args);
    return m ? { [m[1]!]: m[2]! } : undefined;
  }
  const vars: Record<string, string> = {};
  const pair = /([A-Za-z_][A-Za-z0-9_]*)=(?:"((?:[^"\\]|\\.)*)"|(\S*))(?:\s+|$)/gy;
  let m: RegExpExecArray | null;
  while (pair.lastIndex < args.length && (m = pair.exec(args)) !== null) vars[m[1]!] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!;
  return pair.lastIndex === args.length ? vars : undefined;
}

// ---------------------------------------------------------------------------------------------

/**
 * The rules of a `.dockerignore`: each line a pattern relative to the context root (`*` within a path
 * segment, `**` across segments, `?`, `[…]`), `!` letting back in what an earlier line left out; the
 * last matching line decides, and a pattern that matches a folder matches everything in it.
 */
export class DockerIgnore {
  private readonly rules: { exception: boolean; re: RegExp; segments: string[] }[];

  constructor(text: string) {
    this.rules = text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'))
      .map((l) => {
        const exception = l.startsWith('!');
        const pattern = posix.normalize((exception ? l.slice(1) : l).trim()).replace(/^\/+|\/+$/g, '');
        return { exception, re: globToRegExp(pattern), segments: pattern.split('/') };
      });
  }

  /** Whether the file or folder at `path` (relative, `/`-separated) is left out of the context. */
  excludes(path: string): boolean {
    const parts = path.split('/');
    const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
    let excluded = false;
    for (const rule of this.rules) {
      if (prefixes.some((p) => rule.re.test(p))) excluded = !rule.exception;
    }
    return excluded;
  }

  /** Whether an exception (`!…`) could let back in something below the left-out folder `dir`. */
  mayIncludeBelow(dir: string): boolean {
    const parts = dir.split('/');
    return this.rules.some((rule) => {
      if (!rule.exception) return false;
      for (let i = 0; i < parts.length; i++) {
        const seg = rule.segments[i];
        if (seg === undefined) return false;
        if (seg.includes('**')) return true;
        if (!globToRegExp(seg).test(parts[i]!)) return false;
      }
      return rule.segments.length > parts.length;
    });
  }
}

function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      i += 1;
      if (pattern[i + 1] === '/') {
        i += 1;
        re += '(?:.*/)?';
      } else re += '.*';
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) throw new Error(`.dockerignore: unclosed [ in ${pattern}`);
      re += `[${pattern.slice(i + 1, end).replace(/\\/g, '\\\\')}]`;
      i = end;
    } else if (c === '\\' && i + 1 < pattern.length) {
      i += 1;
      re += pattern[i]!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Copies into `dest` the files of `root` that `ignore` lets through; returns their relative paths. */
export function buildContext(root: string, ignore: DockerIgnore, dest: string): string[] {
  const kept: string[] = [];
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const path = rel === '' ? name : `${rel}/${name}`;
      const isDir = statSync(join(root, path)).isDirectory();
      if (ignore.excludes(path)) {
        if (isDir && ignore.mayIncludeBelow(path)) walk(path);
        continue;
      }
      if (isDir) walk(path);
      else {
        mkdirSync(join(dest, rel), { recursive: true });
        cpSync(join(root, path), join(dest, path));
        kept.push(path);
      }
    }
  };
  mkdirSync(dest, { recursive: true });
  walk('');
  return kept;
}

// ---------------------------------------------------------------------------------------------

export interface RunStagesOptions {
  /** The build context (see `buildContext`). */
  context: string;
  /** Where the stages' folders go: `<into>/<stage name>`. */
  into: string;
  /** The environment RUN starts from (the base image's, here: PATH, HOME, …); the stage's ENV goes on top. */
  env: Record<string, string>;
  /** Every RUN's output, for a log (default: dropped). */
  onOutput?: (stage: string, text: string) => void;
}

/** Executes every stage in order; resolves with each one's folder, by stage name. */
export async function runStages(stages: readonly Stage[], options: RunStagesOptions): Promise<Map<string, BuiltStage>> {
  const built = new Map<string, BuiltStage>();
  for (const stage of stages) {
    const root = join(options.into, stage.name);
    const earlier = built.get(stage.base);
    if (earlier) cpSync(earlier.root, root, { recursive: true, verbatimSymlinks: true });
    mkdirSync(root, { recursive: true });
    let workdir = earlier?.stage.workdir ?? '/';
    const env: Record<string, string> = { ...options.env, ...earlier?.stage.env };
    const inRoot = (path: string): string => join(root, path);
    for (const step of stage.steps) {
      switch (step.op) {
        case 'workdir':
          workdir = step.path;
          mkdirSync(inRoot(workdir), { recursive: true });
          break;
        case 'env':
          Object.assign(env, step.vars);
          break;
        case 'copy': {
          const from = step.from !== undefined ? built.get(step.from) : undefined;
          for (const source of step.sources) {
            // With --from, a source is a path in that stage's filesystem (relative ones from its root).
            const src = from ? join(from.root, posix.resolve('/', source)) : join(options.context, posix.normalize(source));
            if (!from && (posix.normalize(source).startsWith('..') || posix.isAbsolute(source))) throw new Error(`COPY ${source}: outside the build context`);
            if (!existsSync(src)) throw new Error(`stage ${stage.name}: COPY ${step.from !== undefined ? `--from=${step.from} ` : ''}${source}: not found${from ? '' : ' in the build context (does .dockerignore leave it out?)'}`);
            // A folder's contents go into the destination; a file goes to it, or into it when it is a folder
            // (written ending in "/", or one that exists, such as ".").
            const dest = inRoot(step.dest);
            const intoFolder = step.intoFolder || (existsSync(dest) && statSync(dest).isDirectory());
            const target = !statSync(src).isDirectory() && intoFolder ? join(dest, basename(source)) : dest;
            cpSync(src, target, { recursive: true, verbatimSymlinks: true });
          }
          break;
        }
        case 'run':
          await run(step.argv, inRoot(workdir), env, stage.name, options.onOutput);
          break;
      }
    }
    built.set(stage.name, { stage, root, dir: inRoot(workdir) });
  }
  return built;
}

function run(argv: string[], cwd: string, env: Record<string, string>, stage: string, onOutput?: (stage: string, text: string) => void): Promise<void> {
  mkdirSync(cwd, { recursive: true });
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const take = (d: Buffer): void => {
      const text = d.toString('utf8');
      onOutput?.(stage, text);
      tail = (tail + text).slice(-4_000);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`stage ${stage}: RUN ${argv.join(' ')} exited with ${String(code)}:\n${tail}`))));
  });
}
