/**
 * {@link LambdaPort} over `@aws-sdk/client-lambda`: the integrated function's configuration, reserved
 * concurrency, aliases and resource policy. Reads only; every call goes through `callAws`.
 */
import { GetAliasCommand, GetFunctionConcurrencyCommand, GetFunctionConfigurationCommand, GetPolicyCommand } from '@aws-sdk/client-lambda';
import type { FunctionConfiguration, LambdaClient } from '@aws-sdk/client-lambda';
import { callAws, orNullWhenMissing } from '../../call-aws';
import type { CallPolicy } from '../../call-aws';
import type { LambdaAliasInfo, LambdaFunctionInfo, LambdaPort } from '../../ports';

/** Lambda's default function timeout, for a configuration that does not report one. */
const DEFAULT_TIMEOUT_S = 3;


/** The bare name from a name, `name:qualifier` or a (qualified) function ARN. */
function bareName(nameOrArn: string): string {
  const fromArn = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)/.exec(nameOrArn);
  if (fromArn?.[1] !== undefined) return fromArn[1];
  return nameOrArn.split(':')[0] ?? nameOrArn;
}

function toFunctionInfo(c: FunctionConfiguration, asked: string): LambdaFunctionInfo {
  const name = c.FunctionName ?? bareName(asked);
  const info: LambdaFunctionInfo = {
    functionArn: c.FunctionArn ?? asked,
    functionName: name,
    timeoutMs: (c.Timeout ?? DEFAULT_TIMEOUT_S) * 1000,
    // A function with no custom log group writes to the default one Lambda names after it.
    logGroup: c.LoggingConfig?.LogGroup ?? `/aws/lambda/${name}`,
  };
  if (c.LastModified !== undefined) info.lastModified = c.LastModified;
  if (c.Version !== undefined) info.version = c.Version;
  if (c.State !== undefined) info.state = c.State;
  if (c.Runtime !== undefined) info.runtime = c.Runtime;
  if (c.MemorySize !== undefined) info.memoryMb = c.MemorySize;
  return info;
}

export class AwsLambda implements LambdaPort {
  constructor(
    private readonly client: LambdaClient,
    private readonly policy: CallPolicy,
  ) {}

  /**
   * `GetFunctionConfiguration` for the function, or its version or alias when `qualifier` is given;
   * null when it does not exist. `timeoutMs` defaults to Lambda's 3 s when the answer has no timeout;
   * `logGroup` is `LoggingConfig.LogGroup`, else `/aws/lambda/{FunctionName}`.
   */
  async getFunction(functionName: string, qualifier?: string): Promise<LambdaFunctionInfo | null> {
    const command = new GetFunctionConfigurationCommand({ FunctionName: functionName, ...(qualifier ? { Qualifier: qualifier } : {}) });
    const out = await orNullWhenMissing(() => callAws(this.policy, 'lambda', command, () => this.client.send(command)));
    return out ? toFunctionInfo(out, functionName) : null;
  }

  /** `GetFunctionConcurrency`: the reserved concurrency, or undefined when none is set. Rejects when the function does not exist. */
  async getReservedConcurrency(functionName: string): Promise<number | undefined> {
    const command = new GetFunctionConcurrencyCommand({ FunctionName: functionName });
    const out = await callAws(this.policy, 'lambda', command, () => this.client.send(command));
    return out.ReservedConcurrentExecutions;
  }

  /** `GetAlias`: the version the alias points to, or null when the alias (or function) does not exist. */
  async getAlias(functionName: string, alias: string): Promise<LambdaAliasInfo | null> {
    const command = new GetAliasCommand({ FunctionName: functionName, Name: alias });
    const out = await orNullWhenMissing(() => callAws(this.policy, 'lambda', command, () => this.client.send(command)));
    if (!out) return null;
    const weights = out.RoutingConfig?.AdditionalVersionWeights;
    return { name: out.Name ?? alias, functionVersion: out.FunctionVersion ?? '', ...(weights && Object.keys(weights).length > 0 ? { additionalVersionWeights: { ...weights } } : {}) };
  }

  /**
   * `GetPolicy` for the function, or for its version or alias when `qualifier` is given (an alias needs
   * its own permission): the policy JSON text, or null when there is none. Lambda answers
   * `ResourceNotFoundException` both for "no policy" and for "no such function"; both mean API Gateway
   * cannot invoke it, so both are null.
   */
  async getPolicy(functionName: string, qualifier?: string): Promise<string | null> {
    const command = new GetPolicyCommand({ FunctionName: functionName, ...(qualifier ? { Qualifier: qualifier } : {}) });
    const out = await orNullWhenMissing(() => callAws(this.policy, 'lambda', command, () => this.client.send(command)));
    return out?.Policy ?? null;
  }
}
