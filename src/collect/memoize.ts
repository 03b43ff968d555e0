/**
 * Caches a port's answers for the length of one investigation: the stage list read to resolve the
 * target is the one the config collector reads, and two collectors asking for the same function ask
 * AWS once. Failures are cached too, so a refused call is not repeated within the investigation.
 */
export function memoizePort<T extends object>(port: T): T {
  const cache = new Map<string, unknown>();
  return new Proxy(port, {
    get(target, property, receiver): unknown {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]): unknown => {
        // f('x') and f('x', undefined) are the same call.
        let n = args.length;
        while (n > 0 && args[n - 1] === undefined) n--;
        const key = `${String(property)}(${JSON.stringify(args.slice(0, n))})`;
        if (!cache.has(key)) cache.set(key, Reflect.apply(value, target, args));
        return cache.get(key);
      };
    },
  });
}
