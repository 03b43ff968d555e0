/**
 * Every example of every knowledge file runs as a test: `match` evidence puts its cause first and
 * decisive, `noMatch` evidence (near-misses that share a message) does not list it.
 */
import { checkExample } from '../../../src/diagnosis/knowledge/examples';
import { shippedKnowledge } from '../../helpers/knowledge';

const kb = shippedKnowledge();

const REQUIRED_CAUSES = [
  'malformed-lambda-proxy-response',
  'lambda-invoke-permission',
  'lambda-function-error',
  'integration-timeout',
  'lambda-integration-not-post',
  'http-api-no-logging',
];

test('the shipped knowledge base has the first causes, by their exact ids', () => {
  expect(kb.causes.map((c) => c.id)).toEqual(expect.arrayContaining(REQUIRED_CAUSES));
  expect(kb.warnings).toEqual([]);
});

describe.each(kb.causes.map((c) => [c.id, c] as const))('%s', (_id, cause) => {
  test.each(cause.examples.match.map((e) => [e.name, e] as const))('matches: %s', (_name, example) => {
    const result = checkExample(kb, cause, example, 'match');
    expect(result).toMatchObject({ ok: true }); // on failure, the diff shows result.detail
  });

  test.each(cause.examples.noMatch.map((e) => [e.name, e] as const))('does not match: %s', (_name, example) => {
    const result = checkExample(kb, cause, example, 'noMatch');
    expect(result).toMatchObject({ ok: true }); // on failure, the diff shows result.detail
  });
});
