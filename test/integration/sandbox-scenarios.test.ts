/**
 * The sandbox account: every scenario merged into one world, investigated through real SDK clients that
 * the sandbox answers (no aws-sdk-client-mock), must give the scenario's cause as the first finding. The
 * world itself must be realistic where it can be checked: one account without clashes, reproducible,
 * every log row inside the hour asked about and of the kind the investigation's queries return.
 */
import type { Scenario } from '../../src/collect/adapters/sandbox/scenario';
import { findScenario, sandboxWorld } from '../../src/collect/adapters/sandbox/sandbox-world';
import { SCENARIOS } from '../../src/collect/adapters/sandbox/scenarios/index';
import type { LogRows, World } from '../../src/collect/adapters/sandbox/world';
import type { Investigation } from '../../src/collect/investigate';
import { investigate } from '../../src/collect/investigate';
import type { LogLiterals } from '../../src/collect/log-literals';
import { logLiteralsOf } from '../../src/collect/log-literals';
import { accessFailuresQuery, insightsTimeToIso, messageGroupsQuery, parseAccessLogFormat, requestPathsQuery } from '../../src/collect/log-queries';
import type { Diagnosis } from '../../src/diagnosis/engine';
import { CONFIDENT, diagnose } from '../../src/diagnosis/engine';
import type { KnowledgeBase } from '../../src/diagnosis/knowledge/cause';
import { loadKnowledge } from '../../src/diagnosis/knowledge/load';
import { sandboxPorts } from '../../src/collect/adapters/sandbox-ports';

const NOW = new Date('2026-11-25T15:00:00Z');
const HOUR = 3_600_000;
/** A "now" that is not on a minute, to show that nothing depends on the fixed one. */
const OTHER_NOW = new Date('2027-03-14T09:27:41.123Z');

let kb: KnowledgeBase;
let literals: LogLiterals;
const world = sandboxWorld(NOW);

beforeAll(() => {
  kb = loadKnowledge([]);
  literals = logLiteralsOf(kb);
});

const EXECUTION_GROUP = /^API-Gateway-Execution-Logs_[a-z0-9]{10}\/|^\/aws\/apigateway\/[a-z0-9]{10}\/[A-Za-z0-9_-]+$/;
const isLambdaGroup = (group: string): boolean => group.startsWith('/aws/lambda/');

/** Every query an investigation sends a log group, for the rows the sandbox answers it with. */
function queriesFor(group: string, w: World): string[] {
  if (EXECUTION_GROUP.test(group)) {
    const ids = Object.values(w.logGroups).flatMap((rows) => (typeof rows === 'function' ? rows('') : rows).flatMap((r) => [r.r1, r.r2]).filter((id): id is string => id !== undefined));
    return [messageGroupsQuery(literals.execution, 'execution'), requestPathsQuery(ids) ?? ''];
  }
  if (isLambdaGroup(group)) return [messageGroupsQuery(literals.lambda, 'lambda')];
  return [accessFailuresQuery(parseAccessLogFormat('{"status":"$context.status"}') ?? {}) ?? ''];
}

function rowsOf(w: World, group: string, query: string): LogRows {
  const answer = w.logGroups[group] ?? [];
  return typeof answer === 'function' ? answer(query) : answer;
}

/** The world as data: every log group's answer to every query it gets, every metric per minute over two hours. */
function dataOf(w: World, now: Date): unknown {
  const logGroups = Object.fromEntries(Object.keys(w.logGroups).map((g) => [g, queriesFor(g, w).map((q) => rowsOf(w, g, q))]));
  const minutes = Array.from({ length: 120 }, (_, i) => new Date(now.getTime() - 2 * HOUR + i * 60_000));
  const metrics = w.metrics.map((m) => ({ ...m, value: minutes.map((t) => m.value(t) ?? null) }));
  return JSON.parse(JSON.stringify({ ...w, logGroups, metrics })) as unknown;
}

interface Run {
  investigation: Investigation;
  diagnosis: Diagnosis;
}

async function run(w: World, scenario: Scenario, now: Date): Promise<Run> {
  const { ports } = sandboxPorts(w, { logs: { pollMs: 1, maxPollMs: 2 } });
  const investigation = await investigate(ports, { api: scenario.apiName, status: scenario.status, stage: scenario.stage, from: new Date(now.getTime() - HOUR), to: now }, { literals });
  return { investigation, diagnosis: diagnose(kb, investigation.evidence) };
}

describe.each(SCENARIOS.map((scenario) => ({ id: scenario.id, scenario })))('$id', ({ scenario }) => {
  let result: Run;
  beforeAll(async () => {
    result = await run(world, scenario, NOW);
  });

  if (scenario.cause !== null) {
    it(`names ${scenario.cause} first`, () => {
      const top = result.diagnosis.findings[0];
      expect({ cause: top?.causeId, confident: (top?.confidence ?? 0) >= CONFIDENT || top?.kind === 'telemetry' }).toEqual({ cause: scenario.cause, confident: true });
    });
  } else {
    it('names no cause with confidence', () => {
      expect(result.diagnosis.findings.filter((f) => f.confidence >= CONFIDENT).map((f) => `${f.causeId} ${f.confidence}`)).toEqual([]);
      expect(result.diagnosis.verdict).toBe('insufficient-evidence');
    });
  }

  it("investigates the scenario's own API and stage, and every source answers", () => {
    expect(result.investigation.target).toMatchObject({ apiName: scenario.apiName, stage: scenario.stage, region: world.region, accountId: world.accountId });
    expect(result.investigation.apiType).toBe(scenario.apiType);
    expect(result.investigation.evidence.skipped).toEqual([]);
  });
});

describe('the sandbox account', () => {
  it('holds at least 12 distinct causes, a healthy API and one with its logging off', () => {
    const causes = new Set(SCENARIOS.map((s) => s.cause).filter((c): c is string => c !== null));
    expect(causes.size).toBeGreaterThanOrEqual(12);
    expect(SCENARIOS.filter((s) => s.cause === null).map((s) => s.id).sort()).toEqual(['healthy']);
    expect(SCENARIOS.some((s) => s.apiType === 'WEBSOCKET')).toBe(true);
    for (const cause of causes) expect(kb.causes.map((c) => c.id)).toContain(cause);
  });

  it('gives every scenario its own id, API name and API id', () => {
    expect(new Set(SCENARIOS.map((s) => s.id)).size).toBe(SCENARIOS.length);
    expect(new Set(SCENARIOS.map((s) => s.apiName)).size).toBe(SCENARIOS.length);
    for (const s of SCENARIOS) expect(s.id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    const ids = [...world.restApis.map((r) => r.api.id), ...world.v2Apis.map((a) => a.api.ApiId)];
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(SCENARIOS.length);
    // Within an API, resource, route, integration and deployment ids are unique too.
    for (const r of world.restApis) {
      expect(new Set(r.resources.map((x) => x.id)).size).toBe(r.resources.length);
      expect(new Set((r.deployments ?? []).map((d) => d.id)).size).toBe((r.deployments ?? []).length);
    }
    for (const a of world.v2Apis) {
      expect(new Set(a.routes.map((x) => x.RouteId)).size).toBe(a.routes.length);
      expect(new Set(a.integrations.map((x) => x.IntegrationId)).size).toBe(a.integrations.length);
    }
  });

  it('finds a scenario by id', () => {
    expect(findScenario('lambda-timeout')?.apiName).toBe('shipping-api');
    expect(findScenario('no-such-scenario')).toBeUndefined();
  });

  it('refuses two scenarios that would clash in one account', () => {
    const [first, second] = SCENARIOS;
    if (!first || !second) throw new Error('two scenarios needed');
    expect(() => sandboxWorld(NOW, [first, { ...first, id: 'copy' }])).toThrow(/sandbox scenarios malformed-lambda-proxy-response and copy both define API id a1b2c3d4e5/);
    expect(() => sandboxWorld(NOW, [first, { ...second, build: (now) => ({ ...second.build(now), functions: first.build(now).functions }) }])).toThrow(/both define function orders-handler/);
    expect(() => sandboxWorld(NOW, [first, { ...second, build: (now) => ({ ...second.build(now), metrics: first.build(now).metrics }) }])).toThrow(/both define metric AWS\/ApiGateway 5XXError/);
    expect(() => sandboxWorld(NOW, [first, { ...first, id: 'renamed', apiName: 'nope' }])).toThrow(/has no API named nope/);
  });

  it('builds the same world from the same now', () => {
    expect(dataOf(sandboxWorld(NOW), NOW)).toEqual(dataOf(sandboxWorld(NOW), NOW));
    expect(dataOf(sandboxWorld(OTHER_NOW), OTHER_NOW)).toEqual(dataOf(sandboxWorld(OTHER_NOW), OTHER_NOW));
  });

  it.each([NOW, OTHER_NOW])('puts every log row in the hour before now (%s), and nothing after now', (now) => {
    const w = sandboxWorld(now);
    const from = now.getTime() - HOUR;
    const outside: string[] = [];
    for (const group of Object.keys(w.logGroups)) {
      for (const query of queriesFor(group, w)) {
        for (const row of rowsOf(w, group, query)) {
          const times = [row.firstSeen, row.lastSeen, row['@timestamp']].filter((v): v is string => v !== undefined).map((v) => insightsTimeToIso(v) ?? `unreadable ${v}`);
          // Times written into messages (Lambda's "<ISO time> <request id> Task timed out…").
          times.push(...(row.message ?? row['@message'] ?? '').match(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/g) ?? []);
          for (const t of times) {
            const ms = Date.parse(t);
            if (!(ms >= from && ms <= now.getTime())) outside.push(`${group}: ${t}`);
          }
        }
      }
    }
    expect(outside).toEqual([]);
    // Creation, deployment and update times are in the past.
    const future: string[] = [];
    const walk = (value: unknown, path: string): void => {
      if (value instanceof Date) {
        if (value.getTime() > now.getTime()) future.push(path);
      } else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`));
      else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) walk(v, `${path}.${k}`);
      else if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/.test(value) && Date.parse(value.replace('+0000', 'Z')) > now.getTime()) future.push(path);
    };
    walk({ restApis: w.restApis, v2Apis: w.v2Apis, functions: w.functions }, 'world');
    expect(future).toEqual([]);
  });

  it("answers each log group's queries only with rows those queries would return", () => {
    const filterOf = (query: string): RegExp => {
      const m = /^filter @message like \/(.*)\/$/m.exec(query);
      if (!m?.[1]) throw new Error(`no filter in ${query}`);
      return new RegExp(m[1]);
    };
    const stray: string[] = [];
    for (const group of Object.keys(world.logGroups)) {
      if (EXECUTION_GROUP.test(group) || isLambdaGroup(group)) {
        const query = messageGroupsQuery(EXECUTION_GROUP.test(group) ? literals.execution : literals.lambda, EXECUTION_GROUP.test(group) ? 'execution' : 'lambda');
        for (const row of rowsOf(world, group, query)) if (!filterOf(query).test(row.message ?? '')) stray.push(`${group}: ${row.message ?? JSON.stringify(row)}`);
      } else {
        for (const row of rowsOf(world, group, queriesFor(group, world)[0] ?? '')) {
          const status = Number(row.f_status);
          if (!(status >= 500 && status <= 599)) stray.push(`${group}: status ${row.f_status ?? 'missing'}`);
        }
      }
    }
    expect(stray).toEqual([]);
  });
});
