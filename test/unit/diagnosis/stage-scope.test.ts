/**
 * Evidence that belongs to the stage asked about: a stage without 5xx gets no cause and no advice;
 * evidence it shares with other busy stages (a function they all invoke) is shown but never decides; the
 * runtime's REPORT lines say how long and how much memory, where no metric does.
 */
import { CONFIDENT, SHARED_CAP, diagnose } from '../../../src/diagnosis/engine';
import { parseEvidence } from '../../../src/diagnosis/evidence';
import { shippedKnowledge } from '../../helpers/knowledge';

const kb = shippedKnowledge();
const THROTTLED = { message: 'Lambda invocation failed with status: 429. Lambda request id: 5b1f3e1a-7c2d-4e8f-9a0b-1c2d3e4f5a6b', source: 'execution' };
const FUNCTION_ERROR = { message: '2026-11-25T14:02:11.121Z\t6d0f1e2a-3b4c-4d5e-8f90-a1b2c3d4e5f6\tERROR\tInvoke Error \t{"errorType":"TypeError","errorMessage":"x is undefined"}', source: 'lambda' };

test('a stage with no 5xx in the window gets no cause and no advice, whatever its shared function logged', () => {
  const d = diagnose(kb, parseEvidence({ status: '5xx', apiType: 'REST', metrics: { count5xx: 0, count: 0, lambdaThrottles: 2204 }, config: { lambdaReservedConcurrency: 0, executionLogging: 'OFF', accessLogging: false }, logLines: [FUNCTION_ERROR] }));
  expect(d).toMatchObject({ verdict: 'insufficient-evidence', quiet: true, findings: [], missing: [] });
});

test('no 5xx counted, but the stage\'s own log shows failures: it is diagnosed (metrics lag)', () => {
  const d = diagnose(kb, parseEvidence({ status: 500, apiType: 'REST', metrics: { count5xx: 0 }, logLines: [THROTTLED] }));
  expect(d.quiet).toBeUndefined();
  expect(d.findings[0]?.causeId).toBe('lambda-throttled');
});

test('evidence shared with a busy stage is listed but never decides; the stage\'s own log does', () => {
  const shared = { logs: ['lambda'], metrics: ['lambdaErrors', 'lambdaThrottles', 'lambdaDurationMaxMs'], with: ['stage dev'] };
  const alone = diagnose(kb, parseEvidence({ status: 502, apiType: 'REST', integrationType: 'AWS_PROXY', metrics: { count5xx: 40, lambdaErrors: 40 }, shared, logLines: [FUNCTION_ERROR] }));
  expect(alone.findings[0]).toMatchObject({ causeId: 'lambda-function-error', sharedWith: ['stage dev'] });
  expect(alone.findings[0]?.confidence).toBeLessThanOrEqual(SHARED_CAP);
  expect(alone.verdict).toBe('insufficient-evidence');
  expect(alone.findings[0]?.evidence.find((e) => e.source === 'lambda')?.sharedWith).toEqual(['stage dev']);

  const own = diagnose(kb, parseEvidence({ status: 502, apiType: 'REST', shared, logLines: [FUNCTION_ERROR, { message: '(a4be7bdd-e53a-409a-b804-28f9129cde0b) Lambda execution failed with status 200 due to customer function error: x is undefined. Lambda request id: 6d0f1e2a-3b4c-4d5e-8f90-a1b2c3d4e5f6', source: 'execution' }] }));
  expect(own.findings[0]?.causeId).toBe('lambda-function-error');
  expect(own.findings[0]?.confidence).toBeGreaterThanOrEqual(CONFIDENT);
  expect(own.findings[0]?.sharedWith).toBeUndefined();
});

test('REPORT lines: a function running past the integration timeout is an integration timeout', () => {
  const d = diagnose(kb, parseEvidence({
    status: 504,
    apiType: 'REST',
    config: { lambdaTimeoutMs: 60000, integrationTimeoutMs: 29000 },
    logLines: [{ message: 'REPORT RequestId: 6d0f1e2a-3b4c-4d5e-8f90-a1b2c3d4e5f6\tDuration: 41873.22 ms\tBilled Duration: 41874 ms\tMemory Size: 1024 MB\tMax Memory Used: 301 MB', source: 'lambda' }],
  }));
  expect(d.findings[0]?.causeId).toBe('integration-timeout');
  expect(d.findings[0]?.evidence.map((e) => e.message)).toContain('The function ran for up to 41873.22 ms, past the integration timeout of 29000 ms: API Gateway stopped waiting first');
});
