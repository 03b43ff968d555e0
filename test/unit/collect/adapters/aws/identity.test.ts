import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { AwsIdentity } from '../../../../../src/collect/adapters/aws/identity';
import { AwsCallError } from '../../../../../src/collect/call-aws';
import type { CallPolicy } from '../../../../../src/collect/call-aws';

const sts = mockClient(STSClient);
const policy: CallPolicy = { region: 'us-east-1', accountId: '123456789012', sleep: () => Promise.resolve() };

function adapter(): AwsIdentity {
  return new AwsIdentity(new STSClient({ region: 'us-east-1' }), policy);
}

beforeEach(() => {
  sts.reset();
  sts.onAnyCommand().rejects(new Error('unmocked call'));
});

describe('AwsIdentity.getCallerIdentity', () => {
  it('the account and principal', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ UserId: 'AROAEXAMPLEID:alice', Account: '123456789012', Arn: 'arn:aws:sts::123456789012:assumed-role/oncall/alice' });
    await expect(adapter().getCallerIdentity()).resolves.toEqual({ accountId: '123456789012', arn: 'arn:aws:sts::123456789012:assumed-role/oncall/alice' });
    expect(sts).toHaveReceivedCommandTimes(GetCallerIdentityCommand, 1);
  });

  it('expired credentials become a credentials AwsCallError', async () => {
    sts.on(GetCallerIdentityCommand).rejects(Object.assign(new Error('The security token included in the request is expired'), { name: 'ExpiredToken' }));
    const err: unknown = await adapter()
      .getCallerIdentity()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AwsCallError);
    expect(err).toMatchObject({ kind: 'credentials', service: 'sts' });
  });

  it('rejects an answer without Account', async () => {
    sts.on(GetCallerIdentityCommand).resolves({});
    await expect(adapter().getCallerIdentity()).rejects.toThrow(/no Account or Arn/);
  });
});
