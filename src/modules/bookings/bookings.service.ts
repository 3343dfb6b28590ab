import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { actorKindOf, assertMayBookOnBehalfAt } from '../../common/access/booking-access';
import { Principal } from '../../common/auth/principal';
import { assertIfMatch } from '../../common/http/if-match';
import { IDEMPOTENCY_TTL_MS } from '../../common/housekeeping/retention';
import { ProblemException } from '../../common/problem/problem.exception';
import { ProblemCode } from '../../common/problem/problem-types';
import { RateLimiter } from '../../common/rate-limit/rate-limiter.service';
import { Clock } from '../../common/time/clock';
import { parseInstant } from '../../common/time/instant';
import { formatLocalDate } from '../../common/time/format';
import { DAY_MS, parseIsoDate, startOfLocalDay } from '../../common/time/local-time';
import { AppConfig, APP_CONFIG } from '../../config/app-config';
import { LocationsService, LocationSummary } from '../locations/locations.service';
import { CLOSED_REASONS } from '../locations/opening-hours/resolve-opening-hours';
import type { SearchSnapshot } from '../slots/search-snapshot';
import { FreeSlot, SlotsService } from '../slots/slots.service';
import { TopicsService } from '../topics/topics.service';
import { isLanguageCode } from '../tutors/languages';
import { TutorsService } from '../tutors/tutors.service';
import { renderBookingIcs } from './booking-ics';
import { diagnose, Diagnosis, isoWeekOf, orderTutors, RuleProblem } from './rules/booking-rules';
import { newBookingRecord, NewBookingFields, toBookingView, toStaffBookingView, ViewedBooking } from './booking-view';
import { BookingRecord, BookingsRepository, PlaceBookingResult, sqlState } from './bookings.repository';
import { BookingView, CancelBookingDto, Channel, CreateBookingDto, RescheduleBookingDto, ResidentLanguage } from './dto/booking.dto';
import { StaffBookingView, StaffCreateBookingDto } from './dto/staff.dto';
import { decideTransition, TransitionVerdict } from './rules/lifecycle';
import { newReference } from './rules/reference';
import { advisoryLockKey, BookingSecrets, requestHash } from './secrets';

/** API.md: an Idempotency-Key is 1–150 visible ASCII characters; within IDEMPOTENCY_TTL_MS the same key and body return the first response. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,150}$/;
/** Decisions of one booking request: a stale snapshot or a reference drawn twice costs another. */
const BOOKING_ATTEMPTS = 4;
/** A staff move's deadlocks undone and tried again before the error is let through. */
const MAX_DEADLOCK_RETRIES = 3;

export interface CreateContext {
  /** The client's address (Fastify's request.ip: X-Forwarded-For only from trusted proxies). */
  ip: string;
  /** The Idempotency-Key header, if sent. */
  idempotencyKey?: string;
}

export interface CreateResult {
  body: BookingView;
  /** True when the body is the stored response of an earlier request with the same key. */
  replayed: boolean;
}

/** What a booking transaction ended with, when it did not throw. */
type TxOutcome<T> = { done: T } | { noSlot: true };

/** Who makes a booking or a change: a resident (public routes) or a signed-in user. */
export type Actor = { type: 'resident' } | { type: 'user'; userId: string };
const RESIDENT: Actor = { type: 'resident' };

/** How one booking request is handled: the public one or a staff member's on a resident's behalf. */
interface BookOptions {
  channel: Channel;
  actor: Actor;
  /** Staff bookings: the minimum notice does not apply (a slot that has started is still refused). */
  ignoreNotice: boolean;
  /** The client's address to rate-limit (public bookings only). */
  rateLimitIp?: string;
  /** The stored Idempotency-Key (namespaced), if sent. */
  key?: string;
  /** For the request hash of an idempotent request. */
  route: string;
  /** Throws when the caller may not book at this branch (after the location is known to exist). */
  authorize?: (place: LocationSummary) => void;
  view: (b: ViewedBooking, place: LocationSummary, token: string) => BookingView;
}

/** Filter of a slot re-check or a diagnosis. */
interface SlotFilter {
  tutorIds?: string[];
  topic: string;
  language: string;
  excludeBookingId?: string;
  ignoreNotice?: boolean;
}

/**
 * Booking and moving: for residents, book (with idempotency keys, per-contact caps and rate
 * limits), view, cancel, reschedule and the calendar file by manage token; for staff, booking on
 * a resident's behalf and moving a booking (the rest of the desk is BookingDeskService).
 *
 * PostgreSQL is the guard: the exclusion constraint keeps a tutor out of two active bookings,
 * advisory locks serialise one contact's bookings and one idempotency key's requests. Inside the
 * booking's transaction the time is re-checked as a real free slot (SlotsService); when it is
 * not, the pure `diagnose` says which rule it breaks, after the transaction has ended.
 */
@Injectable()
export class BookingsService {
  private readonly secrets: BookingSecrets;

  constructor(
    private readonly repo: BookingsRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly limiter: RateLimiter,
    private readonly locations: LocationsService,
    private readonly topics: TopicsService,
    private readonly tutors: TutorsService,
    private readonly slots: SlotsService,
  ) {
    this.secrets = new BookingSecrets(config.auth.secret);
  }

  // ---- POST /bookings ----

  async create(dto: CreateBookingDto, ctx: CreateContext): Promise<CreateResult> {
    return this.book(dto, {
      channel: 'web',
      actor: RESIDENT,
      ignoreNotice: false,
      rateLimitIp: ctx.ip,
      key: ctx.idempotencyKey !== undefined ? idempotencyKeyOf(ctx.idempotencyKey, 'bookings') : undefined,
      route: 'POST /bookings',
      view: toBookingView,
    });
  }

  // ---- POST /bookings/staff ----

  /**
   * A booking made by staff on a resident's behalf (phone, walk-in): staff of the branch or an
   * admin (others 403: the branch is public); no consent; no minimum notice (a slot starting
   * now is bookable, one that has started is not); the per-contact cap and the horizon
   * (maxDaysAhead) still apply; no rate limit (the caller is signed in and accountable).
   * Idempotency keys are kept per user.
   */
  async createByStaff(caller: Principal, dto: StaffCreateBookingDto, ctx: { idempotencyKey?: string }): Promise<CreateResult> {
    return this.book(dto, {
      channel: dto.channel,
      actor: { type: 'user', userId: caller.id },
      ignoreNotice: true,
      key: ctx.idempotencyKey !== undefined ? idempotencyKeyOf(ctx.idempotencyKey, `staff:${caller.id}`) : undefined,
      route: 'POST /bookings/staff',
      authorize: (place) => assertMayBookOnBehalfAt(caller, place.id),
      view: toStaffBookingView,
    });
  }

  /**
   * One booking request: checks that need no database (the request, the snapshot's branch,
   * topic and tutor, the candidate slots), then ONE statement, place_booking, which decides the
   * rest atomically (idempotency, rate limits, a named tutor's existing booking, the snapshot's
   * version, the contact's cap, absences, and the exclusion constraint for concurrent bookings).
   * A snapshot found older than the database is replaced and the request decided again.
   */
  private async book(dto: CreateBookingDto | StaffCreateBookingDto, o: BookOptions): Promise<CreateResult> {
    const start = parseInstant(dto.start);
    if (!start) throw ProblemException.validation('start', 'invalid-instant', 'start is an instant with an offset.');
    const phone = dto.resident.phone ?? null;
    const email = dto.resident.email ?? null;
    if (!phone && !email) {
      throw ProblemException.validation('resident', 'contact-required', 'Give resident.phone or resident.email (or both).');
    }
    const residentLanguage: ResidentLanguage = dto.resident.language ?? 'fi';
    const language = dto.language ?? residentLanguage;
    if (!isLanguageCode(language)) throw ProblemException.validation('language', 'unknown-language', 'language is an ISO 639-1 code such as fi.');
    if (dto.claimId) throw ProblemException.validation('claimId', 'unknown-claim', 'No bookable claim has this id.');
    if (dto.kind === 'advisory') throw ProblemException.validation('claimId', 'required', 'Advisory hours are booked with the claimId of a partner claim.');
    const key = o.key;
    const hash = key ? requestHash({ route: o.route, body: dto }) : undefined;
    const tutorIds = dto.tutorId ? [dto.tutorId] : undefined;
    const contacts = [phone && `phone:${phone}`, email && `email:${email}`].filter((c): c is string => !!c).sort();
    const rateLimits = o.rateLimitIp !== undefined ? this.rateLimitsOf(o.rateLimitIp, contacts) : undefined;
    const id = randomUUID();
    const { token, hash: tokenHash } = this.secrets.newManageToken();
    let reference = newReference();
    let atLeast: string | undefined;
    let countHits = true;

    for (let attempt = 1; attempt <= BOOKING_ATTEMPTS; attempt++) {
      const snap = await this.slots.snapshot(atLeast);
      const checked = await this.checkRequest(dto, o, snap, start, language).catch(async (error: unknown) => {
        // A replay answers even if the branch, topic or tutor has changed since the first request.
        const stored = key && error instanceof ProblemException ? await this.repo.storedResponse(this.repo.manager(), key) : undefined;
        if (stored && this.fresh(stored.createdAt)) return { replay: this.replay(stored, key!, hash!) };
        throw error;
      });
      if ('replay' in checked) return { body: checked.replay, replayed: true };
      const { place, topic, candidates } = checked;
      const now = this.clock.now();
      const fields: NewBookingFields = { id, reference, topic: topic.slug, language, channel: o.channel, resident: { name: dto.resident.name, phone, email, language: residentLanguage }, notes: dto.notes ?? null };
      const viewOf = (slot: FreeSlot): BookingView => o.view(newBookingRecord(fields, slot), place, token);
      // With a key, each candidate's answer is stored (encrypted) in case it is the one placed.
      const views = key ? candidates.map(viewOf) : undefined;
      const result = await this.repo.placeBooking({
        now,
        idempotency: key
          ? {
              key,
              lock: advisoryLockKey('idempotency', key),
              requestHash: hash!,
              freshAfter: new Date(now.getTime() - IDEMPOTENCY_TTL_MS),
              responses: views!.map((view) => this.secrets.encrypt(JSON.stringify(view), key)),
            }
          : undefined,
        rateLimits: countHits ? rateLimits : undefined,
        namedTutorId: dto.tutorId ?? undefined,
        start,
        expectedVersion: snap.version,
        contactLocks: contacts.map((c) => advisoryLockKey('contact', c)),
        cap: place.policy.maxActiveBookingsPerContact,
        booking: {
          id,
          reference,
          locationId: place.id,
          topicId: topic.id,
          language,
          channel: o.channel,
          residentName: dto.resident.name,
          residentPhone: phone,
          residentEmail: email,
          residentLanguage,
          notes: dto.notes ?? null,
          manageTokenHash: tokenHash,
        },
        candidates: candidates.map((slot) => ({
          tutorId: slot.tutorId,
          end: new Date(slot.endMs),
          payload: { start: new Date(slot.startMs).toISOString(), end: new Date(slot.endMs).toISOString(), tutorId: slot.tutorId, channel: o.channel },
        })),
        ...actorColumns(o.actor),
      });
      countHits = false;
      switch (result.outcome) {
        case 'booked':
          return { body: views?.[result.placed] ?? viewOf(candidates[result.placed]), replayed: false };
        case 'replay':
          return { body: this.replay({ requestHash: result.requestHash, responseEncrypted: result.response }, key!, hash!), replayed: true };
        case 'stale':
          atLeast = result.version;
          continue;
        case 'reference-taken':
          reference = newReference();
          continue;
        default:
          throw await this.refusal(result, place, start, { tutorIds, topic: topic.slug, language, ignoreNotice: o.ignoreNotice });
      }
    }
    throw new ProblemException('service-unavailable', 'The library’s schedule is being changed right now. Try again in a moment.');
  }

  /** The problem a booking statement's refusal answers with. */
  private async refusal(
    result: Exclude<PlaceBookingResult, { outcome: 'booked' | 'replay' | 'stale' | 'reference-taken' }>,
    place: LocationSummary,
    start: Date,
    filter: SlotFilter,
  ): Promise<ProblemException> {
    switch (result.outcome) {
      case 'in-progress':
        return new ProblemException('idempotency-in-progress', 'A request with this Idempotency-Key is still running. Retry shortly.');
      case 'rate-limited':
        return RateLimiter.refusal(this.limiter.window(this.config.rateLimit.windowSeconds));
      case 'taken':
        return new ProblemException('slot-taken', 'Someone else booked this time first.');
      case 'limit-reached': {
        const { held } = result;
        const cap = place.policy.maxActiveBookingsPerContact;
        return new ProblemException(
          'booking-limit-reached',
          `This phone number or e-mail already has ${held} active booking${held === 1 ? '' : 's'} here; the library allows ${cap}.`,
        );
      }
      case 'none':
        return this.whyNot(place, start, filter);
    }
  }

  /**
   * The request's branch, topic and tutor, from the snapshot when it has them (else from the
   * database, so unknown ids and new rows are judged as before), and the candidate slots at
   * `start` in the order to try them (fewest bookings that ISO week first).
   */
  private async checkRequest(dto: CreateBookingDto | StaffCreateBookingDto, o: BookOptions, snap: SearchSnapshot, start: Date, language: string) {
    const snapPlace = snap.locations.get(dto.locationId)?.summary;
    const snapTopic = snap.topics.get(dto.topic);
    const snapTutor = !!dto.tutorId && snap.tutors.has(dto.tutorId);
    const [place, topic, tutorKnown] = await Promise.all([
      snapPlace ?? this.locations.summaries([dto.locationId]).then((m) => m.get(dto.locationId)),
      snapTopic ?? this.topics.findBySlugs([dto.topic]).then((m) => m.get(dto.topic)),
      !dto.tutorId || snapTutor || this.tutors.tutorExists(dto.tutorId),
    ]);
    if (!place) throw ProblemException.validation('locationId', 'unknown-location', 'No location has this id.');
    o.authorize?.(place);
    if (!topic || !topic.active) throw ProblemException.validation('topic', 'unknown-topic', 'No topic offered has this slug.');
    if (!tutorKnown) throw ProblemException.validation('tutorId', 'unknown-tutor', 'No tutor has this id.');
    const { slots } = this.slots.candidateSlots(snap, {
      locationId: place.id,
      tutorIds: dto.tutorId ? [dto.tutorId] : undefined,
      topic: topic.slug,
      language,
      from: start,
      to: new Date(start.getTime() + 1),
      ignoreNotice: o.ignoreNotice,
    });
    const free = slots.filter((s) => s.startMs === start.getTime() && s.kind === 'tutoring');
    return { place, topic, candidates: await this.byWeekLoad(this.repo.manager(), free, place) };
  }

  // ---- self-service by manage token ----

  async viewByToken(token: string): Promise<BookingView> {
    const booking = await this.byToken(token);
    return toBookingView(booking, await this.placeOf(booking));
  }

  async cancelByToken(token: string, dto: CancelBookingDto): Promise<BookingView> {
    const seen = await this.byToken(token);
    const place = await this.placeOf(seen);
    await this.inTransaction(async (m) => {
      const now = this.clock.now();
      const b = await this.byToken(token, m);
      this.assertResidentMayChange(b, place, now, 'cancel');
      await this.repo.cancel(m, { ids: [b.id], now, actorType: 'resident', actorUserId: null, reason: dto.reason || null });
      return { done: b.id };
    });
    return toBookingView((await this.repo.findById(seen.id))!, place);
  }

  async rescheduleByToken(token: string, dto: RescheduleBookingDto): Promise<BookingView> {
    const start = parseInstant(dto.start);
    if (!start) throw ProblemException.validation('start', 'invalid-instant', 'start is an instant with an offset.');
    const seen = await this.byToken(token);
    const place = await this.placeOf(seen);
    await this.move(seen, place, start, dto.tutorId ?? undefined, {
      actor: RESIDENT,
      ignoreNotice: false,
      lockAndCheck: async (m, now) => {
        const b = await this.byToken(token, m);
        this.assertResidentMayChange(b, place, now, 'reschedule');
        return b;
      },
    });
    return toBookingView((await this.repo.findById(seen.id))!, place);
  }

  /**
   * Staff move a booking (any time before its start; no minimum notice; the horizon applies),
   * atomically like the resident's move: id, reference and token stay, the old time stays if the
   * new one fails. The caller has checked that `caller` may see `seen` and may move bookings at
   * all. If-Match names the version the caller read (412 when stale).
   */
  async rescheduleByStaff(caller: Principal, seen: BookingRecord, dto: RescheduleBookingDto, ifMatch?: string): Promise<StaffBookingView> {
    const start = parseInstant(dto.start);
    if (!start) throw ProblemException.validation('start', 'invalid-instant', 'start is an instant with an offset.');
    const place = await this.placeOf(seen);
    const actor = actorKindOf(caller);
    await this.move(seen, place, start, dto.tutorId ?? undefined, {
      actor: { type: 'user', userId: caller.id },
      ignoreNotice: true,
      lockAndCheck: async (m, now) => {
        const b = (await this.repo.findById(seen.id, m, true))!;
        assertIfMatch(ifMatch, b.version);
        assertVerdict(decideTransition({ status: b.status, start: b.start.getTime(), end: b.end.getTime(), now: now.getTime(), action: 'reschedule', actor }));
        return b;
      },
    });
    return toStaffBookingView((await this.repo.findById(seen.id))!, place);
  }

  /**
   * Moves a booking to a free slot starting at `start` at the same branch, in one transaction:
   * `lockAndCheck` locks the row and says whether the change is allowed now; without a tutor
   * wish the booking keeps its tutor when that tutor is free then.
   */
  private async move(
    seen: BookingRecord,
    place: LocationSummary,
    start: Date,
    tutorId: string | undefined,
    o: { actor: Actor; ignoreNotice: boolean; lockAndCheck: (m: EntityManager, now: Date) => Promise<BookingRecord> },
  ): Promise<void> {
    if (tutorId && !(await this.tutors.tutorExists(tutorId))) {
      throw ProblemException.validation('tutorId', 'unknown-tutor', 'No tutor has this id.');
    }
    const tutorIds = tutorId ? [tutorId] : undefined;
    const filter: SlotFilter = { tutorIds, topic: seen.topic, language: seen.language, excludeBookingId: seen.id, ignoreNotice: o.ignoreNotice };

    // The tutors who could take the new time, read before the transaction: it takes their guard
    // locks (and the branch's) before it locks the booking row, in the order a closure's or an
    // absence's cascade takes them, so a move and a schedule change take turns without deadlock.
    const possible = [...new Set((await this.slots.freeSlotsFor({ locationId: place.id, ...filter, from: start, to: new Date(start.getTime() + 1) })).map((s) => s.tutorId))];
    const outcome = await this.inTransaction(async (m) => {
      const now = this.clock.now();
      await this.repo.guard(m, place.id, possible);
      const b = await o.lockAndCheck(m, now);
      const free = (await this.freeAt(m, place, start, filter)).slots.filter((s) => possible.includes(s.tutorId));
      if (free.length === 0) return { noSlot: true };
      // Without a wish, the resident keeps the tutor they have when that tutor is free then.
      const ordered = await this.byWeekLoad(m, free, place);
      const mine = ordered.filter((s) => s.tutorId === b.tutorId);
      const placed = await this.placeFirst(m, [...mine, ...ordered.filter((s) => s.tutorId !== b.tutorId)], async (slot) => {
        await this.repo.move(m, b.id, slot.tutorId, new Date(slot.startMs), new Date(slot.endMs), now);
        return slot;
      });
      if (!placed) throw takenProblem(tutorIds);
      const { slot } = placed;
      await this.repo.insertEvent(m, {
        bookingId: b.id,
        type: 'rescheduled',
        at: now,
        ...actorColumns(o.actor),
        reason: null,
        payload: {
          from: { start: b.start.toISOString(), end: b.end.toISOString(), tutorId: b.tutorId },
          to: { start: new Date(slot.startMs).toISOString(), end: new Date(slot.endMs).toISOString(), tutorId: slot.tutorId },
        },
      });
      return { done: b.id };
    });
    if ('noSlot' in outcome) throw await this.whyNot(place, start, filter);
  }

  async calendarByToken(token: string): Promise<{ filename: string; body: string }> {
    const b = await this.byToken(token);
    const place = await this.placeOf(b);
    const body = renderBookingIcs({
      id: b.id,
      reference: b.reference,
      status: b.status,
      start: b.start,
      end: b.end,
      sequence: b.sequence,
      updatedAt: b.updatedAt,
      timeZone: place.timezone,
      language: b.residentLanguage,
      topicName: b.topicName,
      tutorDisplayName: b.tutorDisplayName,
      location: { name: place.name, address: place.address },
    });
    return { filename: `tukiaika-${b.reference}.ics`, body };
  }

  // ---- internals ----

  /**
   * Runs a booking transaction. Every statement of it, the slot re-check's included (and a reload
   * of the slot search snapshot it may need), runs on the transaction's own connection, so
   * transactions never wait for a second pooled connection and need no cap below the pool size.
   */
  private inTransaction<T>(work: (m: EntityManager) => Promise<TxOutcome<T>>): Promise<TxOutcome<T>> {
    return this.repo.transaction(work);
  }

  /**
   * The booking of a manage token, or the same 404 for every wrong token. The lookup goes by the
   * token's HMAC (unique index); the hashes are then compared in constant time. With `m`, the
   * booking row stays locked until the transaction ends.
   */
  private async byToken(token: string, m?: EntityManager): Promise<BookingRecord> {
    const hash = this.secrets.hashToken(token);
    const booking = hash && (await this.repo.findByTokenHash(hash, m ?? this.repo.manager(), m !== undefined));
    if (!booking || !this.secrets.tokenMatches(booking.manageTokenHash, token)) throw noSuchBooking();
    return booking;
  }

  async placeOf(b: BookingRecord): Promise<LocationSummary> {
    const place = (await this.locations.summaries([b.locationId])).get(b.locationId);
    if (!place) throw new Error(`Booking ${b.id} names a location that does not exist`);
    return place;
  }

  private assertResidentMayChange(b: BookingRecord, place: LocationSummary, now: Date, change: 'cancel' | 'reschedule'): void {
    assertVerdict(
      decideTransition({
        status: b.status,
        start: b.start.getTime(),
        end: b.end.getTime(),
        now: now.getTime(),
        action: change,
        actor: 'resident',
        cancelUntilMinutesBefore: place.policy.cancelUntilMinutesBefore,
      }),
    );
  }

  /** Free slots starting exactly at `start`, read inside the transaction. */
  private async freeAt(m: EntityManager, place: LocationSummary, start: Date, f: SlotFilter): Promise<{ slots: FreeSlot[]; version: string }> {
    const { slots, version } = await this.slots.checkFreeSlots({
      locationId: place.id,
      tutorIds: f.tutorIds,
      topic: f.topic,
      language: f.language,
      from: start,
      to: new Date(start.getTime() + 1),
      excludeBookingId: f.excludeBookingId,
      ignoreNotice: f.ignoreNotice,
      manager: m,
    });
    return { slots: slots.filter((s) => s.startMs === start.getTime() && s.kind === 'tutoring'), version };
  }

  /** Free slots ordered for an automatic choice: fewest bookings that ISO week first, ties at random. */
  private async byWeekLoad(m: EntityManager, free: FreeSlot[], place: LocationSummary): Promise<FreeSlot[]> {
    if (free.length <= 1) return free;
    const week = isoWeekOf(place.timezone, free[0].startMs);
    const counts = await this.repo.countsStartingIn(m, [...new Set(free.map((s) => s.tutorId))], new Date(week.start), new Date(week.end));
    const order = orderTutors(free.map((s) => s.tutorId), counts);
    return [...free].sort((a, b) => order.indexOf(a.tutorId) - order.indexOf(b.tutorId));
  }

  /**
   * Tries the slots in order, each behind a savepoint: when the exclusion constraint says a
   * concurrent booking took that tutor (23P01), the next one is tried. Undefined when all are taken.
   *
   * A deadlock in the exclusion check (another writer's uncommitted booking and this write each
   * waiting for the other, 40P01) is undone to the savepoint, which releases this write so the
   * other goes on; the same slot is then tried again, now simply waiting for the other to end.
   */
  private async placeFirst<R>(m: EntityManager, slots: FreeSlot[], write: (slot: FreeSlot) => Promise<R>): Promise<{ slot: FreeSlot; result: R } | undefined> {
    for (const slot of slots) {
      for (let deadlocks = 0; ; ) {
        await m.query('SAVEPOINT place_booking');
        try {
          const result = await write(slot);
          await m.query('RELEASE SAVEPOINT place_booking');
          return { slot, result };
        } catch (error) {
          const state = sqlState(error);
          const retry = state === '40P01' && ++deadlocks <= MAX_DEADLOCK_RETRIES;
          if (state !== '23P01' && !retry) throw error;
          await m.query('ROLLBACK TO SAVEPOINT place_booking');
          if (!retry) break;
        }
      }
    }
    return undefined;
  }

  /** Why no free slot starts at `start` (run after the transaction, outside it): the problem to answer with. */
  private async whyNot(place: LocationSummary, start: Date, f: SlotFilter): Promise<ProblemException> {
    const from = new Date(start.getTime() - DAY_MS);
    const to = new Date(start.getTime() + DAY_MS);
    // The snapshot and one statement; the database when the snapshot lacks the branch or is old.
    const inputs =
      (await this.slots.diagnosisInputs({ locationId: place.id, tutorIds: f.tutorIds, topic: f.topic, language: f.language, from, to, excludeBookingId: f.excludeBookingId })) ??
      (await this.diagnosisInputsFromDatabase(place, from, to, f));
    const verdict: Diagnosis = diagnose({
      start: start.getTime(),
      now: this.clock.now().getTime(),
      timeZone: place.timezone,
      policy: { minNoticeMinutes: f.ignoreNotice ? 0 : place.policy.minNoticeMinutes, maxDaysAhead: place.policy.maxDaysAhead },
      rules: inputs.rules,
      openings: inputs.openings,
      closed: [
        ...inputs.days.filter(isClosedDay).map((d) => {
          const day = parseIsoDate(d.date)!;
          return { start: startOfLocalDay(place.timezone, day), end: startOfLocalDay(place.timezone, day + 1) };
        }),
        // A closure of part of a day leaves the day its other hours: its own span says closed.
        ...inputs.closures,
      ],
      absences: inputs.absences,
      bookings: inputs.bookings,
    });
    if (verdict === 'taken' || verdict === 'free') return takenProblem(f.tutorIds);
    return new ProblemException(verdict, RULE_DETAILS[verdict]);
  }

  /** whyNot's inputs read from the database (a branch the snapshot does not hold, or an old snapshot). */
  private async diagnosisInputsFromDatabase(place: LocationSummary, from: Date, to: Date, f: SlotFilter) {
    const tutors = await this.tutors.loadForSearch({ locationIds: [place.id], tutorIds: f.tutorIds, topic: f.topic, language: f.language, kinds: ['staff', 'volunteer'] });
    const ids = tutors.map((t) => t.id);
    const [open, absences, bookings, days, closures] = await Promise.all([
      this.locations.openIntervals([place.id], from, to),
      this.tutors.absencesOverlapping(ids, from, to),
      this.repo.activeBookingsOf(ids, from, to, f.excludeBookingId ?? null),
      this.locations.openingHours(place.id, { from: formatLocalDate(from, place.timezone), to: formatLocalDate(to, place.timezone) }),
      this.locations.closureSpans(place.id, from, to),
    ]);
    return {
      rules: tutors.flatMap((t) => t.locations.find((l) => l.locationId === place.id)?.rules ?? []),
      openings: open.get(place.id) ?? [],
      days: days.items,
      closures,
      absences,
      bookings,
    };
  }

  /** The public booking's rate limits: per client address and per contact (by digest: no phone numbers in the counters). */
  private rateLimitsOf(ip: string, contacts: string[]): { keys: string[]; limits: number[]; windowStart: Date } {
    const { bookingPerIp, bookingPerContact, windowSeconds } = this.config.rateLimit;
    const keys = [`booking:ip:${ip}`, ...contacts.map((c) => `booking:contact:${this.secrets.contactDigest(c)}`)];
    return { keys, limits: keys.map((_, i) => (i === 0 ? bookingPerIp : bookingPerContact)), windowStart: this.limiter.window(windowSeconds).start };
  }

  private fresh(createdAt: Date): boolean {
    return createdAt.getTime() > this.clock.now().getTime() - IDEMPOTENCY_TTL_MS;
  }

  private replay(stored: { requestHash: Buffer; responseEncrypted: Buffer }, key: string, hash: Buffer): BookingView {
    if (!stored.requestHash.equals(hash)) {
      throw new ProblemException('idempotency-key-reused', 'This Idempotency-Key was used with a different request body; use a new key for a new booking.');
    }
    return JSON.parse(this.secrets.decrypt(stored.responseEncrypted, key)) as BookingView;
  }
}

const RULE_DETAILS: Record<RuleProblem, string> = {
  'too-soon': 'The start is in the past or closer than the library’s minimum notice.',
  'too-far-ahead': 'The start is further ahead than the library takes bookings.',
  'location-closed': 'The library is closed at this time (holiday or closure).',
  'outside-opening-hours': 'The library is not open for the whole session at this time.',
  'not-on-slot-grid': 'Sessions start only at the times listed in GET /slots.',
  'tutor-unavailable': 'No suitable tutor works at this time, or the tutor is away.',
};

/** Idempotency keys live in one table with the route (and for staff, the user) in front. */
function idempotencyKeyOf(header: string, prefix: string): string {
  if (!IDEMPOTENCY_KEY.test(header)) {
    throw ProblemException.validation('Idempotency-Key', 'invalid-idempotency-key', 'Idempotency-Key is 1 to 150 visible ASCII characters, e.g. a UUID.');
  }
  return `${prefix}:${header}`;
}

/** The event columns naming who acted. */
export function actorColumns(actor: Actor): { actorType: 'resident' | 'user'; actorUserId: string | null } {
  return actor.type === 'user' ? { actorType: 'user', actorUserId: actor.userId } : { actorType: 'resident', actorUserId: null };
}

/** Throws the problem of a refused transition (403, 409 or 422). */
export function assertVerdict(v: TransitionVerdict): void {
  if (!v.allowed) throw new ProblemException(v.problem, v.detail);
}

function takenProblem(tutorIds: string[] | undefined): ProblemException {
  const code: ProblemCode = tutorIds ? 'slot-taken' : 'no-tutor-available';
  return new ProblemException(code, tutorIds ? 'Someone else booked this time first.' : 'No suitable tutor is free at this time.');
}


function noSuchBooking(): ProblemException {
  return ProblemException.notFound('booking');
}

/** A day the branch is shut by a holiday, closure or closing exception (not merely outside its weekly hours). */
function isClosedDay(d: { hours: unknown[]; holiday?: unknown; exception?: unknown; closedReason?: { en: string } }): boolean {
  if (d.exception) return d.hours.length === 0;
  if (d.holiday) return true;
  return d.hours.length === 0 && !!d.closedReason && d.closedReason.en !== CLOSED_REASONS.weekday.en && d.closedReason.en !== CLOSED_REASONS.noHours.en;
}
