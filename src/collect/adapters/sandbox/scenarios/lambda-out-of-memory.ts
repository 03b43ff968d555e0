/**
 * media-api: thumbnails-handler now decodes whole images in memory; large uploads take it past its
 * 1,024 MB, the runtime is killed and POST /thumbnails answers 502. The error Lambda returns names only
 * "signal: killed"; the REPORT lines show Max Memory Used at Memory Size.
 */
import type { Scenario, WorldFragment } from '../scenario';
import { timeline, uuidFrom } from './kit';
import type { OrdersLikeIdentity } from './orders-like';
import { ordersLikeApi, ordersLikeIdentity } from './orders-like';
import { accessRow, messageRow } from './rows';

const MEDIA = ordersLikeIdentity('media-api', 'm3d1a4p8i2', 'thumbnails', { main: 'thumbnails-handler', others: ['uploads-handler', 'galleries-handler'] });

export function outOfMemoryApi(now: Date, id: OrdersLikeIdentity = MEDIA): WorldFragment {
  const t = timeline(now);
  const [r1, r2] = id.requestIds;
  const [l1, l2] = [uuidFrom(`${id.apiId}/lambda/1`), uuidFrom(`${id.apiId}/lambda/2`)];
  const killed = `RequestId: ${l1} Error: Runtime exited with error: signal: killed`;
  return ordersLikeApi(t, id, {
    deploymentDescription: `${id.collection}: decode with sharp, keep originals in memory`,
    execution: [
      messageRow('Method completed with status: 502', 57, r1, r2, t.span),
      messageRow(`Endpoint response body before transformations: {"errorType":"Runtime.ExitError","errorMessage":"${killed}"}`, 57, r1, r2, t.span),
      messageRow(`Lambda execution failed with status 200 due to customer function error: ${killed}. Lambda request id: ${l1}`, 57, r1, r2, t.span),
    ],
    access: [accessRow({ status: '502', resourcePath: `/${id.collection}/{id}`, httpMethod: 'GET', integrationErrorMessage: '-', errorMessage: 'Internal server error', responseType: 'DEFAULT_5XX', integrationStatus: '200' }, 57, r1, r2, t.span)],
    lambdaLogs: {
      [id.functions.main]: [
        messageRow(`${killed}\nRuntime.ExitError`, 57, l1, l2, t.span),
      ],
    },
    lambdaReports: { [id.functions.main]: { invocations: 1_240, maxDurationMs: 2817.45, maxMemoryUsedMb: 1024, memorySizeMb: 1024 } },
    main: { memoryMb: 1024, timeoutS: 30, load: { errors: 1, durationMaxMs: 2817 } },
    errorsPerMinute: 1,
  });
}

export const scenario: Scenario = {
  id: 'lambda-out-of-memory',
  title: 'thumbnails-handler runs out of its 1,024 MB and is killed: GET /thumbnails/{id} answers 502',
  apiName: MEDIA.apiName,
  apiType: 'REST',
  stage: 'prod',
  status: 502,
  cause: 'lambda-out-of-memory',
  build: (now) => outOfMemoryApi(now),
};
