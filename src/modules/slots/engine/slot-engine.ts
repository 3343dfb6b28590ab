import { DAY_MS, MINUTE_MS, assertTimeZone, isoWeekday, localDayOf, resolveLocalTime } from '../../../common/time/local-time';
import { containedIn, normalizeRanges, overlapsAny, spansByTutor, subtractSpans, toMs, type Span } from './intervals';
import { firstStartIndex, gridOfTimes, GridSpec, sessionAndStep, windowEndOn, windowStartOn } from './session-grid';
import type { BookingPolicy, Instant, Slot, SlotKind, SlotQuery, SlotSource, WeeklyAvailabilityRule } from './types';

/**
 * The slot engine: a pure function of its inputs (no clock, no database, no Nest).
 *
 * For one location, a slot `[start, end)` of tutor T is listed when ALL of these hold:
 *
 * 1. Grid. It is a session of one of T's weekly rules on a local date D where the rule applies
 *    (session-grid.ts: start = ws + n × (sessionMinutes + bufferMinutes), end ≤ we).
 *    The grid is laid out in REAL minutes from the resolved start. On every date without an
 *    offset change between startTime and endTime this is exactly the wall-clock grid
 *    (startTime + n × step). On a date whose rule window contains a change the window is what
 *    the tutor is really present — one hour shorter on spring-forward day, one hour longer on
 *    fall-back day — and its sessions never overlap one another. Example, Europe/Helsinki,
 *    rule 02:00–05:00, 45 + 15 min:
 *      2027-03-28: 02:00+02:00, 04:00+03:00                                (2 real hours)
 *      2027-10-31: 02:00+03:00, 03:00+03:00, 03:00+02:00, 04:00+02:00      (4 real hours)
 *    (A pure wall-clock grid would map 03:00 and 04:00 to the same instant on spring-forward
 *    day, and with 45-minute steps would list overlapping sessions of one tutor.)
 *    The buffer separates sessions only; the last session needs no buffer before endTime.
 *    An `AvailabilityWindow` works the same with `ws`/`we` given as instants.
 * 2. Opening. `[start, end)` lies inside one interval of (∪ openings) − (∪ closures): openings
 *    that overlap or touch are joined, so one open stretch may be given in pieces.
 * 3. Tutor free. `[start, end)` overlaps none of T's absences and none of T's active bookings
 *    (half-open: a booking ending at 10:00 does not block a slot starting at 10:00). Other
 *    tutors' absences and bookings are irrelevant.
 * 4. Policy (see `bookingWindow`): start ≥ now + minNoticeMinutes, and
 *    start < startOfLocalDay(localDate(now) + maxDaysAhead + 1), i.e. the slot starts on a local
 *    date no later than today + maxDaysAhead (maxDaysAhead 0 = today only).
 * 5. Query: from ≤ start < to.
 *
 * Result: ordered by start, then tutorId (plain code-unit order, which matches PostgreSQL's uuid
 * order for lowercase UUIDs), then end, kind, claimId, partnerId, roomId; exact duplicates (two
 * inputs giving the same slot) appear once. Slots of overlapping rules of the same tutor are all
 * listed (the tutors module rejects overlapping rules; the database rejects double bookings).
 *
 * Malformed rules or windows (bad weekday, time, date, session ≤ 0, buffer < 0, endTime not
 * after startTime) yield no slots instead of an error, so one bad row cannot break a search. An
 * unknown time zone throws RangeError. The expanded range is at most MAX_EXPANSION_DAYS local
 * dates (the API limits searches to 62 days); a longer one throws RangeError.
 *
 * Cost: each (rule, date) is expanded once; per date in the range the zone's offsets are looked
 * up once (cached across calls, see common/time/local-time.ts); each candidate is checked with
 * binary searches over the sorted openings and the tutor's sorted busy spans, so the work is
 * O(candidates × log(intervals) + inputs × log(inputs)).
 */

export const MAX_EXPANSION_DAYS = 1_100;

interface ParsedRule extends GridSpec {
  readonly tutorId: string;
  readonly source: NormalizedSource;
}

interface NormalizedSource {
  readonly kind: SlotKind;
  readonly claimId: string | null;
  readonly partnerId: string | null;
  readonly roomId: string | null;
}

interface RawSlot {
  readonly start: number;
  readonly end: number;
  readonly tutorId: string;
  readonly source: NormalizedSource;
}

const TUTORING: NormalizedSource = Object.freeze({ kind: 'tutoring', claimId: null, partnerId: null, roomId: null });

function normalizeSource(s: SlotSource): NormalizedSource {
  const kind = s.kind ?? 'tutoring';
  const claimId = s.claimId ?? null;
  const partnerId = s.partnerId ?? null;
  const roomId = s.roomId ?? null;
  if (kind === 'tutoring' && claimId === null && partnerId === null && roomId === null) return TUTORING;
  return { kind, claimId, partnerId, roomId };
}

function parseRule(rule: WeeklyAvailabilityRule): ParsedRule | null {
  const grid = gridOfTimes(rule);
  return grid && { ...grid, tutorId: rule.tutorId, source: normalizeSource(rule) };
}

/**
 * Parsed rules by rule object: callers that keep their rules (the slot search's snapshot) pass
 * the same objects again and again, and rules are read-only inputs, so each is parsed once.
 */
const parsedRules = new WeakMap<WeeklyAvailabilityRule, ParsedRule | null>();

function parsedRule(rule: WeeklyAvailabilityRule): ParsedRule | null {
  let parsed = parsedRules.get(rule);
  if (parsed === undefined) {
    parsed = parseRule(rule);
    parsedRules.set(rule, parsed);
  }
  return parsed;
}

/**
 * The instants a booking made at `now` may start in under a policy:
 * `earliestStart` = now + minNoticeMinutes (inclusive);
 * `latestStartExclusive` = the first instant of local date (localDate(now) + maxDaysAhead + 1).
 * The bookings module can use it to tell `too-soon` from `too-far-ahead`.
 */
export function bookingWindow(
  timeZone: string,
  now: Instant,
  policy: BookingPolicy,
): { earliestStart: number; latestStartExclusive: number } {
  const nowMs = toMs(now);
  const today = localDayOf(timeZone, nowMs);
  return {
    earliestStart: nowMs + policy.minNoticeMinutes * MINUTE_MS,
    latestStartExclusive: resolveLocalTime(timeZone, (today + policy.maxDaysAhead + 1) * DAY_MS),
  };
}

function compareRaw(a: RawSlot, b: RawSlot): number {
  if (a.start !== b.start) return a.start - b.start;
  if (a.tutorId !== b.tutorId) return a.tutorId < b.tutorId ? -1 : 1;
  if (a.end !== b.end) return a.end - b.end;
  const sa = a.source;
  const sb = b.source;
  if (sa === sb) return 0;
  return (
    cmpStr(sa.kind, sb.kind) ||
    cmpStr(sa.claimId, sb.claimId) ||
    cmpStr(sa.partnerId, sb.partnerId) ||
    cmpStr(sa.roomId, sb.roomId)
  );
}

function cmpStr(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

/** The free slots of one location; see the comment above for the exact rules. */
export function computeSlots(query: SlotQuery): Slot[] {
  const zone = query.timeZone;
  assertTimeZone(zone);

  const policy = bookingWindow(zone, query.now, query.policy);
  // Slot starts must lie in [lo, hi).
  let lo = Math.max(toMs(query.from), policy.earliestStart);
  let hi = Math.min(toMs(query.to), policy.latestStartExclusive);
  if (!(lo < hi)) return [];

  const open = subtractSpans(normalizeRanges(query.openings), normalizeRanges(query.closures));
  if (open.length === 0) return [];
  // A slot starts inside an open span.
  lo = Math.max(lo, open[0].start);
  hi = Math.min(hi, open[open.length - 1].end);
  if (!(lo < hi)) return [];

  const busy = spansByTutor(query.absences, query.bookings);
  const out: RawSlot[] = [];

  const emit = (
    tutorId: string,
    source: NormalizedSource,
    ws: number,
    we: number,
    sessionMs: number,
    stepMs: number,
  ): void => {
    const lastStart = we - sessionMs;
    if (!(ws <= lastStart) || lastStart < lo || ws >= hi) return; // also false for NaN
    const tutorBusy: Span[] | undefined = busy.get(tutorId);
    let n = firstStartIndex(ws, stepMs, lo);
    for (let start = ws + n * stepMs; start <= lastStart && start < hi; start = ws + ++n * stepMs) {
      const end = start + sessionMs;
      if (!containedIn(open, start, end)) continue;
      if (tutorBusy !== undefined && overlapsAny(tutorBusy, start, end)) continue;
      out.push({ start, end, tutorId, source });
    }
  };

  // Weekly rules, date by date. A rule on date D gives starts on local date D (D + 1 only when
  // a gap at midnight pushes a start over); one day of margin on each side is plenty.
  if (query.rules.length > 0) {
    const byWeekday: ParsedRule[][] = [[], [], [], [], [], [], [], []];
    for (const rule of query.rules) {
      const parsed = parsedRule(rule);
      if (parsed) byWeekday[rule.weekday].push(parsed);
    }
    const firstDay = localDayOf(zone, lo) - 1;
    const lastDay = localDayOf(zone, hi - 1) + 1;
    if (lastDay - firstDay + 1 > MAX_EXPANSION_DAYS) {
      throw new RangeError(`Slot range spans ${lastDay - firstDay + 1} local dates (max ${MAX_EXPANSION_DAYS})`);
    }
    for (let day = firstDay; day <= lastDay; day++) {
      const rules = byWeekday[isoWeekday(day)];
      if (rules.length === 0) continue;
      for (const r of rules) {
        if (day < r.fromDay || day > r.untilDay) continue;
        emit(r.tutorId, r.source, windowStartOn(r, zone, day), windowEndOn(r, zone, day), r.sessionMs, r.stepMs);
      }
    }
  }

  for (const w of query.windows ?? []) {
    const ss = sessionAndStep(w.sessionMinutes, w.bufferMinutes);
    if (!ss) continue;
    emit(w.tutorId, normalizeSource(w), toMs(w.start), toMs(w.end), ss[0], ss[1]);
  }

  out.sort(compareRaw);
  const slots: Slot[] = [];
  let prev: RawSlot | undefined;
  for (const s of out) {
    if (prev !== undefined && compareRaw(prev, s) === 0) continue;
    prev = s;
    slots.push({
      start: new Date(s.start),
      end: new Date(s.end),
      tutorId: s.tutorId,
      locationId: query.locationId,
      kind: s.source.kind,
      claimId: s.source.claimId,
      partnerId: s.source.partnerId,
      roomId: s.source.roomId,
    });
  }
  return slots;
}
