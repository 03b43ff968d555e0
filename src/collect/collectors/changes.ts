/** `changes`: deployments, stage updates and Lambda changes, lined up with when the errors began. */
import type { ChangeCorrelation } from '../changes';
import { changeEvents, correlateChanges } from '../changes';
import type { LambdaFunctionInfo } from '../ports';
import { defineCollector } from './collector';
import { deployments } from './deployments';
import { functions } from './functions';
import { metrics } from './metrics';

export const changes = defineCollector({
  source: 'changes',
  label: 'changes',
  needs: [deployments, functions, metrics],
  async collect(ctx) {
    const read = await ctx.get(deployments);
    if (!read.ok) throw read.error;
    const examined = await ctx.get(functions);
    const aliases = new Map(examined.flatMap((f) => (f.info && f.alias ? [[f.info.functionName, f.alias] as const] : [])));
    const events = changeEvents(
      ctx.stage,
      read.deployments,
      examined.map((f) => f.info).filter((f): f is LambdaFunctionInfo => f !== null),
      aliases,
    );
    const correlation: ChangeCorrelation = correlateChanges(events, ctx.window, (await ctx.get(metrics))?.onset);
    const detail = correlation.summary ?? `${correlation.events.length} change${correlation.events.length === 1 ? '' : 's'} in the window`;
    return Promise.resolve({ value: correlation, detail });
  },
});
