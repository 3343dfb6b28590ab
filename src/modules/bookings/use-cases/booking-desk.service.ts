import { Injectable } from '@nestjs/common';
import { actorKindOf, assertCanSeeBooking, assertMaySeePartnerBookings, bookingScopeOf, maySeeAgendaOf } from '../../../common/access/booking-access';
import { Principal } from '../../../common/auth/principal';
import { assertIfMatch } from '../../../common/http/if-match';
import { decodeCursor, Page, toPage } from '../../../common/http/pagination';
import { ProblemException } from '../../../common/problem/problem.exception';
import { Clock } from '../../../common/time/clock';
import { formatLocalDate } from '../../../common/time/format';
import { formatIsoDate, parseIsoDate, startOfLocalDay } from '../../../common/time/local-time';
import { FindClaimsService } from '../../claims/use-cases/find-claims.service';
import { LocationsService } from '../../locations/locations.service';
import { Bound, parseBound } from '../../slots/search-range';
import { TopicsService } from '../../topics/topics.service';
import { TutorsService } from '../../tutors/tutors.service';
import { BOOKING_STATUSES, BookingStatus } from '../rules/booking-status';
import { toPartnerBookingView, toStaffBookingView } from '../booking-view';
import { BookingEventType, BookingListFilter, BookingOutcome, BookingRecord, BookingsRepository } from '../bookings.repository';
import { RescheduleBookingDto } from '../dto/booking.dto';
import { PartnerBookingListQuery, PartnerBookingView } from '../dto/partner.dto';
import { AgendaItemView, AgendaQuery, AgendaView, BookingListQuery, CompleteBookingDto, StaffBookingView, StaffCancelBookingDto } from '../dto/staff.dto';
import { decideTransition, forbiddenDetail, LifecycleAction, mayAct } from '../rules/lifecycle';
import { normalizeReference } from '../rules/reference';
import { actorColumns, assertVerdict } from './actors';
import { BookingPlaces } from './booking-places';
import { ManageLinkService } from './manage-link.service';
import { RescheduleService } from './reschedule.service';

type Cursor = [string, string];
const isCursor = (v: unknown): v is Cursor =>
  Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && !Number.isNaN(Date.parse(v[0])) && typeof v[1] === 'string' && /^[0-9a-f-]{36}$/i.test(v[1]);

const EVENT_OF: Record<Exclude<LifecycleAction, 'reschedule' | 'manage-link'>, BookingEventType> = {
  'check-in': 'checked_in',
  complete: 'completed',
  'no-show': 'no_show',
  cancel: 'cancelled',
};

/** A staff view with the ETag of its version. */
export interface VersionedBooking {
  body: StaffBookingView;
  version: number;
}

/**
 * The library desk: finding bookings, the day's agenda, and the lifecycle by staff and tutors
 * (check-in, complete, no-show, cancel, reschedule, a new manage link).
 *
 * Scope (common/access/booking-access.ts): what the caller may not see answers 404, also for
 * tutors asking for another tutor's session. Who may do what, and when, is rules/lifecycle.ts.
 * Two desks acting at once: each change is `UPDATE … WHERE status = <read> AND version = <read>`
 * (a cancel: the row still confirmed at the read version) in the transaction that also writes
 * its booking_events row; the one that finds the row changed answers 409 invalid-transition (or
 * 412 when it named the version in If-Match).
 */
@Injectable()
export class BookingDeskService {
  constructor(
    private readonly repo: BookingsRepository,
    private readonly clock: Clock,
    private readonly places: BookingPlaces,
    private readonly rescheduling: RescheduleService,
    private readonly links: ManageLinkService,
    private readonly locations: LocationsService,
    private readonly topics: TopicsService,
    private readonly tutors: TutorsService,
    private readonly claims: FindClaimsService,
  ) {}

  // ---- find ----

  async list(caller: Principal, q: BookingListQuery): Promise<Page<StaffBookingView>> {
    const filter = await this.listFilter(q);
    const scope = bookingScopeOf(caller);
    if (scope.kind === 'none') return { items: [], nextCursor: null };
    const limit = q.limit ?? 50;
    const rows = await this.repo.list({
      ...filter,
      scope,
      limit: limit + 1,
    });
    const places = await this.places.ofAll(rows);
    const page = toPage(rows, limit, (last) => [last.start.toISOString(), last.id] satisfies Cursor);
    return { items: page.items.map((b) => toStaffBookingView(b, places.get(b.locationId)!)), nextCursor: page.nextCursor };
  }

  /**
   * The sessions in a partner's claims, by start (API.md: partner's view of a booking), for the
   * partner's own users and admins; 404 for anyone else and for a partner that does not exist. A
   * claimId that is not one of the partner's is an unknown id (422).
   */
  async listForPartner(caller: Principal, partnerId: string, q: PartnerBookingListQuery): Promise<Page<PartnerBookingView>> {
    assertMaySeePartnerBookings(caller, partnerId);
    if (!(await this.repo.partnerExists(partnerId))) throw ProblemException.notFound('partner');
    const filter = await this.listFilter(q);
    if (q.claimId && !(await this.repo.claimExists(q.claimId, partnerId))) {
      throw ProblemException.validation('claimId', 'unknown-claim', 'This partner has no claim with this id.');
    }
    const limit = q.limit ?? 50;
    const rows = await this.repo.list({ ...filter, partnerId, claimId: q.claimId, scope: { kind: 'all' }, limit: limit + 1 });
    const places = await this.places.ofAll(rows);
    const page = toPage(rows, limit, (last) => [last.start.toISOString(), last.id] satisfies Cursor);
    return { items: page.items.map((b) => toPartnerBookingView(b, places.get(b.locationId)!)), nextCursor: page.nextCursor };
  }

  async get(caller: Principal, id: string): Promise<VersionedBooking> {
    const b = await this.visible(caller, id);
    return { body: toStaffBookingView(b, await this.places.of(b)), version: b.version };
  }

  /**
   * The bookings and approved partner claims starting on a local date at a branch, by start (a
   * claim before the bookings starting with it; bookings then by tutor name). Staff of the branch
   * and admins only: the location is public but its agenda is not, so others get 404.
   */
  async agenda(caller: Principal, locationId: string, q: AgendaQuery): Promise<AgendaView> {
    const place = (await this.locations.summaries([locationId])).get(locationId);
    if (!place || !maySeeAgendaOf(caller, locationId)) throw ProblemException.notFound('location');
    const date = q.date ?? formatLocalDate(this.clock.now(), place.timezone);
    const day = parseIsoDate(date);
    if (day === null) throw ProblemException.validation('date', 'invalid-date', 'date is a date YYYY-MM-DD that exists.');
    const from = new Date(startOfLocalDay(place.timezone, day));
    const to = new Date(startOfLocalDay(place.timezone, day + 1));
    const [rows, claims] = await Promise.all([this.repo.startingAt(locationId, from, to, q.includeCancelled ?? false), this.claims.approvedStartingAt(locationId, from, to)]);
    const items: (AgendaItemView & { at: number })[] = [
      ...claims.map((claim) => ({ type: 'claim' as const, claim, at: Date.parse(claim.start) })),
      ...rows.map((b) => ({ type: 'booking' as const, booking: toStaffBookingView(b, place), at: b.start.getTime() })),
    ];
    // A stable sort: claims (listed first) before the bookings starting with them, bookings in the repository's order.
    items.sort((a, b) => a.at - b.at);
    return { date: formatIsoDate(day), items: items.map(({ at: _at, ...item }) => item) };
  }

  // ---- lifecycle ----

  checkIn(caller: Principal, id: string, ifMatch?: string): Promise<VersionedBooking> {
    return this.transition(caller, id, 'check-in', ifMatch, {});
  }

  async complete(caller: Principal, id: string, dto: CompleteBookingDto, ifMatch?: string): Promise<VersionedBooking> {
    await this.visibleFor(caller, id, 'complete');
    const slugs = [...new Set(dto.outcome.topics)];
    const known = await this.topics.findBySlugs(slugs);
    const unknown = slugs.filter((s) => !known.has(s));
    if (unknown.length) {
      throw ProblemException.validation('outcome.topics', 'unknown-topic', `${unknown.length === 1 ? 'One topic names' : `${unknown.length} topics name`} no topic.`);
    }
    const outcome: BookingOutcome = { topics: slugs, referredTo: dto.outcome.referredTo || null, note: dto.outcome.note || null };
    return this.transition(caller, id, 'complete', ifMatch, { outcome });
  }

  noShow(caller: Principal, id: string, ifMatch?: string): Promise<VersionedBooking> {
    return this.transition(caller, id, 'no-show', ifMatch, {});
  }

  cancel(caller: Principal, id: string, dto: StaffCancelBookingDto, ifMatch?: string): Promise<VersionedBooking> {
    return this.transition(caller, id, 'cancel', ifMatch, { reason: dto.reason });
  }

  async reschedule(caller: Principal, id: string, dto: RescheduleBookingDto, ifMatch?: string): Promise<VersionedBooking> {
    const seen = await this.visibleFor(caller, id, 'reschedule');
    const body = await this.rescheduling.byStaff(caller, seen, dto, ifMatch);
    return { body, version: body.version };
  }

  /**
   * A new manage token for the resident (the response is the only place it is shown); the old
   * token stops working when this commits.
   */
  async renewManageLink(caller: Principal, id: string, ifMatch?: string): Promise<VersionedBooking> {
    await this.visibleFor(caller, id, 'manage-link');
    return this.links.renew(caller, id, ifMatch, () => changedMeanwhile(ifMatch));
  }

  // ---- internals ----

  /**
   * One status change: read in the transaction, judged by the pure rules, written only if the
   * row is still as read, with its event in the same transaction.
   */
  private async transition(
    caller: Principal,
    id: string,
    action: 'check-in' | 'complete' | 'no-show' | 'cancel',
    ifMatch: string | undefined,
    extra: { reason?: string; outcome?: BookingOutcome },
  ): Promise<VersionedBooking> {
    await this.visibleFor(caller, id, action);
    const actor = actorKindOf(caller);
    await this.repo.transaction(async (m) => {
      const now = this.clock.now();
      const b = (await this.repo.findById(id, m))!;
      assertIfMatch(ifMatch, b.version);
      const verdict = decideTransition({ status: b.status, start: b.start.getTime(), end: b.end.getTime(), now: now.getTime(), action, actor });
      assertVerdict(verdict);
      if (!verdict.allowed) return;
      const actorColumnsOfCaller = actorColumns({ type: 'user', userId: caller.id });
      if (action === 'cancel') {
        const cancelled = await this.repo.cancel(m, { ids: [id], version: b.version, now, ...actorColumnsOfCaller, reason: extra.reason ?? null, payload: { from: b.status } });
        if (cancelled.length === 0) throw changedMeanwhile(ifMatch);
        return;
      }
      const changed = await this.repo.transition(m, { id, from: b.status, version: b.version, to: verdict.to, now, outcome: extra.outcome });
      if (!changed) throw changedMeanwhile(ifMatch);
      await this.repo.insertEvent(m, {
        bookingId: id,
        type: EVENT_OF[action],
        at: now,
        ...actorColumnsOfCaller,
        reason: extra.reason ?? null,
        payload: { from: b.status, start: b.start.toISOString(), end: b.end.toISOString(), tutorId: b.tutorId, ...(extra.outcome ? { outcome: extra.outcome } : {}) },
      });
    });
    const b = (await this.repo.findById(id))!;
    return { body: toStaffBookingView(b, await this.places.of(b)), version: b.version };
  }

  /** The booking if the caller may see it (else 404). */
  private async visible(caller: Principal, id: string): Promise<BookingRecord> {
    return assertCanSeeBooking(caller, await this.repo.findById(id));
  }

  /** The booking if the caller may see it (404) and ever take this action (403: a tutor cancelling). */
  private async visibleFor(caller: Principal, id: string, action: LifecycleAction): Promise<BookingRecord> {
    const b = await this.visible(caller, id);
    const actor = actorKindOf(caller);
    if (!mayAct(action, actor)) throw new ProblemException('forbidden', forbiddenDetail(actor));
    return b;
  }

  /** The query's filters, checked: unknown ids, bad dates, statuses and references are 422 naming the field. */
  private async listFilter(q: BookingListQuery): Promise<Omit<BookingListFilter, 'scope' | 'limit'>> {
    const from = q.from === undefined ? undefined : parseBound(q.from, 'from');
    const to = q.to === undefined ? undefined : parseBound(q.to, 'to');
    if (from && to && from.kind === to.kind && (from.kind === 'date' ? (to as typeof from).day < from.day : (to as typeof from).ms <= from.ms)) {
      throw ProblemException.validation('to', 'end-before-start', 'to must not be before from.');
    }
    let statuses: BookingStatus[] | undefined;
    if (q.status !== undefined) {
      const parts = q.status.split(',').map((s) => s.trim());
      const bad = parts.filter((s) => !(BOOKING_STATUSES as readonly string[]).includes(s));
      if (bad.length || parts.length === 0) {
        throw ProblemException.validation('status', 'unknown-status', `status is one or more of ${BOOKING_STATUSES.join(', ')}, comma-separated.`);
      }
      statuses = parts as BookingStatus[];
    }
    let reference: string | undefined;
    if (q.reference !== undefined) {
      reference = normalizeReference(q.reference);
      if (!reference) throw ProblemException.validation('reference', 'invalid-reference', 'A reference is six letters and digits such as K7M-4QX.');
    }
    const after = q.cursor ? decodeCursor(q.cursor, isCursor) : undefined;
    const [locationKnown, tutorKnown] = await Promise.all([
      q.locationId ? this.locations.summaries([q.locationId]).then((m) => m.has(q.locationId!)) : true,
      q.tutorId ? this.tutors.tutorExists(q.tutorId) : true,
    ]);
    if (!locationKnown) throw ProblemException.validation('locationId', 'unknown-location', 'No location has this id.');
    if (!tutorKnown) throw ProblemException.validation('tutorId', 'unknown-tutor', 'No tutor has this id.');
    return {
      locationId: q.locationId,
      tutorId: q.tutorId,
      statuses,
      reference,
      from: from && toFilterBound(from),
      to: to && toFilterBound(to),
      after: after && { start: new Date(after[0]), id: after[1] },
    };
  }
}

function toFilterBound(b: Bound): BookingListFilter['from'] {
  return b.kind === 'date' ? { kind: 'date', date: formatIsoDate(b.day) } : { kind: 'instant', ms: b.ms };
}

/** The row changed between our read and our write: someone else acted first. */
function changedMeanwhile(ifMatch: string | undefined): ProblemException {
  return ifMatch !== undefined && ifMatch.trim() !== '' && ifMatch.trim() !== '*'
    ? new ProblemException('version-mismatch', 'The booking changed after you read it.')
    : new ProblemException('invalid-transition', 'The booking changed at the same moment (another desk?); read it again.');
}
