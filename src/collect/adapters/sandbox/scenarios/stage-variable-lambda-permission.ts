/**
 * pricing-api: the integration picks its function with ${stageVariables.pricingFunction}. Two minutes
 * before the errors the prod stage's variable was switched from pricing-engine-v1 to pricing-engine-v2,
 * which nobody gave the invoke permission: "Invalid permissions on Lambda function", 500.
 */
import type { Scenario, WorldFragment } from '../scenario';
import { ACCESS_FORMAT_JSON, DAY, HOUR, combine, executeApiArn, functionMetrics, invokePolicy, lambdaFunction, lambdaLogGroup, lambdaProxyMethod, timeline, uuidFrom } from './kit';
import { resourceTree, restApi } from './rest-api';
import { accessRow, messageRow } from './rows';

const API_ID = 'p1r2c3n4g5';
const V1 = 'pricing-engine-v1';
const V2 = 'pricing-engine-v2';

export function stageVariableLambdaPermissionApi(now: Date): WorldFragment {
  const t = timeline(now);
  const [r1, r2] = [uuidFrom(`${API_ID}/request/1`), uuidFrom(`${API_ID}/request/2`)];
  const selected = '${stageVariables.pricingFunction}';
  return combine(
    restApi({
      apiId: API_ID,
      apiName: 'pricing-api',
      description: 'Prices per SKU; the engine is chosen per stage',
      created: t.ago(330 * DAY),
      resources: resourceTree(API_ID, { '/prices/{sku}': { GET: (id) => lambdaProxyMethod('GET', id, selected) } }),
      stage: {
        name: 'prod',
        variables: { pricingFunction: V2 },
        // Only the variable changed: the stage was updated, nothing was deployed.
        updated: t.changedAt,
        accessLog: {
          format: ACCESS_FORMAT_JSON,
          rows: [accessRow({ status: '500', resourcePath: '/prices/{sku}', httpMethod: 'GET', integrationErrorMessage: '-', errorMessage: 'Internal server error', responseType: 'DEFAULT_5XX', integrationStatus: '-' }, 522, r1, r2, t.span)],
        },
      },
      deployments: [{ id: 's2x7d4', description: 'pricing: engine per stage', at: t.ago(3 * DAY + 6 * HOUR) }],
      execution: [
        messageRow('Method completed with status: 500', 522, r1, r2, t.span),
        messageRow('Execution failed due to configuration error: Invalid permissions on Lambda function', 522, r1, r2, t.span),
      ],
      onset: t.onset,
      traffic: { errorsPerMinute: 9, count: 9 },
    }),
    {
      functions: {
        [V1]: lambdaFunction({ name: V1, lastModified: t.ago(90 * DAY), policy: invokePolicy(V1, [{ sid: 'pricing-api-prod', sourceArn: executeApiArn(API_ID, '*/GET/prices/*') }]) }),
        // Published for the switch; `aws lambda add-permission` was never run for it.
        [V2]: lambdaFunction({ name: V2, memoryMb: 1024, lastModified: t.ago(1 * DAY + 2 * HOUR) }),
      },
      logGroups: { [lambdaLogGroup(V1)]: [], [lambdaLogGroup(V2)]: [] },
      metrics: [...functionMetrics(V1, t.onset, { invocations: 0 }), ...functionMetrics(V2, t.onset, { invocations: 0 })],
    },
  );
}

export const scenario: Scenario = {
  id: 'stage-variable-lambda-permission',
  title: 'a stage variable now selects a function without the invoke permission: 500',
  apiName: 'pricing-api',
  apiType: 'REST',
  stage: 'prod',
  status: 500,
  cause: 'stage-variable-lambda-permission',
  build: (now) => stageVariableLambdaPermissionApi(now),
};
