import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { assertMayBookOnBehalfAt } from '../../../common/access/booking-access';
import { Principal } from '../../../common/auth/principal';
import { ProblemException } from '../../../common/problem/problem.exception';
import { RateLimiter } from '../../../common/rate-limit/rate-limiter.service';
import { Clock } from '../../../common/time/clock';
import { parseInstant } from '../../../common/time/instant';
import { AppConfig, APP_CONFIG } from '../../../config/app-config';
import { LocationsService, LocationSummary } from '../../locations/locations.service';
import { BookableSlotsService } from '../../slots/bookable-slots.service';
import type { SearchSnapshot } from '../../slots/search-snapshot';
import type { FreeSlot } from '../../slots/slot-common';
import { TopicsService } from '../../topics/topics.service';
import { isLanguageCode } from '../../tutors/languages';
import { TutorsService } from '../../tutors/tutors.service';
import { newBookingRecord, NewBookingFields, toBookingView, toStaffBookingView, ViewedBooking } from '../booking-view';
import { BookingsRepository, PlaceBookingResult } from '../bookings.repository';
import { BookingView, Channel, CreateBookingDto, ResidentLanguage } from '../dto/booking.dto';
import { StaffCreateBookingDto } from '../dto/staff.dto';
import { Idempotency, idempotencyKeyOf, idempotentRequest } from '../idempotency';
import { newReference } from '../rules/reference';
import { advisoryLockKey, BookingSecrets } from '../secrets';
import { Actor, actorColumns, RESIDENT } from './actors';
import { byWeekLoad } from './week-load';
import { SlotFilter, WhyNotService } from './why-not.service';

/** Decisions of one booking request: a stale snapshot or a reference drawn twice costs another. */
const BOOKING_ATTEMPTS = 4;

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

/**
 * The "book" use case: a resident's booking (with idempotency keys, per-contact caps and rate
 * limits) and staff booking on a resident's behalf.
 *
 * PostgreSQL is the guard: place_booking decides each request in one statement, the exclusion
 * constraint keeps a tutor out of two active bookings, advisory locks serialise one contact's
 * bookings and one idempotency key's requests. When it finds no slot, WhyNotService says which
 * rule the time breaks.
 */
@Injectable()
export class BookService {
  private readonly secrets: BookingSecrets;
  private readonly idempotency: Idempotency;

  constructor(
    private readonly repo: BookingsRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly limiter: RateLimiter,
    private readonly locations: LocationsService,
    private readonly topics: TopicsService,
    private readonly tutors: TutorsService,
    private readonly bookable: BookableSlotsService,
    private readonly whyNot: WhyNotService,
  ) {
    this.secrets = new BookingSecrets(config.auth.secret);
    this.idempotency = new Idempotency(this.secrets);
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
    const claimId = await this.advisoryClaimOf(dto);
    const idem = o.key ? idempotentRequest(o.key, o.route, dto) : undefined;
    const tutorIds = dto.tutorId ? [dto.tutorId] : undefined;
    const contacts = [phone && `phone:${phone}`, email && `email:${email}`].filter((c): c is string => !!c).sort();
    const rateLimits = o.rateLimitIp !== undefined ? this.rateLimitsOf(o.rateLimitIp, contacts) : undefined;
    const id = randomUUID();
    const { token, hash: tokenHash } = this.secrets.newManageToken();
    let reference = newReference();
    let atLeast: string | undefined;
    let countHits = true;

    for (let attempt = 1; attempt <= BOOKING_ATTEMPTS; attempt++) {
      const snap = await this.bookable.snapshot(atLeast);
      const checked = await this.checkRequest(dto, o, snap, start, language, claimId).catch(async (error: unknown) => {
        // A replay answers even if the branch, topic or tutor has changed since the first request.
        const stored = idem && error instanceof ProblemException ? await this.repo.storedResponse(this.repo.manager(), idem.key) : undefined;
        if (stored && this.idempotency.isFresh(stored.createdAt, this.clock.now())) return { replay: this.idempotency.replay(stored, idem!) };
        throw error;
      });
      if ('replay' in checked) return { body: checked.replay, replayed: true };
      const { place, topic, candidates } = checked;
      const now = this.clock.now();
      const fields: NewBookingFields = { id, reference, topic: topic.slug, language, channel: o.channel, resident: { name: dto.resident.name, phone, email, language: residentLanguage }, notes: dto.notes ?? null };
      const viewOf = (slot: FreeSlot): BookingView => o.view(newBookingRecord(fields, slot), place, token);
      // With a key, each candidate's answer is stored (encrypted) in case it is the one placed.
      const views = idem ? candidates.map(viewOf) : undefined;
      // The created event carries the token encrypted: a trigger keeps it on the booking for later messages.
      const manageTokenBox = this.secrets.sealManageToken(token, id);
      const result = await this.repo.placeBooking({
        now,
        idempotency: idem ? this.idempotency.forStatement(idem, now, views!) : undefined,
        rateLimits: countHits ? rateLimits : undefined,
        namedTutorId: dto.tutorId ?? undefined,
        start,
        claimId,
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
          payload: {
            start: new Date(slot.startMs).toISOString(),
            end: new Date(slot.endMs).toISOString(),
            tutorId: slot.tutorId,
            channel: o.channel,
            manageTokenBox,
            ...(claimId ? { claimId, partnerId: slot.partnerId } : {}),
          },
        })),
        ...actorColumns(o.actor),
      });
      countHits = false;
      switch (result.outcome) {
        case 'booked':
          return { body: views?.[result.placed] ?? viewOf(candidates[result.placed]), replayed: false };
        case 'replay':
          return { body: this.idempotency.replay({ requestHash: result.requestHash, responseEncrypted: result.response }, idem!), replayed: true };
        case 'stale':
          atLeast = result.version;
          continue;
        case 'reference-taken':
          reference = newReference();
          continue;
        default:
          throw await this.refusal(result, place, start, { tutorIds, claimId, topic: topic.slug, language, ignoreNotice: o.ignoreNotice });
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
      case 'claim-not-bookable':
        return this.whyNot.claimProblem(filter.claimId!);
      case 'none':
        return this.whyNot.problem(place, start, filter);
    }
  }

  /**
   * The request's branch, topic and tutor, from the snapshot when it has them (else from the
   * database, so unknown ids and new rows are judged as before), and the candidate slots at
   * `start` in the order to try them (fewest bookings that ISO week first).
   */
  private async checkRequest(dto: CreateBookingDto | StaffCreateBookingDto, o: BookOptions, snap: SearchSnapshot, start: Date, language: string, claimId: string | undefined) {
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
    const slots = this.bookable.candidateSlots(snap, {
      locationId: place.id,
      claimId,
      tutorIds: dto.tutorId ? [dto.tutorId] : undefined,
      topic: topic.slug,
      language,
      from: start,
      to: new Date(start.getTime() + 1),
      ignoreNotice: o.ignoreNotice,
    });
    const free = slots.filter((s) => s.startMs === start.getTime() && s.kind === (claimId ? 'advisory' : 'tutoring'));
    return { place, topic, candidates: await byWeekLoad(this.repo, this.repo.manager(), free, place) };
  }

  /**
   * The claim an advisory booking is made in (lower case), undefined for tutoring: `kind:
   * "advisory"` needs a claimId, and a claimId needs that kind (an unknown one is named as such).
   */
  private async advisoryClaimOf(dto: CreateBookingDto | StaffCreateBookingDto): Promise<string | undefined> {
    if (dto.kind === 'advisory') {
      if (!dto.claimId) throw ProblemException.validation('claimId', 'required', 'Advisory hours are booked with the claimId of a partner claim.');
      return dto.claimId.toLowerCase();
    }
    if (!dto.claimId) return undefined;
    if (!(await this.repo.claimExists(dto.claimId))) throw ProblemException.validation('claimId', 'unknown-claim', 'No claim has this id.');
    throw ProblemException.validation('claimId', 'advisory-only', 'claimId is given only with kind "advisory".');
  }

  /** The public booking's rate limits: per client address and per contact (by digest: no phone numbers in the counters). */
  private rateLimitsOf(ip: string, contacts: string[]): { keys: string[]; limits: number[]; windowStart: Date } {
    const { bookingPerIp, bookingPerContact, windowSeconds } = this.config.rateLimit;
    const keys = [`booking:ip:${ip}`, ...contacts.map((c) => `booking:contact:${this.secrets.contactDigest(c)}`)];
    return { keys, limits: keys.map((_, i) => (i === 0 ? bookingPerIp : bookingPerContact)), windowStart: this.limiter.window(windowSeconds).start };
  }
}
