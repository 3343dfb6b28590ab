import { randomUUID } from 'node:crypto';
import { PartnersClaims1763900040000 } from '../../migrations/1763900040000-PartnersClaims';
import { newUser } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The partners migration refuses, naming the rows, when a user or tutor names a partner that does
 * not exist. Run against the migrated database inside a transaction that first drops the foreign
 * keys (so that an orphan can be written), then rolled back.
 */
describe('migration 1763900040000 (partners): orphan partner ids', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('refuses with a message naming each orphan row, and changes nothing', async () => {
    const staff = await newUser(t, { role: 'staff', locationIds: [] });
    const qr = t.db.createQueryRunner();
    await qr.connect();
    await qr.startTransaction();
    try {
      await qr.query(`ALTER TABLE users DROP CONSTRAINT users_partner_fk`);
      await qr.query(`ALTER TABLE tutors DROP CONSTRAINT tutors_partner_fk`);
      const ghostA = randomUUID();
      const ghostB = randomUUID();
      await qr.query(`UPDATE users SET role = 'partner', partner_id = $2 WHERE id = $1`, [staff.id, ghostA]);
      const [{ id: tutorId }] = await qr.query(`INSERT INTO tutors (display_name, kind, partner_id, languages) VALUES ('Orpo', 'advisor', $1, '{fi}') RETURNING id`, [ghostB]);
      const partnersBefore = await qr.query(`SELECT count(*)::int AS n FROM partners`);

      const run = new PartnersClaims1763900040000().up(qr);
      await expect(run).rejects.toThrow(/2 row\(s\) name a partner that does not exist/);
      await expect(run).rejects.toThrow(`users ${staff.id} (partnerId ${ghostA})`);
      await expect(run).rejects.toThrow(`tutors ${tutorId} (partnerId ${ghostB})`);
      await expect(run).rejects.toThrow(/nothing was changed/);
      expect(await qr.query(`SELECT count(*)::int AS n FROM partners`)).toEqual(partnersBefore);
    } finally {
      await qr.rollbackTransaction();
      await qr.release();
    }
    const constraints = await t.db.query(`SELECT conname FROM pg_constraint WHERE conname IN ('users_partner_fk', 'tutors_partner_fk') ORDER BY 1`);
    expect(constraints.map((c: { conname: string }) => c.conname)).toEqual(['tutors_partner_fk', 'users_partner_fk']);
  });
});
