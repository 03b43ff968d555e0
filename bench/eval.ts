/**
 * `npm run eval`: accuracy of the knowledge base over the real-world cases in test/eval/cases.
 *
 * Each case is evidence copied verbatim from a cited public source, labelled with the cause that
 * source established (test/eval/README.md). Every case goes through the same path as
 * `apigw-doctor diagnose --evidence FILE --json` (in process; `--cli` runs the built CLI instead), and
 * the figures the held-out check uses are printed:
 *   top-1 / top-3: the expected cause first / among the first three, over cases that carry log lines or
 *                  error messages (config-only cases are reported apart);
 *   decisive:      the expected cause first with confidence ≥ 0.8;
 *   confident-wrong: a case where another cause got confidence ≥ 0.8 (must be 0);
 *   abstained:     verdict insufficient-evidence.
 * Exits 1 when a case file is malformed; the figures themselves never fail the run.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Diagnosis } from '../src/diagnosis/engine';
import { diagnose } from '../src/diagnosis/engine';
import { isRecord, parseEvidence } from '../src/diagnosis/evidence';
import type { KnowledgeBase } from '../src/diagnosis/knowledge/cause';
import { loadCliConfig } from '../src/config';
import { PACKAGE_ROOT, loadKnowledge } from '../src/diagnosis/knowledge/load';

export const CASES_DIR = join(PACKAGE_ROOT, 'test', 'eval', 'cases');
const CLI = join(PACKAGE_ROOT, 'dist', 'src', 'bin', 'cli.js');
const DECISIVE = 0.8;

/** The kinds of real-world text the held-out set (issue 10) gathered, one label per case. */
export const CASE_CLASSES = ['runtime', 'service-error', 'duration-timeout', 'proxy-shape', 'non-proxy', 'websocket', 'copied-text', 'client-response'] as const;
export type CaseClass = (typeof CASE_CLASSES)[number];

export interface EvalCase {
  id: string;
  expected: string;
  source: string;
  established: string;
  evidence: Record<string, unknown>;
  file: string;
  /** What kind of text it tests (cases gathered from 2026-12 on). */
  class?: CaseClass;
  /** When it was gathered (ISO date); absent for the first set, gathered with the knowledge base. */
  gathered?: string;
}

export interface CaseResult {
  case: EvalCase;
  withText: boolean;
  rank: number | null;
  confidence: number | null;
  verdict: Diagnosis['verdict'];
  top: { causeId: string; confidence: number }[];
  confidentWrong: { causeId: string; confidence: number }[];
}

/** Every case file under `dir` (recursively), validated. */
export function loadCases(dir = CASES_DIR): EvalCase[] {
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.json')) files.push(path);
    }
  };
  walk(dir);
  return files.map((file) => {
    const doc: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (!isRecord(doc) || typeof doc.id !== 'string' || typeof doc.expected !== 'string' || typeof doc.source !== 'string' || !isRecord(doc.evidence)) {
      throw new Error(`${file}: expected {"id", "expected", "source", "established", "evidence": {…}}`);
    }
    const c: EvalCase = { id: doc.id, expected: doc.expected, source: doc.source, established: typeof doc.established === 'string' ? doc.established : '', evidence: doc.evidence, file };
    if (doc.class !== undefined) {
      const known = CASE_CLASSES.find((k) => k === doc.class);
      if (!known) throw new Error(`${file}: class must be one of ${CASE_CLASSES.join(', ')}, got ${JSON.stringify(doc.class)}`);
      c.class = known;
    }
    if (typeof doc.gathered === 'string') c.gathered = doc.gathered;
    return c;
  });
}

/** Log lines, integration error messages or what the client saw: text to read, not only configuration. */
function hasText(evidence: Record<string, unknown>): boolean {
  const lines = evidence.logLines;
  const messages = evidence.integrationErrorMessages;
  return (Array.isArray(lines) && lines.length > 0) || (Array.isArray(messages) && messages.length > 0) || isRecord(evidence.response);
}

/** Runs one case in process, or through the built CLI exactly as the held-out check does. */
function diagnoseCase(kb: KnowledgeBase, c: EvalCase, viaCli: boolean): Diagnosis {
  if (!viaCli) return diagnose(kb, parseEvidence(c.evidence));
  // The CLI reads the evidence document, not the case wrapper around it.
  const dir = mkdtempSync(join(tmpdir(), 'eval-'));
  try {
    const path = join(dir, 'evidence.json');
    writeFileSync(path, JSON.stringify(c.evidence));
    const r = spawnSync(process.execPath, [CLI, 'diagnose', '--evidence', path, '--json'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${c.file}: diagnose exited ${r.status}: ${r.stderr}`);
    return JSON.parse(r.stdout) as Diagnosis;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function evaluate(kb: KnowledgeBase, cases: readonly EvalCase[], viaCli = false): CaseResult[] {
  return cases.map((c) => {
    const d = diagnoseCase(kb, c, viaCli);
    const index = d.findings.findIndex((f) => f.causeId === c.expected);
    return {
      case: c,
      withText: hasText(c.evidence),
      rank: index < 0 ? null : index + 1,
      confidence: index < 0 ? null : (d.findings[index]?.confidence ?? null),
      verdict: d.verdict,
      top: d.findings.slice(0, 3).map((f) => ({ causeId: f.causeId, confidence: f.confidence })),
      confidentWrong: d.findings.filter((f) => f.causeId !== c.expected && f.confidence >= DECISIVE).map((f) => ({ causeId: f.causeId, confidence: f.confidence })),
    };
  });
}

export interface Figures {
  cases: number;
  top1: number;
  top3: number;
  decisive: number;
  confidentWrong: number;
  abstained: number;
}

export function figures(results: readonly CaseResult[]): Figures {
  const share = (n: number): number => (results.length === 0 ? 0 : n / results.length);
  return {
    cases: results.length,
    top1: share(results.filter((r) => r.rank === 1).length),
    top3: share(results.filter((r) => r.rank !== null && r.rank <= 3).length),
    decisive: share(results.filter((r) => r.rank === 1 && (r.confidence ?? 0) >= DECISIVE).length),
    confidentWrong: results.filter((r) => r.confidentWrong.length > 0).length,
    abstained: results.filter((r) => r.verdict === 'insufficient-evidence').length,
  };
}

function main(): void {
  const viaCli = process.argv.includes('--cli');
  const kb = loadKnowledge(loadCliConfig().knowledgeDirs);
  for (const w of kb.warnings) console.log(`warning: ${w}`);
  const cases = loadCases(process.env.EVAL_CASES ?? CASES_DIR);
  const results = evaluate(kb, cases, viaCli);
  const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
  const line = (name: string, rs: CaseResult[]): string => {
    const f = figures(rs);
    return `${name.padEnd(28)} ${String(f.cases).padStart(4)} cases  top-1 ${pct(f.top1).padStart(6)}  top-3 ${pct(f.top3).padStart(6)}  decisive ${pct(f.decisive).padStart(6)}  confident-wrong ${f.confidentWrong}  abstained ${f.abstained}`;
  };
  const withText = results.filter((r) => r.withText);
  const configOnly = results.filter((r) => !r.withText);
  console.log(`evaluation set: ${cases.length} real cases from ${new Set(cases.map((c) => c.source)).size} public sources (${viaCli ? 'built CLI' : 'in process'})`);
  console.log(line('with log lines / messages', withText));
  console.log(line('config only', configOnly));
  console.log(line('all', results));
  // The first set was gathered with the knowledge base; later ones before the patterns for them.
  const batches = [...new Set(results.map((r) => r.case.gathered ?? 'first set'))].sort();
  if (batches.length > 1) {
    console.log('\nby batch (cases with text):');
    for (const b of batches) console.log(line(`  ${b === 'first set' ? 'first set' : `gathered ${b}`}`, withText.filter((r) => (r.case.gathered ?? 'first set') === b)));
  }
  const classed = results.filter((r) => r.case.class !== undefined);
  if (classed.length > 0) {
    console.log('\nby class (cases gathered with a class):');
    for (const k of CASE_CLASSES) {
      const rs = classed.filter((r) => r.case.class === k);
      if (rs.length > 0) console.log(line(`  ${k}`, rs));
    }
  }

  const byCause = new Map<string, CaseResult[]>();
  for (const r of results) byCause.set(r.case.expected, [...(byCause.get(r.case.expected) ?? []), r]);
  console.log('\nper cause (top-1 of cases):');
  for (const [cause, rs] of [...byCause].sort()) console.log(`  ${cause.padEnd(36)} ${rs.filter((r) => r.rank === 1).length}/${rs.length}`);

  const misses = results.filter((r) => r.rank !== 1 || r.confidentWrong.length > 0);
  if (misses.length > 0) {
    console.log('\nnot first, or a confident wrong cause:');
    for (const r of misses) {
      const got = r.top.map((t) => `${t.causeId} ${t.confidence}`).join(', ') || 'no findings';
      console.log(`  ${r.case.id}: expected ${r.case.expected} (rank ${r.rank ?? '-'}), got ${got}${r.confidentWrong.length > 0 ? '  ← CONFIDENT WRONG' : ''}`);
    }
  }
}

if (require.main === module) main();
