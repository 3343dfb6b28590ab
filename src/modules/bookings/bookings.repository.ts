import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { BookingScope, bookingScopeSql } from '../../common/access/booking-access';
import { BatchQueue, BatchQueueOptions } from '../../common/batching/batch-queue';
import { AppConfig, APP_CONFIG } from '../../config/app-config';
import type { BookingStatus } from './rules/booking-status';
import type { BookingKind, Channel, ResidentLanguage } from './dto/booking.dto';

/** What a tutor or staff member recorded when completing a session. */
export interface BookingOutcome {
  /** Topic slugs covered. */
  topics: string[];
  referredTo: string | null;
  note: string | null;
}

/** A booking as the service uses it, with the tutor's display name and the topic's slug and names. */
export interface BookingRecord {
  id: string;
  reference: string;
  locationId: string;
  tutorId: string;
  tutorDisplayName: string;
  topicId: string;
  topic: string;
  topicName: { fi: string; sv: string; en: string };
  language: string;
  kind: BookingKind;
  partnerId: string | null;
  /** The partner's name (advisory bookings). */
  partnerName: { fi: string; sv: string; en: string } | null;
  claimId: string | null;
  start: Date;
  end: Date;
  status: BookingStatus;
  channel: Channel;
  residentName: string;
  residentPhone: string | null;
  residentEmail: string | null;
  residentLanguage: ResidentLanguage;
  notes: string | null;
  outcome: BookingOutcome | null;
  manageTokenHash: Buffer | null;
  sequence: number;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  /** Active and overlapping an absence of its tutor (derived when read: gone once moved, cancelled or the absence removed). */
  tutorAbsent: boolean;
}

/** The booking place_booking inserts (its tutor, start and end come from the candidate it places). */
export interface NewBooking {
  id: string;
  reference: string;
  locationId: string;
  topicId: string;
  language: string;
  channel: Channel;
  residentName: string;
  residentPhone: string | null;
  residentEmail: string | null;
  residentLanguage: ResidentLanguage;
  notes: string | null;
  manageTokenHash: Buffer;
}

export type BookingEventType = 'created' | 'rescheduled' | 'cancelled' | 'checked_in' | 'completed' | 'no_show' | 'manage_link_renewed' | 'tutor-absent';

export interface NewBookingEvent {
  bookingId: string;
  type: BookingEventType;
  at: Date;
  actorType: 'resident' | 'user' | 'system';
  actorUserId: string | null;
  reason: string | null;
  payload: Record<string, unknown>;
}

/** Everything place_booking (migration 1763900006000) needs: one booking request, decided in one statement. */
export interface PlaceBookingCall {
  now: Date;
  /** The namespaced Idempotency-Key with its advisory lock key, the request's hash and the freshness limit. */
  idempotency?: { key: string; lock: string; requestHash: Buffer; freshAfter: Date; responses: Buffer[] };
  /** Counted (one hit per key) before anything is decided; left out on a retry of the same request. */
  rateLimits?: { keys: string[]; limits: number[]; windowStart: Date };
  /** The tutor the resident named: an active booking of theirs covering `start` answers `taken`. */
  namedTutorId?: string;
  start: Date;
  /** An advisory booking's claim (checked by the statement: approved, bookable, the session in it and on its grid). */
  claimId?: string;
  /** The search-input version the candidates were computed with. */
  expectedVersion: string;
  /** Advisory lock keys of the contact (sorted, so two requests never wait on each other in a cycle). */
  contactLocks: string[];
  cap: number;
  booking: NewBooking;
  /** In the order to try, with the created event's payload of each (idempotency.responses holds the stored response of each). */
  candidates: { tutorId: string; end: Date; payload: Record<string, unknown> }[];
  actorType: 'resident' | 'user';
  actorUserId: string | null;
}

export type PlaceBookingResult =
  | { outcome: 'booked'; placed: number }
  | { outcome: 'replay'; requestHash: Buffer; response: Buffer }
  | { outcome: 'in-progress' }
  | { outcome: 'rate-limited' }
  | { outcome: 'taken' }
  | { outcome: 'claim-not-bookable' }
  | { outcome: 'none' }
  | { outcome: 'reference-taken' }
  | { outcome: 'stale'; version: string }
  | { outcome: 'limit-reached'; held: number };

interface PlaceBookingRow {
  o_outcome: string;
  o_placed: number | null;
  o_held: number | null;
  o_version: string | null;
  o_stored_hash: Buffer | null;
  o_stored_response: Buffer | null;
}

export const PLACE_BOOKING_SQL = `SELECT * FROM place_booking(${Array.from({ length: 32 }, (_, i) => `$${i + 1}`).join(', ')})`;

/** Several calls in one transaction (migrations 1763900008000, 1763900009000); the argument is placeBookingsJson's. */
export const PLACE_BOOKINGS_SQL = `SELECT * FROM place_bookings($1::jsonb) ORDER BY o_index`;

export interface StoredResponse {
  requestHash: Buffer;
  responseEncrypted: Buffer;
  createdAt: Date;
}

/*
 * The read joins tutors and topics for the display name and slug a booking is shown with (one
 * query instead of a call per booking into two other modules).
 */
const BOOKING_SELECT = `
  SELECT b.id, b.reference, b.location_id, b.tutor_id, t.display_name AS tutor_display_name, b.topic_id,
         tp.slug AS topic, tp.name_fi AS topic_fi, tp.name_sv AS topic_sv, tp.name_en AS topic_en,
         b.language, b.kind, b.partner_id, b.claim_id, lower(b.during) AS start, upper(b.during) AS "end",
         b.status, b.channel, b.resident_name, b.resident_phone, b.resident_email, b.resident_language, b.notes, b.outcome,
         b.manage_token_hash, b.sequence, b.version, b.created_at, b.updated_at,
         b.active AND EXISTS (SELECT 1 FROM tutor_absences ta
                              WHERE ta.tutor_id = b.tutor_id AND tstzrange(ta.starts_at, ta.ends_at) && b.during) AS tutor_absent,
         CASE WHEN pa.id IS NULL THEN NULL ELSE json_build_object('fi', pa.name_fi, 'sv', pa.name_sv, 'en', pa.name_en) END AS partner_name
  FROM bookings b
  JOIN tutors t ON t.id = b.tutor_id
  JOIN topics tp ON tp.id = b.topic_id
  LEFT JOIN partners pa ON pa.id = b.partner_id`;

interface BookingRow {
  id: string;
  reference: string;
  location_id: string;
  tutor_id: string;
  tutor_display_name: string;
  topic_id: string;
  topic: string;
  topic_fi: string;
  topic_sv: string;
  topic_en: string;
  language: string;
  kind: BookingKind;
  partner_id: string | null;
  claim_id: string | null;
  start: Date;
  end: Date;
  status: BookingStatus;
  channel: Channel;
  resident_name: string;
  resident_phone: string | null;
  resident_email: string | null;
  resident_language: ResidentLanguage;
  notes: string | null;
  outcome: BookingOutcome | null;
  manage_token_hash: Buffer | null;
  sequence: number;
  version: number;
  created_at: Date;
  updated_at: Date;
  tutor_absent: boolean;
  partner_name: { fi: string; sv: string; en: string } | null;
}

const toRecord = (r: BookingRow): BookingRecord => ({
  id: r.id,
  reference: r.reference,
  locationId: r.location_id,
  tutorId: r.tutor_id,
  tutorDisplayName: r.tutor_display_name,
  topicId: r.topic_id,
  topic: r.topic,
  topicName: { fi: r.topic_fi, sv: r.topic_sv, en: r.topic_en },
  language: r.language,
  kind: r.kind,
  partnerId: r.partner_id,
  partnerName: r.partner_name,
  claimId: r.claim_id,
  start: r.start,
  end: r.end,
  status: r.status,
  channel: r.channel,
  residentName: r.resident_name,
  residentPhone: r.resident_phone,
  residentEmail: r.resident_email,
  residentLanguage: r.resident_language,
  notes: r.notes,
  outcome: r.outcome,
  manageTokenHash: r.manage_token_hash,
  sequence: r.sequence,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  tutorAbsent: r.tutor_absent,
});

/** What `cancel` cancels and records. */
export interface CancelBookings {
  ids: string[];
  /** One booking only if its row is still at this version (a desk that read it). */
  version?: number;
  now: Date;
  actorType: 'resident' | 'user' | 'system';
  actorUserId: string | null;
  reason: string | null;
  /** Added to each event's payload (e.g. the cascade's cause). */
  payload?: Record<string, unknown>;
}

export interface CancelledBooking {
  id: string;
  start: Date;
  end: Date;
  tutorId: string;
}

/** Bookings a schedule change overlaps: at the location and/or of the tutor and/or in these claims, in [from, to), not ended at `now`. */
export interface OverlapQuery {
  locationId?: string;
  tutorId?: string;
  claimIds?: readonly string[];
  from: Date;
  to: Date;
  now: Date;
}

/** A booking a schedule change touches, with its branch's zone. */
export interface TouchedBooking {
  id: string;
  reference: string;
  start: Date;
  end: Date;
  status: BookingStatus;
  tutorId: string;
  locationId: string;
  timeZone: string;
}

interface TouchedRow {
  id: string;
  reference: string;
  start: Date;
  end: Date;
  status: BookingStatus;
  tutor_id: string;
  location_id: string;
  timezone: string;
}

const toTouched = (r: TouchedRow): TouchedBooking => ({
  id: r.id,
  reference: r.reference,
  start: r.start,
  end: r.end,
  status: r.status,
  tutorId: r.tutor_id,
  locationId: r.location_id,
  timeZone: r.timezone,
});

function overlapWhere(q: OverlapQuery): { where: string[]; params: unknown[] } {
  const where = [`b.during && tstzrange($1, $2)`, `upper(b.during) > $3`];
  const params: unknown[] = [q.from, q.to, q.now];
  if (q.locationId) where.push(`b.location_id = $${params.push(q.locationId)}`);
  if (q.tutorId) where.push(`b.tutor_id = $${params.push(q.tutorId)}`);
  if (q.claimIds) where.push(`b.claim_id = ANY($${params.push(q.claimIds)}::uuid[])`);
  if (!q.locationId && !q.tutorId && !q.claimIds) throw new Error('A schedule change names a location, a tutor or claims');
  return { where, params };
}

/** Filters of GET /bookings, with the caller's scope already applied. */
export interface BookingListFilter {
  /** What the caller may see (common/access). */
  scope: BookingScope;
  locationId?: string;
  tutorId?: string;
  /** Advisory bookings of this partner, or of one of its claims. */
  partnerId?: string;
  claimId?: string;
  statuses?: BookingStatus[];
  /** Canonical `XXX-XXX`. */
  reference?: string;
  from?: { kind: 'date'; date: string } | { kind: 'instant'; ms: number };
  to?: { kind: 'date'; date: string } | { kind: 'instant'; ms: number };
  after?: { start: Date; id: string };
  limit: number;
}

/**
 * The booking statement on a pg pool behind a BatchQueue: place_bookings with the calls that
 * queued up (one or more, one transaction, lock waits limited); after a batch failed in the
 * database, each call alone with place_booking (no limit on lock waits). Named prepared
 * statements: planned once per connection.
 */
export function placeBookingWriter(pool: () => Pool, options: BatchQueueOptions): BatchQueue<PlaceBookingCall, PlaceBookingResult> {
  const run = async (name: string, text: string, values: unknown[]) => (await pool().query<PlaceBookingRow>({ name, text, values })).rows.map(placeBookingResult);
  return new BatchQueue<PlaceBookingCall, PlaceBookingResult>(
    {
      many: (calls) => run('place_bookings', PLACE_BOOKINGS_SQL, [placeBookingsJson(calls)]),
      undone: undoneByPostgres,
      one: async (call) => (await run('place_booking', PLACE_BOOKING_SQL, placeBookingValues(call)))[0],
    },
    options,
  );
}

/**
 * Whether this error proves that PostgreSQL rolled the statement's transaction back: it reported
 * an error for it (a SQLSTATE and a severity) and the session goes on. Not for lost connections
 * and server failures (classes 08, 57P, 58, XX): a backend ended right after its commit reports
 * one of those, and trying those bookings again could book a resident twice.
 */
export function undoneByPostgres(error: unknown): boolean {
  const e = error as { code?: unknown; severity?: unknown } | null;
  return typeof e?.severity === 'string' && typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && !/^(08|57P|58|XX)/.test(e.code);
}

/** SQLSTATE of a database error, if it is one. */
export function sqlState(error: unknown): string | undefined {
  return error instanceof QueryFailedError ? (error.driverError as { code?: string } | undefined)?.code : undefined;
}

/** A place_booking answer row as the service's result. */
function placeBookingResult(r: PlaceBookingRow): PlaceBookingResult {
  switch (r.o_outcome) {
    case 'booked':
      return { outcome: 'booked', placed: r.o_placed! - 1 };
    case 'replay':
      return { outcome: 'replay', requestHash: r.o_stored_hash!, response: r.o_stored_response! };
    case 'stale':
      return { outcome: 'stale', version: r.o_version! };
    case 'limit-reached':
      return { outcome: 'limit-reached', held: r.o_held! };
    case 'in-progress':
    case 'rate-limited':
    case 'taken':
    case 'claim-not-bookable':
    case 'none':
    case 'reference-taken':
      return { outcome: r.o_outcome };
    default:
      throw new Error(`place_booking answered an unknown outcome: ${r.o_outcome}`);
  }
}

/** place_booking's parameters by name (without `p_`), in its order. */
function placeBookingParams(c: PlaceBookingCall): [string, unknown][] {
  const b = c.booking;
  return [
    ['now', c.now],
    ['idem_key', c.idempotency?.key ?? null],
    ['idem_lock', c.idempotency?.lock ?? null],
    ['idem_fresh_after', c.idempotency?.freshAfter ?? null],
    ['request_hash', c.idempotency?.requestHash ?? null],
    ['rate_keys', c.rateLimits?.keys ?? null],
    ['rate_limits', c.rateLimits?.limits ?? null],
    ['rate_window_start', c.rateLimits?.windowStart ?? null],
    ['named_tutor', c.namedTutorId ?? null],
    ['start', c.start],
    ['claim', c.claimId ?? null],
    ['expected_version', c.expectedVersion],
    ['contact_locks', c.contactLocks],
    ['location', b.locationId],
    ['phone', b.residentPhone],
    ['email', b.residentEmail],
    ['cap', c.cap],
    ['booking_id', b.id],
    ['reference', b.reference],
    ['topic', b.topicId],
    ['language', b.language],
    ['channel', b.channel],
    ['resident_name', b.residentName],
    ['resident_language', b.residentLanguage],
    ['notes', b.notes],
    ['token_hash', b.manageTokenHash],
    ['tutors', c.candidates.map((x) => x.tutorId)],
    ['ends', c.candidates.map((x) => x.end)],
    ['payloads', c.candidates.map((x) => x.payload)],
    ['responses', c.idempotency?.responses ?? null],
    ['actor_type', c.actorType],
    ['actor_user', c.actorUserId],
  ];
}

/** place_booking's parameters, in its order (a call decided alone, after its batch failed). */
export function placeBookingValues(c: PlaceBookingCall): unknown[] {
  return placeBookingParams(c).map(([, value]) => value);
}

/** place_bookings' argument: one object per call, place_booking's parameters by name. */
export function placeBookingsJson(calls: PlaceBookingCall[]): string {
  return JSON.stringify(calls.map((c) => Object.fromEntries(placeBookingParams(c).map(([name, value]) => [name, jsonOf(value)]))));
}

/** A parameter as place_bookings reads it from JSON: bytea in PostgreSQL's hex input form. */
function jsonOf(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return `\\x${value.toString('hex')}`;
  return Array.isArray(value) ? value.map(jsonOf) : value;
}

/** The module's SQL. No rules here: the service decides, PostgreSQL enforces. */
@Injectable()
export class BookingsRepository {
  /**
   * Booking requests wait here while `bookingWriters` booking statements are in flight, and go out
   * together when one finishes: one transaction for many bookings costs PostgreSQL far less than
   * one each (migration 1763900008000). With `bookingBatch` 1 every request goes alone.
   */
  private readonly writer: BatchQueue<PlaceBookingCall, PlaceBookingResult>;

  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.writer = placeBookingWriter(() => (this.db.driver as PostgresDriver).master as Pool, {
      maxInFlight: config.database.bookingWriters,
      maxBatch: config.database.bookingBatch,
    });
  }

  /** The manager for reads outside a transaction. */
  manager(): EntityManager {
    return this.db.manager;
  }

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /** `forUpdate` locks the booking row until the transaction ends. */
  async findById(id: string, m: EntityManager = this.db.manager, forUpdate = false): Promise<BookingRecord | undefined> {
    const rows: BookingRow[] = await m.query(`${BOOKING_SELECT} WHERE b.id = $1 ${forUpdate ? 'FOR UPDATE OF b' : ''}`, [id]);
    return rows[0] && toRecord(rows[0]);
  }

  /**
   * Bookings matching the filter, by start then id, at most `limit`. Date bounds are local dates
   * in each booking's branch zone (`from` at its 00:00, `to` inclusive); instants are compared
   * as they are.
   */
  async list(f: BookingListFilter): Promise<BookingRecord[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    const p = (v: unknown) => `$${params.push(v)}`;
    const visible = bookingScopeSql(f.scope, p);
    if (visible) where.push(visible);
    if (f.locationId) where.push(`b.location_id = ${p(f.locationId)}::uuid`);
    if (f.tutorId) where.push(`b.tutor_id = ${p(f.tutorId)}::uuid`);
    if (f.partnerId) where.push(`b.partner_id = ${p(f.partnerId)}::uuid`);
    if (f.claimId) where.push(`b.claim_id = ${p(f.claimId)}::uuid`);
    if (f.statuses?.length) where.push(`b.status = ANY(${p(f.statuses)}::text[])`);
    if (f.reference) where.push(`b.reference = ${p(f.reference)}`);
    if (f.from?.kind === 'instant') where.push(`lower(b.during) >= ${p(new Date(f.from.ms))}`);
    if (f.from?.kind === 'date') where.push(`lower(b.during) >= (${p(f.from.date)}::date::timestamp AT TIME ZONE l.timezone)`);
    if (f.to?.kind === 'instant') where.push(`lower(b.during) < ${p(new Date(f.to.ms))}`);
    if (f.to?.kind === 'date') where.push(`lower(b.during) < ((${p(f.to.date)}::date + 1)::timestamp AT TIME ZONE l.timezone)`);
    if (f.after) where.push(`(lower(b.during), b.id) > (${p(f.after.start)}::timestamptz, ${p(f.after.id)}::uuid)`);
    const rows: BookingRow[] = await this.db.query(
      `${BOOKING_SELECT} JOIN locations l ON l.id = b.location_id
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY lower(b.during), b.id LIMIT ${p(f.limit)}`,
      params,
    );
    return rows.map(toRecord);
  }

  /** The bookings at a location starting in [from, to), by start (then tutor name, id); cancelled ones only when asked. */
  async startingAt(locationId: string, from: Date, to: Date, includeCancelled: boolean): Promise<BookingRecord[]> {
    const rows: BookingRow[] = await this.db.query(
      `${BOOKING_SELECT}
       WHERE b.location_id = $1 AND lower(b.during) >= $2 AND lower(b.during) < $3 AND ($4 OR b.status <> 'cancelled')
       ORDER BY lower(b.during), t.display_name, b.id`,
      [locationId, from, to, includeCancelled],
    );
    return rows.map(toRecord);
  }

  /**
   * Moves a booking from `from` to `to` (a desk's check-in, completion or no-show; cancelling is
   * `cancel`) only if nobody changed it since it was read (its status and version are still
   * these): false otherwise, and nothing is written. `outcome` is stored when given.
   */
  async transition(m: EntityManager, t: { id: string; from: BookingStatus; version: number; to: BookingStatus; now: Date; outcome?: BookingOutcome }): Promise<boolean> {
    // (TypeORM answers a bare UPDATE with [rows, count]: wrapped, it reads as a SELECT.)
    const rows: { id: string }[] = await m.query(
      `WITH changed AS (
         UPDATE bookings SET status = $4, outcome = COALESCE($5::jsonb, outcome), version = version + 1, updated_at = $6
         WHERE id = $1 AND status = $2 AND version = $3
         RETURNING id)
       SELECT id FROM changed`,
      [t.id, t.from, t.version, t.to, t.outcome ? JSON.stringify(t.outcome) : null, t.now],
    );
    return rows.length === 1;
  }

  /** Replaces the manage token's hash (the old token stops working at commit), if the version is still this one. */
  async renewToken(m: EntityManager, id: string, version: number, hash: Buffer, now: Date): Promise<boolean> {
    const rows: { id: string }[] = await m.query(
      `WITH changed AS (UPDATE bookings SET manage_token_hash = $3, version = version + 1, updated_at = $4 WHERE id = $1 AND version = $2 RETURNING id)
       SELECT id FROM changed`,
      [id, version, hash, now],
    );
    return rows.length === 1;
  }

  /** The active, not yet ended booking with this reference and contact, its row locked. */
  async activeByReferenceAndContact(m: EntityManager, reference: string, contact: { phone: string } | { email: string }, now: Date): Promise<{ id: string; version: number } | undefined> {
    const [column, value] = 'phone' in contact ? ['resident_phone', contact.phone] : ['resident_email', contact.email];
    const rows: { id: string; version: number }[] = await m.query(
      `SELECT id, version FROM bookings WHERE reference = $1 AND ${column} = $2 AND active AND upper(during) > $3 FOR UPDATE`,
      [reference, value, now],
    );
    return rows[0];
  }

  /** By the stored hash of a manage token; `forUpdate` locks the booking row until the transaction ends. */
  async findByTokenHash(hash: Buffer, m: EntityManager = this.db.manager, forUpdate = false): Promise<BookingRecord | undefined> {
    const rows: BookingRow[] = await m.query(`${BOOKING_SELECT} WHERE b.manage_token_hash = $1 ${forUpdate ? 'FOR UPDATE OF b' : ''}`, [hash]);
    return rows[0] && toRecord(rows[0]);
  }

  async insertEvent(m: EntityManager, e: NewBookingEvent): Promise<void> {
    await m.query(
      `INSERT INTO booking_events (booking_id, type, at, actor_type, actor_user_id, reason, payload) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [e.bookingId, e.type, e.at, e.actorType, e.actorUserId, e.reason, JSON.stringify(e.payload)],
    );
  }

  /**
   * The one statement that cancels, for residents, the desk and schedule changes alike: the
   * confirmed bookings among `ids` become `cancelled` (calendar SEQUENCE and version rise), each
   * with a `cancelled` event whose payload is its time and tutor plus `payload`. With `version`
   * (one booking), only if its row is still at that version. Answers the cancelled ones, by start.
   */
  async cancel(m: EntityManager, c: CancelBookings): Promise<CancelledBooking[]> {
    if (c.ids.length === 0) return [];
    const rows: { id: string; start: Date; end: Date; tutor_id: string }[] = await m.query(
      // (A bare UPDATE comes back from TypeORM as [rows, count]; wrapped, it reads as a SELECT.)
      `WITH changed AS (
         UPDATE bookings b SET status = 'cancelled', sequence = b.sequence + 1, version = b.version + 1, updated_at = $2
         WHERE b.id = ANY($1::uuid[]) AND b.status = 'confirmed' AND ($3::int IS NULL OR b.version = $3)
         RETURNING b.id, lower(b.during) AS start, upper(b.during) AS "end", b.tutor_id)
       SELECT * FROM changed ORDER BY start, id`,
      [c.ids, c.now, c.version ?? null],
    );
    if (rows.length) {
      const payloads = rows.map((r) => JSON.stringify({ start: r.start.toISOString(), end: r.end.toISOString(), tutorId: r.tutor_id, ...c.payload }));
      await m.query(
        `INSERT INTO booking_events (booking_id, type, at, actor_type, actor_user_id, reason, payload)
         SELECT e.id, 'cancelled', $3, $4, $5, $6, e.payload
         FROM unnest($1::uuid[], $2::jsonb[]) WITH ORDINALITY AS e(id, payload, i) ORDER BY e.i`,
        [rows.map((r) => r.id), payloads, c.now, c.actorType, c.actorUserId, c.reason],
      );
    }
    return rows.map((r) => ({ id: r.id, start: r.start, end: r.end, tutorId: r.tutor_id }));
  }

  /** Moves the booking (its id, reference and token stay); 23P01 when the tutor is taken then. */
  async move(m: EntityManager, id: string, tutorId: string, start: Date, end: Date, now: Date): Promise<void> {
    await m.query(
      `UPDATE bookings SET tutor_id = $2, during = tstzrange($3, $4, '[)'), sequence = sequence + 1, version = version + 1, updated_at = $5
       WHERE id = $1`,
      [id, tutorId, start, end, now],
    );
  }

  /**
   * The guard locks a booking takes (shared, as place_booking does): a schedule change at the
   * branch or of these tutors (exclusive, `guardExclusive`) waits for this transaction, or this
   * transaction for it. Released at commit or rollback.
   */
  async guard(m: EntityManager, locationId: string, tutorIds: string[]): Promise<void> {
    await m.query(
      `SELECT pg_advisory_xact_lock_shared(booking_guard_key('location', $1::uuid)),
              (SELECT count(pg_advisory_xact_lock_shared(booking_guard_key('tutor', t))) FROM (SELECT DISTINCT unnest($2::uuid[]) AS t ORDER BY 1) AS tutors)`,
      [locationId, tutorIds],
    );
  }

  /**
   * Inside a schedule change's transaction, after its write and before its listing: takes the
   * branch's or the tutor's guard lock exclusively (place_booking takes it shared). Bookings
   * already deciding commit first, so the listing sees them; bookings arriving later wait until
   * this transaction commits and then see the change. Released at commit or rollback.
   */
  async guardExclusive(m: EntityManager, of: { location: string } | { tutor: string }): Promise<void> {
    const [kind, id] = 'location' in of ? ['location', of.location] : ['tutor', of.tutor];
    await m.query(`SELECT pg_advisory_xact_lock(booking_guard_key($1, $2::uuid))`, [kind, id]);
  }

  /** The branches of these claims, in order (whose guard locks a claim's cancellation takes). */
  async locationsOfClaims(m: EntityManager, claimIds: readonly string[]): Promise<string[]> {
    const rows: { location_id: string }[] = await m.query(`SELECT DISTINCT location_id FROM claims WHERE id = ANY($1::uuid[]) ORDER BY location_id`, [claimIds]);
    return rows.map((r) => r.location_id);
  }

  /** Bookings (all but cancelled) of each tutor starting in [from, to). */
  async countsStartingIn(m: EntityManager, tutorIds: string[], from: Date, to: Date): Promise<Map<string, number>> {
    if (tutorIds.length === 0) return new Map();
    const rows: { tutor_id: string; n: number }[] = await m.query(
      `SELECT tutor_id, count(*)::int AS n FROM bookings
       WHERE tutor_id = ANY($1::uuid[]) AND status <> 'cancelled' AND lower(during) >= $2 AND lower(during) < $3
       GROUP BY tutor_id`,
      [tutorIds, from, to],
    );
    return new Map(rows.map((r) => [r.tutor_id, r.n]));
  }

  /** Active bookings of these tutors overlapping [from, to), leaving one booking out. */
  async activeBookingsOf(tutorIds: string[], from: Date, to: Date, excludeId: string | null): Promise<{ tutorId: string; start: Date; end: Date }[]> {
    if (tutorIds.length === 0) return [];
    const rows: { tutor_id: string; start: Date; end: Date }[] = await this.db.query(
      `SELECT tutor_id, lower(during) AS start, upper(during) AS "end" FROM bookings
       WHERE tutor_id = ANY($1::uuid[]) AND during && tstzrange($2, $3) AND active
         AND ($4::uuid IS NULL OR id <> $4::uuid)`,
      [tutorIds, from, to, excludeId],
    );
    return rows.map((r) => ({ tutorId: r.tutor_id, start: r.start, end: r.end }));
  }

  // ---- schedule changes ----

  /**
   * Locks the confirmed bookings the change overlaps, in id order, so two cascades over the same
   * bookings (a closure and an absence at once) wait for each other instead of deadlocking.
   */
  async lockConfirmedOverlapping(m: EntityManager, q: OverlapQuery): Promise<string[]> {
    const { where, params } = overlapWhere(q);
    const locked: { id: string }[] = await m.query(
      `SELECT b.id FROM bookings b WHERE ${where.join(' AND ')} AND b.status = 'confirmed' ORDER BY b.id FOR UPDATE`,
      params,
    );
    return locked.map((r) => r.id);
  }

  /** The active bookings the change overlaps, and those of `alsoIds` (just cancelled), by start. */
  async activeOverlapping(m: EntityManager, q: OverlapQuery, alsoIds: string[]): Promise<TouchedBooking[]> {
    const { where, params } = overlapWhere(q);
    const listed: TouchedRow[] = await m.query(
      `SELECT b.id, b.reference, lower(b.during) AS start, upper(b.during) AS "end", b.status, b.tutor_id, b.location_id, l.timezone
       FROM bookings b JOIN locations l ON l.id = b.location_id
       WHERE ${where.join(' AND ')} AND (b.active OR b.id = ANY($${params.push(alsoIds)}::uuid[]))
       ORDER BY lower(b.during), b.id`,
      params,
    );
    return listed.map(toTouched);
  }

  /** For each span, the tutor's active bookings overlapping it that have not ended at `now`: one list per span, in order. */
  async activeOfTutorInSpans(tutorId: string, spans: readonly { start: Date; end: Date }[], now: Date): Promise<TouchedBooking[][]> {
    if (spans.length === 0) return [];
    const rows: (TouchedRow & { span: number })[] = await this.db.query(
      `SELECT s.i - 1 AS span, b.id, b.reference, lower(b.during) AS start, upper(b.during) AS "end", b.status, b.tutor_id, b.location_id, l.timezone
       FROM unnest($2::timestamptz[], $3::timestamptz[]) WITH ORDINALITY AS s(f, t, i)
       JOIN bookings b ON b.tutor_id = $1 AND b.during && tstzrange(s.f, s.t)
       JOIN locations l ON l.id = b.location_id
       WHERE b.active AND upper(b.during) > $4
       ORDER BY s.i, lower(b.during), b.id`,
      [tutorId, spans.map((s) => s.start), spans.map((s) => s.end), now],
    );
    const out: TouchedBooking[][] = spans.map(() => []);
    for (const r of rows) out[Number(r.span)].push(toTouched(r));
    return out;
  }

  /** The tutor's active bookings at the location that have not started at `now`, by start. */
  async activeUpcomingAt(m: EntityManager, tutorId: string, locationId: string, now: Date): Promise<TouchedBooking[]> {
    const rows: TouchedRow[] = await m.query(
      `SELECT b.id, b.reference, lower(b.during) AS start, upper(b.during) AS "end", b.status, b.tutor_id, b.location_id, l.timezone
       FROM bookings b JOIN locations l ON l.id = b.location_id
       WHERE b.tutor_id = $1 AND b.location_id = $2 AND b.active AND lower(b.during) >= $3
       ORDER BY lower(b.during), b.id`,
      [tutorId, locationId, now],
    );
    return rows.map(toTouched);
  }

  /** Whether a claim (any status) has this id (and belongs to this partner, when given). */
  async claimExists(id: string, partnerId?: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(`SELECT 1 FROM claims WHERE id = $1 AND ($2::uuid IS NULL OR partner_id = $2::uuid)`, [id, partnerId ?? null]);
    return rows.length > 0;
  }

  async partnerExists(id: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(`SELECT 1 FROM partners WHERE id = $1`, [id]);
    return rows.length > 0;
  }

  // ---- idempotency keys ----

  async storedResponse(m: EntityManager, key: string): Promise<StoredResponse | undefined> {
    const rows: { request_hash: Buffer; response_encrypted: Buffer; created_at: Date }[] = await m.query(
      `SELECT request_hash, response_encrypted, created_at FROM idempotency_keys WHERE key = $1`,
      [key],
    );
    const r = rows[0];
    return r && { requestHash: r.request_hash, responseEncrypted: r.response_encrypted, createdAt: r.created_at };
  }

  /**
   * One booking request decided by place_booking (see the migration for what it decides, in which
   * order), alone or in a batch with the requests that queued up meanwhile (see `writer`).
   */
  placeBooking(c: PlaceBookingCall): Promise<PlaceBookingResult> {
    return this.writer.submit(c);
  }
}
