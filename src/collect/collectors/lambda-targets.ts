/**
 * The Lambda functions an investigation examines. With few behind the API, all of them at once, so that
 * the access-log query stays off the critical path; with many, those of the failing route.
 */
import type { LambdaTarget } from '../lambda-policy';
import { functionsToExamine } from '../routes';
import { defineStep } from './collector';
import { config } from './config';
import { failingRoute } from './failing-route';

export const lambdaTargets = defineStep<LambdaTarget[]>({
  name: 'Lambda functions',
  needs: [config],
  uses: [failingRoute],
  async run(ctx) {
    const routes = (await ctx.get(config))?.routes ?? [];
    const all = functionsToExamine(routes, ctx.stage, Number.POSITIVE_INFINITY);
    if (all.length <= ctx.maxFunctions) return all;
    const failing = await ctx.get(failingRoute);
    return functionsToExamine(failing ? [failing] : routes, ctx.stage, ctx.maxFunctions);
  },
});
