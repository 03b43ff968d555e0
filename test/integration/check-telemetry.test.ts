/**
 * The telemetry doctor: each item per API type, the commands that fix what is missing (real ids, and
 * pasted into a real bash they reach `aws` as the intended words), and the whole check against a
 * sandbox world through the real adapters.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAwsPorts } from '../../src/collect/adapters/aws/create-ports';
import { sandboxClients } from '../../src/collect/adapters/sandbox/clients';
import { SandboxAws } from '../../src/collect/adapters/sandbox/world';
import type { TelemetryItem } from '../../src/collect/check-telemetry';
import { accessLogFormatFor, checkTelemetry, telemetryItems } from '../../src/collect/check-telemetry';
import type { ApiSummary, StageInfo } from '../../src/collect/ports';
import { parseAccessLogFormat } from '../../src/collect/log-queries';
import { ACCESS_FORMAT_JSON, WINDOW, httpNoLogging, malformedProxyResponse, malformedWithoutAccessLogs } from '../helpers/aws-scenarios';

const WHERE = { region: 'us-east-1', accountId: '123456789012' };
const REST: ApiSummary = { apiId: 'a1b2c3d4e5', name: 'orders-api', apiType: 'REST' };
const HTTP: ApiSummary = { apiId: 'l3g4c5y6h7', name: 'legacy-http', apiType: 'HTTP' };
const WS: ApiSummary = { apiId: 'w5s6c7h8t9', name: 'chat-ws', apiType: 'WEBSOCKET' };
const ROLE = { cloudwatchRoleArn: 'arn:aws:iam::123456789012:role/APIGatewayCloudWatchLogs' };
const GROUP_ARN = 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/apigateway/orders-api-access';

const bare = (name: string, extra: Partial<StageInfo> = {}): StageInfo => ({ name, variables: {}, methodSettings: {}, ...extra });
const byId = (items: TelemetryItem[]): Record<string, TelemetryItem> => Object.fromEntries(items.map((i) => [i.id, i]));

let dir: string;
let record: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'check-telemetry-'));
  record = join(dir, 'calls');
  writeFileSync(join(dir, 'aws'), `#!/bin/bash\nprintf '%s\\0' "$#" "$@" >> "$AWS_RECORD"\n`);
  chmodSync(join(dir, 'aws'), 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The argv of each `aws` call when `script` is pasted into bash with only a recording `aws` on PATH. */
function pasted(script: string): string[][] {
  rmSync(record, { force: true });
  execFileSync('/bin/bash', ['--noprofile', '--norc', '-c', script], { env: { PATH: dir, AWS_RECORD: record, HOME: dir }, stdio: ['ignore', 'ignore', 'inherit'] });
  const fields = readFileSync(record, 'utf8').split('\0').slice(0, -1);
  const calls: string[][] = [];
  for (let i = 0; i < fields.length; ) {
    const argc = Number(fields[i]);
    calls.push(fields.slice(i + 1, i + 1 + argc));
    i += 1 + argc;
  }
  return calls;
}

describe('REST', () => {
  test('nothing on: every item missing or off, with the commands that turn it on', () => {
    const items = telemetryItems(REST, bare('prod'), {}, WHERE);
    expect(items.map((i) => [i.id, i.status])).toEqual([
      ['cloudwatch-role', 'missing'],
      ['execution-logging', 'missing'],
      ['access-logging', 'missing'],
      ['detailed-metrics', 'optional'],
      ['data-trace', 'optional'],
    ]);
    const item = byId(items);
    expect(item['execution-logging']?.current).toBe('OFF stage-wide');
    expect(item['execution-logging']?.fix).toBe("aws apigateway update-stage --rest-api-id a1b2c3d4e5 --stage-name prod --region us-east-1 --patch-operations 'op=replace,path=/*/*/logging/loglevel,value=ERROR'");
    expect(item['cloudwatch-role']?.fix?.split('\n')).toEqual([
      `aws iam create-role --role-name APIGatewayCloudWatchLogs --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"apigateway.amazonaws.com"},"Action":"sts:AssumeRole"}]}'`,
      'aws iam attach-role-policy --role-name APIGatewayCloudWatchLogs --policy-arn arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs',
      'aws apigateway update-account --region us-east-1 --patch-operations op=replace,path=/cloudwatchRoleArn,value=arn:aws:iam::123456789012:role/APIGatewayCloudWatchLogs',
    ]);
    expect(item['detailed-metrics']?.fix).toBe("aws apigateway update-stage --rest-api-id a1b2c3d4e5 --stage-name prod --region us-east-1 --patch-operations 'op=replace,path=/*/*/metrics/enabled,value=true'");
    expect(item['data-trace']?.fix).toContain("'op=replace,path=/*/*/logging/dataTrace,value=true'");
    expect(item['data-trace']?.fix).toContain("'op=replace,path=/*/*/logging/dataTrace,value=false'");
  });

  test('the access-log fix, pasted, sets a JSON format the investigation can read in full', () => {
    const fix = byId(telemetryItems(REST, bare('prod'), ROLE, WHERE))['access-logging']?.fix ?? '';
    const calls = pasted(fix);
    expect(calls.map((c) => c.slice(0, 2))).toEqual([
      ['logs', 'create-log-group'],
      ['logs', 'put-retention-policy'],
      ['apigateway', 'update-stage'],
    ]);
    const update = calls[2] ?? [];
    expect(update.slice(0, 10)).toEqual(['apigateway', 'update-stage', '--rest-api-id', 'a1b2c3d4e5', '--stage-name', 'prod', '--region', 'us-east-1', '--patch-operations', expect.any(String)]);
    const ops = JSON.parse(update[9] ?? '') as { op: string; path: string; value: string }[];
    expect(ops[0]).toEqual({ op: 'replace', path: '/accessLogSettings/destinationArn', value: 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/apigateway/access-logs/a1b2c3d4e5' });
    expect(ops[1]?.value).toBe(accessLogFormatFor('REST'));
    expect(parseAccessLogFormat(ops[1]?.value ?? '')).toMatchObject({
      requestId: 'requestId',
      status: 'status',
      resourcePath: 'resourcePath',
      httpMethod: 'httpMethod',
      integrationErrorMessage: 'integrationErrorMessage',
      integrationError: 'integrationError',
      responseType: 'errorResponseType',
    });
  });

  test('everything on: all in place, no fixes', () => {
    const stage = bare('prod', {
      methodSettings: { '*/*': { loggingLevel: 'ERROR', dataTraceEnabled: true, metricsEnabled: true } },
      accessLog: { destinationArn: GROUP_ARN, format: accessLogFormatFor('REST') },
    });
    const items = telemetryItems(REST, stage, ROLE, WHERE);
    expect(items.map((i) => [i.id, i.status])).toEqual([
      ['cloudwatch-role', 'ok'],
      ['execution-logging', 'ok'],
      ['access-logging', 'ok'],
      ['access-log-format', 'ok'],
      ['detailed-metrics', 'ok'],
      ['data-trace', 'ok'],
    ]);
    for (const i of items) expect(i.fix).toBeUndefined();
    expect(byId(items)['access-logging']?.current).toBe('to log group /aws/apigateway/orders-api-access');
  });

  test('a JSON format without some fields: the fix keeps it and adds them, to the same destination', () => {
    const format = '{"requestId":"$context.requestId","status":"$context.status","path":"$context.path"}';
    const item = byId(telemetryItems(REST, bare('prod', { accessLog: { destinationArn: GROUP_ARN, format } }), ROLE, WHERE))['access-log-format'];
    expect(item?.status).toBe('missing');
    expect(item?.current).toBe('lacks $context.integrationErrorMessage, $context.error.responseType, $context.integration.error, $context.resourcePath');
    const [call] = pasted(item?.fix ?? '');
    const ops = JSON.parse(call?.[9] ?? '') as { value: string }[];
    expect(ops[0]?.value).toBe(GROUP_ARN);
    expect(ops[1]?.value).toBe(
      '{"requestId":"$context.requestId","status":"$context.status","path":"$context.path","integrationErrorMessage":"$context.integrationErrorMessage","errorResponseType":"$context.error.responseType","integrationError":"$context.integration.error","resourcePath":"$context.resourcePath"}',
    );
  });

  test('a CLF format cannot be read field by field: replaced by the JSON one', () => {
    const format = '$context.identity.sourceIp - - [$context.requestTime] "$context.httpMethod $context.resourcePath" $context.status $context.requestId';
    const item = byId(telemetryItems(REST, bare('prod', { accessLog: { destinationArn: GROUP_ARN, format } }), ROLE, WHERE))['access-log-format'];
    expect(item?.status).toBe('missing');
    expect(item?.current).toMatch(/^not JSON, lacks \$context\.integrationErrorMessage, .*: lines can only be read as text$/);
    expect(item?.fix).toContain(JSON.stringify(accessLogFormatFor('REST')).slice(1, 40));
  });

  test('execution logging off stage-wide but on for a method: named, still missing', () => {
    const stage = bare('prod', { methodSettings: { '*/*': { loggingLevel: 'OFF' }, 'orders/{id}/GET': { loggingLevel: 'INFO' } } });
    expect(byId(telemetryItems(REST, stage, ROLE, WHERE))['execution-logging']).toMatchObject({ status: 'missing', current: 'OFF stage-wide; 1 method differs (orders/{id}/GET INFO)' });
  });

  test('account settings that cannot be read, and an unknown account id, stay visible', () => {
    const items = byId(telemetryItems(REST, bare('prod'), { error: 'AccessDeniedException on apigateway:GET' }, { region: 'us-east-1' }));
    expect(items['cloudwatch-role']).toMatchObject({ status: 'unknown', current: 'could not read the account settings: AccessDeniedException on apigateway:GET' });
    expect(items['cloudwatch-role']?.fix).toBeUndefined();
    expect(items['access-logging']?.fix).toContain("'[{\"op\":\"replace\",\"path\":\"/accessLogSettings/destinationArn\",\"value\":\"arn:aws:logs:us-east-1:<account-id>:log-group:");
  });
});

describe('HTTP', () => {
  test('no execution logs, role or data trace to check; the access-log fix is the v2 one', () => {
    const items = telemetryItems(HTTP, bare('$default', { methodSettings: { '*/*': { metricsEnabled: false, throttlingBurstLimit: 5000, throttlingRateLimit: 10000 } } }), undefined, WHERE);
    expect(items.map((i) => [i.id, i.status])).toEqual([
      ['access-logging', 'missing'],
      ['detailed-metrics', 'optional'],
    ]);
    const item = byId(items);
    const calls = pasted(item['access-logging']?.fix ?? '');
    const update = calls[2] ?? [];
    expect(update.slice(0, 9)).toEqual(['apigatewayv2', 'update-stage', '--api-id', 'l3g4c5y6h7', '--stage-name', '$default', '--region', 'us-east-1', '--access-log-settings']);
    const settings = JSON.parse(update[9] ?? '') as { DestinationArn: string; Format: string };
    expect(settings.DestinationArn).toBe('arn:aws:logs:us-east-1:123456789012:log-group:/aws/apigateway/access-logs/l3g4c5y6h7');
    expect(parseAccessLogFormat(settings.Format)).toMatchObject({ routeKey: 'routeKey', integrationErrorMessage: 'integrationErrorMessage', requestId: 'requestId', status: 'status' });
    // Current throttling is carried over: the update changes only detailed metrics.
    expect(item['detailed-metrics']?.fix).toBe(
      "aws apigatewayv2 update-stage --api-id l3g4c5y6h7 --stage-name '$default' --region us-east-1 --default-route-settings DetailedMetricsEnabled=true,ThrottlingBurstLimit=5000,ThrottlingRateLimit=10000",
    );
  });

  test('an HTTP format needs $context.integrationErrorMessage and a request id, not the REST-only fields', () => {
    const format = '{"requestId":"$context.requestId","routeKey":"$context.routeKey","status":"$context.status","integrationErrorMessage":"$context.integrationErrorMessage"}';
    expect(byId(telemetryItems(HTTP, bare('$default', { accessLog: { destinationArn: GROUP_ARN, format } }), undefined, WHERE))['access-log-format']?.status).toBe('ok');
    const without = '{"extendedRequestId":"$context.extendedRequestId","routeKey":"$context.routeKey","status":"$context.status","integrationErrorMessageX":"$context.integrationErrorMessageX"}';
    expect(byId(telemetryItems(HTTP, bare('$default', { accessLog: { destinationArn: GROUP_ARN, format: without } }), undefined, WHERE))['access-log-format']?.current).toBe('lacks $context.integrationErrorMessage');
  });
});

test('WebSocket: execution logging through default route settings, current values carried over', () => {
  const stage = bare('production', { methodSettings: { '*/*': { loggingLevel: 'OFF', dataTraceEnabled: false, metricsEnabled: false, throttlingBurstLimit: 500, throttlingRateLimit: 1000 } } });
  const item = byId(telemetryItems(WS, stage, ROLE, WHERE));
  expect(item['execution-logging']?.fix).toBe(
    'aws apigatewayv2 update-stage --api-id w5s6c7h8t9 --stage-name production --region us-east-1 --default-route-settings DetailedMetricsEnabled=false,LoggingLevel=ERROR,DataTraceEnabled=false,ThrottlingBurstLimit=500,ThrottlingRateLimit=1000',
  );
  expect(item['cloudwatch-role']?.why).toContain('WebSocket');
  expect(parseAccessLogFormat(accessLogFormatFor('WEBSOCKET'))).toMatchObject({ routeKey: 'routeKey', integrationError: 'integrationError', responseType: 'errorResponseType', requestId: 'requestId' });
});

describe('checkTelemetry against a sandbox world', () => {
  async function check(world: ReturnType<typeof malformedProxyResponse>, api: string, stage?: string) {
    const sandbox = new SandboxAws(world);
    const ports = createAwsPorts({ region: world.region, dns: sandbox.dns(), clients: sandboxClients(sandbox) });
    return checkTelemetry(ports, { api, ...(stage ? { stage } : {}) }, WINDOW.to);
  }

  test('orders-api: the stage with the 5xx, the role, INFO logs, and the access-log format', async () => {
    const report = await check(malformedProxyResponse(), 'orders-api');
    expect(report.target).toEqual({ apiId: 'a1b2c3d4e5', apiName: 'orders-api', stage: 'prod', region: 'us-east-1', accountId: '123456789012' });
    expect(report.apiType).toBe('REST');
    expect(report.items.map((i) => [i.id, i.status])).toEqual([
      ['cloudwatch-role', 'ok'],
      ['execution-logging', 'ok'],
      ['access-logging', 'ok'],
      // The scenario's format has every field but $context.integration.error.
      ['access-log-format', 'missing'],
      ['detailed-metrics', 'optional'],
      ['data-trace', 'optional'],
    ]);
    expect(byId(report.items)['access-log-format']?.fix).toContain(JSON.stringify(ACCESS_FORMAT_JSON.slice(0, -1)).slice(1, -1));
  });

  test('a stage asked for by name, and an HTTP API without access logs', async () => {
    expect((await check(malformedWithoutAccessLogs(), 'orders-api', 'dev')).items.map((i) => [i.id, i.status])).toEqual([
      ['cloudwatch-role', 'ok'],
      ['execution-logging', 'missing'],
      ['access-logging', 'missing'],
      ['detailed-metrics', 'optional'],
      ['data-trace', 'optional'],
    ]);
    const http = await check(httpNoLogging(), 'legacy-http');
    expect(http.target.stage).toBe('$default');
    expect(http.items.map((i) => [i.id, i.status])).toEqual([
      ['access-logging', 'missing'],
      ['detailed-metrics', 'optional'],
    ]);
  });
});
