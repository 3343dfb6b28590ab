import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../../common/time/clock';
import { formatLocalDate } from '../../common/time/format';
import { finnishHolidays } from '../locations/opening-hours/finnish-holidays';
import { openIntervalsOf, ResolvedDay, resolveOpeningHours } from '../locations/opening-hours/resolve-opening-hours';
import { AvailabilityWindow, computeSlots, TutorInstantRange, WeeklyAvailabilityRule } from './engine';
import { SearchSnapshot, SearchSnapshots, slotView, SnapLocation } from './search-snapshot';
import { compareSlots, FreeSlot, KINDS, MAX_ATTEMPTS, MAX_SESSION_MS, toRange } from './slot-common';
import { SlotSearchRepository } from './slot-search.repository';

export interface FreeSlotsQuery {
  locationId: string;
  /** Advisory slots of this approved bookable claim (its advisors' windows), instead of tutors' weekly rules. */
  claimId?: string;
  tutorIds?: string[];
  topic?: string;
  language?: string;
  from: Date;
  to: Date;
  /** Staff bookings: minimum notice does not apply. */
  ignoreNotice?: boolean;
  /** Rescheduling: the booking's own current time does not block. */
  excludeBookingId?: string;
  /** Reads active bookings inside the caller's transaction. */
  manager?: EntityManager;
}

/** See BookableSlotsService.diagnosisInputs. */
export interface DiagnosisInputs {
  rules: WeeklyAvailabilityRule[];
  /** The claim's advisors' windows (advisory bookings). */
  windows: AvailabilityWindow[];
  openings: { start: Date; end: Date }[];
  /** The branch's resolved days (as GET /locations/{id}/opening-hours gives them). */
  days: ResolvedDay[];
  /** The branch's closures overlapping the range (whole or partial days). */
  closures: { start: Date; end: Date }[];
  absences: TutorInstantRange[];
  bookings: TutorInstantRange[];
}

/**
 * What may be booked: the slots a booking may take at one branch and time, for the booking
 * module's checks (before its statement, inside a move's transaction) and the inputs of its
 * diagnosis. Slot search for residents is SlotsService.
 */
@Injectable()
export class BookableSlotsService {
  constructor(
    private readonly clock: Clock,
    private readonly searchRepo: SlotSearchRepository,
    private readonly snapshots: SearchSnapshots,
  ) {}

  /**
   * The current search snapshot (with `atLeast`, the database's version a statement just read:
   * one at least that new), for a booking's checks (branch, active topics, active tutors). It may
   * be older than the database: the booking statement compares its version with the database's.
   */
  async snapshot(atLeast?: string): Promise<SearchSnapshot> {
    return atLeast === undefined ? this.snapshots.current() : this.snapshots.newer(atLeast);
  }

  /**
   * Whether an approved bookable claim (in the current snapshot, at least as new as the database
   * when it is read) has a session starting at `start`: inside its window, on its grid.
   */
  async isClaimSession(claimId: string, start: Date): Promise<boolean> {
    const snapshot = await this.snapshots.newer(await this.searchRepo.version());
    const claim = snapshot.claims.get(claimId.toLowerCase());
    if (!claim) return false;
    const t = start.getTime();
    const step = (claim.sessionMinutes + claim.bufferMinutes) * 60_000;
    return t >= claim.start && t + claim.sessionMinutes * 60_000 <= claim.end && (t - claim.start) % step === 0;
  }

  /**
   * What a booking's diagnosis (bookings' WhyNotService) needs around a time, from the snapshot and
   * ONE statement (bookings and absences of the matching tutors with the inputs' version):
   * undefined when the snapshot does not hold this (active) branch or is older than the database,
   * so the caller reads everything from the database instead.
   */
  async diagnosisInputs(q: Omit<FreeSlotsQuery, 'manager' | 'ignoreNotice'>): Promise<DiagnosisInputs | undefined> {
    const snapshot = await this.snapshots.current();
    const location = snapshot.locations.get(q.locationId);
    if (!location) return undefined;
    const from = q.from.getTime();
    const to = q.to.getTime();
    const { rules, windows } = availabilityOf(location, q);
    const busy = await this.searchRepo.busyForBooking(undefined, tutorsOf(rules, windows), from, to, q.excludeBookingId);
    if (busy.version !== snapshot.version) return undefined;
    const firstDate = formatLocalDate(q.from, location.timeZone);
    const lastDate = formatLocalDate(q.to, location.timeZone);
    const days = resolveOpeningHours({
      timeZone: location.timeZone,
      from: firstDate,
      to: lastDate,
      active: true,
      periods: location.periods,
      exceptions: location.exceptions,
      holidays: finnishHolidays(firstDate, lastDate),
      closures: location.closures,
    });
    return {
      rules,
      windows,
      openings: to > from ? openIntervalsOf(days, from, to).map((i) => ({ start: new Date(i.start), end: new Date(i.end) })) : [],
      days,
      closures: location.closures.filter((c) => c.start < to && from < c.end).map((c) => ({ start: new Date(c.start), end: new Date(c.end) })),
      absences: busy.absences.map(toRange),
      bookings: busy.bookings.map(toRange),
    };
  }

  /**
   * Free slots at one location in [from, to), computed from the search snapshot and ONE statement
   * (on `q.manager` when given: inside the booking transaction) that reads the bookings and
   * absences of the candidate tutors with the inputs' version; a snapshot found out of date is
   * replaced (read on the same connection) and the check done again.
   */
  async freeSlotsFor(q: FreeSlotsQuery): Promise<FreeSlot[]> {
    const from = q.from.getTime();
    const to = q.to.getTime();
    // Inputs reach a session's length past `to`, so a slot starting just before `to` can be judged.
    const loadTo = to + MAX_SESSION_MS;
    let snapshot = await this.snapshots.current(q.manager);
    for (let attempt = 1; ; attempt++) {
      const location = snapshot.locations.get(q.locationId.toLowerCase());
      const { rules, windows } = location && from < to ? availabilityOf(location, q) : NOTHING;
      const busy = await this.searchRepo.busyForBooking(q.manager, tutorsOf(rules, windows), from, loadTo, q.excludeBookingId);
      if (busy.version !== snapshot.version && attempt < MAX_ATTEMPTS) {
        snapshot = await this.snapshots.newer(busy.version, q.manager);
        continue;
      }
      if (!location || rules.length + windows.length === 0) return [];
      return this.slotsAt(snapshot, location, { rules, windows }, q, busy.absences.map(toRange), busy.bookings.map(toRange));
    }
  }

  /**
   * The slots at one location starting in [from, to) by the snapshot alone: rules, opening hours,
   * closures and policy, not absences or bookings, which the booking statement (place_booking)
   * checks in the database (absences) and leaves to the exclusion constraint (bookings); that
   * statement also compares the snapshot's version with the database's.
   */
  candidateSlots(snapshot: SearchSnapshot, q: Omit<FreeSlotsQuery, 'manager' | 'excludeBookingId'>): FreeSlot[] {
    const location = snapshot.locations.get(q.locationId.toLowerCase());
    const available = location && q.from < q.to ? availabilityOf(location, q) : NOTHING;
    if (!location || available.rules.length + available.windows.length === 0) return [];
    return this.slotsAt(snapshot, location, available, q, [], []);
  }

  private slotsAt(
    snapshot: SearchSnapshot,
    location: SnapLocation,
    { rules, windows }: Availability,
    q: Pick<FreeSlotsQuery, 'locationId' | 'from' | 'to' | 'ignoreNotice'>,
    absences: TutorInstantRange[],
    bookings: TutorInstantRange[],
  ): FreeSlot[] {
    const from = q.from.getTime();
    const to = q.to.getTime();
    const loadTo = to + MAX_SESSION_MS;
    const slots = computeSlots({
      locationId: q.locationId,
      timeZone: location.timeZone,
      rules,
      windows,
      openings: snapshot.openings(location, from, loadTo),
      absences,
      bookings,
      policy: { minNoticeMinutes: q.ignoreNotice ? 0 : location.minNoticeMinutes, maxDaysAhead: location.maxDaysAhead },
      now: this.clock.now().getTime(),
      from,
      to,
    }).sort(compareSlots);
    return slots.map((s) => ({ ...slotView(snapshot, s), startMs: s.start.getTime(), endMs: s.end.getTime() }));
  }
}

interface Availability {
  rules: WeeklyAvailabilityRule[];
  windows: AvailabilityWindow[];
}

const NOTHING: Availability = { rules: [], windows: [] };

function tutorsOf(rules: WeeklyAvailabilityRule[], windows: AvailabilityWindow[]): string[] {
  return [...new Set([...rules.map((r) => r.tutorId), ...windows.map((w) => w.tutorId)])];
}

/**
 * What a booking check looks at, with TutorsService.loadForSearch's filters (the ids asked for,
 * the topic (active), the language): with a claim, the windows of that approved bookable claim's
 * advisors here (the claim's topics and languages); else the branch's weekly rules of active
 * tutors of the kinds searched. Advisors have no weekly rules of their own.
 */
function availabilityOf(location: SnapLocation, q: Pick<FreeSlotsQuery, 'claimId' | 'tutorIds' | 'topic' | 'language'>): Availability {
  const ids = q.tutorIds && new Set(q.tutorIds.map((id) => id.toLowerCase()));
  if (q.claimId !== undefined) {
    const claimId = q.claimId.toLowerCase();
    const claim = location.claims.find((c) => c.id === claimId);
    if (!claim) return NOTHING;
    if (q.language !== undefined && !claim.languages.includes(q.language)) return NOTHING;
    if (q.topic !== undefined && !claim.topics.includes(q.topic)) return NOTHING;
    return { rules: [], windows: claim.windows.filter((w) => !ids || ids.has(w.tutorId)) };
  }
  const rules: WeeklyAvailabilityRule[] = [];
  for (const r of location.rules) {
    const t = r.tutor;
    if (!(KINDS as readonly string[]).includes(t.kind)) continue;
    if (ids && !ids.has(t.id)) continue;
    if (q.language !== undefined && !t.languages.includes(q.language)) continue;
    if (q.topic !== undefined && !t.topics.includes(q.topic)) continue;
    rules.push(r.engine);
  }
  return { rules, windows: [] };
}
