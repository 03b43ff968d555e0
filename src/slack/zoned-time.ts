/**
 * Clock times in a user's time zone ("since 9am" in Europe/Paris) as instants, with nothing but
 * `Intl.DateTimeFormat`: the zone's offset at an instant is the difference between the wall clock it
 * shows there and UTC. An unknown zone name reads as UTC.
 */

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat | null>();
/** Zone names seen; bounded so that odd input cannot grow the cache. */
const MAX_CACHED_ZONES = 200;

function formatterFor(timeZone: string): Intl.DateTimeFormat | null {
  const cached = formatters.get(timeZone);
  if (cached !== undefined) return cached;
  let formatter: Intl.DateTimeFormat | null;
  try {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  } catch {
    formatter = null;
  }
  if (formatters.size < MAX_CACHED_ZONES) formatters.set(timeZone, formatter);
  return formatter;
}

/** Whether `timeZone` is an IANA zone name this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  return formatterFor(timeZone) !== null;
}

/** The zone the runtime resolves `timeZone` to ("Etc/Zulu" → "UTC"), or undefined when it does not know it. */
export function resolvedTimeZone(timeZone: string): string | undefined {
  return formatterFor(timeZone)?.resolvedOptions().timeZone;
}

/** The wall clock in `timeZone` at `instant` (UTC for an unknown zone). */
export function wallClock(instant: number, timeZone: string): WallClock {
  const formatter = formatterFor(timeZone);
  if (!formatter) {
    const d = new Date(instant);
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
  }
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
  for (const p of formatter.formatToParts(new Date(instant))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1, hour: (parts.hour ?? 0) % 24, minute: parts.minute ?? 0, second: parts.second ?? 0 };
}

const DAY_MS = 24 * 3_600_000;

/** How far `timeZone` is ahead of UTC at `instant`, in ms. */
function offsetAt(instant: number, timeZone: string): number {
  const w = wallClock(instant, timeZone);
  const seconds = Math.floor(instant / 1000) * 1000;
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - seconds;
}

/**
 * The instant the wall clock in `timeZone` shows `hour:minute` on the day `daysBack` days before the
 * day of `now` there. A time a DST change skips is moved forward by the change (02:30 becomes 03:30);
 * a time it repeats is the later of the two (a window a few minutes short, never too long).
 */
export function instantOfClock(now: Date, timeZone: string, hour: number, minute: number, daysBack = 0): number {
  const today = wallClock(now.getTime(), timeZone);
  const asUtc = Date.UTC(today.year, today.month - 1, today.day - daysBack, hour, minute);
  // The zone's offsets a day either side: across a DST change the clock time is shown at the instant
  // of one of them (or both, when it repeats; or neither, when it is skipped).
  const before = offsetAt(asUtc - DAY_MS, timeZone);
  const after = offsetAt(asUtc + DAY_MS, timeZone);
  const shown = [asUtc - before, asUtc - after].filter((t) => {
    const w = wallClock(t, timeZone);
    return w.hour === hour && w.minute === minute;
  });
  // Repeated: the later one. Skipped: the offset before the change, which lands past it (02:30 → 03:30).
  return shown.length > 0 ? Math.max(...shown) : asUtc - before;
}
