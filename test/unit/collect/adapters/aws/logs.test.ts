import {
  AccessDeniedException,
  CloudWatchLogsClient,
  GetQueryResultsCommand,
  LimitExceededException,
  ResourceNotFoundException,
  StartQueryCommand,
  StopQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import type { GetQueryResultsResponse } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { AwsLogs, LogsQueryError } from '../../../../../src/collect/adapters/aws/logs';
import { AwsCallError } from '../../../../../src/collect/call-aws';
import type { CallPolicy } from '../../../../../src/collect/call-aws';
import type { LogsQuery } from '../../../../../src/collect/ports';

const logs = mockClient(CloudWatchLogsClient);
const client = new CloudWatchLogsClient({ region: 'us-east-1' });
const policy: CallPolicy = { region: 'us-east-1', accountId: '123456789012', sleep: () => Promise.resolve() };

/** What CloudWatch Logs answers when StopQuery is sent for a query that has already ended. */
class InvalidQueryStateError extends Error {
  constructor() {
    super('Query is not running');
    this.name = 'InvalidParameterException';
  }
}

const GROUP = 'API-Gateway-Execution-Logs_a1b2c3d4e5/prod';
const QUERY: LogsQuery = {
  logGroups: [GROUP],
  queryString: 'filter @message like /Method completed with status: 5/\n| limit 20',
  from: new Date('2026-11-25T14:00:00.500Z'),
  to: new Date('2026-11-25T14:30:00.200Z'),
  limit: 200,
};

/** A fake clock that the adapter's sleep advances, and the waits it was asked for. */
function fakeTime(start = 1_000_000): { now: () => number; sleep: (ms: number) => Promise<void>; waits: number[] } {
  let clock = start;
  const waits: number[] = [];
  return {
    now: () => clock,
    sleep: (ms: number) => {
      waits.push(ms);
      clock += ms;
      return Promise.resolve();
    },
    waits,
  };
}

const row = (message: string, ptr = 'CmAKJgoi'): { field: string; value: string }[] => [
  { field: '@timestamp', value: '2026-11-25 14:02:11.121' },
  { field: '@message', value: message },
  { field: '@ptr', value: ptr },
];

const complete = (results: GetQueryResultsResponse['results']): GetQueryResultsResponse => ({
  status: 'Complete',
  results,
  statistics: { recordsMatched: 42, recordsScanned: 1000, bytesScanned: 123456 },
});

beforeEach(() => {
  logs.reset();
  // Declared first so that narrower matchers override it: an unmatched call must fail loudly.
  logs.onAnyCommand().rejects(new Error('unmocked call'));
});

describe('AwsLogs.runQuery', () => {
  it('polls Scheduled → Running → Complete with growing waits and returns rows without @ptr', async () => {
    logs.on(StartQueryCommand).resolves({ queryId: 'q-1' });
    logs
      .on(GetQueryResultsCommand, { queryId: 'q-1' })
      .resolvesOnce({ status: 'Scheduled', results: [] })
      .resolvesOnce({ status: 'Running', results: [row('(abc-123-def) partial')] })
      .resolves(complete([row('(abc-123-def) Method completed with status: 502'), row('(abc-123-xyz) Method completed with status: 504', 'p2')]));
    const time = fakeTime();
    const result = await new AwsLogs(client, policy, time).runQuery(QUERY, time.now() + 60_000);
    expect(result).toEqual({
      status: 'Complete',
      rows: [
        { '@timestamp': '2026-11-25 14:02:11.121', '@message': '(abc-123-def) Method completed with status: 502' },
        { '@timestamp': '2026-11-25 14:02:11.121', '@message': '(abc-123-xyz) Method completed with status: 504' },
      ],
      recordsMatched: 42,
      bytesScanned: 123456,
    });
    expect(logs.commandCalls(GetQueryResultsCommand, { queryId: 'q-1' })).toHaveLength(3);
    expect(time.waits).toEqual([500, 750, 1125]);
    expect(logs).not.toHaveReceivedCommand(StopQueryCommand);
  });

  it('caps the wait between polls at maxPollMs', async () => {
    logs.on(StartQueryCommand).resolves({ queryId: 'q-1' });
    const get = logs.on(GetQueryResultsCommand);
    for (let i = 0; i < 5; i++) get.resolvesOnce({ status: 'Running', results: [] });
    get.resolves(complete([]));
    const time = fakeTime();
    await new AwsLogs(client, policy, time).runQuery(QUERY, time.now() + 60_000);
    expect(time.waits).toEqual([500, 750, 1125, 1687.5, 2000, 2000]);
  });

  it('sends startTime and endTime in epoch seconds, with the groups, query string and limit', async () => {
    logs.on(StartQueryCommand).resolves({ queryId: 'q-1' });
    logs.on(GetQueryResultsCommand).resolves(complete([]));
    const time = fakeTime();
    await new AwsLogs(client, policy, time).runQuery(QUERY, time.now() + 60_000);
    expect(logs).toHaveReceivedCommandWith(StartQueryCommand, {
      logGroupNames: [GROUP],
      // 14:00:00.500 floors, 14:30:00.200 ceils: the window only ever widens to whole seconds.
      startTime: Date.UTC(2026, 10, 25, 14, 0, 0) / 1000,
      endTime: Date.UTC(2026, 10, 25, 14, 30, 1) / 1000,
      queryString: QUERY.queryString,
      limit: 200,
    });
  });

  it.each(['Failed', 'Timeout', 'Cancelled', 'Unknown'] as const)('rejects with LogsQueryError when the query ends %s', async (status) => {
    logs.on(StartQueryCommand).resolves({ queryId: 'q-1' });
    logs.on(GetQueryResultsCommand).resolvesOnce({ status: 'Running', results: [] }).resolves({ status });
    const time = fakeTime();
    const run = new AwsLogs(client, policy, time).runQuery(QUERY, time.now() + 60_000);
    await expect(run).rejects.toThrow(LogsQueryError);
    await expect(run).rejects.toMatchObject({ status, queryId: 'q-1', message: `Logs Insights query q-1 ended ${status}` });
    // A query that ended on its own is not stopped.
    expect(logs).not.toHaveReceivedCommand(StopQueryCommand);
  });

  it('stops the query and returns the last Running rows as Partial when the deadline passes', async () => {
    logs.on(StartQueryCommand).resolves({ queryId: 'q-7' });
    logs
      .on(GetQueryResultsCommand, { queryId: 'q-7' })
      .resolvesOnce({ status: 'Scheduled', results: [] })
      .resolvesOnce({ status: 'Running', results: [row('first')] })
      .resolves({ status: 'Running', results: [row('first'), row('second')], statistics: { recordsMatched: 2, bytesScanned: 5000 } });
    logs.on(StopQueryCommand).resolves({ success: true });
    const time = fakeTime();
    const deadline = time.now() + 2_000;
    const result = await new AwsLogs(client, policy, time).runQuery(QUERY, deadline);
    expect(result.status).toBe('Partial');
    expect(result.rows.map((r) => r['@message'])).toEqual(['first', 'second']);
    expect(result).toMatchObject({ recordsMatched: 2, bytesScanned: 5000 });
    // 500 + 750, then only the 750 ms left of the budget rather than 1,125.
    expect(time.waits).toEqual([500, 750, 750]);
    expect(time.now()).toBe(deadline);
    expect(logs).toHaveReceivedCommandTimes(StopQueryCommand, 1);
    expect(logs).toHaveReceivedCommandWith(StopQueryCommand, { queryId: 'q-7' });
  });

  it('still returns Partial when StopQuery fails', async () => {
    logs.on(StartQueryCommand).resolves({ queryId: 'q-1' });
    logs.on(GetQueryResultsCommand).resolves({ status: 'Running', results: [row('so far')] });
    logs.on(StopQueryCommand).rejects(new InvalidQueryStateError());
    const time = fakeTime();
    const result = await new AwsLogs(client, policy, time).runQuery(QUERY, time.now() + 1_000);
    expect(result).toEqual({ status: 'Partial', rows: [{ '@timestamp': '2026-11-25 14:02:11.121', '@message': 'so far' }] });
  });

  it('returns no rows as Partial when the query is still Scheduled at the deadline', async () => {
    logs.on(StartQueryCommand).resolves({ queryId: 'q-1' });
    logs.on(GetQueryResultsCommand).resolves({ status: 'Scheduled' });
    logs.on(StopQueryCommand).resolves({ success: true });
    const time = fakeTime();
    const result = await new AwsLogs(client, policy, time).runQuery(QUERY, time.now() - 1);
    expect(result).toEqual({ status: 'Partial', rows: [] });
    expect(time.waits).toEqual([0]);
    expect(logs).toHaveReceivedCommandTimes(StopQueryCommand, 1);
  });

  it('retries a StartQuery LimitExceededException through callAws, once per failure', async () => {
    logs
      .on(StartQueryCommand)
      .rejectsOnce(new LimitExceededException({ message: 'Account maximum query concurrency limit of [100] reached.', $metadata: {} }))
      .resolves({ queryId: 'q-2' });
    logs.on(GetQueryResultsCommand, { queryId: 'q-2' }).resolves(complete([row('ok')]));
    const time = fakeTime();
    const result = await new AwsLogs(client, policy, time).runQuery(QUERY, time.now() + 60_000);
    expect(result.status).toBe('Complete');
    expect(logs).toHaveReceivedCommandTimes(StartQueryCommand, 2);
  });

  it('rejects with a not-found AwsCallError when the log group does not exist', async () => {
    logs.on(StartQueryCommand).rejects(new ResourceNotFoundException({ message: 'The specified log group does not exist.', $metadata: {} }));
    const time = fakeTime();
    const run = new AwsLogs(client, policy, time).runQuery(QUERY, time.now() + 60_000);
    await expect(run).rejects.toBeInstanceOf(AwsCallError);
    await expect(run).rejects.toMatchObject({ kind: 'not-found', errorName: 'ResourceNotFoundException', command: 'StartQueryCommand' });
    await expect(run).rejects.toThrow('The specified log group does not exist.');
    expect(logs).not.toHaveReceivedCommand(GetQueryResultsCommand);
  });

  it('names logs:StartQuery on the log group when access is denied', async () => {
    logs.on(StartQueryCommand).rejects(
      new AccessDeniedException({
        message: `User: arn:aws:sts::123456789012:assumed-role/doctor/x is not authorized to perform: logs:StartQuery on resource: arn:aws:logs:us-east-1:123456789012:log-group:${GROUP}:*`,
        $metadata: {},
      }),
    );
    const time = fakeTime();
    const error: unknown = await new AwsLogs(client, policy, time).runQuery(QUERY, time.now() + 60_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsCallError);
    expect(error).toMatchObject({
      kind: 'access-denied',
      need: { action: 'logs:StartQuery', resource: `arn:aws:logs:us-east-1:123456789012:log-group:${GROUP}:*` },
    });
    expect(logs).toHaveReceivedCommandTimes(StartQueryCommand, 1);
  });

  it('stops the query when polling fails, and rejects with the polling error', async () => {
    logs.on(StartQueryCommand).resolves({ queryId: 'q-3' });
    logs.on(GetQueryResultsCommand).rejects(new AccessDeniedException({ message: 'not authorized to perform: logs:GetQueryResults', $metadata: {} }));
    logs.on(StopQueryCommand).resolves({ success: true });
    const time = fakeTime();
    const run = new AwsLogs(client, policy, time).runQuery(QUERY, time.now() + 60_000);
    await expect(run).rejects.toMatchObject({ kind: 'access-denied', need: { action: 'logs:GetQueryResults', resource: '*' } });
    expect(logs).toHaveReceivedCommandWith(StopQueryCommand, { queryId: 'q-3' });
  });

  it('refuses more than 50 log groups, and none, before calling AWS', async () => {
    const adapter = new AwsLogs(client, policy, fakeTime());
    const many = Array.from({ length: 51 }, (_, i) => `/aws/lambda/fn-${i}`);
    await expect(adapter.runQuery({ ...QUERY, logGroups: many }, Date.now() + 60_000)).rejects.toThrow('1 to 50 log groups; got 51');
    await expect(adapter.runQuery({ ...QUERY, logGroups: [] }, Date.now() + 60_000)).rejects.toThrow('got 0');
    expect(logs).not.toHaveReceivedAnyCommand();
  });

  it('accepts exactly 50 log groups', async () => {
    logs.on(StartQueryCommand).resolves({ queryId: 'q-1' });
    logs.on(GetQueryResultsCommand).resolves(complete([]));
    const fifty = Array.from({ length: 50 }, (_, i) => `/aws/lambda/fn-${i}`);
    const time = fakeTime();
    await expect(new AwsLogs(client, policy, time).runQuery({ ...QUERY, logGroups: fifty }, time.now() + 60_000)).resolves.toMatchObject({ status: 'Complete' });
  });
});
