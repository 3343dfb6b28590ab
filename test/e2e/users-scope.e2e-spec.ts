import { newLocation, newTutor, newUser, TestLocation, TestUser } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

const UNKNOWN_ID = '7a1f0d4e-2b1c-4c3d-8e9f-0a1b2c3d4e5f';

/** API.md /users: staff create and disable `tutor` accounts of tutors at their branches. */
describe('users: scope through tutors and locations', () => {
  let t: TestApp;
  let admin: TestUser;
  let A: TestLocation;
  let B: TestLocation;
  let staffA: TestUser;
  let staffB: TestUser;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await newUser(t);
    A = await newLocation(t);
    B = await newLocation(t);
    staffA = await newUser(t, { role: 'staff', locationIds: [A.id] });
    staffB = await newUser(t, { role: 'staff', locationIds: [B.id] });
  });
  afterAll(() => t.close());

  let n = 0;
  const account = (tutorId: string | undefined, extra: Record<string, unknown> = {}) => ({
    email: `tutor-account-${++n}@example.fi`,
    password: 'long-enough-password',
    role: 'tutor',
    tutorId,
    ...extra,
  });
  const userCount = async () => (await t.db.query('SELECT count(*)::int AS n FROM users'))[0].n as number;

  it('staff create a tutor account for a tutor at their branch; it logs in and reads its tutor', async () => {
    const tutor = await newTutor(t, { locationIds: [A.id] });
    const body = account(tutor.id);
    const created = await t.http.post('/api/v1/users').set(staffA.auth).send(body).expect(201);
    expect(created.body).toMatchObject({ role: 'tutor', tutorId: tutor.id, locationIds: [], active: true });
    const login = await t.http.post('/api/v1/auth/login').send({ email: body.email, password: body.password }).expect(200);
    const own = await t.http.get(`/api/v1/tutors/${tutor.id}`).set('Authorization', `Bearer ${login.body.accessToken}`).expect(200);
    expect(own.body.id).toBe(tutor.id);
  });

  it('staff cannot create accounts for tutors elsewhere (403), nor give them branches', async () => {
    const atB = await newTutor(t, { locationIds: [B.id] });
    const before = await userCount();
    const elsewhere = await t.http.post('/api/v1/users').set(staffA.auth).send(account(atB.id));
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.type).toBe('/problems/forbidden');
    const atA = await newTutor(t, { locationIds: [A.id] });
    const withBranches = await t.http.post('/api/v1/users').set(staffA.auth).send(account(atA.id, { locationIds: [A.id] }));
    expect(withBranches.status).toBe(403);
    const staffAccount = await t.http.post('/api/v1/users').set(staffA.auth).send(account(undefined, { role: 'staff', locationIds: [A.id] }));
    expect(staffAccount.status).toBe(403);
    expect(await userCount()).toBe(before);
  });

  it('unknown tutor or location ids in the body are 422 by field', async () => {
    const before = await userCount();
    const unknownTutor = await t.http.post('/api/v1/users').set(staffA.auth).send(account(UNKNOWN_ID));
    expect(unknownTutor.status).toBe(422);
    expect(unknownTutor.body.errors).toEqual([expect.objectContaining({ field: 'tutorId', code: 'unknown-tutor' })]);
    const byAdmin = await t.http.post('/api/v1/users').set(admin.auth).send(account(UNKNOWN_ID));
    expect(byAdmin.status).toBe(422);
    expect(byAdmin.body.errors[0].field).toBe('tutorId');
    const unknownBranch = await t.http
      .post('/api/v1/users')
      .set(admin.auth)
      .send({ email: 'new-staff@example.fi', password: 'long-enough-password', role: 'staff', locationIds: [A.id, UNKNOWN_ID] });
    expect(unknownBranch.status).toBe(422);
    expect(unknownBranch.body.errors).toEqual([expect.objectContaining({ field: 'locationIds', code: 'unknown-location' })]);
    expect(await userCount()).toBe(before);
    const patchUnknown = await t.http.patch(`/api/v1/users/${staffA.id}`).set(admin.auth).send({ locationIds: [UNKNOWN_ID] });
    expect(patchUnknown.status).toBe(422);
    expect(patchUnknown.body.errors[0].field).toBe('locationIds');
    const ok = await t.http
      .post('/api/v1/users')
      .set(admin.auth)
      .send({ email: 'real-staff@example.fi', password: 'long-enough-password', role: 'staff', locationIds: [A.id, B.id] })
      .expect(201);
    expect(ok.body.locationIds).toEqual([A.id, B.id]);
  });

  it('a tutor account with an unknown tutor is still 403 for a caller whose role may not create it', async () => {
    const tutorUser = await newUser(t, { role: 'tutor', tutorId: (await newTutor(t, { locationIds: [A.id] })).id });
    const res = await t.http.post('/api/v1/users').set(tutorUser.auth).send(account(UNKNOWN_ID));
    expect(res.status).toBe(403);
  });

  it('staff list, read and disable tutor accounts of their branches only, and change nothing else', async () => {
    const atA = await newTutor(t, { locationIds: [A.id] });
    const shared = await newTutor(t, { locationIds: [A.id, B.id] });
    const atB = await newTutor(t, { locationIds: [B.id] });
    const userA = await newUser(t, { role: 'tutor', tutorId: atA.id });
    const userShared = await newUser(t, { role: 'tutor', tutorId: shared.id });
    const userB = await newUser(t, { role: 'tutor', tutorId: atB.id });

    const list = await t.http.get('/api/v1/users').set(staffA.auth).query({ limit: 500 }).expect(200);
    const ids = list.body.items.map((u: { id: string }) => u.id);
    expect(ids).toEqual(expect.arrayContaining([staffA.id, userA.id, userShared.id]));
    expect(ids).not.toContain(userB.id);
    expect(ids).not.toContain(staffB.id);
    await t.http.get(`/api/v1/users/${userA.id}`).set(staffA.auth).expect(200);
    await t.http.get(`/api/v1/users/${userB.id}`).set(staffA.auth).expect(404);
    await t.http.get(`/api/v1/users/${userShared.id}`).set(staffB.auth).expect(200);

    const disabled = await t.http.patch(`/api/v1/users/${userA.id}`).set(staffA.auth).send({ active: false }).expect(200);
    expect(disabled.body.active).toBe(false);
    await t.http.get('/api/v1/auth/me').set(userA.auth).expect(401);
    const reenabled = await t.http.patch(`/api/v1/users/${userA.id}`).set(staffA.auth).send({ active: true }).expect(200);
    expect(reenabled.body.active).toBe(true);

    const escalate = await t.http.patch(`/api/v1/users/${userA.id}`).set(staffA.auth).send({ role: 'admin' });
    expect(escalate.status).toBe(403);
    const retarget = await t.http.patch(`/api/v1/users/${userA.id}`).set(staffA.auth).send({ tutorId: atB.id });
    expect(retarget.status).toBe(403);
    const other = await t.http.patch(`/api/v1/users/${userB.id}`).set(staffA.auth).send({ active: false });
    expect(other.status).toBe(404);
    expect((await t.db.query('SELECT active FROM users WHERE id = $1', [userB.id]))[0].active).toBe(true);
  });

  it('when the tutor leaves the branch, its staff lose the account too', async () => {
    const tutor = await newTutor(t, { locationIds: [A.id, B.id] });
    const user = await newUser(t, { role: 'tutor', tutorId: tutor.id });
    await t.http.get(`/api/v1/users/${user.id}`).set(staffA.auth).expect(200);
    await t.http.patch(`/api/v1/tutors/${tutor.id}`).set(staffA.auth).send({ locationIds: [B.id] }).expect(200);
    await t.http.get(`/api/v1/users/${user.id}`).set(staffA.auth).expect(404);
    expect((await t.http.patch(`/api/v1/users/${user.id}`).set(staffA.auth).send({ active: false })).status).toBe(404);
    await t.http.patch(`/api/v1/users/${user.id}`).set(staffB.auth).send({ active: false }).expect(200);
  });
});
