/**
 * The shape of one CLI command. A command parses its arguments, does its work through `deps`, and
 * writes to `io`; it returns the exit code. User errors are thrown as `UserError` (exit 2).
 */
import type { KnowledgeBase } from '../../src/diagnosis/knowledge/cause';

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin: AsyncIterable<string | Buffer>;
  /** True when stdout is a terminal (colour, spinners). */
  stdoutIsTTY: boolean;
}

export interface CliDeps {
  /** Shipped causes plus `KNOWLEDGE_DIRS`. */
  loadKnowledge: () => KnowledgeBase;
  /** Shipped causes plus the given folders instead of `KNOWLEDGE_DIRS`. */
  loadKnowledgeWith: (dirs: readonly string[]) => KnowledgeBase;
  knowledgeDirs: readonly string[];
  shippedKnowledgeDir: string;
}

export interface CliCommand {
  name: string;
  /** One line for `help`. */
  summary: string;
  /** The usage lines shown by `help <name>` and with usage errors. */
  usage: string;
  run: (args: string[], io: CliIO, deps: CliDeps) => Promise<number>;
}
