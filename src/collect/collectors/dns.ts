/** `dns`: the DNS of the HTTP backends reached over the internet; an IPv6-only host is a cause of its own. */
import type { DnsAnswer } from '../ports';
import { internetHost } from '../routes';
import { defineCollector } from './collector';
import { config } from './config';

/** HTTP backends resolved at most: beyond that, DNS is looked up for none (the failing one is unknown). */
const MAX_HOSTS = 5;

export const dns = defineCollector({
  source: 'dns',
  label: 'DNS',
  needs: [config],
  async collect(ctx) {
    const routes = (await ctx.get(config))?.routes ?? [];
    const hosts = [...new Set(routes.map((r) => internetHost(r, ctx.stage)).filter((h): h is string => h !== undefined))];
    if (hosts.length === 0 || hosts.length > MAX_HOSTS) return null;
    const answers = new Map<string, DnsAnswer>(await Promise.all(hosts.map(async (h) => [h, await ctx.ports.dns.resolve(h)] as const)));
    const unresolved = hosts.filter((h) => answers.get(h)?.resolves === false);
    const detail = hosts.map((h) => {
      const a = answers.get(h);
      return !a?.resolves ? `${h} does not resolve` : `${h}: ${a.ipv4.length} A, ${a.ipv6.length} AAAA`;
    });
    return { value: answers, detail: detail.join('; '), ok: unresolved.length === 0 };
  },
});
