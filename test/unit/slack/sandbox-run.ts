/**
 * Real investigations for the Block Kit tests: a sandbox scenario run through the real pipeline
 * (sandbox world → SDK clients → ports → investigate → diagnose), as in
 * test/integration/sandbox-scenarios.test.ts.
 */
import { findScenario, sandboxWorld } from '../../../src/collect/adapters/sandbox/sandbox-world';
import type { Scenario } from '../../../src/collect/adapters/sandbox/scenario';
import type { Investigation } from '../../../src/collect/investigate';
import { investigate } from '../../../src/collect/investigate';
import { logLiteralsOf } from '../../../src/collect/log-literals';
import type { Diagnosis } from '../../../src/diagnosis/engine';
import { diagnose } from '../../../src/diagnosis/engine';
import type { KnowledgeBase } from '../../../src/diagnosis/knowledge/cause';
import { loadKnowledge } from '../../../src/diagnosis/knowledge/load';
import { sandboxPorts } from '../../../src/collect/adapters/sandbox-ports';

export const NOW = new Date('2026-11-25T15:00:00Z');
const HOUR = 3_600_000;

export interface SandboxRun {
  scenario: Scenario;
  investigation: Investigation;
  diagnosis: Diagnosis;
}

let kb: KnowledgeBase | undefined;

/** Investigates a scenario's API and stage over the hour before `NOW`, and diagnoses it. */
export async function runScenario(id: string): Promise<SandboxRun> {
  kb ??= loadKnowledge([]);
  const scenario = findScenario(id);
  if (!scenario) throw new Error(`no sandbox scenario ${id}`);
  const { ports } = sandboxPorts(sandboxWorld(NOW), { logs: { pollMs: 1, maxPollMs: 2 } });
  const investigation = await investigate(
    ports,
    { api: scenario.apiName, status: scenario.status, stage: scenario.stage, from: new Date(NOW.getTime() - HOUR), to: NOW },
    { literals: logLiteralsOf(kb) },
  );
  return { scenario, investigation, diagnosis: diagnose(kb, investigation.evidence) };
}
