/** `config`: the API's routes (REST methods with `embed=methods`) and integrations, authorizers and account settings. */
import type { AccountInfo, AuthorizerInfo, RouteInfo } from '../ports';
import { defineCollector, gatewayOf } from './collector';

export interface ApiConfig {
  routes: RouteInfo[];
  authorizers: AuthorizerInfo[];
  /** REST and WebSocket only (the CloudWatch role is an account setting of API Gateway v1). */
  account?: AccountInfo;
}

export const config = defineCollector({
  source: 'config',
  label: 'config',
  async collect(ctx) {
    const { api, stage } = ctx;
    const gw = gatewayOf(ctx);
    const [routes, authorizers, account] = await Promise.all([
      gw.getRoutes(api.apiId),
      gw.getAuthorizers(api.apiId),
      api.apiType === 'HTTP' ? Promise.resolve(undefined) : ctx.optional(ctx.ports.account.getAccount()),
    ]);
    const integrated = routes.filter((r) => r.integration && r.integration.type !== 'MOCK').length;
    const value: ApiConfig = { routes, authorizers, ...(account ? { account } : {}) };
    return { value, detail: `${routes.length} ${api.apiType === 'REST' ? 'methods' : 'routes'}, ${integrated} integrated, stage ${stage.name}` };
  },
});
