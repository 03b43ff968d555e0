/**
 * What a 5xx digest says, as collected (src/collect/digest.ts) and rendered (src/slack/digest-blocks.ts,
 * src/render/digest-report.ts): every API stage of the configured accounts and Regions with its 5xx and
 * requests over the period and the period before, the likely cause of the worst ones, and what could not
 * be read. Plain data: it is stored in Redis for the digest's buttons.
 */
import type { ApiType } from '../diagnosis/evidence';

/** What the worst stages' logs say, classified by the knowledge base. */
export type LikelyCause =
  /** Most of the top error messages match this cause ("mostly malformed Lambda proxy responses"). */
  | { kind: 'cause'; causeId: string; title: string; /** Share of the classified lines, 0–1. */ share: number }
  /** The stage writes neither execution nor access logs: nothing to classify. */
  | { kind: 'logging-off' }
  /** Logs were read but no message matched a known cause; the top message, clipped. */
  | { kind: 'unknown'; topMessage?: string }
  /** The logs could not be read (reason said once, in the row). */
  | { kind: 'unreadable'; reason: string };

export interface DigestRow {
  /** The `accounts:` alias the stage was read with; absent for the default credentials (and the sandbox). */
  account?: string;
  region: string;
  apiId: string;
  apiName: string;
  apiType: ApiType;
  stage: string;
  count5xx: number;
  count: number;
  /** count5xx / count, 0–1 (0 without requests). */
  errorRate: number;
  /** The same over the period before. */
  before5xx: number;
  beforeCount: number;
  /** Relative change of the 5xx count against the period before (1.5 = +150%); undefined when there were none before. */
  change?: number;
  /** Set for the stages with the most 5xx (a bounded number of log queries). */
  likelyCause?: LikelyCause;
}

/** An account and Region that could not be read: one line in the digest, with what to do. */
export interface UnreadablePart {
  account?: string;
  region: string;
  reason: string;
  fix: string;
}

export interface DigestData {
  /** ISO times of the period and of the one before it (same length, ending where this one starts). */
  window: { from: string; to: string };
  before: { from: string; to: string };
  /** Every stage read, most 5xx first (then rate, then name). Buttons refer to rows by index here. */
  rows: DigestRow[];
  unreadable: UnreadablePart[];
  /** APIs in the accounts and Regions read (those with no stage included). */
  apiCount: number;
  totals: { count5xx: number; count: number; before5xx: number; /** APIs with at least one 5xx. */ apisWith5xx: number };
}
