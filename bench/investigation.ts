/**
 * What one investigation costs in AWS calls, and how many of them must happen one after another
 * (the critical path: wall time is about that many round trips). It runs in the sandbox (the real SDK
 * clients, adapters and investigation; AWS answered by the built-in scenarios), whose every answer
 * takes SANDBOX_LATENCY_MS (default 50). orders-api is a REST API with 40 resources behind three
 * Lambda functions, execution and access logging on. Run: `npm run bench:investigation`.
 */
import { sandboxWorld } from '../src/collect/adapters/sandbox/sandbox-world';
import type { CallRecord } from '../src/collect/call-aws';
import { investigate } from '../src/collect/investigate';
import { logLiteralsOf } from '../src/collect/log-literals';
import { diagnose } from '../src/diagnosis/engine';
import { loadKnowledge } from '../src/diagnosis/knowledge/load';
import { sandboxPorts } from '../src/collect/adapters/sandbox-ports';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const LATENCY_MS = Number(process.env.SANDBOX_LATENCY_MS ?? 50);
const NOW = new Date();

/** Longest chain of calls where each starts after the previous one ended. */
function criticalPath(records: readonly CallRecord[]): { depth: number; chain: string[] } {
  const sorted = [...records].sort((a, b) => a.startedAt - b.startedAt);
  const depth: number[] = [];
  const prev: number[] = [];
  sorted.forEach((r, i) => {
    depth[i] = 1;
    prev[i] = -1;
    for (let j = 0; j < i; j++) {
      const other = sorted[j]!;
      // A call that ended before this one started (1 ms of timer slack) may be what it waited for.
      if (other.endedAt <= r.startedAt + 1 && depth[j]! + 1 > (depth[i] ?? 0)) {
        depth[i] = depth[j]! + 1;
        prev[i] = j;
      }
    }
  });
  let end = depth.indexOf(Math.max(...depth));
  const chain: string[] = [];
  while (end >= 0) {
    chain.unshift(sorted[end]!.command.replace(/Command$/, ''));
    end = prev[end]!;
  }
  return { depth: Math.max(...depth), chain };
}

async function measure(name: string, api: string, stage: string | undefined, pollMs: number): Promise<void> {
  const kb = loadKnowledge([]);
  const world = sandboxWorld(NOW);
  world.latencyMs = LATENCY_MS;
  const records: CallRecord[] = [];
  const { ports, sandbox } = sandboxPorts(world, { onCall: (r) => records.push(r), logs: { pollMs, maxPollMs: Math.max(pollMs, 2000) } });
  const started = performance.now();
  const investigation = await investigate(ports, { api, status: '5xx', from: new Date(NOW.getTime() - 3_600_000), to: NOW, ...(stage ? { stage } : {}) }, { literals: logLiteralsOf(kb) });
  const wall = performance.now() - started;
  const diagnosis = diagnose(kb, investigation.evidence);
  const byCommand = new Map<string, number>();
  for (const c of sandbox.calls) {
    const key = `${c.service}:${c.command.replace(/Command$/, '')}`;
    byCommand.set(key, (byCommand.get(key) ?? 0) + 1);
  }
  const path = criticalPath(records);
  console.log(`\n${name} (Logs Insights polled after ${pollMs} ms, each answer ${LATENCY_MS} ms)`);
  console.log(`  first finding: ${diagnosis.findings[0]?.causeId ?? 'none'} ${diagnosis.findings[0]?.confidence ?? ''}`);
  console.log(`  AWS calls: ${sandbox.calls.length}  (${[...byCommand].map(([k, v]) => `${k} ${v}`).join(', ')})`);
  console.log(`  critical path: ${path.depth} calls one after another (one chain of that length: ${path.chain.join(' → ')})`);
  console.log(`  wall time: ${Math.round(wall)} ms (${(wall / LATENCY_MS).toFixed(1)} × the per-call latency)`);
}

async function main(): Promise<void> {
  await measure('REST API, 40 resources, by name, stage given', 'orders-api', 'prod', 1);
  await measure('REST API, 40 resources, by name, stage chosen from the metrics', 'orders-api', undefined, 1);
  await measure('REST API, 40 resources, by name, default Logs Insights polling', 'orders-api', 'prod', 500);
  await measure('HTTP API, by name', 'payments-http', undefined, 1);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
