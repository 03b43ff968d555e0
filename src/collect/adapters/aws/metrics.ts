/**
 * {@link MetricsPort} over CloudWatch `GetMetricData`. One call takes at most 500 queries and returns at
 * most 100,800 data points (platform-facts §11), so the queries are split into batches that respect
 * both, and every page of every batch is read.
 */
import type { CloudWatchClient, MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { CallPolicy } from '../../call-aws';
import { callAws } from '../../call-aws';
import type { MetricQuery, MetricSeries, MetricsPort } from '../../ports';

/** GetMetricData's limit on queries per call. */
export const MAX_QUERIES_PER_CALL = 500;
/** GetMetricData's limit on data points per call. */
export const MAX_DATAPOINTS_PER_CALL = 100_800;

/** Data points one query can return over [from, to] (one per period, the last one partial). */
function datapointsOf(query: MetricQuery, from: Date, to: Date): number {
  const rangeS = Math.max(0, (to.getTime() - from.getTime()) / 1000);
  return Math.max(1, Math.ceil(rangeS / Math.max(1, query.periodS)));
}

/**
 * Splits queries, in order, into batches of at most 500 queries and at most 100,800 data points. A
 * query that alone exceeds the data-point limit goes in a batch of its own (CloudWatch pages it).
 */
export function batchQueries(queries: MetricQuery[], from: Date, to: Date): MetricQuery[][] {
  const batches: MetricQuery[][] = [];
  let current: MetricQuery[] = [];
  let points = 0;
  for (const q of queries) {
    const n = datapointsOf(q, from, to);
    if (current.length > 0 && (current.length >= MAX_QUERIES_PER_CALL || points + n > MAX_DATAPOINTS_PER_CALL)) {
      batches.push(current);
      current = [];
      points = 0;
    }
    current.push(q);
    points += n;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

function toDataQuery(q: MetricQuery): MetricDataQuery {
  return {
    Id: q.id,
    MetricStat: {
      Metric: {
        Namespace: q.namespace,
        MetricName: q.metricName,
        Dimensions: Object.entries(q.dimensions).map(([Name, Value]) => ({ Name, Value })),
      },
      Period: q.periodS,
      Stat: q.stat,
    },
    ReturnData: true,
  };
}

export class AwsMetrics implements MetricsPort {
  constructor(
    private readonly client: CloudWatchClient,
    private readonly policy: CallPolicy,
  ) {}

  /**
   * Fetches every series over [from, to]: batches of ≤ 500 queries and ≤ 100,800 data points, sent one
   * after another (GetMetricData is rate-limited per account), each followed through all its
   * `NextToken` pages. Each id's points are merged across pages and sorted ascending; an id the answer
   * does not mention maps to an empty series. Throws on duplicate ids, which GetMetricData rejects.
   */
  async getMetricData(queries: MetricQuery[], from: Date, to: Date): Promise<Map<string, MetricSeries>> {
    const points = new Map<string, Map<number, number>>();
    for (const q of queries) {
      if (points.has(q.id)) throw new Error(`duplicate metric query id "${q.id}"`);
      points.set(q.id, new Map());
    }
    for (const batch of batchQueries(queries, from, to)) {
      let nextToken: string | undefined;
      do {
        const command = new GetMetricDataCommand({
          MetricDataQueries: batch.map(toDataQuery),
          StartTime: from,
          EndTime: to,
          ScanBy: 'TimestampAscending',
          ...(nextToken !== undefined ? { NextToken: nextToken } : {}),
        });
        const out = await callAws(this.policy, 'cloudwatch', command, () => this.client.send(command));
        for (const result of out.MetricDataResults ?? []) {
          const byTime = result.Id !== undefined ? points.get(result.Id) : undefined;
          if (!byTime) continue;
          const timestamps = result.Timestamps ?? [];
          const values = result.Values ?? [];
          timestamps.forEach((ts, i) => {
            const v = values[i];
            if (v !== undefined) byTime.set(new Date(ts).getTime(), v);
          });
        }
        // An empty token would loop for ever; CloudWatch ends with none.
        nextToken = out.NextToken !== undefined && out.NextToken !== '' ? out.NextToken : undefined;
      } while (nextToken !== undefined);
    }
    const series = new Map<string, MetricSeries>();
    for (const [id, byTime] of points) {
      const times = [...byTime.keys()].sort((a, b) => a - b);
      series.set(id, { timestamps: times.map((t) => new Date(t).toISOString()), values: times.map((t) => byTime.get(t) ?? 0) });
    }
    return series;
  }
}
