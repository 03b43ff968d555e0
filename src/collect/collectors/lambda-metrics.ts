/** The examined functions' Lambda metrics (errors, throttles, duration), in one best-effort call. */
import { lambdaMetricQueries } from '../metric-queries';
import type { MetricSeries } from '../ports';
import { shortName } from '../routes';
import { defineStep } from './collector';
import { lambdaTargets } from './lambda-targets';

export const lambdaMetrics = defineStep<Map<string, MetricSeries> | undefined>({
  name: 'Lambda metrics',
  needs: [lambdaTargets],
  async run(ctx) {
    const targets = await ctx.get(lambdaTargets);
    if (targets.length === 0) return undefined;
    const queries = targets.flatMap((t, i) => lambdaMetricQueries(shortName(t.functionName), ctx.periodS, i, t.qualifier));
    return ctx.optional(ctx.ports.metrics.getMetricData(queries, ctx.window.from, ctx.window.to));
  },
});
