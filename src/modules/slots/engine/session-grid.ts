import { DAY_MS, MINUTE_MS, isoWeekday, localDayOf, parseIsoDate, parseTimeOfDay, resolveLocalTime } from '../../../common/time/local-time';

/**
 * The session grid: where a tutor's weekly rule puts sessions. Pure (no clock, no database), and
 * the one definition the slot engine, the booking diagnosis and the check of booked sessions
 * against changed rules all use.
 *
 * On a local date D where the rule applies (weekday of D = rule.weekday, validFrom ≤ D ≤
 * validUntil, both inclusive, null = open), `ws` and `we` are the instants of D's wall times
 * `startTime` and `endTime` (`24:00` = next date's 00:00), each resolved per DESIGN.md (a
 * non-existent wall time moves forward by the gap, an ambiguous one is its first occurrence);
 *     start = ws + n × (sessionMinutes + bufferMinutes) real minutes, n = 0, 1, …
 *     end   = start + sessionMinutes real minutes,  end ≤ we.
 * The buffer separates sessions only; the last session needs no buffer before endTime.
 */
export interface GridSpec {
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  readonly weekday: number;
  /** Wall times as milliseconds after local midnight (the end may be 24:00). */
  readonly startMs: number;
  readonly endMs: number;
  readonly sessionMs: number;
  /** Session plus buffer: the distance between two starts. */
  readonly stepMs: number;
  /** Local dates (days since the epoch), inclusive; untilDay may be +Infinity. */
  readonly fromDay: number;
  readonly untilDay: number;
}

/** A rule's window on one local date, as instants: sessions start at `start` + n × step and end by `end`. */
export interface GridWindow {
  readonly start: number;
  readonly end: number;
}

/** Session length and step in ms, or null when they cannot make a grid (session ≤ 0, buffer < 0). */
export function sessionAndStep(sessionMinutes: number, bufferMinutes: number): [number, number] | null {
  if (!Number.isFinite(sessionMinutes) || !Number.isFinite(bufferMinutes)) return null;
  if (sessionMinutes <= 0 || bufferMinutes < 0) return null;
  return [sessionMinutes * MINUTE_MS, (sessionMinutes + bufferMinutes) * MINUTE_MS];
}

/**
 * A rule's grid, checked: null for a malformed rule (bad weekday, date, session ≤ 0, buffer < 0,
 * end not after start), which then gives no sessions instead of an error.
 */
export function gridSpec(r: {
  weekday: number;
  startMs: number | null;
  endMs: number | null;
  sessionMinutes: number;
  bufferMinutes: number;
  validFrom: string;
  validUntil: string | null | undefined;
}): GridSpec | null {
  if (!Number.isInteger(r.weekday) || r.weekday < 1 || r.weekday > 7) return null;
  const { startMs, endMs } = r;
  if (startMs === null || endMs === null || endMs <= startMs) return null;
  const ss = sessionAndStep(r.sessionMinutes, r.bufferMinutes);
  if (!ss) return null;
  const fromDay = parseIsoDate(r.validFrom);
  if (fromDay === null) return null;
  let untilDay = Number.POSITIVE_INFINITY;
  if (r.validUntil !== null && r.validUntil !== undefined) {
    const d = parseIsoDate(r.validUntil);
    if (d === null) return null;
    untilDay = d;
  }
  if (untilDay < fromDay) return null;
  return { weekday: r.weekday, startMs, endMs, sessionMs: ss[0], stepMs: ss[1], fromDay, untilDay };
}

/** The grid of a rule given with wall times `HH:mm` (the slot engine's WeeklyAvailabilityRule). */
export function gridOfTimes(r: { weekday: number; startTime: string; endTime: string; sessionMinutes: number; bufferMinutes: number; validFrom: string; validUntil: string | null }): GridSpec | null {
  return gridSpec({ ...r, startMs: parseTimeOfDay(r.startTime, false), endMs: parseTimeOfDay(r.endTime, true) });
}

/** The grid of a rule given in minutes after local midnight (as the tutors module stores it). */
export function gridOfMinutes(r: { weekday: number; startMinute: number; endMinute: number; sessionMinutes: number; bufferMinutes: number; validFrom: string; validUntil: string | null }): GridSpec | null {
  return gridSpec({ ...r, startMs: r.startMinute * MINUTE_MS, endMs: r.endMinute * MINUTE_MS });
}

/** Whether the rule applies on local date `day` (weekday and validity). */
export function appliesOn(g: GridSpec, day: number): boolean {
  return isoWeekday(day) === g.weekday && g.fromDay <= day && day <= g.untilDay;
}

/** The instant the rule's window opens on local date `day` in the zone (whether or not the rule applies then). */
export function windowStartOn(g: GridSpec, timeZone: string, day: number): number {
  return resolveLocalTime(timeZone, day * DAY_MS + g.startMs);
}

/** The instant the rule's window closes on local date `day` in the zone. */
export function windowEndOn(g: GridSpec, timeZone: string, day: number): number {
  return resolveLocalTime(timeZone, day * DAY_MS + g.endMs);
}

/** The rule's window on local date `day` in the zone. */
export function windowOn(g: GridSpec, timeZone: string, day: number): GridWindow {
  return { start: windowStartOn(g, timeZone, day), end: windowEndOn(g, timeZone, day) };
}

/** The windows of the rule that could contain `instant`: those of its local date and the date before (a window may run past midnight). */
export function windowsAround(g: GridSpec, timeZone: string, instant: number): GridWindow[] {
  const today = localDayOf(timeZone, instant);
  const out: GridWindow[] = [];
  for (const day of [today - 1, today]) if (appliesOn(g, day)) out.push(windowOn(g, timeZone, day));
  return out;
}

/** The index of the first grid start at or after `lo` in a window starting at `ws`. */
export function firstStartIndex(ws: number, stepMs: number, lo: number): number {
  return ws >= lo ? 0 : Math.ceil((lo - ws) / stepMs);
}

/** Whether a session of the grid starts exactly at `start` in the window (and ends by its end). */
export function startsOnGrid(g: GridSpec, w: GridWindow, start: number): boolean {
  const offset = start - w.start;
  return offset >= 0 && offset % g.stepMs === 0 && start + g.sessionMs <= w.end;
}

/** The grid session [start, start + session) the rule gives at `start` in the zone, if any. */
export function gridSessionAt(g: GridSpec, timeZone: string, start: number): { start: number; end: number } | undefined {
  return windowsAround(g, timeZone, start).some((w) => startsOnGrid(g, w, start)) ? { start, end: start + g.sessionMs } : undefined;
}

/** Whether the instant lies in one of the rule's windows (on the grid or not). */
export function inRuleWindow(g: GridSpec, timeZone: string, instant: number): boolean {
  return windowsAround(g, timeZone, instant).some((w) => w.start <= instant && instant < w.end);
}

/**
 * Whether a booked session [start, end) still lies on the rule: it starts on the grid and ends by
 * the window's end. A 45-minute booking under a rule that now has 60-minute sessions on the same
 * grid still lies on it.
 */
export function sessionOnGrid(g: GridSpec, timeZone: string, start: number, end: number): boolean {
  return windowsAround(g, timeZone, start).some((w) => startsOnGrid(g, w, start) && end <= w.end);
}
