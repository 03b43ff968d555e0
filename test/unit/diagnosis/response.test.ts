/**
 * What the client saw, as people save it: curl -i, curl -v, the JSON form, or the body alone; and what it
 * tells the engine (a lead, never an answer alone).
 */
import { apiTypeOfResponse, describeResponse, parseResponseJson, parseResponseText, responseRequestIds } from '../../../src/diagnosis/response';
import { EvidenceError } from '../../../src/errors';

test('curl -i output: the status, the headers by lower-case name, the body', () => {
  const r = parseResponseText(
    ['HTTP/2 504', 'content-type: application/json', 'x-amzn-requestid: 3f2a9c1e-5b7d-4e21-9a0c-2d9e8b7c6a51', 'x-amzn-ErrorType: InternalServerErrorException', 'x-amz-apigw-id: AbCdEfGhIjKlMnO=', '', '{"message": "Endpoint request timed out"}'].join('\r\n'),
  );
  expect(r).toEqual({
    status: 504,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': '3f2a9c1e-5b7d-4e21-9a0c-2d9e8b7c6a51', 'x-amzn-errortype': 'InternalServerErrorException', 'x-amz-apigw-id': 'AbCdEfGhIjKlMnO=' },
    body: '{"message": "Endpoint request timed out"}',
  });
  expect(describeResponse(r)).toBe('client got 504 {"message": "Endpoint request timed out"} (x-amzn-ErrorType: InternalServerErrorException)');
  expect(responseRequestIds(r)).toEqual(['3f2a9c1e-5b7d-4e21-9a0c-2d9e8b7c6a51', 'AbCdEfGhIjKlMnO=']);
  expect(apiTypeOfResponse(r)).toBe('REST');
});

test('curl -v output: only the lines received count, and the last status line wins', () => {
  const r = parseResponseText(['*   Trying 1.2.3.4:443...', '> GET /prod/orders/1 HTTP/2', '> Host: a1b2c3d4e5.execute-api.us-east-1.amazonaws.com', '>', '< HTTP/2 100', '<', '< HTTP/2 500', '< apigw-requestid: Zx9aBcDeFgHiJkL=', '<', '{"message":"Internal Server Error"}'].join('\n'));
  expect(r).toEqual({ status: 500, headers: { 'apigw-requestid': 'Zx9aBcDeFgHiJkL=' }, body: '{"message":"Internal Server Error"}' });
  expect(apiTypeOfResponse(r)).toBe('HTTP');
});

test('the JSON form, and a bare body', () => {
  expect(parseResponseText('{"status": "502", "headers": {"X-Amzn-ErrorType": "InternalServerErrorException"}, "body": {"message": "Internal server error"}}')).toEqual({
    status: 502,
    headers: { 'x-amzn-errortype': 'InternalServerErrorException' },
    body: '{"message":"Internal server error"}',
  });
  expect(parseResponseText('{"message": null}')).toEqual({ headers: {}, body: '{"message": null}' });
});

test('what cannot be read is said in one line', () => {
  expect(() => parseResponseText('')).toThrow(EvidenceError);
  expect(() => parseResponseJson({ status: 'soon' })).toThrow('response.status: expected an HTTP status such as 504, got "soon"');
  expect(() => parseResponseJson([])).toThrow('response: expected an object');
});
