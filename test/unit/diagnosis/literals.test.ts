import { requiredLiterals } from '../../../src/diagnosis/knowledge/literals';
import { shippedKnowledge } from '../../helpers/knowledge';

test.each([
  ['Execution failed due to a timeout error', ['Execution failed due to a timeout error']],
  ['Lambda execution failed with status \\d+ due to customer function error', ['Lambda execution failed with status ']],
  ['^MALFORMED_PROXY_RESPONSE$', ['MALFORMED_PROXY_RESPONSE']],
  ['Process exited before completing request|Runtime exited with error', ['Process exited before completing request', 'Runtime exited with error']],
  ['colou?r scheme', ['colour scheme', 'color scheme']],
  ['abcd(?:efg)?hij', ['abcdefghij', 'abcdhij']],
  ['\\tERROR\\t(?:Invoke Error|Uncaught)', ['\tERROR\tInvoke Error', '\tERROR\tUncaught']],
  ['body"\\s*:\\s*[\\[{]', ['body"']],
  ['a{2}bcde', ['aabcde']],
  ['xy{0,1}zzzz', ['zzzz']],
  ['\\{"statusCode"', ['{"statusCode"']],
  ['abc(?:d(e|f)g)hijk', ['abcdeghijk', 'abcdfghijk']],
  ['(?:foo|bar)bazz|quux[|)]corge', ['foobazz', 'barbazz', 'quux|corge', 'quux)corge']],
  ['a\\(literal paren\\)', ['a(literal paren)']],
])('%s', (source, literals) => {
  expect(requiredLiterals(source)).toEqual(literals);
});

test.each([
  ['a run of more than the set limit is cut, and the longest remaining run wins', '(?:a|b|c|d|e|f)(?:g|h|i|j|k|l)XYZW', ['gXYZW', 'hXYZW', 'iXYZW', 'jXYZW', 'kXYZW', 'lXYZW']],
  ['lookarounds and anchors neither add nor break', '^Task(?!x) timed out\\b after', ['Task timed out after']],
  ['a class with a range is "anything"', 'HTTP/1\\.[0-9] 5\\d\\d error page', [' error page']],
])('%s', (_name, source, literals) => {
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
