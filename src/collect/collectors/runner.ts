/**
 * Runs the steps of one investigation: each starts when something asks for it, once its `needs` are
 * in, and is computed once however many steps read it. A step may read only what it declared, so the
 * declarations stay the true dependency graph (`npm run bench:investigation` measures its critical path).
 */
import type { Skipped } from '../../diagnosis/evidence';
import { isNotFound } from '../call-aws';
import { toSkipped, within } from '../failures';
import type { AnyStep, InvestigationScope, Step, StepContext } from './collector';

export interface RunnerHooks {
  /** A source was read: its ✓/✗ line. */
  report(source: string, result: { ok: boolean; detail: string }): void;
  /** A source could not be read. */
  skipped(entry: Skipped): void;
}

export class StepRunner {
  private readonly started = new Map<AnyStep, Promise<unknown>>();

  constructor(
    private readonly scope: InvestigationScope,
    private readonly hooks: RunnerHooks,
  ) {}

  /** The value of a step, started now if nothing asked for it before. */
  get<T>(step: Step<T>): Promise<T> {
    let value = this.started.get(step) as Promise<T> | undefined;
    if (!value) {
      value = this.start(step);
      this.started.set(step, value);
    }
    return value;
  }

  private async start<T>(step: Step<T>): Promise<T> {
    await Promise.all(step.needs.map((n) => this.get(n)));
    return step.run(this.contextFor(step));
  }

  private contextFor(step: AnyStep): StepContext {
    const declared = new Set<AnyStep>([...step.needs, ...step.uses]);
    const scope = this.scope;
    const where = { region: scope.ports.region, ...(scope.accountId ? { accountId: scope.accountId } : {}) };
    return {
      ...scope,
      get: <T>(other: Step<T>): Promise<T> => {
        if (!declared.has(other)) return Promise.reject(new Error(`step ${step.name} reads ${other.name} without declaring it in needs or uses`));
        return this.get(other);
      },
      optional: <T>(promise: Promise<T>): Promise<T | undefined> => within(promise, scope.timeoutMs).catch(() => undefined),
      query: async (query, deadline) => {
        try {
          // Leave a second to report what came back before the collector's own timeout.
          return await scope.ports.logs.runQuery(query, deadline - 1_000);
        } catch (e) {
          if (isNotFound(e)) return undefined;
          throw e;
        }
      },
      report: (source, result) => this.hooks.report(source, result),
      skip: (source, error) => this.hooks.skipped(toSkipped(source, error, where)),
    };
  }
}
