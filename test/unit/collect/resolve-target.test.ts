import fc from 'fast-check';
import { ErrorCode, TargetError } from '../../../src/errors';
import { AwsCallError } from '../../../src/collect/call-aws';
import type { ApiGatewayPort, ApiSummary, DomainMapping } from '../../../src/collect/ports';
import { apiRefProblem, editDistance, parseApiRef, resolveApi } from '../../../src/collect/resolve-target';
import type { ApiRef } from '../../../src/collect/resolve-target';

const REGION = 'us-east-1';

// ── In-memory ports ─────────────────────────────────────────────────────────────────────────────

interface FakeFamily {
  apis?: ApiSummary[];
  /** Domain → mappings; a domain absent here is unknown to the family (null). */
  domains?: Record<string, DomainMapping[]>;
  /** Makes getDomainMappings reject with this instead. */
  domainError?: Error;
}

interface Recorded {
  getApi: string[];
  listApis: number;
  getDomainMappings: string[];
}

function fakePort(family: 'v1' | 'v2', data: FakeFamily = {}): ApiGatewayPort & { calls: Recorded } {
  const apis = data.apis ?? [];
  const calls: Recorded = { getApi: [], listApis: 0, getDomainMappings: [] };
  return {
    family,
    calls,
    getApi: (apiId) => {
      calls.getApi.push(apiId);
      return Promise.resolve(apis.find((a) => a.apiId === apiId) ?? null);
    },
    listApis: () => {
      calls.listApis++;
      return Promise.resolve([...apis]);
    },
    getStages: () => Promise.resolve([]),
    getRoutes: () => Promise.resolve([]),
    getAuthorizers: () => Promise.resolve([]),
    getDeployments: () => Promise.resolve([]),
    getDomainMappings: (domain) => {
      calls.getDomainMappings.push(domain);
      if (data.domainError) return Promise.reject(data.domainError);
      return Promise.resolve(data.domains?.[domain] ?? null);
    },
  };
}

const rest = (apiId: string, name: string): ApiSummary => ({ apiId, name, apiType: 'REST' });
const http = (apiId: string, name: string): ApiSummary => ({ apiId, name, apiType: 'HTTP', endpoint: `https://${apiId}.execute-api.${REGION}.amazonaws.com` });
const ws = (apiId: string, name: string): ApiSummary => ({ apiId, name, apiType: 'WEBSOCKET', endpoint: `wss://${apiId}.execute-api.${REGION}.amazonaws.com` });

const ORDERS = rest('a1b2c3d4e5', 'orders-api');
const PAYMENTS = http('p4y8m3n7s0', 'payments-api');
const CHAT = ws('c8h4t2w9s1', 'chat');

/** Runs resolveApi and returns the TargetError it throws (failing the test when it resolves). */
async function targetError(promise: Promise<unknown>): Promise<TargetError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof TargetError) return e;
    throw e;
  }
  throw new Error('expected a TargetError, but the reference resolved');
}

function parseError(input: string): TargetError {
  try {
    parseApiRef(input);
  } catch (e) {
    if (e instanceof TargetError) return e;
    throw e;
  }
  throw new Error(`expected a TargetError for ${JSON.stringify(input)}`);
}

// ── parseApiRef ─────────────────────────────────────────────────────────────────────────────────

describe('parseApiRef', () => {
  it.each<[string, string, RegExp]>([
    // The host after the @ picks the API, whatever the part before it says: never read past it.
    ['user info hiding another API', 'orders-x.y:z@i7n4v5c2e9.execute-api.us-east-1.amazonaws.com', /carries no user name or password/],
    ['user info with a scheme', 'https://orders-api@i7n4v5c2e9.execute-api.us-east-1.amazonaws.com/prod', /carries no user name or password/],
    ['a port', 'api.shop.example.com:443/orders', /carries no port/],
    ['a port on an invoke URL', 'https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com:8443/prod', /carries no port/],
    ['another scheme', 'ftp://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod', /starts with https:\/\/, not ftp:\/\//],
    ['a javascript: URL', 'javascript://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com', /not javascript:\/\//],
  ])('refuses %s', (_label, input, message) => {
    expect(() => parseApiRef(input)).toThrow(message);
    expect(apiRefProblem(input)).toMatch(message);
  });

  it.each<[string, string, ApiRef]>([
    ['a 10-character id', 'a1b2c3d4e5', { kind: 'id-or-name', text: 'a1b2c3d4e5' }],
    ['an id with surrounding whitespace', '  a1b2c3d4e5\n', { kind: 'id-or-name', text: 'a1b2c3d4e5' }],
    ['a name', 'orders-api', { kind: 'name', text: 'orders-api' }],
    ['a name with capitals (ids are lower case)', 'A1B2C3D4E5', { kind: 'name', text: 'A1B2C3D4E5' }],
    ['a 9-character word', 'a1b2c3d4e', { kind: 'name', text: 'a1b2c3d4e' }],
    ['an 11-character word', 'a1b2c3d4e5f', { kind: 'name', text: 'a1b2c3d4e5f' }],
    ['a name with underscores', 'Orders_API', { kind: 'name', text: 'Orders_API' }],
    ['an odd but single-word name', '$(reboot)', { kind: 'name', text: '$(reboot)' }],
  ])('%s', (_label, input, expected) => {
    expect(parseApiRef(input)).toEqual(expected);
  });

  it.each<[string, string, ApiRef]>([
    [
      'an invoke URL with stage and path',
      'https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod/orders/42',
      { kind: 'invoke-url', apiId: 'a1b2c3d4e5', region: 'us-east-1', path: ['prod', 'orders', '42'] },
    ],
    ['an invoke URL without a path', 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com', { kind: 'invoke-url', apiId: 'a1b2c3d4e5', region: 'eu-west-1', path: [] }],
    ['an invoke URL without a scheme', 'a1b2c3d4e5.execute-api.ap-southeast-2.amazonaws.com/dev', { kind: 'invoke-url', apiId: 'a1b2c3d4e5', region: 'ap-southeast-2', path: ['dev'] }],
    ['an http:// invoke URL', 'http://a1b2c3d4e5.execute-api.us-west-2.amazonaws.com/prod/', { kind: 'invoke-url', apiId: 'a1b2c3d4e5', region: 'us-west-2', path: ['prod'] }],
    ['an invoke URL in capitals', 'HTTPS://A1B2C3D4E5.execute-api.us-east-1.amazonaws.com/prod', { kind: 'invoke-url', apiId: 'a1b2c3d4e5', region: 'us-east-1', path: ['prod'] }],
    ['a China invoke URL', 'https://a1b2c3d4e5.execute-api.cn-north-1.amazonaws.com.cn/prod', { kind: 'invoke-url', apiId: 'a1b2c3d4e5', region: 'cn-north-1', path: ['prod'] }],
    ['a GovCloud invoke URL', 'https://a1b2c3d4e5.execute-api.us-gov-west-1.amazonaws.com/prod', { kind: 'invoke-url', apiId: 'a1b2c3d4e5', region: 'us-gov-west-1', path: ['prod'] }],
    [
      'an invoke URL with an encoded $default stage, query and fragment',
      'https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/%24default/orders?x=1#top',
      { kind: 'invoke-url', apiId: 'a1b2c3d4e5', region: 'us-east-1', path: ['$default', 'orders'] },
    ],
    ['an invoke URL with a malformed escape keeps the segment as typed', 'https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/%ZZ', { kind: 'invoke-url', apiId: 'a1b2c3d4e5', region: 'us-east-1', path: ['%ZZ'] }],
  ])('%s', (_label, input, expected) => {
    expect(parseApiRef(input)).toEqual(expected);
  });

  it.each<[string, string, ApiRef]>([
    ['a custom domain with scheme and path', 'https://api.shop.example.com/orders/42', { kind: 'domain', domain: 'api.shop.example.com', path: ['orders', '42'] }],
    ['a custom domain without scheme', 'api.shop.example.com', { kind: 'domain', domain: 'api.shop.example.com', path: [], bare: 'api.shop.example.com' }],
    ['a custom domain without scheme, with path', 'api.shop.example.com/v1/orders', { kind: 'domain', domain: 'api.shop.example.com', path: ['v1', 'orders'] }],
    ['a custom domain in capitals', 'HTTPS://API.Shop.Example.COM/Orders', { kind: 'domain', domain: 'api.shop.example.com', path: ['Orders'] }],
    // An execute-api host whose first label is not an API id is an ordinary domain, not an invoke URL.
    ['an execute-api look-alike', 'https://not-an-id.execute-api.us-east-1.amazonaws.com/prod', { kind: 'domain', domain: 'not-an-id.execute-api.us-east-1.amazonaws.com', path: ['prod'] }],
  ])('%s', (_label, input, expected) => {
    expect(parseApiRef(input)).toEqual(expected);
  });

  it.each<[string, string]>([
    ['empty', ''],
    ['only spaces', '   '],
    ['only a newline and tab', '\n\t'],
    ['two words', 'orders api'],
    ['a Logs Insights injection attempt', 'orders\n| filter @message like /secret/'],
    ['a shell injection attempt with spaces', 'orders; rm -rf /'],
    ['a URL with a space in it', 'https://api.example.com/a b'],
    ['a tab inside a name', 'orders\tapi'],
    ['a non-breaking space inside a name', 'orders\u00a0api'],
    ['overlong (2,049 characters)', 'a'.repeat(2049)],
  ])('%s → TargetError that says what to type', (_label, input) => {
    const e = parseError(input);
    expect(e.code).toBe(ErrorCode.UnknownTarget);
    expect(e.message).toContain('is not an API: give its name, its id (10 characters, such as a1b2c3d4e5), its invoke URL or its custom domain');
  });

  it('accepts input of exactly 2,048 characters', () => {
    expect(parseApiRef('a'.repeat(2048))).toEqual({ kind: 'name', text: 'a'.repeat(2048) });
  });

  it('clips overlong input in the message instead of echoing all of it', () => {
    const e = parseError('x'.repeat(5000));
    expect(e.message).toContain(`"${'x'.repeat(77)}…"`);
    expect(e.message.length).toBeLessThan(250);
  });

  it('any input either classifies or throws a TargetError; an id is always 10 lower-case characters', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webUrl(), fc.domain(), fc.stringMatching(/^[a-z0-9]{10}$/)), (input) => {
        let ref: ApiRef;
        try {
          ref = parseApiRef(input);
        } catch (e) {
          expect(e).toBeInstanceOf(TargetError);
          return;
        }
        if (ref.kind === 'id-or-name') expect(ref.text).toMatch(/^[a-z0-9]{10}$/);
        if (ref.kind === 'invoke-url') expect(ref.apiId).toMatch(/^[a-z0-9]{10}$/);
        if (ref.kind === 'name' || ref.kind === 'id-or-name') expect(ref.text).not.toMatch(/\s/);
      }),
    );
  });

  it('quotes the trimmed input in the message', () => {
    expect(parseError('  orders api  ').message).toMatch(/^"orders api" is not an API/);
    expect(parseError('').message).toMatch(/^"" is not an API/);
  });
});

// ── resolveApi ──────────────────────────────────────────────────────────────────────────────────

describe('resolveApi by id', () => {
  it.each<[string, ApiSummary]>([
    ['a REST API', ORDERS],
    ['an HTTP API', PAYMENTS],
    ['a WebSocket API', CHAT],
  ])('finds %s by id, asking both families and listing nothing', async (_label, api) => {
    const r = fakePort('v1', { apis: [ORDERS] });
    const v = fakePort('v2', { apis: [PAYMENTS, CHAT] });
    await expect(resolveApi(parseApiRef(api.apiId), r, v, REGION)).resolves.toEqual({ api });
    expect(r.calls.getApi).toEqual([api.apiId]);
    expect(v.calls.getApi).toEqual([api.apiId]);
    expect(r.calls.listApis + v.calls.listApis).toBe(0);
  });

  it('an id that is no API falls back to a name (an API may be named like an id)', async () => {
    const namedLikeId = http('zzzzzzzzzz', 'q1w2e3r4t5');
    const r = fakePort('v1', { apis: [ORDERS] });
    const v = fakePort('v2', { apis: [namedLikeId] });
    await expect(resolveApi(parseApiRef('q1w2e3r4t5'), r, v, REGION)).resolves.toEqual({ api: namedLikeId });
    expect(r.calls.listApis).toBe(1);
    expect(v.calls.listApis).toBe(1);
  });

  it('an id that is neither an id nor a name is unknown, by name', async () => {
    const e = await targetError(resolveApi(parseApiRef('q1w2e3r4t5'), fakePort('v1', { apis: [ORDERS] }), fakePort('v2'), REGION));
    expect(e.code).toBe(ErrorCode.UnknownTarget);
    expect(e.message).toBe('no API named "q1w2e3r4t5" in us-east-1');
  });
});

describe('resolveApi by invoke URL', () => {
  it('gives the API, the Region and the first path segment as stage hint', async () => {
    const ref = parseApiRef('https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod/orders/42');
    await expect(resolveApi(ref, fakePort('v1', { apis: [ORDERS] }), fakePort('v2'), REGION)).resolves.toEqual({ api: ORDERS, region: 'us-east-1', stageHint: 'prod' });
  });

  it('takes $default as a stage hint', async () => {
    const ref = parseApiRef(`https://${PAYMENTS.apiId}.execute-api.us-east-1.amazonaws.com/$default/pay`);
    await expect(resolveApi(ref, fakePort('v1'), fakePort('v2', { apis: [PAYMENTS] }), REGION)).resolves.toEqual({ api: PAYMENTS, region: 'us-east-1', stageHint: '$default' });
  });

  it.each<[string, string]>([
    ['no path', ''],
    ['a first segment that cannot be a stage name', '/%E2%9C%93/orders'],
    ['a malformed escape', '/%ZZ'],
  ])('gives no stage hint for %s', async (_label, path) => {
    const ref = parseApiRef(`https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com${path}`);
    const resolved = await resolveApi(ref, fakePort('v1', { apis: [ORDERS] }), fakePort('v2'), REGION);
    expect(resolved).toEqual({ api: ORDERS, region: 'us-east-1' });
    expect(resolved).not.toHaveProperty('stageHint');
  });

  it('an unknown id in an invoke URL says to check account and Region', async () => {
    const ref = parseApiRef('https://q1w2e3r4t5.execute-api.eu-west-1.amazonaws.com/prod');
    const e = await targetError(resolveApi(ref, fakePort('v1', { apis: [ORDERS] }), fakePort('v2'), REGION));
    expect(e.code).toBe(ErrorCode.UnknownTarget);
    expect(e.message).toBe('no API with id q1w2e3r4t5 in eu-west-1 (from the invoke URL); check the account and Region');
  });
});

describe('resolveApi by name', () => {
  it.each<[string, string, ApiSummary]>([
    ['an exact REST name', 'orders-api', ORDERS],
    ['an exact HTTP name', 'payments-api', PAYMENTS],
    ['an exact WebSocket name', 'chat', CHAT],
    ['a name in other case', 'ORDERS-API', ORDERS],
    ['a name with mixed case', 'Payments-Api', PAYMENTS],
  ])('%s', async (_label, typed, api) => {
    await expect(resolveApi(parseApiRef(typed), fakePort('v1', { apis: [ORDERS] }), fakePort('v2', { apis: [PAYMENTS, CHAT] }), REGION)).resolves.toEqual({ api });
  });

  it('an exact match wins over a case-insensitive one', async () => {
    const lower = rest('l0w3rc4s3x', 'orders');
    const upper = http('upp3rc4s3x', 'Orders');
    const r = fakePort('v1', { apis: [lower] });
    const v = fakePort('v2', { apis: [upper] });
    await expect(resolveApi(parseApiRef('Orders'), r, v, REGION)).resolves.toEqual({ api: upper });
    await expect(resolveApi(parseApiRef('orders'), r, v, REGION)).resolves.toEqual({ api: lower });
  });

  it('several case-insensitive matches are ambiguous', async () => {
    const lower = rest('l0w3rc4s3x', 'orders');
    const upper = http('upp3rc4s3x', 'Orders');
    const e = await targetError(resolveApi(parseApiRef('ORDERS'), fakePort('v1', { apis: [lower] }), fakePort('v2', { apis: [upper] }), REGION));
    expect(e.code).toBe(ErrorCode.AmbiguousTarget);
    expect(e.candidates).toEqual(['l0w3rc4s3x', 'upp3rc4s3x']);
  });

  it('a name several APIs share lists every match with id and type, and offers the ids', async () => {
    const a = rest('a1b2c3d4e5', 'orders');
    const b = rest('b1b2c3d4e5', 'orders');
    const c = http('c1b2c3d4e5', 'orders');
    const d = ws('d1b2c3d4e5', 'orders');
    const e = await targetError(resolveApi(parseApiRef('orders'), fakePort('v1', { apis: [a, b, rest('x1x2x3x4x5', 'other')] }), fakePort('v2', { apis: [c, d] }), 'eu-west-1'));
    expect(e.code).toBe(ErrorCode.AmbiguousTarget);
    expect(e.message).toBe(
      '"orders" names 4 APIs in eu-west-1: orders (a1b2c3d4e5, REST), orders (b1b2c3d4e5, REST), orders (c1b2c3d4e5, HTTP), orders (d1b2c3d4e5, WEBSOCKET); give the id instead',
    );
    expect(e.candidates).toEqual(['a1b2c3d4e5', 'b1b2c3d4e5', 'c1b2c3d4e5', 'd1b2c3d4e5']);
  });

  it('an id that is also ambiguous as a name is resolved as the id first', async () => {
    const byId = rest('a1b2c3d4e5', 'something');
    const namedLikeIt = http('zzzzzzzzzz', 'a1b2c3d4e5');
    await expect(resolveApi(parseApiRef('a1b2c3d4e5'), fakePort('v1', { apis: [byId] }), fakePort('v2', { apis: [namedLikeIt] }), REGION)).resolves.toEqual({ api: byId });
  });
});

describe('resolveApi with an unknown name', () => {
  const apis = [
    rest('a0000000a1', 'orders-api'),
    rest('a0000000a2', 'orders-api-staging'),
    http('a0000000a3', 'payments'),
    http('a0000000a4', 'order'),
    ws('a0000000a5', 'chat'),
    rest('a0000000a6', 'inventory'),
  ];
  const ports = (): [ApiGatewayPort, ApiGatewayPort] => [fakePort('v1', { apis: apis.filter((a) => a.apiType === 'REST') }), fakePort('v2', { apis: apis.filter((a) => a.apiType !== 'REST') })];

  it.each<[string, string, string[]]>([
    // Containing the text (score 0) first, then by name.
    ['a substring of several names', 'orders', ['order', 'orders-api', 'orders-api-staging']],
    ['a typo (edit distance 1)', 'paymnets', ['payments']],
    ['a longer text containing a name', 'the-chat-service', ['chat']],
    ['a different case of a substring', 'INVENT', ['inventory']],
  ])('%s offers the closest names', async (_label, typed, closest) => {
    const e = await targetError(resolveApi(parseApiRef(typed), ...ports(), REGION));
    expect(e.code).toBe(ErrorCode.UnknownTarget);
    expect(e.candidates).toEqual(closest);
    expect(e.message).toMatch(new RegExp(`^no API named "${typed}" in us-east-1; closest: `));
  });

  it('describes each closest API with id and type', async () => {
    const e = await targetError(resolveApi(parseApiRef('paymnets'), ...ports(), REGION));
    expect(e.message).toBe('no API named "paymnets" in us-east-1; closest: payments (a0000000a3, HTTP)');
  });

  it('offers nothing for a text far from every name', async () => {
    const e = await targetError(resolveApi(parseApiRef('zzzzzzzz'), ...ports(), REGION));
    expect(e.message).toBe('no API named "zzzzzzzz" in us-east-1');
    expect(e.candidates).toEqual([]);
  });

  it('offers at most 5, closest first', async () => {
    const many = ['svc-a', 'svc-b', 'svc-c', 'svc-d', 'svc-e', 'svc-f', 'svc-g'].map((n, i) => rest(`s000000${i}xx`, n));
    const e = await targetError(resolveApi(parseApiRef('svc'), fakePort('v1', { apis: [...many, rest('t0000000xx', 'svx')] }), fakePort('v2'), REGION));
    expect(e.candidates).toHaveLength(5);
    expect(e.candidates).toEqual(['svc-a', 'svc-b', 'svc-c', 'svc-d', 'svc-e']);
  });

  it('ranks by edit distance after the names that contain the text', async () => {
    const e = await targetError(resolveApi(parseApiRef('bilings'), fakePort('v1', { apis: [rest('b000000001', 'billings-v2'), rest('b000000002', 'billing')] }), fakePort('v2', { apis: [http('b000000003', 'bilings-x')] }), REGION));
    // "bilings-x" contains the text; "billing" is 2 edits away; "billings-v2" is 4 away, beyond the limit.
    expect(e.candidates).toEqual(['bilings-x', 'billing']);
  });

  it('says there are no APIs at all when both families are empty', async () => {
    const e = await targetError(resolveApi(parseApiRef('orders'), fakePort('v1'), fakePort('v2'), 'ap-south-1'));
    expect(e.code).toBe(ErrorCode.UnknownTarget);
    expect(e.message).toBe('no API named "orders" in ap-south-1 (there are no APIs at all: check the account and Region)');
    expect(e.candidates).toEqual([]);
  });

  it('clips a long name in the message', async () => {
    const typed = 'n'.repeat(300);
    const e = await targetError(resolveApi(parseApiRef(typed), fakePort('v1'), fakePort('v2'), REGION));
    expect(e.message).toContain(`"${'n'.repeat(77)}…"`);
    expect(e.message).not.toContain('n'.repeat(78));
  });
});

describe('resolveApi by custom domain', () => {
  const DOMAIN = 'api.shop.example.com';
  const USERS = rest('u5e4r3s2x1', 'users-api');
  const V2ORDERS = http('v2o4d3r2s1', 'orders-v2');

  it.each<[string, string, ApiSummary, string]>([
    ['the root mapping for an unmapped path', `https://${DOMAIN}/health`, ORDERS, 'prod'],
    ['the root mapping for no path at all', DOMAIN, ORDERS, 'prod'],
    ['a one-segment base path', `${DOMAIN}/users/42`, USERS, 'live'],
    ['the longest of two nested base paths', `https://${DOMAIN}/v2/orders/42`, V2ORDERS, 'beta'],
    ['the shorter base path when the longer does not match', `https://${DOMAIN}/v2/other`, PAYMENTS, 'v2stage'],
  ])('%s', async (_label, typed, api, stage) => {
    const r = fakePort('v1', {
      apis: [ORDERS, USERS],
      domains: {
        [DOMAIN]: [
          { domain: DOMAIN, basePath: '', apiId: ORDERS.apiId, stage: 'prod' },
          { domain: DOMAIN, basePath: 'users', apiId: USERS.apiId, stage: 'live' },
        ],
      },
    });
    const v = fakePort('v2', {
      apis: [PAYMENTS, V2ORDERS],
      domains: {
        [DOMAIN]: [
          { domain: DOMAIN, basePath: 'v2', apiId: PAYMENTS.apiId, stage: 'v2stage' },
          { domain: DOMAIN, basePath: 'v2/orders', apiId: V2ORDERS.apiId, stage: 'beta' },
        ],
      },
    });
    await expect(resolveApi(parseApiRef(typed), r, v, REGION)).resolves.toEqual({ api, stageHint: stage });
  });

  it('a base path matches whole segments only', async () => {
    const r = fakePort('v1', { apis: [USERS], domains: { [DOMAIN]: [{ domain: DOMAIN, basePath: 'users', apiId: USERS.apiId, stage: 'live' }] } });
    const e = await targetError(resolveApi(parseApiRef(`${DOMAIN}/usersX/1`), r, fakePort('v2'), REGION));
    expect(e.code).toBe(ErrorCode.UnknownTarget);
    expect(e.message).toBe('no API is mapped at api.shop.example.com/usersX/1; its mappings are /users');
    expect(e.candidates).toEqual(['/users']);
  });

  it('a domain with no mapping matching the path lists its mappings', async () => {
    const v = fakePort('v2', {
      apis: [PAYMENTS],
      domains: {
        [DOMAIN]: [
          { domain: DOMAIN, basePath: 'pay', apiId: PAYMENTS.apiId },
          { domain: DOMAIN, basePath: 'v1/refunds', apiId: PAYMENTS.apiId },
        ],
      },
    });
    const e = await targetError(resolveApi(parseApiRef(`https://${DOMAIN}/orders`), fakePort('v1'), v, REGION));
    expect(e.message).toBe('no API is mapped at api.shop.example.com/orders; its mappings are /pay, /v1/refunds');
    expect(e.candidates).toEqual(['/pay', '/v1/refunds']);
  });

  it('a known domain without any mapping says "none"', async () => {
    const e = await targetError(resolveApi(parseApiRef(DOMAIN), fakePort('v1', { domains: { [DOMAIN]: [] } }), fakePort('v2'), REGION));
    expect(e.message).toBe('no API is mapped at api.shop.example.com/; its mappings are none');
    expect(e.candidates).toEqual([]);
  });

  it('a mapping without a stage gives no stage hint', async () => {
    const v = fakePort('v2', { apis: [PAYMENTS], domains: { [DOMAIN]: [{ domain: DOMAIN, basePath: '', apiId: PAYMENTS.apiId }] } });
    const resolved = await resolveApi(parseApiRef(DOMAIN), fakePort('v1'), v, REGION);
    expect(resolved).toEqual({ api: PAYMENTS });
  });

  it('the same mapping reported by both families counts once', async () => {
    const mapping: DomainMapping = { domain: DOMAIN, basePath: 'orders', apiId: ORDERS.apiId, stage: 'prod' };
    const r = fakePort('v1', { apis: [ORDERS], domains: { [DOMAIN]: [mapping] } });
    const v = fakePort('v2', { domains: { [DOMAIN]: [mapping] } });
    await expect(resolveApi(parseApiRef(`${DOMAIN}/orders`), r, v, REGION)).resolves.toEqual({ api: ORDERS, stageHint: 'prod' });
    const e = await targetError(resolveApi(parseApiRef(`${DOMAIN}/other`), r, v, REGION));
    expect(e.candidates).toEqual(['/orders']);
  });

  it('asks both families for the domain in lower case', async () => {
    const r = fakePort('v1', { apis: [ORDERS], domains: { [DOMAIN]: [{ domain: DOMAIN, basePath: '', apiId: ORDERS.apiId }] } });
    const v = fakePort('v2');
    await resolveApi(parseApiRef('API.Shop.Example.com'), r, v, REGION);
    expect(r.calls.getDomainMappings).toEqual([DOMAIN]);
    expect(v.calls.getDomainMappings).toEqual([DOMAIN]);
  });

  it.each<[string, FakeFamily, FakeFamily]>([
    ['both answer null', {}, {}],
    [
      'both answer NotFound',
      { domainError: new AwsCallError('apigateway', 'GetBasePathMappingsCommand', 'NotFoundException', 'Invalid domain name identifier specified', undefined) },
      { domainError: new AwsCallError('apigatewayv2', 'GetApiMappingsCommand', 'NotFoundException', 'Invalid domain name identifier specified', undefined) },
    ],
    ['one null, one NotFound', {}, { domainError: new AwsCallError('apigatewayv2', 'GetApiMappingsCommand', 'NotFoundException', 'not found', undefined) }],
  ])('a domain known to neither family (%s) says to give the name or id', async (_label, a, b) => {
    const e = await targetError(resolveApi(parseApiRef('https://www.example.org/orders'), fakePort('v1', a), fakePort('v2', b), 'eu-central-1'));
    expect(e.code).toBe(ErrorCode.UnknownTarget);
    expect(e.message).toBe("www.example.org is not a custom domain name in eu-central-1 and not an execute-api URL; give the API's name or id");
  });

  it('a refusal other than NotFound is not mistaken for an unknown domain', async () => {
    const denied = new AwsCallError('apigateway', 'GetBasePathMappingsCommand', 'AccessDeniedException', 'not authorized to perform: apigateway:GET', undefined);
    await expect(resolveApi(parseApiRef(DOMAIN), fakePort('v1', { domainError: denied }), fakePort('v2'), REGION)).rejects.toBe(denied);
  });

  it('a mapping to an API that does not exist says so', async () => {
    const r = fakePort('v1', { apis: [], domains: { [DOMAIN]: [{ domain: DOMAIN, basePath: 'orders', apiId: 'g0n3g0n3g0', stage: 'prod' }] } });
    const e = await targetError(resolveApi(parseApiRef(`${DOMAIN}/orders/1`), r, fakePort('v2'), 'us-west-2'));
    expect(e.code).toBe(ErrorCode.UnknownTarget);
    expect(e.message).toBe('api.shop.example.com maps /orders to API g0n3g0n3g0, which does not exist in us-west-2');
  });

  it('a root mapping to a missing API names the root as /', async () => {
    const r = fakePort('v1', { domains: { [DOMAIN]: [{ domain: DOMAIN, basePath: '', apiId: 'g0n3g0n3g0' }] } });
    const e = await targetError(resolveApi(parseApiRef(DOMAIN), r, fakePort('v2'), REGION));
    expect(e.message).toBe('api.shop.example.com maps / to API g0n3g0n3g0, which does not exist in us-east-1');
  });

  it('a root mapping reported as "(none)" (as ports.ts allows) matches every path', async () => {
    const r = fakePort('v1', { apis: [ORDERS], domains: { [DOMAIN]: [{ domain: DOMAIN, basePath: '(none)', apiId: ORDERS.apiId, stage: 'prod' }] } });
    await expect(resolveApi(parseApiRef(`${DOMAIN}/orders`), r, fakePort('v2'), REGION)).resolves.toEqual({ api: ORDERS, stageHint: 'prod' });
  });

  it('a dotted API name that is not a custom domain still resolves by name', async () => {
    const dotted = rest('d0773d0773', 'orders.v2');
    await expect(resolveApi(parseApiRef('orders.v2'), fakePort('v1', { apis: [dotted] }), fakePort('v2'), REGION)).resolves.toEqual({ api: dotted });
  });
});

// ── editDistance ────────────────────────────────────────────────────────────────────────────────

describe('editDistance', () => {
  it.each<[string, string, number]>([
    ['', '', 0],
    ['abc', '', 3],
    ['', 'abc', 3],
    ['orders', 'orders', 0],
    ['orders', 'order', 1],
    ['orders', 'ordres', 2],
    ['kitten', 'sitting', 3],
    ['flaw', 'lawn', 2],
    ['payments', 'paymnets', 2],
    ['Orders', 'orders', 1],
  ])('editDistance(%j, %j) = %d', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });

  it('is a metric on short strings (symmetric, zero only for equal strings, triangle inequality)', () => {
    const short = fc.string({ maxLength: 12 });
    fc.assert(
      fc.property(short, short, short, (a, b, c) => {
        expect(editDistance(a, b)).toBe(editDistance(b, a));
        expect(editDistance(a, b) === 0).toBe(a === b);
        expect(editDistance(a, c)).toBeLessThanOrEqual(editDistance(a, b) + editDistance(b, c));
        expect(editDistance(a, b)).toBeGreaterThanOrEqual(Math.abs(a.length - b.length));
      }),
    );
  });

  it('bounds the work on long strings by the length difference plus 100', () => {
    expect(editDistance('a'.repeat(201), 'a'.repeat(201))).toBe(100);
    expect(editDistance('a'.repeat(250), 'b')).toBe(349);
  });
});
