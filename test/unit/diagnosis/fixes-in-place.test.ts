/**
 * A fix never proposes the value already in place: with the setting already where the fix would put
 * it, that fix gives way to one that says what is left to do.
 */
import { diagnose } from '../../../src/diagnosis/engine';
import { parseEvidence } from '../../../src/diagnosis/evidence';
import { shippedKnowledge } from '../../helpers/knowledge';

const kb = shippedKnowledge();

function fixesOf(doc: Record<string, unknown>, causeId: string): { title: string; command: string }[] {
  const f = diagnose(kb, parseEvidence(doc)).findings.find((x) => x.causeId === causeId);
  if (!f) throw new Error(`${causeId} not found`);
  return f.fixes.map((x) => ({ title: x.title, command: x.command }));
}

const TIMED_OUT = ['(fbcaf9e5-d535-40a1-891c-7b70118cf7e8) Execution failed due to a timeout error'];

test('an integration timeout already at 29 s is not raised to 29 s again: what is left is said instead', () => {
  const below = fixesOf({ status: 504, apiType: 'REST', config: { integrationTimeoutMs: 10000 }, logLines: TIMED_OUT }, 'integration-timeout');
  expect(below.map((f) => f.command).join('\n')).toContain('path=/timeoutInMillis,value=29000');
  const at = fixesOf({ status: 504, apiType: 'REST', config: { integrationTimeoutMs: 29000 }, logLines: TIMED_OUT }, 'integration-timeout');
  expect(at.map((f) => f.command).join('\n')).not.toContain('timeoutInMillis,value=29000');
  expect(at[0]?.title).toMatch(/already 29 s or more/);
  const http = fixesOf({ status: 503, apiType: 'HTTP', config: { integrationTimeoutMs: 30000 }, logLines: ['Endpoint request timed out'] }, 'integration-timeout');
  expect(http.map((f) => f.command).join('\n')).not.toContain('--timeout-in-millis 30000');
  expect(http[0]?.title).toMatch(/already 30 s/);
});

test('a function whose timeout already reaches the integration timeout is not given more time', () => {
  const lines = ['Lambda execution failed with status 200 due to customer function error: 2019-02-27T11:31:11.456Z 71952965-d5cc-4974-ae08-6e2138b2275c Task timed out after 28.00 seconds. Lambda request id: 71952965-d5cc-4974-ae08-6e2138b2275c'];
  const short = fixesOf({ status: 502, apiType: 'REST', config: { lambdaTimeoutMs: 6000 }, logLines: lines }, 'lambda-timeout');
  expect(short.map((f) => f.command).join('\n')).toContain('--timeout 28');
  const long = fixesOf({ status: 502, apiType: 'REST', config: { lambdaTimeoutMs: 28000 }, logLines: lines }, 'lambda-timeout');
  expect(long.map((f) => f.command).join('\n')).not.toContain('--timeout 28');
  expect(long.map((f) => f.title)).toContain('The function already has as long as API Gateway waits: make it finish sooner');
  // A raised REST integration timeout moves the suggestion with it.
  const raised = fixesOf({ status: 502, apiType: 'REST', config: { lambdaTimeoutMs: 6000, integrationTimeoutMs: 60000 }, logLines: lines }, 'lambda-timeout');
  expect(raised.map((f) => f.command).join('\n')).toContain('--timeout 59');
});

test('reserved concurrency is raised from what it is, never set to what it already is', () => {
  const lines = ['Lambda invocation failed with status: 429. Lambda request id: 5b1f3e1a-7c2d-4e8f-9a0b-1c2d3e4f5a6b'];
  const command = (reserved?: number): string =>
    fixesOf({ status: 500, apiType: 'REST', config: reserved === undefined ? {} : { lambdaReservedConcurrency: reserved }, logLines: lines }, 'lambda-throttled')
      .map((f) => f.command)
      .join('\n');
  expect(command(0)).toContain('--reserved-concurrent-executions 100');
  expect(command(100)).toContain('--reserved-concurrent-executions 200');
  expect(command(100)).not.toContain('--reserved-concurrent-executions 100');
  expect(command()).toContain('--reserved-concurrent-executions 100');
});

test('binary bodies are not converted to text again when the integration already converts them', () => {
  const lines = ['Method request body before transformations: [Binary Data]', 'Execution failed due to configuration error: Unable to transform request'];
  expect(fixesOf({ status: 500, apiType: 'REST', logLines: lines }, 'mapping-template-error').map((f) => f.command).join('\n')).toContain('value=CONVERT_TO_TEXT');
  expect(fixesOf({ status: 500, apiType: 'REST', config: { contentHandling: 'CONVERT_TO_TEXT' }, logLines: lines }, 'mapping-template-error').map((f) => f.command).join('\n')).not.toContain('value=CONVERT_TO_TEXT');
});
