/**
 * Rows as Logs Insights returns them for the investigation's queries, and the times they carry.
 *
 * - Execution and Lambda logs are read by a message-groups query: one row per message with `message`,
 *   `n`, `firstSeen`, `lastSeen` and two example request ids `r1`, `r2` ({@link messageRow}).
 * - JSON access logs are read by an access-failures query: the grouped fields under fixed `f_<field>`
 *   columns, with the same aggregates ({@link accessRow}).
 * - Raw lines (the "HTTP Method:" lookups, non-JSON access logs) come back as `@timestamp`, `@message`
 *   ({@link rawRow}).
 *
 * Insights writes times as `2026-11-25 14:02:11.121` (UTC, no `T`, no `Z`).
 */
import { insightsTime, type LogRows } from '../world';

export type LogRow = LogRows[number];

/** When a group of lines was first and last seen. */
export interface Span {
  first: Date;
  last: Date;
}

export { insightsTime };

/** A time as Lambda writes `LastModified`: `2026-11-25T13:58:40.000+0000`. */
export function lambdaTime(d: Date): string {
  return d.toISOString().replace('Z', '+0000');
}

/** An aggregated row of the execution/Lambda message-groups query. */
export function messageRow(message: string, n: number, r1: string, r2: string, span: Span): LogRow {
  return { message, n: String(n), firstSeen: insightsTime(span.first), lastSeen: insightsTime(span.last), r1, r2 };
}

/** An aggregated row of the access-failures query (columns `f_<field>`). */
export function accessRow(fields: Record<string, string>, n: number, r1: string, r2: string, span: Span): LogRow {
  const row: LogRow = { n: String(n), firstSeen: insightsTime(span.first), lastSeen: insightsTime(span.last), r1, r2 };
  for (const [k, v] of Object.entries(fields)) row[`f_${k}`] = v;
  return row;
}

/** A raw line (`fields @timestamp, @message`). */
export function rawRow(at: Date, message: string): LogRow {
  return { '@timestamp': insightsTime(at), '@message': message };
}
