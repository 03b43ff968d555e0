/**
 * claims-api: POST /claims invokes claims-intake with a credentials role instead of a resource policy.
 * The role's trust policy was tightened with an aws:SourceAccount condition, so API Gateway can no longer
 * assume it: "API Gateway does not have permission to assume the provided role", 500.
 */
import type { Scenario, WorldFragment } from '../scenario';
import { ACCESS_FORMAT_JSON, DAY, HOUR, combine, executeApiArn, functionMetrics, invokePolicy, lambdaFunction, lambdaLogGroup, lambdaProxyMethod, roleArn, timeline, uuidFrom } from './kit';
import { resourceTree, restApi } from './rest-api';
import { accessRow, messageRow } from './rows';

const API_ID = 'c1a2i3m4s5';
const INTAKE = 'claims-intake';
const READER = 'claims-reader';
const ROLE = roleArn('claims-api-invoke');

export function integrationRolePermissionApi(now: Date): WorldFragment {
  const t = timeline(now);
  const [r1, r2] = [uuidFrom(`${API_ID}/request/1`), uuidFrom(`${API_ID}/request/2`)];
  return combine(
    restApi({
      apiId: API_ID,
      apiName: 'claims-api',
      description: 'Insurance claims intake',
      created: t.ago(390 * DAY),
      resources: resourceTree(API_ID, {
        '/claims': { POST: (id) => lambdaProxyMethod('POST', id, INTAKE, { credentials: ROLE }) },
        '/claims/{id}': { GET: (id) => lambdaProxyMethod('GET', id, READER) },
      }),
      stage: {
        name: 'prod',
        accessLog: {
          format: ACCESS_FORMAT_JSON,
          rows: [accessRow({ status: '500', resourcePath: '/claims', httpMethod: 'POST', integrationErrorMessage: '-', errorMessage: 'Internal server error', responseType: 'DEFAULT_5XX', integrationStatus: '-' }, 377, r1, r2, t.span)],
        },
      },
      deployments: [{ id: 'h5j2n8', description: 'claims: attachments up to 5 MB', at: t.ago(6 * DAY + 2 * HOUR) }],
      execution: [
        messageRow('Method completed with status: 500', 377, r1, r2, t.span),
        messageRow(`Execution failed due to configuration error: API Gateway does not have permission to assume the provided role ${ROLE}`, 377, r1, r2, t.span),
      ],
      onset: t.onset,
      traffic: { errorsPerMinute: 6, count: 48 },
    }),
    {
      functions: {
        // Invoked with the role, so it has no resource policy of its own.
        [INTAKE]: lambdaFunction({ name: INTAKE, runtime: 'java21', handler: 'com.example.claims.IntakeHandler::handleRequest', memoryMb: 2048, timeoutS: 25, codeSize: 18_402_113, lastModified: t.ago(6 * DAY + 2 * HOUR + 5 * 60_000) }),
        [READER]: lambdaFunction({ name: READER, lastModified: t.ago(40 * DAY), policy: invokePolicy(READER, [{ sid: 'claims-api-read', sourceArn: executeApiArn(API_ID, '*/GET/claims/*') }]) }),
      },
      logGroups: { [lambdaLogGroup(INTAKE)]: [], [lambdaLogGroup(READER)]: [] },
      metrics: [...functionMetrics(INTAKE, t.onset, { invocations: 0 }), ...functionMetrics(READER, t.onset, { invocations: 40 })],
    },
  );
}

export const scenario: Scenario = {
  id: 'integration-role-permission',
  title: "API Gateway can no longer assume POST /claims's credentials role: 500",
  apiName: 'claims-api',
  apiType: 'REST',
  stage: 'prod',
  status: 500,
  cause: 'integration-role-permission',
  build: (now) => integrationRolePermissionApi(now),
};
