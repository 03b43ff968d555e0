import {
  GetAliasCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  GetPolicyCommand,
  LambdaClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { AwsLambda } from '../../../../../src/collect/adapters/aws/lambda';
import { AwsCallError } from '../../../../../src/collect/call-aws';
import type { CallPolicy } from '../../../../../src/collect/call-aws';

const lambda = mockClient(LambdaClient);
const policy: CallPolicy = { region: 'us-east-1', accountId: '123456789012', sleep: () => Promise.resolve() };
const FN_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:orders-handler';

function adapter(): AwsLambda {
  return new AwsLambda(new LambdaClient({ region: 'us-east-1' }), policy);
}

function notFound(message: string): ResourceNotFoundException {
  return new ResourceNotFoundException({ message, Type: 'User', $metadata: { httpStatusCode: 404, requestId: '0d3c8a5e-2f4b-4a6e-9b1d-7c5e3f2a1b09' } });
}

function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

/** `aws lambda get-policy --function-name orders-handler --qualifier live` as it comes back. */
const ALIAS_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Id: 'default',
  Statement: [
    {
      Sid: 'apigw-invoke-live',
      Effect: 'Allow',
      Principal: { Service: 'apigateway.amazonaws.com' },
      Action: 'lambda:InvokeFunction',
      Resource: `${FN_ARN}:live`,
      Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/*/GET/orders/*' } },
    },
  ],
});

beforeEach(() => {
  lambda.reset();
  lambda.onAnyCommand().rejects(new Error('unmocked call'));
});

describe('AwsLambda.getFunction', () => {
  it('maps the configuration, passing the qualifier', async () => {
    lambda.on(GetFunctionConfigurationCommand, { FunctionName: 'orders-handler', Qualifier: 'live' }).resolves({
      FunctionName: 'orders-handler',
      FunctionArn: `${FN_ARN}:live`,
      Runtime: 'nodejs20.x',
      Timeout: 6,
      MemorySize: 512,
      LastModified: '2026-11-25T13:58:41.000+0000',
      Version: '7',
      State: 'Active',
      LoggingConfig: { LogFormat: 'Text', LogGroup: '/aws/lambda/orders-handler' },
    });
    await expect(adapter().getFunction('orders-handler', 'live')).resolves.toEqual({
      functionArn: `${FN_ARN}:live`,
      functionName: 'orders-handler',
      timeoutMs: 6_000,
      lastModified: '2026-11-25T13:58:41.000+0000',
      version: '7',
      logGroup: '/aws/lambda/orders-handler',
      state: 'Active',
      runtime: 'nodejs20.x',
      memoryMb: 512,
    });
    expect(lambda).toHaveReceivedCommandWith(GetFunctionConfigurationCommand, { FunctionName: 'orders-handler', Qualifier: 'live' });
  });

  it('uses a custom log group when the function has one, and sends no Qualifier when none is given', async () => {
    lambda.on(GetFunctionConfigurationCommand).resolves({
      FunctionName: 'orders-handler',
      FunctionArn: FN_ARN,
      Timeout: 30,
      LoggingConfig: { LogFormat: 'JSON', LogGroup: '/shared/app-logs' },
    });
    const info = await adapter().getFunction(FN_ARN);
    expect(info).toMatchObject({ logGroup: '/shared/app-logs', timeoutMs: 30_000 });
    expect(lambda.commandCalls(GetFunctionConfigurationCommand)[0]?.args[0].input).toEqual({ FunctionName: FN_ARN });
  });

  it('falls back to /aws/lambda/{name} without LoggingConfig', async () => {
    lambda.on(GetFunctionConfigurationCommand).resolves({ FunctionName: 'orders-handler', FunctionArn: FN_ARN, Timeout: 3 });
    await expect(adapter().getFunction(FN_ARN)).resolves.toMatchObject({ logGroup: '/aws/lambda/orders-handler', timeoutMs: 3_000 });
  });

  it('null when the function (or qualifier) does not exist', async () => {
    lambda.on(GetFunctionConfigurationCommand).rejects(notFound(`Function not found: ${FN_ARN}:canary`));
    await expect(adapter().getFunction('orders-handler', 'canary')).resolves.toBeNull();
  });

  it('rejects with the IAM need when access is denied', async () => {
    lambda
      .on(GetFunctionConfigurationCommand)
      .rejects(awsError('AccessDeniedException', `User: arn:aws:sts::123456789012:assumed-role/oncall/alice is not authorized to perform: lambda:GetFunctionConfiguration on resource: ${FN_ARN}`));
    const err: unknown = await adapter()
      .getFunction('orders-handler')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AwsCallError);
    expect(err).toMatchObject({ kind: 'access-denied', need: { action: 'lambda:GetFunctionConfiguration', resource: FN_ARN } });
  });
});

describe('AwsLambda.getReservedConcurrency', () => {
  it('the reserved concurrency, or undefined when none is set', async () => {
    lambda.on(GetFunctionConcurrencyCommand, { FunctionName: 'orders-handler' }).resolves({ ReservedConcurrentExecutions: 1 });
    lambda.on(GetFunctionConcurrencyCommand, { FunctionName: 'reports-handler' }).resolves({});
    await expect(adapter().getReservedConcurrency('orders-handler')).resolves.toBe(1);
    await expect(adapter().getReservedConcurrency('reports-handler')).resolves.toBeUndefined();
  });

  it('a reserved concurrency of 0 (the function is switched off) is kept', async () => {
    lambda.on(GetFunctionConcurrencyCommand).resolves({ ReservedConcurrentExecutions: 0 });
    await expect(adapter().getReservedConcurrency('orders-handler')).resolves.toBe(0);
  });
});

describe('AwsLambda.getAlias', () => {
  it('the version the alias points to', async () => {
    lambda.on(GetAliasCommand, { FunctionName: 'orders-handler', Name: 'live' }).resolves({ AliasArn: `${FN_ARN}:live`, Name: 'live', FunctionVersion: '7' });
    await expect(adapter().getAlias('orders-handler', 'live')).resolves.toEqual({ name: 'live', functionVersion: '7' });
  });

  it('null when the alias does not exist', async () => {
    lambda.on(GetAliasCommand).rejects(notFound(`Alias not found: ${FN_ARN}:canary`));
    await expect(adapter().getAlias('orders-handler', 'canary')).resolves.toBeNull();
  });
});

describe('AwsLambda.getPolicy', () => {
  it('the policy text of the qualifier asked for', async () => {
    lambda.on(GetPolicyCommand, { FunctionName: 'orders-handler', Qualifier: 'live' }).resolves({ Policy: ALIAS_POLICY, RevisionId: 'a3f9c0de-8d62-4a37-b3a1-2c8f7e6d5b41' });
    await expect(adapter().getPolicy('orders-handler', 'live')).resolves.toBe(ALIAS_POLICY);
    expect(lambda).toHaveReceivedCommandWith(GetPolicyCommand, { FunctionName: 'orders-handler', Qualifier: 'live' });
  });

  it('null when the function has no policy (ResourceNotFoundException)', async () => {
    lambda.on(GetPolicyCommand).rejects(notFound('The resource you requested does not exist.'));
    await expect(adapter().getPolicy('orders-handler')).resolves.toBeNull();
    expect(lambda.commandCalls(GetPolicyCommand)[0]?.args[0].input).toEqual({ FunctionName: 'orders-handler' });
  });

  it('retries throttling', async () => {
    lambda.on(GetPolicyCommand).rejectsOnce(awsError('TooManyRequestsException', 'Rate exceeded')).resolves({ Policy: ALIAS_POLICY });
    await expect(adapter().getPolicy('orders-handler', 'live')).resolves.toBe(ALIAS_POLICY);
    expect(lambda).toHaveReceivedCommandTimes(GetPolicyCommand, 2);
  });
});
