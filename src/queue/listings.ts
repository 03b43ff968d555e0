/**
 * What an `apis` answer listed, kept in Redis for its Investigate buttons: a button carries only its
 * row's number, and the row (API, stage, Region, account) is looked up here, by the message it is on.
 */
import type { Redis } from 'ioredis';

/** One API stage of a listing, as an Investigate button starts an investigation of it. */
export interface ListingRow {
  apiId: string;
  apiName: string;
  stage: string;
  region?: string;
  account?: string;
  /** The listing's window: the investigation looks at the same one. */
  sinceMs: number;
}

/** As long as a thread's context: the buttons of a week-old listing still work. */
export const LISTING_TTL_S = 7 * 24 * 3_600;

export const listingKey = (prefix: string, channelId: string, ts: string): string => `${prefix}:listing:${channelId}:${ts}`;

export async function saveListing(redis: Redis, prefix: string, channelId: string, ts: string, rows: readonly ListingRow[]): Promise<void> {
  await redis.set(listingKey(prefix, channelId, ts), JSON.stringify(rows), 'EX', LISTING_TTL_S);
}

/** The listing's rows, or undefined when there is none (expired, or not a listing). */
export async function loadListing(redis: Redis, prefix: string, channelId: string, ts: string): Promise<ListingRow[] | undefined> {
  const raw = await redis.get(listingKey(prefix, channelId, ts));
  if (raw === null) return undefined;
  try {
    const rows = JSON.parse(raw) as unknown;
    return Array.isArray(rows) ? rows.filter(isRow) : undefined;
  } catch {
    return undefined;
  }
}

function isRow(value: unknown): value is ListingRow {
  const v = value as Partial<ListingRow> | null;
  return typeof v === 'object' && v !== null && typeof v.apiId === 'string' && typeof v.apiName === 'string' && typeof v.stage === 'string' && typeof v.sinceMs === 'number';
}
