import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../../common/time/clock';
import { formatInstant } from '../../../common/time/format';
import { fitsRules, GridRule } from './fits-rules';

/** API.md's `affectedBookings` item: instants in the booking's branch offset. */
export interface AffectedBooking {
  id: string;
  reference: string;
  start: string;
  end: string;
  status: string;
  tutorId: string | null;
}

/** Why bookings are cancelled by a cascade, recorded on each `cancelled` event. */
export interface CascadeCancel {
  /** The closure's or absence's reason (may be null). */
  reason: string | null;
  /** The staff user whose closure or absence it is. */
  actorUserId: string;
  /** What caused it, e.g. `{ closureId }` or `{ absenceId }` (event payload). */
  cause: Record<string, string>;
}

export interface AffectedQuery {
  locationId?: string;
  tutorId?: string;
  from: Date;
  to: Date;
}

interface Row {
  id: string;
  reference: string;
  start: Date;
  end: Date;
  status: string;
  tutor_id: string;
  timezone: string;
}

/**
 * What changes to the schedule do to booked residents: bookings hit by a closure, an absence or
 * new availability rules, and the cascade that cancels the confirmed ones.
 *
 * A module of its own with no imports, so the locations and tutors modules can use it inside
 * their own transactions while the bookings module keeps importing them (bookings → slots →
 * locations, tutors): no forwardRef, no cycle. It owns no table; it reads and updates `bookings`
 * and writes `booking_events` with the caller's EntityManager.
 */
@Injectable()
export class AffectedBookingsService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  /**
   * Active bookings (confirmed, checked in) that have not ended and overlap [from, to), at the
   * location and/or of the tutor, by start. With `cancel`, the confirmed ones are cancelled first
   * (each with a `cancelled` event: the user, the reason, the cause) and listed as cancelled;
   * checked-in ones are only listed. All in the caller's transaction when `manager` is given.
   */
  async affectedBy(q: AffectedQuery & { cancel?: CascadeCancel; manager?: EntityManager }): Promise<AffectedBooking[]> {
    const m = q.manager ?? this.db.manager;
    if (q.manager) await this.waitForBookingsInFlight(q.manager, q.locationId ? { location: q.locationId } : { tutor: q.tutorId! });
    const now = this.clock.now();
    const where = [`b.during && tstzrange($1, $2)`, `upper(b.during) > $3`];
    const params: unknown[] = [q.from, q.to, now];
    if (q.locationId) where.push(`b.location_id = $${params.push(q.locationId)}`);
    if (q.tutorId) where.push(`b.tutor_id = $${params.push(q.tutorId)}`);
    if (!q.locationId && !q.tutorId) throw new Error('affectedBy needs a location or a tutor');

    let cancelled: string[] = [];
    if (q.cancel) {
      // Lock the rows in id order first, so two cascades over the same bookings (a closure and an
      // absence at once) wait for each other instead of deadlocking.
      const locked: { id: string }[] = await m.query(
        `SELECT b.id FROM bookings b WHERE ${where.join(' AND ')} AND b.status = 'confirmed' ORDER BY b.id FOR UPDATE`,
        params,
      );
      const rows: { id: string; start: Date; end: Date; tutor_id: string }[] = locked.length
        ? await m.query(
            // (A bare UPDATE comes back from TypeORM as [rows, count]; wrapped, it reads as a SELECT.)
            `WITH changed AS (
               UPDATE bookings b SET status = 'cancelled', sequence = b.sequence + 1, version = b.version + 1, updated_at = $2
               WHERE b.id = ANY($1::uuid[]) AND b.status = 'confirmed'
               RETURNING b.id, lower(b.during) AS start, upper(b.during) AS "end", b.tutor_id)
             SELECT * FROM changed ORDER BY start, id`,
            [locked.map((r) => r.id), now],
          )
        : [];
      cancelled = rows.map((r) => r.id);
      if (rows.length) {
        const payloads = rows.map((r) => JSON.stringify({ start: r.start.toISOString(), end: r.end.toISOString(), tutorId: r.tutor_id, cascade: q.cancel!.cause }));
        await m.query(
          `INSERT INTO booking_events (booking_id, type, at, actor_type, actor_user_id, reason, payload)
           SELECT e.id, 'cancelled', $3, 'user', $4, $5, e.payload
           FROM unnest($1::uuid[], $2::jsonb[]) WITH ORDINALITY AS e(id, payload, i) ORDER BY e.i`,
          [cancelled, payloads, now, q.cancel.actorUserId, q.cancel.reason],
        );
      }
    }
    const listed: Row[] = await m.query(
      `SELECT b.id, b.reference, lower(b.during) AS start, upper(b.during) AS "end", b.status, b.tutor_id, l.timezone
       FROM bookings b JOIN locations l ON l.id = b.location_id
       WHERE ${where.join(' AND ')} AND (b.active OR b.id = ANY($${params.push(cancelled)}::uuid[]))
       ORDER BY lower(b.during), b.id`,
      params,
    );
    return listed.map(view);
  }

  /**
   * For many spans of one tutor at once (a page of absences): the active, unfinished bookings
   * overlapping each span, in one query. The result has one list per span, in the same order.
   */
  async affectedByTutorSpans(tutorId: string, spans: readonly { start: Date; end: Date }[]): Promise<AffectedBooking[][]> {
    if (spans.length === 0) return [];
    const rows: (Row & { span: number })[] = await this.db.query(
      `SELECT s.i - 1 AS span, b.id, b.reference, lower(b.during) AS start, upper(b.during) AS "end", b.status, b.tutor_id, l.timezone
       FROM unnest($2::timestamptz[], $3::timestamptz[]) WITH ORDINALITY AS s(f, t, i)
       JOIN bookings b ON b.tutor_id = $1 AND b.during && tstzrange(s.f, s.t)
       JOIN locations l ON l.id = b.location_id
       WHERE b.active AND upper(b.during) > $4
       ORDER BY s.i, lower(b.during), b.id`,
      [tutorId, spans.map((s) => s.start), spans.map((s) => s.end), this.clock.now()],
    );
    const out: AffectedBooking[][] = spans.map(() => []);
    for (const r of rows) out[Number(r.span)].push(view(r));
    return out;
  }

  /**
   * The tutor's active bookings at the location that have not started yet and no longer lie on
   * `rules` (the tutor's complete new rules there): see fitsRules. Read with the caller's manager
   * so it sees the rules it has just written.
   */
  async outsideRules(q: { tutorId: string; locationId: string; rules: readonly GridRule[]; manager?: EntityManager }): Promise<AffectedBooking[]> {
    if (q.manager) await this.waitForBookingsInFlight(q.manager, { tutor: q.tutorId });
    const rows: Row[] = await (q.manager ?? this.db.manager).query(
      `SELECT b.id, b.reference, lower(b.during) AS start, upper(b.during) AS "end", b.status, b.tutor_id, l.timezone
       FROM bookings b JOIN locations l ON l.id = b.location_id
       WHERE b.tutor_id = $1 AND b.location_id = $2 AND b.active AND lower(b.during) >= $3
       ORDER BY lower(b.during), b.id`,
      [q.tutorId, q.locationId, this.clock.now()],
    );
    return rows.filter((r) => !fitsRules(q.rules, r.timezone, r.start.getTime(), r.end.getTime())).map(view);
  }

  /**
   * Inside a schedule change's transaction, after its write and before its listing: takes the
   * branch's or the tutor's guard lock exclusively (place_booking takes it shared). Bookings
   * already deciding commit first, so the listing sees them; bookings arriving later wait until
   * this transaction commits and then see the change. Released at commit or rollback.
   */
  private async waitForBookingsInFlight(m: EntityManager, of: { location: string } | { tutor: string }): Promise<void> {
    const [kind, id] = 'location' in of ? ['location', of.location] : ['tutor', of.tutor];
    await m.query(`SELECT pg_advisory_xact_lock(booking_guard_key($1, $2::uuid))`, [kind, id]);
  }
}

function view(r: Row): AffectedBooking {
  return {
    id: r.id,
    reference: r.reference,
    start: formatInstant(r.start, r.timezone),
    end: formatInstant(r.end, r.timezone),
    status: r.status,
    tutorId: r.tutor_id,
  };
}
