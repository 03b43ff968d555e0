/**
 * The one shape every part of an investigation has. A *step* is `{name, needs, run(ctx)}`: it waits for
 * the steps it `needs`, may read the steps it `uses` while it runs (only when it must, which keeps them
 * off the critical path otherwise), and returns a value. A *collector* is a step that is an evidence
 * source: it has a `source` name and a label, runs under the collector timeout, is reported in `checked`
 * as ✓ or ✗ with a detail, and a failure becomes a `skipped` entry instead of an exception.
 *
 * Steps name each other by reference, not by string, so `ctx.get(step)` is typed by the step itself and
 * a new source is one file: its collector, listed in `index.ts`.
 */
import type { ApiType, StatusQuery } from '../../diagnosis/evidence';
import { within } from '../failures';
import type { LogLiterals } from '../log-literals';
import type { ApiSummary, AwsPorts, LogsQuery, LogsQueryResult, StageInfo } from '../ports';

/** What a collector found: its value, one line for `checked`, and whether that line is ✓ (default) or ✗. */
export interface CollectorResult<T> {
  value: T;
  detail: string;
  ok?: boolean;
}

/** What every step can read without waiting: the API and stage in question, the window and the ports. */
export interface InvestigationScope {
  ports: AwsPorts;
  api: ApiSummary;
  stage: StageInfo;
  /** Every stage of the API, the one in question among them. */
  stages: readonly StageInfo[];
  /** Known once the caller's identity (or an ARN) has told it. */
  accountId?: string;
  status: StatusQuery;
  window: { from: Date; to: Date };
  /** Metrics are read from here (before the window, to find when the errors began) … */
  metricsFrom: Date;
  /** … at this period. */
  periodS: number;
  literals: LogLiterals;
  /** Time each collector may take. */
  timeoutMs: number;
  /** Lambda functions examined at most when the failing route is not known. */
  maxFunctions: number;
  now: () => number;
}

export interface StepContext extends InvestigationScope {
  /** The value of a step this one declared in `needs` or `uses` (anything else is a programming error). */
  get<T>(step: Step<T>): Promise<T>;
  /** A best-effort read within the collector timeout: undefined when it fails or does not answer in time. */
  optional<T>(promise: Promise<T>): Promise<T | undefined>;
  /** A Logs Insights query; a log group that does not exist is an answer (undefined), not a failure. */
  query(query: LogsQuery, deadline: number): Promise<LogsQueryResult | undefined>;
  /** Reports a source as read: a ✓ or ✗ line in `checked`. */
  report(source: string, result: { ok: boolean; detail: string }): void;
  /** Reports a source that could not be read: a `skipped` entry naming the permission or step that fixes it. */
  skip(source: string, error: unknown): void;
}

/** Something an investigation works out: awaited by whoever needs it, computed once. */
export interface Step<T> {
  readonly name: string;
  /** Steps awaited before this one starts. */
  readonly needs: readonly AnyStep[];
  /** Steps it may read while it runs. */
  readonly uses: readonly AnyStep[];
  run: (ctx: StepContext) => Promise<T>;
}

/** An evidence source: a step whose value is absent when it could not be read (or there was nothing to read). */
export interface Collector<S extends string, T> extends Step<T | undefined> {
  /** The name `checked` and `skipped` use (DESIGN.md §3). */
  readonly source: S;
  /** How a reader sees it named: "execution logs". */
  readonly label: string;
  /** The API types that have this source at all (default: every type). */
  readonly apiTypes?: readonly ApiType[];
  /**
   * Reads the source before `deadline` (epoch ms). Returns null when there is nothing to read for this
   * investigation (no Lambda function behind the API): the source is then not listed at all.
   */
  collect: (ctx: StepContext, deadline: number) => Promise<CollectorResult<T> | null>;
}

/** A step of any value type, as lists of dependencies hold them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a dependency list holds steps of every value type; `get` restores the type.
export type AnyStep = Step<any>;

/** A collector of any source and value type. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as AnyStep.
export type AnyCollector = Collector<string, any>;

/** Declares a step. */
export function defineStep<T>(def: { name: string; needs?: readonly AnyStep[]; uses?: readonly AnyStep[]; run: (ctx: StepContext) => Promise<T> }): Step<T> {
  return { name: def.name, needs: def.needs ?? [], uses: def.uses ?? [], run: def.run };
}

/**
 * Declares a collector: `collect` runs under the collector timeout (counted from when its `needs` are
 * in), its result is reported in `checked`, and a failure or timeout becomes a `skipped` entry and a ✗,
 * so that a step needing it sees `undefined` rather than an exception.
 */
export function defineCollector<const S extends string, T>(def: {
  source: S;
  label: string;
  apiTypes?: readonly ApiType[];
  needs?: readonly AnyStep[];
  uses?: readonly AnyStep[];
  collect: (ctx: StepContext, deadline: number) => Promise<CollectorResult<T> | null>;
}): Collector<S, T> {
  return {
    name: def.source,
    source: def.source,
    label: def.label,
    ...(def.apiTypes ? { apiTypes: def.apiTypes } : {}),
    needs: def.needs ?? [],
    uses: def.uses ?? [],
    collect: def.collect,
    run: async (ctx) => {
      if (def.apiTypes && !def.apiTypes.includes(ctx.api.apiType)) return undefined;
      try {
        const result = await within(def.collect(ctx, ctx.now() + ctx.timeoutMs), ctx.timeoutMs);
        if (result === null) return undefined;
        ctx.report(def.source, { ok: result.ok ?? true, detail: result.detail });
        return result.value;
      } catch (e) {
        ctx.skip(def.source, e);
        return undefined;
      }
    },
  };
}

/** The control plane of the API's family: REST (v1) or HTTP/WebSocket (v2). */
export function gatewayOf(scope: Pick<InvestigationScope, 'api' | 'ports'>): AwsPorts['rest'] {
  return scope.api.apiType === 'REST' ? scope.ports.rest : scope.ports.v2;
}

/** "1,198 matching lines (3 distinct)" for a collector's detail. */
export function describeLines(lines: readonly { count?: number }[]): string {
  const total = lines.reduce((n, l) => n + (l.count ?? 1), 0);
  return total === 0 ? 'no matching lines' : `${formatNumber(total)} matching line${total === 1 ? '' : 's'} (${lines.length} distinct)`;
}

/** Said after a detail when a query ran out of time and its rows are those so far. */
export function partialNote(result: LogsQueryResult): string {
  return result.status === 'Partial' ? ' (partial: the query was still running at the time limit)' : '';
}

export function formatNumber(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
