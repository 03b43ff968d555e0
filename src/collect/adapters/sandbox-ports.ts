/**
 * Every port answered by the sandbox: the real AWS SDK adapters over SDK clients that the sandbox
 * answers. It lives beside the adapter folders, not in one, because it joins two of them.
 */
import type { CreateAwsPortsOptions } from './aws/create-ports';
import { createAwsPorts } from './aws/create-ports';
import { sandboxClients } from './sandbox/clients';
import type { World } from './sandbox/world';
import { SandboxAws } from './sandbox/world';
import type { AwsPorts } from '../ports';

export function sandboxPorts(world: World, options: Pick<CreateAwsPortsOptions, 'logs' | 'onCall'> = {}): { ports: AwsPorts; sandbox: SandboxAws } {
  const sandbox = new SandboxAws(world);
  const ports = createAwsPorts({ region: world.region, dns: sandbox.dns(), clients: sandboxClients(sandbox), ...options });
  return { ports, sandbox };
}
