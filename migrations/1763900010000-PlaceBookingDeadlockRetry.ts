import { MigrationInterface, QueryRunner } from 'typeorm';
import { PLACE_BOOKING_DECIDED } from './1763900009000-BatchWrites';

/**
 * place_booking decides again after a deadlock in its INSERT, instead of failing.
 *
 * Two transactions inserting clashing bookings at once (the same tutor and time, or the same
 * reference) each wait in the exclusion check or the unique index for the other's row. When each
 * also holds a row the other waits for, PostgreSQL ends one wait with deadlock_detected (40P01).
 * That reached the resident as a 500. It happens on the one-request path: after a batch failed,
 * its requests run concurrently, and across instances.
 *
 * The INSERT runs in its own subtransaction (the EXCEPTION block), so the deadlock takes back only
 * this booking's row; the other transaction goes on. This one then waits for the tutor's other
 * bookings in progress to end (the tutor's guard lock, exclusive: each booking holds it shared),
 * because deciding again at once would insert the row again before the other transaction had
 * looked again, and deadlock with it again. Deciding again then sees what the other transaction
 * committed, as after an exclusion or unique violation, with the rate-limit hits counted once. A
 * fourth deadlock is raised as before.
 */
const DEADLOCK_HANDLER = `
          EXCEPTION
            WHEN deadlock_detected THEN
              deadlocks := deadlocks + 1;
              IF deadlocks > 3 THEN
                RAISE;
              END IF;
              -- Wait until the other bookings of this tutor in progress have ended (each holds the
              -- tutor's guard lock shared), so the next INSERT meets them committed instead of
              -- deadlocking with them again. Held until this transaction ends.
              PERFORM pg_advisory_xact_lock(booking_guard_key('tutor', p_tutors[o_placed]));
              rate_keys := NULL;
            WHEN exclusion_violation OR unique_violation THEN`;
const CONFLICT_HANDLER = `
          EXCEPTION WHEN exclusion_violation OR unique_violation THEN`;
const COUNTER = `
        conflict text;`;

export function withDeadlockRetry(sql: string): string {
  if (!sql.includes(CONFLICT_HANDLER) || !sql.includes(COUNTER)) throw new Error('place_booking: the exception handler to extend was not found');
  return sql.replace(CONFLICT_HANDLER, DEADLOCK_HANDLER).replace(COUNTER, `${COUNTER}\n        deadlocks integer := 0;`);
}

export class PlaceBookingDeadlockRetry1763900010000 implements MigrationInterface {
  name = 'PlaceBookingDeadlockRetry1763900010000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(withDeadlockRetry(PLACE_BOOKING_DECIDED));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(PLACE_BOOKING_DECIDED);
  }
}
