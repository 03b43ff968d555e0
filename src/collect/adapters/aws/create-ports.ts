/**
 * Builds the AWS SDK v3 implementation of every port for one account and Region. Credentials come
 * from the default chain, or from a role assumed with it (an account of `APIGW_DOCTOR_CONFIG`).
 * The SDK's own retries are off (`maxAttempts: 1`): `callAws` retries throttling once, visibly.
 */
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { AccountSettings } from '../../accounts';
import type { CallPolicy } from '../../call-aws';
import { callAws } from '../../call-aws';
import type { AwsService } from '../../iam';
import type { AwsPorts, DnsPort } from '../../ports';
import type { RateLimiter } from '../../rate-limit';
import { TokenBucket } from '../../rate-limit';
import { AwsIdentity } from './identity';
import { AwsHttpApiGateway } from './http-api-gateway';
import { AwsLambda } from './lambda';
import type { AwsLogsOptions } from './logs';
import { AwsLogs } from './logs';
import { AwsMetrics } from './metrics';
import { AwsRestApiGateway } from './rest-api-gateway';

export interface CreateAwsPortsOptions {
  region: string;
  account?: AccountSettings;
  dns: DnsPort;
  /** Shared limiters, so that concurrent investigations of one account stay within its quotas. */
  limiters?: AccountLimiters;
  onCall?: CallPolicy['onCall'];
  /** Logs Insights polling (see AwsLogs); tests shorten it. */
  logs?: AwsLogsOptions;
  /** Clients to use instead of new ones (the sandbox's); credentials and Region are then theirs. */
  clients?: {
    apigateway: APIGatewayClient;
    apigatewayv2: ApiGatewayV2Client;
    logs: CloudWatchLogsClient;
    cloudwatch: CloudWatchClient;
    lambda: LambdaClient;
    sts: STSClient;
  };
}

/**
 * API Gateway's control-plane quotas, per account: 10 requests per second with a burst of 40 in all,
 * and GetResources 5 per 2 seconds. The buckets run a little under them to leave room for other tools.
 */
export class AccountLimiters {
  private readonly buckets = new Map<string, { all: RateLimiter; resources: RateLimiter }>();

  limiterFor(key: string): (service: AwsService, command: string) => RateLimiter | undefined {
    let b = this.buckets.get(key);
    if (!b) {
      b = { all: new TokenBucket({ ratePerSecond: 8, burst: 20 }), resources: new TokenBucket({ ratePerSecond: 2, burst: 4 }) };
      this.buckets.set(key, b);
    }
    const { all, resources } = b;
    return (service, command) => {
      if (service !== 'apigateway' && service !== 'apigatewayv2') return undefined;
      if (command === 'GetResourcesCommand') return { take: () => resources.take().then(() => all.take()) };
      return all;
    };
  }
}

export function createAwsPorts(options: CreateAwsPortsOptions): AwsPorts {
  const { region } = options;
  const credentials = !options.clients && options.account?.roleArn ? assumeRoleProvider(options.account, region, options.onCall) : undefined;
  const clientConfig = { region, maxAttempts: 1, ...(credentials ? { credentials } : {}) };
  const limiters = options.limiters ?? new AccountLimiters();
  const policy: CallPolicy = {
    region,
    limiterFor: limiters.limiterFor(`${options.account?.alias ?? 'default'}/${region}`),
    ...(options.onCall ? { onCall: options.onCall } : {}),
  };
  const clients = options.clients ?? {
    apigateway: new APIGatewayClient(clientConfig),
    apigatewayv2: new ApiGatewayV2Client(clientConfig),
    logs: new CloudWatchLogsClient(clientConfig),
    cloudwatch: new CloudWatchClient(clientConfig),
    lambda: new LambdaClient(clientConfig),
    sts: new STSClient(clientConfig),
  };
  const rest = new AwsRestApiGateway(clients.apigateway, policy);
  return {
    region,
    rest,
    account: rest,
    v2: new AwsHttpApiGateway(clients.apigatewayv2, policy),
    logs: new AwsLogs(clients.logs, policy, options.logs),
    metrics: new AwsMetrics(clients.cloudwatch, policy),
    lambda: new AwsLambda(clients.lambda, policy),
    dns: options.dns,
    identity: new AwsIdentity(clients.sts, policy),
  };
}

/** Credentials of a role assumed with the default chain, refreshed five minutes before they expire. */
export function assumeRoleProvider(account: AccountSettings, region: string, onCall: CallPolicy['onCall'], now: () => number = Date.now): AwsCredentialIdentityProvider {
  const sts = new STSClient({ region, maxAttempts: 1 });
  let cached: AwsCredentialIdentity | undefined;
  return async () => {
    if (cached?.expiration && cached.expiration.getTime() - now() > 5 * 60_000) return cached;
    const command = new AssumeRoleCommand({
      RoleArn: account.roleArn,
      RoleSessionName: 'apigw-doctor',
      DurationSeconds: 3600,
      ...(account.externalId ? { ExternalId: account.externalId } : {}),
    });
    const out = await callAws({ region, ...(onCall ? { onCall } : {}) }, 'sts', command, () => sts.send(command));
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`AssumeRole of ${account.roleArn ?? ''} returned no credentials`);
    cached = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}), ...(c.Expiration ? { expiration: c.Expiration } : {}) };
    return cached;
  };
}
