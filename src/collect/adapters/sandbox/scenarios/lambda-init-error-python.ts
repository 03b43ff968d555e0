/**
 * profiles-api: a deployment rebuilt profiles-handler (Python 3.12) without its `requests` dependency, so
 * the runtime cannot import the handler module: every invocation fails during init and GET /profiles/{id}
 * answers 502. Lambda's error comes back as the response body, and the function's own log shows the
 * Python import error and the failed init.
 */
import type { Scenario, WorldFragment } from '../scenario';
import { timeline, uuidFrom } from './kit';
import type { OrdersLikeIdentity } from './orders-like';
import { ordersLikeApi, ordersLikeIdentity } from './orders-like';
import { accessRow, messageRow } from './rows';

const PROFILES = ordersLikeIdentity('profiles-api', 'p7r0f1l3s9', 'profiles', { main: 'profiles-handler', others: ['avatars-handler', 'settings-handler'] });

const IMPORT_ERROR = "Unable to import module 'app': No module named 'requests'";

export function pythonInitErrorApi(now: Date, id: OrdersLikeIdentity = PROFILES): WorldFragment {
  const t = timeline(now);
  const [r1, r2] = id.requestIds;
  const [l1, l2] = [uuidFrom(`${id.apiId}/lambda/1`), uuidFrom(`${id.apiId}/lambda/2`)];
  return ordersLikeApi(t, id, {
    deploymentDescription: `${id.collection}: slim the deployment package`,
    execution: [
      messageRow('Method completed with status: 502', 402, r1, r2, t.span),
      messageRow(`Endpoint response body before transformations: {"errorMessage": "${IMPORT_ERROR}", "errorType": "Runtime.ImportModuleError", "requestId": "", "stackTrace": []}`, 402, r1, r2, t.span),
      messageRow(`Lambda execution failed with status 200 due to customer function error: ${IMPORT_ERROR}. Lambda request id: ${l1}`, 402, r1, r2, t.span),
    ],
    access: [accessRow({ status: '502', resourcePath: `/${id.collection}/{id}`, httpMethod: 'GET', integrationErrorMessage: '-', errorMessage: 'Internal server error', responseType: 'DEFAULT_5XX', integrationStatus: '200' }, 402, r1, r2, t.span)],
    lambdaLogs: {
      [id.functions.main]: [
        messageRow(`[ERROR] Runtime.ImportModuleError: ${IMPORT_ERROR}\nTraceback (most recent call last):`, 402, l1, l2, t.span),
        messageRow('INIT_REPORT Init Duration: 212.47 ms\tPhase: invoke\tStatus: error\tError Type: Runtime.ImportModuleError', 402, l1, l2, t.span),
      ],
    },
    main: { runtime: 'python3.12', handler: 'app.handler', load: { errors: 7 } },
    errorsPerMinute: 7,
  });
}

export const scenario: Scenario = {
  id: 'lambda-init-error-python',
  title: "profiles-handler (Python) cannot import its module: every GET /profiles/{id} answers 502",
  apiName: PROFILES.apiName,
  apiType: 'REST',
  stage: 'prod',
  status: 502,
  cause: 'lambda-function-error',
  build: (now) => pythonInitErrorApi(now),
};
