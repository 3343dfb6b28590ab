import { isoWeekday, localDayOf, startOfLocalDay } from '../../../common/time/local-time';
import { bookingWindow, gridOfTimes, gridSessionAt, inRuleWindow } from '../../slots/engine';
import type { BookingStatus } from './booking-status';
import type { AvailabilityWindow, BookingPolicy, InstantRange, TutorInstantRange, WeeklyAvailabilityRule } from '../../slots/engine';

/**
 * The booking module's pure rules: why a requested time is not a free slot, which days count as
 * closed, how a tutor is chosen, and until when a resident may change a booking (the lifecycle
 * itself is lifecycle.ts). Plain data in, plain data out: no Nest, no database, no clock
 * (callers pass `now`).
 */

/** The 422 rule problems a requested time can break (API.md), in the order they are judged. */
export type RuleProblem = 'too-soon' | 'too-far-ahead' | 'location-closed' | 'outside-opening-hours' | 'not-on-slot-grid' | 'tutor-unavailable';

/**
 * `taken`: a real slot, but every suitable tutor is booked then (409); `free`: nothing forbids it
 * (the caller lost a race with a booking that has since gone: also 409).
 */
export type Diagnosis = RuleProblem | 'taken' | 'free';

export interface DiagnoseInput {
  /** The requested start (epoch ms). */
  start: number;
  now: number;
  timeZone: string;
  /** minNoticeMinutes is 0 for staff bookings. */
  policy: BookingPolicy;
  /** Weekly rules at this location of the tutors who could take it (the one asked for, or all who match topic and language). */
  rules: readonly WeeklyAvailabilityRule[];
  /** Advisors' windows of the claim an advisory booking is made in (sessions from the window's start). */
  windows?: readonly AvailabilityWindow[];
  /** The location's open intervals around the start (closures and holidays already removed). */
  openings: readonly InstantRange[];
  /** Spans the location is closed by a holiday, closure (whole or partial day) or exception (to tell `location-closed` from `outside-opening-hours`). */
  closed: readonly InstantRange[];
  absences: readonly TutorInstantRange[];
  /** Active bookings of those tutors (the rescheduled booking itself left out). */
  bookings: readonly TutorInstantRange[];
}

/**
 * Why `start` is not a free slot, judged in this order:
 * 1. policy: before now + minimum notice → `too-soon` (also any past time); on a local date after
 *    today + maxDaysAhead → `too-far-ahead` (the engine's `bookingWindow`);
 * 2. no tutor's session grid starts then (opening hours ignored): when the location is shut at
 *    that instant → `location-closed` (holiday, closure, closing exception) or
 *    `outside-opening-hours`; else when a tutor's rule window covers it → `not-on-slot-grid`;
 *    else → `tutor-unavailable` (nobody works then);
 * 3. a grid session starts then but none lies wholly inside opening hours → `location-closed`
 *    when the start is in a closed span or every such session runs into one (e.g. a closure of
 *    part of the day), else `outside-opening-hours` (also a session that would run past closing
 *    time);
 * 4. every such session's tutor is absent → `tutor-unavailable`;
 * 5. every remaining one is booked → `taken`; otherwise `free`.
 */
export function diagnose(input: DiagnoseInput): Diagnosis {
  const { start, timeZone } = input;
  const window = bookingWindow(timeZone, input.now, input.policy);
  if (start < window.earliestStart) return 'too-soon';
  if (start >= window.latestStartExclusive) return 'too-far-ahead';

  const windows = input.windows ?? [];
  const grid = [...gridSessionsAt(input.rules, timeZone, start), ...windowSessionsAt(windows, start)];
  const shutReason = (): RuleProblem => (covers(input.closed, start) ? 'location-closed' : 'outside-opening-hours');
  if (grid.length === 0) {
    if (!covers(input.openings, start)) return shutReason();
    const covered = input.rules.some((r) => ruleWindowCovers(r, timeZone, start)) || windows.some((w) => ms(w.start) <= start && start < ms(w.end));
    return covered ? 'not-on-slot-grid' : 'tutor-unavailable';
  }
  const open = grid.filter((s) => contains(input.openings, s.start, s.end));
  if (open.length === 0) {
    if (!covers(input.openings, start)) return shutReason();
    // Open at the start, but every session runs into a closure or past closing time.
    return grid.every((s) => overlapsAny(input.closed, s.start, s.end)) ? 'location-closed' : 'outside-opening-hours';
  }
  const present = open.filter((s) => !overlapsTutor(input.absences, s));
  if (present.length === 0) return 'tutor-unavailable';
  return present.every((s) => overlapsTutor(input.bookings, s)) ? 'taken' : 'free';
}

interface Session {
  tutorId: string;
  start: number;
  end: number;
}

/** Sessions of the rules' grids that start exactly at `start`, whatever the opening hours and policy. */
function gridSessionsAt(rules: readonly WeeklyAvailabilityRule[], timeZone: string, start: number): Session[] {
  const out: Session[] = [];
  for (const r of rules) {
    const grid = gridOfTimes(r);
    const session = grid && gridSessionAt(grid, timeZone, start);
    if (session) out.push({ tutorId: r.tutorId, ...session });
  }
  return out;
}

/** Sessions of the windows' grids (start + n × (session + buffer), ending by the window's end) that start exactly at `start`. */
function windowSessionsAt(windows: readonly AvailabilityWindow[], start: number): Session[] {
  const out: Session[] = [];
  for (const w of windows) {
    const ws = ms(w.start);
    const step = (w.sessionMinutes + w.bufferMinutes) * 60_000;
    const end = start + w.sessionMinutes * 60_000;
    if (w.sessionMinutes > 0 && step > 0 && start >= ws && end <= ms(w.end) && (start - ws) % step === 0) out.push({ tutorId: w.tutorId, start, end });
  }
  return out;
}

/** True when the rule's window on some local date (start time to end time) contains the instant. */
export function ruleWindowCovers(rule: WeeklyAvailabilityRule, timeZone: string, instant: number): boolean {
  const grid = gridOfTimes(rule);
  return !!grid && inRuleWindow(grid, timeZone, instant);
}

const ms = (v: Date | number) => (typeof v === 'number' ? v : v.getTime());

/** Some range contains the instant (half-open). */
function covers(ranges: readonly InstantRange[], t: number): boolean {
  return ranges.some((r) => ms(r.start) <= t && t < ms(r.end));
}

/** [start, end) lies inside the union of the ranges (touching ranges joined). */
function contains(ranges: readonly InstantRange[], start: number, end: number): boolean {
  const sorted = ranges.map((r) => ({ start: ms(r.start), end: ms(r.end) })).sort((a, b) => a.start - b.start);
  let reached = start;
  for (const r of sorted) {
    if (r.start > reached) break;
    if (r.end > reached) reached = r.end;
    if (reached >= end) return true;
  }
  return false;
}

/** Some range overlaps [start, end). */
function overlapsAny(ranges: readonly InstantRange[], start: number, end: number): boolean {
  return ranges.some((r) => ms(r.start) < end && start < ms(r.end));
}

function overlapsTutor(ranges: readonly TutorInstantRange[], s: Session): boolean {
  return ranges.some((r) => r.tutorId === s.tutorId && ms(r.start) < s.end && s.start < ms(r.end));
}

/**
 * Orders free tutors for an automatic choice: fewest bookings in the ISO week of the session
 * first, ties in random order (`random` in [0, 1)). The caller tries them in this order.
 */
export function orderTutors(tutorIds: readonly string[], weekCounts: ReadonlyMap<string, number>, random: () => number = Math.random): string[] {
  const keyed = [...new Set(tutorIds)].map((id) => ({ id, count: weekCounts.get(id) ?? 0, tie: random() }));
  keyed.sort((a, b) => a.count - b.count || a.tie - b.tie);
  return keyed.map((k) => k.id);
}

/** The ISO week (Monday 00:00 to next Monday 00:00, local) an instant falls in. */
export function isoWeekOf(timeZone: string, instant: number): { start: number; end: number } {
  const day = localDayOf(timeZone, instant);
  const monday = day - (isoWeekday(day) - 1);
  return { start: startOfLocalDay(timeZone, monday), end: startOfLocalDay(timeZone, monday + 7) };
}

/** A resident may cancel or move a confirmed booking until `cancelUntilMinutesBefore` its start. */
function residentDeadline(start: number, cancelUntilMinutesBefore: number): number {
  return start - cancelUntilMinutesBefore * 60_000;
}

/**
 * What a resident's change meets: 409 `invalid-transition` for anything not confirmed, else 422
 * `too-late-to-cancel` after the deadline, else null (allowed).
 */
export function residentChangeProblem(
  status: BookingStatus,
  start: number,
  now: number,
  cancelUntilMinutesBefore: number,
): 'invalid-transition' | 'too-late-to-cancel' | null {
  if (status !== 'confirmed') return 'invalid-transition';
  if (now > residentDeadline(start, cancelUntilMinutesBefore)) return 'too-late-to-cancel';
  return null;
}

/** (Moved to the locations module, which claims share it with.) */
export { isClosedDay } from '../../locations/opening-hours/closed-day';
