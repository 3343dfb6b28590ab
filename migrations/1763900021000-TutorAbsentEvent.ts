import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A `tutor-absent` booking event: an absence recorded at one branch of a shared tutor marks the
 * bookings it leaves active at the tutor's other branches (for their staff and notifications).
 */
export class TutorAbsentEvent1763900021000 implements MigrationInterface {
  name = 'TutorAbsentEvent1763900021000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE booking_events DROP CONSTRAINT booking_events_type_check`);
    await q.query(`
      ALTER TABLE booking_events ADD CONSTRAINT booking_events_type_check
        CHECK (type IN ('created', 'rescheduled', 'cancelled', 'checked_in', 'completed', 'no_show', 'manage_link_renewed', 'tutor-absent'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM booking_events WHERE type = 'tutor-absent'`);
    await q.query(`ALTER TABLE booking_events DROP CONSTRAINT booking_events_type_check`);
    await q.query(`
      ALTER TABLE booking_events ADD CONSTRAINT booking_events_type_check
        CHECK (type IN ('created', 'rescheduled', 'cancelled', 'checked_in', 'completed', 'no_show', 'manage_link_renewed'))`);
  }
}
