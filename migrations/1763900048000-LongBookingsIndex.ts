import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The whole-country slot search reads the bookings of a few hours by start time, looking back as
 * far as a booking may last. With a one-day look-back, a search at midday also read the previous
 * afternoon's bookings; it now looks back four hours (every tutoring session is shorter), and this
 * index holds the active bookings longer than that (advisory sessions of up to eight hours, staff
 * entries), replacing the one for bookings longer than a day.
 */
export class LongBookingsIndex1763900048000 implements MigrationInterface {
  name = 'LongBookingsIndex1763900048000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX bookings_active_over_4h_idx ON bookings USING gist (during) INCLUDE (tutor_id)
        WHERE active AND upper(during) - lower(during) > interval '4 hours'`);
    await q.query(`DROP INDEX bookings_active_long_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX bookings_active_long_idx ON bookings USING gist (during) INCLUDE (tutor_id)
        WHERE active AND upper(during) - lower(during) > interval '1 day'`);
    await q.query(`DROP INDEX bookings_active_over_4h_idx`);
  }
}
