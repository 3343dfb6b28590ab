import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { decodeCursor, encodeCursor, Page } from '../../common/http/pagination';
import { ProblemException } from '../../common/problem/problem.exception';
import { Clock } from '../../common/time/clock';
import { formatInstant, formatLocalDate } from '../../common/time/format';
import { DAY_MS, HOUR_MS, MINUTE_MS, formatIsoDate } from '../../common/time/local-time';
import { toDateException } from '../locations/locations.repository';
import { LocationsService } from '../locations/locations.service';
import { finnishHolidays } from '../locations/opening-hours/finnish-holidays';
import { openIntervalsOf, resolveOpeningHours } from '../locations/opening-hours/resolve-opening-hours';
import type { HolidaySpan, WeeklyPeriod } from '../locations/opening-hours/types';
import { TopicsService } from '../topics/topics.service';
import { isLanguageCode } from '../tutors/languages';
import { SearchTutor, TutorsService } from '../tutors/tutors.service';
import { SlotQueryDto, SlotView } from './dto/slot.dto';
import { computeSlots, Slot, TutorInstantRange, WeeklyAvailabilityRule } from './engine';
import { SearchProfiles } from './search-profiles';
import { rangeIn, SearchRange, searchRange } from './search-range';
import { LocationTuple, SearchScope, SlotSearchRepository, WindowInputs } from './slot-search.repository';

/** A free slot with its instants as numbers, for callers that compare (bookings). */
export interface FreeSlot extends SlotView {
  startMs: number;
  endMs: number;
}

export interface FreeSlotsQuery {
  locationId: string;
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

type Cursor = [number, string, string];
const isCursor = (v: unknown): v is Cursor =>
  Array.isArray(v) && v.length === 3 && typeof v[0] === 'number' && typeof v[1] === 'string' && typeof v[2] === 'string';

/** Sessions never last longer than this (tutors module: sessionMinutes ≤ 240): input margin. */
const MAX_SESSION_MS = 4 * 3_600_000;
/** Without a histogram (rule shapes unreadable) the search widens its window in these steps (days). */
const FALLBACK_STEPS_DAYS = [1, 3, 7, 14, 31, 62];
/** Before anything is known, a quarter of the sessions in a window is assumed free. */
const INITIAL_FREE_RATIO = 0.25;
/** Windows shorter than this load only the rules whose local times fall in them. */
const NARROW_WINDOW_MS = 5 * DAY_MS;
/** Zones at the ends of the world: a date range covers at most this much time in any zone. */
const EARLIEST_ZONE = 'Pacific/Kiritimati';
const LATEST_ZONE = 'Etc/GMT+12';
const KINDS = ['staff', 'volunteer'] as const;

/** What the view needs of a tutor and of a branch. */
interface TutorInfo {
  displayName: string;
  topics: string[];
  languages: string[];
}

/**
 * Slot search. Each step loads, in ONE statement, the inputs of the pure engine for the rules of
 * the scope that can give a slot in a time window (rules, tutors, opening hours, closures,
 * absences, active bookings), and the window is sized from a histogram of the scope's weekly
 * sessions so a page usually needs one step: the country's first 50 slots load the rules of the
 * next opening hours, not every tutor's. Unknown filters are checked only when nothing matched.
 */
@Injectable()
export class SlotsService {
  private municipalityCodes?: Set<string>;

  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly locations: LocationsService,
    private readonly tutors: TutorsService,
    private readonly topics: TopicsService,
    private readonly searchRepo: SlotSearchRepository,
    private readonly profiles: SearchProfiles,
  ) {}

  async search(q: SlotQueryDto): Promise<Page<SlotView>> {
    const now = this.clock.now().getTime();
    const range = searchRange(q.from, q.to, now);
    const limit = q.limit ?? 50;
    const after = q.cursor ? decodeCursor(q.cursor, isCursor) : undefined;
    // The cheap checks now; those that need the database only when nothing matched.
    if (q.kind === 'advisory' || (q.municipality && !(await this.municipalities()).has(q.municipality)) || (q.language && !isLanguageCode(q.language))) {
      await this.assertFilters(q);
      return { items: [], nextCursor: null }; // partner claims come later
    }

    const scope: SearchScope = { kinds: [...KINDS], locationIds: q.locationId ? [q.locationId] : undefined, municipality: q.municipality, topic: q.topic, language: q.language };
    const profile = await this.profiles.of(scope);
    // Each branch's own bounds (dates in its zone) apply in the engine; the loop covers them all.
    let start = Math.max(rangeIn(range, EARLIEST_ZONE).from, now, after ? after[0] : -Infinity);
    const end = rangeIn(range, LATEST_ZONE).to;

    const found: Slot[] = [];
    const tutors = new Map<string, TutorInfo>();
    const zones = new Map<string, string>();
    let ratio = INITIAL_FREE_RATIO;
    let wanted = (limit + 1) / ratio;
    for (let step = 0; start < end; step++) {
      const planFrom = profile ? Math.max(start, now + profile.minNoticeMinutes * MINUTE_MS) : start;
      const stop = profile
        ? profile.histogram.endFor(planFrom, end, wanted)
        : Math.min(end, start + FALLBACK_STEPS_DAYS[Math.min(step, FALLBACK_STEPS_DAYS.length - 1)] * DAY_MS);
      const inputs = await this.searchRepo.window({
        ...scope,
        from: start,
        to: stop,
        loadTo: stop + MAX_SESSION_MS,
        now,
        narrow: stop - start < NARROW_WINDOW_MS,
        // Local dates of the window in any zone (offsets lie within ±14 h).
        fromDate: formatIsoDate(Math.floor((start - 14 * HOUR_MS) / DAY_MS)),
        toDate: formatIsoDate(Math.floor((stop + MAX_SESSION_MS + 14 * HOUR_MS) / DAY_MS)),
      });
      const slots = this.computeWindow(inputs, range, start, stop, now, tutors, zones);
      let fresh = 0;
      for (const s of slots) {
        if (after && !isAfter(s, after)) continue;
        found.push(s);
        fresh++;
      }
      if (found.length > limit) break;
      if (profile) {
        // Size the next window from the share of sessions this one found free.
        const expected = profile.histogram.count(planFrom, stop);
        if (expected > 0) ratio = Math.min(1, Math.max(0.05, fresh / expected));
        wanted = Math.max(((limit + 1 - found.length) / ratio) * 1.25, expected * 2);
      }
      start = stop;
    }
    if (found.length === 0) await this.assertFilters(q);
    const page = found.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((s) => toView(s, tutors.get(s.tutorId)!, zones.get(s.locationId)!)),
      nextCursor: found.length > limit ? encodeCursor([last.start.getTime(), last.locationId, last.tutorId] satisfies Cursor) : null,
    };
  }

  /** Runs the engine per branch on one window's inputs; slots in search order. */
  private computeWindow(
    inputs: WindowInputs,
    range: SearchRange,
    from: number,
    to: number,
    now: number,
    tutors: Map<string, TutorInfo>,
    zones: Map<string, string>,
  ): Slot[] {
    if (inputs.rules.length === 0) return [];
    for (const [id, displayName, languages, topics] of inputs.tutors) tutors.set(id, { displayName, languages, topics });
    const rulesAt = new Map<string, WeeklyAvailabilityRule[]>();
    for (const [tutorId, locationId, weekday, startMinute, endMinute, sessionMinutes, bufferMinutes, validFrom, validUntil] of inputs.rules) {
      const rule: WeeklyAvailabilityRule = {
        tutorId,
        weekday,
        startTime: clock(startMinute),
        endTime: clock(endMinute),
        sessionMinutes,
        bufferMinutes,
        validFrom,
        validUntil,
      };
      const list = rulesAt.get(locationId);
      if (list) list.push(rule);
      else rulesAt.set(locationId, [rule]);
    }
    const bookings = byTutor(inputs.bookings);
    const absences = byTutor(inputs.absences);
    const loadTo = to + MAX_SESSION_MS;
    let holidays: HolidaySpan[] | undefined;
    const out: Slot[] = [];
    for (const location of inputs.locations) {
      const [locationId, timeZone, minNoticeMinutes, maxDaysAhead] = location;
      zones.set(locationId, timeZone);
      const rules = rulesAt.get(locationId);
      if (!rules) continue;
      const bound = rangeIn(range, timeZone);
      const lo = Math.max(from, bound.from);
      const hi = Math.min(to, bound.to);
      if (!(lo < hi)) continue;
      holidays ??= finnishHolidays(formatIsoDate(Math.floor((from - 14 * HOUR_MS) / DAY_MS)), formatIsoDate(Math.floor((loadTo + 14 * HOUR_MS) / DAY_MS)));
      const here = [...new Set(rules.map((r) => r.tutorId))];
      out.push(
        ...computeSlots({
          locationId,
          timeZone,
          rules,
          openings: openingsOf(location, holidays, from, loadTo),
          absences: here.flatMap((id) => absences.get(id) ?? []),
          bookings: here.flatMap((id) => bookings.get(id) ?? []),
          policy: { minNoticeMinutes, maxDaysAhead },
          now,
          from: lo,
          to: hi,
        }),
      );
    }
    return out.sort(compareSlots);
  }

  /** Free slots at one location in [from, to), for booking checks (inside a transaction). */
  async freeSlotsFor(q: FreeSlotsQuery): Promise<FreeSlot[]> {
    const tutors = await this.tutors.loadForSearch({
      locationIds: [q.locationId],
      tutorIds: q.tutorIds,
      topic: q.topic,
      language: q.language,
      kinds: [...KINDS],
    });
    const place = (await this.locations.summaries([q.locationId])).get(q.locationId);
    if (!place || tutors.length === 0) return [];
    const from = q.from.getTime();
    const to = q.to.getTime();
    const rules = tutors.flatMap((t) => t.locations.find((l) => l.locationId === q.locationId)?.rules ?? []);
    if (rules.length === 0 || !(from < to)) return [];
    const tutorIds = tutors.map((t) => t.id);
    // Inputs reach a session's length past `to`, so a slot starting just before `to` can be judged.
    const loadTo = new Date(to + MAX_SESSION_MS);
    const [open, absences, bookings] = await Promise.all([
      this.locations.openIntervals([q.locationId], q.from, loadTo),
      this.tutors.absencesOverlapping(tutorIds, q.from, loadTo),
      this.activeBookings(tutorIds, q.from, loadTo, q),
    ]);
    const slots = computeSlots({
      locationId: q.locationId,
      timeZone: place.timezone,
      rules,
      openings: open.get(q.locationId) ?? [],
      absences,
      bookings,
      policy: { minNoticeMinutes: q.ignoreNotice ? 0 : place.policy.minNoticeMinutes, maxDaysAhead: place.policy.maxDaysAhead },
      now: this.clock.now().getTime(),
      from,
      to,
    }).sort(compareSlots);
    const tutorById = new Map(tutors.map((t) => [t.id, t]));
    return slots.map((s) => ({ ...toView(s, tutorById.get(s.tutorId)!, place.timezone), startMs: s.start.getTime(), endMs: s.end.getTime() }));
  }

  private async activeBookings(
    tutorIds: string[],
    from: Date,
    to: Date,
    opts: Pick<FreeSlotsQuery, 'excludeBookingId' | 'manager'>,
  ): Promise<{ tutorId: string; start: Date; end: Date }[]> {
    if (tutorIds.length === 0) return [];
    // Reads the bookings table directly: the bookings module depends on this one, not back.
    const rows: { tutor_id: string; start: Date; end: Date }[] = await (opts.manager ?? this.db).query(
      `SELECT tutor_id, lower(during) AS start, upper(during) AS "end" FROM bookings
        WHERE tutor_id = ANY($1::uuid[]) AND during && tstzrange($2, $3)
          AND status IN ('confirmed', 'checked_in') AND ($4::uuid IS NULL OR id <> $4::uuid)`,
      [tutorIds, from, to, opts.excludeBookingId ?? null],
    );
    return rows.map((r) => ({ tutorId: r.tutor_id, start: r.start, end: r.end }));
  }

  /** Unknown location, municipality, topic or language in the query → 422 naming it. */
  private async assertFilters(q: SlotQueryDto): Promise<void> {
    if (q.locationId && !(await this.locations.summaries([q.locationId])).has(q.locationId)) {
      throw ProblemException.validation('locationId', 'unknown-location', 'No location has this id.');
    }
    if (q.municipality && !(await this.municipalities()).has(q.municipality)) {
      throw ProblemException.validation('municipality', 'unknown-municipality', 'No municipality has this code.');
    }
    if (q.topic && !(await this.topics.findBySlugs([q.topic])).has(q.topic)) {
      throw ProblemException.validation('topic', 'unknown-topic', 'No topic has this slug.');
    }
    if (q.language && !isLanguageCode(q.language)) {
      throw ProblemException.validation('language', 'unknown-language', 'language must be an ISO 639-1 code.');
    }
  }

  /** The municipality list is data shipped by a migration: read it once. */
  private async municipalities(): Promise<Set<string>> {
    this.municipalityCodes ??= new Set((await this.locations.municipalities()).items.map((m) => m.code));
    return this.municipalityCodes;
  }
}

function compareSlots(a: Slot, b: Slot): number {
  return a.start.getTime() - b.start.getTime() || cmp(a.locationId, b.locationId) || cmp(a.tutorId, b.tutorId);
}

function isAfter(s: Slot, [start, locationId, tutorId]: Cursor): boolean {
  return s.start.getTime() - start > 0 || (s.start.getTime() === start && (cmp(s.locationId, locationId) || cmp(s.tutorId, tutorId)) > 0);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function toView(s: Slot, tutor: Pick<SearchTutor, 'displayName' | 'topics' | 'languages'>, timeZone: string): SlotView {
  return {
    start: formatInstant(s.start, timeZone),
    end: formatInstant(s.end, timeZone),
    locationId: s.locationId,
    tutorId: s.tutorId,
    tutorDisplayName: tutor.displayName,
    topics: tutor.topics,
    languages: tutor.languages,
    kind: s.kind,
    partnerId: s.partnerId,
    claimId: s.claimId,
    roomId: s.roomId,
  };
}

/** Minutes after midnight → `HH:mm` (1440 → `24:00`), as the engine reads rule times. */
function clock(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}`;
}

function byTutor(rows: [string, number, number][]): Map<string, TutorInstantRange[]> {
  const out = new Map<string, TutorInstantRange[]>();
  for (const [tutorId, start, end] of rows) {
    const range = { tutorId, start, end };
    const list = out.get(tutorId);
    if (list) list.push(range);
    else out.set(tutorId, [range]);
  }
  return out;
}

/**
 * A branch's open intervals in [from, to) from the rows the window query read: the same
 * resolution as LocationsService.openIntervals (weekly periods, exceptions, Finnish holidays,
 * closures last), over the branch's own local dates.
 */
function openingsOf(location: LocationTuple, holidays: HolidaySpan[], from: number, to: number): { start: number; end: number }[] {
  const [locationId, timeZone, , , periods, exceptions, closures] = location;
  const days = resolveOpeningHours({
    timeZone,
    from: formatLocalDate(from, timeZone),
    to: formatLocalDate(to - 1, timeZone),
    active: true,
    periods: periods.map(([validFrom, validUntil, intervals]): WeeklyPeriod => {
      const days: WeeklyPeriod['days'] = {};
      for (const [weekday, start, end] of intervals) (days[weekday] ??= []).push([start, end]);
      return { validFrom, validUntil, days };
    }),
    exceptions: exceptions.map(([date, hours, reason]) => toDateException({ location_id: locationId, date, hours, reason: reason as never })),
    holidays,
    closures: closures.map(([start, end]) => ({ start, end, reason: null })),
  });
  return openIntervalsOf(days, from, to);
}
