/**
 * Ranking on noisy, multi-line evidence: what an on-call engineer would read first.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIDENT } from '../../../src/diagnosis/engine';
import { diagnoseDoc } from '../../helpers/knowledge';

/** INFO-level execution-log noise of one request that went fine. */
function okRequest(id: string): string[] {
  return [
    `(${id}) Extended Request Id: Zx${id.slice(0, 12)}=`,
    `(${id}) Verifying Usage Plan for request: ${id}. API Key:  API Stage: a1b2c3d4e5/prod`,
    `(${id}) Starting execution for request: ${id}`,
    `(${id}) HTTP Method: GET, Resource Path: /orders/17`,
    `(${id}) Method request headers: {Accept=application/json, Authorization=Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl}`,
    `(${id}) Endpoint request URI: https://lambda.eu-west-1.amazonaws.com/2015-03-31/functions/arn:aws:lambda:eu-west-1:210987654321:function:orders-handler:live/invocations`,
    `(${id}) Received response. Status: 200, Integration latency: 41 ms`,
    `(${id}) Endpoint response body before transformations: {"statusCode":200,"body":"{\\"id\\":17}"}`,
    `(${id}) Method completed with status: 200`,
  ];
}

const uuid = (n: number): string => `${n.toString(16).padStart(8, '0')}-1111-4222-8333-${n.toString(16).padStart(12, '0')}`;

function malformed(id: string): string[] {
  return [
    `(${id}) Endpoint response body before transformations: {"statusCode":200,"body":{"id":${id.length}}}`,
    `(${id}) Execution failed due to configuration error: Malformed Lambda proxy response`,
    `(${id}) Method completed with status: 502`,
  ];
}

function functionError(id: string): string[] {
  return [
    `(${id}) Lambda execution failed with status 200 due to customer function error: Cannot read properties of undefined (reading 'items'). Lambda request id: ${uuid(9000 + id.length)}`,
    `(${id}) Method completed with status: 502`,
  ];
}

function noisyLog(): string[] {
  const lines: string[] = [];
  for (let i = 0; i < 200; i++) {
    const id = uuid(i);
    lines.push(...okRequest(id));
    if (i % 5 === 0) lines.push(...malformed(id));
    else if (i % 37 === 0) lines.push(...functionError(id));
  }
  return lines;
}

describe('ranking', () => {
  test('noisy REST logs: the dominant cause first, the rarer one after it, each with counts and request ids', () => {
    const result = diagnoseDoc({ status: 502, apiType: 'REST', logLines: noisyLog() });
    expect(result.verdict).toBe('diagnosed');
    expect(result.statusSeen).toBe(502);
    const [first, second] = result.findings;
    expect(first?.causeId).toBe('malformed-lambda-proxy-response');
    expect(first?.confidence).toBeGreaterThanOrEqual(0.9);
    expect(second?.causeId).toBe('lambda-function-error');
    expect(second!.confidence).toBeLessThan(first!.confidence);

    const malformedLine = first!.evidence.find((e) => e.message.includes('Malformed Lambda proxy response'));
    expect(malformedLine).toMatchObject({ count: 40, source: 'execution' });
    expect(malformedLine!.requestIds).toHaveLength(3);
    expect(malformedLine!.requestIds[0]).toBe(uuid(0));
    // Function errors differ only in their Lambda request ids: one message, counted together.
    const fnLines = second!.evidence.filter((e) => e.message.includes('customer function error'));
    expect(fnLines).toHaveLength(1);
    expect(fnLines[0]?.count).toBe(4);
  });

  test('fixes are pre-filled with the ids the logs reveal (function with alias, region, api id, stage, method)', () => {
    const result = diagnoseDoc({ status: 502, apiType: 'REST', logLines: noisyLog() });
    const fix = result.findings[0]!.fixes[0]!;
    expect(fix.command).toContain('--function-name arn:aws:lambda:eu-west-1:210987654321:function:orders-handler:live');
    expect(fix.command).toContain('--region eu-west-1');
    expect(fix.verify).toContain('--rest-api-id a1b2c3d4e5');
    expect(fix.verify).toContain('--http-method GET');
    expect(result.findings[0]!.explanation).toContain('orders-handler');
  });

  test('asked "why 500" while the logs show malformed proxy responses: those are 502s, and the answer says so', () => {
    const result = diagnoseDoc({ status: 500, apiType: 'REST', logLines: noisyLog() });
    expect(result.statusSeen).toBe(502);
    expect(result.findings[0]?.causeId).toBe('malformed-lambda-proxy-response');
    expect(result.findings[0]?.confidence).toBeGreaterThanOrEqual(0.9);
    expect(result.verdict).toBe('diagnosed');
  });

  test('asked "why 500" with mostly 500s: the cause of the 500s comes first, a rarer 502 cause is demoted', () => {
    const lines: string[] = [];
    for (let i = 0; i < 30; i++) {
      const id = uuid(i);
      lines.push(`(${id}) Execution failed due to configuration error: Invalid permissions on Lambda function`, `(${id}) Method completed with status: 500`);
    }
    lines.push(...functionError(uuid(99)));
    const result = diagnoseDoc({ status: 500, apiType: 'REST', logLines: lines });
    expect(result.statusSeen).toBe(500);
    expect(result.findings.map((f) => f.causeId).slice(0, 2)).toEqual(['lambda-invoke-permission', 'lambda-function-error']);
    // The rarer 502 cause and the other owners of the shared permission text follow, none of them decisive.
    for (const f of result.findings.slice(1)) expect(f.confidence).toBeLessThan(CONFIDENT);
  });

  test('a generic "Internal server error" alone never names a cause', () => {
    const result = diagnoseDoc({
      status: 502,
      apiType: 'REST',
      logLines: ['{"message": "Internal server error"}', 'Internal server error', 'Method completed with status: 502', ...okRequest(uuid(1))],
    });
    expect(result.verdict).toBe('insufficient-evidence');
    expect(result.findings).toEqual([]);
    expect(result.statusSeen).toBe(502);
    // It says what would tell, and how to turn it on, pre-filled.
    expect(result.missing.map((m) => m.what).join('\n')).toMatch(/access logs with \$context\.integrationErrorMessage/);
    expect(result.missing.find((m) => m.what.startsWith('access logs'))?.how).toContain('--rest-api-id a1b2c3d4e5 --stage-name prod');
  });

  test('an HTTP API with logging off: the telemetry finding is listed first, but the verdict stays insufficient', () => {
    const result = diagnoseDoc({ status: 500, apiType: 'HTTP', config: { accessLogging: false }, target: { apiId: 'z9y8x7w6v5', stage: '$default' } });
    expect(result.verdict).toBe('insufficient-evidence');
    expect(result.findings[0]).toMatchObject({ causeId: 'http-api-no-logging', kind: 'telemetry' });
    expect(result.findings[0]!.fixes[0]!.command).toContain("--api-id z9y8x7w6v5 --stage-name '$default'");
  });

  test('a message shared by causes: config facts decide (stage variable hands it away, a granting policy rules it out)', () => {
    const line = 'Execution failed due to configuration error: Invalid permissions on Lambda function';
    expect(diagnoseDoc({ status: 500, apiType: 'REST', logLines: [line] }).findings[0]?.causeId).toBe('lambda-invoke-permission');
    const staged = diagnoseDoc({ status: 500, apiType: 'REST', logLines: [line], config: { stageVariableInUri: true } });
    expect(staged.findings.map((f) => f.causeId)).not.toContain('lambda-invoke-permission');
    const allowed = diagnoseDoc({ status: 500, apiType: 'REST', logLines: [line], config: { lambdaInvokePermission: true } });
    expect(allowed.findings.map((f) => f.causeId)).not.toContain('lambda-invoke-permission');
  });

  test('config and log evidence together are more decisive than either', () => {
    const line = 'Execution failed due to configuration error: Invalid permissions on Lambda function';
    const logOnly = diagnoseDoc({ status: 500, apiType: 'REST', logLines: [line] }).findings[0]!.confidence;
    const both = diagnoseDoc({ status: 500, apiType: 'REST', logLines: [line], config: { lambdaInvokePermission: false } });
    expect(both.findings[0]!.confidence).toBeGreaterThan(logOnly);
    expect(both.findings[0]!.evidence.map((e) => e.source)).toEqual(['execution', 'config']);
  });

  test('an integration type the cause cannot have rules it out', () => {
    const result = diagnoseDoc({ status: 502, apiType: 'REST', integrationType: 'HTTP_PROXY', logLines: malformed(uuid(3)) });
    expect(result.findings.map((f) => f.causeId)).not.toContain('malformed-lambda-proxy-response');
  });

  test('the unknown facts that would confirm a finding are listed with the command that reads them', () => {
    const result = diagnoseDoc({
      status: 500,
      apiType: 'REST',
      logLines: ['Execution failed due to configuration error: Invalid permissions on Lambda function'],
      target: { functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:pay' },
    });
    const policy = result.missing.find((m) => m.what.includes('resource policy'));
    expect(policy?.how).toBe('aws lambda get-policy --function-name arn:aws:lambda:us-east-1:123456789012:function:pay --region us-east-1');
  });
});

describe('evidence excerpts', () => {
  test('secrets in log lines are masked before they reach a finding', () => {
    const result = diagnoseDoc({
      status: 500,
      apiType: 'HTTP',
      logLines: [
        {
          source: 'access',
          message:
            '{"requestId":"AZzecgvEPHcEPew=","status":"500","authorization":"Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl","integrationErrorMessage":"The IAM role configured on the integration or API Gateway doesn\'t have permissions to call the integration. Check the permissions and try again. key AKIAIOSFODNN7EXAMPLE"}',
        },
      ],
    });
    const text = JSON.stringify(result);
    expect(result.findings[0]?.causeId).toBe('lambda-invoke-permission');
    expect(result.findings[0]?.evidence[0]?.requestIds).toEqual(['AZzecgvEPHcEPew=']);
    expect(text).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(text).not.toContain('eyJzdWIiOiIxMjM0In0');
  });

  test('the shipped example evidence file diagnoses as its name says', () => {
    const doc: unknown = JSON.parse(readFileSync(join(__dirname, '../../../examples/evidence/malformed-proxy-response.json'), 'utf8'));
    const result = diagnoseDoc(doc);
    expect(result.findings[0]?.causeId).toBe('malformed-lambda-proxy-response');
    expect(JSON.stringify(result)).not.toContain('c2lnbmF0dXJl');
  });
});

describe('a deployment just before the errors', () => {
  const deployedMinutesBefore = (minutes: number): Record<string, unknown> => ({ minutesSinceDeploymentAtOnset: minutes });

  it('names nothing on its own', () => {
    const d = diagnoseDoc({ status: 502, apiType: 'REST', config: deployedMinutesBefore(2) });
    expect(d.findings).toEqual([]);
  });

  it('raises a broken-code cause the logs already point at, and says why', () => {
    const logLines = ['(3f2a9c1e-5b7d-4e21-9a0c-2d9e8b7c6a51) Lambda execution failed with status 200 due to customer function error: boom. Lambda request id: 00000000-1111-4222-8333-444444444444'];
    const before = diagnoseDoc({ status: 502, apiType: 'REST', logLines });
    const after = diagnoseDoc({ status: 502, apiType: 'REST', logLines, config: deployedMinutesBefore(2) });
    expect(after.findings[0]?.causeId).toBe('lambda-function-error');
    expect(after.findings[0]!.confidence).toBeGreaterThan(before.findings[0]!.confidence);
    expect(after.findings[0]?.evidence.map((e) => e.message)).toContain('the errors began 2 minutes after the last deployment or function change, which fits new function code');
  });

  it('a deployment long before the errors adds nothing', () => {
    const logLines = ['(3f2a9c1e-5b7d-4e21-9a0c-2d9e8b7c6a51) Lambda execution failed with status 200 due to customer function error: boom. Lambda request id: 00000000-1111-4222-8333-444444444444'];
    const before = diagnoseDoc({ status: 502, apiType: 'REST', logLines });
    const after = diagnoseDoc({ status: 502, apiType: 'REST', logLines, config: deployedMinutesBefore(600) });
    expect(after.findings[0]?.confidence).toBe(before.findings[0]?.confidence);
  });
});
