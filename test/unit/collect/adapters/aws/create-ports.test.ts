/**
 * Credentials for an account of APIGW_DOCTOR_CONFIG (a role assumed with the default chain), and the
 * API Gateway quotas shared by every investigation of one account.
 */
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { AccountLimiters, assumeRoleProvider } from '../../../../../src/collect/adapters/aws/create-ports';
import { AwsCallError } from '../../../../../src/collect/call-aws';

const sts = mockClient(STSClient);
const ROLE = 'arn:aws:iam::210987654321:role/apigw-doctor-read';

beforeEach(() => {
  sts.reset();
  sts.onAnyCommand().rejects(new Error('unmocked call'));
});
afterAll(() => sts.restore());

it('assumes the role once and reuses the credentials until five minutes before they expire', async () => {
  let now = Date.parse('2026-11-25T14:00:00Z');
  sts.on(AssumeRoleCommand, { RoleArn: ROLE, RoleSessionName: 'apigw-doctor', ExternalId: 'ext-42' }).resolves({
    Credentials: { AccessKeyId: 'ASIAEXAMPLE000000001', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date('2026-11-25T15:00:00Z') },
  });
  const provider = assumeRoleProvider({ alias: 'payments', roleArn: ROLE, externalId: 'ext-42', regions: ['eu-west-1'] }, 'eu-west-1', undefined, () => now);
  const first = await provider();
  expect(first.accessKeyId).toBe('ASIAEXAMPLE000000001');
  await provider();
  expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
  now = Date.parse('2026-11-25T14:56:00Z');
  await provider();
  expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
});

it('a refused AssumeRole names the role to fix', async () => {
  sts.on(AssumeRoleCommand).rejects(Object.assign(new Error(`User: arn:aws:sts::123456789012:assumed-role/bot/x is not authorized to perform: sts:AssumeRole on resource: ${ROLE}`), { name: 'AccessDenied' }));
  const provider = assumeRoleProvider({ alias: 'payments', roleArn: ROLE, regions: [] }, 'eu-west-1', undefined);
  const error = await provider().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AwsCallError);
  expect((error as AwsCallError).kind).toBe('access-denied');
  expect((error as AwsCallError).need).toEqual({ action: 'sts:AssumeRole', resource: ROLE });
});

it('limits API Gateway calls per account and Region, and nothing else', () => {
  const limiters = new AccountLimiters();
  const forProd = limiters.limiterFor('prod/us-east-1');
  expect(forProd('apigateway', 'GetStagesCommand')).toBeDefined();
  expect(forProd('apigatewayv2', 'GetRoutesCommand')).toBe(forProd('apigateway', 'GetStagesCommand'));
  expect(forProd('logs', 'StartQueryCommand')).toBeUndefined();
  // Two investigations of one account share the bucket; another account has its own.
  expect(limiters.limiterFor('prod/us-east-1')('apigateway', 'GetStagesCommand')).toBe(forProd('apigateway', 'GetStagesCommand'));
  expect(limiters.limiterFor('dev/us-east-1')('apigateway', 'GetStagesCommand')).not.toBe(forProd('apigateway', 'GetStagesCommand'));
});
