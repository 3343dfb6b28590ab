import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import type { BookingStatus } from './booking-rules';
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
}

export interface NewBooking {
  reference: string;
  locationId: string;
  tutorId: string;
  topicId: string;
  language: string;
  kind: BookingKind;
  start: Date;
  end: Date;
  channel: Channel;
  residentName: string;
  residentPhone: string | null;
  residentEmail: string | null;
  residentLanguage: ResidentLanguage;
  notes: string | null;
  manageTokenHash: Buffer;
  now: Date;
}

export type BookingEventType = 'created' | 'rescheduled' | 'cancelled' | 'checked_in' | 'completed' | 'no_show' | 'manage_link_renewed';

export interface NewBookingEvent {
  bookingId: string;
  type: BookingEventType;
  at: Date;
  actorType: 'resident' | 'user' | 'system';
  actorUserId: string | null;
  reason: string | null;
  payload: Record<string, unknown>;
}

export interface StoredResponse {
  requestHash: Buffer;
  statusCode: number;
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
         b.manage_token_hash, b.sequence, b.version, b.created_at, b.updated_at
  FROM bookings b
  JOIN tutors t ON t.id = b.tutor_id
  JOIN topics tp ON tp.id = b.topic_id`;

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
});

/** Filters of GET /bookings, with the caller's scope already applied. */
export interface BookingListFilter {
  /** What the caller may see: locations (staff), one tutor (tutor account), or everything (admin: {}). */
  scope: { locationIds?: string[]; tutorId?: string };
  locationId?: string;
  tutorId?: string;
  statuses?: BookingStatus[];
  /** Canonical `XXX-XXX`. */
  reference?: string;
  from?: { kind: 'date'; date: string } | { kind: 'instant'; ms: number };
  to?: { kind: 'date'; date: string } | { kind: 'instant'; ms: number };
  after?: { start: Date; id: string };
  limit: number;
}

/** SQLSTATE of a database error, if it is one. */
export function sqlState(error: unknown): string | undefined {
  return error instanceof QueryFailedError ? (error.driverError as { code?: string } | undefined)?.code : undefined;
}

/** The module's SQL. No rules here: the service decides, PostgreSQL enforces. */
@Injectable()
export class BookingsRepository {
  constructor(private readonly db: DataSource) {}

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
    if (f.scope.locationIds) where.push(`b.location_id = ANY(${p(f.scope.locationIds)}::uuid[])`);
    if (f.scope.tutorId) where.push(`b.tutor_id = ${p(f.scope.tutorId)}::uuid`);
    if (f.locationId) where.push(`b.location_id = ${p(f.locationId)}::uuid`);
    if (f.tutorId) where.push(`b.tutor_id = ${p(f.tutorId)}::uuid`);
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
   * Moves a booking from `from` to `to` only if nobody changed it since it was read (its status
   * and version are still these): false otherwise, and nothing is written. `outcome` is stored
   * when given; `sequence` rises when the resident's calendar should see the change.
   */
  async transition(
    m: EntityManager,
    t: { id: string; from: BookingStatus; version: number; to: BookingStatus; now: Date; outcome?: BookingOutcome; calendarChange: boolean },
  ): Promise<boolean> {
    // (TypeORM answers a bare UPDATE with [rows, count]: wrapped, it reads as a SELECT.)
    const rows: { id: string }[] = await m.query(
      `WITH changed AS (
         UPDATE bookings SET status = $4, outcome = COALESCE($5::jsonb, outcome), sequence = sequence + $6, version = version + 1, updated_at = $7
         WHERE id = $1 AND status = $2 AND version = $3
         RETURNING id)
       SELECT id FROM changed`,
      [t.id, t.from, t.version, t.to, t.outcome ? JSON.stringify(t.outcome) : null, t.calendarChange ? 1 : 0, t.now],
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

  /** By the stored hash of a manage token; `forUpdate` locks the booking row until the transaction ends. */
  async findByTokenHash(hash: Buffer, m: EntityManager = this.db.manager, forUpdate = false): Promise<BookingRecord | undefined> {
    const rows: BookingRow[] = await m.query(`${BOOKING_SELECT} WHERE b.manage_token_hash = $1 ${forUpdate ? 'FOR UPDATE OF b' : ''}`, [hash]);
    return rows[0] && toRecord(rows[0]);
  }

  /**
   * Inserts a confirmed booking. Undefined when the reference is taken (draw another); an
   * overlapping active booking of the tutor raises 23P01 from the exclusion constraint.
   */
  async insert(m: EntityManager, b: NewBooking): Promise<string | undefined> {
    const rows: { id: string }[] = await m.query(
      `INSERT INTO bookings (reference, location_id, tutor_id, topic_id, language, kind, during, status, channel,
                             resident_name, resident_phone, resident_email, resident_language, notes, manage_token_hash,
                             created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, tstzrange($7, $8, '[)'), 'confirmed', $9, $10, $11, $12, $13, $14, $15, $16, $16)
       ON CONFLICT (reference) DO NOTHING
       RETURNING id`,
      [
        b.reference,
        b.locationId,
        b.tutorId,
        b.topicId,
        b.language,
        b.kind,
        b.start,
        b.end,
        b.channel,
        b.residentName,
        b.residentPhone,
        b.residentEmail,
        b.residentLanguage,
        b.notes,
        b.manageTokenHash,
        b.now,
      ],
    );
    return rows[0]?.id;
  }

  async insertEvent(m: EntityManager, e: NewBookingEvent): Promise<void> {
    await m.query(
      `INSERT INTO booking_events (booking_id, type, at, actor_type, actor_user_id, reason, payload) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [e.bookingId, e.type, e.at, e.actorType, e.actorUserId, e.reason, JSON.stringify(e.payload)],
    );
  }

  async events(bookingId: string): Promise<(NewBookingEvent & { id: string })[]> {
    const rows: { id: string; booking_id: string; type: BookingEventType; at: Date; actor_type: NewBookingEvent['actorType']; actor_user_id: string | null; reason: string | null; payload: Record<string, unknown> }[] =
      await this.db.query(`SELECT id::text, booking_id, type, at, actor_type, actor_user_id, reason, payload FROM booking_events WHERE booking_id = $1 ORDER BY id`, [bookingId]);
    return rows.map((r) => ({ id: r.id, bookingId: r.booking_id, type: r.type, at: r.at, actorType: r.actor_type, actorUserId: r.actor_user_id, reason: r.reason, payload: r.payload }));
  }

  /** Sets status `cancelled` (calendar SEQUENCE and version rise). */
  async cancel(m: EntityManager, id: string, now: Date): Promise<void> {
    await m.query(
      `UPDATE bookings SET status = 'cancelled', sequence = sequence + 1, version = version + 1, updated_at = $2 WHERE id = $1`,
      [id, now],
    );
  }

  /** Moves the booking (its id, reference and token stay); 23P01 when the tutor is taken then. */
  async move(m: EntityManager, id: string, tutorId: string, start: Date, end: Date, now: Date): Promise<void> {
    await m.query(
      `UPDATE bookings SET tutor_id = $2, during = tstzrange($3, $4, '[)'), sequence = sequence + 1, version = version + 1, updated_at = $5
       WHERE id = $1`,
      [id, tutorId, start, end, now],
    );
  }

  /** Blocks until no other transaction holds the lock; released at commit or rollback. */
  async lock(m: EntityManager, key: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock($1::bigint)`, [key]);
  }

  /** False at once when another transaction holds the lock. */
  async tryLock(m: EntityManager, key: string): Promise<boolean> {
    const rows: { locked: boolean }[] = await m.query(`SELECT pg_try_advisory_xact_lock($1::bigint) AS locked`, [key]);
    return rows[0].locked;
  }

  /** Active bookings at the location, not yet over, that share the phone or the e-mail. */
  async countActiveForContact(m: EntityManager, locationId: string, phone: string | null, email: string | null, now: Date): Promise<number> {
    const rows: { n: number }[] = await m.query(
      `SELECT count(*)::int AS n FROM bookings
       WHERE location_id = $1 AND status IN ('confirmed', 'checked_in') AND upper(during) > $4
         AND ((resident_phone = $2 AND $2 IS NOT NULL) OR (resident_email = $3 AND $3 IS NOT NULL))`,
      [locationId, phone, email, now],
    );
    return rows[0].n;
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
       WHERE tutor_id = ANY($1::uuid[]) AND during && tstzrange($2, $3) AND status IN ('confirmed', 'checked_in')
         AND ($4::uuid IS NULL OR id <> $4::uuid)`,
      [tutorIds, from, to, excludeId],
    );
    return rows.map((r) => ({ tutorId: r.tutor_id, start: r.start, end: r.end }));
  }

  // ---- idempotency keys ----

  async storedResponse(m: EntityManager, key: string): Promise<StoredResponse | undefined> {
    const rows: { request_hash: Buffer; status_code: number; response_encrypted: Buffer; created_at: Date }[] = await m.query(
      `SELECT request_hash, status_code, response_encrypted, created_at FROM idempotency_keys WHERE key = $1`,
      [key],
    );
    const r = rows[0];
    return r && { requestHash: r.request_hash, statusCode: r.status_code, responseEncrypted: r.response_encrypted, createdAt: r.created_at };
  }

  async storeResponse(m: EntityManager, key: string, requestHash: Buffer, statusCode: number, encrypted: Buffer, now: Date): Promise<void> {
    await m.query(
      `INSERT INTO idempotency_keys (key, request_hash, status_code, response_encrypted, created_at) VALUES ($1, $2, $3, $4, $5)`,
      [key, requestHash, statusCode, encrypted, now],
    );
  }

  async deleteKey(m: EntityManager, key: string): Promise<void> {
    await m.query(`DELETE FROM idempotency_keys WHERE key = $1`, [key]);
  }

  /** Deletes up to `limit` keys older than `before`, skipping rows another transaction holds (no waits, no deadlocks). */
  async purgeKeys(m: EntityManager, before: Date, limit = 200): Promise<void> {
    await m.query(
      `DELETE FROM idempotency_keys WHERE key IN (
         SELECT key FROM idempotency_keys WHERE created_at < $1 ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      [before, limit],
    );
  }

  /** Does an active booking of this tutor cover this instant? (one index probe) */
  async tutorBusyAt(m: EntityManager, tutorId: string, at: Date): Promise<boolean> {
    const rows = await m.query(
      `SELECT 1 FROM bookings WHERE tutor_id = $1 AND status IN ('confirmed', 'checked_in') AND during @> $2::timestamptz LIMIT 1`,
      [tutorId, at],
    );
    return rows.length > 0;
  }
}
