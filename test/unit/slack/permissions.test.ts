/**
 * Channel permissions: the `channels:` section of the config file, parsed with errors naming the
 * field, and `authorize` answering with a reason that says what is allowed in the channel.
 */
import { parse as parseYaml } from 'yaml';
import type { Question } from '../../../src/queue/contracts';
import type { BotRequest } from '../../../src/slack/request';
import { allowEverything, matchesPattern, parseChannelPermissions } from '../../../src/slack/permissions';

const FILE = '/etc/apigw-doctor.yaml';
const known = { aliases: ['prod', 'dev', 'staging'], defaultAccount: 'prod' };

const why = (api: string, extra: Partial<Question> = {}): BotRequest => ({ kind: 'why', question: { status: 502, api, sinceMs: 3_600_000, ...extra } });

const doc = parseYaml(`
channels:
  C0123ABCD: { accounts: [prod], apis: ['orders-*', payments-api] }
  C0TEAMDEV: { accounts: [dev, staging] }
  '*': { accounts: [dev] }
`) as unknown;

describe('authorize', () => {
  const permissions = parseChannelPermissions(doc, FILE, known);

  it('allows everything without a channels section', () => {
    expect(parseChannelPermissions({ accounts: {} }, FILE, known)).toBe(allowEverything);
    expect(parseChannelPermissions(null, FILE, known).authorize('C1', why('anything'))).toEqual({ allowed: true });
  });

  it.each<[string, string, BotRequest]>([
    ['a matching API in the default account', 'C0123ABCD', why('orders-api')],
    ['a pattern match ignoring case', 'C0123ABCD', why('Orders-Checkout')],
    ['an exact name', 'C0123ABCD', why('payments-api', { account: 'prod' })],
    ['check of an allowed API', 'C0123ABCD', { kind: 'check', api: 'orders-api' }],
    ['an account of the channel', 'C0TEAMDEV', why('anything', { account: 'staging' })],
    ['the wildcard entry for an unlisted channel', 'C0OTHER01', { kind: 'apis', sinceMs: 86_400_000, account: 'dev' }],
    ['help anywhere', 'C0NOWHERE', { kind: 'help' }],
    ['an invalid request (answered with usage)', 'C0NOWHERE', { kind: 'invalid', problem: 'x', example: 'y' }],
  ])('allows %s', (_name, channel, request) => {
    expect(permissions.authorize(channel, request)).toEqual({ allowed: true });
  });

  it.each<[string, string, BotRequest, string]>([
    ['an API outside the patterns', 'C0123ABCD', why('users-api'), 'in this channel I may only investigate APIs orders-*, payments-api, not "users-api"'],
    ['another account', 'C0123ABCD', why('orders-api', { account: 'dev' }), 'in this channel I may only read account prod, not account dev'],
    ['the default account where it is not allowed', 'C0TEAMDEV', why('orders-api'), 'in this channel I may only read accounts dev, staging, not account prod (the default); add --account dev'],
    ['listing every API where APIs are restricted', 'C0123ABCD', { kind: 'apis', sinceMs: 86_400_000 }, 'in this channel I may only investigate APIs orders-*, payments-api; listing every API of the account is not allowed here'],
    ['check of another API', 'C0123ABCD', { kind: 'check', api: 'users-api' }, 'not "users-api"'],
  ])('refuses %s, naming what is allowed', (_name, channel, request, reason) => {
    const answer = permissions.authorize(channel, request);
    expect(answer.allowed).toBe(false);
    if (!answer.allowed) expect(answer.reason).toContain(reason);
  });

  it('refuses a channel with no entry when there is no wildcard', () => {
    const strict = parseChannelPermissions({ channels: { C0123ABCD: {} } }, FILE, known);
    expect(strict.authorize('C0123ABCD', why('x'))).toEqual({ allowed: true });
    const answer = strict.authorize('C0OTHER01', why('x'));
    expect(answer).toEqual({ allowed: false, reason: expect.stringContaining('channel C0OTHER01 is not listed under channels:') as unknown });
  });

  it('refuses a request naming no account where none is the default', () => {
    const noDefault = parseChannelPermissions({ channels: { '*': { accounts: ['prod'] } } }, FILE, { aliases: ['prod'] });
    const answer = noDefault.authorize('C1', why('orders-api'));
    expect(answer.allowed).toBe(false);
    if (!answer.allowed) expect(answer.reason).toBe('in this channel I may only read account prod, and this request names no account; add --account prod');
  });
});

describe('authorizeTarget: what the question resolved to', () => {
  const permissions = parseChannelPermissions(doc, FILE, known);
  const invoices = { account: 'prod', region: 'us-east-1', apiId: 'i7n4v5c2e9', apiName: 'invoices-api', stage: 'prod' };

  it('refuses an API whose name and id both fall outside the patterns, naming what was resolved', () => {
    const answer = permissions.authorizeTarget('C0123ABCD', invoices);
    expect(answer).toEqual({ allowed: false, reason: 'in this channel I may only investigate APIs orders-*, payments-api, and what you asked about is invoices-api (i7n4v5c2e9)' });
  });

  it('allows an API by its name or by its id', () => {
    expect(permissions.authorizeTarget('C0123ABCD', { ...invoices, apiId: 'o1r2d3e4r5', apiName: 'orders-api' })).toEqual({ allowed: true });
    const byId = parseChannelPermissions({ channels: { C0ONE0001: { apis: ['i7n4v5c2e9'] } } }, FILE, known);
    expect(byId.authorizeTarget('C0ONE0001', invoices)).toEqual({ allowed: true });
  });

  it('refuses the account read when the channel may not read it, and an unlisted channel', () => {
    expect(permissions.authorizeTarget('C0TEAMDEV', invoices)).toMatchObject({ allowed: false, reason: 'in this channel I may only read accounts dev, staging, not account prod' });
    const strict = parseChannelPermissions({ channels: { C0123ABCD: {} } }, FILE, known);
    expect(strict.authorizeTarget('C0OTHER01', invoices)).toMatchObject({ allowed: false, reason: expect.stringContaining('is not listed under channels:') as unknown });
  });

  it('limits stages when the channel lists them, as typed and as resolved', () => {
    const prodOnly = parseChannelPermissions({ channels: { C0ONE0001: { apis: ['*-api'], stages: ['prod'] } } }, FILE, known);
    expect(prodOnly.authorizeTarget('C0ONE0001', invoices)).toEqual({ allowed: true });
    expect(prodOnly.authorizeTarget('C0ONE0001', { ...invoices, stage: 'dev' })).toMatchObject({ allowed: false, reason: 'in this channel I may only investigate stage prod, not stage dev of invoices-api (i7n4v5c2e9)' });
    expect(prodOnly.authorize('C0ONE0001', why('orders-api', { stage: 'dev' }))).toMatchObject({ allowed: false, reason: 'in this channel I may only investigate stage prod, not stage "dev"' });
    expect(() => parseChannelPermissions({ channels: { C0ONE0001: { stages: [] } } }, FILE, known)).toThrow('channels.C0ONE0001.stages: expected a list of stage names');
  });

  it('allows everything without a channels section', () => {
    expect(allowEverything.authorizeTarget('C0ONE0001', invoices)).toEqual({ allowed: true });
  });
});

describe('parse errors name the file and the field', () => {
  it.each<[string, unknown, string]>([
    ['not a mapping', { channels: ['C1'] }, `${FILE}: channels: expected a mapping of channel id`],
    ['a bad channel id', { channels: { general: {} } }, `${FILE}: channels.general: expected a channel id such as C0123ABCD`],
    ['a scalar entry', { channels: { C0123ABCD: 'prod' } }, `${FILE}: channels.C0123ABCD: expected {accounts: [...], apis: [...]}`],
    ['an unknown setting', { channels: { C0123ABCD: { api: ['x'] } } }, `${FILE}: channels.C0123ABCD.api: unknown setting; a channel has accounts, apis and stages`],
    ['accounts not a list', { channels: { C0123ABCD: { accounts: 3 } } }, `${FILE}: channels.C0123ABCD.accounts: expected a list of account aliases`],
    ['an unknown account', { channels: { '*': { accounts: ['qa'] } } }, `${FILE}: channels.*.accounts: unknown account "qa"; accounts: defines prod, dev, staging`],
    ['an empty apis list', { channels: { C0123ABCD: { apis: [] } } }, `${FILE}: channels.C0123ABCD.apis: expected a list of API names, ids or patterns`],
  ])('%s', (_name, value, message) => {
    expect(() => parseChannelPermissions(value, FILE, known)).toThrow(message);
  });

  it('says to define accounts first when there are none', () => {
    expect(() => parseChannelPermissions({ channels: { '*': { accounts: ['prod'] } } }, FILE)).toThrow('unknown account "prod"; define it under accounts: first');
  });

  it('accepts a single string for a list, and an empty entry as "anything"', () => {
    const p = parseChannelPermissions({ channels: { C0123ABCD: { accounts: 'prod', apis: 'orders-api' }, C0SECOND1: null } }, FILE, known);
    expect(p.authorize('C0123ABCD', why('orders-api'))).toEqual({ allowed: true });
    expect(p.authorize('C0SECOND1', why('anything', { account: 'dev' }))).toEqual({ allowed: true });
  });
});

it('matches patterns literally apart from *', () => {
  expect(matchesPattern('orders-*', 'orders-api')).toBe(true);
  expect(matchesPattern('orders-*', 'orders-')).toBe(true);
  expect(matchesPattern('orders-*', 'my-orders-api')).toBe(false);
  expect(matchesPattern('a.b', 'axb')).toBe(false);
  expect(matchesPattern('*', 'anything')).toBe(true);
  expect(matchesPattern('(x)+', '(x)+')).toBe(true);
});
