/**
 * A sandbox scenario: one API broken in one known way (or healthy, or with its logging off), built as a
 * fragment of the sandbox account relative to "now", so that `--since 1h` finds its errors. Counts are
 * deterministic: the same `now` gives the same world.
 */
import type { ApiType } from '../../../diagnosis/evidence';
import type { World } from './world';

/** The parts of a world a scenario contributes; the sandbox merges every scenario into one account. */
export type WorldFragment = Partial<Pick<World, 'restApis' | 'v2Apis' | 'logGroups' | 'metrics' | 'functions' | 'dns' | 'basePathMappings' | 'apiMappings'>>;

export interface Scenario {
  /** Kebab-case, stable: `why --sandbox` tests and the README name scenarios by it. */
  id: string;
  /** One line for `apis` and the README: what is broken. */
  title: string;
  /** The API's name in the sandbox (unique across scenarios). */
  apiName: string;
  apiType: ApiType;
  /** The stage that fails. */
  stage: string;
  /** The status an engineer would ask about. */
  status: number | '5xx';
  /** The knowledge-base cause the investigation must name first; null for the healthy API. */
  cause: string | null;
  build(now: Date): WorldFragment;
}

export const SANDBOX_REGION = 'us-east-1';
export const SANDBOX_ACCOUNT = '123456789012';
