import { DAY_MS, MINUTE_MS, parseIsoDate, resolveLocalTime, toLocalMs } from '../../../common/time/local-time';
import type { InstantInterval, MinuteInterval } from './types';

const HH_MM = /^(\d{2}):(\d{2})$/;

/**
 * `HH:mm` → minutes after midnight. `24:00` only when `asEnd`. Null for anything else
 * (`25:00`, `9:00`, `10:60`, `10:00:00`).
 */
export function parseClock(value: unknown, asEnd = false): number | null {
  if (typeof value !== 'string') return null;
  const m = HH_MM.exec(value);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h === 24 && min === 0) return asEnd ? 1440 : null;
  if (h > 23 || min > 59) return null;
  return h * 60 + min;
}

/** Minutes after midnight → `HH:mm` (1440 → `24:00`). */
export function formatClock(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** `YYYY-MM-DD` that names a real date. */
export function isLocalDate(value: unknown): value is string {
  return typeof value === 'string' && parseIsoDate(value) !== null;
}

/**
 * A local date's intervals (minutes) → instant intervals in `timeZone` (DESIGN.md): a wall time
 * that does not exist moves forward by the gap, a repeated one means its first occurrence, and
 * `24:00` is the next day's 00:00. Intervals left empty by a gap are dropped.
 */
export function localDayToInstants(date: string, intervals: readonly MinuteInterval[], timeZone: string): InstantInterval[] {
  const day = parseIsoDate(date);
  if (day === null) throw new RangeError(`Not a date: ${date}`);
  const out: InstantInterval[] = [];
  for (const [start, end] of intervals) {
    const s = resolveLocalTime(timeZone, day * DAY_MS + start * MINUTE_MS);
    const e = resolveLocalTime(timeZone, day * DAY_MS + end * MINUTE_MS);
    if (e > s) out.push({ start: s, end: e });
  }
  return out;
}

/**
 * Instant intervals within one local date → `[["HH:mm","HH:mm"]]` wall times on that date
 * (an end at the next day's 00:00 is `24:00`).
 */
export function instantsToClock(date: string, intervals: readonly InstantInterval[], timeZone: string): [string, string][] {
  const day = parseIsoDate(date);
  if (day === null) throw new RangeError(`Not a date: ${date}`);
  const base = day * DAY_MS;
  const minutesOf = (ms: number) => Math.round((toLocalMs(timeZone, ms) - base) / MINUTE_MS);
  return intervals.map((i) => {
    const start = Math.max(0, minutesOf(i.start));
    const end = Math.min(1440, minutesOf(i.end));
    return [formatClock(start), formatClock(end)];
  });
}
