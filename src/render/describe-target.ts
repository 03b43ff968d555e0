/**
 * How a report names what it is about: "502s", and "orders-api (REST a1b2c3d4e5, stage prod,
 * us-east-1)". Every line that names the API (progress, headline, `apis`, `check`) says it alike.
 */
import type { ApiType, StatusQuery, Target } from '../diagnosis/evidence';

/** "502s", or "5xx errors" for any 5xx. */
export function statusLabel(status: StatusQuery): string {
  return status === '5xx' ? '5xx errors' : `${status}s`;
}

/** "orders-api (REST a1b2c3d4e5, stage prod, us-east-1)": what a user typed, then what pins it down. */
export function describeTarget(target: Target, apiType: ApiType): string {
  const details = [target.apiId ? `${apiType} ${target.apiId}` : apiType, target.stage ? `stage ${target.stage}` : '', target.region ?? ''].filter((s) => s !== '');
  return `${target.apiName ?? target.apiId ?? 'API'} (${details.join(', ')})`;
}

/** A count as people read it: 48,210. */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A clock time in UTC, with the date when it is not the day of `reference`: "14:02 UTC", "Nov 24 22:15 UTC". */
export function formatClock(iso: string, reference?: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const d = new Date(t);
  const clock = `${d.toISOString().slice(11, 16)} UTC`;
  const ref = reference === undefined ? NaN : Date.parse(reference);
  if (Number.isNaN(ref) || new Date(ref).toISOString().slice(0, 10) === d.toISOString().slice(0, 10)) return clock;
  return `${d.toLocaleString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' })} ${clock}`;
}

/** A share of requests: "4.1%", "<0.1%" for a few errors among many, "0%" for none. */
export function formatRate(rate: number): string {
  if (rate <= 0) return '0%';
  if (rate < 0.001) return '<0.1%';
  return `${(rate * 100).toFixed(1)}%`;
}
