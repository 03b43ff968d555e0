/**
 * The in-memory form of one knowledge file (knowledge/README.md documents the YAML form).
 */
import type { Condition } from '../conditions';
import type { ApiType, IntegrationType, LogSource } from '../evidence';
import type { ResponseField } from '../response';
import type { TemplateLine } from '../shell';

/** Access-log fields a signal can read, named after the `$context` variables that fill them. */
export const ACCESS_FIELDS = [
  'responseType',
  'errorMessage',
  'integrationErrorMessage',
  'integrationError',
  'authorizerError',
  'status',
  'integrationStatus',
  'integrationLatency',
] as const;
export type AccessField = (typeof ACCESS_FIELDS)[number];

interface SignalBase {
  /** `<causeId>#<signalId>`: unique across the knowledge base. */
  uid: string;
  id: string;
  causeId: string;
  /** How strongly this signal alone points at the cause, 0 < weight ≤ 1 (combined by noisy-OR). */
  weight: number;
  apiTypes?: readonly ApiType[];
  /** The signal counts only when these facts are known to hold. */
  requires?: Condition;
  /** The signal is void when any of these conditions is known to hold. */
  excludes?: readonly Condition[];
  /** The status the client saw when this signal fires (e.g. 502 for a malformed proxy response). */
  status?: number;
  /**
   * The signal is void when any of these text signals (`<cause-id>#<signal-id>`) matched a line: a
   * message that two causes share belongs to the other one when the logs also show that one's own text
   * (e.g. "Invalid permissions on Lambda function" next to "Authorizer error").
   */
  unlessSeen?: readonly string[];
  /**
   * The signal only adds to a cause that another of its signals already points at (a deployment just
   * before the errors makes a broken-code cause likelier, but says nothing on its own).
   */
  corroborates?: boolean;
  /** Where the text comes from (a URL); required for log and access signals. */
  cite?: string;
}

export interface TextSignal extends SignalBase {
  kind: 'log' | 'access';
  pattern: RegExp;
  /** One of these must appear in any matching line (see literals.ts); lower-cased for `i` patterns. */
  literals: readonly string[];
  caseInsensitive: boolean;
  /** log: the log sources it reads (all when absent). */
  sources?: readonly LogSource[];
  /** access: the fields it reads. */
  fields?: readonly AccessField[];
}

export interface FactSignal extends SignalBase {
  kind: 'fact' | 'metric';
  when: Condition;
  /** Evidence text, e.g. "integration HTTP method is {integrationHttpMethod}". */
  says: string;
}

/** What the client saw: its status, a header or the body, matched by a pattern. Weak alone (weight ≤ 0.55). */
export interface ResponseSignal extends SignalBase {
  kind: 'response';
  field: ResponseField;
  pattern: RegExp;
}

export type Signal = TextSignal | FactSignal | ResponseSignal;

export interface FixTemplate {
  title: string;
  apiTypes?: readonly ApiType[];
  /** The fix applies only when these facts are known to hold (e.g. the timeout is already at its maximum). */
  requires?: Condition;
  /** The fix does not apply when any of these is known to hold (it would set what is already set). */
  excludes?: readonly Condition[];
  /** The fix belongs to these signals of its cause (ids): it shows only when one of them fired. */
  signals?: readonly string[];
  command: readonly TemplateLine[];
  verify: readonly TemplateLine[];
  changes: string;
  notes: readonly string[];
  /** Append the deployment step the API type needs for the change to take effect. */
  redeploy: boolean;
}

export interface Example {
  name: string;
  /** An evidence document (DESIGN.md §3); status and apiType default from the cause. */
  evidence: unknown;
  /** match: the least confidence the cause must reach as the first finding (default 0.8). */
  minConfidence?: number;
  /** match: the rank it must reach (default 1). */
  rank?: number;
  /** noMatch: the most confidence the cause may get (default: it must not be listed at all). */
  maxConfidence?: number;
}

export interface Cause {
  id: string;
  title: string;
  /** `telemetry` findings say what cannot be seen; they never make the verdict "diagnosed". */
  kind: 'root-cause' | 'telemetry';
  summary: string;
  explanation: string;
  apiTypes: readonly ApiType[];
  integrationTypes?: readonly IntegrationType[];
  /** The statuses the client sees, per API type. */
  statuses: Readonly<Partial<Record<ApiType, readonly number[]>>>;
  /** The cause is ruled out when any of these conditions is known to hold. */
  excludes?: readonly Condition[];
  signals: readonly Signal[];
  fixes: readonly FixTemplate[];
  docs: readonly { title: string; url: string }[];
  examples: { match: readonly Example[]; noMatch: readonly Example[] };
  /** The file it was loaded from. */
  file: string;
}

export interface KnowledgeBase {
  causes: readonly Cause[];
  /** Messages about overrides (a team folder replacing a shipped cause). */
  warnings: readonly string[];
}
