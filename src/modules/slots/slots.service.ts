import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { decodeCursor, encodeCursor, Page } from '../../common/http/pagination';
import { ProblemException } from '../../common/problem/problem.exception';
import { Clock } from '../../common/time/clock';
import { formatInstant } from '../../common/time/format';
import { DAY_MS } from '../../common/time/local-time';
import { LocationsService, LocationSummary } from '../locations/locations.service';
import { TopicsService } from '../topics/topics.service';
import { isLanguageCode } from '../tutors/languages';
import { SearchTutor, TutorsService } from '../tutors/tutors.service';
import { SlotQueryDto, SlotView } from './dto/slot.dto';
import { computeSlots, Slot } from './engine';
import { rangeIn, searchRange } from './search-range';

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
/** The search widens its window in these steps (days) until it has a page. */
const WINDOW_STEPS_DAYS = [1, 3, 7, 14, 31, 62];

/**
 * Slot search: loads the inputs of the pure engine for the whole scope in a few set-based
 * queries (tutors and rules, open intervals, absences, active bookings), never one per tutor
 * or day, and widens its time window step by step until a page is full.
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
  ) {}

  async search(q: SlotQueryDto): Promise<Page<SlotView>> {
    const now = this.clock.now().getTime();
    const range = searchRange(q.from, q.to, now);
    const limit = q.limit ?? 50;
    const after = q.cursor ? decodeCursor(q.cursor, isCursor) : undefined;
    await this.assertFilters(q);
    if (q.kind === 'advisory') return { items: [], nextCursor: null }; // partner claims come later

    const tutors = await this.tutors.loadForSearch({
      locationIds: q.locationId ? [q.locationId] : undefined,
      municipality: q.municipality,
      topic: q.topic,
      language: q.language,
      kinds: ['staff', 'volunteer'],
    });
    const places = await this.locations.summaries(tutors.flatMap((t) => t.locations.map((l) => l.locationId)));
    const bounds = new Map([...places.values()].map((p) => [p.id, rangeIn(range, p.timezone)]));
    if (bounds.size === 0) return { items: [], nextCursor: null };
    let start = Math.max(Math.min(...[...bounds.values()].map((b) => b.from)), after ? after[0] : -Infinity);
    const end = Math.max(...[...bounds.values()].map((b) => b.to));

    const found: Slot[] = [];
    for (let step = 0; start < end; step++) {
      const stop = Math.min(end, start + WINDOW_STEPS_DAYS[Math.min(step, WINDOW_STEPS_DAYS.length - 1)] * DAY_MS);
      const slots = await this.compute(tutors, places, bounds, start, stop, now, {});
      found.push(...slots.filter((s) => !after || isAfter(s, after)));
      if (found.length > limit) break;
      start = stop;
    }
    const page = found.slice(0, limit);
    const last = page[page.length - 1];
    const tutorById = new Map(tutors.map((t) => [t.id, t]));
    return {
      items: page.map((s) => toView(s, tutorById.get(s.tutorId)!, places.get(s.locationId)!)),
      nextCursor: found.length > limit ? encodeCursor([last.start.getTime(), last.locationId, last.tutorId] satisfies Cursor) : null,
    };
  }

  /** Free slots at one location in [from, to), for booking checks (inside a transaction). */
  async freeSlotsFor(q: FreeSlotsQuery): Promise<FreeSlot[]> {
    const tutors = await this.tutors.loadForSearch({
      locationIds: [q.locationId],
      tutorIds: q.tutorIds,
      topic: q.topic,
      language: q.language,
      kinds: ['staff', 'volunteer'],
    });
    const places = await this.locations.summaries([q.locationId]);
    const place = places.get(q.locationId);
    if (!place || tutors.length === 0) return [];
    const bounds = new Map([[place.id, { from: q.from.getTime(), to: q.to.getTime() }]]);
    const slots = await this.compute(tutors, places, bounds, q.from.getTime(), q.to.getTime(), this.clock.now().getTime(), q);
    const tutorById = new Map(tutors.map((t) => [t.id, t]));
    return slots.map((s) => ({ ...toView(s, tutorById.get(s.tutorId)!, place), startMs: s.start.getTime(), endMs: s.end.getTime() }));
  }

  private async compute(
    tutors: SearchTutor[],
    places: Map<string, LocationSummary>,
    bounds: Map<string, { from: number; to: number }>,
    from: number,
    to: number,
    now: number,
    opts: Pick<FreeSlotsQuery, 'ignoreNotice' | 'excludeBookingId' | 'manager'>,
  ): Promise<Slot[]> {
    const locationIds = [...bounds.keys()].filter((id) => bounds.get(id)!.from < to && bounds.get(id)!.to > from);
    const tutorIds = tutors.map((t) => t.id);
    // Inputs reach a session's length past `to`, so a slot starting just before `to` can be judged.
    const loadTo = new Date(to + MAX_SESSION_MS);
    const [open, absences, bookings] = await Promise.all([
      this.locations.openIntervals(locationIds, new Date(from), loadTo),
      this.tutors.absencesOverlapping(tutorIds, new Date(from), loadTo),
      this.activeBookings(tutorIds, new Date(from), loadTo, opts),
    ]);
    const out: Slot[] = [];
    for (const locationId of locationIds) {
      const place = places.get(locationId)!;
      const rules = tutors.flatMap((t) => t.locations.find((l) => l.locationId === locationId)?.rules ?? []);
      if (rules.length === 0) continue;
      const bound = bounds.get(locationId)!;
      out.push(
        ...computeSlots({
          locationId,
          timeZone: place.timezone,
          rules,
          openings: open.get(locationId) ?? [],
          absences,
          bookings,
          policy: { minNoticeMinutes: opts.ignoreNotice ? 0 : place.policy.minNoticeMinutes, maxDaysAhead: place.policy.maxDaysAhead },
          now,
          from: Math.max(from, bound.from),
          to: Math.min(to, bound.to),
        }),
      );
    }
    return out.sort(compareSlots);
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

function toView(s: Slot, tutor: SearchTutor, place: LocationSummary): SlotView {
  return {
    start: formatInstant(s.start, place.timezone),
    end: formatInstant(s.end, place.timezone),
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
