/**
 * The shape of one CLI command. A command parses its arguments, does its work through `deps`, and
 * writes to `io`; it returns the exit code. User errors are thrown as `UserError` (exit 2).
 */
import type { AwsPorts } from '../../src/collect/ports';
import type { KnowledgeBase } from '../../src/diagnosis/knowledge/cause';

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin: AsyncIterable<string | Buffer>;
  /** True when stdout is a terminal (colour). */
  stdoutIsTTY: boolean;
  /** True when stderr is a terminal: progress is a live list with a spinner instead of plain lines. */
  stderrIsTTY: boolean;
}

/** Which AWS a command reads: `--account`, `--region`, `--sandbox`. */
export interface AwsSelection {
  /** An alias of APIGW_DOCTOR_CONFIG; default its `defaultAccount`, else the default credentials. */
  account?: string;
  /** Default: the account's first Region, else AWS_REGION. */
  region?: string;
  /** The built-in sandbox account instead of AWS (APIGW_DOCTOR_SANDBOX=1 turns it on for every command). */
  sandbox: boolean;
}

/** AWS as a command reads it. */
export interface AwsAccess {
  ports: AwsPorts;
  /** True when the ports answer from the sandbox. */
  sandbox: boolean;
  /** Time each collector may take (COLLECTOR_TIMEOUT_MS). */
  collectorTimeoutMs: number;
}

export interface CliDeps {
  /** Shipped causes plus `KNOWLEDGE_DIRS`. */
  loadKnowledge: () => KnowledgeBase;
  /** Shipped causes plus the given folders instead of `KNOWLEDGE_DIRS`. */
  loadKnowledgeWith: (dirs: readonly string[]) => KnowledgeBase;
  knowledgeDirs: readonly string[];
  shippedKnowledgeDir: string;
  /**
   * The ports for the account and Region asked for, or the sandbox's. Rejects with a UsageError for an
   * unknown account, no Region or a bad setting (the settings, and the AWS SDK, are loaded on first use,
   * so commands that do not read AWS never fail on them nor wait for them).
   */
  aws: (selection: AwsSelection) => Promise<AwsAccess>;
  /** The current time; windows end at it. */
  now: () => Date;
  /** The environment as it is now (after `.env` was loaded), for commands that check the processes' own settings (`doctor`). */
  env: () => Readonly<Record<string, string | undefined>>;
}

export interface CliCommand {
  name: string;
  /** One line for `help`. */
  summary: string;
  /** The usage lines shown by `help <name>` and with usage errors. */
  usage: string;
  run: (args: string[], io: CliIO, deps: CliDeps) => Promise<number>;
}
