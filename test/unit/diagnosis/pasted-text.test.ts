/**
 * Texts as people paste them still name their cause: lowercased, punctuation lost, wrapped over two
 * lines, cut short, behind console and CLI prefixes, JSON-escaped inside another line. And the loose
 * reading never turns a valid line into a cause: JSON structure keeps its meaning.
 */
import { diagnose } from '../../../src/diagnosis/engine';
import { parseEvidence } from '../../../src/diagnosis/evidence';
import { loosenPattern, repairLine } from '../../../src/diagnosis/loose-match';
import { shippedKnowledge } from '../../helpers/knowledge';

const kb = shippedKnowledge();

function top(logLines: unknown[], apiType = 'REST', status: number | string = 502): { cause?: string; confidence?: number; readAs?: string } {
  const d = diagnose(kb, parseEvidence({ status, apiType, logLines }));
  const f = d.findings[0];
  return { cause: f?.causeId, confidence: f?.confidence, readAs: f?.evidence.find((e) => e.readAs)?.readAs };
}

test.each([
  ['lowercased, punctuation lost', ['execution failed due to configuration error malformed lambda proxy response'], 'malformed-lambda-proxy-response', 'loosely'],
  ['an apostrophe retyped', ["The response from the Lambda function doesnt match the format that API Gateway expects"], 'malformed-lambda-proxy-response', 'loosely'],
  ['cut short with an ellipsis', ['Execution failed due to configuration error: Malformed Lambda pro…'], 'malformed-lambda-proxy-response', 'cut short'],
  ['wrapped over two lines', ['Execution failed due to configuration error: Unable to', 'transform request'], 'mapping-template-error', undefined],
  ['behind aws logs tail prefixes', ['2023-05-01T10:00:00.123000+00:00 2023/05/01/[$LATEST]0a1b2c3d4e5f Task timed out after 6.01 seconds'], 'lambda-timeout', undefined],
  ['JSON-escaped inside another line', ['{"log": "Thu Jan 05 10:00:00 UTC 2023 : Execution failed due to configuration error: Malformed Lambda proxy response\\nThu Jan 05 10:00:00 UTC 2023 : Method completed with status: 502\\n"}'], 'malformed-lambda-proxy-response', 'repaired'],
  ['a markdown quote marker', ['> Execution failed due to configuration error: Malformed Lambda proxy response'], 'malformed-lambda-proxy-response', undefined],
])('%s', (_name, lines, cause, readAs) => {
  const t = top(lines);
  expect(t.cause).toBe(cause);
  expect(t.confidence ?? 0).toBeGreaterThanOrEqual(0.8);
  if (readAs) expect(t.readAs).toBe(readAs);
});

test('a message wrapped over two lines reads as the whole line does', () => {
  const whole = top(['Execution failed due to configuration error: Invalid permissions on Lambda function']);
  expect(top(['Execution failed due to configuration error: Invalid permissions on', 'Lambda function'])).toEqual({ ...whole, readAs: 'repaired' });
});

test('a cut-short line that could begin several causes names none', () => {
  expect(top(['Execution failed due to configuration error: …']).cause).toBeUndefined();
});

test('JSON structure keeps its meaning: a valid body is not read as an object body', () => {
  expect(top(['(3f2a9c1e-5b7d-4e21-9a0c-2d9e8b7c6a51) Endpoint response body before transformations: {"statusCode":200,"body":"{\\"id\\":17}"}']).cause).toBeUndefined();
});

test('a loose pattern lets prose punctuation go and keeps JSON structure and negative lookaheads', () => {
  expect(loosenPattern("doesn[’']t match")).toBe('doesn[^A-Za-z0-9{}\\[\\]"]*t[^A-Za-z0-9{}\\[\\]"]*match');
  const loose = new RegExp(loosenPattern('"body"\\s*:\\s*[\\[{]') ?? '', 'i');
  expect(loose.test('"body": {"id":1}')).toBe(true);
  expect(loose.test('"body":"{\\"id\\":1}"')).toBe(false);
  const timeout = new RegExp(loosenPattern('customer function error(?!:.*Task timed out after)') ?? '', 'i');
  expect(timeout.test('customer function error: Task timed out after 3.00 seconds')).toBe(false);
  expect(timeout.test('customer function error: boom')).toBe(true);
});

test('repairing a line undoes two levels of escaping and strips console prefixes', () => {
  expect(repairLine('[1596470914567] Task timed out after 5.01 seconds')).toContain('Task timed out after 5.01 seconds');
  expect(repairLine('"{\\"errorMessage\\":\\"boom\\"}"')).toContain('"{"errorMessage":"boom"}"');
  expect(repairLine('18:25:50 Endpoint request timed out')).toContain('Endpoint request timed out');
});
