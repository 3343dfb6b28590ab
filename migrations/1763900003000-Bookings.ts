import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bookings, their event log and idempotency keys. PostgreSQL makes double booking impossible:
 * no tutor is in two active (confirmed, checked_in) bookings at once (EXCLUDE with btree_gist).
 */
export class Bookings1763900003000 implements MigrationInterface {
  name = 'Bookings1763900003000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE bookings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        reference text NOT NULL CHECK (reference ~ '^[A-Z0-9]{3}-[A-Z0-9]{3}$'),
        location_id uuid NOT NULL REFERENCES locations (id),
        tutor_id uuid NOT NULL REFERENCES tutors (id),
        topic_id uuid NOT NULL REFERENCES topics (id),
        language text NOT NULL CHECK (language ~ '^[a-z]{2}$'),
        kind text NOT NULL DEFAULT 'tutoring' CHECK (kind IN ('tutoring', 'advisory')),
        partner_id uuid,
        claim_id uuid,
        during tstzrange NOT NULL CHECK (NOT isempty(during) AND lower_inc(during) AND NOT upper_inc(during)
          AND NOT lower_inf(during) AND NOT upper_inf(during)),
        status text NOT NULL DEFAULT 'confirmed'
          CHECK (status IN ('confirmed', 'checked_in', 'completed', 'no_show', 'cancelled')),
        channel text NOT NULL DEFAULT 'web' CHECK (channel IN ('web', 'phone', 'walk-in')),
        resident_name text NOT NULL CHECK (length(resident_name) BETWEEN 1 AND 200),
        resident_phone text CHECK (resident_phone IS NULL OR resident_phone ~ '^\\+[1-9][0-9]{6,14}$'),
        resident_email text CHECK (resident_email IS NULL OR (resident_email = lower(resident_email) AND length(resident_email) <= 254)),
        resident_language text NOT NULL DEFAULT 'fi' CHECK (resident_language IN ('fi', 'sv', 'en')),
        notes text CHECK (notes IS NULL OR length(notes) <= 2000),
        outcome jsonb,
        manage_token_hash bytea,
        -- rises with every change the resident's calendar should see (iCalendar SEQUENCE)
        sequence integer NOT NULL DEFAULT 0,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT bookings_has_contact CHECK (resident_phone IS NOT NULL OR resident_email IS NOT NULL),
        CONSTRAINT bookings_no_double_booking EXCLUDE USING gist (tutor_id WITH =, during WITH &&)
          WHERE (status IN ('confirmed', 'checked_in'))
      )`);
    await q.query(`CREATE UNIQUE INDEX bookings_reference_key ON bookings (reference)`);
    await q.query(`CREATE UNIQUE INDEX bookings_manage_token_key ON bookings (manage_token_hash) WHERE manage_token_hash IS NOT NULL`);
    await q.query(`CREATE INDEX bookings_location_start_idx ON bookings (location_id, lower(during))`);
    await q.query(`CREATE INDEX bookings_tutor_start_idx ON bookings (tutor_id, lower(during))`);
    await q.query(`CREATE INDEX bookings_active_phone_idx ON bookings (resident_phone) WHERE status IN ('confirmed', 'checked_in') AND resident_phone IS NOT NULL`);
    await q.query(`CREATE INDEX bookings_active_email_idx ON bookings (resident_email) WHERE status IN ('confirmed', 'checked_in') AND resident_email IS NOT NULL`);

    await q.query(`
      CREATE TABLE booking_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        booking_id uuid NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
        type text NOT NULL CHECK (type IN ('created', 'rescheduled', 'cancelled', 'checked_in', 'completed', 'no_show', 'manage_link_renewed')),
        at timestamptz NOT NULL,
        actor_type text NOT NULL CHECK (actor_type IN ('resident', 'user', 'system')),
        actor_user_id uuid,
        reason text CHECK (reason IS NULL OR length(reason) <= 1000),
        payload jsonb NOT NULL DEFAULT '{}'
      )`);
    await q.query(`CREATE INDEX booking_events_booking_idx ON booking_events (booking_id, id)`);

    await q.query(`
      CREATE TABLE idempotency_keys (
        key text PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 200),
        request_hash bytea NOT NULL,
        status_code integer NOT NULL,
        -- the stored response holds a manage token: encrypted with a key derived from the auth secret
        response_encrypted bytea NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency_keys`);
    await q.query(`DROP TABLE booking_events`);
    await q.query(`DROP TABLE bookings`);
  }
}
