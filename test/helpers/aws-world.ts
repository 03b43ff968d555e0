/**
 * Serves a sandbox world (src/collect/adapters/sandbox/world.ts) through `aws-sdk-client-mock` to the
 * real SDK clients, so tests meet AWS at the SDK boundary and can read the commands sent. Every mock
 * declares `onAnyCommand().rejects()` first: a command the world does not serve fails loudly instead
 * of resolving to `undefined`.
 */
import * as apigw from '@aws-sdk/client-api-gateway';
import * as apigwv2 from '@aws-sdk/client-apigatewayv2';
import * as cloudwatch from '@aws-sdk/client-cloudwatch';
import * as logs from '@aws-sdk/client-cloudwatch-logs';
import * as lambda from '@aws-sdk/client-lambda';
import * as sts from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import type { World } from '../../src/collect/adapters/sandbox/world';
import { SandboxAws } from '../../src/collect/adapters/sandbox/world';
import type { AwsService } from '../../src/collect/iam';
import type { DnsPort } from '../../src/collect/ports';

export type { LambdaFixture, MetricFixture, World } from '../../src/collect/adapters/sandbox/world';

export interface RecordedCall {
  service: AwsService;
  command: string;
  input: Record<string, unknown>;
}

export interface InstalledWorld {
  calls: () => RecordedCall[];
  dns: DnsPort;
  restore: () => void;
}

/** What the world needs of an `aws-sdk-client-mock` stub, whatever its client. */
interface Stub {
  reset(): unknown;
  restore(): void;
  onAnyCommand(): { rejects(error: Error): unknown };
  on(command: never): { callsFake(fn: (input: Record<string, unknown>) => unknown): unknown };
  calls(): { args: readonly unknown[] }[];
}

type ClientClass = new (config: object) => unknown;

const SERVICES: [AwsService, ClientClass, Record<string, unknown>][] = [
  ['apigateway', apigw.APIGatewayClient, apigw],
  ['apigatewayv2', apigwv2.ApiGatewayV2Client, apigwv2],
  ['logs', logs.CloudWatchLogsClient, logs],
  ['cloudwatch', cloudwatch.CloudWatchClient, cloudwatch],
  ['lambda', lambda.LambdaClient, lambda],
  ['sts', sts.STSClient, sts],
];

/** Installs the world on every SDK client class; call `restore()` after the test. */
export function installWorld(world: World): InstalledWorld {
  const sandbox = new SandboxAws(world);
  const stubs: [AwsService, Stub][] = [];
  for (const [service, client, module] of SERVICES) {
    const stub = mockClient(client as never) as unknown as Stub;
    stub.reset();
    stub.onAnyCommand().rejects(new Error(`the test world does not serve this ${service} command`));
    for (const name of sandbox.commands(service)) {
      stub.on(module[name] as never).callsFake((input) => sandbox.handle(service, name, input));
    }
    stubs.push([service, stub]);
  }
  return {
    calls: () =>
      stubs.flatMap(([service, stub]) =>
        stub.calls().map((call) => {
          const command = call.args[0] as { constructor: { name: string }; input: Record<string, unknown> };
          return { service, command: command.constructor.name, input: command.input };
        }),
      ),
    dns: sandbox.dns(),
    restore: () => {
      for (const [, stub] of stubs) stub.restore();
    },
  };
}
