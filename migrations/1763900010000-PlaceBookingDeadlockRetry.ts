import { MigrationInterface, QueryRunner } from 'typeorm';
import { PLACE_BOOKING_DECIDED } from './1763900009000-BatchWrites';

/**
 * One-request bookings of a tutor take turns at the INSERT, and a deadlock there is decided
 * again instead of failing.
 *
 * Two transactions inserting clashing bookings at once (the same tutor and time) each put their
 * row in the exclusion constraint's index and then look for clashing rows: each finds the other's,
 * not yet committed, and waits for it. PostgreSQL ends one of the waits with deadlock_detected
 * (40P01), which reached the resident as a 500. place_booking runs one request per transaction:
 * after a batch failed, its requests run that way concurrently (a batch of a stampede holds many
 * requests for one tutor and time).
 * - Just before its INSERT, place_booking takes a lock for the tutor it books (advisory,
 *   exclusive; no other code takes it). The INSERT runs in its own subtransaction (the EXCEPTION
 *   block): when it fails the lock goes with it, and when it succeeds the lock is held until the
 *   commit. So a second request for the tutor waits there until the first has committed, and its
 *   INSERT then meets that booking and decides again: no INSERT of one waits for another's. A
 *   request never holds that lock while waiting for another one. Batches do not take it; they
 *   give up on any lock wait after 500 ms, before a deadlock would be looked for (1 s).
 * - Another writer can still deadlock with it (a batch without that limit, from an older
 *   instance, or a staff reschedule moving a booking). The deadlock then takes back only this
 *   booking's row, and the other transaction goes on. After a short pause, in which the other
 *   transaction finishes its own check, the request is decided again (its rate-limit hits are
 *   counted once), as after an exclusion or unique violation. A fourth deadlock is raised as before.
 */
const DEADLOCK_HANDLER = `
          EXCEPTION
            WHEN deadlock_detected THEN
              deadlocks := deadlocks + 1;
              IF deadlocks > 3 THEN
                RAISE;
              END IF;
              PERFORM pg_sleep(0.01 * deadlocks);
              rate_keys := NULL;
            WHEN exclusion_violation OR unique_violation THEN`;
const CONFLICT_HANDLER = `
          EXCEPTION WHEN exclusion_violation OR unique_violation THEN`;
const DECLARATIONS = `
        conflict text;
      BEGIN`;
const INSERT = `
          BEGIN
            INSERT INTO bookings`;
const TAKING_TURNS = `
          BEGIN
            PERFORM pg_advisory_xact_lock(booking_guard_key('tutor-insert', p_tutors[o_placed]));
            INSERT INTO bookings`;

export function takingTurns(sql: string): string {
  for (const text of [CONFLICT_HANDLER, DECLARATIONS, INSERT]) {
    if (sql.split(text).length !== 2) throw new Error('place_booking: the text to change was not found once');
  }
  return sql
    .replace(CONFLICT_HANDLER, DEADLOCK_HANDLER)
    .replace(DECLARATIONS, DECLARATIONS.replace('conflict text;', 'conflict text;\n        deadlocks integer := 0;'))
    .replace(INSERT, TAKING_TURNS);
}

export class PlaceBookingDeadlockRetry1763900010000 implements MigrationInterface {
  name = 'PlaceBookingDeadlockRetry1763900010000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(takingTurns(PLACE_BOOKING_DECIDED));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(PLACE_BOOKING_DECIDED);
  }
}
