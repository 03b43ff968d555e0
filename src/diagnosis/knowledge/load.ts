/**
 * Loads the knowledge base: the shipped `knowledge/` folder plus any team folders
 * (`KNOWLEDGE_DIRS`). A cause id in a later folder replaces the earlier one, with a warning.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { KnowledgeError } from '../../errors';
import type { Cause, KnowledgeBase } from './cause';
import { parseCauseFile } from './parse-cause';

/** The package root: the first folder above this module with a package.json (src/ in tests, dist/src/ when built). */
function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return resolve(from, '..', '..', '..');
  }
}

export const PACKAGE_ROOT = findPackageRoot(__dirname);

/** The folder of causes shipped with the package (`<package>/knowledge`). */
export const SHIPPED_KNOWLEDGE_DIR = join(PACKAGE_ROOT, 'knowledge');

/** Paths inside the package are shown relative to it (`knowledge/x.yaml`), others as given. */
function shown(file: string): string {
  const rel = relative(PACKAGE_ROOT, file);
  return rel.startsWith('..') || rel === '' ? file : rel;
}

/** Reads every `*.yaml` / `*.yml` file of one folder, in name order. Throws on the first bad file. */
export function loadCauseDir(dir: string): Cause[] {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new KnowledgeError(dir, '', 'expected a folder of *.yaml knowledge files');
    names = readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch (e) {
    if (e instanceof KnowledgeError) throw e;
    throw new KnowledgeError(dir, '', `cannot read this knowledge folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); check the path in KNOWLEDGE_DIRS`);
  }
  const causes: Cause[] = [];
  const ids = new Map<string, string>();
  for (const name of names) {
    const file = join(dir, name);
    const cause = parseCauseFile(readFileSync(file, 'utf8'), shown(file));
    const other = ids.get(cause.id);
    if (other !== undefined) throw new KnowledgeError(shown(file), 'id', `"${cause.id}" is already defined by ${other}; ids must be unique within a folder`);
    ids.set(cause.id, shown(file));
    causes.push(cause);
  }
  return causes;
}

/** `unlessSeen` must name text signals that exist once every folder is loaded. */
function checkSignalReferences(causes: readonly Cause[]): void {
  const textSignals = new Set(causes.flatMap((c) => c.signals.filter((s) => s.kind === 'log' || s.kind === 'access').map((s) => s.uid)));
  for (const cause of causes) {
    cause.signals.forEach((s, i) => {
      s.unlessSeen?.forEach((ref, j) => {
        if (!textSignals.has(ref)) throw new KnowledgeError(cause.file, `signals[${i}].unlessSeen[${j}]`, `no log or access signal "${ref}" in the knowledge base`);
      });
    });
  }
}

/** Loads the shipped causes and then each extra folder; later ids override earlier ones. */
export function loadKnowledge(extraDirs: readonly string[] = [], shippedDir = SHIPPED_KNOWLEDGE_DIR): KnowledgeBase {
  const byId = new Map<string, Cause>();
  const warnings: string[] = [];
  const dirs = [shippedDir, ...extraDirs.filter((d) => resolve(d) !== resolve(shippedDir))];
  for (const dir of dirs) {
    for (const cause of loadCauseDir(dir)) {
      const previous = byId.get(cause.id);
      if (previous) warnings.push(`${cause.file} overrides cause "${cause.id}" from ${previous.file}`);
      byId.set(cause.id, cause);
    }
  }
  const causes = [...byId.values()];
  checkSignalReferences(causes);
  return { causes, warnings };
}
