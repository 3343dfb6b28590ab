import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notifications: the outbox (`messages`, one row per message to one recipient on one channel,
 * written by the triggers in src/modules/notifications/sql/ in the transaction of the event that
 * causes it), the manage token kept encrypted on the booking (so later messages can carry the
 * link), the users' opt-out and each branch's reminder policy.
 */
export class Notifications1763900044000 implements MigrationInterface {
  name = 'Notifications1763900044000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE messages (
        -- also the e-mail's Message-ID and the SMS id: the same on every attempt
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        booking_id uuid REFERENCES bookings (id) ON DELETE CASCADE,
        claim_id uuid REFERENCES claims (id) ON DELETE CASCADE,
        -- the branch, for staff's view of deliveries
        location_id uuid REFERENCES locations (id) ON DELETE CASCADE,
        template text NOT NULL CHECK (template ~ '^[a-z][a-z-]{1,40}$'),
        language text NOT NULL CHECK (language IN ('fi', 'sv', 'en')),
        channel text NOT NULL CHECK (channel IN ('email', 'sms')),
        recipient_kind text NOT NULL CHECK (recipient_kind IN ('resident', 'user')),
        recipient_user_id uuid REFERENCES users (id) ON DELETE CASCADE,
        -- an e-mail address or an E.164 phone number: personal data
        recipient text NOT NULL CHECK (length(recipient) BETWEEN 1 AND 254),
        -- what the event said that the text needs (times, cause, a public reason)
        params jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(params) = 'object'),
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'failed', 'sent', 'dead', 'cancelled')),
        attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        -- when the worker may next take it (a claimed message: when its claim runs out)
        next_attempt_at timestamptz NOT NULL,
        -- the transport's error, without the message or the recipient
        last_error text CHECK (last_error IS NULL OR length(last_error) <= 500),
        created_at timestamptz NOT NULL,
        sent_at timestamptz,
        CONSTRAINT messages_has_subject CHECK (booking_id IS NOT NULL OR claim_id IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX messages_due_idx ON messages (next_attempt_at) WHERE status IN ('queued', 'failed')`);
    await q.query(`CREATE INDEX messages_booking_idx ON messages (booking_id) WHERE booking_id IS NOT NULL`);
    await q.query(`CREATE INDEX messages_claim_idx ON messages (claim_id) WHERE claim_id IS NOT NULL`);
    await q.query(`CREATE INDEX messages_problem_idx ON messages (created_at) WHERE status IN ('failed', 'dead')`);

    // AES-256-GCM of the manage token (iv ‖ tag ‖ data, bound to the booking id), beside its HMAC.
    await q.query(`ALTER TABLE bookings ADD COLUMN manage_token_encrypted bytea`);
    await q.query(`ALTER TABLE users ADD COLUMN notify boolean NOT NULL DEFAULT true`);
    await q.query(`
      ALTER TABLE locations ADD COLUMN reminders jsonb NOT NULL
        DEFAULT '[{"hoursBefore": 24, "channel": "email"}, {"hoursBefore": 2, "channel": "sms"}]'
        CHECK (jsonb_typeof(reminders) = 'array' AND jsonb_array_length(reminders) <= 5)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE locations DROP COLUMN reminders`);
    await q.query(`ALTER TABLE users DROP COLUMN notify`);
    await q.query(`ALTER TABLE bookings DROP COLUMN manage_token_encrypted`);
    await q.query(`DROP TABLE messages`);
  }
}
