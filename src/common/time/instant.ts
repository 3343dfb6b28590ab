import { DAY_MS, parseIsoDate } from './local-time';

/**
 * Reading instants as API.md speaks them: ISO 8601 with an offset (`Z` or `±hh:mm`). One parser
 * for every module. It is hand-written rather than luxon's `DateTime.fromISO` because it runs
 * on every booking request (in the validator and again in the service) and luxon's general ISO
 * parser cost about a seventh of the request validation's time there.
 */

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):(\d{2}))$/;
const WITHOUT_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?$/;

/** Instants the service accepts: 1970 up to (not including) 2200. */
const EARLIEST_INSTANT = Date.UTC(1970, 0, 1);
const LATEST_INSTANT = Date.UTC(2200, 0, 1);
/** Offsets in use on Earth lie within ±14:00. */
const MAX_OFFSET_MINUTES = 14 * 60;

/**
 * An instant with its offset → epoch ms; null when the offset is missing or impossible (beyond
 * ±14:00, minutes past 59), the date or time is not real (`2026-02-30`, `24:00`, `10:60`,
 * second 60) or it lies outside 1970–2199. Fractions of a second beyond milliseconds are cut.
 */
export function parseInstantMs(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const m = INSTANT.exec(value);
  if (!m) return null;
  const day = parseIsoDate(value.slice(0, 10));
  const year = Number(m[1]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const milli = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  if (day === null || year < 1969 || year > 2200) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  let offsetMinutes = 0;
  if (m[8] !== undefined) {
    const offsetMinute = Number(m[10]);
    offsetMinutes = Number(m[9]) * 60 + offsetMinute;
    if (offsetMinute > 59 || offsetMinutes > MAX_OFFSET_MINUTES) return null;
    if (m[8] === '-') offsetMinutes = -offsetMinutes;
  }
  const ms = day * DAY_MS + ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 + milli;
  return ms >= EARLIEST_INSTANT && ms < LATEST_INSTANT ? ms : null;
}

/** parseInstantMs as a Date, undefined when not an instant. */
export function parseInstant(value: unknown): Date | undefined {
  const ms = parseInstantMs(value);
  return ms === null ? undefined : new Date(ms);
}

/** A local date-time without an offset (`2027-01-11T10:00`): the caller forgot the offset. */
export function lacksOffset(value: unknown): boolean {
  return typeof value === 'string' && WITHOUT_OFFSET.test(value);
}
