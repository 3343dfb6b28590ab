import { seedDemoData } from '../../src/modules/demo/demo-data';
import { PasswordHasher } from '../../src/modules/users/password-hasher';
import { startTestApp, TestApp } from '../support/test-app';

describe('demo data', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ now: '2027-02-01T07:00:00Z' }); // a Monday morning
  });
  afterAll(() => t.close());

  it('seeds Kymenlaakso branches with bookable slots from today, and staff/tutor/partner accounts but no admin', async () => {
    const hasher = t.app.get(PasswordHasher);
    const accounts = await seedDemoData(t.db, t.clock.now(), (p) => hasher.hash(p));
    expect(accounts.map((a) => a.role).sort()).toEqual(['partner', 'partner', 'staff', 'staff', 'staff', 'tutor']);
    const roles = await t.db.query(`SELECT DISTINCT role FROM users ORDER BY role`);
    expect(roles.map((r: { role: string }) => r.role)).toEqual(['partner', 'staff', 'tutor']);

    const slots = await t.http.get('/api/v1/slots').query({ limit: 500 }).expect(200);
    expect(slots.body.items.length).toBeGreaterThan(20);
    expect(Date.parse(slots.body.items[0].start)).toBeLessThan(Date.parse('2027-02-03T00:00:00Z'));
    const locations = await t.http.get('/api/v1/locations').expect(200);
    expect(locations.body.items.map((l: { slug: string }) => l.slug).sort()).toEqual(['hamina-kaupunginkirjasto', 'kotka-paakirjasto', 'kouvola-paakirjasto']);
    const kouvola = locations.body.items.find((l: { slug: string }) => l.slug === 'kouvola-paakirjasto');
    expect(new Set(slots.body.items.map((s: { locationId: string }) => s.locationId))).toContain(kouvola.id);

    for (const a of accounts) {
      const login = await t.http.post('/api/v1/auth/login').send({ email: a.email, password: a.password });
      expect([a.email, login.status]).toEqual([a.email, 200]);
    }
    const staffLogin = await t.http.post('/api/v1/auth/login').send({ email: 'kouvola.staff@demo.tukiaika.fi', password: accounts[0].password }).expect(200);
    const me = await t.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${staffLogin.body.accessToken}`).expect(200);
    expect(me.body.locationIds).toEqual([kouvola.id]);

    const vero = accounts.find((a) => a.email === 'vero.partner@demo.tukiaika.fi')!;
    const veroLogin = await t.http.post('/api/v1/auth/login').send({ email: vero.email, password: vero.password }).expect(200);
    const veroAuth = { Authorization: `Bearer ${veroLogin.body.accessToken}` };
    const partners = await t.http.get('/api/v1/partners').set(veroAuth).expect(200);
    expect(partners.body.items.map((p: { name: { fi: string } }) => p.name.fi)).toEqual(['Verohallinto']);
    const advisors = await t.http.get(`/api/v1/partners/${partners.body.items[0].id}/advisors`).set(veroAuth).expect(200);
    expect(advisors.body.items.map((a: { displayName: string }) => a.displayName)).toEqual(['Veroneuvoja Antti', 'Veroneuvoja Riikka']);
  });

  it('seeds two partners, each with a partner account and two advisors', async () => {
    const names = await t.db.query(`SELECT name_en, kind FROM partners ORDER BY name_en`);
    expect(names).toEqual([
      { name_en: 'Finnish Tax Administration', kind: 'agency' },
      { name_en: 'SeniorSurf (Vanhustyön keskusliitto)', kind: 'association' },
    ]);
    const demo = await t.db.query(`SELECT email FROM users WHERE role = 'partner' ORDER BY email`);
    expect(demo.map((u: { email: string }) => u.email)).toEqual(['seniorsurf.partner@demo.tukiaika.fi', 'vero.partner@demo.tukiaika.fi']);
    const [{ id: vero }] = await t.db.query(`SELECT id FROM partners WHERE name_fi = 'Verohallinto'`);
    const [{ partner_id: veroUserPartner }] = await t.db.query(`SELECT partner_id FROM users WHERE email = 'vero.partner@demo.tukiaika.fi'`);
    expect(veroUserPartner).toBe(vero);
    const advisors = await t.db.query(`SELECT partner_id, count(*)::int AS n FROM tutors WHERE kind = 'advisor' GROUP BY partner_id ORDER BY 1`);
    expect(advisors.map((a: { n: number }) => a.n)).toEqual([2, 2]);
  });

  it('does nothing on a database that has data', async () => {
    const hasher = t.app.get(PasswordHasher);
    const before = await t.db.query(`SELECT count(*)::int AS n FROM tutors`);
    await expect(seedDemoData(t.db, t.clock.now(), (p) => hasher.hash(p))).resolves.toEqual([]);
    const after = await t.db.query(`SELECT count(*)::int AS n FROM tutors`);
    expect(after[0].n).toBe(before[0].n);
  });
});
