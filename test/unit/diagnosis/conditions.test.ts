import type { FactLookup } from '../../../src/diagnosis/conditions';
import { evaluateCondition, parseCondition } from '../../../src/diagnosis/conditions';

function cond(raw: unknown) {
  const c = parseCondition(raw, 'when');
  if ('error' in c) throw new Error(c.error);
  return c;
}
const facts = (f: Record<string, unknown>): FactLookup => (name) => f[name] as never;

test.each([
  [{ integrationType: 'AWS_PROXY' }, { integrationType: 'aws_proxy' }, true],
  [{ integrationType: 'AWS_PROXY' }, { integrationType: 'HTTP' }, false],
  [{ integrationType: 'AWS_PROXY' }, {}, 'unknown'],
  [{ integrationType: ['AWS', 'AWS_PROXY'] }, { integrationType: 'AWS' }, true],
  [{ integrationHttpMethod: { not: 'POST' } }, { integrationHttpMethod: 'GET' }, true],
  [{ accessLogging: { present: false } }, {}, true],
  [{ accessLogging: { present: false } }, { accessLogging: false }, false],
  [{ integrationCredentialsRole: { present: true } }, { integrationCredentialsRole: 'arn:aws:iam::1:role/x' }, true],
  [{ lambdaThrottles: { gt: 0 } }, { lambdaThrottles: 3 }, true],
  [{ integrationLatencyMaxMs: { gte: { fact: 'integrationTimeoutMs' } } }, { integrationLatencyMaxMs: 29000, integrationTimeoutMs: 29000 }, true],
  [{ integrationLatencyMaxMs: { gte: { fact: 'integrationTimeoutMs' } } }, { integrationLatencyMaxMs: 29000 }, 'unknown'],
  [{ integrationUri: { matches: ':lambda:path/' } }, { integrationUri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/x/invocations' }, true],
  [{ binaryMediaTypes: 'image/png' }, { binaryMediaTypes: ['image/png', '*/*'] }, true],
  // false wins over unknown
  [{ integrationType: 'AWS_PROXY', lambdaTimeoutMs: { gt: 1 } }, { integrationType: 'HTTP' }, false],
])('%j on %j is %s', (raw, f, expected) => {
  expect(evaluateCondition(cond(raw), facts(f))).toBe(expected);
});

test('unknown facts and operators are load errors with the field', () => {
  expect(parseCondition({ lambdaTimeout: 3 }, 'signals[0].when')).toMatchObject({ field: 'signals[0].when.lambdaTimeout', error: expect.stringMatching(/unknown fact "lambdaTimeout"/) as unknown });
  expect(parseCondition({ lambdaTimeoutMs: { over: 3 } }, 'w')).toMatchObject({ field: 'w.lambdaTimeoutMs.over' });
  expect(parseCondition({ lambdaTimeoutMs: { gt: 'x' } }, 'w')).toMatchObject({ error: 'expected a number or {fact: <fact name>}' });
});
