import { GetStagesCommand, NotFoundException, TooManyRequestsException } from '@aws-sdk/client-api-gateway';
import { GetRoutesCommand } from '@aws-sdk/client-apigatewayv2';
import { AccessDeniedException, ResourceNotFoundException, StartQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { AwsCallError, callAws } from '../../../src/collect/call-aws';
import type { AwsErrorKind, CallPolicy, CallRecord } from '../../../src/collect/call-aws';
import type { AwsService } from '../../../src/collect/iam';
import type { RateLimiter } from '../../../src/collect/rate-limit';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';

/** An error as the SDK throws it: an Error whose `name` is the AWS error code. */
const awsError = (name: string, message = `${name} happened`): Error => Object.assign(new Error(message), { name });

interface Harness {
  policy: CallPolicy;
  delays: number[];
  records: CallRecord[];
  takes: number;
}

function harness(extra: Partial<CallPolicy> = {}, random = 0.5): Harness {
  const h: Harness = { policy: { region: REGION }, delays: [], records: [], takes: 0 };
  let clock = 1_000;
  h.policy = {
    region: REGION,
    accountId: ACCOUNT,
    sleep: (ms) => {
      h.delays.push(ms);
      clock += ms;
      return Promise.resolve();
    },
    now: () => clock,
    random: () => random,
    onCall: (r) => h.records.push(r),
    ...extra,
  };
  return h;
}

/** A `send` that throws the given errors in turn, then answers `value`. */
function sendFailing<T>(errors: readonly Error[], value: T): { send: () => Promise<T>; calls: () => number } {
  let n = 0;
  return {
    send: () => {
      const e = errors[n++];
      return e === undefined ? Promise.resolve(value) : Promise.reject(e);
    },
    calls: () => n,
  };
}

async function rejection(promise: Promise<unknown>): Promise<AwsCallError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof AwsCallError) return e;
    throw e;
  }
  throw new Error('expected an AwsCallError');
}

const stagesCommand = new GetStagesCommand({ restApiId: 'a1b2c3d4e5' });

describe('callAws: success', () => {
  it('answers the first time without sleeping, and records one attempt', async () => {
    const h = harness();
    const { send, calls } = sendFailing([], { item: [{ stageName: 'prod' }] });
    await expect(callAws(h.policy, 'apigateway', stagesCommand, send)).resolves.toEqual({ item: [{ stageName: 'prod' }] });
    expect(calls()).toBe(1);
    expect(h.delays).toEqual([]);
    expect(h.records).toEqual([{ service: 'apigateway', command: 'GetStagesCommand', startedAt: 1_000, endedAt: 1_000, attempts: 1, ok: true }]);
  });

  it('works without any optional policy fields', async () => {
    await expect(callAws({ region: REGION }, 'sts', new GetCallerIdentityCommand({}), () => Promise.resolve('ok'))).resolves.toBe('ok');
  });
});

describe('callAws: throttling', () => {
  it.each<[string, Error]>([
    ['TooManyRequestsException (API Gateway)', new TooManyRequestsException({ message: 'Too Many Requests', $metadata: {} })],
    ['ThrottlingException', awsError('ThrottlingException', 'Rate exceeded')],
    ['Throttling', awsError('Throttling', 'Rate exceeded')],
    ['LimitExceededException', awsError('LimitExceededException', 'Resource limit exceeded')],
    ['a plain Error saying "Rate exceeded"', new Error('Rate exceeded')],
  ])('%s is retried with backoff and then succeeds', async (_label, error) => {
    const h = harness();
    const { send, calls } = sendFailing([error, error], 'done');
    await expect(callAws(h.policy, 'apigateway', stagesCommand, send)).resolves.toBe('done');
    expect(calls()).toBe(3);
    // random 0.5: half of 200, then half of 400.
    expect(h.delays).toEqual([100, 200]);
    expect(h.records).toEqual([expect.objectContaining({ attempts: 3, ok: true })]);
  });

  it('gives up after maxAttempts (default 5) with kind "throttled"', async () => {
    const h = harness();
    const throttle = awsError('ThrottlingException', 'Rate exceeded');
    const { send, calls } = sendFailing(Array.from({ length: 10 }, () => throttle), 'never');
    const e = await rejection(callAws(h.policy, 'apigateway', stagesCommand, send));
    expect(calls()).toBe(5);
    expect(e.kind).toBe('throttled');
    expect(e.errorName).toBe('ThrottlingException');
    expect(e.message).toBe('GetStages: ThrottlingException: Rate exceeded');
    // Exponential: min(5000, 200 · 2^(n-1)) · 0.5, no sleep after the last attempt.
    expect(h.delays).toEqual([100, 200, 400, 800]);
    expect(h.records).toEqual([{ service: 'apigateway', command: 'GetStagesCommand', startedAt: 1_000, endedAt: 2_500, attempts: 5, ok: false }]);
  });

  it.each<[string, Partial<CallPolicy>, number, number[]]>([
    ['full jitter near 1, capped at maxDelayMs', { maxAttempts: 6, baseDelayMs: 1_000, maxDelayMs: 3_000 }, 0.999, [999, 1_998, 2_997, 2_997, 2_997]],
    ['full jitter at 0 never waits', { maxAttempts: 4 }, 0, [0, 0, 0]],
    ['the default cap of 5 s', { maxAttempts: 8 }, 0.999, [199, 399, 799, 1_598, 3_196, 4_995, 4_995]],
    ['a custom base', { maxAttempts: 4, baseDelayMs: 50 }, 0.5, [25, 50, 100]],
    ['a single attempt never sleeps', { maxAttempts: 1 }, 0.5, []],
  ])('delays: %s', async (_label, extra, random, delays) => {
    const h = harness(extra, random);
    const { send, calls } = sendFailing(Array.from({ length: 20 }, () => awsError('ThrottlingException')), 'never');
    const e = await rejection(callAws(h.policy, 'apigateway', stagesCommand, send));
    expect(e.kind).toBe('throttled');
    expect(h.delays).toEqual(delays);
    expect(calls()).toBe(delays.length + 1);
  });

  it('takes the delay from random() each attempt (full jitter)', async () => {
    const draws = [0.1, 0.9, 0.25];
    const h = harness({ random: () => draws.shift() ?? 0 });
    const { send } = sendFailing([awsError('Throttling'), awsError('Throttling'), awsError('Throttling')], 'ok');
    await callAws(h.policy, 'apigateway', stagesCommand, send);
    expect(h.delays).toEqual([20, 360, 200]);
  });

  it.each<[string, Error]>([
    ['InternalFailure', awsError('InternalFailure')],
    ['ServiceUnavailableException', awsError('ServiceUnavailableException')],
    ['a connection reset (code ECONNRESET)', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['TimeoutError', awsError('TimeoutError', 'Connection timed out')],
  ])('a transient %s is retried too', async (_label, error) => {
    const h = harness();
    const { send, calls } = sendFailing([error], 'ok');
    await expect(callAws(h.policy, 'apigateway', stagesCommand, send)).resolves.toBe('ok');
    expect(calls()).toBe(2);
    expect(h.delays).toEqual([100]);
  });

  it('a transient failure that persists ends as kind "other"', async () => {
    const h = harness({ maxAttempts: 3 });
    const { send } = sendFailing([awsError('InternalFailure'), awsError('InternalFailure'), awsError('InternalFailure')], 'never');
    const e = await rejection(callAws(h.policy, 'apigateway', stagesCommand, send));
    expect(e.kind).toBe('other');
    expect(h.delays).toEqual([100, 200]);
  });
});

describe('callAws: failures that are not retried', () => {
  it('AccessDeniedException: kind "access-denied", names the IAM action and resource, no retry', async () => {
    const h = harness();
    const denied = awsError('AccessDeniedException', `User: arn:aws:sts::${ACCOUNT}:assumed-role/oncall/alice is not authorized to perform: apigateway:GET on resource: arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages`);
    const { send, calls } = sendFailing([denied, denied], 'never');
    const e = await rejection(callAws(h.policy, 'apigateway', stagesCommand, send));
    expect(calls()).toBe(1);
    expect(h.delays).toEqual([]);
    expect(e).toBeInstanceOf(AwsCallError);
    expect(e.name).toBe('AwsCallError');
    expect(e.kind).toBe('access-denied');
    expect(e.service).toBe('apigateway');
    expect(e.command).toBe('GetStagesCommand');
    expect(e.errorName).toBe('AccessDeniedException');
    expect(e.need).toEqual({ action: 'apigateway:GET', resource: 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages' });
    expect(e.input).toEqual({ restApiId: 'a1b2c3d4e5' });
    expect(e.message).toMatch(/^GetStages: AccessDeniedException: User: .* is not authorized to perform: apigateway:GET/);
    expect(h.records).toEqual([expect.objectContaining({ command: 'GetStagesCommand', attempts: 1, ok: false })]);
  });

  it.each<[string, AwsService, { readonly input: object }, Error, AwsErrorKind, { action: string; resource: string }]>([
    [
      'Logs AccessDeniedException on StartQuery',
      'logs',
      new StartQueryCommand({ logGroupNames: ['/aws/apigateway/orders-access'], queryString: 'fields @message', startTime: 0, endTime: 1 }),
      new AccessDeniedException({ message: 'not authorized', $metadata: {} }),
      'access-denied',
      { action: 'logs:StartQuery', resource: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/apigateway/orders-access:*` },
    ],
    [
      'an UnauthorizedException (API Gateway v2)',
      'apigatewayv2',
      new GetRoutesCommand({ ApiId: 'p4y8m3n7s0' }),
      awsError('UnauthorizedException', 'Unauthorized'),
      'access-denied',
      { action: 'apigateway:GET', resource: 'arn:aws:apigateway:us-east-1::/apis/p4y8m3n7s0/routes' },
    ],
    [
      'a message saying "not authorized to perform" under another name',
      'apigatewayv2',
      new GetRoutesCommand({ ApiId: 'p4y8m3n7s0' }),
      awsError('ForbiddenException', 'User is not authorized to perform: apigateway:GET'),
      'access-denied',
      { action: 'apigateway:GET', resource: 'arn:aws:apigateway:us-east-1::/apis/p4y8m3n7s0/routes' },
    ],
    [
      'Lambda ResourceNotFoundException',
      'lambda',
      new GetFunctionConfigurationCommand({ FunctionName: 'orders-handler' }),
      awsError('ResourceNotFoundException', 'Function not found: arn:aws:lambda:us-east-1:123456789012:function:orders-handler'),
      'not-found',
      { action: 'lambda:GetFunctionConfiguration', resource: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:orders-handler` },
    ],
    [
      'Logs ResourceNotFoundException (the SDK class)',
      'logs',
      new StartQueryCommand({ logGroupNames: ['/aws/lambda/gone'], queryString: 'fields @message', startTime: 0, endTime: 1 }),
      new ResourceNotFoundException({ message: 'Log group does not exist', $metadata: {} }),
      'not-found',
      { action: 'logs:StartQuery', resource: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/gone:*` },
    ],
    [
      'API Gateway NotFoundException (the SDK class)',
      'apigateway',
      stagesCommand,
      new NotFoundException({ message: 'Invalid API identifier specified', $metadata: {} }),
      'not-found',
      { action: 'apigateway:GET', resource: 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages' },
    ],
    [
      'CredentialsProviderError',
      'sts',
      new GetCallerIdentityCommand({}),
      awsError('CredentialsProviderError', 'Could not load credentials from any providers'),
      'credentials',
      { action: 'sts:GetCallerIdentity', resource: '*' },
    ],
    [
      'ExpiredTokenException',
      'apigateway',
      stagesCommand,
      awsError('ExpiredTokenException', 'The security token included in the request is expired'),
      'credentials',
      { action: 'apigateway:GET', resource: 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages' },
    ],
    [
      'a BadRequestException',
      'apigateway',
      stagesCommand,
      awsError('BadRequestException', 'Invalid stage identifier'),
      'other',
      { action: 'apigateway:GET', resource: 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages' },
    ],
  ])('%s → kind %s… once, with its IAM need', async (_label, service, command, error, kind, need) => {
    const h = harness();
    const { send, calls } = sendFailing([error, error], 'never');
    const e = await rejection(callAws(h.policy, service, command, send));
    expect(calls()).toBe(1);
    expect(h.delays).toEqual([]);
    expect(e.kind).toBe(kind);
    expect(e.service).toBe(service);
    expect(e.command).toBe(command.constructor.name);
    expect(e.need).toEqual(need);
    expect(h.records).toEqual([expect.objectContaining({ service, attempts: 1, ok: false })]);
  });

  it('without an account id the resource names "*" for the account', async () => {
    const h = harness({ accountId: undefined });
    const { send } = sendFailing([awsError('AccessDeniedException')], 'never');
    const e = await rejection(callAws(h.policy, 'lambda', new GetFunctionConfigurationCommand({ FunctionName: 'orders-handler' }), send));
    expect(e.need).toEqual({ action: 'lambda:GetFunctionConfiguration', resource: 'arn:aws:lambda:us-east-1:*:function:orders-handler' });
  });

  it('a command the IAM table does not know has no need', async () => {
    class MysteryCommand {
      readonly input = {};
    }
    const h = harness();
    const { send } = sendFailing([awsError('AccessDeniedException')], 'never');
    const e = await rejection(callAws(h.policy, 'apigateway', new MysteryCommand(), send));
    expect(e.command).toBe('MysteryCommand');
    expect(e.need).toBeUndefined();
    expect(e.message).toBe('Mystery: AccessDeniedException: AccessDeniedException happened');
  });

  it('something thrown that is not an Error becomes an "other" AwsCallError', async () => {
    const h = harness();
    const e = await rejection(
      callAws(h.policy, 'apigateway', stagesCommand, () => {
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        return Promise.reject('socket closed');
      }),
    );
    expect(e.kind).toBe('other');
    expect(e.errorName).toBe('Error');
    expect(e.message).toBe('GetStages: Error: socket closed');
  });

  it('an Error named just "Error" uses its code as the error name', async () => {
    const h = harness();
    const { send } = sendFailing([Object.assign(new Error('nope'), { code: 'AccessDenied' })], 'never');
    const e = await rejection(callAws(h.policy, 'apigateway', stagesCommand, send));
    expect(e.errorName).toBe('AccessDenied');
    expect(e.kind).toBe('access-denied');
  });
});

describe('callAws: records and rate limiting', () => {
  it('onCall gets one record per call with attempts, outcome and times', async () => {
    let clock = 0;
    const records: CallRecord[] = [];
    const policy: CallPolicy = {
      region: REGION,
      now: () => clock,
      sleep: (ms) => {
        clock += ms;
        return Promise.resolve();
      },
      random: () => 1,
      onCall: (r) => records.push(r),
    };
    const throttled = sendFailing([awsError('TooManyRequestsException')], 'ok');
    await callAws(policy, 'apigateway', stagesCommand, () => {
      clock += 30;
      return throttled.send();
    });
    await rejection(
      callAws(policy, 'apigatewayv2', new GetRoutesCommand({ ApiId: 'p4y8m3n7s0' }), () => {
        clock += 5;
        return Promise.reject(awsError('NotFoundException'));
      }),
    );
    expect(records).toEqual([
      // 30 ms, a 200 ms backoff, 30 ms.
      { service: 'apigateway', command: 'GetStagesCommand', startedAt: 0, endedAt: 260, attempts: 2, ok: true },
      { service: 'apigatewayv2', command: 'GetRoutesCommand', startedAt: 260, endedAt: 265, attempts: 1, ok: false },
    ]);
  });

  it("awaits the limiter's take once per attempt, before each send", async () => {
    const order: string[] = [];
    const limiter: RateLimiter = {
      take: () => {
        order.push('take');
        return Promise.resolve();
      },
    };
    const asked: [AwsService, string][] = [];
    const h = harness({
      limiterFor: (service, command) => {
        asked.push([service, command]);
        return limiter;
      },
    });
    const { send } = sendFailing([awsError('ThrottlingException'), awsError('ThrottlingException')], 'ok');
    await callAws(h.policy, 'apigateway', stagesCommand, () => {
      order.push('send');
      return send();
    });
    expect(order).toEqual(['take', 'send', 'take', 'send', 'take', 'send']);
    expect(asked).toEqual([['apigateway', 'GetStagesCommand']]);
  });

  it('does not send before the limiter lets it', async () => {
    let release: () => void = () => undefined;
    const limiter: RateLimiter = {
      take: () =>
        new Promise<void>((resolve) => {
          release = resolve;
        }),
    };
    const h = harness({ limiterFor: () => limiter });
    let sent = false;
    const call = callAws(h.policy, 'apigateway', stagesCommand, () => {
      sent = true;
      return Promise.resolve('ok');
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(sent).toBe(false);
    release();
    await expect(call).resolves.toBe('ok');
    expect(sent).toBe(true);
  });

  it('a policy without a limiter for the command sends straight away', async () => {
    const h = harness({ limiterFor: () => undefined });
    await expect(callAws(h.policy, 'apigateway', stagesCommand, () => Promise.resolve(1))).resolves.toBe(1);
  });
});
