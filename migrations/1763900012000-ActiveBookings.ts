import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `bookings.active`: whether a booking holds its tutor and counts against the contact's cap
 * (confirmed or checked in). The column is the one SQL definition of the active statuses: the
 * exclusion constraint, the partial indexes and every query say `active` instead of listing them.
 * The constraint and the indexes keep their names.
 */
export class ActiveBookings1763900012000 implements MigrationInterface {
  name = 'ActiveBookings1763900012000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE bookings
        ADD COLUMN active boolean GENERATED ALWAYS AS (status IN ('confirmed', 'checked_in')) STORED NOT NULL`);
    await q.query(`ALTER TABLE bookings DROP CONSTRAINT bookings_no_double_booking`);
    await q.query(`
      ALTER TABLE bookings ADD CONSTRAINT bookings_no_double_booking
        EXCLUDE USING gist (tutor_id WITH =, during WITH &&) WHERE (active)`);
    await recreateIndexes(q, {
      bookings_active_phone_idx: `(resident_phone) WHERE active AND resident_phone IS NOT NULL`,
      bookings_active_email_idx: `(resident_email) WHERE active AND resident_email IS NOT NULL`,
      bookings_active_start_idx: `(lower(during)) INCLUDE (tutor_id, during) WHERE active`,
      bookings_active_long_idx: `USING gist (during) INCLUDE (tutor_id) WHERE active AND upper(during) - lower(during) > interval '1 day'`,
    });
  }

  async down(q: QueryRunner): Promise<void> {
    const listed = `status IN ('confirmed', 'checked_in')`;
    await recreateIndexes(q, {
      bookings_active_phone_idx: `(resident_phone) WHERE ${listed} AND resident_phone IS NOT NULL`,
      bookings_active_email_idx: `(resident_email) WHERE ${listed} AND resident_email IS NOT NULL`,
      bookings_active_start_idx: `(lower(during)) INCLUDE (tutor_id, during) WHERE ${listed}`,
      bookings_active_long_idx: `USING gist (during) INCLUDE (tutor_id) WHERE ${listed} AND upper(during) - lower(during) > interval '1 day'`,
    });
    await q.query(`ALTER TABLE bookings DROP CONSTRAINT bookings_no_double_booking`);
    await q.query(`
      ALTER TABLE bookings ADD CONSTRAINT bookings_no_double_booking
        EXCLUDE USING gist (tutor_id WITH =, during WITH &&) WHERE (${listed})`);
    await q.query(`ALTER TABLE bookings DROP COLUMN active`);
  }
}

async function recreateIndexes(q: QueryRunner, definitions: Record<string, string>): Promise<void> {
  for (const [name, definition] of Object.entries(definitions)) {
    await q.query(`DROP INDEX ${name}`);
    await q.query(`CREATE INDEX ${name} ON bookings ${definition}`);
  }
}
