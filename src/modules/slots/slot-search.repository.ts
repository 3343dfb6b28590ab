import { Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * SQL of the slot search. It reads the locations and tutors tables directly, in one statement,
 * to build the in-memory search inputs (see search-snapshot.ts), and then per search one
 * statement with the bookings and absences of the tutors concerned plus the inputs' version
 * (raised at commit by the triggers of migration SearchIndexes1763900005000), so a search knows
 * in the same snapshot whether its inputs are still current. Which rows count is what
 * TutorsService.loadForSearch and LocationsService.openIntervals read.
 */

/** [id, displayName, kind, languages, active topic slugs in catalogue order] */
export type TutorTuple = [string, string, string, string[], string[]];
/** [validFrom, validUntil, [[weekday, startMinute, endMinute]]] in position order */
export type PeriodTuple = [string | null, string | null, [number, number, number][]];
/** [date, hours as [["HH:mm","HH:mm"]], reason] */
export type ExceptionTuple = [string, [string, string][], unknown];
/** [slug, name, address, cancelUntilMinutesBefore, maxActiveBookingsPerContact, shareContactWithPartners] */
export type LocationInfoTuple = [string, { fi: string; sv: string; en: string }, { street: string; postalCode: string; city: string }, number, number, boolean];
/** [id, municipality, timezone, minNoticeMinutes, maxDaysAhead, periods, exceptions, closures [[startMs, endMs]], info] */
export type LocationTuple = [string, string, string, number, number, PeriodTuple[], ExceptionTuple[], [number, number][], LocationInfoTuple];
/** [id, slug] of an active topic */
export type TopicTuple = [string, string];
/** [tutorId, locationId, weekday, startMinute, endMinute, sessionMinutes, bufferMinutes, validFrom, validUntil] */
export type RuleTuple = [string, string, number, number, number, number, number, string, string | null];
/**
 * An approved bookable claim of an active partner at an active branch: [id, partnerId,
 * locationId, roomId, startMs, endMs, sessionMinutes, bufferMinutes, languages, active topic slugs
 * in catalogue order, ids of its active advisors]
 */
export type ClaimTuple = [string, string, string, string | null, number, number, number, number, string[], string[], string[]];
/** [id, name {fi, sv, en}] of an active partner */
export type PartnerTuple = [string, { fi: string; sv: string; en: string }];
/** [tutorId, startMs, endMs] */
export type BusyTuple = [string, number, number];

export interface SearchInputs {
  version: string;
  tutors: TutorTuple[];
  locations: LocationTuple[];
  rules: RuleTuple[];
  topics: TopicTuple[];
  claims: ClaimTuple[];
  partners: PartnerTuple[];
}

/**
 * What keeps a search's tutors busy: `spans[i]` holds the i-th tutor's bookings and absences as
 * [start, end, start, end, …] (epoch ms; undefined when it has none), read with the inputs' version.
 */
export interface TakenSpans {
  version: string;
  spans: (number[] | undefined)[];
}

export interface BusyInputs {
  version: string;
  bookings: BusyTuple[];
  absences: BusyTuple[];
}

/**
 * Epoch milliseconds of a timestamptz. date_part's float8 is used because extract() computes in
 * numeric, several times slower per row; both give the same integer for any time to the millisecond.
 */
const MS = (x: string) => `(date_part('epoch', ${x}) * 1000)::bigint`;

const INPUTS_SQL = `
SELECT v.version::text AS version,
  (SELECT coalesce(json_agg(json_build_array(t.id, t.display_name, t.kind, t.languages,
            (SELECT coalesce(json_agg(tp.slug ORDER BY tp.sort_order, tp.slug), '[]'::json)
               FROM tutor_topics tt JOIN topics tp ON tp.id = tt.topic_id WHERE tt.tutor_id = t.id AND tp.active))), '[]'::json)
     FROM tutors t WHERE t.active) AS tutors,
  (SELECT coalesce(json_agg(json_build_array(l.id, l.municipality_code, l.timezone, l.min_notice_minutes, l.max_days_ahead,
            (SELECT coalesce(json_agg(json_build_array(p.valid_from, p.valid_until,
                      (SELECT coalesce(json_agg(json_build_array(i.weekday, i.start_minute, i.end_minute) ORDER BY i.weekday, i.start_minute), '[]'::json)
                         FROM location_hour_intervals i WHERE i.period_id = p.id)) ORDER BY p.position), '[]'::json)
               FROM location_hour_periods p WHERE p.location_id = l.id AND (p.valid_until IS NULL OR p.valid_until >= current_date - 2)),
            (SELECT coalesce(json_agg(json_build_array(x.date, x.hours, x.reason) ORDER BY x.date), '[]'::json)
               FROM location_exceptions x WHERE x.location_id = l.id AND x.date >= current_date - 2),
            (SELECT coalesce(json_agg(json_build_array(${MS('lower(c.during)')}, ${MS('upper(c.during)')}) ORDER BY lower(c.during)), '[]'::json)
               FROM location_closures c WHERE c.location_id = l.id AND upper(c.during) > now() - interval '2 days'),
            json_build_array(l.slug, l.name, l.address, l.cancel_until_minutes_before, l.max_active_bookings_per_contact,
                             l.share_contact_with_partners))), '[]'::json)
     FROM locations l WHERE l.active) AS locations,
  (SELECT coalesce(json_agg(json_build_array(r.tutor_id, r.location_id, r.weekday, r.start_minute, r.end_minute,
                                             r.session_minutes, r.buffer_minutes, r.valid_from, r.valid_until)), '[]'::json)
     FROM availability_rules r
     JOIN tutors t ON t.id = r.tutor_id AND t.active
     JOIN locations l ON l.id = r.location_id AND l.active
    WHERE r.valid_until IS NULL OR r.valid_until >= current_date - 2) AS rules,
  (SELECT coalesce(json_agg(json_build_array(tp.id, tp.slug)), '[]'::json) FROM topics tp WHERE tp.active) AS topics,
  (SELECT coalesce(json_agg(json_build_array(c.id, c.partner_id, c.location_id, c.room_id, ${MS('lower(c.during)')}, ${MS('upper(c.during)')},
            c.session_minutes, c.buffer_minutes, c.languages,
            (SELECT coalesce(json_agg(tp.slug ORDER BY tp.sort_order, tp.slug), '[]'::json)
               FROM claim_topics ct JOIN topics tp ON tp.id = ct.topic_id WHERE ct.claim_id = c.id AND tp.active),
            (SELECT coalesce(json_agg(ca.tutor_id ORDER BY ca.tutor_id), '[]'::json)
               FROM claim_advisors ca JOIN tutors t ON t.id = ca.tutor_id WHERE ca.claim_id = c.id AND t.active AND t.kind = 'advisor'))
            ORDER BY lower(c.during), c.id), '[]'::json)
     FROM claims c
     JOIN partners pa ON pa.id = c.partner_id AND pa.active
     JOIN locations l ON l.id = c.location_id AND l.active
    WHERE c.status = 'approved' AND c.mode = 'bookable' AND upper(c.during) > now() - interval '2 days') AS claims,
  (SELECT coalesce(json_agg(json_build_array(pa.id, json_build_object('fi', pa.name_fi, 'sv', pa.name_sv, 'en', pa.name_en))), '[]'::json)
     FROM partners pa WHERE pa.active) AS partners
FROM search_input_version v`;

/**
 * A search's busy statements answer by position: `taken` lists, as one JSON array of numbers,
 * [n, start, end, …] for each active booking and absence of the n-th tutor of $1 (1-based)
 * overlapping [$2, $3), start and end in milliseconds from $2. Naming tutors by position and
 * times by offset keeps the answer a few kilobytes (a whole-country search reads ≈ 700 rows):
 * PostgreSQL builds it and the app parses it in a fraction of the time uuids and epochs take.
 */
const OFFSET_MS = (x: string) => `(date_part('epoch', ${x} - $2::timestamptz) * 1000)::bigint`;
const TAKEN_JSON = `'[' || coalesce(string_agg(x.n || ',' || ${OFFSET_MS('x.lo')} || ',' || ${OFFSET_MS('x.hi')}, ','), '') || ']'`;

/** By tutor (few tutors, long ranges): one gist probe per tutor. */
const BUSY_BY_TUTOR_SQL = `
SELECT (SELECT version::text FROM search_input_version) AS version,
  (SELECT ${TAKEN_JSON}
     FROM (SELECT u.n, lower(b.during) AS lo, upper(b.during) AS hi
             FROM unnest($1::uuid[]) WITH ORDINALITY AS u(id, n)
             JOIN bookings b ON b.tutor_id = u.id AND b.during && tstzrange($2::timestamptz, $3::timestamptz) AND b.active
           UNION ALL
           SELECT u.n, a.starts_at, a.ends_at
             FROM unnest($1::uuid[]) WITH ORDINALITY AS u(id, n)
             JOIN tutor_absences a ON a.tutor_id = u.id AND tstzrange(a.starts_at, a.ends_at) && tstzrange($2::timestamptz, $3::timestamptz)) x) AS taken`;

/**
 * The same by time (many tutors, a short range): active bookings starting from four hours before
 * the range (bookings_active_start_idx), plus any longer than that (bookings_active_over_4h_idx,
 * few), and the absences, hash-joined with the tutors' list (built once, with positions). A
 * booking found by both branches is harmless.
 */
const BUSY_BY_TIME_SQL = `
WITH u AS MATERIALIZED (SELECT id, n FROM unnest($1::uuid[]) WITH ORDINALITY AS u(id, n))
SELECT (SELECT version::text FROM search_input_version) AS version,
  (SELECT ${TAKEN_JSON}
     FROM (SELECT u.n, t.lo, t.hi
             FROM (SELECT b.tutor_id, lower(b.during) AS lo, upper(b.during) AS hi FROM bookings b
                    WHERE b.active AND lower(b.during) >= $2::timestamptz - interval '4 hours'
                      AND lower(b.during) < $3::timestamptz AND b.during && tstzrange($2::timestamptz, $3::timestamptz)
                   UNION ALL
                   SELECT b.tutor_id, lower(b.during), upper(b.during) FROM bookings b
                    WHERE b.active AND upper(b.during) - lower(b.during) > interval '4 hours'
                      AND b.during && tstzrange($2::timestamptz, $3::timestamptz)
                   UNION ALL
                   SELECT a.tutor_id, a.starts_at, a.ends_at FROM tutor_absences a
                    WHERE tstzrange(a.starts_at, a.ends_at) && tstzrange($2::timestamptz, $3::timestamptz)) t
             JOIN u ON u.id = t.tutor_id) x) AS taken`;

/**
 * The booking re-check's statement: the active bookings and absences of these tutors overlapping
 * the range (one gist probe per tutor) but one booking (a booking being moved does not block its
 * own new time), as tuples with tutor ids and epoch ms. Run on the booking transaction's connection.
 */
const BUSY_FOR_BOOKING_SQL = `
SELECT (SELECT version::text FROM search_input_version) AS version,
  (SELECT coalesce(json_agg(json_build_array(b.tutor_id, ${MS('lower(b.during)')}, ${MS('upper(b.during)')})), '[]'::json)
     FROM unnest($1::uuid[]) AS u(id)
     JOIN bookings b ON b.tutor_id = u.id AND b.during && tstzrange($2::timestamptz, $3::timestamptz)
                    AND b.active AND ($4::uuid IS NULL OR b.id <> $4::uuid)) AS bookings,
  (SELECT coalesce(json_agg(json_build_array(a.tutor_id, ${MS('a.starts_at')}, ${MS('a.ends_at')})), '[]'::json)
     FROM unnest($1::uuid[]) AS u(id)
     JOIN tutor_absences a ON a.tutor_id = u.id AND tstzrange(a.starts_at, a.ends_at) && tstzrange($2::timestamptz, $3::timestamptz)) AS absences`;

/**
 * Ids (UUIDs: hex digits and hyphens only, nothing to quote) as a PostgreSQL array literal: the
 * driver would otherwise quote and escape them one by one, hundreds per search.
 */
function uuidArrayLiteral(ids: string[]): string {
  return `{${ids.join(',')}}`;
}

/** The statements' [n, start, end, …] (offsets from `from`) by tutor position; empty spans are left out. */
function spansByPosition(taken: number[], tutors: number, from: number): (number[] | undefined)[] {
  const spans: (number[] | undefined)[] = new Array(tutors);
  for (let i = 0; i + 2 < taken.length; i += 3) {
    const start = from + taken[i + 1];
    const end = from + taken[i + 2];
    if (!(start < end)) continue;
    const list = spans[taken[i] - 1];
    if (list) list.push(start, end);
    else spans[taken[i] - 1] = [start, end];
  }
  return spans;
}

/** Above this many tutors over at most this long a range, reading by time is cheaper. */
const BY_TIME_MIN_TUTORS = 64;
const BY_TIME_MAX_RANGE_MS = 3 * 86_400_000;

@Injectable()
export class SlotSearchRepository {
  constructor(private readonly db: DataSource) {}

  /** Every active branch with its schedule, active tutor and current rule, with their version. */
  async inputs(manager?: EntityManager): Promise<SearchInputs> {
    const [row] = await (manager ?? this.db).query(INPUTS_SQL);
    return row as SearchInputs;
  }

  /** The inputs' current version. */
  async version(): Promise<string> {
    const [row] = await this.db.query(`SELECT version::text AS version FROM search_input_version`);
    return (row as { version: string }).version;
  }

  /**
   * What keeps each of these tutors busy in [from, to) (active bookings and absences), by the
   * tutor's position in `tutorIds`, with the inputs' version.
   */
  async busy(tutorIds: string[], from: number, to: number): Promise<TakenSpans> {
    const byTime = tutorIds.length >= BY_TIME_MIN_TUTORS && to - from <= BY_TIME_MAX_RANGE_MS;
    const row = await this.prepared<{ version: string; taken: string | null }>(
      byTime ? 'slot_search_taken_by_time' : 'slot_search_taken_by_tutor',
      byTime ? BUSY_BY_TIME_SQL : BUSY_BY_TUTOR_SQL,
      [uuidArrayLiteral(tutorIds), new Date(from).toISOString(), new Date(to).toISOString()],
    );
    return { version: row.version, spans: spansByPosition(JSON.parse(row.taken ?? '[]') as number[], tutorIds.length, from) };
  }

  /**
   * Active bookings (but `excludeBookingId`) and absences of these tutors overlapping [from, to),
   * with the inputs' version: on the transaction's connection when `manager` is given (in its
   * snapshot, seeing its own writes), else on the pool.
   */
  async busyForBooking(manager: EntityManager | undefined, tutorIds: string[], from: number, to: number, excludeBookingId?: string): Promise<BusyInputs> {
    const values = [tutorIds, new Date(from), new Date(to), excludeBookingId ?? null];
    if (!manager) return this.prepared<BusyInputs>('booking_recheck_busy', BUSY_FOR_BOOKING_SQL, values);
    const [row] = await manager.query(BUSY_FOR_BOOKING_SQL, values);
    return row as BusyInputs;
  }

  /**
   * The hot statement of every search, as a named prepared statement on the driver's pool: each
   * connection parses and plans it once instead of on every search (TypeORM's query() cannot
   * name statements).
   */
  private async prepared<T>(name: string, text: string, values: unknown[]): Promise<T> {
    const pool = (this.db.driver as PostgresDriver).master as Pool;
    const result = await pool.query({ name, text, values });
    return result.rows[0] as T;
  }
}
