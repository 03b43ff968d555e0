/**
 * What an `apis` answer or a digest listed, kept in Redis for its buttons: a button carries only its
 * row's number and the listing's id (picked and stored before the post), and the row (API, stage,
 * Region, account) is looked up here, in the channel of the click.
 */
import type { Redis } from 'ioredis';
import type { DigestData } from '../collect/digest-data';

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

/** A posted digest, kept for its "Show all" button: the data and the words its period was described in. */
export interface StoredDigest {
  data: DigestData;
  periodLabel: string;
}

export const digestKey = (prefix: string, channelId: string, ts: string): string => `${prefix}:digest:posted-data:${channelId}:${ts}`;

export async function saveDigest(redis: Redis, prefix: string, channelId: string, ts: string, digest: StoredDigest): Promise<void> {
  await redis.set(digestKey(prefix, channelId, ts), JSON.stringify(digest), 'EX', LISTING_TTL_S);
}

/** The digest posted as message `ts`, or undefined (expired, or not a digest). */
export async function loadDigest(redis: Redis, prefix: string, channelId: string, ts: string): Promise<StoredDigest | undefined> {
  const raw = await redis.get(digestKey(prefix, channelId, ts));
  if (raw === null) return undefined;
  try {
    const parsed = JSON.parse(raw) as Partial<StoredDigest> | null;
    return parsed && typeof parsed.periodLabel === 'string' && typeof parsed.data === 'object' && Array.isArray(parsed.data.rows) ? (parsed as StoredDigest) : undefined;
  } catch {
    return undefined;
  }
}
