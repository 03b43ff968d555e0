/**
 * Secrets in log lines are masked before evidence leaves the collector. The lines are the shapes API
 * Gateway and Lambda really write: execution-log header maps (data tracing on), SigV4 endpoint
 * headers, Lambda runtime errors carrying a JWT, and access-log error fields.
 */
import { accessRowsToLogLines, parseAccessLogFormat, rawRowsToLogLines, rowsToLogLines } from '../../../src/collect/log-queries';

const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJjYW5hcnktdXNlci0wMDEiLCJpYXQiOjE3NjQwNzg5MzF9.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const API_KEY = 'CanaryApiKey0123456789abcdefGHIJ';
const ACCESS_KEY = 'ASIACANARY0123456789';
const SESSION = 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQDcanary';
const SIGNATURE = 'a3f1c2d4e5b6a7980123456789abcdef0123456789abcdef0123456789abcdef';
const CANARIES = [JWT.split('.')[1]!, API_KEY, ACCESS_KEY.slice(4), SESSION, SIGNATURE, 'session=s3cr3t-canary'];

const row = (message: string, n = 1): Record<string, string> => ({ message, n: String(n), firstSeen: '2026-11-25 14:02:11.121', lastSeen: '2026-11-25 14:59:58.004', r1: '3f2a9c1e-5b7d-4e21-9a0c-2d9e8b7c6a51', r2: '3f2a9c1e-5b7d-4e21-9a0c-2d9e8b7c6a51' });

function expectNoCanary(text: string): void {
  for (const canary of CANARIES) expect(text).not.toContain(canary);
}

it('masks the header map of an execution-log data trace', () => {
  const lines = rowsToLogLines(
    [row(`Method request headers: {Accept=application/json, Authorization=Bearer ${JWT}, x-api-key=${API_KEY}, Cookie=session=s3cr3t-canary; theme=dark, Host=a1b2c3d4e5.execute-api.us-east-1.amazonaws.com, User-Agent=curl/8.4.0}`)],
    'execution',
  );
  const text = lines.map((l) => l.message).join('\n');
  expectNoCanary(text);
  expect(text).toContain('Host=a1b2c3d4e5.execute-api.us-east-1.amazonaws.com');
  expect(lines[0]?.count).toBe(1);
});

it('masks SigV4 credentials, session token and signature in endpoint request headers', () => {
  const lines = rowsToLogLines(
    [
      row(
        `Endpoint request headers: {x-amzn-lambda-integration-tag=3f2a9c1e-5b7d-4e21-9a0c-2d9e8b7c6a51, Authorization=AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/20261125/us-east-1/lambda/aws4_request, SignedHeaders=accept;host;x-amz-date;x-amz-security-token, Signature=${SIGNATURE}, X-Amz-Date=20261125T140211Z, x-amzn-apigateway-api-id=a1b2c3d4e5, X-Amz-Security-Token=${SESSION}, Accept=application/json, User-Agent=AmazonAPIGateway_a1b2c3d4e5}`,
      ),
    ],
    'execution',
  );
  const text = lines.map((l) => l.message).join('\n');
  expectNoCanary(text);
  expect(text).toContain('x-amzn-apigateway-api-id=a1b2c3d4e5');
});

it('masks a JWT inside a Lambda runtime error, and keeps the error readable', () => {
  const lines = rowsToLogLines(
    [row(`\tERROR\tInvoke Error \t{"errorType":"UnauthorizedError","errorMessage":"token rejected: ${JWT}","headers":{"authorization":"Bearer ${JWT}"}}`, 7)],
    'lambda',
  );
  const text = lines.map((l) => l.message).join('\n');
  expectNoCanary(text);
  expect(text).toContain('"errorType":"UnauthorizedError"');
  expect(lines[0]?.count).toBe(7);
});

it('masks secrets in access-log error fields and in raw access lines', () => {
  const format = parseAccessLogFormat('{"requestId":"$context.requestId","status":"$context.status","integrationErrorMessage":"$context.integrationErrorMessage"}');
  expect(format).not.toBeNull();
  const access = accessRowsToLogLines(
    [{ f_status: '500', f_integrationErrorMessage: `upstream said 401 for x-api-key=${API_KEY}`, n: '12', firstSeen: '2026-11-25 14:02:11.121', lastSeen: '2026-11-25 14:10:00.000', r1: 'AbCdEfGhIjKlMnO=', r2: 'PqRsTuVwXyZaBcD=' }],
    format!,
  );
  const raw = rawRowsToLogLines([{ '@timestamp': '2026-11-25 14:02:11.121', '@message': `203.0.113.9 - - [25/Nov/2026:14:02:11 +0000] "GET /orders?access_token=${JWT} HTTP/1.1" 502 36` }], 'access');
  expectNoCanary([...access, ...raw].map((l) => l.message).join('\n'));
  expect(access[0]?.count).toBe(12);
});
