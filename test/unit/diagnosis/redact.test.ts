/** Secrets in the shapes real API Gateway and Lambda log lines carry them. */
import { redactSecrets } from '../../../src/diagnosis/redact';

test.each([
  [
    '(3f2a) Method request headers: {Accept=*/*, Authorization=Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJl, x-api-key=Abc123SecretKey456, Host=x.execute-api.us-east-1.amazonaws.com}',
    ['eyJzdWIiOiJ1MSJ9', 'Abc123SecretKey456'],
    ['Accept=*/*', 'Host=x.execute-api.us-east-1.amazonaws.com', 'Authorization=Bearer ****', 'x-api-key=****'],
  ],
  ['(3f2a) Method request headers: {Cookie=session=abc123; theme=dark, Accept=*/*}', ['abc123'], ['Cookie=****', 'Accept=*/*']],
  ['{"requestId":"x","authorization":"Basic dXNlcjpwYXNz","status":"500"}', ['dXNlcjpwYXNz'], ['"status":"500"']],
  ['token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcdefghij in a Lambda log', ['eyJzdWIiOiIxIn0'], ['in a Lambda log']],
  ['creds AKIAIOSFODNN7EXAMPLE aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', ['IOSFODNN7EXAMPLE', 'wJalrXUtnFEMI'], ['AKIA****']],
  ['Authorization: AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20261125/us-east-1/execute-api/aws4_request, Signature=abc', ['Credential=AKIAEXAMPLE'], []],
  ['X-Amz-Security-Token=IQoJb3JpZ2luX2VjEXAMPLE, Accept=*/*', ['IQoJb3JpZ2luX2VjEXAMPLE'], ['Accept=*/*']],
  ['slack xoxb-1234567890-abcdefghij and xapp-1-A0123456789-abcdef', ['1234567890-abcdefghij', 'A0123456789'], []],
])('%s', (line, gone, kept) => {
  const out = redactSecrets(line);
  for (const g of gone) expect(out).not.toContain(g);
  for (const k of kept) expect(out).toContain(k);
});

test('ordinary log text is left alone', () => {
  const line = 'Execution failed due to configuration error: Invalid permissions on Lambda function';
  expect(redactSecrets(line)).toBe(line);
});
