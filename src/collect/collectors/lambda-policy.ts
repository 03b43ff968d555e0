/**
 * `lambda-policy`: whether each examined function's resource policy lets this API invoke it, per route.
 * Without the account id the source ARN cannot be written, and a guess would read as "not allowed".
 */
import type { InvokeVerdict, LambdaTarget } from '../lambda-policy';
import { executeApiSourceArn, policyAllowsInvoke } from '../lambda-policy';
import type { RouteInfo } from '../ports';
import { lambdaTargetOf, methodAndPath, sameFunction, shortName } from '../routes';
import { defineCollector } from './collector';
import { config } from './config';
import { failingRoute } from './failing-route';
import { lambdaTargets } from './lambda-targets';

export interface RouteInvokeVerdict extends InvokeVerdict {
  target: LambdaTarget;
  route: RouteInfo;
}

export const lambdaPolicy = defineCollector({
  source: 'lambda-policy',
  label: 'Lambda policy',
  needs: [lambdaTargets, config],
  uses: [failingRoute],
  async collect(ctx) {
    const { api, stage, accountId } = ctx;
    const targets = await ctx.get(lambdaTargets);
    if (targets.length === 0 || accountId === undefined) return null;
    const routes = (await ctx.get(config))?.routes ?? [];
    const verdicts = await Promise.all(
      targets.map(async (t) => {
        const policy = await ctx.ports.lambda.getPolicy(t.functionName, t.qualifier);
        return routes
          .filter((r) => sameFunction(lambdaTargetOf(r, stage), t))
          .map((route): RouteInvokeVerdict => ({ target: t, route, ...policyAllowsInvoke(policy, executeApiSourceArn({ region: ctx.ports.region, accountId, apiId: api.apiId, stage: stage.name, ...methodAndPath(route, api.apiType) }), accountId) }));
      }),
    );
    const all = verdicts.flat();
    // The failing route's verdict first: that is the one the answer turns on.
    const failing = await ctx.get(failingRoute);
    const own = failing ? all.find((v) => v.route === failing) : undefined;
    const others = all.filter((v) => v !== own && !v.allowed);
    const describe = (v: RouteInvokeVerdict): string => `${v.route.routeKey} → ${shortName(v.target.functionName)}`;
    const parts = [
      own ? `${describe(own)}: ${own.allowed ? 'allowed' : `not allowed (${own.reason})`}` : others.length === 0 ? `API Gateway may invoke ${targets.map((t) => shortName(t.functionName)).join(', ')}` : '',
      others.length > 0 ? `${others.length} ${own ? 'other ' : ''}route${others.length === 1 ? '' : 's'} may not invoke ${others.length === 1 ? 'its' : 'their'} function: ${others.slice(0, 2).map(describe).join(', ')}${others.length > 2 ? ', …' : ''}` : '',
    ];
    // ✓ when the route that fails (or, not knowing it, every route) may invoke its function.
    return { value: all, detail: parts.filter((p) => p !== '').join('; '), ok: own ? own.allowed : others.length === 0 };
  },
});
