import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * SQL of the slot search. Reads the tutors, locations and bookings tables directly, in ONE
 * statement per time window, so a search costs one round trip per window instead of one per
 * input (tutors, topics, rules, locations, hours, exceptions, closures, absences, bookings).
 * Which tutors and rules count is the same as TutorsService.loadForSearch (active tutor of the
 * given kinds at an active location, language and active topic filters); opening hours are
 * resolved from the same rows LocationsService.openIntervals reads.
 */

export interface SearchScope {
  kinds: string[];
  locationIds?: string[];
  municipality?: string;
  language?: string;
  topic?: string;
}

export interface WindowQuery extends SearchScope {
  /** Slot starts of interest: [from, to). */
  from: number;
  to: number;
  /** Inputs (openings, absences, bookings) are loaded up to here (to + the longest session). */
  loadTo: number;
  now: number;
  /** Only rules whose local time could give a start in [from, to) (for windows under a few days). */
  narrow: boolean;
  /** Local dates (YYYY-MM-DD) covering the window in every zone, for validity and schedules. */
  fromDate: string;
  toDate: string;
}

/** [tutorId, locationId, weekday, startMinute, endMinute, sessionMinutes, bufferMinutes, validFrom, validUntil] */
export type RuleTuple = [string, string, number, number, number, number, number, string, string | null];
/** [id, displayName, languages, active topic slugs in catalogue order] */
export type TutorTuple = [string, string, string[], string[]];
/** [validFrom, validUntil, [[weekday, startMinute, endMinute]]] in position order */
export type PeriodTuple = [string | null, string | null, [number, number, number][]];
/** [date, hours as [["HH:mm","HH:mm"]], reason] */
export type ExceptionTuple = [string, [string, string][], unknown];
/** [id, timezone, minNoticeMinutes, maxDaysAhead, periods, exceptions, closures [[startMs, endMs]]] */
export type LocationTuple = [string, string, number, number, PeriodTuple[], ExceptionTuple[], [number, number][]];
/** [tutorId, startMs, endMs] */
export type BusyTuple = [string, number, number];

export interface WindowInputs {
  rules: RuleTuple[];
  tutors: TutorTuple[];
  locations: LocationTuple[];
  bookings: BusyTuple[];
  absences: BusyTuple[];
}

/** A rule as the window planner sees it: where, for whom, and its weekly shape. */
export type ProfileTuple = [
  locationId: string,
  municipality: string,
  timeZone: string,
  minNoticeMinutes: number,
  kind: string,
  languages: string[],
  topics: string[],
  weekday: number,
  startMinute: number,
  endMinute: number,
  sessionMinutes: number,
  bufferMinutes: number,
];

const MS = (x: string) => `(extract(epoch FROM ${x}) * 1000)::bigint`;

const WINDOW_SQL = `
WITH lw AS (
  SELECT l.id, l.timezone, l.min_notice_minutes, l.max_days_ahead,
         (greatest($6::timestamptz, $12::timestamptz + make_interval(mins => l.min_notice_minutes)) AT TIME ZONE l.timezone) - interval '1 hour' AS ls,
         ($7::timestamptz AT TIME ZONE l.timezone) + interval '1 hour' AS le
    FROM locations l
   WHERE l.active AND ($2::uuid[] IS NULL OR l.id = ANY($2::uuid[])) AND ($3::text IS NULL OR l.municipality_code = $3::text)
),
sr AS (
  SELECT r.tutor_id, r.location_id, r.weekday, r.start_minute, r.end_minute, r.session_minutes, r.buffer_minutes, r.valid_from, r.valid_until
    FROM lw
    JOIN availability_rules r ON r.location_id = lw.id
    JOIN tutors t ON t.id = r.tutor_id
   WHERE t.active AND t.kind = ANY($1::text[])
     AND ($4::text IS NULL OR t.languages @> ARRAY[$4::text])
     AND ($5::text IS NULL OR EXISTS (SELECT 1 FROM tutor_topics st JOIN topics sp ON sp.id = st.topic_id
                                       WHERE st.tutor_id = t.id AND sp.slug = $5::text AND sp.active))
     AND r.valid_from <= $10::date AND (r.valid_until IS NULL OR r.valid_until >= $9::date)
     AND (NOT $8::boolean OR EXISTS (
           -- the rule's first date on or after the window's local start (the window is under 6 days)
           SELECT 1 FROM (SELECT lw.ls::date + ((r.weekday - extract(isodow FROM lw.ls)::int + 7) % 7) AS d) o
            WHERE o.d >= r.valid_from AND (r.valid_until IS NULL OR o.d <= r.valid_until)
              AND o.d + make_interval(mins => r.start_minute) < lw.le
              AND o.d + make_interval(mins => r.end_minute - r.session_minutes) >= lw.ls))
),
tu AS (SELECT DISTINCT tutor_id FROM sr),
lo AS (SELECT DISTINCT location_id FROM sr)
SELECT
  (SELECT coalesce(json_agg(json_build_array(sr.tutor_id, sr.location_id, sr.weekday, sr.start_minute, sr.end_minute,
                                             sr.session_minutes, sr.buffer_minutes, sr.valid_from, sr.valid_until)), '[]'::json)
     FROM sr) AS rules,
  (SELECT coalesce(json_agg(json_build_array(t.id, t.display_name, t.languages,
            (SELECT coalesce(json_agg(tp.slug ORDER BY tp.sort_order, tp.slug), '[]'::json)
               FROM tutor_topics tt JOIN topics tp ON tp.id = tt.topic_id WHERE tt.tutor_id = t.id AND tp.active))), '[]'::json)
     FROM tu JOIN tutors t ON t.id = tu.tutor_id) AS tutors,
  (SELECT coalesce(json_agg(json_build_array(lw.id, lw.timezone, lw.min_notice_minutes, lw.max_days_ahead,
            (SELECT coalesce(json_agg(json_build_array(p.valid_from, p.valid_until,
                      (SELECT coalesce(json_agg(json_build_array(i.weekday, i.start_minute, i.end_minute) ORDER BY i.weekday, i.start_minute), '[]'::json)
                         FROM location_hour_intervals i WHERE i.period_id = p.id)) ORDER BY p.position), '[]'::json)
               FROM location_hour_periods p
              WHERE p.location_id = lw.id AND (p.valid_until IS NULL OR p.valid_until >= $9::date) AND (p.valid_from IS NULL OR p.valid_from <= $10::date)),
            (SELECT coalesce(json_agg(json_build_array(x.date, x.hours, x.reason)), '[]'::json)
               FROM location_exceptions x WHERE x.location_id = lw.id AND x.date BETWEEN $9::date AND $10::date),
            (SELECT coalesce(json_agg(json_build_array(${MS('lower(c.during)')}, ${MS('upper(c.during)')})), '[]'::json)
               FROM location_closures c WHERE c.location_id = lw.id AND c.during && tstzrange($9::date - 1, $10::date + 2)))), '[]'::json)
     FROM lo JOIN lw ON lw.id = lo.location_id) AS locations,
  (SELECT coalesce(json_agg(json_build_array(b.tutor_id, ${MS('lower(b.during)')}, ${MS('upper(b.during)')})), '[]'::json)
     FROM tu JOIN bookings b ON b.tutor_id = tu.tutor_id
    WHERE b.during && tstzrange($6::timestamptz, $11::timestamptz) AND b.status IN ('confirmed', 'checked_in')) AS bookings,
  (SELECT coalesce(json_agg(json_build_array(a.tutor_id, ${MS('a.starts_at')}, ${MS('a.ends_at')})), '[]'::json)
     FROM tu JOIN tutor_absences a ON a.tutor_id = tu.tutor_id
    WHERE tstzrange(a.starts_at, a.ends_at) && tstzrange($6::timestamptz, $11::timestamptz)) AS absences`;

const PROFILE_SQL = `
SELECT coalesce(json_agg(json_build_array(r.location_id, l.municipality_code, l.timezone, l.min_notice_minutes, t.kind, t.languages,
                                          coalesce(k.slugs, '{}'), r.weekday, r.start_minute, r.end_minute, r.session_minutes, r.buffer_minutes)), '[]'::json) AS rules
  FROM availability_rules r
  JOIN tutors t ON t.id = r.tutor_id
  JOIN locations l ON l.id = r.location_id
  LEFT JOIN (SELECT tt.tutor_id, array_agg(tp.slug) AS slugs FROM tutor_topics tt JOIN topics tp ON tp.id = tt.topic_id
              WHERE tp.active GROUP BY tt.tutor_id) k ON k.tutor_id = t.id
 WHERE t.active AND l.active AND (r.valid_until IS NULL OR r.valid_until >= current_date - 1)`;

@Injectable()
export class SlotSearchRepository {
  constructor(private readonly db: DataSource) {}

  /** Everything the engine needs for the scope's rules that could give a slot in the window. */
  async window(q: WindowQuery): Promise<WindowInputs> {
    const [row] = await this.db.query(WINDOW_SQL, [
      q.kinds,
      q.locationIds ?? null,
      q.municipality ?? null,
      q.language ?? null,
      q.topic ?? null,
      new Date(q.from),
      new Date(q.to),
      q.narrow,
      q.fromDate,
      q.toDate,
      new Date(q.loadTo),
      new Date(q.now),
    ]);
    return row as WindowInputs;
  }

  /** Every current rule's shape with what the filters look at (for window planning only). */
  async profile(): Promise<ProfileTuple[]> {
    const [row] = await this.db.query(PROFILE_SQL);
    return (row as { rules: ProfileTuple[] }).rules;
  }
}
