/**
 * A time window as people read it: "last 6h" for a round window that ends now, otherwise the clock it
 * began at in the reader's time zone and in UTC, "since 09:00 PT (17:00 UTC)", with the weekday when it
 * is not today there ("since Tue 09:00 PT (Tue 17:00 UTC)") and the date when it is a week or more back
 * ("since Nov 17 09:00 CET (Nov 17 08:00 UTC)"). A window that ended earlier reads as a range:
 * "17:00–18:00 UTC", "Tue 09:00 – Wed 09:00 PT (Tue 17:00 – Wed 17:00 UTC)". Never minutes ("1051m").
 *
 * Pure: the clock and the zone are arguments; wall clocks come from the zone reader the request parser
 * uses (src/slack/zoned-time.ts). An unknown zone reads as UTC, and a date that is not one gives a plain
 * phrase instead of an exception.
 */
import type { WallClock } from '../slack/zoned-time';
import { resolvedTimeZone, wallClock as wallClockIn } from '../slack/zoned-time';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** A window that ends this close to `now` ends now (the ack and the clock that set it differ by a moment). */
const NOW_TOLERANCE_MS = 2 * MINUTE;
/** Round windows up to this many hours read in hours ("last 48h"); longer ones in days ("last 3d"). */
const MAX_HOURS = 48;
/** What a window with no readable bounds is called. */
const UNKNOWN_WINDOW = 'the requested window';

export interface WindowPhraseOptions {
  /** The clock the window is read against: "last 6h" means up to this. */
  now: Date;
  /** The reader's IANA time zone (Slack's `users.info` → `tz`); default UTC; an unknown one reads as UTC. */
  timeZone?: string;
}

/**
 * `window` as people read it, against `options.now` in `options.timeZone`: "last 6h", "last 7d",
 * "since 09:00 PT (17:00 UTC)", "since 17:00 UTC", or, when it ended earlier, "17:00–18:00 UTC".
 */
export function describeWindow(window: { from: Date | string; to: Date | string }, options: WindowPhraseOptions): string {
  try {
    const a = instantOf(window.from);
    const b = instantOf(window.to);
    if (a === undefined || b === undefined) return UNKNOWN_WINDOW;
    const start = Math.min(a, b);
    const end = Math.max(a, b);
    const now = instantOf(options.now);
    if (now === undefined) return plainLength(end - start);
    const zone = zoneOf(options.timeZone);
    if (Math.abs(end - now) <= NOW_TOLERANCE_MS) return lastPhrase(end - start) ?? sincePhrase(start, now, zone);
    return rangePhrase(start, end, now, zone);
  } catch {
    return UNKNOWN_WINDOW;
  }
}

/** The window of `sinceMs` ending at `options.now`, as `describeWindow` reads it: "last 6h", "since 09:00 PT (17:00 UTC)". */
export function describeSinceMs(sinceMs: number, options: WindowPhraseOptions): string {
  if (typeof sinceMs !== 'number' || !Number.isFinite(sinceMs) || sinceMs < 0) return UNKNOWN_WINDOW;
  const now = instantOf(options.now);
  if (now === undefined) return plainLength(sinceMs);
  return describeWindow({ from: new Date(now - sinceMs), to: new Date(now) }, options);
}

// ────────────────────────────────────────────────────────────────────────────────────────────────
// Phrases
// ────────────────────────────────────────────────────────────────────────────────────────────────

/** "last 6h", "last 48h", "last 7d" for a window of whole hours (up to 48) or whole days; else undefined. */
function lastPhrase(lengthMs: number): string | undefined {
  // To the minute: a window built from a clock with seconds is still round.
  const ms = Math.round(lengthMs / MINUTE) * MINUTE;
  if (ms <= 0) return undefined;
  if (ms % HOUR === 0 && ms <= MAX_HOURS * HOUR) return `last ${ms / HOUR}h`;
  if (ms % DAY === 0) return `last ${ms / DAY}d`;
  return undefined;
}

/** A length alone, when there is no clock to read it against: "last 6h", "last 45 min", "last 17.5h", "last 2.5d". */
function plainLength(lengthMs: number): string {
  if (!Number.isFinite(lengthMs) || lengthMs < 0) return UNKNOWN_WINDOW;
  const last = lastPhrase(lengthMs);
  if (last !== undefined) return last;
  if (lengthMs < HOUR) return `last ${Math.max(1, Math.round(lengthMs / MINUTE))} min`;
  const tenths = (unit: number): string => String(Math.round((lengthMs / unit) * 10) / 10);
  return lengthMs <= MAX_HOURS * HOUR ? `last ${tenths(HOUR)}h` : `last ${tenths(DAY)}d`;
}

/**
 * "since 09:00 PT (17:00 UTC)". The start is rounded up to the minute: a window read from "since 9am"
 * is a whole number of minutes long, so its start lies in the minute before 09:00, and reads 09:00.
 */
function sincePhrase(start: number, now: number, zone: Zone): string {
  const at = Math.ceil(start / MINUTE) * MINUTE;
  const zones = zone.isUtc ? [UTC] : [zone, UTC];
  const days = dayStyle(zones, [at], now);
  const parts = zones.map((z) => {
    const w = wallClock(at, z);
    return `${dayLabel(w, days, z, now)}${clockOf(w)} ${zoneLabel(z, at)}`;
  });
  return `since ${parts[0] ?? ''}${parts[1] !== undefined ? ` (${parts[1]})` : ''}`;
}

/** "17:00–18:00 UTC", "09:00–10:00 PT (17:00–18:00 UTC)", "Tue 09:00 – Wed 09:00 PT (Tue 17:00 – Wed 17:00 UTC)". */
function rangePhrase(start: number, end: number, now: number, zone: Zone): string {
  const a = Math.round(start / MINUTE) * MINUTE;
  const b = Math.round(end / MINUTE) * MINUTE;
  const zones = zone.isUtc ? [UTC] : [zone, UTC];
  const days = dayStyle(zones, [a, b], now);
  const parts = zones.map((z) => {
    const wa = wallClock(a, z);
    const wb = wallClock(b, z);
    const la = zoneLabel(z, a);
    const lb = zoneLabel(z, b);
    const sameDay = dayNumber(wa) === dayNumber(wb);
    if (sameDay && la === lb) return `${dayLabel(wa, days, z, now)}${clockOf(wa)}–${clockOf(wb)} ${lb}`;
    // Across midnight, or across a change of the zone's name (PDT to PST): each end says its own.
    return `${dayLabel(wa, days, z, now)}${clockOf(wa)}${la !== lb ? ` ${la}` : ''} – ${sameDay ? '' : dayLabel(wb, days, z, now)}${clockOf(wb)} ${lb}`;
  });
  return `${parts[0] ?? ''}${parts[1] !== undefined ? ` (${parts[1]})` : ''}`;
}

// ────────────────────────────────────────────────────────────────────────────────────────────────
// Days
// ────────────────────────────────────────────────────────────────────────────────────────────────

/** Whether the clocks say which day: not when all are today; the weekday within six days back; else the date. */
type DayStyle = 'none' | 'weekday' | 'date';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** One style for every clock of a phrase, so that both zones read alike. */
function dayStyle(zones: readonly Zone[], instants: readonly number[], now: number): DayStyle {
  let style: DayStyle = 'none';
  for (const z of zones) {
    const today = dayNumber(wallClock(now, z));
    for (const t of instants) {
      const back = today - dayNumber(wallClock(t, z));
      if (back < 0 || back > 6) return 'date';
      if (back > 0) style = 'weekday';
    }
  }
  return style;
}

/** "", "Tue ", "Nov 28 ", or "Dec 28 2025 " for another year than now's there. */
function dayLabel(w: WallClock, style: DayStyle, zone: Zone, now: number): string {
  if (style === 'none') return '';
  const day = dayNumber(w);
  if (style === 'weekday') return `${WEEKDAYS[new Date(day * DAY).getUTCDay()] ?? ''} `;
  const year = w.year !== wallClock(now, zone).year ? ` ${w.year}` : '';
  return `${MONTHS[w.month - 1] ?? ''} ${w.day}${year} `;
}

/** Days since 1970-01-01 of the wall clock's date. */
function dayNumber(w: WallClock): number {
  return Math.round(Date.UTC(w.year, w.month - 1, w.day) / DAY);
}

function clockOf(w: WallClock): string {
  return `${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}`;
}

// ────────────────────────────────────────────────────────────────────────────────────────────────
// Zones
// ────────────────────────────────────────────────────────────────────────────────────────────────

interface Zone {
  /** An IANA name this runtime knows. */
  name: string;
  isUtc: boolean;
}

const UTC: Zone = { name: 'UTC', isUtc: true };
/** Names the runtime resolves to UTC itself, whatever its ICU version: "UTC", "Etc/UTC", "GMT", "Zulu". */
const UTC_NAMES = /^(?:Etc\/)?(?:UTC|UCT|GMT|Universal|Zulu|Greenwich)(?:[+-]0)?$/i;

const formatters = new Map<string, Intl.DateTimeFormat | null>();
/** Zone-name formatters kept; bounded so that odd zone names cannot grow the cache. */
const MAX_CACHED = 300;

function formatter(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat | null {
  const cached = formatters.get(key);
  if (cached !== undefined) return cached;
  let made: Intl.DateTimeFormat | null;
  try {
    made = make();
  } catch {
    made = null;
  }
  if (formatters.size < MAX_CACHED) formatters.set(key, made);
  return made;
}

/** The zone to read clocks in: `timeZone` when the runtime knows it, else UTC. */
function zoneOf(timeZone: string | undefined): Zone {
  if (typeof timeZone !== 'string' || timeZone === '') return UTC;
  const resolved = resolvedTimeZone(timeZone);
  if (resolved === undefined) return UTC;
  return { name: timeZone, isUtc: UTC_NAMES.test(timeZone) || UTC_NAMES.test(resolved) };
}

/** The wall clock in `zone` at `instant`. */
function wallClock(instant: number, zone: Zone): WallClock {
  return wallClockIn(instant, zone.isUtc ? 'UTC' : zone.name);
}

/**
 * The zone's short name at `instant`: the generic one when there is one ("PT", "ET"), else the
 * abbreviation of the moment ("PST", "CET", "BST"), else the offset ("GMT+5:30").
 */
function zoneLabel(zone: Zone, instant: number): string {
  if (zone.isUtc) return 'UTC';
  for (const [locale, style] of NAME_STYLES) {
    const name = nameOf(zone.name, locale, style, instant);
    if (name !== undefined && ABBREVIATION.test(name)) return name;
  }
  return nameOf(zone.name, 'en-US', 'short', instant) ?? zone.name;
}

type NameStyle = 'shortGeneric' | 'short';
/** In order of preference; en-GB knows the European abbreviations ("CET") that en-US writes as offsets. */
const NAME_STYLES: readonly (readonly ['en-US' | 'en-GB', NameStyle])[] = [
  ['en-US', 'shortGeneric'],
  ['en-US', 'short'],
  ['en-GB', 'short'],
];
/** "PT", "PST", "CEST"; not "Germany Time" nor "GMT+1". */
const ABBREVIATION = /^[A-Z]{2,5}$/;

function nameOf(zone: string, locale: string, style: NameStyle, instant: number): string | undefined {
  const f = formatter(`${locale}|${style}|${zone}`, () => new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: style }));
  return f?.formatToParts(new Date(instant)).find((p) => p.type === 'timeZoneName')?.value;
}

// ────────────────────────────────────────────────────────────────────────────────────────────────
// Input
// ────────────────────────────────────────────────────────────────────────────────────────────────

/** The instant a Date or an ISO string names, or undefined for anything else. */
function instantOf(value: unknown): number | undefined {
  const t = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isFinite(t) ? t : undefined;
}

/** "in the last 1h" or "since 09:00 UTC": a window in a sentence ("No 5xx on stage prod …"). */
export function inWindowPhrase(phrase: string): string {
  return phrase.startsWith('last ') ? `in the ${phrase}` : phrase;
}

/** The phrase of an investigation's window, read as of its end (UTC): "last 1h", "since 09:29 UTC". */
export function windowPhraseOf(window: { from: string; to: string }): string {
  const to = new Date(window.to);
  return describeWindow(window, { now: Number.isNaN(to.getTime()) ? new Date(0) : to });
}
