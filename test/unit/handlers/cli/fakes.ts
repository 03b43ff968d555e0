/**
 * Fakes for CLI command units: an in-memory CliIO, and CliDeps whose AWS is a sandbox world answered
 * through the real adapters (the world's clock is the scenarios' 15:00 UTC).
 */
import { Readable } from 'node:stream';
import type { AwsAccess, AwsSelection, CliDeps, CliIO } from '../../../../handlers/cli';
import type { World } from '../../../../src/collect/adapters/sandbox/world';
import type { SandboxAws } from '../../../../src/collect/adapters/sandbox/world';
import { SHIPPED_KNOWLEDGE_DIR } from '../../../../src/diagnosis/knowledge/load';
import { WINDOW } from '../../../helpers/aws-scenarios';
import { shippedKnowledge } from '../../../helpers/knowledge';
import { sandboxPorts } from '../../../../src/collect/adapters/sandbox-ports';

export interface FakeIO extends CliIO {
  out: () => string;
  err: () => string;
}

export function fakeIO(options: { stderrIsTTY?: boolean } = {}): FakeIO {
  let out = '';
  let err = '';
  return {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    stdin: Readable.from([]),
    stdoutIsTTY: false,
    stderrIsTTY: options.stderrIsTTY ?? false,
    out: () => out,
    err: () => err,
  };
}

export interface FakeDeps extends CliDeps {
  selections: AwsSelection[];
  sandbox?: SandboxAws;
}

/** Deps whose AWS is `world` (or none: `aws()` then fails the test), at the scenarios' window end. */
export function fakeDeps(world?: World, now: Date = WINDOW.to): FakeDeps {
  const deps: FakeDeps = {
    selections: [],
    knowledgeDirs: [],
    shippedKnowledgeDir: SHIPPED_KNOWLEDGE_DIR,
    loadKnowledge: () => shippedKnowledge(),
    loadKnowledgeWith: () => shippedKnowledge(),
    now: () => new Date(now.getTime()),
    env: () => ({}),
    aws: (selection): Promise<AwsAccess> => {
      deps.selections.push(selection);
      if (!world) return Promise.reject(new Error('this test reads no AWS'));
      const { ports, sandbox } = sandboxPorts(world, { logs: { pollMs: 1, maxPollMs: 2 } });
      deps.sandbox = sandbox;
      return Promise.resolve({ ports, sandbox: true, collectorTimeoutMs: 25_000 });
    },
  };
  return deps;
}
