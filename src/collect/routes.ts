/**
 * Routes and the functions behind them: which route fails (from the access logs, the execution log's
 * request paths, or the only integration), which Lambda function a route invokes on a stage, and which
 * of several functions the facts should describe. Pure.
 */
import type { ApiType } from '../diagnosis/evidence';
import { backendHost } from './config-facts';
import type { LambdaTarget } from './lambda-policy';
import { lambdaTargetFromUri } from './lambda-policy';
import type { FailingRoute, RequestPath } from './log-queries';
import { matchResourcePath } from './log-queries';
import { summariseLambdaMetrics } from './metric-queries';
import type { LambdaFunctionInfo, MetricSeries, RouteInfo, StageInfo } from './ports';

/** The route that fails most according to the access logs. */
export function routeOfFailures(routes: readonly RouteInfo[], failing: readonly FailingRoute[]): RouteInfo | undefined {
  for (const f of failing) {
    const route = routes.find(
      (r) =>
        (f.routeKey !== undefined && r.routeKey === f.routeKey) ||
        (f.resourcePath !== undefined && f.httpMethod !== undefined && r.resourcePath === f.resourcePath && (r.httpMethod === f.httpMethod || r.httpMethod === 'ANY')),
    );
    if (route) return route;
  }
  return undefined;
}

/** The only integrated route, or any of several that all reach the same target (one speaks for the rest). */
export function onlyIntegratedRoute(routes: readonly RouteInfo[]): RouteInfo | undefined {
  const integrated = routes.filter((r) => r.integration && r.integration.type !== 'MOCK');
  const [only] = integrated;
  if (only && new Set(integrated.map((r) => r.integration?.uri)).size === 1) return only;
  return undefined;
}

/** The REST method most of these requests called: each request's path matched to its closest resource template. */
export function routeOfRequests(routes: readonly RouteInfo[], requests: readonly RequestPath[]): RouteInfo | undefined {
  const votes = new Map<RouteInfo, number>();
  for (const req of requests) {
    let best: RouteInfo | undefined;
    let bestFit = -1;
    for (const r of routes) {
      if (r.resourcePath === undefined || (r.httpMethod !== req.httpMethod && r.httpMethod !== 'ANY')) continue;
      // An exact verb beats ANY on the same resource.
      const fit = matchResourcePath(r.resourcePath, req.path) * 2 + (r.httpMethod === req.httpMethod ? 1 : 0);
      if (matchResourcePath(r.resourcePath, req.path) >= 0 && fit > bestFit) {
        best = r;
        bestFit = fit;
      }
    }
    if (best) votes.set(best, (votes.get(best) ?? 0) + 1);
  }
  return [...votes].sort((a, b) => b[1] - a[1])[0]?.[0];
}

export function lambdaTargetOf(route: RouteInfo, stage: StageInfo): LambdaTarget | null {
  const uri = route.integration?.uri;
  if (!uri || (route.integration?.type !== 'AWS_PROXY' && route.integration?.type !== 'AWS')) return null;
  return lambdaTargetFromUri(uri, stage.variables);
}

/** Distinct Lambda functions behind the given routes, at most `max`. */
export function functionsToExamine(routes: readonly RouteInfo[], stage: StageInfo, max: number): LambdaTarget[] {
  const seen = new Map<string, LambdaTarget>();
  for (const r of routes) {
    const t = lambdaTargetOf(r, stage);
    if (t) seen.set(`${t.functionName}:${t.qualifier ?? ''}`, t);
  }
  return [...seen.values()].slice(0, max);
}

export function sameFunction(a: LambdaTarget | null, b: LambdaTarget): boolean {
  return a !== null && shortName(a.functionName) === shortName(b.functionName) && (a.qualifier ?? '') === (b.qualifier ?? '');
}

/** A function name from a name or an ARN. */
export function shortName(functionName: string): string {
  const m = /:function:([^:]+)/.exec(functionName);
  return m?.[1] ?? functionName;
}

/**
 * The function the facts describe: when the failing route is known there is one; otherwise the one
 * with the most errors and throttles in the window.
 */
export function chooseFunction(
  functions: readonly { target: LambdaTarget; info: LambdaFunctionInfo | null; reserved: number | undefined }[],
  series: Map<string, MetricSeries> | undefined,
  from: Date,
  to: Date,
): { target: LambdaTarget; info: LambdaFunctionInfo; reserved: number | undefined; index: number } | undefined {
  let best: { target: LambdaTarget; info: LambdaFunctionInfo; reserved: number | undefined; index: number } | undefined;
  let bestScore = -1;
  functions.forEach((f, index) => {
    if (!f.info) return;
    const m = series ? summariseLambdaMetrics(series, index, from, to) : {};
    const score = (m.lambdaErrors ?? 0) + (m.lambdaThrottles ?? 0);
    if (score > bestScore) {
      best = { target: f.target, info: f.info, reserved: f.reserved, index };
      bestScore = score;
    }
  });
  return best;
}

export function methodAndPath(route: RouteInfo, apiType: ApiType): { httpMethod?: string; resourcePath?: string } {
  if (apiType === 'WEBSOCKET') return { resourcePath: route.routeKey };
  // An HTTP API's catch-all route is named by its key in the source ARN: {apiId}/{stage}/$default.
  if (route.routeKey === '$default') return { resourcePath: '$default' };
  return { ...(route.httpMethod ? { httpMethod: route.httpMethod } : {}), ...(route.resourcePath ? { resourcePath: route.resourcePath } : {}) };
}

/** The host an HTTP integration reaches over the internet, when it is a name (not an IP literal). */
export function internetHost(route: RouteInfo, stage: StageInfo): string | undefined {
  const i = route.integration;
  if (!i?.uri || (i.type !== 'HTTP' && i.type !== 'HTTP_PROXY') || (i.connectionType ?? 'INTERNET') !== 'INTERNET') return undefined;
  const host = backendHost(i.uri, stage.variables);
  return host !== undefined && !/^[\d.]+$|:/.test(host) ? host : undefined;
}

/** The log group a function writes to unless its logging config says otherwise. */
export function lambdaLogGroup(t: LambdaTarget): string {
  return `/aws/lambda/${shortName(t.functionName)}`;
}
