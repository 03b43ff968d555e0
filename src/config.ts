/**
 * The one reader of process.env. Each process mode asks for the settings it needs; every missing or
 * bad variable is listed at once, and a `.env` file is loaded when present (by the composition root).
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { AccountsConfig } from './collect/accounts';
import { parseAccountsConfig } from './collect/accounts';
import { UsageError } from './errors';

export interface CliConfig {
  /** Extra knowledge folders (`KNOWLEDGE_DIRS`, comma-separated); their causes override shipped ones. Default none. */
  knowledgeDirs: string[];
}

type Env = Readonly<Record<string, string | undefined>>;

export function loadCliConfig(env: Env = process.env): CliConfig {
  const problems: string[] = [];
  const knowledgeDirs = (env.KNOWLEDGE_DIRS ?? '')
    .split(',')
    .map((d) => d.trim())
    .filter((d) => d !== '');
  if (knowledgeDirs.some((d) => d.includes('\n'))) problems.push('KNOWLEDGE_DIRS: expected comma-separated folder paths');
  if (problems.length > 0) throw new UsageError(`bad configuration: ${problems.join('; ')}`);
  return { knowledgeDirs };
}

export interface InvestigationConfig {
  /** Account aliases from `APIGW_DOCTOR_CONFIG` (none without it: the default credential chain). */
  accounts: AccountsConfig;
  /** `AWS_REGION` (or `AWS_DEFAULT_REGION`), used when neither the command nor the account names one. */
  awsRegion?: string;
  /** `COLLECTOR_TIMEOUT_MS`: time each collector may take. Default 25,000; 1,000 to 300,000. */
  collectorTimeoutMs: number;
  /** `APIGW_DOCTOR_SANDBOX` (`1`/`true`): read the built-in sandbox account instead of AWS. Default false. */
  sandbox: boolean;
  /** `SANDBOX_LATENCY_MS`: added to each sandbox AWS call, for demos that feel like AWS. Default 0; 0 to 60,000. */
  sandboxLatencyMs: number;
}

/**
 * What an investigation needs from the environment, every problem listed at once. `readFile` is
 * injected so that tests need no files.
 */
export function loadInvestigationConfig(env: Env = process.env, readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): InvestigationConfig {
  const problems: string[] = [];
  let accounts: AccountsConfig = { accounts: new Map() };
  const file = env.APIGW_DOCTOR_CONFIG?.trim();
  if (file) {
    try {
      accounts = parseAccountsConfig(parseYaml(readFile(file)) as unknown, file);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      problems.push(`APIGW_DOCTOR_CONFIG: ${message.includes('ENOENT') ? `${file} does not exist` : message}`);
    }
  }
  let collectorTimeoutMs = 25_000;
  const timeout = env.COLLECTOR_TIMEOUT_MS?.trim();
  if (timeout) {
    const n = Number(timeout);
    if (!Number.isInteger(n) || n < 1_000 || n > 300_000) problems.push(`COLLECTOR_TIMEOUT_MS: expected milliseconds from 1000 to 300000, got "${timeout}"`);
    else collectorTimeoutMs = n;
  }
  const sandboxText = env.APIGW_DOCTOR_SANDBOX?.trim().toLowerCase() ?? '';
  let sandbox = false;
  if (sandboxText === '1' || sandboxText === 'true') sandbox = true;
  else if (sandboxText !== '' && sandboxText !== '0' && sandboxText !== 'false') problems.push(`APIGW_DOCTOR_SANDBOX: expected 1, true, 0 or false, got "${env.APIGW_DOCTOR_SANDBOX ?? ''}"`);
  let sandboxLatencyMs = 0;
  const latency = env.SANDBOX_LATENCY_MS?.trim();
  if (latency) {
    const n = Number(latency);
    if (!Number.isInteger(n) || n < 0 || n > 60_000) problems.push(`SANDBOX_LATENCY_MS: expected milliseconds from 0 to 60000, got "${latency}"`);
    else sandboxLatencyMs = n;
  }
  if (problems.length > 0) throw new UsageError(`bad configuration: ${problems.join('; ')}`);
  // An empty AWS_REGION means unset, so the default region variable still counts.
  const awsRegion = [env.AWS_REGION, env.AWS_DEFAULT_REGION].map((r) => r?.trim()).find((r) => r !== undefined && r !== '');
  return { accounts, collectorTimeoutMs, sandbox, sandboxLatencyMs, ...(awsRegion ? { awsRegion } : {}) };
}
