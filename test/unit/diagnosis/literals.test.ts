import { requiredLiterals } from '../../../src/diagnosis/knowledge/literals';
import { shippedKnowledge } from '../../helpers/knowledge';

test.each([
  ['Execution failed due to a timeout error', ['Execution failed due to a timeout error']],
  ['Lambda execution failed with status \\d+ due to customer function error', ['Lambda execution failed with status ']],
  ['^MALFORMED_PROXY_RESPONSE$', ['MALFORMED_PROXY_RESPONSE']],
  ['Process exited before completing request|Runtime exited with error', ['Process exited before completing request', 'Runtime exited with error']],
  ['colou?r scheme', ['r scheme']],
  ['abcd(?:efg)?hij', ['abcd']],
  ['\\tERROR\\t(?:Invoke Error|Uncaught)', ['\tERROR\t']],
  ['body"\\s*:\\s*[\\[{]', ['body"']],
  ['a{2}bcde', ['bcde']],
  ['xy{0,1}zzzz', ['zzzz']],
  ['\\{"statusCode"', ['{"statusCode"']],
  ['abc(?:d(e|f)g)hijk', ['hijk']],
  ['(?:foo|bar)bazz|quux[|)]corge', ['bazz', 'corge']],
  ['a\\(literal paren\\)', ['a(literal paren)']],
])('%s', (source, literals) => {
  expect(requiredLiterals(source)).toEqual(literals);
});

test('no literal of 4 characters: null', () => {
  expect(requiredLiterals('\\d+ ms')).toBeNull();
  expect(requiredLiterals('timeout|ab')).toBeNull();
});

test('every line an example pattern matches contains one of its literals (the prefilter never hides a match)', () => {
  for (const cause of shippedKnowledge().causes) {
    const lines = [...cause.examples.match, ...cause.examples.noMatch].flatMap((e) => {
      const doc = e.evidence as { logLines?: (string | { message: string })[]; integrationErrorMessages?: string[] };
      return [...(doc.logLines ?? []).map((l) => (typeof l === 'string' ? l : l.message)), ...(doc.integrationErrorMessages ?? [])];
    });
    for (const s of cause.signals) {
      if (s.kind !== 'log') continue;
      for (const line of lines) {
        if (s.pattern.test(line)) expect(s.literals.some((l) => (s.caseInsensitive ? line.toLowerCase() : line).includes(l))).toBe(true);
      }
    }
  }
});
