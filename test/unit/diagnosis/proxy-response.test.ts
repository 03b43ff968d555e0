/**
 * The returned value read against the proxy-response format of each API type: every way a function's
 * answer is rejected is named by its field, and valid answers, Lambda errors and the Lambda service's
 * own answers are never called malformed.
 */
import type { ApiType } from '../../../src/diagnosis/evidence';
import { describeProblem, returnedValueOf, shapeProblems } from '../../../src/diagnosis/proxy-response';

const first = (value: string, apiType: ApiType = 'REST', version?: string): string | undefined => {
  const p = shapeProblems(value, apiType, version)[0];
  return p ? describeProblem(p) : undefined;
};

test.each([
  ['body is an object', '{"statusCode":200,"body":{"id":1}}', '`body` is an object; it must be a string (JSON.stringify it)'],
  ['body is an array', '{"statusCode":200,"body":[1,2]}', '`body` is an array; it must be a string (JSON.stringify it)'],
  ['body is a number', '{"statusCode":200,"body":42}', '`body` is a number (42); it must be a string (JSON.stringify it)'],
  ['statusCode missing', '{"body":"ok"}', '`statusCode` is missing'],
  ['statusCode not a number', '{"statusCode":"OK","body":"ok"}', '`statusCode` is a string, not a number'],
  ['statusCode as a numeric string', '{"statusCode":"200","body":"ok"}', '`statusCode` is the string "200", not a number'],
  ['a header value not a string', '{"statusCode":200,"headers":{"Access-Control-Allow-Credentials":true},"body":"ok"}', '`headers.Access-Control-Allow-Credentials` is a boolean (true); header values must be strings'],
  ['multiValueHeaders not arrays', '{"statusCode":200,"multiValueHeaders":{"Set-Cookie":"a=1"},"body":"ok"}', '`multiValueHeaders.Set-Cookie` is a string; it must be an array of strings'],
  ['isBase64Encoded a string', '{"statusCode":200,"body":"ok","isBase64Encoded":"false"}', '`isBase64Encoded` is a string, not true or false'],
  ['cookies in a REST response', '{"statusCode":200,"body":"ok","cookies":["a=1"]}', '`cookies` is not allowed in a REST proxy response (set a Set-Cookie header instead)'],
  ['an extra top-level key', '{"statusCode":200,"body":"ok","data":{"id":1}}', '`data` is not allowed in a REST proxy response: only statusCode, headers, multiValueHeaders, body, isBase64Encoded may be at the top level'],
  ['null', 'null', 'the returned value is null: the function returned nothing it could send, not a REST proxy response'],
  ['a plain string', 'Hello world', 'the returned value is not JSON ("Hello world"): the function must return a REST proxy response object'],
  ['a JSON array', '[{"id":1}]', 'the returned value is an array, not a REST proxy response object with statusCode and body'],
])('REST: %s', (_name, value, want) => {
  expect(first(value)).toBe(want);
});

test('valid answers, function errors and the Lambda service answering are not shape problems', () => {
  for (const ok of [
    '{"statusCode":200,"headers":{"Content-Type":"application/json"},"body":"{\\"id\\":1}"}',
    '{"statusCode":404,"multiValueHeaders":{"Set-Cookie":["a=1","b=2"]},"body":"","isBase64Encoded":false}',
    '{"errorMessage":"boom","errorType":"Error","stackTrace":[]}',
    '{"Message":"Lambda was unable to decrypt the environment variables because KMS access was denied.","Type":"User"}',
    '<AccessDeniedException><Message>Unable to determine service/operation name to be authorized</Message></AccessDeniedException>',
  ]) {
    expect({ ok, problems: shapeProblems(ok, 'REST') }).toEqual({ ok, problems: [] });
  }
});

test('HTTP API payload 2.0: a value without statusCode is a JSON body, cookies are allowed, multiValueHeaders are not', () => {
  expect(shapeProblems('{"id":1,"name":"x"}', 'HTTP', '2.0')).toEqual([]);
  expect(shapeProblems('"just a string"', 'HTTP', '2.0')).toEqual([]);
  expect(shapeProblems('{"statusCode":200,"body":"ok","cookies":["a=1"]}', 'HTTP', '2.0')).toEqual([]);
  expect(first('{"statusCode":200,"body":{"id":1}}', 'HTTP', '2.0')).toBe('`body` is an object; it must be a string (JSON.stringify it)');
  expect(first('{"statusCode":200,"body":"ok","multiValueHeaders":{"a":["1"]}}', 'HTTP', '2.0')).toBe('`multiValueHeaders` is not part of an HTTP API response (payload format 2.0) (use headers with comma-separated values)');
});

test('HTTP API payload 1.0 and WebSocket hold every answer to the format', () => {
  expect(first('{"id":1}', 'HTTP', '1.0')).toBe('`statusCode` is missing');
  expect(first('null', 'WEBSOCKET')).toBe('the returned value is null: the function returned nothing it could send, not a WebSocket proxy response');
});

test('a value the 1 KB log event cut short is read by its top-level keys', () => {
  const cut = '{"statusCode":200,"headers":{"Content-Type":"application/json"},"body":{"items":[{"id":1,"name":"a very long list that goes on an';
  expect(first(cut)).toBe('`body` is an object; it must be a string (JSON.stringify it)');
  expect(shapeProblems('{"statusCode":200,"body":"{\\"items\\":[{\\"id\\":1,\\"name\\":\\"cut mid-', 'REST')).toEqual([]);
});

test('the returned value is what follows the execution log phrase', () => {
  expect(returnedValueOf('(3f2a9c1e-5b7d-4e21-9a0c-2d9e8b7c6a51) Endpoint response body before transformations: {"statusCode":200}')).toBe('{"statusCode":200}');
  expect(returnedValueOf('Method completed with status: 502')).toBeUndefined();
});
