import { MigrationInterface, QueryRunner } from 'typeorm';
import { PLACE_BOOKING_V1 } from './1763900006000-PlaceBooking';

/**
 * `place_booking` no longer purges expired idempotency keys; Housekeeping does, on a timer.
 *
 * The purge cost a fifth of the function's time in issue 6's benchmark (pg_stat_statements with
 * track = all and track_planning = on), although it almost never found a key to delete:
 * - PL/pgSQL keeps a statement's generic plan only when it is about as cheap as the custom plans.
 *   For `created_at <= $1` the custom plan knows that no key is that old (one index probe); the
 *   generic plan must assume a third of the table. So the statement was planned again on every
 *   call (≈ 0.3 ms).
 * - Plans kept from the first calls of a session, while the table was small, scanned all of it
 *   once it had grown.
 * A key older than 24 hours is already treated as unknown by the function (and deleted when it is
 * used again), so a key waiting a few minutes for the timer changes no answer.
 */
const PURGE = `
          DELETE FROM idempotency_keys WHERE key IN (
            SELECT key FROM idempotency_keys WHERE created_at <= p_idem_fresh_after
            ORDER BY created_at LIMIT 200 FOR UPDATE SKIP LOCKED);`;

function createOrReplace(sql: string): string {
  return sql.replace('CREATE FUNCTION', 'CREATE OR REPLACE FUNCTION');
}

export function withoutPurge(sql: string): string {
  if (!sql.includes(PURGE)) throw new Error('place_booking: the purge statement to remove was not found');
  return createOrReplace(sql.replace(PURGE, ''));
}

export class PlaceBookingWithoutPurge1763900007000 implements MigrationInterface {
  name = 'PlaceBookingWithoutPurge1763900007000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(withoutPurge(PLACE_BOOKING_V1));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(createOrReplace(PLACE_BOOKING_V1));
  }
}
