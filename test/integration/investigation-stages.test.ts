/**
 * Evidence that belongs to the stage asked about, through a whole investigation: two busy stages that
 * invoke one function share its log and metrics, so for the stage without logs of its own they are shown
 * marked as shared and never decide; the stage whose own execution log names the failure is decided as
 * before; and a stage without traffic makes nothing shared.
 */
import { createAwsPorts } from '../../src/collect/adapters/aws/create-ports';
import { apiMetrics } from '../../src/collect/adapters/sandbox/scenarios/kit';
import type { Investigation } from '../../src/collect/investigate';
import { investigate } from '../../src/collect/investigate';
import { logLiteralsOf } from '../../src/collect/log-literals';
import type { Diagnosis } from '../../src/diagnosis/engine';
import { CONFIDENT, SHARED_CAP, diagnose } from '../../src/diagnosis/engine';
import { renderInvestigationReport } from '../../src/render/investigation-report';
import type { World } from '../helpers/aws-world';
import { installWorld } from '../helpers/aws-world';
import * as scenarios from '../helpers/aws-scenarios';
import { ONSET, WINDOW } from '../helpers/aws-scenarios';
import { shippedKnowledge } from '../helpers/knowledge';

const kb = shippedKnowledge();

async function why(world: World, stage: string): Promise<{ investigation: Investigation; diagnosis: Diagnosis }> {
  const installed = installWorld(world);
  try {
    const ports = createAwsPorts({ region: world.region, dns: installed.dns, logs: { pollMs: 1, maxPollMs: 2 } });
    const investigation = await investigate(ports, { api: 'orders-api', status: '5xx', stage, from: WINDOW.from, to: WINDOW.to }, { literals: logLiteralsOf(kb) });
    return { investigation, diagnosis: diagnose(kb, investigation.evidence) };
  } finally {
    installed.restore();
  }
}

/** orders-handler times out; prod's execution log says so; dev (no logging) now has traffic and 5xx too. */
function busyDev(): World {
  const world = scenarios.lambdaTimeout();
  world.metrics.push(...apiMetrics({ rest: true, apiName: 'orders-api' }, 'dev', ONSET, { errorsPerMinute: 2, count: 50 }));
  return world;
}

test('the stage without logs of its own: the shared function\'s evidence is listed, marked, and decides nothing', async () => {
  const { investigation, diagnosis } = await why(busyDev(), 'dev');
  expect(investigation.evidence.shared).toEqual({ logs: ['lambda'], metrics: ['lambdaErrors', 'lambdaThrottles', 'lambdaDurationMaxMs'], with: ['stage prod'] });
  // First what would tell: the stage writes no logs; then the shared function's timeouts, capped and marked.
  expect(diagnosis.findings.map((f) => f.causeId).slice(0, 2)).toEqual(['rest-api-no-logging', 'lambda-timeout']);
  const shared = diagnosis.findings[1];
  expect(shared?.confidence).toBeLessThanOrEqual(SHARED_CAP);
  expect(shared?.sharedWith).toEqual(['stage prod']);
  expect(diagnosis.verdict).toBe('insufficient-evidence');
  const text = renderInvestigationReport(diagnosis, investigation, { status: '5xx' });
  expect(text).toContain('(shared with stage prod: may be theirs)');
  expect(text).toContain('Only evidence this stage shares with stage prod points here');
});

test("the stage whose own execution log names the failure is decided, even though it shares the function", async () => {
  const { investigation, diagnosis } = await why(busyDev(), 'prod');
  expect(investigation.evidence.shared?.with).toEqual(['stage dev']);
  expect(diagnosis.findings[0]).toMatchObject({ causeId: 'lambda-timeout' });
  expect(diagnosis.findings[0]?.confidence).toBeGreaterThanOrEqual(CONFIDENT);
  expect(diagnosis.findings[0]?.sharedWith).toBeUndefined();
  expect(diagnosis.verdict).toBe('diagnosed');
});

test('a stage without traffic shares nothing with the stage that fails', async () => {
  const { investigation } = await why(scenarios.lambdaTimeout(), 'prod');
  expect(investigation.evidence.shared).toBeUndefined();
  expect(investigation.stages?.find((s) => s.stage === 'dev')).toEqual({ stage: 'dev', count5xx: 0, count: 0 });
});
