import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Partner organisations, their monthly quotas and their claims on library hours.
 *
 * `partner_id` on users, tutors and bookings has been a plain uuid until now; it becomes a foreign
 * key here. Rather than drop or null anything, the migration refuses (and names the rows) when a
 * row names a partner that does not exist.
 *
 * PostgreSQL keeps approved claims apart: no room in two approved claims at once
 * (`claims_room_free`), no advisor in two approved claims at once (`claim_advisors_not_double_claimed`,
 * over a copy of the claim's time and status that the claim's trigger keeps in step).
 */
export class PartnersClaims1763900040000 implements MigrationInterface {
  name = 'PartnersClaims1763900040000';

  async up(q: QueryRunner): Promise<void> {
    const orphans: { tbl: string; id: string; partner_id: string }[] = await q.query(`
      SELECT 'users' AS tbl, id::text, partner_id::text FROM users WHERE partner_id IS NOT NULL
      UNION ALL SELECT 'tutors', id::text, partner_id::text FROM tutors WHERE partner_id IS NOT NULL
      UNION ALL SELECT 'bookings', id::text, partner_id::text FROM bookings WHERE partner_id IS NOT NULL
      ORDER BY 1, 2`);
    if (orphans.length > 0) {
      const list = orphans.map((o) => `${o.tbl} ${o.id} (partnerId ${o.partner_id})`).join(', ');
      throw new Error(
        `Cannot add the partner foreign keys: ${orphans.length} row(s) name a partner that does not exist: ${list}. ` +
          'Create those partners (or clear the partnerId) and run the migrations again; nothing was changed.',
      );
    }

    await q.query(`
      CREATE TABLE partners (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name_fi text NOT NULL CHECK (length(name_fi) BETWEEN 1 AND 200),
        name_sv text NOT NULL CHECK (length(name_sv) BETWEEN 1 AND 200),
        name_en text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 200),
        kind text NOT NULL CHECK (kind IN ('association', 'agency', 'company', 'other')),
        contact_email text CHECK (contact_email IS NULL OR (contact_email = lower(contact_email) AND length(contact_email) <= 254)),
        contact_phone text CHECK (contact_phone IS NULL OR contact_phone ~ '^\\+[1-9][0-9]{6,14}$'),
        active boolean NOT NULL DEFAULT true,
        deactivated_reason text CHECK (deactivated_reason IS NULL OR length(deactivated_reason) <= 1000),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX partners_name_idx ON partners (name_fi, id)`);

    await q.query(`ALTER TABLE users ADD CONSTRAINT users_partner_fk FOREIGN KEY (partner_id) REFERENCES partners (id)`);
    await q.query(`ALTER TABLE tutors ADD CONSTRAINT tutors_partner_fk FOREIGN KEY (partner_id) REFERENCES partners (id)`);
    await q.query(`ALTER TABLE bookings ADD CONSTRAINT bookings_partner_fk FOREIGN KEY (partner_id) REFERENCES partners (id)`);

    // One partner-wide row (location_id NULL) and at most one row per branch.
    await q.query(`
      CREATE TABLE partner_quotas (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        partner_id uuid NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
        location_id uuid REFERENCES locations (id) ON DELETE CASCADE,
        hours_per_month numeric(7, 2) NOT NULL CHECK (hours_per_month >= 0 AND hours_per_month <= 10000),
        updated_by uuid,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX partner_quotas_key ON partner_quotas (partner_id, location_id) NULLS NOT DISTINCT`);

    // Every claim belongs to a series; a single claim is a series of one.
    await q.query(`
      CREATE TABLE claim_series (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        partner_id uuid NOT NULL REFERENCES partners (id),
        location_id uuid NOT NULL REFERENCES locations (id),
        repeat_weekly_until date,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE claims (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        series_id uuid NOT NULL REFERENCES claim_series (id),
        partner_id uuid NOT NULL REFERENCES partners (id),
        location_id uuid NOT NULL REFERENCES locations (id),
        room_id uuid REFERENCES location_rooms (id),
        during tstzrange NOT NULL CHECK (NOT isempty(during) AND lower_inc(during) AND NOT upper_inc(during)
          AND NOT lower_inf(during) AND NOT upper_inf(during)),
        mode text NOT NULL CHECK (mode IN ('bookable', 'drop-in')),
        session_minutes integer CHECK (session_minutes BETWEEN 5 AND 480),
        buffer_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_minutes BETWEEN 0 AND 240),
        languages text[] NOT NULL CHECK (
          cardinality(languages) BETWEEN 1 AND 30
          AND array_position(languages, NULL) IS NULL
          AND array_to_string(languages, ',') ~ '^[a-z]{2}(,[a-z]{2})*$'),
        note text CHECK (note IS NULL OR length(note) <= 2000),
        status text NOT NULL DEFAULT 'requested'
          CHECK (status IN ('requested', 'approved', 'rejected', 'withdrawn', 'cancelled')),
        status_reason text CHECK (status_reason IS NULL OR length(status_reason) <= 1000),
        requested_by uuid,
        requested_at timestamptz NOT NULL,
        status_changed_by uuid,
        status_changed_at timestamptz,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT claims_bookable_has_sessions CHECK ((mode = 'bookable') = (session_minutes IS NOT NULL)),
        CONSTRAINT claims_room_free EXCLUDE USING gist (room_id WITH =, during WITH &&) WHERE (status = 'approved')
      )`);
    await q.query(`CREATE INDEX claims_location_start_idx ON claims (location_id, lower(during))`);
    await q.query(`CREATE INDEX claims_partner_start_idx ON claims (partner_id, lower(during))`);
    await q.query(`CREATE INDEX claims_series_idx ON claims (series_id, lower(during))`);
    await q.query(`CREATE INDEX claims_approved_during_idx ON claims USING gist (during) WHERE status = 'approved'`);

    await q.query(`
      CREATE TABLE claim_topics (
        claim_id uuid NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
        topic_id uuid NOT NULL REFERENCES topics (id),
        PRIMARY KEY (claim_id, topic_id)
      )`);

    // during and approved copy the claim's (kept in step by a trigger in the claims module's sql/),
    // so that PostgreSQL itself refuses an advisor in two approved claims at once.
    await q.query(`
      CREATE TABLE claim_advisors (
        claim_id uuid NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
        tutor_id uuid NOT NULL REFERENCES tutors (id),
        during tstzrange NOT NULL,
        approved boolean NOT NULL DEFAULT false,
        PRIMARY KEY (claim_id, tutor_id),
        CONSTRAINT claim_advisors_not_double_claimed EXCLUDE USING gist (tutor_id WITH =, during WITH &&) WHERE (approved)
      )`);
    await q.query(`CREATE INDEX claim_advisors_tutor_idx ON claim_advisors (tutor_id)`);

    await q.query(`
      CREATE TABLE claim_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        claim_id uuid NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
        type text NOT NULL CHECK (type IN ('requested', 'approved', 'rejected', 'withdrawn', 'cancelled')),
        at timestamptz NOT NULL,
        actor_type text NOT NULL CHECK (actor_type IN ('user', 'system')),
        actor_user_id uuid,
        reason text CHECK (reason IS NULL OR length(reason) <= 1000),
        payload jsonb NOT NULL DEFAULT '{}'
      )`);
    await q.query(`CREATE INDEX claim_events_claim_idx ON claim_events (claim_id, id)`);

    await q.query(`ALTER TABLE bookings ADD CONSTRAINT bookings_claim_fk FOREIGN KEY (claim_id) REFERENCES claims (id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE bookings DROP CONSTRAINT bookings_claim_fk`);
    await q.query(`DROP TABLE claim_events`);
    await q.query(`DROP TABLE claim_advisors`);
    await q.query(`DROP TABLE claim_topics`);
    await q.query(`DROP TABLE claims`);
    await q.query(`DROP TABLE claim_series`);
    await q.query(`DROP TABLE partner_quotas`);
    await q.query(`ALTER TABLE bookings DROP CONSTRAINT bookings_partner_fk`);
    await q.query(`ALTER TABLE tutors DROP CONSTRAINT tutors_partner_fk`);
    await q.query(`ALTER TABLE users DROP CONSTRAINT users_partner_fk`);
    await q.query(`DROP TABLE partners`);
  }
}
