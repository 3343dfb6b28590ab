import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { claimScopeSql } from '../../common/access/claim-access';
import type { Principal } from '../../common/auth/principal';
import type { ClaimStatus } from './claim-transitions';
import type { ClaimMode } from './claim-window';

/** A claim as the service uses it, with its partner's names, its branch's zone, topics (slugs) and advisors. */
export interface ClaimRecord {
  id: string;
  seriesId: string;
  partnerId: string;
  partnerName: { fi: string; sv: string; en: string };
  locationId: string;
  timeZone: string;
  roomId: string | null;
  start: Date;
  end: Date;
  mode: ClaimMode;
  sessionMinutes: number | null;
  bufferMinutes: number;
  advisorIds: string[];
  topics: string[];
  languages: string[];
  note: string | null;
  status: ClaimStatus;
  statusReason: string | null;
  requestedBy: string | null;
  requestedAt: Date;
  statusChangedBy: string | null;
  statusChangedAt: Date | null;
  version: number;
}

const CLAIM_SELECT = `
  SELECT c.id, c.series_id, c.partner_id, p.name_fi, p.name_sv, p.name_en, c.location_id, l.timezone, c.room_id,
         lower(c.during) AS start, upper(c.during) AS "end", c.mode, c.session_minutes, c.buffer_minutes, c.languages, c.note,
         c.status, c.status_reason, c.requested_by, c.requested_at, c.status_changed_by, c.status_changed_at, c.version,
         ARRAY(SELECT ca.tutor_id::text FROM claim_advisors ca WHERE ca.claim_id = c.id ORDER BY ca.tutor_id) AS advisor_ids,
         ARRAY(SELECT tp.slug FROM claim_topics ct JOIN topics tp ON tp.id = ct.topic_id WHERE ct.claim_id = c.id ORDER BY tp.slug) AS topics
  FROM claims c
  JOIN partners p ON p.id = c.partner_id
  JOIN locations l ON l.id = c.location_id`;

interface ClaimRow {
  id: string;
  series_id: string;
  partner_id: string;
  name_fi: string;
  name_sv: string;
  name_en: string;
  location_id: string;
  timezone: string;
  room_id: string | null;
  start: Date;
  end: Date;
  mode: ClaimMode;
  session_minutes: number | null;
  buffer_minutes: number;
  languages: string[];
  note: string | null;
  status: ClaimStatus;
  status_reason: string | null;
  requested_by: string | null;
  requested_at: Date;
  status_changed_by: string | null;
  status_changed_at: Date | null;
  version: number;
  advisor_ids: string[];
  topics: string[];
}

const toRecord = (r: ClaimRow): ClaimRecord => ({
  id: r.id,
  seriesId: r.series_id,
  partnerId: r.partner_id,
  partnerName: { fi: r.name_fi, sv: r.name_sv, en: r.name_en },
  locationId: r.location_id,
  timeZone: r.timezone,
  roomId: r.room_id,
  start: r.start,
  end: r.end,
  mode: r.mode,
  sessionMinutes: r.session_minutes,
  bufferMinutes: r.buffer_minutes,
  advisorIds: r.advisor_ids,
  topics: r.topics,
  languages: r.languages,
  note: r.note,
  status: r.status,
  statusReason: r.status_reason,
  requestedBy: r.requested_by,
  requestedAt: r.requested_at,
  statusChangedBy: r.status_changed_by,
  statusChangedAt: r.status_changed_at,
  version: r.version,
});

/** The claims of one request: the shared fields and each claim's time. */
export interface NewClaims {
  partnerId: string;
  locationId: string;
  roomId: string | null;
  mode: ClaimMode;
  sessionMinutes: number | null;
  bufferMinutes: number;
  languages: string[];
  note: string | null;
  topicIds: string[];
  advisorIds: string[];
  repeatWeeklyUntil: string | null;
  times: { start: Date; end: Date }[];
  actorUserId: string;
  now: Date;
}

/** Who made a change: a person, or the system (a cascade with no person behind it). */
export interface ClaimActor {
  type: 'user' | 'system';
  userId: string | null;
}

/** One status change, written only if the claim is still as it was read; its event's type is the new status. */
export interface ClaimStatusChange {
  id: string;
  from: ClaimStatus;
  version: number;
  to: ClaimStatus;
  reason: string | null;
  actor: ClaimActor;
  now: Date;
  payload?: Record<string, unknown>;
}

export interface ClaimListFilter {
  caller: Principal;
  statuses?: ClaimStatus[];
  locationId?: string;
  partnerId?: string;
  from?: { kind: 'date'; date: string } | { kind: 'instant'; ms: number };
  to?: { kind: 'date'; date: string } | { kind: 'instant'; ms: number };
  after?: { start: Date; id: string };
  limit: number;
}

/** Minutes of a partner's claims starting in [from, to), in some statuses, partner-wide and at one branch. */
export interface UsedMinutesQuery {
  partnerId: string;
  locationId: string;
  from: Date;
  to: Date;
  statuses: ClaimStatus[];
  /** Not counted (the claim being approved). */
  exceptId?: string;
}

/** Every read and write of claims, their series, topics, advisors and events. No rules here. */
@Injectable()
export class ClaimsRepository {
  constructor(private readonly db: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /**
   * Serialises a partner's quota checks with the writes they guard (requests, approvals): held
   * until the transaction ends, so two requests cannot both pass on the same remaining hours.
   */
  async lockPartnerQuota(m: EntityManager, partnerId: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtextextended('tukiaika:claim-quota:' || $1::text, 0))`, [partnerId]);
  }

  async partner(partnerId: string, m: EntityManager = this.db.manager): Promise<{ id: string; active: boolean } | undefined> {
    const rows: { id: string; active: boolean }[] = await m.query(`SELECT id, active FROM partners WHERE id = $1`, [partnerId]);
    return rows[0];
  }

  async usedMinutes(m: EntityManager, q: UsedMinutesQuery): Promise<{ partner: number; location: number }> {
    const rows: { partner: string; location: string }[] = await m.query(
      `SELECT coalesce(sum(extract(epoch FROM upper(during) - lower(during)) / 60), 0) AS partner,
              coalesce(sum(extract(epoch FROM upper(during) - lower(during)) / 60) FILTER (WHERE location_id = $2), 0) AS location
       FROM claims
       WHERE partner_id = $1 AND status = ANY($5::text[]) AND lower(during) >= $3 AND lower(during) < $4 AND ($6::uuid IS NULL OR id <> $6::uuid)`,
      [q.partnerId, q.locationId, q.from, q.to, q.statuses, q.exceptId ?? null],
    );
    return { partner: Number(rows[0].partner), location: Number(rows[0].location) };
  }

  /** Which of these tutors are active advisors of the partner. */
  async activeAdvisorsOf(partnerId: string, tutorIds: string[], m: EntityManager = this.db.manager): Promise<Set<string>> {
    if (tutorIds.length === 0) return new Set();
    const rows: { id: string }[] = await m.query(
      `SELECT id FROM tutors WHERE id = ANY($1::uuid[]) AND kind = 'advisor' AND partner_id = $2 AND active`,
      [tutorIds, partnerId],
    );
    return new Set(rows.map((r) => r.id));
  }

  /** The branch a room belongs to, if the room exists. */
  async roomLocation(roomId: string): Promise<string | undefined> {
    const rows: { location_id: string }[] = await this.db.query(`SELECT location_id FROM location_rooms WHERE id = $1`, [roomId]);
    return rows[0]?.location_id;
  }

  /** Inserts the series, its claims (by start), their topics and advisors, and a `requested` event each; answers the ids. */
  async insertClaims(m: EntityManager, c: NewClaims): Promise<{ seriesId: string; ids: string[] }> {
    const [{ id: seriesId }]: { id: string }[] = await m.query(
      `INSERT INTO claim_series (partner_id, location_id, repeat_weekly_until, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [c.partnerId, c.locationId, c.repeatWeeklyUntil, c.actorUserId, c.now],
    );
    const inserted: { id: string }[] = await m.query(
      `INSERT INTO claims (series_id, partner_id, location_id, room_id, during, mode, session_minutes, buffer_minutes, languages, note,
                           requested_by, requested_at, created_at, updated_at)
       SELECT $1, $2, $3, $4, tstzrange(t.s, t.e, '[)'), $7, $8, $9, $10, $11, $12, $13, $13, $13
       FROM unnest($5::timestamptz[], $6::timestamptz[]) WITH ORDINALITY AS t(s, e, i)
       ORDER BY t.i
       RETURNING id`,
      [
        seriesId,
        c.partnerId,
        c.locationId,
        c.roomId,
        c.times.map((t) => t.start),
        c.times.map((t) => t.end),
        c.mode,
        c.sessionMinutes,
        c.bufferMinutes,
        c.languages,
        c.note,
        c.actorUserId,
        c.now,
      ],
    );
    const ids = inserted.map((r) => r.id);
    await m.query(`INSERT INTO claim_topics (claim_id, topic_id) SELECT c, t FROM unnest($1::uuid[]) AS c, unnest($2::uuid[]) AS t`, [ids, c.topicIds]);
    // during and approved are the claim's: the trigger in sql/claim_advisors_in_step.sql copies them.
    await m.query(
      `INSERT INTO claim_advisors (claim_id, tutor_id, during) SELECT c, t, 'empty'::tstzrange FROM unnest($1::uuid[]) AS c, unnest($2::uuid[]) AS t`,
      [ids, c.advisorIds],
    );
    await m.query(
      `INSERT INTO claim_events (claim_id, type, at, actor_type, actor_user_id) SELECT c, 'requested', $2, 'user', $3 FROM unnest($1::uuid[]) AS c`,
      [ids, c.now, c.actorUserId],
    );
    return { seriesId, ids };
  }

  /** `forUpdate` locks the claim row until the transaction ends. */
  async findById(id: string, m: EntityManager = this.db.manager, forUpdate = false): Promise<ClaimRecord | undefined> {
    const rows: ClaimRow[] = await m.query(`${CLAIM_SELECT} WHERE c.id = $1 ${forUpdate ? 'FOR UPDATE OF c' : ''}`, [id]);
    return rows[0] && toRecord(rows[0]);
  }

  async findByIds(ids: string[], m: EntityManager = this.db.manager): Promise<ClaimRecord[]> {
    const rows: ClaimRow[] = await m.query(`${CLAIM_SELECT} WHERE c.id = ANY($1::uuid[]) ORDER BY lower(c.during), c.id`, [ids]);
    return rows.map(toRecord);
  }

  /** The claims of a series, by start. */
  async ofSeries(seriesId: string): Promise<ClaimRecord[]> {
    const rows: ClaimRow[] = await this.db.query(`${CLAIM_SELECT} WHERE c.series_id = $1 ORDER BY lower(c.during), c.id`, [seriesId]);
    return rows.map(toRecord);
  }

  /** Claims matching the filter within what the caller may see, by start then id, at most `limit`. */
  async list(f: ClaimListFilter): Promise<ClaimRecord[]> {
    const params: unknown[] = [];
    const p = (v: unknown) => `$${params.push(v)}`;
    const where = [claimScopeSql(f.caller, p)];
    if (f.statuses?.length) where.push(`c.status = ANY(${p(f.statuses)}::text[])`);
    if (f.locationId) where.push(`c.location_id = ${p(f.locationId)}::uuid`);
    if (f.partnerId) where.push(`c.partner_id = ${p(f.partnerId)}::uuid`);
    if (f.from?.kind === 'instant') where.push(`lower(c.during) >= ${p(new Date(f.from.ms))}`);
    if (f.from?.kind === 'date') where.push(`lower(c.during) >= (${p(f.from.date)}::date::timestamp AT TIME ZONE l.timezone)`);
    if (f.to?.kind === 'instant') where.push(`lower(c.during) < ${p(new Date(f.to.ms))}`);
    if (f.to?.kind === 'date') where.push(`lower(c.during) < ((${p(f.to.date)}::date + 1)::timestamp AT TIME ZONE l.timezone)`);
    if (f.after) where.push(`(lower(c.during), c.id) > (${p(f.after.start)}::timestamptz, ${p(f.after.id)}::uuid)`);
    const rows: ClaimRow[] = await this.db.query(`${CLAIM_SELECT} WHERE ${where.join(' AND ')} ORDER BY lower(c.during), c.id LIMIT ${p(f.limit)}`, params);
    return rows.map(toRecord);
  }

  /** The approved claims at a branch starting in [from, to), by start. */
  async approvedStartingAt(locationId: string, from: Date, to: Date): Promise<ClaimRecord[]> {
    const rows: ClaimRow[] = await this.db.query(
      `${CLAIM_SELECT} WHERE c.location_id = $1 AND c.status = 'approved' AND lower(c.during) >= $2 AND lower(c.during) < $3 ORDER BY lower(c.during), c.id`,
      [locationId, from, to],
    );
    return rows.map(toRecord);
  }

  /**
   * Writes one status change if the claim is still at the status and version read, with its
   * event: false when it changed meanwhile (nothing written). A claim approved into a taken room
   * or with a busy advisor fails here with 23P01 (claims_room_free, claim_advisors_not_double_claimed).
   */
  async changeStatus(m: EntityManager, c: ClaimStatusChange): Promise<boolean> {
    // (TypeORM answers a bare UPDATE with [rows, count]: wrapped, it reads as a SELECT.)
    const rows: { id: string }[] = await m.query(
      `WITH changed AS (
         UPDATE claims SET status = $4, status_reason = $5, status_changed_by = $6, status_changed_at = $7, version = version + 1, updated_at = $7
         WHERE id = $1 AND status = $2 AND version = $3
         RETURNING id)
       SELECT id FROM changed`,
      [c.id, c.from, c.version, c.to, c.reason, c.actor.userId, c.now],
    );
    if (rows.length === 0) return false;
    await m.query(
      `INSERT INTO claim_events (claim_id, type, at, actor_type, actor_user_id, reason, payload) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [c.id, c.to, c.now, c.actor.type, c.actor.userId, c.reason, JSON.stringify({ from: c.from, ...c.payload })],
    );
    return true;
  }

  /** A partner's claims a deactivation ends: requested ones, and approved ones not ended at `now`; locked, by id. */
  async lockOpenOfPartner(m: EntityManager, partnerId: string, now: Date): Promise<{ id: string; status: ClaimStatus; version: number; end: Date }[]> {
    return m.query(
      `SELECT id, status, version, upper(during) AS "end" FROM claims
       WHERE partner_id = $1 AND (status = 'requested' OR (status = 'approved' AND upper(during) > $2))
       ORDER BY id FOR UPDATE`,
      [partnerId, now],
    );
  }
}
