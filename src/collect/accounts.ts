/**
 * The optional config file (`APIGW_DOCTOR_CONFIG`): account aliases, each with a role to assume and
 * default Regions. Without it the default credential chain and `AWS_REGION` are used. Parsed here,
 * validated field by field, so a typo is one line naming the field rather than a failed AssumeRole.
 *
 * ```yaml
 * defaultAccount: prod
 * accounts:
 *   prod:
 *     roleArn: arn:aws:iam::123456789012:role/apigw-doctor-read
 *     externalId: optional-external-id
 *     regions: [us-east-1, eu-west-1]
 * ```
 */
import { UsageError } from '../errors';

export interface AccountSettings {
  alias: string;
  /** Role assumed with the default credentials; absent: the default credentials themselves. */
  roleArn?: string;
  externalId?: string;
  /** The first is the default Region for this account. */
  regions: string[];
}

export interface AccountsConfig {
  accounts: Map<string, AccountSettings>;
  defaultAccount?: string;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d$/;
const ALIAS = /^[A-Za-z0-9_.-]{1,64}$/;

/** Parses the `accounts` part of the config document (other top-level keys belong to other parts). */
export function parseAccountsConfig(doc: unknown, file: string): AccountsConfig {
  const bad = (field: string, expected: string): UsageError => new UsageError(`${file}: ${field}: ${expected}`);
  const accounts = new Map<string, AccountSettings>();
  if (doc === null || doc === undefined) return { accounts };
  if (!isRecord(doc)) throw bad('(top level)', 'expected a mapping with "accounts"');
  const raw = doc.accounts ?? {};
  if (!isRecord(raw)) throw bad('accounts', 'expected a mapping of alias → {roleArn, regions}');
  for (const [alias, value] of Object.entries(raw)) {
    if (!ALIAS.test(alias)) throw bad(`accounts.${alias}`, 'an alias is letters, digits, ".", "_" or "-"');
    if (!isRecord(value)) throw bad(`accounts.${alias}`, 'expected {roleArn, regions}');
    const settings: AccountSettings = { alias, regions: [] };
    if (value.roleArn !== undefined) {
      if (typeof value.roleArn !== 'string' || !ROLE_ARN.test(value.roleArn)) throw bad(`accounts.${alias}.roleArn`, 'expected an IAM role ARN such as arn:aws:iam::123456789012:role/apigw-doctor-read');
      settings.roleArn = value.roleArn;
    }
    if (value.externalId !== undefined) {
      if (typeof value.externalId !== 'string' || value.externalId === '') throw bad(`accounts.${alias}.externalId`, 'expected a string');
      settings.externalId = value.externalId;
    }
    if (value.regions !== undefined) {
      const regions = typeof value.regions === 'string' ? [value.regions] : value.regions;
      if (!Array.isArray(regions) || !regions.every((r): r is string => typeof r === 'string' && REGION.test(r))) {
        throw bad(`accounts.${alias}.regions`, 'expected Region codes such as [us-east-1, eu-west-1]');
      }
      settings.regions = regions;
    }
    accounts.set(alias, settings);
  }
  let defaultAccount: string | undefined;
  if (doc.defaultAccount !== undefined) {
    if (typeof doc.defaultAccount !== 'string' || !accounts.has(doc.defaultAccount)) {
      throw bad('defaultAccount', `expected one of the aliases under accounts (${[...accounts.keys()].join(', ') || 'none defined'})`);
    }
    defaultAccount = doc.defaultAccount;
  }
  return { accounts, ...(defaultAccount ? { defaultAccount } : {}) };
}

/**
 * The account and Region an investigation reads: `--account` / `--region` when given, else the
 * config's default account and its first Region, else the environment's Region.
 */
export function chooseAccount(config: AccountsConfig, wanted: { account?: string; region?: string }, envRegion: string | undefined): { account?: AccountSettings; region: string } {
  const alias = wanted.account ?? config.defaultAccount;
  let account: AccountSettings | undefined;
  if (alias !== undefined) {
    account = config.accounts.get(alias);
    if (!account) {
      const known = [...config.accounts.keys()];
      throw new UsageError(`unknown account "${alias}"; ${known.length > 0 ? `known accounts: ${known.join(', ')}` : 'no accounts are configured (APIGW_DOCTOR_CONFIG)'}`);
    }
  }
  if (wanted.region !== undefined && !REGION.test(wanted.region)) throw new UsageError(`"${wanted.region}" is not a Region; try --region us-east-1`);
  if (wanted.region === undefined && !account?.regions[0] && envRegion !== undefined && envRegion !== '' && !REGION.test(envRegion)) {
    throw new UsageError(`AWS_REGION "${envRegion}" is not a Region; set it to a code such as us-east-1`);
  }
  const region = wanted.region ?? account?.regions[0] ?? (envRegion === '' ? undefined : envRegion);
  if (!region) throw new UsageError('no AWS Region: pass --region us-east-1, set AWS_REGION, or give the account regions in APIGW_DOCTOR_CONFIG');
  return { ...(account ? { account } : {}), region };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
