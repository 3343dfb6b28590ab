import { IANAZone } from 'luxon';

/**
 * Wall-clock time in an IANA zone, resolved the way DESIGN.md ("Data and time") says:
 *
 * - a local time that does not exist (spring forward) moves forward by the gap
 *   (2027-03-28 03:30 Europe/Helsinki → 04:30+03:00);
 * - a local time that occurs twice (fall back) means its FIRST occurrence
 *   (2027-10-31 03:30 Europe/Helsinki → 03:30+03:00).
 *
 * NOTE: luxon's `DateTime.fromObject/fromISO(..., { zone })` picks the SECOND occurrence of an
 * ambiguous time (03:30+02:00), so it must not be used to resolve wall times; use
 * `resolveLocalTime` instead.
 *
 * A "local ms" value is the wall-clock reading written as if it were UTC:
 * `localDay * DAY_MS + msOfDay`. Local days are counted like epoch days (1970-01-01 = 0).
 *
 * Offsets are looked up with luxon's `IANAZone` (Intl, ~5 µs a call) once per zone and day and
 * cached (with the exact instant of the change on the ~2 days a year that have one), so resolving
 * a wall time or finding an offset is arithmetic. Assumption (true for every zone in tzdb in the
 * range that matters here): no two offset transitions lie within 52 hours of each other.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Zones at the ends of the world: a date range covers at most this much time in any zone. */
export const EARLIEST_ZONE = 'Pacific/Kiritimati';
export const LATEST_ZONE = 'Etc/GMT+12';

/** Offsets range from -12:00 to +14:00; a day's window reaches this far either side. */
const BEFORE_DAY_MS = 14 * HOUR_MS;
const AFTER_DAY_MS = DAY_MS + BEFORE_DAY_MS;

interface DayInfo {
  /** Offset in ms at (local day start - 14 h) seen as UTC, i.e. before any transition that day. */
  readonly before: number;
  /** Offset in ms at (local day start + 38 h) seen as UTC, i.e. after any transition that day. */
  readonly after: number;
  /** The offset when it is the same over the whole window (no transition), else null. */
  readonly fixed: number | null;
  /** When not fixed: the first instant (ms) with the `after` offset. */
  readonly transition: number;
}

interface ZoneCache {
  readonly zone: IANAZone;
  readonly days: Map<number, DayInfo>;
}

const MAX_ZONES = 1_000;
const MAX_DAYS_PER_ZONE = 50_000;
const zones = new Map<string, ZoneCache>();

function zoneCache(timeZone: string): ZoneCache {
  let cache = zones.get(timeZone);
  if (!cache) {
    const zone = IANAZone.create(timeZone);
    if (!zone.isValid) throw new RangeError(`Unknown time zone: ${timeZone}`);
    if (zones.size >= MAX_ZONES) zones.clear();
    cache = { zone, days: new Map() };
    zones.set(timeZone, cache);
  }
  return cache;
}

function rawOffsetMs(zone: IANAZone, ms: number): number {
  return Math.round(zone.offset(ms) * MINUTE_MS);
}

function dayInfo(cache: ZoneCache, day: number): DayInfo {
  let info = cache.days.get(day);
  if (!info) {
    const base = day * DAY_MS;
    let lo = base - BEFORE_DAY_MS;
    let hi = base + AFTER_DAY_MS;
    const before = rawOffsetMs(cache.zone, lo);
    const after = rawOffsetMs(cache.zone, hi);
    if (before === after) info = { before, after, fixed: before, transition: Number.NaN };
    else {
      // Binary search (to the ms, ~28 lookups, once per zone and day) for the change.
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (rawOffsetMs(cache.zone, mid) === before) lo = mid;
        else hi = mid;
      }
      info = { before, after, fixed: null, transition: hi };
    }
    if (cache.days.size >= MAX_DAYS_PER_ZONE) cache.days.clear();
    cache.days.set(day, info);
  }
  return info;
}

/** True when `timeZone` is an IANA zone name luxon (Intl) knows. */
export function isValidTimeZone(timeZone: string): boolean {
  return typeof timeZone === 'string' && timeZone.length > 0 && IANAZone.isValidZone(timeZone);
}

/** Throws RangeError when the zone is unknown. */
export function assertTimeZone(timeZone: string): void {
  zoneCache(timeZone);
}

/** The zone's UTC offset in ms at an instant (local = instant + offset). */
export function offsetMsAt(timeZone: string, instantMs: number): number {
  const cache = zoneCache(timeZone);
  const info = dayInfo(cache, Math.floor(instantMs / DAY_MS));
  if (info.fixed !== null) return info.fixed;
  return instantMs < info.transition ? info.before : info.after;
}

/** The wall-clock reading of an instant, as local ms (see the file comment). */
export function toLocalMs(timeZone: string, instantMs: number): number {
  return instantMs + offsetMsAt(timeZone, instantMs);
}

/** The local date (as a day number) an instant falls on. */
export function localDayOf(timeZone: string, instantMs: number): number {
  return Math.floor(toLocalMs(timeZone, instantMs) / DAY_MS);
}

/**
 * The instant a wall-clock reading (local ms) denotes: a non-existent reading moves forward by
 * the gap, an ambiguous one means its first occurrence.
 */
export function resolveLocalTime(timeZone: string, localMs: number): number {
  const cache = zoneCache(timeZone);
  const info = dayInfo(cache, Math.floor(localMs / DAY_MS));
  if (info.fixed !== null) return localMs - info.fixed;
  const early = localMs - info.before;
  const late = localMs - info.after;
  const earlyValid = early < info.transition; // reads as localMs with the offset before
  const lateValid = late >= info.transition; // … and with the offset after
  if (earlyValid && lateValid) return Math.min(early, late); // ambiguous: first occurrence
  if (earlyValid) return early;
  if (lateValid) return late;
  // In the gap (offset grows from `before` to `after`): read with the offset before the
  // transition, which is the wall time moved forward by the gap.
  return early;
}

/** The first instant of a local date. */
export function startOfLocalDay(timeZone: string, day: number): number {
  return resolveLocalTime(timeZone, day * DAY_MS);
}

/** `YYYY-MM-DD` → day number, or null when malformed or not a real date. */
export function parseIsoDate(value: string): number | null {
  if (typeof value !== 'string') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  return ms / DAY_MS;
}

/** Day number → `YYYY-MM-DD`. */
export function formatIsoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** ISO weekday of a day number: 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: number): number {
  // 1970-01-01 (day 0) was a Thursday (4).
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/**
 * `HH:mm` (or `HH:mm:ss`, as PostgreSQL `time` columns read) → ms after midnight; `24:00` only
 * when `allow24` (an end time). Null when malformed.
 */
export function parseTimeOfDay(value: string, allow24 = false): number | null {
  if (typeof value !== 'string') return null;
  const m = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  const s = m[3] === undefined ? 0 : Number(m[3]);
  if (h === 24) return allow24 && min === 0 && s === 0 ? DAY_MS : null;
  if (h > 23 || min > 59 || s > 59) return null;
  return h * HOUR_MS + min * MINUTE_MS + s * 1000;
}
