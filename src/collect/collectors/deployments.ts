/** The API's deployments, read early for the change timeline; a failure is kept for the `changes` source to report. */
import type { DeploymentInfo } from '../ports';
import { within } from '../failures';
import { defineStep, gatewayOf } from './collector';

export type DeploymentsRead = { ok: true; deployments: DeploymentInfo[] } | { ok: false; error: unknown };

export const deployments = defineStep<DeploymentsRead>({
  name: 'deployments',
  run: (ctx) =>
    within(gatewayOf(ctx).getDeployments(ctx.api.apiId), ctx.timeoutMs).then(
      (d): DeploymentsRead => ({ ok: true, deployments: d }),
      (error: unknown): DeploymentsRead => ({ ok: false, error }),
    ),
});
