import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { GetMetricDataCommandInput, GetMetricDataCommandOutput } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { AwsMetrics, batchQueries } from '../../../../../src/collect/adapters/aws/metrics';
import { AwsCallError } from '../../../../../src/collect/call-aws';
import type { CallPolicy } from '../../../../../src/collect/call-aws';
import { apiMetricQueries } from '../../../../../src/collect/metric-queries';
import type { MetricQuery } from '../../../../../src/collect/ports';

const cw = mockClient(CloudWatchClient);

const FROM = new Date('2026-11-25T13:00:00Z');
const TO = new Date('2026-11-25T14:30:00Z');
const policy: CallPolicy = { region: 'us-east-1', accountId: '123456789012', sleep: () => Promise.resolve() };

function metrics(): AwsMetrics {
  return new AwsMetrics(new CloudWatchClient({ region: 'us-east-1' }), policy);
}

/** An error as the SDK surfaces it: CloudWatch's JSON protocol is query-compatible, so `name` is the query error code. */
function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

function lambdaErrorQueries(n: number, periodS = 60): MetricQuery[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `fn${i}Errors`,
    namespace: 'AWS/Lambda',
    metricName: 'Errors',
    dimensions: { FunctionName: `orders-handler-${i}` },
    stat: 'Sum',
    periodS,
  }));
}

const at = (hhmm: string): Date => new Date(`2026-11-25T${hhmm}:00Z`);

beforeEach(() => {
  cw.reset();
  cw.onAnyCommand().rejects(new Error('unmocked call'));
});

describe('AwsMetrics.getMetricData', () => {
  it('sends the queries as MetricStat queries, oldest first, over the whole range', async () => {
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    const queries = apiMetricQueries({ apiType: 'REST', apiId: 'a1b2c3d4e5', apiName: 'orders-api', stage: 'prod' }, 60);
    await metrics().getMetricData(queries, FROM, TO);
    expect(cw).toHaveReceivedCommandTimes(GetMetricDataCommand, 1);
    expect(cw).toHaveReceivedCommandWith(GetMetricDataCommand, {
      StartTime: FROM,
      EndTime: TO,
      ScanBy: 'TimestampAscending',
      MetricDataQueries: expect.arrayContaining([
        {
          Id: 'api5xx',
          MetricStat: {
            Metric: { Namespace: 'AWS/ApiGateway', MetricName: '5XXError', Dimensions: [{ Name: 'ApiName', Value: 'orders-api' }, { Name: 'Stage', Value: 'prod' }] },
            Period: 60,
            Stat: 'Sum',
          },
          ReturnData: true,
        },
      ]) as unknown,
    });
  });

  it('splits 600 queries into two calls of 500 and 100', async () => {
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    const out = await metrics().getMetricData(lambdaErrorQueries(600), FROM, TO);
    const calls = cw.commandCalls(GetMetricDataCommand);
    expect(calls.map((c) => c.args[0].input.MetricDataQueries?.length)).toEqual([500, 100]);
    expect(calls[1]!.args[0].input.MetricDataQueries?.[0]?.Id).toBe('fn500Errors');
    expect(out.size).toBe(600);
  });

  it('splits further when queries × data points would pass 100,800', async () => {
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    // A day at one-minute resolution is 1,440 points a query: 70 queries fill one call.
    const dayFrom = new Date('2026-11-24T14:30:00Z');
    await metrics().getMetricData(lambdaErrorQueries(100), dayFrom, TO);
    expect(cw.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input.MetricDataQueries?.length)).toEqual([70, 30]);
  });

  it('follows NextToken and merges each id across pages, ascending, with missing ids empty', async () => {
    cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput): Partial<GetMetricDataCommandOutput> => {
      if (input.NextToken === undefined) {
        return {
          MetricDataResults: [
            { Id: 'api5xx', Timestamps: [at('14:02'), at('14:03')], Values: [12, 15], StatusCode: 'PartialData' },
            { Id: 'apiCount', Timestamps: [at('14:02')], Values: [400], StatusCode: 'PartialData' },
          ],
          NextToken: 'page-2',
        };
      }
      return {
        MetricDataResults: [
          { Id: 'api5xx', Timestamps: [at('14:01'), at('14:04')], Values: [0, 9], StatusCode: 'Complete' },
          { Id: 'apiCount', Timestamps: [at('14:03')], Values: [380], StatusCode: 'Complete' },
        ],
      };
    });
    const queries = apiMetricQueries({ apiType: 'HTTP', apiId: 'a1b2c3d4e5', apiName: 'orders-http', stage: '$default' }, 60);
    const out = await metrics().getMetricData(queries, FROM, TO);
    expect(cw).toHaveReceivedCommandTimes(GetMetricDataCommand, 2);
    expect(cw).toHaveReceivedNthCommandWith(2, GetMetricDataCommand, { NextToken: 'page-2' });
    expect(out.get('api5xx')).toEqual({
      timestamps: ['2026-11-25T14:01:00.000Z', '2026-11-25T14:02:00.000Z', '2026-11-25T14:03:00.000Z', '2026-11-25T14:04:00.000Z'],
      values: [0, 12, 15, 9],
    });
    expect(out.get('apiCount')).toEqual({ timestamps: ['2026-11-25T14:02:00.000Z', '2026-11-25T14:03:00.000Z'], values: [400, 380] });
    expect(out.get('apiLatencyP99')).toEqual({ timestamps: [], values: [] });
    expect([...out.keys()].sort()).toEqual(queries.map((q) => q.id).sort());
  });

  it('retries throttling (CloudWatch reports the query error code "Throttling")', async () => {
    cw.on(GetMetricDataCommand)
      .rejectsOnce(awsError('Throttling', 'Rate exceeded'))
      .resolves({ MetricDataResults: [{ Id: 'fn0Errors', Timestamps: [at('14:05')], Values: [3] }] });
    const out = await metrics().getMetricData(lambdaErrorQueries(1), FROM, TO);
    expect(cw).toHaveReceivedCommandTimes(GetMetricDataCommand, 2);
    expect(out.get('fn0Errors')?.values).toEqual([3]);
  });

  it('turns AccessDenied into an AwsCallError that names cloudwatch:GetMetricData', async () => {
    cw.on(GetMetricDataCommand).rejects(
      awsError('AccessDenied', 'User: arn:aws:sts::123456789012:assumed-role/oncall/alice is not authorized to perform: cloudwatch:GetMetricData because no identity-based policy allows the cloudwatch:GetMetricData action'),
    );
    const err: unknown = await metrics()
      .getMetricData(lambdaErrorQueries(1), FROM, TO)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AwsCallError);
    expect(err).toMatchObject({ kind: 'access-denied', service: 'cloudwatch', need: { action: 'cloudwatch:GetMetricData', resource: '*' } });
    expect(cw).toHaveReceivedCommandTimes(GetMetricDataCommand, 1);
  });

  it('makes no call for no queries', async () => {
    const out = await metrics().getMetricData([], FROM, TO);
    expect(out.size).toBe(0);
    expect(cw).not.toHaveReceivedAnyCommand();
  });

  it('rejects duplicate ids before calling', async () => {
    const q = lambdaErrorQueries(1);
    await expect(metrics().getMetricData([...q, ...q], FROM, TO)).rejects.toThrow(/duplicate metric query id "fn0Errors"/);
    expect(cw).not.toHaveReceivedAnyCommand();
  });
});

describe('batchQueries', () => {
  it('puts a query that alone passes the data-point limit in a batch of its own', () => {
    const q = lambdaErrorQueries(3);
    // 80 days at one minute is 115,200 points for the middle query.
    const long = { ...q[1]!, periodS: 60 };
    const from = new Date(TO.getTime() - 80 * 86_400_000);
    const batches = batchQueries([{ ...q[0]!, periodS: 3600 }, long, { ...q[2]!, periodS: 3600 }], from, TO);
    expect(batches.map((b) => b.map((x) => x.id))).toEqual([['fn0Errors'], ['fn1Errors'], ['fn2Errors']]);
  });
});
