/**
 * docs/iam-policy.json must allow every call the collectors make, and nothing that writes. The calls
 * checked are those the AWS mocks recorded while real investigations ran, not a hand-written list.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createAwsPorts } from '../../src/collect/adapters/aws/create-ports';
import { iamNeedOf } from '../../src/collect/iam';
import { investigate } from '../../src/collect/investigate';
import { logLiteralsOf } from '../../src/collect/log-literals';
import { loadKnowledge } from '../../src/diagnosis/knowledge/load';
import type { RecordedCall } from '../helpers/aws-world';
import { installWorld } from '../helpers/aws-world';
import * as scenarios from '../helpers/aws-scenarios';

interface Statement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: string | string[];
}

const policy = JSON.parse(readFileSync(path.join(__dirname, '../../docs/iam-policy.json'), 'utf8')) as { Statement: Statement[] };
const list = (v: string | string[]): string[] => (Array.isArray(v) ? v : [v]);

/** IAM wildcard matching: `*` any run of characters, `?` one character. */
function iamMatch(pattern: string, value: string, caseInsensitive = false): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, caseInsensitive ? 'i' : '');
  return re.test(value);
}

function allowed(action: string, resource: string): boolean {
  const applies = (s: Statement): boolean => list(s.Action).some((a) => iamMatch(a, action, true)) && list(s.Resource).some((r) => iamMatch(r, resource));
  return !policy.Statement.some((s) => s.Effect === 'Deny' && applies(s)) && policy.Statement.some((s) => s.Effect === 'Allow' && applies(s));
}

const recorded: RecordedCall[] = [];

beforeAll(async () => {
  const kb = loadKnowledge([]);
  const runs = [
    [scenarios.malformedProxyResponse(), 'orders-api', 'prod'],
    [scenarios.lambdaInvokePermission(), 'https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod/orders/1', undefined],
    [scenarios.lambdaThrottled(), 'a1b2c3d4e5', 'prod'],
    [scenarios.httpIntegrationTimeout(), 'payments-http', undefined],
    [scenarios.ipv6OnlyBackend(), 'g3e4o5h6t7', undefined],
  ] as const;
  for (const [world, api, stage] of runs) {
    const installed = installWorld(world);
    try {
      const ports = createAwsPorts({ region: world.region, dns: installed.dns, logs: { pollMs: 1, maxPollMs: 2 } });
      await investigate(ports, { api, status: '5xx', ...(stage ? { stage } : {}), from: scenarios.WINDOW.from, to: scenarios.WINDOW.to }, { literals: logLiteralsOf(kb) });
      recorded.push(...installed.calls());
    } finally {
      installed.restore();
    }
  }
});

it('records calls to every service the collectors read', () => {
  expect(new Set(recorded.map((c) => c.service))).toEqual(new Set(['apigateway', 'apigatewayv2', 'logs', 'cloudwatch', 'lambda', 'sts']));
});

it('allows every call the investigations made', () => {
  const refused = recorded
    .filter((c) => c.command !== 'GetCallerIdentityCommand') // needs no permission
    .map((c) => ({ call: c, need: iamNeedOf(c.service, c.command, c.input, scenarios.REGION, scenarios.ACCOUNT) }))
    .filter(({ need }) => need === undefined || !allowed(need.action, need.resource))
    .map(({ call, need }) => `${call.service} ${call.command} → ${need ? `${need.action} on ${need.resource}` : 'no IAM need known'}`);
  expect(refused).toEqual([]);
});

it('grants only reads', () => {
  const actions = policy.Statement.flatMap((s) => list(s.Action));
  const writes = actions.filter((a) => !/^(apigateway:GET|[a-z0-9]+:(Get|List|Describe)[A-Za-z]*|logs:(StartQuery|StopQuery))$/.test(a));
  expect(writes).toEqual([]);
  expect(actions.some((a) => a.includes('*'))).toBe(false);
});

it('the evaluator refuses what the policy does not grant', () => {
  // Guards the test itself: a write and an unlisted API Gateway path must be refused.
  expect(allowed('apigateway:PATCH', 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/prod')).toBe(false);
  expect(allowed('apigateway:GET', 'arn:aws:apigateway:us-east-1::/usageplans')).toBe(false);
  expect(allowed('lambda:InvokeFunction', 'arn:aws:lambda:us-east-1:123456789012:function:orders-handler')).toBe(false);
  expect(allowed('lambda:GetPolicy', 'arn:aws:lambda:us-east-1:123456789012:function:orders-handler')).toBe(true);
});
