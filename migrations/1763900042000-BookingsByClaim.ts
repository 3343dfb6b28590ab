import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The bookings in a claim, found by the claim: cancelling a claim (or a partner's claims) cancels
 * the sessions in it, and reads them by claim_id. Few bookings have one, so a partial index.
 */
export class BookingsByClaim1763900042000 implements MigrationInterface {
  name = 'BookingsByClaim1763900042000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX bookings_by_claim_idx ON bookings (claim_id) WHERE claim_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX bookings_by_claim_idx`);
  }
}
