import { NodeDns } from '../../../../../src/collect/adapters/dns/dns';
import type { ResolverLike } from '../../../../../src/collect/adapters/dns/dns';

/** A DNS failure as Node's c-ares resolver reports it. */
function dnsError(syscall: 'queryA' | 'queryAaaa', code: string, host: string): Error {
  return Object.assign(new Error(`${syscall} ${code} ${host}`), { code, syscall, hostname: host });
}

type Answer = string[] | string;

/** A resolver that answers from a table: a list of addresses, or an error code. */
function fake(a: Answer, aaaa: Answer): ResolverLike & { asked: string[] } {
  const asked: string[] = [];
  const answer = (syscall: 'queryA' | 'queryAaaa', what: Answer, host: string): Promise<string[]> => {
    asked.push(`${syscall} ${host}`);
    return typeof what === 'string' ? Promise.reject(dnsError(syscall, what, host)) : Promise.resolve(what);
  };
  return { asked, resolve4: (h) => answer('queryA', a, h), resolve6: (h) => answer('queryAaaa', aaaa, h) };
}

describe('NodeDns.resolve', () => {
  it('a host with only AAAA records', async () => {
    const resolver = fake('ENODATA', ['2600:1f18:24e6:b900:cd4:5ba9:8a2f:13d0']);
    await expect(new NodeDns({ resolver }).resolve('orders.internal.example.com')).resolves.toEqual({
      resolves: true,
      ipv4: [],
      ipv6: ['2600:1f18:24e6:b900:cd4:5ba9:8a2f:13d0'],
    });
    expect(resolver.asked.sort()).toEqual(['queryA orders.internal.example.com', 'queryAaaa orders.internal.example.com']);
  });

  it('a host with both', async () => {
    const dns = new NodeDns({ resolver: fake(['52.94.236.248', '54.239.28.85'], ['2600:1f18:24e6:b900::1']) });
    await expect(dns.resolve('backend.example.com')).resolves.toEqual({ resolves: true, ipv4: ['52.94.236.248', '54.239.28.85'], ipv6: ['2600:1f18:24e6:b900::1'] });
  });

  it('NXDOMAIN: the name does not resolve', async () => {
    const dns = new NodeDns({ resolver: fake('ENOTFOUND', 'ENOTFOUND') });
    await expect(dns.resolve('ordres.example.com')).resolves.toEqual({ resolves: false, ipv4: [], ipv6: [] });
  });

  it('ENODATA on both: the name exists without addresses', async () => {
    const dns = new NodeDns({ resolver: fake('ENODATA', 'ENODATA') });
    await expect(dns.resolve('example.com')).resolves.toEqual({ resolves: true, ipv4: [], ipv6: [] });
  });

  it.each(['ETIMEOUT', 'ESERVFAIL', 'ECONNREFUSED'])('%s says nothing about the name: rejects naming host and code', async (code) => {
    const dns = new NodeDns({ resolver: fake(['52.94.236.248'], code) });
    await expect(dns.resolve('backend.example.com')).rejects.toThrow(`DNS lookup of backend.example.com failed: ${code}`);
  });

  it('an IP literal is its own answer, without a query', async () => {
    const resolver = fake('ENOTFOUND', 'ENOTFOUND');
    const dns = new NodeDns({ resolver });
    await expect(dns.resolve('10.0.12.7')).resolves.toEqual({ resolves: true, ipv4: ['10.0.12.7'], ipv6: [] });
    await expect(dns.resolve('2600:1f18::1')).resolves.toEqual({ resolves: true, ipv4: [], ipv6: ['2600:1f18::1'] });
    expect(resolver.asked).toEqual([]);
  });

  it('builds a Resolver with the timeout (default 2,000 ms) and two tries', async () => {
    const made: unknown[] = [];
    await jest.isolateModulesAsync(async () => {
      jest.doMock('node:dns/promises', () => ({
        Resolver: class {
          constructor(options: unknown) {
            made.push(options);
          }
        },
      }));
      const { NodeDns: Fresh } = await import('../../../../../src/collect/adapters/dns/dns');
      new Fresh();
      new Fresh({ timeoutMs: 500 });
    });
    expect(made).toEqual([
      { timeout: 2_000, tries: 2 },
      { timeout: 500, tries: 2 },
    ]);
  });
});
