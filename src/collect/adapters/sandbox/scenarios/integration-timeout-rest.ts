/**
 * analytics-api: report-builder's Lambda timeout is 60 s, but the REST integration waits 29 s; since a
 * new query went live, reports take 40 s and more, so API Gateway gives up first and GET /reports/{id}
 * answers 504 while the function runs on. The stage's execution logging is OFF and its access log has
 * no error fields: only the status and the function's durations tell it.
 */
import type { Scenario, WorldFragment } from '../scenario';
import { timeline } from './kit';
import type { OrdersLikeIdentity } from './orders-like';
import { ordersLikeApi, ordersLikeIdentity } from './orders-like';
import { accessRow } from './rows';

const ANALYTICS = ordersLikeIdentity('analytics-api', 'a9n2l7y4t1', 'reports', { main: 'report-builder', others: ['dashboards-handler', 'report-exports-handler'] });

export function restIntegrationTimeoutApi(now: Date, id: OrdersLikeIdentity = ANALYTICS): WorldFragment {
  const t = timeline(now);
  const [r1, r2] = id.requestIds;
  return ordersLikeApi(t, id, {
    deploymentDescription: `${id.collection}: join sessions for the weekly report`,
    execution: [],
    access: [accessRow({ status: '504', resourcePath: `/${id.collection}/{id}`, httpMethod: 'GET' }, 174, r1, r2, t.span)],
    lambdaReports: { [id.functions.main]: { invocations: 820, maxDurationMs: 41_873.22, maxMemoryUsedMb: 301, memorySizeMb: 1024 } },
    main: { timeoutS: 60, memoryMb: 1024, load: { durationMaxMs: 41_873 } },
    errorsPerMinute: 3,
    executionLogging: 'OFF',
    accessFormat: MINIMAL_ACCESS_FORMAT,
    integrationLatencyMaxMs: { before: 2_400, after: 29_000 },
  });
}

/** A JSON access-log format with the status and route, and none of the error fields. */
const MINIMAL_ACCESS_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  status: '$context.status',
  responseLength: '$context.responseLength',
});

export const scenario: Scenario = {
  id: 'integration-timeout-rest',
  title: 'report-builder runs past the 29 s integration timeout (its own is 60 s): GET /reports/{id} answers 504',
  apiName: ANALYTICS.apiName,
  apiType: 'REST',
  stage: 'prod',
  status: 504,
  cause: 'integration-timeout',
  build: (now) => restIntegrationTimeoutApi(now),
};
