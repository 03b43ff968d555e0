import fc from 'fast-check';
import {
  MAX_QUERY_LENGTH,
  SAFE_FIELD,
  accessFailuresQuery,
  accessRowsToLogLines,
  escapeRegexLiteral,
  executionLogGroup,
  failingRoutes,
  fieldRef,
  insightsTimeToIso,
  logGroupFromArn,
  messageGroupsQuery,
  parseAccessLogFormat,
  rawLinesQuery,
  rawRowsToLogLines,
  matchResourcePath,
  parseRequestPaths,
  requestPathsQuery,
  returnedBodiesQuery,
  rowsOfLogGroup,
  rowsToLogLines,
} from '../../../src/collect/log-queries';
import type { LogLine } from '../../../src/diagnosis/evidence';
import { parseLogLine } from '../../../src/diagnosis/log-line';
import { LogScanner } from '../../../src/diagnosis/log-scanner';
import { shippedKnowledge } from '../../helpers/knowledge';

/** The regex between `like /` and the closing `/` of a query's filter line, as JS source. */
function filterRegex(query: string): string {
  const line = query.split('\n').find((l) => l.includes('filter @message like /'));
  if (line === undefined) throw new Error(`no filter line in ${query}`);
  const body = line.slice(line.indexOf('like /') + 'like /'.length);
  expect(body.endsWith('/')).toBe(true);
  return body.slice(0, -1);
}

/** True when `source` has a `/` not preceded by an odd number of backslashes. */
function hasUnescapedSlash(source: string): boolean {
  for (let i = 0; i < source.length; i++) {
    if (source[i] !== '/') continue;
    let backslashes = 0;
    for (let j = i - 1; j >= 0 && source[j] === '\\'; j--) backslashes++;
    if (backslashes % 2 === 0) return true;
  }
  return false;
}

/** Scans evidence lines with the shipped knowledge base. */
function scan(lines: readonly LogLine[]): LogScanner {
  const scanner = new LogScanner(shippedKnowledge());
  for (const line of lines) scanner.scanLogLine(line);
  return scanner;
}

/** The most lines any one signal of the cause matched. */
const hitsOf = (scanner: LogScanner, causeId: string): number =>
  [...scanner.digest.signalHits].filter(([uid]) => uid.startsWith(`${causeId}#`)).reduce((sum, [, n]) => Math.max(sum, n), 0);

describe('hostile input never reaches a query', () => {
  it.each([
    ['prod/ | filter 1=1', 'a1b2c3d4e5'],
    ['prod\n| stats count(*)', 'a1b2c3d4e5'],
    ['', 'a1b2c3d4e5'],
    ['x'.repeat(129), 'a1b2c3d4e5'],
    ['$other', 'a1b2c3d4e5'],
    ['prod', 'abc'],
    ['prod', 'A1B2C3D4E5'],
    ['prod', 'a1b2c3d4e5/../x'],
  ])('executionLogGroup refuses stage %j of api %j', (stage, apiId) => {
    expect(() => executionLogGroup(apiId, stage)).toThrow();
  });

  it('builds execution log group names from allow-listed ids', () => {
    expect(executionLogGroup('a1b2c3d4e5', 'prod')).toBe('API-Gateway-Execution-Logs_a1b2c3d4e5/prod');
    expect(executionLogGroup('a1b2c3d4e5', 'dev_2-blue')).toBe('API-Gateway-Execution-Logs_a1b2c3d4e5/dev_2-blue');
    expect(executionLogGroup('a1b2c3d4e5', '$default')).toBe('API-Gateway-Execution-Logs_a1b2c3d4e5/$default');
  });

  it.each(['status`', '`status', 'a|b', 'status | filter 1=1', 'has space', '1starts-with-digit', '', 'x'.repeat(65), 'new\nline'])(
    'fieldRef refuses %j',
    (name) => {
      expect(() => fieldRef(name)).toThrow('unsafe Logs Insights field name');
    },
  );

  it('fieldRef quotes safe names in backticks', () => {
    expect(fieldRef('status')).toBe('`status`');
    expect(fieldRef('error.message')).toBe('`error.message`');
    expect(fieldRef('@timestamp')).toBe('`@timestamp`');
    expect(fieldRef('integration-status_1')).toBe('`integration-status_1`');
    expect(SAFE_FIELD.test('x'.repeat(64))).toBe(true);
  });

  it('escapes /, |, (, . and friends so the alternation matches exactly the literals', () => {
    const literals = ['a/b', 'x|y', 'f(o)o', 'v1.2', 'a/b', '[x]{2}', 'c:\\tmp', 'end$', '^start', 'q?+*'];
    const query = messageGroupsQuery(literals, 'execution');
    const source = filterRegex(query);
    expect(hasUnescapedSlash(source)).toBe(false);
    const re = new RegExp(`^(?:${source})$`);
    for (const l of [...literals, 'Method completed with status: 5']) expect(re.test(l)).toBe(true);
    for (const near of ['a', 'ab', 'x', 'y', 'xy', 'foo', 'v1x2', 'v12', 'xx', 'c:\tmp', 'end', 'start', 'q', 'Method completed with status: 2']) {
      expect(re.test(near)).toBe(false);
    }
    // Distinct literals only, once each.
    expect(source.split('a\\/b')).toHaveLength(2);
  });

  it('keeps a hostile literal on its one filter line: the query shape never changes', () => {
    const hostile = '/ | stats count(*) by @logStream | limit 1 # ` "';
    const query = messageGroupsQuery([hostile], 'lambda', 50);
    const lines = query.split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[0]?.startsWith('filter @message like /')).toBe(true);
    expect(lines.slice(1).every((l) => l.startsWith('| '))).toBe(true);
    const source = filterRegex(query);
    expect(hasUnescapedSlash(source)).toBe(false);
    expect(new RegExp(`^(?:${source})$`).test(hostile)).toBe(true);
    expect(() => messageGroupsQuery(['fine', 'evil\n| stats count(*)'], 'execution')).toThrow('line break');
  });

  it('escapeRegexLiteral refuses line breaks and control characters, and writes a tab as \\t', () => {
    for (const bad of ['a\nb', 'a\rb', 'a\u2028b', 'a\u2029b', 'a\u0000b', 'a\u001bb']) expect(() => escapeRegexLiteral(bad)).toThrow('refusing');
    expect(escapeRegexLiteral('\tERROR\tInvoke Error')).toBe('\\tERROR\\tInvoke Error');
  });

  it('property: any escaped string matches itself literally and has no unescaped /', () => {
    const meta = fc.constantFrom(...'\\^$.|?*+()[]{}/-#`"\' \tab');
    const anyChar = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 });
    fc.assert(
      fc.property(fc.string({ unit: fc.oneof(meta, anyChar), maxLength: 40 }), (s) => {
        let escaped: string;
        try {
          escaped = escapeRegexLiteral(s);
        } catch {
          // Refused only for a line break or a control character other than tab.
          // eslint-disable-next-line no-control-regex -- looking for control characters is the point
          expect(/[\n\r\u2028\u2029\u0000-\u0008\u000b-\u001f\u007f]/.test(s)).toBe(true);
          return;
        }
        expect(hasUnescapedSlash(escaped)).toBe(false);
        const re = new RegExp(`^(?:${escaped})$`);
        expect(re.test(s)).toBe(true);
        expect(re.test(`${s}x`)).toBe(false);
        // Embedded in an alternation it still stands alone.
        expect(new RegExp(`^(?:zz|${escaped})$`).test(s)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('drops access-format keys that are not safe field names, so they never reach a query', () => {
    const format = parseAccessLogFormat('{"st`atus":"$context.status","status | filter 1=1":"$context.status","requestId":"$context.requestId"}');
    expect(format).toEqual({ requestId: 'requestId' });
    expect(accessFailuresQuery(format ?? {})).toBeNull();
  });

  it('refuses a limit outside 1..10,000', () => {
    expect(() => messageGroupsQuery(['x'], 'execution', 0)).toThrow('limit');
    expect(() => rawLinesQuery(['x'], 10_001)).toThrow('limit');
    expect(() => accessFailuresQuery({ status: 'status' }, 1.5)).toThrow('limit');
  });

  it('refuses a query longer than StartQuery accepts', () => {
    const many = Array.from({ length: 400 }, (_, i) => `a distinct knowledge literal number ${i}!`);
    expect(() => messageGroupsQuery(many, 'execution')).toThrow(`at most ${MAX_QUERY_LENGTH}`);
  });
});

describe('messageGroupsQuery', () => {
  it('counts execution messages by text, with times and example ids', () => {
    expect(messageGroupsQuery(['Execution failed due to configuration error: ', 'Lambda execution failed with status '], 'execution')).toBe(
      [
        'filter @message like /Method completed with status: 5|Lambda execution failed with status |Execution failed due to configuration error: /',
        String.raw`| parse @message /^\((?<requestId>[A-Za-z0-9=_-]{8,64})\) (?<text>[\s\S]*)/`,
        '| fields coalesce(text, @message) as message',
        '| stats count(*) as n, min(@timestamp) as firstSeen, max(@timestamp) as lastSeen, earliest(requestId) as r1, latest(requestId) as r2 by message',
        '| sort n desc',
        '| limit 200',
      ].join('\n'),
    );
  });

  it('parses Lambda runtime lines and keeps their separator and level in the text', () => {
    const query = messageGroupsQuery(['\tERROR\tInvoke Error'], 'lambda', 100);
    expect(filterRegex(query)).toBe('Task timed out|\\tERROR\\tInvoke Error');
    const parse = /\| parse @message \/(.*)\/$/m.exec(query)?.[1] ?? '';
    const re = new RegExp(parse);
    const uuid = '6f0b2f5e-0f6d-4b0e-9d43-1c3a2b7e8f90';
    expect(re.exec(`2026-11-25T14:02:11.121Z\t${uuid}\tERROR\tInvoke Error \t{"errorType":"TypeError"}`)?.groups).toEqual({
      requestId: uuid,
      text: '\tERROR\tInvoke Error \t{"errorType":"TypeError"}',
    });
    expect(re.exec(`2026-11-25T14:02:17.130Z ${uuid} Task timed out after 6.01 seconds`)?.groups).toEqual({
      requestId: uuid,
      text: ' Task timed out after 6.01 seconds',
    });
    expect(query.endsWith('| limit 100')).toBe(true);
  });

  it('drops literals that contain another one, keeping the filter equivalent and short', () => {
    const query = messageGroupsQuery(['Execution failed due to configuration error: ', 'Execution failed due to configuration error: Invalid endpoint address', ''], 'execution');
    expect(filterRegex(query)).toBe('Method completed with status: 5|Execution failed due to configuration error: ');
  });

  it('fits every execution and Lambda literal of the shipped knowledge base in one query each', () => {
    const signals = shippedKnowledge().causes.flatMap((c) => c.signals);
    for (const source of ['execution', 'lambda'] as const) {
      const literals = signals.flatMap((s) => (s.kind === 'log' && (!s.sources || s.sources.includes(source)) ? s.literals : []));
      const query = messageGroupsQuery(literals, source);
      expect(query.length).toBeLessThanOrEqual(MAX_QUERY_LENGTH);
      const re = new RegExp(filterRegex(query));
      for (const l of literals) expect(re.test(l)).toBe(true);
    }
  });
});

describe('rowsToLogLines', () => {
  const r1 = 'e0b3c1f4-5d6a-4b7c-8d9e-0f1a2b3c4d5e';
  const r2 = '9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d';

  it('turns execution rows into counted lines that keep their request-id prefix', () => {
    const lines = rowsToLogLines(
      [
        { message: 'Execution failed due to configuration error: Malformed Lambda proxy response', n: '17', firstSeen: '2026-11-25 14:02:11.121', lastSeen: '2026-11-25 14:09:58.004', r1, r2 },
        { message: 'Method completed with status: 502', n: '40', firstSeen: '2026-11-25 14:00:03.000', lastSeen: '2026-11-25 14:10:00.999', r1, r2: r1 },
        { message: 'Method completed with status: 504', n: '3', firstSeen: 'not a time', r1: 'abc) | filter', r2: 'short' },
        { message: '   ', n: '9' },
      ],
      'execution',
    );
    expect(lines).toEqual([
      {
        message: `(${r1}) Execution failed due to configuration error: Malformed Lambda proxy response`,
        source: 'execution',
        count: 17,
        timestamp: '2026-11-25T14:02:11.121Z',
        lastSeen: '2026-11-25T14:09:58.004Z',
        requestId: r1,
        requestIds: [r2],
      },
      { message: `(${r1}) Method completed with status: 502`, source: 'execution', count: 40, timestamp: '2026-11-25T14:00:03.000Z', lastSeen: '2026-11-25T14:10:00.999Z', requestId: r1 },
      { message: 'Method completed with status: 504', source: 'execution', count: 3 },
    ]);
    const parsed = parseLogLine(lines[0]?.message ?? '', 'execution', lines[0]?.requestId);
    expect(parsed).toMatchObject({ requestId: r1, message: 'Execution failed due to configuration error: Malformed Lambda proxy response' });
  });

  it('counts each row as n lines when scanned, signals and statuses alike', () => {
    const lines = rowsToLogLines(
      [
        { message: 'Execution failed due to configuration error: Malformed Lambda proxy response', n: '17', firstSeen: '2026-11-25 14:02:11.121', lastSeen: '2026-11-25 14:09:58.004', r1, r2 },
        { message: 'Method completed with status: 502', n: '40', firstSeen: '2026-11-25 14:00:03.000', lastSeen: '2026-11-25 14:10:00.999', r1 },
      ],
      'execution',
    );
    const scanner = scan(lines);
    expect(scanner.digest.lines).toBe(57);
    expect(scanner.digest.linesBySource.execution).toBe(57);
    expect(scanner.digest.statuses.get(502)).toBe(40);
    expect(hitsOf(scanner, 'malformed-lambda-proxy-response')).toBe(17);
    const group = [...scanner.digest.groups.values()].find((g) => g.signals.size > 0);
    expect(group).toMatchObject({ count: 17, requestIds: [r1, r2], firstSeen: '2026-11-25T14:02:11.121Z', lastSeen: '2026-11-25T14:09:58.004Z' });
  });

  it('turns Lambda rows into lines the Lambda signals fire on', () => {
    const lines = rowsToLogLines(
      [
        { message: '\tERROR\tInvoke Error \t{"errorType":"TypeError","errorMessage":"Cannot read properties of undefined"}', n: '12', firstSeen: '2026-11-25 14:02:11.121', lastSeen: '2026-11-25 14:05:00.000', r1, r2 },
        // As if the service had trimmed the leading tab: it is put back.
        { message: 'ERROR\tInvoke Error \t{"errorType":"TypeError"}', n: '1', firstSeen: '2026-11-25 14:06:00.000', r1 },
        { message: ' Task timed out after 6.01 seconds', n: '5', firstSeen: '2026-11-25 14:07:00.000', lastSeen: '2026-11-25 14:08:00.000', r1: r2 },
      ],
      'lambda',
    );
    expect(lines[0]).toMatchObject({ source: 'lambda', count: 12, requestId: r1, requestIds: [r2], timestamp: '2026-11-25T14:02:11.121Z' });
    expect(lines[1]?.message.startsWith('\tERROR\t')).toBe(true);
    const scanner = scan(lines);
    expect(hitsOf(scanner, 'lambda-function-error')).toBe(13);
    expect(hitsOf(scanner, 'lambda-timeout')).toBe(5);
  });
});

describe('insightsTimeToIso', () => {
  it.each([
    ['2026-11-25 14:02:11.121', '2026-11-25T14:02:11.121Z'],
    ['2026-11-25 14:02:11', '2026-11-25T14:02:11Z'],
    ['2026-11-25T14:02:11.121Z', '2026-11-25T14:02:11.121Z'],
    ['2026-11-25 14:02:11.121+02:00', '2026-11-25T14:02:11.121+02:00'],
  ])('%s → %s', (input, iso) => {
    expect(insightsTimeToIso(input)).toBe(iso);
  });

  it.each(['', 'yesterday', '2026-13-45 99:99:99', '1732543331121'])('%j → undefined', (input) => {
    expect(insightsTimeToIso(input)).toBeUndefined();
  });
});

const FULL_FORMAT =
  '{"requestId":"$context.requestId","extendedRequestId":"$context.extendedRequestId","ip":"$context.identity.sourceIp","requestTime":"$context.requestTime",' +
  '"status":"$context.status","integrationErrorMessage":"$context.integrationErrorMessage","errorMessage":"$context.error.message",' +
  '"responseType":"$context.error.responseType","resourcePath":"$context.resourcePath","routeKey":"$context.routeKey","httpMethod":"$context.httpMethod",' +
  '"integrationStatus":"$context.integrationStatus","integrationLatency":"$context.integrationLatency", "integrationError":"$context.integration.error",' +
  '"responseLatency":"$context.responseLatency","protocol":"$context.protocol"}';

describe('parseAccessLogFormat', () => {
  it('maps every $context variable of a quoted JSON format to its key', () => {
    expect(parseAccessLogFormat(FULL_FORMAT)).toEqual({
      requestId: 'requestId',
      extendedRequestId: 'extendedRequestId',
      status: 'status',
      integrationErrorMessage: 'integrationErrorMessage',
      errorMessage: 'errorMessage',
      responseType: 'responseType',
      resourcePath: 'resourcePath',
      routeKey: 'routeKey',
      httpMethod: 'httpMethod',
      integrationStatus: 'integrationStatus',
      integrationLatency: 'integrationLatency',
      integrationError: 'integrationError',
      responseLatency: 'responseLatency',
    });
  });

  it('reads unquoted values, user-chosen key names and the alternative variables', () => {
    const format = `{ "rid": "$context.requestId", "code": $context.status, "lat": $context.integration.latency,
      "msg": $context.error.messageString, "errorResponseType": "$context.error.responseType",
      "integration_status": "$context.integration.integrationStatus", "fnStatus": "$context.integration.status",
      "authError": "$context.authorizer.error", "path": "$context.path" }`;
    expect(parseAccessLogFormat(format)).toEqual({
      requestId: 'rid',
      status: 'code',
      integrationLatency: 'lat',
      errorMessage: 'msg',
      responseType: 'errorResponseType',
      integrationStatus: 'integration_status',
      authorizerError: 'authError',
    });
  });

  it('dots nested keys, skips mixed values and keeps the first key of a repeated variable', () => {
    const format = '{"requestId":"$context.requestId","both":"$context.requestId $context.extendedRequestId","again":"$context.requestId","error":{"message":"$context.error.message","type":"$context.error.responseType"},"s":"$context.status"}';
    expect(parseAccessLogFormat(format)).toEqual({ requestId: 'requestId', errorMessage: 'error.message', responseType: 'error.type', status: 's' });
  });

  it.each([
    ['CLF', '$context.identity.sourceIp - - [$context.requestTime] "$context.httpMethod $context.routeKey $context.protocol" $context.status $context.responseLength $context.requestId'],
    ['CSV', '$context.identity.sourceIp,$context.identity.caller,$context.identity.user,$context.requestTime,$context.httpMethod,$context.resourcePath,$context.protocol,$context.status,$context.responseLength,$context.requestId'],
    ['XML', '<request id="$context.requestId"> <ip>$context.identity.sourceIp</ip> <status>$context.status</status> </request>'],
    ['broken JSON', '{"status": $context.status'],
    ['a JSON array', '["$context.status"]'],
  ])('returns null for %s', (_kind, format) => {
    expect(parseAccessLogFormat(format)).toBeNull();
  });
});

describe('accessFailuresQuery', () => {
  it('groups 5xx responses by status, route and error fields, each field quoted', () => {
    const format = parseAccessLogFormat(FULL_FORMAT);
    expect(format).not.toBeNull();
    expect(accessFailuresQuery(format ?? {})).toBe(
      [
        'filter `status` >= 500 and `status` <= 599',
        '| fields @timestamp, `requestId` as rid, `status` as f_status, `routeKey` as f_routeKey, `resourcePath` as f_resourcePath, `httpMethod` as f_httpMethod, ' +
          '`integrationErrorMessage` as f_integrationErrorMessage, `errorMessage` as f_errorMessage, `responseType` as f_responseType, `integrationStatus` as f_integrationStatus, `integrationError` as f_integrationError',
        '| stats count(*) as n, min(@timestamp) as firstSeen, max(@timestamp) as lastSeen, earliest(rid) as r1, latest(rid) as r2 by f_status, f_routeKey, f_resourcePath, f_httpMethod, ' +
          'f_integrationErrorMessage, f_errorMessage, f_responseType, f_integrationStatus, f_integrationError',
        '| sort n desc',
        '| limit 200',
      ].join('\n'),
    );
  });

  it('uses only the fields the format has, and the extended request id when there is no request id', () => {
    const query = accessFailuresQuery({ extendedRequestId: 'xid', status: 'http-status', 'responseType': 'error.type' }, 50);
    expect(query).toContain('`xid` as rid');
    expect(query).toContain('filter `http-status` >= 500 and `http-status` <= 599');
    expect(query).toContain('by f_status, f_responseType\n');
    expect(query).not.toContain('f_routeKey');
    expect(query?.endsWith('| limit 50')).toBe(true);
  });

  it('leaves out example ids when the format has no request id, and is null without a status', () => {
    expect(accessFailuresQuery({ status: 'status' })).not.toContain('earliest');
    expect(accessFailuresQuery({ requestId: 'requestId', responseType: 'responseType' })).toBeNull();
  });
});

describe('access rows', () => {
  const format = parseAccessLogFormat(FULL_FORMAT) ?? {};
  const rid = 'Nq3lZg2yoAMEbXw=';
  const rows: Record<string, string>[] = [
    {
      f_status: '502', f_routeKey: '-', f_resourcePath: '/orders/{id}', f_httpMethod: 'GET', f_integrationErrorMessage: '-', f_errorMessage: 'Internal server error',
      f_responseType: 'MALFORMED_PROXY_RESPONSE', f_integrationStatus: '200', f_integrationError: '-', n: '31',
      firstSeen: '2026-11-25 14:02:11.121', lastSeen: '2026-11-25 14:09:58.004', r1: 'c6f1e2a0-1b2c-4d3e-8f90-a1b2c3d4e5f6', r2: 'd7a2f3b1-2c3d-4e5f-9a01-b2c3d4e5f6a7',
    },
    {
      f_status: '500', f_routeKey: '-', f_resourcePath: '/pay', f_httpMethod: 'POST', f_integrationErrorMessage: 'The IAM role configured on the integration or API Gateway doesn\'t have permissions to call the integration. Check the permissions and try again.',
      f_errorMessage: 'Internal Server Error', f_responseType: '-', f_integrationStatus: '-', f_integrationError: '-', n: '4',
      firstSeen: '2026-11-25 14:03:00.000', lastSeen: '2026-11-25 14:04:00.000', r1: rid,
    },
    {
      f_status: '502', f_routeKey: '-', f_resourcePath: '/orders/{id}', f_httpMethod: 'GET', f_integrationErrorMessage: '-', f_errorMessage: 'Internal server error',
      f_responseType: 'INTEGRATION_FAILURE', f_integrationStatus: '-', f_integrationError: '-', n: '2', firstSeen: '2026-11-25 14:05:00.000',
    },
  ];

  it('become canonical JSON access lines that parseLogLine reads', () => {
    const lines = accessRowsToLogLines(rows, format);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toEqual({
      message: '{"status":"502","httpMethod":"GET","resourcePath":"/orders/{id}","responseType":"MALFORMED_PROXY_RESPONSE","errorMessage":"Internal server error","integrationStatus":"200"}',
      source: 'access',
      count: 31,
      timestamp: '2026-11-25T14:02:11.121Z',
      lastSeen: '2026-11-25T14:09:58.004Z',
      requestId: 'c6f1e2a0-1b2c-4d3e-8f90-a1b2c3d4e5f6',
      requestIds: ['d7a2f3b1-2c3d-4e5f-9a01-b2c3d4e5f6a7'],
    });
    const parsed = parseLogLine(lines[1]?.message ?? '', 'access', lines[1]?.requestId);
    expect(parsed.status).toBe(500);
    expect(parsed.requestId).toBe(rid);
    expect(parsed.access).toMatchObject({
      status: '500',
      integrationErrorMessage: "The IAM role configured on the integration or API Gateway doesn't have permissions to call the integration. Check the permissions and try again.",
      errorMessage: 'Internal Server Error',
    });
    expect(parseLogLine(lines[0]?.message ?? '', 'access').access).toMatchObject({ status: '502', responseType: 'MALFORMED_PROXY_RESPONSE', integrationStatus: '200' });
  });

  it('fire the knowledge base access signals with their counts', () => {
    const scanner = scan(accessRowsToLogLines(rows, format));
    expect(scanner.digest.statuses.get(502)).toBe(33);
    expect(scanner.digest.statuses.get(500)).toBe(4);
    expect(hitsOf(scanner, 'malformed-lambda-proxy-response')).toBe(31);
    expect(hitsOf(scanner, 'integration-role-permission')).toBe(4);
  });

  it('sum into failing routes, most failures first', () => {
    expect(failingRoutes(rows, format)).toEqual([
      { resourcePath: '/orders/{id}', httpMethod: 'GET', status: 502, count: 33 },
      { resourcePath: '/pay', httpMethod: 'POST', status: 500, count: 4 },
    ]);
    expect(failingRoutes([{ f_status: '503', f_routeKey: 'GET /items', n: '7' }], { status: 's', routeKey: 'routeKey' })).toEqual([{ routeKey: 'GET /items', status: 503, count: 7 }]);
  });
});

describe('raw access lines', () => {
  it('selects 5xx CLF and key-value lines and knowledge-base literals, newest first', () => {
    const query = rawLinesQuery(['INTEGRATION_TIMEOUT', 'MALFORMED_PROXY_RESPONSE']);
    const lines = query.split('\n');
    expect(lines[0]).toBe('fields @timestamp, @message');
    expect(lines.slice(2)).toEqual(['| sort @timestamp desc', '| limit 500']);
    const re = new RegExp(filterRegex(query));
    expect(re.test('203.0.113.7 - - [25/Nov/2026:14:02:11 +0000] "GET /orders/1 HTTP/1.1" 502 36 Nq3lZg2yoAMEbXw=')).toBe(true);
    expect(re.test('"status":"504","requestId":"x"')).toBe(true);
    expect(re.test('"status": 500')).toBe(true);
    expect(re.test('abc,POST,/pay,INTEGRATION_TIMEOUT,504')).toBe(true);
    expect(re.test('203.0.113.7 - - [25/Nov/2026:14:02:11 +0000] "GET /orders/1 HTTP/1.1" 200 36 x')).toBe(false);
    expect(re.test('"status":"404"')).toBe(false);
  });

  it('turn rows into lines with ISO times', () => {
    expect(
      rawRowsToLogLines(
        [
          { '@timestamp': '2026-11-25 14:02:11.121', '@message': '"GET /orders/1 HTTP/1.1" 502 36' },
          { '@timestamp': '2026-11-25 14:02:12.000' },
          { '@message': 'no time' },
        ],
        'access',
      ),
    ).toEqual([
      { message: '"GET /orders/1 HTTP/1.1" 502 36', source: 'access', timestamp: '2026-11-25T14:02:11.121Z' },
      { message: 'no time', source: 'access' },
    ]);
  });
});

describe('logGroupFromArn', () => {
  it.each([
    ['arn:aws:logs:us-east-1:123456789012:log-group:my-group', 'my-group'],
    ['arn:aws:logs:us-east-1:123456789012:log-group:my-group:*', 'my-group'],
    ['arn:aws:logs:eu-west-1:123456789012:log-group:/aws/vendedlogs/apigw/access#1:*', '/aws/vendedlogs/apigw/access#1'],
    ['arn:aws-cn:logs:cn-north-1:123456789012:log-group:API-Gateway-Access_x', 'API-Gateway-Access_x'],
  ])('%s → %s', (arn, name) => {
    expect(logGroupFromArn(arn)).toBe(name);
  });

  it.each([
    'arn:aws:firehose:us-east-1:123456789012:deliverystream/amazon-apigateway-x',
    'arn:aws:logs:us-east-1:123456789012:log-group:',
    'arn:aws:logs:us-east-1:1234:log-group:g',
    'arn:aws:logs:us-east-1:123456789012:log-group:a b',
    'arn:aws:logs:us-east-1:123456789012:log-group:g:*:extra',
    'my-group',
  ])('%s → null', (arn) => {
    expect(logGroupFromArn(arn)).toBeNull();
  });
});

describe('Lambda queries over several functions', () => {
  it('group by log group too, and rowsOfLogGroup keeps one function’s rows', () => {
    expect(messageGroupsQuery(['Task timed out after'], 'lambda')).toContain('by @log, message');
    expect(messageGroupsQuery(['Execution failed due to configuration error: '], 'execution')).toMatch(/ by message\n/);
    const rows: Record<string, string>[] = [
      { '@log': '123456789012:/aws/lambda/orders-handler', message: ' Task timed out after 6.01 seconds', n: '3' },
      { '@log': '123456789012:/aws/lambda/catalog-handler', message: '\tERROR\tInvoke Error ', n: '4' },
      { message: 'no group known', n: '1' },
    ];
    expect(rowsOfLogGroup(rows, '/aws/lambda/orders-handler').map((r) => r.message)).toEqual([' Task timed out after 6.01 seconds', 'no group known']);
  });
});

describe('which method failing requests called (no access logs)', () => {
  it('looks up only allow-listed request ids, escaped', () => {
    const q = requestPathsQuery(['3f2a9c1e-5b7d-4e21-9a0c-2d9e8b7c6a51', 'AbCdEfGhIjKlMnO=', 'x) | fields @message', 'short']);
    expect(q).toBe(
      ['fields @timestamp, @message', '| filter @message like /HTTP Method: /', '| filter @message like /^\\((?:3f2a9c1e-5b7d-4e21-9a0c-2d9e8b7c6a51|AbCdEfGhIjKlMnO=)\\) /', '| limit 4'].join('\n'),
    );
    expect(requestPathsQuery(['not an id at all'])).toBeNull();
  });

  it('reads method and path from the execution log line', () => {
    expect(parseRequestPaths([{ '@message': '(3f2a9c1e-5b7d-4e21-9a0c-2d9e8b7c6a51) HTTP Method: GET, Resource Path: /orders/17' }, { '@message': '(x) something else' }])).toEqual([
      { requestId: '3f2a9c1e-5b7d-4e21-9a0c-2d9e8b7c6a51', httpMethod: 'GET', path: '/orders/17' },
    ]);
  });

  it.each([
    ['/orders/{id}', '/orders/17', 1],
    ['/orders/{id}', '/orders', -1],
    ['/orders', '/orders/17', -1],
    ['/orders/{id}/items', '/orders/17/items', 2],
    ['/{proxy+}', '/a/b/c', 0],
    ['/files/{key+}', '/files/a/b.txt', 1],
    ['/files/{key+}', '/files', -1],
    ['/', '/', 0],
    ['/orders/{id}', '/orders/17?expand=items', 1],
  ])('%s fits %s: %d', (template, path, fit) => {
    expect(matchResourcePath(template, path)).toBe(fit);
  });
});

describe('returnedBodiesQuery', () => {
  it('fetches what the integration returned to a few failing requests, by allow-listed id only', () => {
    const q = returnedBodiesQuery(['3f2a9c1e-5b7d-4e21-9a0c-2d9e8b7c6a51', 'x) | fields @message #', '91c04d2e-7f3a-4b8c-a1d2-e3f4a5b6c7d8']);
    expect(q).toBe(
      [
        'fields @timestamp, @message',
        '| filter @message like /Endpoint response body before transformations: /',
        '| filter @message like /^\\((?:3f2a9c1e-5b7d-4e21-9a0c-2d9e8b7c6a51|91c04d2e-7f3a-4b8c-a1d2-e3f4a5b6c7d8)\\) /',
        '| limit 2',
      ].join('\n'),
    );
    expect(returnedBodiesQuery(['not an id!'])).toBeNull();
  });
});
