import { MigrationInterface, QueryRunner } from 'typeorm';

/** Extensions, staff accounts and the rate-limit counters. */
export class Foundation1763900000000 implements MigrationInterface {
  name = 'Foundation1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL CHECK (email = lower(email) AND length(email) <= 254),
        password_hash text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin', 'staff', 'tutor', 'partner')),
        location_ids uuid[] NOT NULL DEFAULT '{}',
        tutor_id uuid,
        partner_id uuid,
        active boolean NOT NULL DEFAULT true,
        -- bumped when the password changes: tokens issued before stop working
        token_generation integer NOT NULL DEFAULT 0,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT users_tutor_has_tutor CHECK (role <> 'tutor' OR tutor_id IS NOT NULL),
        CONSTRAINT users_partner_has_partner CHECK (role <> 'partner' OR partner_id IS NOT NULL)
      )`);
    await q.query(`CREATE UNIQUE INDEX users_email_key ON users (email)`);
    await q.query(`CREATE INDEX users_location_ids_idx ON users USING gin (location_ids)`);
    await q.query(`CREATE INDEX users_partner_idx ON users (partner_id) WHERE partner_id IS NOT NULL`);
    await q.query(`CREATE INDEX users_tutor_idx ON users (tutor_id) WHERE tutor_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE rate_limit_counters (
        key text NOT NULL,
        window_start timestamptz NOT NULL,
        hits integer NOT NULL,
        PRIMARY KEY (key, window_start)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rate_limit_counters`);
    await q.query(`DROP TABLE users`);
  }
}
