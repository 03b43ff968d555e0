/** Each examined function's configuration, reserved concurrency and (for an alias) its routing: best effort. */
import type { LambdaTarget } from '../lambda-policy';
import type { LambdaAliasInfo, LambdaFunctionInfo } from '../ports';
import { defineStep } from './collector';
import { lambdaTargets } from './lambda-targets';

export interface ExaminedFunction {
  target: LambdaTarget;
  /** Null when it could not be read. */
  info: LambdaFunctionInfo | null;
  reserved: number | undefined;
  alias: LambdaAliasInfo | undefined;
}

export const functions = defineStep<ExaminedFunction[]>({
  name: 'function settings',
  needs: [lambdaTargets],
  async run(ctx) {
    const lambda = ctx.ports.lambda;
    return Promise.all(
      (await ctx.get(lambdaTargets)).map(async (t): Promise<ExaminedFunction> => {
        // An alias (not a version number or $LATEST) may split traffic between versions: a canary.
        const isAlias = t.qualifier !== undefined && !/^(?:\d+|\$LATEST)$/.test(t.qualifier);
        const [info, reserved, alias] = await Promise.all([
          ctx.optional(lambda.getFunction(t.functionName, t.qualifier)),
          ctx.optional(lambda.getReservedConcurrency(t.functionName)),
          isAlias && t.qualifier ? ctx.optional(lambda.getAlias(t.functionName, t.qualifier)) : Promise.resolve(undefined),
        ]);
        return { target: t, info: info ?? null, reserved, alias: alias ?? undefined };
      }),
    );
  },
});
