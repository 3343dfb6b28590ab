import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { ClosureSpan, DateException, LocalizedText, WeeklyPeriod } from './opening-hours/types';
import { toDateException } from './opening-hours/date-exception';
import type { Address, LocalizedName } from './location-names';

/** A location row with its municipality's names. */
export interface LocationRow {
  id: string;
  slug: string;
  name: LocalizedName;
  municipality_code: string;
  municipality_fi: string;
  municipality_sv: string;
  address: Address;
  timezone: string;
  accessibility: Partial<LocalizedName> | null;
  active: boolean;
  min_notice_minutes: number;
  max_days_ahead: number;
  cancel_until_minutes_before: number;
  max_active_bookings_per_contact: number;
  share_contact_with_partners: boolean;
  reminders: Reminder[];
  version: number;
}

/** A reminder the branch sends before each booking (policy.reminders). */
export interface Reminder {
  hoursBefore: number;
  channel: 'email' | 'sms';
}

/** The reminders a branch sends unless its policy says otherwise (the column's default too). */
export const DEFAULT_REMINDERS: Reminder[] = [
  { hoursBefore: 24, channel: 'email' },
  { hoursBefore: 2, channel: 'sms' },
];

export interface LocationWrite {
  slug: string;
  name: LocalizedName;
  municipalityCode: string;
  address: Address;
  timezone: string;
  accessibility: Partial<LocalizedName> | null;
  active: boolean;
  minNoticeMinutes: number;
  maxDaysAhead: number;
  cancelUntilMinutesBefore: number;
  maxActiveBookingsPerContact: number;
  shareContactWithPartners: boolean;
  /** Undefined: unchanged on update, the default on insert. */
  reminders?: Reminder[];
}

export interface ClosureRow {
  id: string;
  location_id: string;
  start: Date;
  end: Date;
  reason: string | null;
}

export interface ExceptionRow {
  location_id: string;
  date: string;
  hours: [string, string][];
  reason: LocalizedText | string | null;
}

export interface RoomRow {
  id: string;
  location_id: string;
  name: string;
  capacity: number;
}

/** Everything that decides opening hours, for many locations at once. */
export interface ScheduleData {
  periods: Map<string, WeeklyPeriod[]>;
  exceptions: Map<string, DateException[]>;
  closures: Map<string, ClosureSpan[]>;
}

const LOCATION_SELECT = `
  SELECT l.id, l.slug, l.name, l.municipality_code, m.name_fi AS municipality_fi, m.name_sv AS municipality_sv,
         l.address, l.timezone, l.accessibility, l.active, l.min_notice_minutes, l.max_days_ahead,
         l.cancel_until_minutes_before, l.max_active_bookings_per_contact, l.share_contact_with_partners, l.reminders, l.version
    FROM locations l JOIN municipalities m ON m.code = l.municipality_code`;

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** An approved drop-in claim of a partner at a branch (the claims module's tables, read for the opening hours). */
export interface DropInRow {
  claim_id: string;
  partner_id: string;
  partner_name: LocalizedText;
  start: Date;
  end: Date;
  topics: string[];
  languages: string[];
  room_id: string | null;
}

/** SQL of the locations module. Holds no rules: those live in the services. */
@Injectable()
export class LocationsRepository {
  constructor(private readonly db: DataSource) {}

  /** Approved drop-in claims at the branch starting in [from, to), by start, with their partner's name and active topic slugs. */
  async dropIns(locationId: string, from: Date, to: Date): Promise<DropInRow[]> {
    return this.db.query(
      `SELECT c.id AS claim_id, c.partner_id, json_build_object('fi', pa.name_fi, 'sv', pa.name_sv, 'en', pa.name_en) AS partner_name,
              lower(c.during) AS start, upper(c.during) AS "end", c.languages, c.room_id,
              (SELECT coalesce(json_agg(tp.slug ORDER BY tp.sort_order, tp.slug), '[]'::json)
                 FROM claim_topics ct JOIN topics tp ON tp.id = ct.topic_id WHERE ct.claim_id = c.id AND tp.active) AS topics
       FROM claims c JOIN partners pa ON pa.id = c.partner_id
       WHERE c.location_id = $1 AND c.status = 'approved' AND c.mode = 'drop-in'
         AND lower(c.during) >= $2 AND lower(c.during) < $3
       ORDER BY lower(c.during), c.id`,
      [locationId, from, to],
    );
  }

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  private q(m?: EntityManager) {
    return m ?? this.db.manager;
  }

  /**
   * Runs `DELETE … RETURNING` and tells whether a row went. (TypeORM's query() answers DELETE and
   * UPDATE with [rows, count], so the statement is wrapped to read as a plain SELECT.)
   */
  private async deleted(sql: string, params: unknown[]): Promise<boolean> {
    const rows: { n: number }[] = await this.db.query(`WITH gone AS (${sql}) SELECT count(*)::int AS n FROM gone`, params);
    return rows[0].n > 0;
  }

  /**
   * `lock` serialises the location's writers until the transaction ends. NO KEY UPDATE, so a
   * booking inserted at the branch meanwhile (its foreign key takes KEY SHARE) does not wait for
   * it: a schedule change waits for such bookings at the guard lock, and they must not wait back.
   */
  async findById(id: string, m?: EntityManager, lock = false): Promise<LocationRow | undefined> {
    const rows: LocationRow[] = await this.q(m).query(`${LOCATION_SELECT} WHERE l.id = $1${lock ? ' FOR NO KEY UPDATE OF l' : ''}`, [id]);
    return rows[0];
  }

  async findByIds(ids: readonly string[]): Promise<LocationRow[]> {
    if (ids.length === 0) return [];
    return this.db.query(`${LOCATION_SELECT} WHERE l.id = ANY($1::uuid[])`, [ids]);
  }

  /** Locations by slug after the cursor; `limit + 1` rows so the caller can tell if more follow. */
  async list(f: { municipality?: string; q?: string; includeInactive: boolean; after?: string; limit: number }): Promise<LocationRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    /** Adds a parameter and returns its placeholder. */
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (!f.includeInactive) where.push('l.active');
    if (f.municipality) where.push(`l.municipality_code = ${param(f.municipality)}`);
    if (f.after !== undefined) where.push(`l.slug > ${param(f.after)}`);
    for (const word of (f.q ?? '').split(/\s+/).filter(Boolean).slice(0, 5)) {
      const p = param(`%${escapeLike(word)}%`);
      where.push(
        `(l.name->>'fi' ILIKE ${p} OR l.name->>'sv' ILIKE ${p} OR l.name->>'en' ILIKE ${p} OR l.slug ILIKE ${p} OR l.address->>'city' ILIKE ${p})`,
      );
    }
    params.push(f.limit + 1);
    return this.db.query(
      `${LOCATION_SELECT} ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY l.slug LIMIT $${params.length}`,
      params,
    );
  }

  async slugTaken(slug: string, exceptId?: string): Promise<boolean> {
    const rows = await this.db.query(`SELECT 1 FROM locations WHERE slug = $1 AND id IS DISTINCT FROM $2::uuid`, [slug, exceptId ?? null]);
    return rows.length > 0;
  }

  async municipalityExists(code: string): Promise<boolean> {
    const rows = await this.db.query(`SELECT 1 FROM municipalities WHERE code = $1`, [code]);
    return rows.length > 0;
  }

  listMunicipalities(): Promise<{ code: string; name_fi: string; name_sv: string }[]> {
    return this.db.query(`SELECT code, name_fi, name_sv FROM municipalities ORDER BY code`);
  }

  async insert(w: LocationWrite): Promise<string> {
    const [{ id }] = await this.db.query(
      `INSERT INTO locations (slug, name, municipality_code, address, timezone, accessibility, active, min_notice_minutes,
         max_days_ahead, cancel_until_minutes_before, max_active_bookings_per_contact, share_contact_with_partners, reminders)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
      [
        w.slug,
        JSON.stringify(w.name),
        w.municipalityCode,
        JSON.stringify(w.address),
        w.timezone,
        w.accessibility === null ? null : JSON.stringify(w.accessibility),
        w.active,
        w.minNoticeMinutes,
        w.maxDaysAhead,
        w.cancelUntilMinutesBefore,
        w.maxActiveBookingsPerContact,
        w.shareContactWithPartners,
        JSON.stringify(w.reminders ?? DEFAULT_REMINDERS),
      ],
    );
    return id;
  }

  /** Writes all fields if the row still has `version`; false when someone else got there first. */
  async update(id: string, version: number, w: LocationWrite, m?: EntityManager): Promise<boolean> {
    const rows: { n: number }[] = await this.q(m).query(
      `WITH changed AS (UPDATE locations SET slug = $3, name = $4, municipality_code = $5, address = $6, timezone = $7, accessibility = $8,
         active = $9, min_notice_minutes = $10, max_days_ahead = $11, cancel_until_minutes_before = $12,
         max_active_bookings_per_contact = $13, share_contact_with_partners = $14, reminders = COALESCE($15::jsonb, reminders), version = version + 1, updated_at = now()
       WHERE id = $1 AND version = $2 RETURNING id)
       SELECT count(*)::int AS n FROM changed`,
      [
        id,
        version,
        w.slug,
        JSON.stringify(w.name),
        w.municipalityCode,
        JSON.stringify(w.address),
        w.timezone,
        w.accessibility === null ? null : JSON.stringify(w.accessibility),
        w.active,
        w.minNoticeMinutes,
        w.maxDaysAhead,
        w.cancelUntilMinutesBefore,
        w.maxActiveBookingsPerContact,
        w.shareContactWithPartners,
        w.reminders === undefined ? null : JSON.stringify(w.reminders),
      ],
    );
    return rows[0].n > 0;
  }

  // ---- weekly hours ----

  /** Periods of the locations, touching [from, to] when given (dates inclusive), in order. */
  async periods(ids: readonly string[], from?: string, to?: string, m?: EntityManager): Promise<Map<string, WeeklyPeriod[]>> {
    const out = new Map<string, WeeklyPeriod[]>();
    if (ids.length === 0) return out;
    const rows: { location_id: string; id: string; valid_from: string | null; valid_until: string | null; weekday: number | null; start_minute: number | null; end_minute: number | null }[] =
      await this.q(m).query(
        `SELECT p.location_id, p.id, p.valid_from::text AS valid_from, p.valid_until::text AS valid_until,
                i.weekday, i.start_minute, i.end_minute
           FROM location_hour_periods p LEFT JOIN location_hour_intervals i ON i.period_id = p.id
          WHERE p.location_id = ANY($1::uuid[])
            AND ($2::date IS NULL OR p.valid_until IS NULL OR p.valid_until >= $2::date)
            AND ($3::date IS NULL OR p.valid_from IS NULL OR p.valid_from <= $3::date)
          ORDER BY p.location_id, p.position, i.weekday, i.start_minute`,
        [ids, from ?? null, to ?? null],
      );
    const byId = new Map<string, WeeklyPeriod>();
    for (const r of rows) {
      let period = byId.get(r.id);
      if (!period) {
        period = { validFrom: r.valid_from, validUntil: r.valid_until, days: {} };
        byId.set(r.id, period);
        push(out, r.location_id, period);
      }
      if (r.weekday !== null && r.start_minute !== null && r.end_minute !== null) {
        (period.days[r.weekday] ??= []).push([r.start_minute, r.end_minute]);
      }
    }
    return out;
  }

  async replacePeriods(m: EntityManager, locationId: string, periods: readonly WeeklyPeriod[]): Promise<void> {
    await m.query(`DELETE FROM location_hour_periods WHERE location_id = $1`, [locationId]);
    if (periods.length === 0) return;
    const ids: { id: string }[] = await m.query(
      `INSERT INTO location_hour_periods (location_id, position, valid_from, valid_until)
       SELECT $1, ord - 1, f, u FROM unnest($2::date[], $3::date[]) WITH ORDINALITY AS t(f, u, ord) ORDER BY ord RETURNING id`,
      [locationId, periods.map((p) => p.validFrom), periods.map((p) => p.validUntil)],
    );
    const periodIds: string[] = [];
    const weekdays: number[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    periods.forEach((p, index) => {
      for (const [weekday, intervals] of Object.entries(p.days)) {
        for (const [s, e] of intervals ?? []) {
          periodIds.push(ids[index].id);
          weekdays.push(Number(weekday));
          starts.push(s);
          ends.push(e);
        }
      }
    });
    if (periodIds.length === 0) return;
    await m.query(
      `INSERT INTO location_hour_intervals (period_id, weekday, start_minute, end_minute)
       SELECT * FROM unnest($1::uuid[], $2::smallint[], $3::int[], $4::int[])`,
      [periodIds, weekdays, starts, ends],
    );
  }

  // ---- exceptions ----

  async exceptions(ids: readonly string[], from: string | null, to: string | null, after?: string, limit?: number, m?: EntityManager): Promise<ExceptionRow[]> {
    if (ids.length === 0) return [];
    return this.q(m).query(
      `SELECT location_id, date::text AS date, hours, reason FROM location_exceptions
        WHERE location_id = ANY($1::uuid[]) AND ($2::date IS NULL OR date >= $2::date) AND ($3::date IS NULL OR date <= $3::date)
          AND ($4::date IS NULL OR date > $4::date)
        ORDER BY location_id, date LIMIT $5`,
      [ids, from, to, after ?? null, limit ?? null],
    );
  }

  async upsertException(m: EntityManager, locationId: string, e: { date: string; hours: [string, string][]; reason: LocalizedText | string | null }): Promise<void> {
    await m.query(
      `INSERT INTO location_exceptions (location_id, date, hours, reason) VALUES ($1, $2, $3, $4)
       ON CONFLICT (location_id, date) DO UPDATE SET hours = EXCLUDED.hours, reason = EXCLUDED.reason, updated_at = now()`,
      [locationId, e.date, JSON.stringify(e.hours), e.reason === null ? null : JSON.stringify(e.reason)],
    );
  }

  async deleteException(m: EntityManager, locationId: string, date: string): Promise<void> {
    await m.query(`DELETE FROM location_exceptions WHERE location_id = $1 AND date = $2`, [locationId, date]);
  }

  // ---- closures ----

  async closures(ids: readonly string[], from: Date | null, to: Date | null, after?: { start: Date; id: string }, limit?: number, m?: EntityManager): Promise<ClosureRow[]> {
    if (ids.length === 0) return [];
    return this.q(m).query(
      `SELECT id, location_id, lower(during) AS start, upper(during) AS "end", reason FROM location_closures
        WHERE location_id = ANY($1::uuid[]) AND during && tstzrange($2::timestamptz, $3::timestamptz, '[)')
          AND ($4::timestamptz IS NULL OR (lower(during), id) > ($4::timestamptz, $5::uuid))
        ORDER BY lower(during), id LIMIT $6`,
      [ids, from, to, after?.start ?? null, after?.id ?? null, limit ?? null],
    );
  }

  async findClosure(locationId: string, id: string, m: EntityManager = this.db.manager): Promise<ClosureRow | undefined> {
    const rows: ClosureRow[] = await m.query(
      `SELECT id, location_id, lower(during) AS start, upper(during) AS "end", reason FROM location_closures WHERE id = $1 AND location_id = $2`,
      [id, locationId],
    );
    return rows[0];
  }

  async insertClosure(locationId: string, start: Date, end: Date, reason: string | null, createdBy: string, m: EntityManager = this.db.manager): Promise<string> {
    const [{ id }] = await m.query(
      `INSERT INTO location_closures (location_id, during, reason, created_by) VALUES ($1, tstzrange($2, $3, '[)'), $4, $5) RETURNING id`,
      [locationId, start, end, reason, createdBy],
    );
    return id;
  }

  async deleteClosure(locationId: string, id: string): Promise<boolean> {
    return this.deleted(`DELETE FROM location_closures WHERE id = $1 AND location_id = $2 RETURNING id`, [id, locationId]);
  }

  /** Periods, exceptions and closures of many locations in three queries (in `m`'s transaction when given). */
  async schedules(ids: readonly string[], fromDate: string, toDate: string, from: Date, to: Date, m?: EntityManager): Promise<ScheduleData> {
    const read = async () =>
      m
        ? // one transaction's connection runs one query at a time
          [await this.periods(ids, fromDate, toDate, m), await this.exceptions(ids, fromDate, toDate, undefined, undefined, m), await this.closures(ids, from, to, undefined, undefined, m)] as const
        : Promise.all([this.periods(ids, fromDate, toDate), this.exceptions(ids, fromDate, toDate), this.closures(ids, from, to)]);
    const [periods, exceptionRows, closureRows] = await read();
    const exceptions = new Map<string, DateException[]>();
    for (const e of exceptionRows) push(exceptions, e.location_id, toDateException(e));
    const closures = new Map<string, ClosureSpan[]>();
    for (const c of closureRows) push(closures, c.location_id, { start: c.start.getTime(), end: c.end.getTime(), reason: c.reason });
    return { periods, exceptions, closures };
  }

  // ---- rooms ----

  rooms(locationId: string): Promise<RoomRow[]> {
    return this.db.query(`SELECT id, location_id, name, capacity FROM location_rooms WHERE location_id = $1 ORDER BY lower(name), id`, [locationId]);
  }

  async findRoom(locationId: string, id: string): Promise<RoomRow | undefined> {
    const rows: RoomRow[] = await this.db.query(`SELECT id, location_id, name, capacity FROM location_rooms WHERE id = $1 AND location_id = $2`, [id, locationId]);
    return rows[0];
  }

  async insertRoom(locationId: string, name: string, capacity: number): Promise<RoomRow> {
    const rows: RoomRow[] = await this.db.query(
      `INSERT INTO location_rooms (location_id, name, capacity) VALUES ($1, $2, $3) RETURNING id, location_id, name, capacity`,
      [locationId, name, capacity],
    );
    return rows[0];
  }

  async roomNameTaken(locationId: string, name: string): Promise<boolean> {
    const rows = await this.db.query(`SELECT 1 FROM location_rooms WHERE location_id = $1 AND lower(name) = lower($2)`, [locationId, name]);
    return rows.length > 0;
  }

  async deleteRoom(locationId: string, id: string): Promise<boolean> {
    return this.deleted(`DELETE FROM location_rooms WHERE id = $1 AND location_id = $2 RETURNING id`, [id, locationId]);
  }
}
