import { parse as parseYaml } from 'yaml';
import { chooseAccount, parseAccountsConfig } from '../../../src/collect/accounts';
import type { AccountSettings, AccountsConfig } from '../../../src/collect/accounts';
import { ErrorCode, UsageError } from '../../../src/errors';

const FILE = '/home/oncall/.apigw-doctor.yaml';
const PROD_ROLE = 'arn:aws:iam::123456789012:role/apigw-doctor-read';

function usageError(run: () => unknown): UsageError {
  try {
    run();
  } catch (e) {
    if (e instanceof UsageError) return e;
    throw e;
  }
  throw new Error('expected a UsageError');
}

// ── parseAccountsConfig ─────────────────────────────────────────────────────────────────────────

describe('parseAccountsConfig', () => {
  it('parses the documented example', () => {
    const doc: unknown = parseYaml(`
defaultAccount: prod
accounts:
  prod:
    roleArn: ${PROD_ROLE}
    externalId: optional-external-id
    regions: [us-east-1, eu-west-1]
  staging:
    regions: eu-central-1
  sandbox: {}
investigation:
  timeoutS: 60
`);
    const config = parseAccountsConfig(doc, FILE);
    expect(config.defaultAccount).toBe('prod');
    expect([...config.accounts.keys()]).toEqual(['prod', 'staging', 'sandbox']);
    expect(config.accounts.get('prod')).toEqual({ alias: 'prod', roleArn: PROD_ROLE, externalId: 'optional-external-id', regions: ['us-east-1', 'eu-west-1'] });
    // A single Region may be written as a string.
    expect(config.accounts.get('staging')).toEqual({ alias: 'staging', regions: ['eu-central-1'] });
    expect(config.accounts.get('sandbox')).toEqual({ alias: 'sandbox', regions: [] });
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['undefined', undefined],
    ['an empty mapping', {}],
    ['accounts: null', { accounts: null }],
  ])('%s gives no accounts and no default', (_label, doc) => {
    expect(parseAccountsConfig(doc, FILE)).toEqual({ accounts: new Map() });
  });

  it.each<[string, string]>([
    ['other partitions', 'arn:aws-cn:iam::123456789012:role/reader'],
    ['GovCloud', 'arn:aws-us-gov:iam::123456789012:role/reader'],
    ['a role path', 'arn:aws:iam::123456789012:role/ops/oncall/apigw-doctor-read'],
    ['allowed punctuation', 'arn:aws:iam::123456789012:role/a+b=c,d.e@f_g-h'],
  ])('accepts a role ARN with %s', (_label, roleArn) => {
    expect(parseAccountsConfig({ accounts: { prod: { roleArn } } }, FILE).accounts.get('prod')?.roleArn).toBe(roleArn);
  });

  it.each<[string, string[]]>([
    ['us-east-1', ['us-east-1']],
    ['ap-southeast-2', ['ap-southeast-2']],
    ['us-gov-west-1', ['us-gov-west-1']],
    ['cn-northwest-1', ['cn-northwest-1']],
  ])('accepts the Region %s', (region, expected) => {
    expect(parseAccountsConfig({ accounts: { prod: { regions: [region] } } }, FILE).accounts.get('prod')?.regions).toEqual(expected);
  });

  it.each<[string, unknown, string]>([
    ['a list at top level', ['prod'], `${FILE}: (top level): expected a mapping with "accounts"`],
    ['a string at top level', 'accounts: prod', `${FILE}: (top level): expected a mapping with "accounts"`],
    ['a number at top level', 42, `${FILE}: (top level): expected a mapping with "accounts"`],
    ['accounts as a list', { accounts: [{ prod: {} }] }, `${FILE}: accounts: expected a mapping of alias → {roleArn, regions}`],
    ['accounts as a string', { accounts: 'prod' }, `${FILE}: accounts: expected a mapping of alias → {roleArn, regions}`],
    ['an alias with a space', { accounts: { 'prod account': {} } }, `${FILE}: accounts.prod account: an alias is letters, digits, ".", "_" or "-"`],
    ['an alias with a slash', { accounts: { 'prod/eu': {} } }, `${FILE}: accounts.prod/eu: an alias is letters, digits, ".", "_" or "-"`],
    ['an alias of 65 characters', { accounts: { ['a'.repeat(65)]: {} } }, `${FILE}: accounts.${'a'.repeat(65)}: an alias is letters, digits, ".", "_" or "-"`],
    ['an account that is a string', { accounts: { prod: PROD_ROLE } }, `${FILE}: accounts.prod: expected {roleArn, regions}`],
    ['an account that is a list', { accounts: { prod: [PROD_ROLE] } }, `${FILE}: accounts.prod: expected {roleArn, regions}`],
    ['an account that is null', { accounts: { prod: null } }, `${FILE}: accounts.prod: expected {roleArn, regions}`],
    ['a user ARN for roleArn', { accounts: { prod: { roleArn: 'arn:aws:iam::123456789012:user/alice' } } }, `${FILE}: accounts.prod.roleArn: expected an IAM role ARN such as arn:aws:iam::123456789012:role/apigw-doctor-read`],
    ['an 11-digit account in roleArn', { accounts: { prod: { roleArn: 'arn:aws:iam::12345678901:role/r' } } }, `${FILE}: accounts.prod.roleArn: expected an IAM role ARN such as arn:aws:iam::123456789012:role/apigw-doctor-read`],
    ['a role name alone', { accounts: { prod: { roleArn: 'apigw-doctor-read' } } }, `${FILE}: accounts.prod.roleArn: expected an IAM role ARN such as arn:aws:iam::123456789012:role/apigw-doctor-read`],
    ['a roleArn with a trailing newline', { accounts: { prod: { roleArn: `${PROD_ROLE}\n` } } }, `${FILE}: accounts.prod.roleArn: expected an IAM role ARN such as arn:aws:iam::123456789012:role/apigw-doctor-read`],
    ['a numeric roleArn', { accounts: { prod: { roleArn: 123456789012 } } }, `${FILE}: accounts.prod.roleArn: expected an IAM role ARN such as arn:aws:iam::123456789012:role/apigw-doctor-read`],
    ['an empty externalId', { accounts: { prod: { externalId: '' } } }, `${FILE}: accounts.prod.externalId: expected a string`],
    ['a numeric externalId', { accounts: { prod: { externalId: 42 } } }, `${FILE}: accounts.prod.externalId: expected a string`],
    ['an availability zone for a Region', { accounts: { prod: { regions: ['us-east-1a'] } } }, `${FILE}: accounts.prod.regions: expected Region codes such as [us-east-1, eu-west-1]`],
    ['a Region in capitals', { accounts: { prod: { regions: ['US-EAST-1'] } } }, `${FILE}: accounts.prod.regions: expected Region codes such as [us-east-1, eu-west-1]`],
    ['one bad Region among good ones', { accounts: { prod: { regions: ['us-east-1', 'mars-north-one'] } } }, `${FILE}: accounts.prod.regions: expected Region codes such as [us-east-1, eu-west-1]`],
    ['a number for regions', { accounts: { prod: { regions: 1 } } }, `${FILE}: accounts.prod.regions: expected Region codes such as [us-east-1, eu-west-1]`],
    ['a mapping for regions', { accounts: { prod: { regions: { primary: 'us-east-1' } } } }, `${FILE}: accounts.prod.regions: expected Region codes such as [us-east-1, eu-west-1]`],
    ['a bad Region string', { accounts: { prod: { regions: 'us-east' } } }, `${FILE}: accounts.prod.regions: expected Region codes such as [us-east-1, eu-west-1]`],
    ['an unknown defaultAccount', { defaultAccount: 'prd', accounts: { prod: {}, staging: {} } }, `${FILE}: defaultAccount: expected one of the aliases under accounts (prod, staging)`],
    ['a defaultAccount and no accounts', { defaultAccount: 'prod' }, `${FILE}: defaultAccount: expected one of the aliases under accounts (none defined)`],
    ['a non-string defaultAccount', { defaultAccount: 1, accounts: { prod: {} } }, `${FILE}: defaultAccount: expected one of the aliases under accounts (prod)`],
  ])('%s → one UsageError naming file and field', (_label, doc, message) => {
    const e = usageError(() => parseAccountsConfig(doc, FILE));
    expect(e.code).toBe(ErrorCode.Usage);
    expect(e.message).toBe(message);
    // One line: the CLI prints it as is.
    expect(e.message).not.toContain('\n');
  });

  it('names the file it was given', () => {
    expect(usageError(() => parseAccountsConfig([], 'config.yml')).message).toMatch(/^config\.yml: /);
  });

  it('reports the first bad account in document order', () => {
    const e = usageError(() => parseAccountsConfig({ accounts: { ok: { regions: ['us-east-1'] }, first: { roleArn: 'nope' }, second: { regions: ['nope'] } } }, FILE));
    expect(e.message).toContain('accounts.first.roleArn');
  });
});

// ── chooseAccount ───────────────────────────────────────────────────────────────────────────────

describe('chooseAccount', () => {
  const prod: AccountSettings = { alias: 'prod', roleArn: PROD_ROLE, regions: ['us-east-1', 'eu-west-1'] };
  const staging: AccountSettings = { alias: 'staging', regions: ['eu-central-1'] };
  const noRegions: AccountSettings = { alias: 'bare', regions: [] };
  const accounts = new Map([
    ['prod', prod],
    ['staging', staging],
    ['bare', noRegions],
  ]);
  const withDefault: AccountsConfig = { accounts, defaultAccount: 'prod' };
  const withoutDefault: AccountsConfig = { accounts };
  const empty: AccountsConfig = { accounts: new Map() };

  it.each<[string, AccountsConfig, { account?: string; region?: string }, string | undefined, { account?: AccountSettings; region: string }]>([
    ['explicit account and region', withDefault, { account: 'staging', region: 'ap-south-1' }, 'us-west-2', { account: staging, region: 'ap-south-1' }],
    ['explicit account: its first Region', withDefault, { account: 'staging' }, 'us-west-2', { account: staging, region: 'eu-central-1' }],
    ['the default account and its first Region', withDefault, {}, 'us-west-2', { account: prod, region: 'us-east-1' }],
    ['the default account with an explicit region', withDefault, { region: 'eu-west-1' }, undefined, { account: prod, region: 'eu-west-1' }],
    ['an account without Regions falls back to the environment', withDefault, { account: 'bare' }, 'us-west-2', { account: noRegions, region: 'us-west-2' }],
    ['no default account: the environment Region, no account', withoutDefault, {}, 'us-west-2', { region: 'us-west-2' }],
    ['no config at all: the environment Region', empty, {}, 'sa-east-1', { region: 'sa-east-1' }],
    ['no config, explicit region', empty, { region: 'ca-central-1' }, 'sa-east-1', { region: 'ca-central-1' }],
  ])('%s', (_label, config, wanted, envRegion, expected) => {
    const chosen = chooseAccount(config, wanted, envRegion);
    expect(chosen).toEqual(expected);
    if (!expected.account) expect(chosen).not.toHaveProperty('account');
  });

  it.each<[string, AccountsConfig, { account?: string; region?: string }, string | undefined, string]>([
    ['an unknown account lists the known ones', withDefault, { account: 'prd' }, 'us-east-1', 'unknown account "prd"; known accounts: prod, staging, bare'],
    ['an account when none are configured', empty, { account: 'prod' }, 'us-east-1', 'unknown account "prod"; no accounts are configured (APIGW_DOCTOR_CONFIG)'],
    ['a bad region', withDefault, { region: 'us-east' }, undefined, '"us-east" is not a Region; try --region us-east-1'],
    ['an availability zone for a region', empty, { region: 'eu-west-1b' }, 'eu-west-1', '"eu-west-1b" is not a Region; try --region us-east-1'],
    ['an empty region', empty, { region: '' }, 'eu-west-1', '"" is not a Region; try --region us-east-1'],
    ['no region at all', empty, {}, undefined, 'no AWS Region: pass --region us-east-1, set AWS_REGION, or give the account regions in APIGW_DOCTOR_CONFIG'],
    ['an account without Regions and no environment Region', withoutDefault, { account: 'bare' }, undefined, 'no AWS Region: pass --region us-east-1, set AWS_REGION, or give the account regions in APIGW_DOCTOR_CONFIG'],
    ['an empty environment Region', empty, {}, '', 'no AWS Region: pass --region us-east-1, set AWS_REGION, or give the account regions in APIGW_DOCTOR_CONFIG'],
  ])('%s → UsageError', (_label, config, wanted, envRegion, message) => {
    const e = usageError(() => chooseAccount(config, wanted, envRegion));
    expect(e.code).toBe(ErrorCode.Usage);
    expect(e.message).toBe(message);
  });

  it('an unknown account is reported before a bad region', () => {
    expect(usageError(() => chooseAccount(withDefault, { account: 'nope', region: 'bad' }, undefined)).message).toMatch(/^unknown account "nope"/);
  });

  it('works on what parseAccountsConfig returns', () => {
    const config = parseAccountsConfig(parseYaml('defaultAccount: staging\naccounts:\n  staging:\n    regions: eu-central-1\n') as unknown, FILE);
    expect(chooseAccount(config, {}, 'us-east-1')).toEqual({ account: { alias: 'staging', regions: ['eu-central-1'] }, region: 'eu-central-1' });
  });
});
