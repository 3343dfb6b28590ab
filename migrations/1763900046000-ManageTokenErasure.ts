import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Housekeeping erases the encrypted manage token of bookings that are over or cancelled: this
 * index holds only the bookings that still have one, so its pass reads those and not every booking.
 */
export class ManageTokenErasure1763900046000 implements MigrationInterface {
  name = 'ManageTokenErasure1763900046000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX bookings_manage_token_kept_idx ON bookings (upper(during)) WHERE manage_token_encrypted IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX bookings_manage_token_kept_idx`);
  }
}
