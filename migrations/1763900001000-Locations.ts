import { MigrationInterface, QueryRunner } from 'typeorm';
import { MUNICIPALITIES } from '../src/modules/locations/data/municipalities';

/**
 * Municipalities (seeded), library branches (locations) with their booking policy, weekly opening
 * hours, per-date exceptions, closures and rooms. PostgreSQL enforces what it can: shapes, ranges,
 * uniqueness and non-overlap of opening intervals.
 */
export class Locations1763900001000 implements MigrationInterface {
  name = 'Locations1763900001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE municipalities (
        code text PRIMARY KEY CHECK (code ~ '^[0-9]{3}$'),
        name_fi text NOT NULL CHECK (length(name_fi) BETWEEN 1 AND 100),
        name_sv text NOT NULL CHECK (length(name_sv) BETWEEN 1 AND 100)
      )`);
    // One statement, every row: the list is data (src/modules/locations/data/municipalities.ts).
    const values = MUNICIPALITIES.map((_, i) => `($${i * 3 + 1}, $${i * 3 + 2}, $${i * 3 + 3})`).join(', ');
    await q.query(
      `INSERT INTO municipalities (code, name_fi, name_sv) VALUES ${values}`,
      MUNICIPALITIES.flatMap((m) => [m.code, m.fi, m.sv]),
    );

    await q.query(`
      CREATE TABLE locations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug text NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 100),
        name jsonb NOT NULL CHECK (jsonb_typeof(name) = 'object' AND name ? 'fi'),
        municipality_code text NOT NULL REFERENCES municipalities (code),
        address jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(address) = 'object'),
        timezone text NOT NULL DEFAULT 'Europe/Helsinki' CHECK (length(timezone) BETWEEN 1 AND 64),
        accessibility jsonb CHECK (accessibility IS NULL OR jsonb_typeof(accessibility) = 'object'),
        active boolean NOT NULL DEFAULT true,
        min_notice_minutes integer NOT NULL DEFAULT 120 CHECK (min_notice_minutes BETWEEN 0 AND 525600),
        max_days_ahead integer NOT NULL DEFAULT 60 CHECK (max_days_ahead BETWEEN 1 AND 730),
        cancel_until_minutes_before integer NOT NULL DEFAULT 60 CHECK (cancel_until_minutes_before BETWEEN 0 AND 525600),
        max_active_bookings_per_contact integer NOT NULL DEFAULT 2 CHECK (max_active_bookings_per_contact BETWEEN 1 AND 100),
        share_contact_with_partners boolean NOT NULL DEFAULT false,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX locations_slug_key ON locations (slug)`);
    await q.query(`CREATE INDEX locations_municipality_idx ON locations (municipality_code)`);

    // Weekly hours: periods (winter, summer…) that may not overlap, each with intervals per weekday
    // in minutes after local midnight (1440 = 24:00, allowed only as an end).
    await q.query(`
      CREATE TABLE location_hour_periods (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        location_id uuid NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
        position integer NOT NULL CHECK (position >= 0),
        valid_from date,
        valid_until date,
        CONSTRAINT location_hour_periods_order CHECK (valid_from IS NULL OR valid_until IS NULL OR valid_from <= valid_until),
        CONSTRAINT location_hour_periods_no_overlap EXCLUDE USING gist (
          location_id WITH =, daterange(valid_from, valid_until, '[]') WITH &&)
      )`);
    await q.query(`
      CREATE TABLE location_hour_intervals (
        period_id uuid NOT NULL REFERENCES location_hour_periods (id) ON DELETE CASCADE,
        weekday smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
        start_minute integer NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
        end_minute integer NOT NULL CHECK (end_minute BETWEEN 1 AND 1440),
        PRIMARY KEY (period_id, weekday, start_minute),
        CONSTRAINT location_hour_intervals_order CHECK (start_minute < end_minute),
        CONSTRAINT location_hour_intervals_no_overlap EXCLUDE USING gist (
          period_id WITH =, weekday WITH =, int4range(start_minute, end_minute) WITH &&)
      )`);

    // Per-date exceptions: hours is a JSON list of ["HH:mm","HH:mm"] pairs (validated by the app);
    // reason is a string or {fi,sv,en}.
    await q.query(`
      CREATE TABLE location_exceptions (
        location_id uuid NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
        date date NOT NULL,
        hours jsonb NOT NULL CHECK (jsonb_typeof(hours) = 'array'),
        reason jsonb CHECK (reason IS NULL OR jsonb_typeof(reason) IN ('string', 'object')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (location_id, date)
      )`);

    await q.query(`
      CREATE TABLE location_closures (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        location_id uuid NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
        during tstzrange NOT NULL CHECK (NOT isempty(during) AND lower_inc(during) AND NOT upper_inc(during)
          AND NOT lower_inf(during) AND NOT upper_inf(during)),
        reason text CHECK (reason IS NULL OR length(reason) <= 500),
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX location_closures_during_idx ON location_closures USING gist (location_id, during)`);

    await q.query(`
      CREATE TABLE location_rooms (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        location_id uuid NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        capacity integer NOT NULL CHECK (capacity BETWEEN 1 AND 10000),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX location_rooms_name_key ON location_rooms (location_id, lower(name))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE location_rooms`);
    await q.query(`DROP TABLE location_closures`);
    await q.query(`DROP TABLE location_exceptions`);
    await q.query(`DROP TABLE location_hour_intervals`);
    await q.query(`DROP TABLE location_hour_periods`);
    await q.query(`DROP TABLE locations`);
    await q.query(`DROP TABLE municipalities`);
  }
}
