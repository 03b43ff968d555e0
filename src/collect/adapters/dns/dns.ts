/**
 * {@link DnsPort} over Node's c-ares resolver (`node:dns/promises` `Resolver`), which asks the DNS
 * servers directly instead of going through the OS (`getaddrinfo`), so a timeout applies and the A and
 * AAAA answers are told apart: an integration host that has only AAAA records fails from API Gateway.
 */
import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { DnsAnswer, DnsPort } from '../../ports';

/** What {@link NodeDns} needs of a resolver; tests hand in a fake. */
export interface ResolverLike {
  resolve4(host: string): Promise<string[]>;
  resolve6(host: string): Promise<string[]>;
}

export interface NodeDnsOptions {
  /** Per-query timeout handed to the resolver. Default 2,000 ms. */
  timeoutMs?: number;
  /** A resolver to use instead of a new `Resolver({ timeout: timeoutMs, tries: 2 })`. */
  resolver?: ResolverLike;
}

/** The DNS error codes Node reports (`dns.NODATA`, `dns.NOTFOUND`). */
const NODATA = 'ENODATA';
const NOTFOUND = 'ENOTFOUND';

type Lookup = { kind: 'ok'; addresses: string[] } | { kind: 'nodata' } | { kind: 'notfound' } | { kind: 'error'; code: string };

function codeOf(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : e instanceof Error ? e.message : String(e);
}

async function lookup(resolve: (host: string) => Promise<string[]>, host: string): Promise<Lookup> {
  try {
    return { kind: 'ok', addresses: await resolve(host) };
  } catch (e) {
    const code = codeOf(e);
    if (code === NODATA) return { kind: 'nodata' };
    if (code === NOTFOUND) return { kind: 'notfound' };
    return { kind: 'error', code };
  }
}

export class NodeDns implements DnsPort {
  private readonly resolver: ResolverLike;

  constructor(options: NodeDnsOptions = {}) {
    // Two tries: one lost UDP packet should not read as "does not resolve".
    this.resolver = options.resolver ?? new Resolver({ timeout: options.timeoutMs ?? 2_000, tries: 2 });
  }

  /**
   * A and AAAA lookups in parallel. `ENODATA` (the name exists but has no such records) gives an empty
   * list; `ENOTFOUND` (NXDOMAIN) on both gives `resolves: false`. Any other failure (`ETIMEOUT`,
   * `ESERVFAIL`, …) says nothing about the name, so it rejects with an error naming the host and code
   * rather than guessing. An IP literal resolves to itself without a query.
   */
  async resolve(host: string): Promise<DnsAnswer> {
    const family = isIP(host);
    if (family === 4) return { resolves: true, ipv4: [host], ipv6: [] };
    if (family === 6) return { resolves: true, ipv4: [], ipv6: [host] };
    const [a, aaaa] = await Promise.all([lookup((h) => this.resolver.resolve4(h), host), lookup((h) => this.resolver.resolve6(h), host)]);
    for (const r of [a, aaaa]) {
      if (r.kind === 'error') throw new Error(`DNS lookup of ${host} failed: ${r.code}`);
    }
    const ipv4 = a.kind === 'ok' ? a.addresses : [];
    const ipv6 = aaaa.kind === 'ok' ? aaaa.addresses : [];
    // Any answer or NODATA proves the name exists; only NXDOMAIN on both says it does not.
    const resolves = !(a.kind === 'notfound' && aaaa.kind === 'notfound');
    return { resolves, ipv4, ipv6 };
  }
}
