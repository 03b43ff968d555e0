/**
 * Which route fails: the access logs say; without them, the execution log's "HTTP Method:" lines of a
 * few failing requests matched to resource templates; else the only integration there is.
 */
import { executionLogGroup, MAX_PATH_LOOKUPS, parseRequestPaths, requestPathsQuery } from '../log-queries';
import type { RouteInfo } from '../ports';
import { onlyIntegratedRoute, routeOfFailures, routeOfRequests } from '../routes';
import { accessLogs } from './access-logs';
import { defineStep } from './collector';
import { config } from './config';
import { executionLogs } from './execution-logs';

export const failingRoute = defineStep<RouteInfo | undefined>({
  name: 'failing route',
  needs: [config],
  uses: [accessLogs, executionLogs],
  async run(ctx) {
    const routes = (await ctx.get(config))?.routes ?? [];
    const fromAccess = routeOfFailures(routes, (await ctx.get(accessLogs))?.routes ?? []);
    if (fromAccess) return fromAccess;
    const only = onlyIntegratedRoute(routes);
    if (only || ctx.api.apiType !== 'REST') return only;
    const failingIds = ((await ctx.get(executionLogs)) ?? [])
      .filter((l) => l.message.includes('Method completed with status: 5'))
      .flatMap((l) => [l.requestId, ...(l.requestIds ?? [])])
      .filter((id): id is string => id !== undefined);
    const queryString = requestPathsQuery(failingIds);
    if (!queryString) return undefined;
    const { window, api, stage } = ctx;
    const result = await ctx.optional(ctx.query({ logGroups: [executionLogGroup(api.apiId, stage.name)], queryString, from: window.from, to: window.to, limit: MAX_PATH_LOOKUPS * 2 }, ctx.now() + ctx.timeoutMs));
    return routeOfRequests(routes, parseRequestPaths(result?.rows ?? []));
  },
});
