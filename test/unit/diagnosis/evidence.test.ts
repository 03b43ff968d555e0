/** Bad evidence gets one line saying which field, what was expected and what came. */
import { EvidenceError } from '../../../src/errors';
import { parseEvidence } from '../../../src/diagnosis/evidence';

const base = { status: 502, apiType: 'REST' };

test.each([
  ['not an object', [1, 2], /expected a JSON object with "status" and "apiType", got an array/],
  ['no status', { apiType: 'REST' }, /^status: missing; expected a status from 500 to 599/],
  ['status 200', { ...base, status: 200 }, /^status: expected a status from 500 to 599 \(number or string\) or "5xx", got number 200$/],
  ['status "abc"', { ...base, status: 'abc' }, /got string "abc"/],
  ['status 502.5', { ...base, status: 502.5 }, /got number 502.5/],
  ['no apiType', { status: 502 }, /^apiType: missing; expected one of REST, HTTP, WEBSOCKET$/],
  ['apiType GRPC', { ...base, apiType: 'GRPC' }, /^apiType: expected one of REST, HTTP, WEBSOCKET, got string "GRPC"$/],
  ['integrationType typo', { ...base, integrationType: 'LAMBDA' }, /^integrationType: expected one of AWS_PROXY, AWS, HTTP_PROXY, HTTP, MOCK/],
  ['logLines not a list', { ...base, logLines: 'boom' }, /^logLines: expected an array of strings or \{"message": …\} objects, got string "boom"$/],
  ['log line without message', { ...base, logLines: [{ text: 'x' }] }, /^logLines\[0\]\.message: expected a string, got nothing$/],
  ['log line with bad source', { ...base, logLines: [{ message: 'x', source: 'cloudtrail' }] }, /^logLines\[0\]\.source: expected one of execution, access, lambda/],
  ['log line with bad time', { ...base, logLines: [{ message: 'x', timestamp: 'yesterday' }] }, /^logLines\[0\]\.timestamp: expected an ISO 8601 time/],
  ['config fact of the wrong type', { ...base, config: { integrationTimeoutMs: '29s' } }, /^config\.integrationTimeoutMs: expected a number \(integration timeout\), got string "29s"$/],
  ['boolean fact as string', { ...base, config: { lambdaInvokePermission: 'no' } }, /^config\.lambdaInvokePermission: expected true or false/],
  ['metric as string', { ...base, metrics: { count5xx: 'many' } }, /^metrics\.count5xx: expected a number/],
  ['target id as number', { ...base, target: { apiId: 12 } }, /^target\.apiId: expected a string, got number 12$/],
  ['integration error messages not strings', { ...base, integrationErrorMessages: [1] }, /^integrationErrorMessages\[0\]: expected a string/],
])('%s', (_name, doc, message) => {
  expect(() => parseEvidence(doc)).toThrow(EvidenceError);
  expect(() => parseEvidence(doc)).toThrow(message);
});

test('statuses as numbers, strings and 5xx in any case', () => {
  expect(parseEvidence({ ...base, status: '504' }).status).toBe(504);
  expect(parseEvidence({ ...base, status: '5XX' }).status).toBe('5xx');
  expect(parseEvidence({ ...base, apiType: 'websocket' }).apiType).toBe('WEBSOCKET');
});

test('unknown keys are ignored, null facts are unknown, the integration type can come from config', () => {
  const e = parseEvidence({ ...base, extra: { a: 1 }, config: { integrationType: 'AWS_PROXY', lambdaTimeoutMs: null, madeUpFact: 3 }, target: { apiId: 'a1b2c3d4e5', other: 1 } });
  expect(e.integrationType).toBe('AWS_PROXY');
  expect(e.config).toEqual({ integrationType: 'AWS_PROXY' });
  expect(e.target).toEqual({ apiId: 'a1b2c3d4e5' });
  expect(e.logLines).toEqual([]);
});

describe('logsRead', () => {
  it('lists the logs read in full, and refuses an unknown one', () => {
    expect(parseEvidence({ status: 502, apiType: 'REST', logsRead: ['execution', 'lambda'] }).logsRead).toEqual(['execution', 'lambda']);
    expect(() => parseEvidence({ status: 502, apiType: 'REST', logsRead: ['cloudtrail'] })).toThrow('logsRead[0]: expected one of execution, access, lambda, got string "cloudtrail"');
  });
});
