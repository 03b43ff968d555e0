/**
 * Real AWS SDK v3 clients whose every command the sandbox answers. A middleware at the front of each
 * client's stack (`initialize` step) hands the command to `SandboxAws` and returns its answer as the
 * command's output, so nothing is signed or sent and no credentials are needed, while the adapters
 * call the SDK exactly as they do against AWS.
 */
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsService } from '../../iam';
import type { SandboxAws } from './world';

/** The clients `createAwsPorts` takes, one per service. */
export interface AwsClients {
  apigateway: APIGatewayClient;
  apigatewayv2: ApiGatewayV2Client;
  logs: CloudWatchLogsClient;
  cloudwatch: CloudWatchClient;
  lambda: LambdaClient;
  sts: STSClient;
}

/** What the sandbox needs of a client: its middleware stack (each client types it for its own commands). */
interface StackOwner {
  middlewareStack: { add(middleware: never, options: { step: 'initialize'; name: string; priority: 'high' }): void };
}

type Initialize = (next: unknown, context: { commandName?: string }) => (args: { input: object }) => Promise<{ output: object; response: object }>;

function answeredBy<T extends StackOwner>(client: T, service: AwsService, sandbox: SandboxAws): T {
  const middleware: Initialize = (_next, context) => async (args) => {
    const output = (await sandbox.handle(service, context.commandName ?? '', args.input as Record<string, unknown>)) as object;
    return { output: { ...output, $metadata: { httpStatusCode: 200, requestId: 'sandbox', attempts: 1, totalRetryDelay: 0 } }, response: {} };
  };
  // One middleware serves every command of every client; its type cannot name each client's own unions.
  client.middlewareStack.add(middleware as never, { step: 'initialize', name: 'apigwDoctorSandbox', priority: 'high' });
  return client;
}

/** SDK clients for `region` answered by the sandbox. */
export function sandboxClients(sandbox: SandboxAws): AwsClients {
  const config = { region: sandbox.world.region, maxAttempts: 1, credentials: { accessKeyId: 'SANDBOX', secretAccessKey: 'sandbox' } };
  return {
    apigateway: answeredBy(new APIGatewayClient(config), 'apigateway', sandbox),
    apigatewayv2: answeredBy(new ApiGatewayV2Client(config), 'apigatewayv2', sandbox),
    logs: answeredBy(new CloudWatchLogsClient(config), 'logs', sandbox),
    cloudwatch: answeredBy(new CloudWatchClient(config), 'cloudwatch', sandbox),
    lambda: answeredBy(new LambdaClient(config), 'lambda', sandbox),
    sts: answeredBy(new STSClient(config), 'sts', sandbox),
  };
}
