/**
 * The one reader of process.env. Each process mode asks for the settings it needs; every missing or
 * bad variable is listed at once, and a `.env` file is loaded when present (by the composition root).
 */
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
