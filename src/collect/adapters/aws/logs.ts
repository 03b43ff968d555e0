/**
 * CloudWatch Logs Insights through `@aws-sdk/client-cloudwatch-logs`: start a query, poll it to a
 * terminal status, stop it when the investigation's time budget runs out. Every call goes through
 * `callAws`, so a throttled StartQuery (`LimitExceededException`: too many concurrent queries) is
 * retried there, once, and a refusal names `logs:StartQuery` on the log group.
 */
import { GetQueryResultsCommand, StartQueryCommand, StopQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { CloudWatchLogsClient, GetQueryResultsResponse, QueryStatistics, ResultField } from '@aws-sdk/client-cloudwatch-logs';
import { callAws } from '../../call-aws';
import type { CallPolicy } from '../../call-aws';
import type { LogsPort, LogsQuery, LogsQueryResult } from '../../ports';
import { defaultSleep } from '../../rate-limit';

/** StartQuery takes at most 50 log groups. */
const MAX_LOG_GROUPS = 50;
/** GetQueryResults returns at most 10,000 rows; more would need paging this adapter does not do. */
const MAX_LIMIT = 10_000;

export interface AwsLogsOptions {
  /** Wait before the first GetQueryResults, in ms. Default 500. */
  pollMs?: number;
  /** The wait grows ×1.5 per poll up to this, in ms. Default 2,000. */
  maxPollMs?: number;
  /** Default: a timer that does not keep the process alive. */
  sleep?: (ms: number) => Promise<void>;
  /** Clock compared with the deadline, epoch ms. Default `Date.now`. */
  now?: () => number;
}

/** A query that ended Failed, Cancelled, Timeout or Unknown in the service. */
export class LogsQueryError extends Error {
  readonly queryId: string;
  /** The terminal status the service reported. */
  readonly status: string;
  constructor(queryId: string, status: string) {
    super(`Logs Insights query ${queryId} ended ${status}`);
    this.name = 'LogsQueryError';
    this.queryId = queryId;
    this.status = status;
  }
}

/** Statuses after which polling goes on. */
const IN_PROGRESS = new Set(['Scheduled', 'Running']);

/** Logs Insights queries for one account and Region. */
export class AwsLogs implements LogsPort {
  private readonly pollMs: number;
  private readonly maxPollMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  /**
   * @param options polling: first GetQueryResults after `pollMs` (default 500 ms), each wait ×1.5 up to
   *   `maxPollMs` (default 2,000 ms); `sleep` and `now` are injectable for tests.
   */
  constructor(
    private readonly client: CloudWatchLogsClient,
    private readonly policy: CallPolicy,
    options: AwsLogsOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 500;
    this.maxPollMs = options.maxPollMs ?? 2_000;
    this.sleep = options.sleep ?? defaultSleep;
    this.now = options.now ?? Date.now;
  }

  /**
   * Runs the query until it completes or `deadline` (epoch ms) passes. Past the deadline a query still
   * Scheduled or Running is stopped (StopQuery, best effort) and the rows of its last Running answer
   * come back as `Partial` (with the statistics so far). Rejects with {@link LogsQueryError} when the query ends Failed, Cancelled,
   * Timeout or Unknown, and with an `AwsCallError` when a call fails (a missing log group is kind
   * `not-found`).
   */
  async runQuery(q: LogsQuery, deadline: number): Promise<LogsQueryResult> {
    if (q.logGroups.length === 0 || q.logGroups.length > MAX_LOG_GROUPS) {
      throw new Error(`a Logs Insights query reads 1 to ${MAX_LOG_GROUPS} log groups; got ${q.logGroups.length}`);
    }
    const start = new StartQueryCommand({
      logGroupNames: q.logGroups,
      // StartQuery takes epoch seconds, both ends inclusive: widen to whole seconds rather than cut.
      startTime: Math.floor(q.from.getTime() / 1000),
      endTime: Math.ceil(q.to.getTime() / 1000),
      queryString: q.queryString,
      limit: Math.min(MAX_LIMIT, Math.max(1, Math.floor(q.limit))),
    });
    const started = await callAws(this.policy, 'logs', start, () => this.client.send(start));
    const queryId = started.queryId;
    if (!queryId) throw new Error('StartQuery returned no query id');

    let wait = this.pollMs;
    // The last Running answer: its rows (and statistics so far) are what a Partial result returns.
    let last: GetQueryResultsResponse | undefined;
    try {
      for (;;) {
        await this.sleep(Math.max(0, Math.min(wait, deadline - this.now())));
        wait = Math.min(this.maxPollMs, wait * 1.5);
        const get = new GetQueryResultsCommand({ queryId });
        const out: GetQueryResultsResponse = await callAws(this.policy, 'logs', get, () => this.client.send(get));
        const status = out.status ?? 'Unknown';
        if (status === 'Complete') return withStatistics({ status: 'Complete', rows: toRows(out.results) }, out.statistics);
        if (!IN_PROGRESS.has(status)) throw new LogsQueryError(queryId, status);
        if (status === 'Running') last = out;
        if (this.now() >= deadline) {
          await this.stop(queryId);
          return withStatistics({ status: 'Partial', rows: toRows(last?.results) }, last?.statistics);
        }
      }
    } catch (e) {
      // A query whose polling failed would go on scanning (and holding one of the account's concurrent
      // queries) for up to an hour: stop it. A query that ended on its own needs no stopping.
      if (!(e instanceof LogsQueryError)) await this.stop(queryId);
      throw e;
    }
  }

  /** StopQuery, whose failure changes nothing for the caller (the query may already have ended). */
  private async stop(queryId: string): Promise<void> {
    const stop = new StopQueryCommand({ queryId });
    try {
      await callAws(this.policy, 'logs', stop, () => this.client.send(stop));
    } catch {
      // Ignored on purpose: see above.
    }
  }
}

/** The result with the service's record and byte counts, when it gave them. */
function withStatistics(result: LogsQueryResult, statistics: QueryStatistics | undefined): LogsQueryResult {
  if (statistics?.recordsMatched !== undefined) result.recordsMatched = statistics.recordsMatched;
  if (statistics?.bytesScanned !== undefined) result.bytesScanned = statistics.bytesScanned;
  return result;
}

/** Result rows as records, without `@ptr` (an opaque pointer to the log event). */
function toRows(results: ResultField[][] | undefined): Record<string, string>[] {
  return (results ?? []).map((fields) => {
    const row: Record<string, string> = {};
    for (const { field, value } of fields) {
      if (field === undefined || field === '@ptr' || value === undefined) continue;
      row[field] = value;
    }
    return row;
  });
}
