import { memoizePort } from '../../../src/collect/memoize';
import type { LambdaFunctionInfo, LambdaPort, StageInfo } from '../../../src/collect/ports';

const info = (name: string): LambdaFunctionInfo => ({ functionArn: `arn:aws:lambda:us-east-1:123456789012:function:${name}`, functionName: name, timeoutMs: 3_000, logGroup: `/aws/lambda/${name}` });

/** A Lambda port that counts calls and answers after the test lets it. */
function countingLambda(): LambdaPort & { calls: string[]; readonly region: string } {
  const calls: string[] = [];
  return {
    region: 'us-east-1',
    calls,
    getFunction: (name, qualifier) => {
      calls.push(`getFunction ${name}${qualifier ? `:${qualifier}` : ''}`);
      return name === 'missing' ? Promise.resolve(null) : Promise.resolve(info(name));
    },
    getReservedConcurrency: (name) => {
      calls.push(`getReservedConcurrency ${name}`);
      return Promise.reject(new Error(`AccessDeniedException: lambda:GetFunctionConcurrency on ${name}`));
    },
    getAlias: (name, alias) => {
      calls.push(`getAlias ${name} ${alias}`);
      return Promise.resolve({ name: alias, functionVersion: '7' });
    },
    getPolicy: (name) => {
      calls.push(`getPolicy ${name}`);
      return Promise.resolve(null);
    },
  };
}

describe('memoizePort', () => {
  it('asks once for the same arguments and gives every caller the same answer', async () => {
    const port = countingLambda();
    const memo = memoizePort(port);
    const a = await memo.getFunction('orders-handler');
    const b = await memo.getFunction('orders-handler');
    expect(a).toEqual(info('orders-handler'));
    expect(b).toBe(a);
    expect(port.calls).toEqual(['getFunction orders-handler']);
  });

  it('asks once when the same call is made concurrently', async () => {
    let resolve: (v: StageInfo[]) => void = () => undefined;
    let calls = 0;
    const port = {
      getStages: (_apiId: string): Promise<StageInfo[]> => {
        calls++;
        return new Promise<StageInfo[]>((r) => {
          resolve = r;
        });
      },
    };
    const memo = memoizePort(port);
    const first = memo.getStages('a1b2c3d4e5');
    const second = memo.getStages('a1b2c3d4e5');
    expect(second).toBe(first);
    expect(calls).toBe(1);
    resolve([{ name: 'prod', variables: {}, methodSettings: {} }]);
    const [x, y] = await Promise.all([first, second]);
    expect(x).toEqual([{ name: 'prod', variables: {}, methodSettings: {} }]);
    expect(y).toBe(x);
  });

  it.each<[string, (m: LambdaPort) => Promise<unknown>, (m: LambdaPort) => Promise<unknown>]>([
    ['another function name', (m) => m.getFunction('orders-handler'), (m) => m.getFunction('payments-handler')],
    ['a qualifier', (m) => m.getFunction('orders-handler'), (m) => m.getFunction('orders-handler', 'live')],
    ['another qualifier', (m) => m.getFunction('orders-handler', 'live'), (m) => m.getFunction('orders-handler', 'canary')],
    ['another method with the same arguments', (m) => m.getFunction('orders-handler'), (m) => m.getPolicy('orders-handler')],
    ['arguments in another order', (m) => m.getAlias('a', 'b'), (m) => m.getAlias('b', 'a')],
  ])('asks again for %s', async (_label, one, other) => {
    const port = countingLambda();
    const memo = memoizePort(port);
    await one(memo);
    await other(memo);
    await one(memo);
    await other(memo);
    expect(port.calls).toHaveLength(2);
  });

  it('caches null answers', async () => {
    const port = countingLambda();
    const memo = memoizePort(port);
    await expect(memo.getFunction('missing')).resolves.toBeNull();
    await expect(memo.getFunction('missing')).resolves.toBeNull();
    expect(port.calls).toEqual(['getFunction missing']);
  });

  it('caches a refusal: the second caller gets the same rejection without a second call', async () => {
    const port = countingLambda();
    const memo = memoizePort(port);
    const first = memo.getReservedConcurrency('orders-handler');
    await expect(first).rejects.toThrow('AccessDeniedException: lambda:GetFunctionConcurrency on orders-handler');
    const second = memo.getReservedConcurrency('orders-handler');
    expect(second).toBe(first);
    await expect(second).rejects.toThrow('AccessDeniedException');
    expect(port.calls).toEqual(['getReservedConcurrency orders-handler']);
  });

  it('keys on argument values, not identity', async () => {
    const seen: unknown[] = [];
    const port = {
      getMetricData: (queries: { id: string }[], from: Date): Promise<number> => {
        seen.push([queries, from]);
        return Promise.resolve(seen.length);
      },
    };
    const memo = memoizePort(port);
    const from = '2026-11-25T14:00:00.000Z';
    await expect(memo.getMetricData([{ id: 'm1' }], new Date(from))).resolves.toBe(1);
    await expect(memo.getMetricData([{ id: 'm1' }], new Date(from))).resolves.toBe(1);
    await expect(memo.getMetricData([{ id: 'm2' }], new Date(from))).resolves.toBe(2);
    await expect(memo.getMetricData([{ id: 'm1' }], new Date('2026-11-25T15:00:00.000Z'))).resolves.toBe(3);
  });

  it('passes non-function properties through unchanged', () => {
    const port = countingLambda();
    const memo = memoizePort(port);
    expect(memo.region).toBe('us-east-1');
    expect(memo.calls).toBe(port.calls);
    const family = memoizePort({ family: 'v2' as const, count: 0, missing: undefined as string | undefined });
    expect(family.family).toBe('v2');
    expect(family.count).toBe(0);
    expect(family.missing).toBeUndefined();
  });

  it('calls methods with the port as `this` (class-based adapters work)', async () => {
    class Adapter {
      private readonly prefix = 'fn-';
      calls = 0;
      getPolicy(name: string): Promise<string> {
        this.calls++;
        return Promise.resolve(`${this.prefix}${name}`);
      }
    }
    const adapter = new Adapter();
    const memo = memoizePort(adapter);
    await expect(memo.getPolicy('orders')).resolves.toBe('fn-orders');
    await expect(memo.getPolicy('orders')).resolves.toBe('fn-orders');
    expect(adapter.calls).toBe(1);
  });

  it('two memoized wrappers of one port do not share a cache', async () => {
    const port = countingLambda();
    await memoizePort(port).getPolicy('orders-handler');
    await memoizePort(port).getPolicy('orders-handler');
    expect(port.calls).toEqual(['getPolicy orders-handler', 'getPolicy orders-handler']);
  });
});
