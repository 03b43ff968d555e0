/**
 * The time window a question is about, as people type it: `15m`, `1h`, `6h`, `7d`. Fifteen minutes
 * at least (metrics need a few points, and an onset needs a before) and seven days at most (Logs
 * Insights scans, and bills, every byte in the range).
 */
import { UsageError } from '../errors';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
export const MIN_SINCE_MS = 15 * UNIT_MS.m;
export const MAX_SINCE_MS = 7 * UNIT_MS.d;
const HELP = 'expected a window such as 15m, 1h, 6h or 7d';

/** Whether text has the shape of a window (`90m`, `1h`, `7d`), in range or not. */
export function looksLikeWindow(text: string): boolean {
  return /^\d{1,6}[mhd]$/i.test(text.trim());
}

/** Parses `15m`…`7d` (minutes, hours or days) into milliseconds; anything else is a UsageError. */
export function parseSince(text: string): number {
  const m = /^(\d{1,6})([mhd])$/i.exec(text.trim());
  const unit = m?.[2]?.toLowerCase() as keyof typeof UNIT_MS | undefined;
  if (!m || !unit) throw new UsageError(`${HELP}, got "${clip(text)}"`);
  const ms = Number(m[1]) * UNIT_MS[unit];
  if (ms < MIN_SINCE_MS) throw new UsageError(`${text.trim()} is shorter than 15m; ${HELP}`);
  if (ms > MAX_SINCE_MS) throw new UsageError(`${text.trim()} is longer than 7d (Logs Insights would scan all of it); ${HELP}`);
  return ms;
}

/** The window ending at `now` and lasting `sinceMs`. */
export function windowEndingAt(now: Date, sinceMs: number): { from: Date; to: Date } {
  return { from: new Date(now.getTime() - sinceMs), to: new Date(now.getTime()) };
}

/** A duration as people say it: `90m`, `1h`, `24h`, `7d` (days from two days on). */
export function formatSince(ms: number): string {
  if (ms >= 2 * UNIT_MS.d && ms % UNIT_MS.d === 0) return `${ms / UNIT_MS.d}d`;
  if (ms > 0 && ms % UNIT_MS.h === 0) return `${ms / UNIT_MS.h}h`;
  return `${Math.max(1, Math.round(ms / UNIT_MS.m))}m`;
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}
