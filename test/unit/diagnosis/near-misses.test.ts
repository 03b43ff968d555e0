/**
 * Tricky near-misses: causes that share a message, or whose texts sit inside another cause's. For each,
 * the cause that the facts and the other lines point at comes first, and no other cause is confident.
 * The texts are AWS's own (the sources are cited in the knowledge files).
 */
import { CONFIDENT } from '../../../src/diagnosis/engine';
import { diagnoseDoc } from '../../helpers/knowledge';

const DECISIVE = 0.8;
const INVALID_PERMISSIONS = '(73737819-c94c-48d7-86d7-b1700e4be29b) Execution failed due to configuration error: Invalid permissions on Lambda function';
const METHOD_500 = '(73737819-c94c-48d7-86d7-b1700e4be29b) Method completed with status: 500';

interface Row {
  evidence: Record<string, unknown>;
  /** The cause that must come first. */
  first: string;
  /** Whether the first must be decisive (≥ 0.8); false: first, but honestly unsure. */
  decisive: boolean;
}

const rows: Record<string, Row> = {
  '"Invalid permissions" alone: the resource policy first, but not decisive until it is read': {
    evidence: { status: 500, apiType: 'REST', logLines: [INVALID_PERMISSIONS, METHOD_500] },
    first: 'lambda-invoke-permission',
    decisive: false,
  },
  '"Invalid permissions" and the policy says no': {
    evidence: { status: 500, apiType: 'REST', logLines: [INVALID_PERMISSIONS], config: { lambdaInvokePermission: false } },
    first: 'lambda-invoke-permission',
    decisive: true,
  },
  '"Invalid permissions" with a stage-variable URI': {
    evidence: {
      status: 500,
      apiType: 'REST',
      logLines: [INVALID_PERMISSIONS],
      config: { integrationUri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${stageVariables.fn}/invocations' },
    },
    first: 'stage-variable-lambda-permission',
    decisive: true,
  },
  '"Invalid permissions" with a credentials role': {
    evidence: { status: 500, apiType: 'REST', logLines: [INVALID_PERMISSIONS], config: { integrationCredentialsRole: 'arn:aws:iam::123456789012:role/apigw-invoke' } },
    first: 'integration-role-permission',
    decisive: true,
  },
  '"Invalid permissions" followed by "Authorizer error"': {
    evidence: { status: 500, apiType: 'REST', logLines: [INVALID_PERMISSIONS, '(73737819-c94c-48d7-86d7-b1700e4be29b) Execution failed due to configuration error: Authorizer error', METHOD_500] },
    first: 'lambda-authorizer-error',
    decisive: true,
  },
  'a Lambda timeout reported as a customer function error (REST)': {
    evidence: {
      status: 502,
      apiType: 'REST',
      logLines: [
        '(286364ab-3a83-11e9-8dc8-db3cf4c83204) Lambda execution failed with status 200 due to customer function error: 2019-02-27T11:31:11.456Z 71952965-d5cc-4974-ae08-6e2138b2275c Task timed out after 10.00 seconds. Lambda request id: 71952965-d5cc-4974-ae08-6e2138b2275c',
        '(286364ab-3a83-11e9-8dc8-db3cf4c83204) Method completed with status: 502',
      ],
    },
    first: 'lambda-timeout',
    decisive: true,
  },
  'a Lambda timeout on an HTTP API': {
    evidence: {
      status: 500,
      apiType: 'HTTP',
      integrationErrorMessages: ['The Lambda function returned the following error: RequestId: 01fe3839-4974-40d5-960a-173fcb5ec786 Error: Task timed out after 5.00 seconds. Check your Lambda function code and try again.'],
    },
    first: 'lambda-timeout',
    decisive: true,
  },
  'an integration timeout is not the function timing out': {
    evidence: { status: 504, apiType: 'REST', logLines: ['(fbcaf9e5-d535-40a1-891c-7b70118cf7e8) Execution failed due to a timeout error', '(fbcaf9e5-d535-40a1-891c-7b70118cf7e8) Method completed with status: 504'] },
    first: 'integration-timeout',
    decisive: true,
  },
  'an oversized response reported as a customer function error': {
    evidence: {
      status: 502,
      apiType: 'REST',
      logLines: [{ source: 'access', message: '{"status":"502","error_responseType":"INTEGRATION_FAILURE","integration_error":"Lambda Customer Function Error:Response payload size exceeded maximum allowed payload size (6291556 bytes)."}' }],
    },
    first: 'payload-too-large',
    decisive: true,
  },
  'Lambda throttling that API Gateway reports as a malformed proxy response': {
    evidence: {
      status: 502,
      apiType: 'REST',
      logLines: [
        '(a5e3de30-8d59-11e8-b2f5-9339f1c001b0) Endpoint response body before transformations:',
        '"Reason": "ReservedFunctionConcurrentInvocationLimitExceeded",',
        '(a5e3de30-8d59-11e8-b2f5-9339f1c001b0) Endpoint response headers: {Connection=keep-alive, x-amzn-ErrorType=TooManyRequestsException, Content-Length=104}',
        '(a5e3de30-8d59-11e8-b2f5-9339f1c001b0) Execution failed due to configuration error: Malformed Lambda proxy response',
        '(a5e3de30-8d59-11e8-b2f5-9339f1c001b0) Method completed with status: 502',
      ],
    },
    first: 'lambda-throttled',
    decisive: true,
  },
  'a Lambda 429 is throttling, not an AWS internal failure': {
    evidence: {
      status: 500,
      apiType: 'REST',
      logLines: [
        '(394365dc-1b10-411f-9668-70521cec1205) Lambda invocation failed with status: 429. Lambda request id: dcb2ab89-2d03-4b77-98cd-18d14fd2b850',
        '(394365dc-1b10-411f-9668-70521cec1205) Execution failed due to configuration error: Rate Exceeded.',
        '(394365dc-1b10-411f-9668-70521cec1205) Method completed with status: 500',
      ],
    },
    first: 'lambda-throttled',
    decisive: true,
  },
  'the network error behind a VPC link': {
    evidence: { status: 504, apiType: 'REST', config: { connectionType: 'VPC_LINK' }, logLines: ['Execution failed due to a network error communicating with endpoint: Connection is closed'] },
    first: 'private-integration-misconfig',
    decisive: true,
  },
  '"Invalid endpoint address" for a host with only IPv6 addresses': {
    evidence: {
      status: 500,
      apiType: 'REST',
      integrationType: 'HTTP_PROXY',
      config: { backendHost: 'v6only.example.com', backendResolves: true, backendHasIPv4: false, backendHasIPv6: true },
      logLines: ['Execution failed due to configuration error: Invalid endpoint address'],
    },
    first: 'ipv6-only-backend',
    decisive: true,
  },
  '"Invalid endpoint address" for a host that does not resolve': {
    evidence: { status: 500, apiType: 'REST', integrationType: 'HTTP_PROXY', config: { backendResolves: false }, logLines: ['Execution failed due to configuration error: Invalid endpoint address'] },
    first: 'backend-unreachable',
    decisive: true,
  },
  'a missing integration response on a non-proxy integration': {
    evidence: { status: 500, apiType: 'REST', integrationType: 'AWS', logLines: ['Execution failed due to configuration error: Output mapping refers to an invalid method response: 200'] },
    first: 'missing-status-code-mapping',
    decisive: true,
  },
  'a binary body the request template cannot transform': {
    evidence: {
      status: 500,
      apiType: 'REST',
      logLines: [
        '(53c17c18-a7ad-11e8-a099-4b78be23626d) Method request body before transformations: [Binary Data]',
        '(53c17c18-a7ad-11e8-a099-4b78be23626d) Execution failed due to configuration error: Unable to transform request',
      ],
    },
    first: 'mapping-template-error',
    decisive: true,
  },
  'a certificate the backend presents is not trusted': {
    evidence: { status: 500, apiType: 'REST', integrationType: 'HTTP_PROXY', logLines: ['Execution failed due to configuration error: General SSLEngine problem'] },
    first: 'backend-tls-error',
    decisive: true,
  },
  'the integration called Lambda with GET': {
    evidence: {
      status: 500,
      apiType: 'REST',
      logLines: [
        'Mon Oct 14 14:08:49 UTC 2019 : Endpoint response body before transformations: <AccessDeniedException>',
        '<Message>Unable to determine service/operation name to be authorized</Message>',
        'Mon Oct 14 14:08:49 UTC 2019 : Lambda invocation failed with status: 403. Lambda request id: abc1d2ef-34ab-56c7-de8f-90123a456789',
        'Mon Oct 14 14:08:49 UTC 2019 : Execution failed due to configuration error: ',
        'Mon Oct 14 14:08:49 UTC 2019 : Method completed with status: 500',
      ],
    },
    first: 'lambda-integration-not-post',
    decisive: true,
  },
};

test.each(Object.entries(rows))('%s', (_name, row) => {
  const result = diagnoseDoc(row.evidence);
  const [first, ...rest] = result.findings;
  expect(first?.causeId).toBe(row.first);
  if (row.decisive) {
    expect(first!.confidence).toBeGreaterThanOrEqual(DECISIVE);
    expect(result.verdict).toBe('diagnosed');
  } else {
    expect(first!.confidence).toBeLessThan(DECISIVE);
  }
  // No other cause is confident, and none outranks the first.
  for (const other of rest) {
    expect({ causeId: other.causeId, confidence: other.confidence }).toEqual({ causeId: other.causeId, confidence: expect.any(Number) as unknown });
    expect(other.confidence).toBeLessThan(DECISIVE);
    expect(other.confidence).toBeLessThanOrEqual(first!.confidence);
  }
});

test('a generic body with "Method completed" lines names nothing on any API type', () => {
  for (const apiType of ['REST', 'HTTP', 'WEBSOCKET']) {
    const result = diagnoseDoc({ status: '5xx', apiType, logLines: ['{"message": "Internal server error"}', '{"message":"Internal Server Error"}', 'Method completed with status: 502'] });
    expect(result.findings.filter((f) => f.kind === 'root-cause')).toEqual([]);
    expect(result.verdict).toBe('insufficient-evidence');
  }
  expect(CONFIDENT).toBeLessThan(DECISIVE);
});
