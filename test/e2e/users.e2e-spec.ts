import { newLocation, newUser } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

const LOC_A = '0a0a0a0a-0000-4000-8000-00000000000a';
const PARTNER_1 = '1b1b1b1b-0000-4000-8000-000000000001';
const PARTNER_2 = '2b2b2b2b-0000-4000-8000-000000000002';

describe('users', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('admin creates, reads, lists and edits accounts; the new account can log in', async () => {
    const admin = await newUser(t);
    // location ids are checked now that locations exist
    const branch = await newLocation(t);
    const created = await t.http
      .post('/api/v1/users')
      .set(admin.auth)
      .send({ email: 'New.Staff@Example.fi', password: 'initial-password-1', role: 'staff', locationIds: [branch.id] })
      .expect(201);
    expect(created.body).toEqual({ id: expect.any(String), email: 'new.staff@example.fi', role: 'staff', locationIds: [branch.id], tutorId: null, partnerId: null, active: true, notify: true, version: 1 });
    expect(created.headers.etag).toBe('"1"');
    await t.http.post('/api/v1/auth/login').send({ email: 'new.staff@example.fi', password: 'initial-password-1' }).expect(200);

    const got = await t.http.get(`/api/v1/users/${created.body.id}`).set(admin.auth).expect(200);
    expect(got.body.email).toBe('new.staff@example.fi');
    const patched = await t.http.patch(`/api/v1/users/${created.body.id}`).set(admin.auth).set('If-Match', '"1"').send({ locationIds: [] , role: 'admin' }).expect(200);
    expect(patched.body).toMatchObject({ role: 'admin', locationIds: [], version: 2 });
    expect(patched.headers.etag).toBe('"2"');
  });

  it('lists with limit and cursor, without repeats', async () => {
    const admin = await newUser(t);
    for (let i = 0; i < 3; i++) await newUser(t, { role: 'partner', partnerId: PARTNER_2 });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: { id: string }[]; nextCursor: string | null } } = await t.http
        .get('/api/v1/users')
        .query(cursor ? { limit: 2, cursor } : { limit: 2 })
        .set(admin.auth)
        .expect(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((u) => u.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    const total: number = (await t.db.query('SELECT count(*)::int AS n FROM users'))[0].n;
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    await t.http.get('/api/v1/users').query({ limit: 501 }).set(admin.auth).expect(422);
    await t.http.get('/api/v1/users').query({ cursor: 'garbage!' }).set(admin.auth).expect(422);
  });

  it('rejects inconsistent accounts with 422 by field', async () => {
    const admin = await newUser(t);
    const noTutor = await t.http.post('/api/v1/users').set(admin.auth).send({ email: 'tutor-x@example.fi', password: 'long-enough-pass', role: 'tutor' });
    expect(noTutor.status).toBe(422);
    expect(noTutor.body.errors[0].field).toBe('tutorId');
    const noPartner = await t.http.post('/api/v1/users').set(admin.auth).send({ email: 'p-x@example.fi', password: 'long-enough-pass', role: 'partner' });
    expect(noPartner.status).toBe(422);
    expect(noPartner.body.errors[0].field).toBe('partnerId');
    const noLocations = await t.http.post('/api/v1/users').set(admin.auth).send({ email: 's-x@example.fi', password: 'long-enough-pass', role: 'staff' });
    expect(noLocations.status).toBe(422);
    const badIds = await t.http.post('/api/v1/users').set(admin.auth).send({ email: 's-y@example.fi', password: 'long-enough-pass', role: 'staff', locationIds: ['nope'] });
    expect(badIds.status).toBe(422);
    expect(badIds.body.errors[0].field).toBe('locationIds');
    const count = await t.db.query(`SELECT count(*)::int AS n FROM users WHERE email LIKE '%-x@example.fi' OR email LIKE '%-y@example.fi'`);
    expect(count[0].n).toBe(0);
  });

  it('an admin cannot disable their own account', async () => {
    const admin = await newUser(t);
    const res = await t.http.patch(`/api/v1/users/${admin.id}`).set(admin.auth).send({ active: false });
    expect(res.status).toBe(422);
    await t.http.get('/api/v1/auth/me').set(admin.auth).expect(200);
  });

  it('staff cannot create admins or staff, edit others, or see accounts outside their scope', async () => {
    const staff = await newUser(t, { role: 'staff', locationIds: [LOC_A] });
    const otherStaff = await newUser(t, { role: 'staff', locationIds: [LOC_A] });
    const admin = await newUser(t);
    for (const role of ['admin', 'staff']) {
      const res = await t.http.post('/api/v1/users').set(staff.auth).send({ email: `made-by-staff-${role}@example.fi`, password: 'long-enough-pass', role, locationIds: [LOC_A] });
      expect(res.status).toBe(403);
      expect(res.body.type).toBe('/problems/forbidden');
    }
    await t.http.get(`/api/v1/users/${admin.id}`).set(staff.auth).expect(404);
    await t.http.get(`/api/v1/users/${otherStaff.id}`).set(staff.auth).expect(404);
    await t.http.patch(`/api/v1/users/${admin.id}`).set(staff.auth).send({ active: false }).expect(404);
    const list = await t.http.get('/api/v1/users').set(staff.auth).expect(200);
    expect(list.body.items.map((u: { id: string }) => u.id)).toEqual([staff.id]);
    await t.http.get(`/api/v1/users/${staff.id}`).set(staff.auth).expect(200);
    // staff cannot widen their own scope
    const self = await t.http.patch(`/api/v1/users/${staff.id}`).set(staff.auth).send({ locationIds: [LOC_A, PARTNER_1] });
    expect([403, 404]).toContain(self.status);
    const after = await t.db.query('SELECT location_ids FROM users WHERE id = $1', [staff.id]);
    expect(after[0].location_ids).toEqual([LOC_A]);
  });

  it("partner users manage their own partner's users only", async () => {
    const p1 = await newUser(t, { role: 'partner', partnerId: PARTNER_1 });
    const p2 = await newUser(t, { role: 'partner', partnerId: PARTNER_2 });
    const created = await t.http
      .post('/api/v1/users')
      .set(p1.auth)
      .send({ email: 'colleague@partner1.example.fi', password: 'long-enough-pass', role: 'partner', partnerId: PARTNER_1 })
      .expect(201);
    const foreign = await t.http.post('/api/v1/users').set(p1.auth).send({ email: 'intruder@partner2.example.fi', password: 'long-enough-pass', role: 'partner', partnerId: PARTNER_2 });
    expect(foreign.status).toBe(403);
    const escalate = await t.http.post('/api/v1/users').set(p1.auth).send({ email: 'boss@partner1.example.fi', password: 'long-enough-pass', role: 'admin' });
    expect(escalate.status).toBe(403);
    await t.http.get(`/api/v1/users/${created.body.id}`).set(p2.auth).expect(404);
    await t.http.patch(`/api/v1/users/${created.body.id}`).set(p2.auth).send({ active: false }).expect(404);
    const disabled = await t.http.patch(`/api/v1/users/${created.body.id}`).set(p1.auth).send({ active: false }).expect(200);
    expect(disabled.body.active).toBe(false);
    const roleChange = await t.http.patch(`/api/v1/users/${p2.id}`).set(p1.auth).send({ role: 'admin' });
    expect(roleChange.status).toBe(404);
    const ownRole = await t.http.patch(`/api/v1/users/${created.body.id}`).set(p1.auth).send({ role: 'admin' });
    expect(ownRole.status).toBe(403);
    const list = await t.http.get('/api/v1/users').set(p1.auth).expect(200);
    const ids = list.body.items.map((u: { id: string }) => u.id);
    expect(ids).toEqual(expect.arrayContaining([p1.id, created.body.id]));
    expect(ids).not.toContain(p2.id);
  });

  it('tutors see only themselves', async () => {
    const tutor = await newUser(t, { role: 'tutor', tutorId: '3c3c3c3c-0000-4000-8000-000000000003' });
    const admin = await newUser(t);
    const list = await t.http.get('/api/v1/users').set(tutor.auth).expect(200);
    expect(list.body.items.map((u: { id: string }) => u.id)).toEqual([tutor.id]);
    await t.http.get(`/api/v1/users/${admin.id}`).set(tutor.auth).expect(404);
  });
});
