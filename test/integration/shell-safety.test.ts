/**
 * Nothing the bot prints can run anything but the intended `aws …` command. Every fix of every cause
 * (and every "missing" command) is rendered with hostile values and run in a real bash whose PATH
 * holds only a fake `aws` that records its arguments: only `aws` may run, each command exactly as the
 * template says, each value arriving as one whole argument.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { diagnose } from '../../src/diagnosis/engine';
import type { ApiType } from '../../src/diagnosis/evidence';
import { API_TYPES, TARGET_FIELDS, parseEvidence } from '../../src/diagnosis/evidence';
import { ALL_FACTS } from '../../src/diagnosis/facts';
import { fixCommandLines, renderFix } from '../../src/diagnosis/fixes';
import type { TemplateContext } from '../../src/diagnosis/placeholders';
import { resolvePlaceholder } from '../../src/diagnosis/placeholders';
import { expandTemplate } from '../../src/diagnosis/shell';
import { shippedKnowledge } from '../helpers/knowledge';

const kb = shippedKnowledge();
let dir: string;
let record: string;
let canary: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'shell-safety-'));
  record = join(dir, 'aws-calls');
  canary = join(dir, 'PWNED');
  const bin = join(dir, 'bin');
  execFileSync('/bin/mkdir', [bin]);
  // The recorder: argc, then each argument, NUL-terminated. printf is a bash builtin, so it needs no PATH.
  writeFileSync(join(bin, 'aws'), `#!/bin/bash\nprintf '%s\\0' "$#" "$@" >> "$AWS_RECORD"\n`);
  chmodSync(join(bin, 'aws'), 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs shell text in bash with only the recorder on PATH; returns the argv of each `aws` call. */
function runInBash(script: string): string[][] {
  rmSync(record, { force: true });
  let stderr = '';
  try {
    execFileSync('/bin/bash', ['--noprofile', '--norc', '-c', script], {
      env: { PATH: join(dir, 'bin'), AWS_RECORD: record, HOME: dir },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (e) {
    stderr = String((e as { stderr?: Buffer }).stderr ?? e);
  }
  expect(stderr).toBe('');
  expect(existsSync(canary)).toBe(false);
  const fields = existsSync(record) ? readFileSync(record, 'utf8').split('\0').slice(0, -1) : [];
  const calls: string[][] = [];
  for (let i = 0; i < fields.length; ) {
    const argc = Number(fields[i]);
    calls.push(fields.slice(i + 1, i + 1 + argc));
    i += 1 + argc;
  }
  return calls;
}

const PLACEHOLDER_FIELDS = [...TARGET_FIELDS, ...Object.keys(ALL_FACTS)];

function hostileContext(apiType: ApiType, value: (name: string, i: number) => string): TemplateContext {
  const entries = PLACEHOLDER_FIELDS.map((name, i) => [name, value(name, i)] as const);
  const all = Object.fromEntries(entries);
  return { apiType, target: all, config: all, metrics: {} };
}

const fixedHostile = (): string[] => [
  `$(/usr/bin/touch ${canary})`,
  `\`/usr/bin/touch ${canary}\``,
  `'; /usr/bin/touch ${canary}; echo '`,
  `" ; /usr/bin/touch ${canary} #`,
  `a\nb; /usr/bin/touch ${canary}`,
  `x | /usr/bin/touch ${canary} > ${canary}`,
  `\${PATH} $HOME * ? [a] ~root {a,b} !! \\ \t`,
  '--region',
  '',
];

const fixes = kb.causes.flatMap((cause) =>
  cause.fixes.flatMap((fix, i) => (fix.apiTypes ?? API_TYPES).map((apiType) => [`${cause.id} fix ${i} (${apiType})`, fix, apiType] as const)),
);

describe.each(fixes)('%s', (_name, fix, apiType) => {
  function check(ctx: TemplateContext): void {
    const rendered = renderFix(fix, ctx);
    const valueOf = (name: string): string => resolvePlaceholder(name, ctx).value;
    const expected = [...expandTemplate(fixCommandLines(fix, apiType), valueOf), ...expandTemplate(fix.verify, valueOf)];
    const calls = runInBash(`${rendered.command}\n${rendered.verify}\n`);
    expect(calls).toEqual(expected.map((argv) => argv.slice(1)));
    expect(expected.every((argv) => argv[0] === 'aws')).toBe(true);
  }

  test('fixed hostile values (command substitution, quotes, newlines, pipes, redirects, globs, empty)', () => {
    for (const bad of fixedHostile()) check(hostileContext(apiType, () => bad));
  });

  test('every placeholder unknown: visible <placeholders>, still one argument each', () => {
    const ctx: TemplateContext = { apiType, target: {}, config: {}, metrics: {} };
    check(ctx);
    const rendered = renderFix(fix, ctx);
    expect(`${rendered.command}\n${rendered.verify}`).not.toMatch(/ ''( |$)/m);
  });

  test('random values', () => {
    const value = fc.string({ unit: fc.oneof(fc.constantFrom(..."'\"`$();|&<>\\\n\t *?[]{}!#~%"), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 24 });
    fc.assert(
      fc.property(fc.array(value, { minLength: PLACEHOLDER_FIELDS.length, maxLength: PLACEHOLDER_FIELDS.length }), (values) => {
        check(hostileContext(apiType, (_n, i) => values[i] ?? ''));
      }),
      { numRuns: 15 },
    );
  });
});

test('the "missing" commands are as safe: hostile ids in the evidence arrive whole, and only aws runs', () => {
  const bad = `x'$(/usr/bin/touch ${canary})"\`/usr/bin/touch ${canary}\`;|>y`;
  const target = Object.fromEntries(TARGET_FIELDS.map((f) => [f, `${f}-${bad}`]));
  for (const apiType of API_TYPES) {
    const result = diagnose(kb, parseEvidence({ status: '5xx', apiType, target, logLines: ['Execution failed due to configuration error: Invalid permissions on Lambda function'] }));
    const scripts = [...result.missing.map((m) => m.how), ...result.findings.flatMap((f) => f.fixes.flatMap((x) => [x.command, x.verify]))];
    expect(scripts.length).toBeGreaterThan(1);
    for (const script of scripts) {
      const calls = runInBash(script);
      expect(calls.length).toBeGreaterThan(0);
      // Wherever a value starts, all of it is in that one argument: no value was split or cut.
      for (const arg of calls.flat()) {
        for (const field of TARGET_FIELDS) if (arg.includes(`${field}-x'`)) expect(arg).toContain(`${field}-${bad}`);
      }
      expect(calls.flat().some((a) => a.includes(bad))).toBe(true);
    }
  }
});

test('the access-log command hands the CLI its patch operations as one JSON argument (shorthand would split the format at its commas)', () => {
  const result = diagnose(kb, parseEvidence({ status: 502, apiType: 'REST', config: { accessLogging: false }, target: { apiId: 'a1b2c3d4e5', stage: 'prod', region: 'us-east-1', accountId: '123456789012' } }));
  const how = result.missing.find((m) => m.what.startsWith('access logs'))?.how ?? '';
  const update = runInBash(how).find((argv) => argv.includes('update-stage')) ?? [];
  const ops = JSON.parse(update[update.indexOf('--patch-operations') + 1] ?? 'null') as { op: string; path: string; value: string }[];
  expect(ops.map((o) => o.path)).toEqual(['/accessLogSettings/destinationArn', '/accessLogSettings/format']);
  expect(ops[0]?.value).toBe('arn:aws:logs:us-east-1:123456789012:log-group:/aws/apigateway/access-logs/a1b2c3d4e5');
  expect(JSON.parse(ops[1]?.value ?? '{}')).toMatchObject({ integrationErrorMessage: '$context.integrationErrorMessage', errorResponseType: '$context.error.responseType' });
});
