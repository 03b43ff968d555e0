/**
 * How an investigation behaves when AWS is unhelpful or the user's words are not an API: refusals
 * become `skipped` entries naming the IAM action, throttling is retried, slow sources time out into
 * partial evidence that still gives findings, and what a user typed never reaches a Logs Insights query.
 */
import { createAwsPorts } from '../../src/collect/adapters/aws/create-ports';
import type { Investigation, InvestigationRequest } from '../../src/collect/investigate';
import { investigate } from '../../src/collect/investigate';
import { logLiteralsOf } from '../../src/collect/log-literals';
import { diagnose } from '../../src/diagnosis/engine';
import type { KnowledgeBase } from '../../src/diagnosis/knowledge/cause';
import { loadKnowledge } from '../../src/diagnosis/knowledge/load';
import { AwsUnavailableError, TargetError, UsageError } from '../../src/errors';
import type { RecordedCall, World } from '../helpers/aws-world';
import { installWorld } from '../helpers/aws-world';
import * as scenarios from '../helpers/aws-scenarios';
import { WINDOW } from '../helpers/aws-scenarios';

let kb: KnowledgeBase;
beforeAll(() => {
  kb = loadKnowledge([]);
});

async function run(world: World, request: Partial<InvestigationRequest> & { api: string }, collectorTimeoutMs?: number): Promise<{ investigation?: Investigation; error?: unknown; calls: RecordedCall[] }> {
  const installed = installWorld(world);
  try {
    const ports = createAwsPorts({ region: world.region, dns: installed.dns, logs: { pollMs: 1, maxPollMs: 2 } });
    const investigation = await investigate(ports, { status: '5xx', from: WINDOW.from, to: WINDOW.to, ...request }, { literals: logLiteralsOf(kb), ...(collectorTimeoutMs ? { collectorTimeoutMs } : {}) });
    return { investigation, calls: installed.calls() };
  } catch (error) {
    return { error, calls: installed.calls() };
  } finally {
    installed.restore();
  }
}

const queries = (calls: readonly RecordedCall[]): string[] => calls.filter((c) => c.command === 'StartQueryCommand').map((c) => String(c.input.queryString));

describe('refused and slow sources', () => {
  it('turns AccessDenied on logs:StartQuery into skipped entries naming the action, and still finds the cause', async () => {
    const world = { ...scenarios.lambdaThrottled(), deny: { StartQueryCommand: 'AccessDeniedException' } };
    const { investigation } = await run(world, { api: 'orders-api', stage: 'prod' });
    const skipped = investigation?.evidence.skipped ?? [];
    expect(skipped.map((s) => s.source).sort()).toEqual(['access-logs', 'execution-logs', 'lambda-logs']);
    expect(skipped[0]?.reason).toMatch(/^AccessDeniedException on logs:StartQuery on arn:aws:logs:us-east-1:123456789012:log-group:/);
    expect(skipped[0]?.fix).toContain('allow logs:StartQuery');
    expect(investigation?.checked.find((c) => c.source === 'execution-logs')).toMatchObject({ ok: false });
    // Reserved concurrency 0 and the Throttles metric still say it.
    const diagnosis = diagnose(kb, investigation!.evidence);
    expect(diagnosis.findings[0]?.causeId).toBe('lambda-throttled');
    expect(diagnosis.skipped).toHaveLength(3);
  });

  it('retries API Gateway throttling and answers the same', async () => {
    const world = { ...scenarios.malformedProxyResponse(), throttleFirst: { GetResourcesCommand: 2, GetStagesCommand: 1 } };
    const { investigation, calls } = await run(world, { api: 'orders-api', stage: 'prod' });
    expect(calls.filter((c) => c.command === 'GetResourcesCommand')).toHaveLength(3);
    expect(investigation?.evidence.skipped).toEqual([]);
    expect(diagnose(kb, investigation!.evidence).findings[0]?.causeId).toBe('malformed-lambda-proxy-response');
  });

  it('gives up on a source that does not answer in time and keeps the rest', async () => {
    const world = { ...scenarios.lambdaTimeout(), hang: ['GetMetricDataCommand'] };
    const { investigation } = await run(world, { api: 'orders-api', stage: 'prod' }, 1_500);
    expect(investigation?.evidence.skipped).toContainEqual(expect.objectContaining({ source: 'metrics', reason: 'no answer within 2 s' }));
    expect(diagnose(kb, investigation!.evidence).findings[0]?.causeId).toBe('lambda-timeout');
  });

  it('uses the rows of a Logs Insights query still running at the time limit, and says so', async () => {
    const world = { ...scenarios.malformedProxyResponse(), queriesNeverFinish: true };
    const { investigation, calls } = await run(world, { api: 'orders-api', stage: 'prod' }, 1_500);
    expect(investigation?.checked.find((c) => c.source === 'execution-logs')?.detail).toContain('partial');
    expect(calls.filter((c) => c.command === 'StopQueryCommand').length).toBeGreaterThan(0);
  });
});

describe('no way into AWS at all', () => {
  it('says the credentials are missing instead of investigating nothing', async () => {
    const world = { ...scenarios.malformedProxyResponse(), deny: { GetRestApisCommand: 'CredentialsProviderError', GetApisCommand: 'CredentialsProviderError', GetCallerIdentityCommand: 'CredentialsProviderError' } };
    const { error } = await run(world, { api: 'orders-api' });
    expect(error).toBeInstanceOf(AwsUnavailableError);
    expect((error as Error).message).toBe('could not read API Gateway: CredentialsProviderError: the AWS credentials are missing or expired; refresh the credentials (aws sso login, or the role in APIGW_DOCTOR_CONFIG)');
  });

  it('says which permission is missing when listing APIs is refused', async () => {
    const world = { ...scenarios.malformedProxyResponse(), deny: { GetRestApisCommand: 'AccessDeniedException' } };
    const { error } = await run(world, { api: 'orders-api' });
    expect((error as Error).message).toMatch(/^could not read API Gateway: AccessDeniedException on apigateway:GET on arn:aws:apigateway:us-east-1::\/restapis; allow apigateway:GET/);
  });
});

describe('finding the API and stage', () => {
  it('picks the stage that has the errors when none is given', async () => {
    const { investigation } = await run(scenarios.malformedProxyResponse(), { api: 'orders-api' });
    expect(investigation?.target.stage).toBe('prod');
  });

  it('asks which stage when no stage has errors, listing them', async () => {
    const world = scenarios.malformedProxyResponse();
    world.metrics = [];
    const { error } = await run(world, { api: 'orders-api' });
    expect(error).toBeInstanceOf(TargetError);
    expect((error as TargetError).message).toMatch(/orders-api has 2 stages \(prod, dev\) and none had 5xx in the window; say which/);
    expect((error as TargetError).candidates).toEqual(['prod', 'dev']);
  });

  it('finds an API by its custom domain and base path', async () => {
    const world = scenarios.malformedProxyResponse();
    world.basePathMappings = { 'api.shop.example.com': [{ basePath: 'orders', restApiId: 'a1b2c3d4e5', stage: 'prod' }, { basePath: '(none)', restApiId: 'zz00zz00zz', stage: 'prod' }] };
    world.apiMappings = { 'api.shop.example.com': [] };
    const { investigation } = await run(world, { api: 'https://api.shop.example.com/orders/17' });
    expect(investigation?.target).toMatchObject({ apiId: 'a1b2c3d4e5', stage: 'prod' });
  });

  it('answers an unknown name with the closest names', async () => {
    const { error } = await run(scenarios.malformedProxyResponse(), { api: 'order-api' });
    expect((error as TargetError).message).toBe('no API named "order-api" in us-east-1; closest: orders-api (a1b2c3d4e5, REST)');
  });

  it('answers an ambiguous name with every match and asks for the id', async () => {
    const world = scenarios.malformedProxyResponse();
    const twin = world.restApis[0]!;
    world.restApis.push({ ...twin, api: { ...twin.api, id: 'b2c3d4e5f6' } });
    const { error } = await run(world, { api: 'orders-api' });
    expect((error as TargetError).message).toBe('"orders-api" names 2 APIs in us-east-1: orders-api (a1b2c3d4e5, REST), orders-api (b2c3d4e5f6, REST); give the id instead');
  });

  it('refuses a window longer than 7 days before reading anything', async () => {
    const { error, calls } = await run(scenarios.malformedProxyResponse(), { api: 'orders-api', from: new Date('2026-11-01T00:00:00Z') });
    expect(error).toBeInstanceOf(UsageError);
    expect(calls).toEqual([]);
  });
});

describe('user text never reaches a query', () => {
  const hostile = ['orders-api" | fields @message | filter @message like /AKIA/', "orders-api/ | stats count(*) by @logStream #", 'a1b2c3d4e5 | limit 10000'];

  it.each(hostile)('an API typed as %j is looked up client-side and no query runs', async (api) => {
    const { error, calls } = await run(scenarios.malformedProxyResponse(), { api });
    expect(error).toBeInstanceOf(TargetError);
    expect(queries(calls)).toEqual([]);
  });

  it('a stage typed with query syntax is refused before any query', async () => {
    const { error, calls } = await run(scenarios.malformedProxyResponse(), { api: 'orders-api', stage: 'prod/ | filter 1=1' });
    expect((error as TargetError).message).toContain('is not a stage name');
    expect(queries(calls)).toEqual([]);
  });

  it('an API whose own name is hostile is queried by id and stage only', async () => {
    const world = scenarios.malformedProxyResponse();
    const name = 'orders | filter @message like /./ | fields @message';
    world.restApis[0]!.api.name = name;
    for (const m of world.metrics) if (m.dimensions.ApiName === 'orders-api') m.dimensions.ApiName = name;
    const { investigation, calls } = await run(world, { api: 'a1b2c3d4e5', stage: 'prod' });
    expect(investigation?.target.apiName).toBe(name);
    const sent = queries(calls);
    // Execution, access and Lambda messages, and the Lambda REPORT summary.
    expect(sent).toHaveLength(4);
    for (const q of sent) expect(q).not.toContain('orders |');
  });
});
