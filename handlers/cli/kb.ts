/**
 * `apigw-doctor kb lint [DIR]`: validates knowledge files and runs their examples. Without DIR it
 * checks the shipped causes plus KNOWLEDGE_DIRS; with DIR, the shipped causes plus DIR (a team
 * folder's examples run against the knowledge base the bot would really use).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkAllExamples } from '../../src/diagnosis/knowledge/examples';
import { parseCauseFile } from '../../src/diagnosis/knowledge/parse-cause';
import { UsageError, UserError } from '../../src/errors';
import type { CliCommand, CliDeps, CliIO } from './command';

const usage = `Usage:
  apigw-doctor kb lint [DIR]   validate knowledge files (schema, patterns, templates) and run their examples
  apigw-doctor kb list         the causes the bot knows: statuses, patterns, sources (KNOWLEDGE_DIRS included)`;

export const kbCommand: CliCommand = {
  name: 'kb',
  summary: 'the knowledge base: kb list, kb lint [DIR]',
  usage,
  run: (args, io, deps) => {
    const [sub, dir, ...rest] = args;
    if (sub === 'list' && dir === undefined) return Promise.resolve(listCauses(io, deps));
    if (sub !== 'lint' || rest.length > 0) throw new UsageError(`expected "kb lint [DIR]" or "kb list", got "kb ${args.join(' ')}"`);
    const dirs = dir !== undefined ? [dir] : deps.knowledgeDirs;
    let problems = 0;
    // Every file is checked on its own first, so that one bad file does not hide the next.
    for (const d of [deps.shippedKnowledgeDir, ...dirs]) {
      for (const file of yamlFiles(d)) {
        try {
          parseCauseFile(readFileSync(file, 'utf8'), file);
        } catch (e) {
          if (!(e instanceof UserError)) throw e;
          io.stdout(`✗ ${e.message}\n`);
          problems++;
        }
      }
    }
    if (problems > 0) {
      io.stdout(`${problems} bad knowledge file${problems === 1 ? '' : 's'}; see knowledge/README.md for the schema\n`);
      return Promise.resolve(1);
    }
    const kb = deps.loadKnowledgeWith(dirs);
    for (const w of kb.warnings) io.stdout(`warning: ${w}\n`);
    const results = checkAllExamples(kb);
    for (const r of results.filter((x) => !x.ok)) io.stdout(`✗ ${r.file}: examples.${r.kind} "${r.name}": ${r.detail}\n`);
    const failed = results.filter((r) => !r.ok).length;
    io.stdout(`${kb.causes.length} causes, ${results.length} examples: ${results.length - failed} pass, ${failed} fail\n`);
    return Promise.resolve(failed > 0 ? 1 : 0);
  },
};

function listCauses(io: CliIO, deps: CliDeps): number {
  const kb = deps.loadKnowledge();
  const rows = kb.causes.map((c) => {
    const text = c.signals.filter((s) => s.kind === 'log' || s.kind === 'access');
    const sources = new Set(text.map((s) => s.cite));
    const statuses = [...new Set(Object.values(c.statuses).flat())].sort().join('/');
    return [c.id, c.kind === 'telemetry' ? 'telemetry' : statuses, c.apiTypes.join(','), String(text.length), String(c.signals.length - text.length), String(sources.size)];
  });
  const header = ['cause', 'status', 'API types', 'patterns', 'facts', 'sources'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  for (const r of [header, ...rows]) io.stdout(`${r.map((v, i) => v.padEnd(widths[i] ?? 0)).join('  ').trimEnd()}\n`);
  io.stdout(`${kb.causes.length} causes, ${rows.reduce((n, r) => n + Number(r[3]), 0)} log and access patterns\n`);
  return 0;
}

function yamlFiles(dir: string): string[] {
  try {
    if (!statSync(dir).isDirectory()) throw new UsageError(`${dir} is not a folder; give a folder of *.yaml knowledge files`);
    return readdirSync(dir)
      .filter((n) => /\.ya?ml$/.test(n))
      .sort()
      .map((n) => join(dir, n));
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UsageError(`cannot read knowledge folder ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}
