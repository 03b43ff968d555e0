/**
 * The sandbox's scenarios (src/collect/adapters/sandbox/scenarios/) as single-API worlds for the
 * investigation's integration tests, built at a fixed "now" (15:00 UTC on 2026-11-25): the window asked
 * about is 14:00–15:00 and errors begin 14:02. The REST variants all use the `orders-api` identity
 * (a1b2c3d4e5, orders-handler, resource x1y2z3) that the tests name, whatever API the sandbox gives them.
 */
import type { LogRow } from '../../src/collect/adapters/sandbox/scenarios/rows';
import * as rows from '../../src/collect/adapters/sandbox/scenarios/rows';
import type { Scenario, WorldFragment } from '../../src/collect/adapters/sandbox/scenario';
import { SANDBOX_ACCOUNT, SANDBOX_REGION } from '../../src/collect/adapters/sandbox/scenario';
import { sandboxWorld } from '../../src/collect/adapters/sandbox/sandbox-world';
import { timeline } from '../../src/collect/adapters/sandbox/scenarios/kit';
import { ORDERS, malformedProxyResponseApi, scenario as malformed } from '../../src/collect/adapters/sandbox/scenarios/malformed-lambda-proxy-response';
import { lambdaInvokePermissionApi, scenario as invokePermission } from '../../src/collect/adapters/sandbox/scenarios/lambda-invoke-permission';
import { lambdaTimeoutApi, scenario as timeout } from '../../src/collect/adapters/sandbox/scenarios/lambda-timeout';
import { lambdaThrottledApi, scenario as throttled } from '../../src/collect/adapters/sandbox/scenarios/lambda-throttled';
import { canaryFunctionErrorApi, scenario as functionError } from '../../src/collect/adapters/sandbox/scenarios/lambda-function-error';
import { scenario as integrationTimeout } from '../../src/collect/adapters/sandbox/scenarios/integration-timeout';
import { scenario as ipv6Only } from '../../src/collect/adapters/sandbox/scenarios/ipv6-only-backend';
import { scenario as noLogging } from '../../src/collect/adapters/sandbox/scenarios/http-api-no-logging';
import type { World } from './aws-world';

export { ACCESS_FORMAT_JSON, HTTP_ACCESS_FORMAT_JSON } from '../../src/collect/adapters/sandbox/scenarios/kit';
export { insightsTime } from '../../src/collect/adapters/sandbox/scenarios/rows';

export const REGION = SANDBOX_REGION;
export const ACCOUNT = SANDBOX_ACCOUNT;
const NOW = new Date('2026-11-25T15:00:00Z');
const T = timeline(NOW);
export const WINDOW = { from: T.from, to: NOW };
export const ONSET = T.onset;

/** An aggregated row of the execution/Lambda message-groups query, first seen 11 s after `first`. */
export function messageRow(message: string, n: number, r1: string, r2: string, first = ONSET, last = T.span.last): LogRow {
  return rows.messageRow(message, n, r1, r2, { first: new Date(first.getTime() + 11_121), last });
}

/** An aggregated row of the access-failures query (columns `f_<field>`), over the errors' span. */
export function accessRow(fields: Record<string, string>, n: number, r1: string, r2: string): LogRow {
  return rows.accessRow(fields, n, r1, r2, T.span);
}

/** One scenario on its own, its API given the identity the tests know. */
function single(scenario: Scenario, build?: (now: Date) => WorldFragment, apiName = scenario.apiName): World {
  return sandboxWorld(NOW, [{ ...scenario, apiName, build: build ?? ((now) => scenario.build(now)) }]);
}

export const malformedProxyResponse = (): World => single(malformed);

export const lambdaInvokePermission = (): World => single(invokePermission, (now) => lambdaInvokePermissionApi(now, ORDERS), ORDERS.apiName);

export const lambdaTimeout = (): World => single(timeout, (now) => lambdaTimeoutApi(now, ORDERS), ORDERS.apiName);

export const lambdaThrottled = (): World => single(throttled, (now) => lambdaThrottledApi(now, ORDERS), ORDERS.apiName);

/** GET /orders/{id} invokes orders-handler:live, a weighted alias sending 10% to a version that throws. */
export const canaryAliasFunctionError = (): World => single(functionError, (now) => canaryFunctionErrorApi(now, ORDERS), ORDERS.apiName);

export const httpIntegrationTimeout = (): World => single(integrationTimeout);

export const ipv6OnlyBackend = (): World => single(ipv6Only);

export const httpNoLogging = (): World => single(noLogging);

/**
 * The malformed proxy response on a stage with execution logs at INFO but no access logs: which method
 * fails comes from the "HTTP Method:" lines of the failing requests.
 */
export const malformedWithoutAccessLogs = (): World => single(malformed, (now) => malformedProxyResponseApi(now, ORDERS, { accessLogs: false }));
