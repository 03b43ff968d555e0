/**
 * Runs the examples a knowledge file carries: `match` evidence must put the cause first (or at the
 * rank given) with at least the confidence given; `noMatch` evidence must not list it (or keep it
 * under `maxConfidence`). `kb lint` and the test suite both run them.
 */
import { diagnose } from '../engine';
import { parseEvidence } from '../evidence';
import type { Cause, Example, KnowledgeBase } from './cause';

/** A match example's default: the cause first and decisive. */
export const DEFAULT_MIN_CONFIDENCE = 0.8;

export interface ExampleResult {
  causeId: string;
  file: string;
  kind: 'match' | 'noMatch';
  name: string;
  ok: boolean;
  /** What happened, e.g. "first was lambda-function-error (0.93); this cause ranked 2 at 0.55". */
  detail: string;
}

export function checkExample(kb: KnowledgeBase, cause: Cause, example: Example, kind: 'match' | 'noMatch'): ExampleResult {
  const result = diagnose(kb, parseEvidence(example.evidence));
  const index = result.findings.findIndex((f) => f.causeId === cause.id);
  const found = result.findings[index];
  const first = result.findings[0];
  const firstText = first ? `first was ${first.causeId} (${first.confidence})` : 'no findings';
  const base = { causeId: cause.id, file: cause.file, kind, name: example.name };
  if (kind === 'match') {
    const rank = example.rank ?? 1;
    const min = example.minConfidence ?? DEFAULT_MIN_CONFIDENCE;
    const ok = found !== undefined && index + 1 <= rank && found.confidence >= min;
    const detail = found ? `${firstText}; ${cause.id} ranked ${index + 1} at ${found.confidence} (needs rank ≤ ${rank}, confidence ≥ ${min})` : `${firstText}; ${cause.id} not listed`;
    return { ...base, ok, detail };
  }
  const max = example.maxConfidence;
  const ok = found === undefined || (max !== undefined && found.confidence <= max);
  const detail = found ? `${cause.id} listed at ${found.confidence}${max !== undefined ? ` (allowed ≤ ${max})` : ' (must not be listed)'}; ${firstText}` : `not listed; ${firstText}`;
  return { ...base, ok, detail };
}

/** Every example of every cause in the knowledge base. */
export function checkAllExamples(kb: KnowledgeBase): ExampleResult[] {
  return kb.causes.flatMap((cause) => [
    ...cause.examples.match.map((e) => checkExample(kb, cause, e, 'match')),
    ...cause.examples.noMatch.map((e) => checkExample(kb, cause, e, 'noMatch')),
  ]);
}
