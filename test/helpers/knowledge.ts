import type { KnowledgeBase } from '../../src/diagnosis/knowledge/cause';
import { loadKnowledge } from '../../src/diagnosis/knowledge/load';
import { diagnose } from '../../src/diagnosis/engine';
import type { Diagnosis } from '../../src/diagnosis/engine';
import { parseEvidence } from '../../src/diagnosis/evidence';

let shipped: KnowledgeBase | undefined;

/** The shipped knowledge base, loaded once per test file. */
export function shippedKnowledge(): KnowledgeBase {
  shipped ??= loadKnowledge();
  return shipped;
}

/** Diagnoses a JSON evidence document with the shipped knowledge base. */
export function diagnoseDoc(doc: unknown): Diagnosis {
  return diagnose(shippedKnowledge(), parseEvidence(doc));
}
