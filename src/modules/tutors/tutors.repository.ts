import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { tutorScopeSql } from '../../common/access/tutor-access';
import type { Principal } from '../../common/auth/principal';
import { WeeklyRule } from './availability-rules';
import { TutorKind } from './tutor-kind';

/** A tutor with its memberships and topics, as the services use it. */
export interface TutorRecord {
  id: string;
  displayName: string;
  kind: TutorKind;
  partnerId: string | null;
  email: string | null;
  phone: string | null;
  languages: string[];
  active: boolean;
  version: number;
  /** Ordered by id. */
  locationIds: string[];
  /** Those of locationIds whose branch is out of use (membership and rules kept for its return). */
  inactiveLocationIds: string[];
  /** Slugs in catalogue order. */
  topics: string[];
  /** The zone of the tutor's first branch (by id), for writing instants; Europe/Helsinki without one. */
  timezone: string;
}

export interface TutorFields {
  displayName: string;
  kind: TutorKind;
  partnerId: string | null;
  email: string | null;
  phone: string | null;
  languages: string[];
  active: boolean;
}

export interface TutorListFilter {
  /** Who may be listed: undefined = everyone (admin). */
  /** Only the tutors this caller may see (common/access). */
  visibleTo: Principal;
  locationId?: string;
  topic?: string;
  language?: string;
  kind?: TutorKind;
  partnerId?: string;
  active?: boolean;
  after?: [string, string];
  limit: number;
}

export interface AbsenceRecord {
  id: string;
  tutorId: string;
  startsAt: Date;
  endsAt: Date;
  reason: string | null;
}

export interface SearchFilter {
  locationIds?: string[];
  /** Official 3-digit municipality code. */
  municipality?: string;
  topic?: string;
  language?: string;
  tutorIds?: string[];
  kinds?: TutorKind[];
}

export const DEFAULT_ZONE = 'Europe/Helsinki';

const TUTOR_SELECT = `
  SELECT t.id, t.display_name, t.kind, t.partner_id, t.email, t.phone, t.languages, t.active, t.version,
    ARRAY(SELECT tl.location_id::text FROM tutor_locations tl WHERE tl.tutor_id = t.id ORDER BY tl.location_id) AS location_ids,
    ARRAY(SELECT tl.location_id::text FROM tutor_locations tl JOIN locations l ON l.id = tl.location_id
          WHERE tl.tutor_id = t.id AND NOT l.active ORDER BY tl.location_id) AS inactive_location_ids,
    ARRAY(SELECT tp.slug FROM tutor_topics tt JOIN topics tp ON tp.id = tt.topic_id
          WHERE tt.tutor_id = t.id ORDER BY tp.sort_order, tp.slug) AS topics,
    (SELECT l.timezone FROM tutor_locations tl JOIN locations l ON l.id = tl.location_id
      WHERE tl.tutor_id = t.id ORDER BY tl.location_id LIMIT 1) AS timezone
  FROM tutors t`;

interface TutorRow {
  id: string;
  display_name: string;
  kind: TutorKind;
  partner_id: string | null;
  email: string | null;
  phone: string | null;
  languages: string[];
  active: boolean;
  version: number;
  location_ids: string[];
  inactive_location_ids: string[];
  topics: string[];
  timezone: string | null;
}

const toRecord = (r: TutorRow): TutorRecord => ({
  id: r.id,
  displayName: r.display_name,
  kind: r.kind,
  partnerId: r.partner_id,
  email: r.email,
  phone: r.phone,
  languages: r.languages,
  active: r.active,
  version: r.version,
  locationIds: r.location_ids,
  inactiveLocationIds: r.inactive_location_ids,
  topics: r.topics,
  timezone: r.timezone ?? DEFAULT_ZONE,
});

const RULE_SELECT = `
  SELECT r.tutor_id::text AS tutor_id, r.location_id::text AS location_id, r.weekday, r.start_minute, r.end_minute,
         r.session_minutes, r.buffer_minutes, r.valid_from::text AS valid_from, r.valid_until::text AS valid_until
  FROM availability_rules r`;

interface RuleRow {
  tutor_id: string;
  location_id: string;
  weekday: number;
  start_minute: number;
  end_minute: number;
  session_minutes: number;
  buffer_minutes: number;
  valid_from: string;
  valid_until: string | null;
}

export const toWeeklyRule = (r: RuleRow): WeeklyRule => ({
  locationId: r.location_id,
  weekday: r.weekday,
  startMinute: r.start_minute,
  endMinute: r.end_minute,
  sessionMinutes: r.session_minutes,
  bufferMinutes: r.buffer_minutes,
  validFrom: r.valid_from,
  validUntil: r.valid_until,
});

const toAbsence = (r: { id: string; tutor_id: string; starts_at: Date; ends_at: Date; reason: string | null }): AbsenceRecord => ({
  id: r.id,
  tutorId: r.tutor_id,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  reason: r.reason,
});

/** SQL for the tutors module's tables; no business rules here. */
@Injectable()
export class TutorsRepository {
  constructor(private readonly ds: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(work);
  }

  async findById(id: string, m: EntityManager = this.ds.manager): Promise<TutorRecord | undefined> {
    const rows: TutorRow[] = await m.query(`${TUTOR_SELECT} WHERE t.id = $1`, [id]);
    return rows[0] && toRecord(rows[0]);
  }

  /** Locks the tutor row for an edit (FOR NO KEY UPDATE: memberships may still reference it). */
  async lockTutor(m: EntityManager, id: string): Promise<boolean> {
    const rows = await m.query(`SELECT 1 FROM tutors WHERE id = $1 FOR NO KEY UPDATE`, [id]);
    return rows.length > 0;
  }

  async list(f: TutorListFilter): Promise<TutorRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const visible = tutorScopeSql(f.visibleTo, p);
    if (visible) where.push(visible);
    if (f.locationId) where.push(`EXISTS (SELECT 1 FROM tutor_locations fl WHERE fl.tutor_id = t.id AND fl.location_id = ${p(f.locationId)})`);
    if (f.topic) {
      where.push(`EXISTS (SELECT 1 FROM tutor_topics ft JOIN topics fp ON fp.id = ft.topic_id WHERE ft.tutor_id = t.id AND fp.slug = ${p(f.topic)})`);
    }
    if (f.language) where.push(`t.languages @> ARRAY[${p(f.language)}::text]`);
    if (f.kind) where.push(`t.kind = ${p(f.kind)}`);
    if (f.partnerId) where.push(`t.partner_id = ${p(f.partnerId)}`);
    if (f.active !== undefined) where.push(`t.active = ${p(f.active)}`);
    if (f.after) where.push(`(t.display_name, t.id) > (${p(f.after[0])}, ${p(f.after[1])}::uuid)`);
    const sql = `${TUTOR_SELECT} ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY t.display_name, t.id LIMIT ${p(f.limit)}`;
    const rows: TutorRow[] = await this.ds.query(sql, params);
    return rows.map(toRecord);
  }

  async insert(m: EntityManager, fields: TutorFields): Promise<string> {
    const rows: { id: string }[] = await m.query(
      `INSERT INTO tutors (display_name, kind, partner_id, email, phone, languages, active)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [fields.displayName, fields.kind, fields.partnerId, fields.email, fields.phone, fields.languages, fields.active],
    );
    return rows[0].id;
  }

  /** Writes the fields and bumps the version, only if the version is still `version`. */
  async update(m: EntityManager, id: string, version: number, fields: TutorFields): Promise<boolean> {
    // For UPDATE and DELETE, TypeORM's query() answers [rows, rowCount].
    const [, count]: [unknown[], number] = await m.query(
      `UPDATE tutors SET display_name = $3, kind = $4, partner_id = $5, email = $6, phone = $7, languages = $8, active = $9,
              version = version + 1, updated_at = now()
       WHERE id = $1 AND version = $2`,
      [id, version, fields.displayName, fields.kind, fields.partnerId, fields.email, fields.phone, fields.languages, fields.active],
    );
    return count > 0;
  }

  /** Makes the tutor's branches exactly `locationIds`; rules at removed branches go with them. */
  async setLocations(m: EntityManager, tutorId: string, locationIds: string[]): Promise<void> {
    await m.query(`DELETE FROM tutor_locations WHERE tutor_id = $1 AND NOT (location_id = ANY($2::uuid[]))`, [tutorId, locationIds]);
    await m.query(
      `INSERT INTO tutor_locations (tutor_id, location_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`,
      [tutorId, locationIds],
    );
  }

  async setTopics(m: EntityManager, tutorId: string, topicIds: string[]): Promise<void> {
    await m.query(`DELETE FROM tutor_topics WHERE tutor_id = $1 AND NOT (topic_id = ANY($2::uuid[]))`, [tutorId, topicIds]);
    await m.query(`INSERT INTO tutor_topics (tutor_id, topic_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`, [tutorId, topicIds]);
  }

  /** The ids among `ids` that name a location. */
  async existingLocations(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows: { id: string }[] = await this.ds.query(`SELECT id::text FROM locations WHERE id = ANY($1::uuid[])`, [ids]);
    return new Set(rows.map((r) => r.id));
  }

  async existingTutors(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows: { id: string }[] = await this.ds.query(`SELECT id::text FROM tutors WHERE id = ANY($1::uuid[])`, [ids]);
    return new Set(rows.map((r) => r.id));
  }

  /** Partners are read here as plain rows: the partners module builds on tutors, not the other way. */
  async partnerExists(id: string): Promise<boolean> {
    const rows: unknown[] = await this.ds.query(`SELECT 1 FROM partners WHERE id = $1`, [id]);
    return rows.length > 0;
  }

  async tutorIdsAt(locationIds: string[]): Promise<string[]> {
    if (locationIds.length === 0) return [];
    const rows: { tutor_id: string }[] = await this.ds.query(
      `SELECT DISTINCT tutor_id::text FROM tutor_locations WHERE location_id = ANY($1::uuid[])`,
      [locationIds],
    );
    return rows.map((r) => r.tutor_id);
  }

  async locationsOf(tutorId: string): Promise<string[]> {
    const rows: { location_id: string }[] = await this.ds.query(
      `SELECT location_id::text FROM tutor_locations WHERE tutor_id = $1 ORDER BY location_id`,
      [tutorId],
    );
    return rows.map((r) => r.location_id);
  }

  // --- availability rules ---

  /** Locks the membership row: PUTs for one tutor and branch run one at a time. */
  async lockMembership(m: EntityManager, tutorId: string, locationId: string): Promise<boolean> {
    const rows = await m.query(`SELECT 1 FROM tutor_locations WHERE tutor_id = $1 AND location_id = $2 FOR UPDATE`, [tutorId, locationId]);
    return rows.length > 0;
  }

  async rulesOf(tutorId: string, m: EntityManager = this.ds.manager): Promise<WeeklyRule[]> {
    const rows: RuleRow[] = await m.query(`${RULE_SELECT} WHERE r.tutor_id = $1 ORDER BY r.location_id, r.weekday, r.start_minute, r.valid_from`, [
      tutorId,
    ]);
    return rows.map(toWeeklyRule);
  }

  async replaceRules(m: EntityManager, tutorId: string, locationId: string, rules: WeeklyRule[]): Promise<void> {
    await m.query(`DELETE FROM availability_rules WHERE tutor_id = $1 AND location_id = $2`, [tutorId, locationId]);
    if (rules.length === 0) return;
    await m.query(
      `INSERT INTO availability_rules (tutor_id, location_id, weekday, start_minute, end_minute, session_minutes, buffer_minutes, valid_from, valid_until)
       SELECT $1, $2, * FROM unnest($3::smallint[], $4::int[], $5::int[], $6::int[], $7::int[], $8::date[], $9::date[])`,
      [
        tutorId,
        locationId,
        rules.map((r) => r.weekday),
        rules.map((r) => r.startMinute),
        rules.map((r) => r.endMinute),
        rules.map((r) => r.sessionMinutes),
        rules.map((r) => r.bufferMinutes),
        rules.map((r) => r.validFrom),
        rules.map((r) => r.validUntil),
      ],
    );
  }

  // --- absences ---

  async absences(tutorId: string, range: { from?: Date; to?: Date }, after: [string, string] | undefined, limit: number): Promise<AbsenceRecord[]> {
    const params: unknown[] = [tutorId];
    const where = ['tutor_id = $1'];
    if (range.from) where.push(`ends_at > $${params.push(range.from)}`);
    if (range.to) where.push(`starts_at < $${params.push(range.to)}`);
    if (after) where.push(`(starts_at, id) > ($${params.push(after[0])}::timestamptz, $${params.push(after[1])}::uuid)`);
    const rows = await this.ds.query(
      `SELECT id, tutor_id, starts_at, ends_at, reason FROM tutor_absences WHERE ${where.join(' AND ')}
       ORDER BY starts_at, id LIMIT $${params.push(limit)}`,
      params,
    );
    return rows.map(toAbsence);
  }

  async absence(tutorId: string, id: string): Promise<AbsenceRecord | undefined> {
    const rows = await this.ds.query(`SELECT id, tutor_id, starts_at, ends_at, reason FROM tutor_absences WHERE tutor_id = $1 AND id = $2`, [
      tutorId,
      id,
    ]);
    return rows[0] && toAbsence(rows[0]);
  }

  async insertAbsence(a: Omit<AbsenceRecord, 'id'> & { createdBy: string }, m: EntityManager = this.ds.manager): Promise<AbsenceRecord> {
    const rows = await m.query(
      `INSERT INTO tutor_absences (tutor_id, starts_at, ends_at, reason, created_by) VALUES ($1, $2, $3, $4, $5)
       RETURNING id, tutor_id, starts_at, ends_at, reason`,
      [a.tutorId, a.startsAt, a.endsAt, a.reason, a.createdBy],
    );
    return toAbsence(rows[0]);
  }

  async deleteAbsence(tutorId: string, id: string): Promise<boolean> {
    const [, count]: [unknown[], number] = await this.ds.query(`DELETE FROM tutor_absences WHERE tutor_id = $1 AND id = $2`, [tutorId, id]);
    return count > 0;
  }

  // --- set-based reads for the slot search ---

  /**
   * Active tutors working at active branches that match the filter, with the matching branch ids.
   * Starts from tutor_locations(location_id) or locations(municipality_code), so a search in one
   * municipality touches that municipality's rows only.
   */
  async searchTutors(f: SearchFilter): Promise<{ id: string; displayName: string; kind: TutorKind; partnerId: string | null; languages: string[]; locationIds: string[] }[]> {
    const params: unknown[] = [];
    const p = (value: unknown) => `$${params.push(value)}`;
    const where = ['t.active', 'l.active'];
    if (f.locationIds) where.push(`tl.location_id = ANY(${p(f.locationIds)}::uuid[])`);
    if (f.municipality) where.push(`l.municipality_code = ${p(f.municipality)}`);
    if (f.tutorIds) where.push(`t.id = ANY(${p(f.tutorIds)}::uuid[])`);
    if (f.kinds) where.push(`t.kind = ANY(${p(f.kinds)}::text[])`);
    if (f.language) where.push(`t.languages @> ARRAY[${p(f.language)}::text]`);
    if (f.topic) {
      where.push(`EXISTS (SELECT 1 FROM tutor_topics st JOIN topics sp ON sp.id = st.topic_id
                          WHERE st.tutor_id = t.id AND sp.slug = ${p(f.topic)} AND sp.active)`);
    }
    const rows: { id: string; display_name: string; kind: TutorKind; partner_id: string | null; languages: string[]; location_ids: string[] }[] =
      await this.ds.query(
        `SELECT t.id, t.display_name, t.kind, t.partner_id, t.languages, array_agg(tl.location_id::text ORDER BY tl.location_id) AS location_ids
         FROM tutor_locations tl
         JOIN locations l ON l.id = tl.location_id
         JOIN tutors t ON t.id = tl.tutor_id
         WHERE ${where.join(' AND ')}
         GROUP BY t.id
         ORDER BY t.id`,
        params,
      );
    return rows.map((r) => ({ id: r.id, displayName: r.display_name, kind: r.kind, partnerId: r.partner_id, languages: r.languages, locationIds: r.location_ids }));
  }

  /** Active topic slugs of each tutor, in catalogue order. */
  async activeTopicsOf(tutorIds: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (tutorIds.length === 0) return out;
    const rows: { tutor_id: string; slug: string }[] = await this.ds.query(
      `SELECT tt.tutor_id::text, tp.slug FROM tutor_topics tt JOIN topics tp ON tp.id = tt.topic_id
       WHERE tt.tutor_id = ANY($1::uuid[]) AND tp.active ORDER BY tt.tutor_id, tp.sort_order, tp.slug`,
      [tutorIds],
    );
    for (const r of rows) out.set(r.tutor_id, [...(out.get(r.tutor_id) ?? []), r.slug]);
    return out;
  }

  /** Rules of the given (tutor, branch) pairs, optionally only those valid on some day of [fromDate, toDate]. */
  async rulesOfPairs(pairs: { tutorId: string; locationId: string }[], dates?: { from: string; to: string }): Promise<(WeeklyRule & { tutorId: string })[]> {
    if (pairs.length === 0) return [];
    const params: unknown[] = [pairs.map((x) => x.tutorId), pairs.map((x) => x.locationId)];
    let validity = '';
    if (dates) {
      params.push(dates.from, dates.to);
      validity = `AND daterange(r.valid_from, r.valid_until, '[]') && daterange($3::date, $4::date, '[]')`;
    }
    const rows: RuleRow[] = await this.ds.query(
      `${RULE_SELECT}
       JOIN unnest($1::uuid[], $2::uuid[]) AS p(tutor_id, location_id) ON p.tutor_id = r.tutor_id AND p.location_id = r.location_id
       WHERE true ${validity}
       ORDER BY r.tutor_id, r.location_id, r.weekday, r.start_minute`,
      params,
    );
    return rows.map((r) => ({ ...toWeeklyRule(r), tutorId: r.tutor_id }));
  }

  /** Absences of these tutors that overlap [from, to). */
  async absencesOverlapping(tutorIds: string[], from: Date, to: Date): Promise<AbsenceRecord[]> {
    if (tutorIds.length === 0) return [];
    const rows = await this.ds.query(
      `SELECT id, tutor_id, starts_at, ends_at, reason FROM tutor_absences
       WHERE tutor_id = ANY($1::uuid[]) AND tstzrange(starts_at, ends_at) && tstzrange($2, $3)
       ORDER BY tutor_id, starts_at`,
      [tutorIds, from, to],
    );
    return rows.map(toAbsence);
  }
}
