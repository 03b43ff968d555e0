/**
 * The sandbox answers real SDK clients: commands go in through the client's own `send`, SDK-shaped
 * answers and errors come out, with no credentials and no network.
 */
import { GetRestApisCommand, GetStagesCommand } from '@aws-sdk/client-api-gateway';
import { GetQueryResultsCommand, StartQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetPolicyCommand } from '@aws-sdk/client-lambda';
import { sandboxClients } from '../../../../../src/collect/adapters/sandbox/clients';
import type { World } from '../../../../../src/collect/adapters/sandbox/world';
import { SandboxAws } from '../../../../../src/collect/adapters/sandbox/world';

function world(): World {
  return {
    region: 'eu-west-1',
    accountId: '123456789012',
    restApis: Array.from({ length: 30 }, (_, i) => ({ api: { id: `api${String(i).padStart(7, '0')}`, name: `api-${i}` }, stages: [{ stageName: 'prod' }], resources: [] })),
    v2Apis: [],
    logGroups: { 'API-Gateway-Execution-Logs_api0000000/prod': [{ message: 'Execution failed due to configuration error: Malformed Lambda proxy response', n: '7' }] },
    metrics: [],
    functions: { 'orders-handler': { config: { FunctionName: 'orders-handler', FunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:orders-handler', Timeout: 10 } } },
    dns: {},
  };
}

it('answers through the SDK client, paging as the service does, and records the calls', async () => {
  const sandbox = new SandboxAws(world());
  const { apigateway } = sandboxClients(sandbox);
  const first = await apigateway.send(new GetRestApisCommand({ limit: 25 }));
  expect(first.items).toHaveLength(25);
  expect(first.position).toBe('25');
  const second = await apigateway.send(new GetRestApisCommand({ limit: 25, position: first.position }));
  expect(second.items?.map((a) => a.name)).toEqual(['api-25', 'api-26', 'api-27', 'api-28', 'api-29']);
  expect(second.position).toBeUndefined();
  expect(sandbox.calls.map((c) => `${c.service}:${c.command}`)).toEqual(['apigateway:GetRestApisCommand', 'apigateway:GetRestApisCommand']);
});

it('throws the errors AWS throws, by name', async () => {
  const sandbox = new SandboxAws(world());
  const { apigateway, lambda } = sandboxClients(sandbox);
  await expect(apigateway.send(new GetStagesCommand({ restApiId: 'zzzzzzzzzz' }))).rejects.toMatchObject({ name: 'NotFoundException' });
  await expect(lambda.send(new GetPolicyCommand({ FunctionName: 'orders-handler' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
});

it('runs a Logs Insights query to completion over the world’s rows', async () => {
  const { logs } = sandboxClients(new SandboxAws(world()));
  const { queryId } = await logs.send(new StartQueryCommand({ logGroupNames: ['API-Gateway-Execution-Logs_api0000000/prod'], startTime: 1, endTime: 2, queryString: 'fields @message' }));
  expect((await logs.send(new GetQueryResultsCommand({ queryId }))).status).toBe('Running');
  const done = await logs.send(new GetQueryResultsCommand({ queryId }));
  expect(done.status).toBe('Complete');
  expect(done.results?.[0]?.find((f) => f.field === 'n')?.value).toBe('7');
  await expect(logs.send(new StartQueryCommand({ logGroupNames: ['/aws/lambda/nope'], startTime: 1, endTime: 2, queryString: 'fields @message' }))).rejects.toMatchObject({
    name: 'ResourceNotFoundException',
  });
});

it('holds every answer back by the world’s latency', async () => {
  jest.useFakeTimers();
  try {
    const w = world();
    w.latencyMs = 30;
    const { apigateway } = sandboxClients(new SandboxAws(w));
    let answered = false;
    const pending = apigateway.send(new GetRestApisCommand({})).then(() => {
      answered = true;
    });
    await jest.advanceTimersByTimeAsync(29);
    expect(answered).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await pending;
    expect(answered).toBe(true);
  } finally {
    jest.useRealTimers();
  }
});
