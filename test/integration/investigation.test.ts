/**
 * SDK mocks → adapters → investigation → engine: realistic AWS worlds, each broken in one known way,
 * must give that cause as the first finding, with evidence and fixes pre-filled from what was read.
 */
import { createAwsPorts } from '../../src/collect/adapters/aws/create-ports';
import type { Investigation, ProgressEvent } from '../../src/collect/investigate';
import { investigate } from '../../src/collect/investigate';
import { logLiteralsOf } from '../../src/collect/log-literals';
import type { Diagnosis } from '../../src/diagnosis/engine';
import { diagnose } from '../../src/diagnosis/engine';
import type { StatusQuery } from '../../src/diagnosis/evidence';
import type { KnowledgeBase } from '../../src/diagnosis/knowledge/cause';
import { loadKnowledge } from '../../src/diagnosis/knowledge/load';
import type { World } from '../helpers/aws-world';
import { installWorld } from '../helpers/aws-world';
import * as scenarios from '../helpers/aws-scenarios';
import { WINDOW } from '../helpers/aws-scenarios';

let kb: KnowledgeBase;
beforeAll(() => {
  kb = loadKnowledge([]);
});

interface Run {
  investigation: Investigation;
  diagnosis: Diagnosis;
  progress: ProgressEvent[];
  calls: ReturnType<ReturnType<typeof installWorld>['calls']>;
}

async function run(world: World, api: string, status: StatusQuery, stage?: string): Promise<Run> {
  const installed = installWorld(world);
  try {
    const ports = createAwsPorts({ region: world.region, dns: installed.dns, logs: { pollMs: 1, maxPollMs: 2 } });
    const progress: ProgressEvent[] = [];
    const investigation = await investigate(ports, { api, status, from: WINDOW.from, to: WINDOW.to, ...(stage ? { stage } : {}) }, { literals: logLiteralsOf(kb), onProgress: (e) => progress.push(e) });
    return { investigation, diagnosis: diagnose(kb, investigation.evidence), progress, calls: installed.calls() };
  } finally {
    installed.restore();
  }
}

describe.each([
  { name: 'malformed Lambda proxy response (REST, by name)', world: scenarios.malformedProxyResponse, api: 'orders-api', status: 502 as const, stage: 'prod', cause: 'malformed-lambda-proxy-response' },
  { name: 'Lambda resource policy names another API (REST, by id)', world: scenarios.lambdaInvokePermission, api: 'a1b2c3d4e5', status: 500 as const, stage: 'prod', cause: 'lambda-invoke-permission' },
  { name: 'Lambda function timeout (REST, invoke URL)', world: scenarios.lambdaTimeout, api: 'https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod/orders/17', status: 502 as const, cause: 'lambda-timeout' },
  { name: 'Lambda throttled, reserved concurrency 0 (REST)', world: scenarios.lambdaThrottled, api: 'orders-api', status: '5xx' as const, stage: 'prod', cause: 'lambda-throttled' },
  { name: 'HTTP backend slower than 30 s (HTTP API)', world: scenarios.httpIntegrationTimeout, api: 'payments-http', status: 503 as const, cause: 'integration-timeout' },
  { name: 'IPv6-only backend (HTTP API)', world: scenarios.ipv6OnlyBackend, api: 'geo-http', status: 500 as const, cause: 'ipv6-only-backend' },
  { name: 'function error behind a weighted alias (REST)', world: scenarios.canaryAliasFunctionError, api: 'orders-api', status: 502 as const, stage: 'prod', cause: 'lambda-function-error' },
  { name: 'no access logs on an HTTP API', world: scenarios.httpNoLogging, api: 'legacy-http', status: '5xx' as const, cause: 'http-api-no-logging' },
])('$name', ({ world, api, status, stage, cause }) => {
  let result: Run;
  beforeAll(async () => {
    result = await run(world(), api, status, stage);
  });

  it(`names ${cause} first`, () => {
    expect(result.diagnosis.findings[0]?.causeId).toBe(cause);
  });

  it('reports the target and every source it checked, as each completed', () => {
    const targetEvent = result.progress.find((e) => e.kind === 'target');
    expect(targetEvent).toBeDefined();
    expect(result.progress[0]?.kind).toBe('target');
    const sources = result.progress.flatMap((e) => (e.kind === 'source' ? [e.checked.source] : []));
    expect(sources).toEqual(expect.arrayContaining(['config', 'metrics', 'access-logs', 'changes']));
    expect(result.investigation.checked.map((c) => c.source).sort()).toEqual([...sources].sort());
  });

  it('fills the fixes with the real ids, never a placeholder for the API', () => {
    const commands = result.diagnosis.findings[0]?.fixes.map((f) => f.command).join('\n') ?? '';
    expect(commands).not.toContain('<rest-api-id>');
    expect(commands).not.toContain('<api-id>');
    expect(result.investigation.target.apiId).toMatch(/^[a-z0-9]{10}$/);
    expect(result.investigation.target.region).toBe('us-east-1');
  });
});

describe('what one REST investigation reads', () => {
  let result: Run;
  beforeAll(async () => {
    result = await run(scenarios.malformedProxyResponse(), 'orders-api', 502, 'prod');
  });

  it('reads the 40 resources with embed=methods in one call, never a call per resource', () => {
    const resources = result.calls.filter((c) => c.command === 'GetResourcesCommand');
    expect(resources).toHaveLength(1);
    expect(resources[0]?.input).toMatchObject({ embed: ['methods'], limit: 500 });
    expect(result.calls.filter((c) => c.command === 'GetIntegrationCommand' || c.command === 'GetMethodCommand')).toHaveLength(0);
  });

  it('gives the evidence counts and request ids Logs Insights returned', () => {
    const top = result.diagnosis.findings[0];
    const line = top?.evidence.find((e) => e.message.includes('Malformed Lambda proxy response'));
    expect(line?.count).toBe(1198);
    expect(line?.requestIds).toContain('3f2a9c1e-5b7d-4e21-9a0c-2d9e8b7c6a51');
    expect(result.diagnosis.statusSeen).toBe(502);
  });

  it('finds the failing method from the access logs and the facts of its integration', () => {
    expect(result.investigation.target).toMatchObject({ resourceId: 'x1y2z3', resourcePath: '/orders/{id}', httpMethod: 'GET', functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders-handler', accountId: '123456789012' });
    expect(result.investigation.evidence.config).toMatchObject({ integrationType: 'AWS_PROXY', integrationHttpMethod: 'POST', executionLogging: 'INFO', accessLogging: true, accessLogFormatHasIntegrationError: true, cloudwatchRoleArnSet: true, lambdaInvokePermission: true, lambdaTimeoutMs: 10000 });
    expect(result.investigation.failingRoutes[0]).toMatchObject({ resourcePath: '/orders/{id}', httpMethod: 'GET', status: 502, count: 1198 });
  });

  it('lines the onset up with the deployment just before it', () => {
    expect(result.investigation.onset?.onset).toBe('2026-11-25T14:02:00.000Z');
    expect(result.investigation.changes.summary).toMatch(/^errors began 14:02 UTC, (one minute|less than a minute|2 minutes) after deployment dep7x1/);
    expect(result.investigation.evidence.config.minutesSinceDeploymentAtOnset).toBeLessThanOrEqual(2);
  });

  it('counts 5xx and requests from the metrics of the window only', () => {
    // 21 per minute from 14:02 to 14:59, 803 requests a minute for 60 minutes.
    expect(result.investigation.evidence.metrics.count5xx).toBe(21 * 58);
    expect(result.investigation.evidence.metrics.count).toBe(803 * 60);
  });
});

describe('Lambda logs of several functions in one query', () => {
  it("keeps only the failing route's function's lines as evidence", async () => {
    const result = await run(scenarios.lambdaTimeout(), 'orders-api', 502, 'prod');
    const lambda = result.investigation.evidence.logLines.filter((l) => l.source === 'lambda');
    expect(lambda.map((l) => l.message).join('\n')).toContain('Task timed out after 6.01 seconds');
    expect(lambda.map((l) => l.message).join('\n')).not.toContain('TypeError');
    const query = result.calls.find((c) => c.command === 'StartQueryCommand' && String(c.input.logGroupNames).includes('/aws/lambda/'));
    expect(query?.input.logGroupNames).toEqual(['/aws/lambda/orders-handler', '/aws/lambda/catalog-handler', '/aws/lambda/users-handler']);
  });
});

describe('a function invoked through a weighted alias', () => {
  it('reads the alias, checks the alias policy, and says where the traffic goes', async () => {
    const result = await run(scenarios.canaryAliasFunctionError(), 'orders-api', 502, 'prod');
    expect(result.calls.filter((c) => c.command === 'GetAliasCommand').map((c) => c.input.Name)).toEqual(['live']);
    expect(result.calls.find((c) => c.command === 'GetPolicyCommand' && String(c.input.FunctionName).includes('orders-handler'))?.input.Qualifier).toBe('live');
    expect(result.investigation.changes.events.map((e) => e.description)).toContain('Lambda orders-handler version 7 published (alias live → 7, 10% to version 8)');
    expect(result.investigation.evidence.config.lambdaInvokePermission).toBe(true);
  });
});

describe('a REST stage without access logs', () => {
  it('finds the failing method from the execution log lines of failing requests', async () => {
    const result = await run(scenarios.malformedWithoutAccessLogs(), 'orders-api', 502, 'prod');
    expect(result.investigation.target).toMatchObject({ resourceId: 'x1y2z3', resourcePath: '/orders/{id}', httpMethod: 'GET' });
    expect(result.investigation.evidence.config).toMatchObject({ integrationType: 'AWS_PROXY', accessLogging: false });
    expect(result.diagnosis.findings[0]?.causeId).toBe('malformed-lambda-proxy-response');
    const lookup = result.calls.find((c) => c.command === 'StartQueryCommand' && String(c.input.queryString).includes('HTTP Method: '));
    expect(String(lookup?.input.queryString)).toContain('3f2a9c1e-5b7d-4e21-9a0c-2d9e8b7c6a51');
    expect(result.investigation.checked.find((c) => c.source === 'access-logs')).toMatchObject({ ok: false, detail: 'not configured on stage prod' });
  });
});

describe('the Lambda policy line', () => {
  it('leads with the failing route and marks the check ✗ when that route may not invoke its function', async () => {
    const result = await run(scenarios.lambdaInvokePermission(), 'orders-api', 500, 'prod');
    const policy = result.investigation.checked.find((c) => c.source === 'lambda-policy');
    expect(policy?.ok).toBe(false);
    expect(policy?.detail).toMatch(/^GET \/orders\/\{id\} → orders-handler: not allowed \(/);
  });

  it('says "allowed" for the failing route when the policy covers it', async () => {
    const result = await run(scenarios.malformedProxyResponse(), 'orders-api', 502, 'prod');
    expect(result.investigation.checked.find((c) => c.source === 'lambda-policy')).toEqual({ source: 'lambda-policy', ok: true, detail: 'GET /orders/{id} → orders-handler: allowed' });
  });
});

describe('what would sharpen the answer', () => {
  it('never suggests reading a log the investigation has read', async () => {
    const result = await run(scenarios.malformedProxyResponse(), 'orders-api', 502, 'prod');
    expect(result.investigation.evidence.logsRead).toEqual(['execution', 'access', 'lambda']);
    expect(result.diagnosis.missing.map((m) => m.what).join('\n')).not.toContain('own log lines');
  });
});
