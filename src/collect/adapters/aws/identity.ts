/**
 * {@link IdentityPort} over STS `GetCallerIdentity`, which needs no permission: it tells which account
 * the credentials are for, so a wrong profile is caught before any other read.
 */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { STSClient } from '@aws-sdk/client-sts';
import { callAws } from '../../call-aws';
import type { CallPolicy } from '../../call-aws';
import type { IdentityPort } from '../../ports';

export class AwsIdentity implements IdentityPort {
  constructor(
    private readonly client: STSClient,
    private readonly policy: CallPolicy,
  ) {}

  /** The account id and principal ARN; rejects when STS answers without them. */
  async getCallerIdentity(): Promise<{ accountId: string; arn: string }> {
    const command = new GetCallerIdentityCommand({});
    const out = await callAws(this.policy, 'sts', command, () => this.client.send(command));
    if (out.Account === undefined || out.Arn === undefined) throw new Error('GetCallerIdentity: the answer has no Account or Arn');
    return { accountId: out.Account, arn: out.Arn };
  }
}
