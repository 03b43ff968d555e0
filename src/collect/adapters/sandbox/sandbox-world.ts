/**
 * The sandbox account: every scenario's fragment merged into one `World`, as one AWS account and Region
 * would hold them side by side. Two scenarios that define the same API (id or name), log group,
 * function, metric series, DNS host or custom domain cannot share an account: building throws.
 */
import type { MetricFixture, World } from './world';
import type { Scenario, WorldFragment } from './scenario';
import { SANDBOX_ACCOUNT, SANDBOX_REGION } from './scenario';
import { CLOUDWATCH_ROLE_ARN } from './scenarios/kit';
import { SCENARIOS } from './scenarios/index';

/** API Gateway's API ids: ten lower-case letters or digits. */
const API_ID = /^[a-z0-9]{10}$/;

function metricSeries(m: MetricFixture): string {
  const dims = Object.entries(m.dimensions).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${m.namespace} ${m.metricName} ${JSON.stringify(dims)}`;
}

/** The sandbox world at `now`: every scenario's API, logs, metrics, functions and DNS in one account. */
export function sandboxWorld(now: Date, scenarios: readonly Scenario[] = SCENARIOS): World {
  const world: World = {
    region: SANDBOX_REGION,
    accountId: SANDBOX_ACCOUNT,
    cloudwatchRoleArn: CLOUDWATCH_ROLE_ARN,
    restApis: [],
    v2Apis: [],
    logGroups: {},
    metrics: [],
    functions: {},
    dns: {},
  };
  const owner = new Map<string, string>();
  const claim = (what: string, scenarioId: string): void => {
    const previous = owner.get(what);
    if (previous !== undefined) throw new Error(`sandbox scenarios ${previous === scenarioId ? `${scenarioId} defines` : `${previous} and ${scenarioId} both define`} ${what}`);
    owner.set(what, scenarioId);
  };
  // Metric fixtures of one series may differ by statistic; one without a statistic answers them all.
  const stats = new Map<string, { scenario: string; stats: (string | undefined)[] }>();
  const claimMetric = (m: MetricFixture, scenarioId: string): void => {
    const series = metricSeries(m);
    const seen = stats.get(series);
    if (seen && (m.stat === undefined || seen.stats.includes(undefined) || seen.stats.includes(m.stat))) {
      throw new Error(`sandbox scenarios ${seen.scenario === scenarioId ? `${scenarioId} defines` : `${seen.scenario} and ${scenarioId} both define`} metric ${series}${m.stat ? ` (${m.stat})` : ''}`);
    }
    if (seen) seen.stats.push(m.stat);
    else stats.set(series, { scenario: scenarioId, stats: [m.stat] });
  };
  const merge = <T>(target: Record<string, T>, source: Record<string, T> | undefined, kind: string, scenarioId: string): void => {
    for (const [key, value] of Object.entries(source ?? {})) {
      claim(`${kind} ${key}`, scenarioId);
      target[key] = value;
    }
  };

  for (const scenario of scenarios) {
    claim(`scenario id ${scenario.id}`, scenario.id);
    const fragment: WorldFragment = scenario.build(now);
    const names = [...(fragment.restApis ?? []).map((r) => ({ id: r.api.id ?? '', name: r.api.name ?? '' })), ...(fragment.v2Apis ?? []).map((a) => ({ id: a.api.ApiId ?? '', name: a.api.Name ?? '' }))];
    if (!names.some((n) => n.name === scenario.apiName)) throw new Error(`sandbox scenario ${scenario.id} has no API named ${scenario.apiName}`);
    for (const { id, name } of names) {
      if (!API_ID.test(id)) throw new Error(`sandbox scenario ${scenario.id}: API id ${JSON.stringify(id)} is not ten lower-case letters or digits`);
      claim(`API id ${id}`, scenario.id);
      claim(`API name ${name}`, scenario.id);
    }
    world.restApis.push(...(fragment.restApis ?? []));
    world.v2Apis.push(...(fragment.v2Apis ?? []));
    for (const m of fragment.metrics ?? []) claimMetric(m, scenario.id);
    world.metrics.push(...(fragment.metrics ?? []));
    merge(world.logGroups, fragment.logGroups, 'log group', scenario.id);
    merge(world.functions, fragment.functions, 'function', scenario.id);
    merge(world.dns, fragment.dns, 'DNS host', scenario.id);
    if (fragment.basePathMappings) merge((world.basePathMappings ??= {}), fragment.basePathMappings, 'custom domain (REST)', scenario.id);
    if (fragment.apiMappings) merge((world.apiMappings ??= {}), fragment.apiMappings, 'custom domain', scenario.id);
  }
  return world;
}

/** The scenario with this id. */
export function findScenario(id: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.id === id);
}
