import { ensurePartner, newLocation, newTopic, newTutor, newUser, TestLocation, TestUser } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

const PROBLEM = /^application\/problem\+json/;
const UNKNOWN_ID = '7a1f0d4e-2b1c-4c3d-8e9f-0a1b2c3d4e5f';
const PARTNER = '5e5e5e5e-0000-4000-8000-000000000005';
const sorted = (ids: string[]) => [...ids].sort();

describe('tutors', () => {
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
    await ensurePartner(t, PARTNER);
  });
  afterAll(() => t.close());

  const tutorCount = async () => (await t.db.query('SELECT count(*)::int AS n FROM tutors'))[0].n as number;

  it('admin creates a tutor at several branches; reads it back with an ETag', async () => {
    const created = await t.http
      .post('/api/v1/tutors')
      .set(admin.auth)
      .send({
        displayName: '  Matti V. ',
        kind: 'volunteer',
        email: 'Matti.V@Example.fi',
        phone: '040 123 4567',
        locationIds: [B.id, A.id],
        topics: ['online-banking', 'smartphone-tablet', 'online-banking'],
        languages: ['fi', 'SV'],
      })
      .expect(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      displayName: 'Matti V.',
      kind: 'volunteer',
      partnerId: null,
      email: 'matti.v@example.fi',
      phone: '+358401234567',
      locationIds: sorted([A.id, B.id]),
      inactiveLocationIds: [], // issue 18 item 9
      topics: ['smartphone-tablet', 'online-banking'],
      languages: ['fi', 'sv'],
      active: true,
      version: 1,
    });
    expect(created.headers.etag).toBe('"1"');
    const got = await t.http.get(`/api/v1/tutors/${created.body.id}`).set(admin.auth).expect(200);
    expect(got.body).toEqual(created.body);
    expect(got.headers.etag).toBe('"1"');
    const list = await t.http.get('/api/v1/tutors').set(admin.auth).query({ limit: 500 }).expect(200);
    expect(list.body.items.map((i: { id: string }) => i.id)).toContain(created.body.id);
  });

  it('creates staff tutors and partner advisors; contacts are optional', async () => {
    const staffTutor = await t.http
      .post('/api/v1/tutors')
      .set(admin.auth)
      .send({ displayName: 'Liisa K.', kind: 'staff', locationIds: [A.id], languages: ['fi'] })
      .expect(201);
    expect(staffTutor.body).toMatchObject({ kind: 'staff', email: null, phone: null, topics: [], partnerId: null });
    const advisor = await t.http
      .post('/api/v1/tutors')
      .set(admin.auth)
      .send({ displayName: 'Kela-neuvoja', kind: 'advisor', partnerId: PARTNER, locationIds: [], topics: ['kela'], languages: ['fi', 'sv'] })
      .expect(201);
    expect(advisor.body).toMatchObject({ kind: 'advisor', partnerId: PARTNER, locationIds: [], topics: ['kela'] });
  });

  it('rejects bad bodies with 422 by field and stores nothing', async () => {
    const before = await tutorCount();
    const base = { displayName: 'Testi T.', kind: 'volunteer', locationIds: [A.id], topics: ['email'], languages: ['fi'] };
    const cases: [Record<string, unknown>, string, string?][] = [
      [{ ...base, topics: ['email', 'no-such-topic'] }, 'topics', 'unknown-topic'],
      [{ ...base, topics: ['Not A Slug'] }, 'topics'],
      [{ ...base, languages: ['xx'] }, 'languages', 'unknown-language'],
      [{ ...base, languages: ['fin'] }, 'languages', 'unknown-language'],
      [{ ...base, languages: ['fi', 'zz'] }, 'languages', 'unknown-language'],
      [{ ...base, languages: [] }, 'languages'],
      [{ ...base, languages: undefined }, 'languages'],
      [{ ...base, phone: 'call me' }, 'phone', 'invalid-phone'],
      [{ ...base, phone: '123' }, 'phone', 'invalid-phone'],
      [{ ...base, email: 'not-an-email' }, 'email', 'invalid-email'],
      [{ ...base, kind: 'wizard' }, 'kind', 'not-allowed'],
      [{ ...base, kind: 'advisor' }, 'partnerId', 'required'],
      [{ ...base, partnerId: PARTNER }, 'partnerId', 'only-for-advisors'],
      [{ ...base, partnerId: 'not-a-uuid', kind: 'advisor' }, 'partnerId', 'invalid-id'],
      [{ ...base, locationIds: [UNKNOWN_ID] }, 'locationIds', 'unknown-location'],
      [{ ...base, locationIds: ['nope'] }, 'locationIds', 'invalid-id'],
      [{ ...base, displayName: '   ' }, 'displayName'],
      [{ ...base, displayName: 'x'.repeat(101) }, 'displayName'],
      [{ ...base, active: 'yes' }, 'active'],
      [{ ...base, rating: 5 }, 'rating', 'unknown-field'],
    ];
    for (const [body, field, code] of cases) {
      const res = await t.http.post('/api/v1/tutors').set(admin.auth).send(body);
      expect({ field, status: res.status, type: res.body.type }).toEqual({ field, status: 422, type: '/problems/validation-failed' });
      expect(res.headers['content-type']).toMatch(PROBLEM);
      const error = res.body.errors.find((e: { field: string }) => e.field === field);
      expect({ field, error }).toEqual({ field, error: expect.objectContaining({ field, ...(code ? { code } : {}) }) });
    }
    expect(await tutorCount()).toBe(before);
  });

  it('unknown or malformed ids in the path are 404; anonymous callers get 401', async () => {
    for (const path of [`/api/v1/tutors/${UNKNOWN_ID}`, '/api/v1/tutors/not-a-uuid']) {
      const res = await t.http.get(path).set(admin.auth);
      expect(res.status).toBe(404);
      expect(res.body.type).toBe('/problems/not-found');
    }
    expect((await t.http.patch(`/api/v1/tutors/${UNKNOWN_ID}`).set(admin.auth).send({ active: false })).status).toBe(404);
    const tutor = await newTutor(t, { locationIds: [A.id] });
    for (const res of [
      await t.http.get('/api/v1/tutors'),
      await t.http.get(`/api/v1/tutors/${tutor.id}`),
      await t.http.post('/api/v1/tutors').send({ displayName: 'X', kind: 'staff', languages: ['fi'] }),
      await t.http.patch(`/api/v1/tutors/${tutor.id}`).send({ active: false }),
    ]) {
      expect(res.status).toBe(401);
      expect(res.body.type).toBe('/problems/unauthenticated');
    }
  });

  it('PATCH changes fields, topics and branches; If-Match guards against lost updates', async () => {
    const tutor = await newTutor(t, { locationIds: [A.id], topics: ['email'], languages: ['fi'] });
    const patched = await t.http
      .patch(`/api/v1/tutors/${tutor.id}`)
      .set(admin.auth)
      .set('If-Match', '"1"')
      .send({ displayName: 'Uusi Nimi', topics: ['video-calls', 'email'], languages: ['fi', 'en'], locationIds: [B.id], phone: null })
      .expect(200);
    expect(patched.body).toMatchObject({ displayName: 'Uusi Nimi', topics: ['email', 'video-calls'], languages: ['fi', 'en'], locationIds: [B.id], phone: null, version: 2 });
    expect(patched.headers.etag).toBe('"2"');

    const stale = await t.http.patch(`/api/v1/tutors/${tutor.id}`).set(admin.auth).set('If-Match', '"1"').send({ displayName: 'Lost' });
    expect(stale.status).toBe(412);
    expect(stale.body.type).toBe('/problems/version-mismatch');
    expect((await t.http.get(`/api/v1/tutors/${tutor.id}`).set(admin.auth)).body.displayName).toBe('Uusi Nimi');

    const noHeader = await t.http.patch(`/api/v1/tutors/${tutor.id}`).set(admin.auth).send({ active: false }).expect(200);
    expect(noHeader.body).toMatchObject({ active: false, version: 3 });

    const bad = await t.http.patch(`/api/v1/tutors/${tutor.id}`).set(admin.auth).send({ topics: ['nope'] });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0]).toMatchObject({ field: 'topics', code: 'unknown-topic' });
    const badLang = await t.http.patch(`/api/v1/tutors/${tutor.id}`).set(admin.auth).send({ languages: ['qq'] });
    expect(badLang.status).toBe(422);
    expect(badLang.body.errors[0]).toMatchObject({ field: 'languages', code: 'unknown-language' });
    const badLoc = await t.http.patch(`/api/v1/tutors/${tutor.id}`).set(admin.auth).send({ locationIds: [A.id, UNKNOWN_ID] });
    expect(badLoc.status).toBe(422);
    expect(badLoc.body.errors[0]).toMatchObject({ field: 'locationIds', code: 'unknown-location' });
    const advisorWithout = await t.http.patch(`/api/v1/tutors/${tutor.id}`).set(admin.auth).send({ kind: 'advisor' });
    expect(advisorWithout.status).toBe(422);
    expect(advisorWithout.body.errors[0].field).toBe('partnerId');
    const after = await t.http.get(`/api/v1/tutors/${tutor.id}`).set(admin.auth).expect(200);
    expect(after.body).toMatchObject({ topics: ['email', 'video-calls'], languages: ['fi', 'en'], locationIds: [B.id], kind: 'volunteer', version: 3 });
  });

  it('an inactive topic may stay on a tutor but not be added', async () => {
    const retired = await newTopic(t, { active: false });
    const tutor = await newTutor(t, { locationIds: [A.id], topics: [retired.slug] });
    const add = await t.http.post('/api/v1/tutors').set(admin.auth).send({ displayName: 'X', kind: 'staff', languages: ['fi'], topics: [retired.slug] });
    expect(add.status).toBe(422);
    expect(add.body.errors[0]).toMatchObject({ field: 'topics', code: 'inactive-topic' });
    const keep = await t.http.patch(`/api/v1/tutors/${tutor.id}`).set(admin.auth).send({ topics: [retired.slug, 'email'] }).expect(200);
    expect(keep.body.topics).toEqual(expect.arrayContaining([retired.slug, 'email']));
  });

  it('staff see tutors at their branches, contacts included, and nothing else (404)', async () => {
    const atA = await newTutor(t, { locationIds: [A.id], email: 'a-only@example.fi', phone: '+358401111111' });
    const shared = await newTutor(t, { locationIds: [A.id, B.id], email: 'shared@example.fi' });
    const atB = await newTutor(t, { locationIds: [B.id], email: 'b-only@example.fi', phone: '+358402222222' });

    const list = await t.http.get('/api/v1/tutors').set(staffA.auth).query({ limit: 500 }).expect(200);
    const ids = list.body.items.map((i: { id: string }) => i.id);
    expect(ids).toEqual(expect.arrayContaining([atA.id, shared.id]));
    expect(ids).not.toContain(atB.id);
    expect(list.body.items.every((i: { locationIds: string[] }) => i.locationIds.includes(A.id))).toBe(true);

    const sharedView = await t.http.get(`/api/v1/tutors/${shared.id}`).set(staffA.auth).expect(200);
    expect(sharedView.body.email).toBe('shared@example.fi');
    const hidden = await t.http.get(`/api/v1/tutors/${atB.id}`).set(staffA.auth);
    expect(hidden.status).toBe(404);
    expect(hidden.body.type).toBe('/problems/not-found');
    expect(JSON.stringify(hidden.body)).not.toMatch(/b-only|358402222222/);
    const patchHidden = await t.http.patch(`/api/v1/tutors/${atB.id}`).set(staffA.auth).send({ locationIds: [A.id, B.id] });
    expect(patchHidden.status).toBe(404);
    expect((await t.db.query('SELECT count(*)::int AS n FROM tutor_locations WHERE tutor_id = $1', [atB.id]))[0].n).toBe(1);

    // a filter naming the other branch finds nothing the caller may not see
    const other = await t.http.get('/api/v1/tutors').set(staffA.auth).query({ locationId: B.id, limit: 500 }).expect(200);
    expect(other.body.items.map((i: { id: string }) => i.id)).not.toContain(atB.id);
    expect(other.body.items.map((i: { id: string }) => i.id)).toContain(shared.id);
  });

  it("staff create tutors only at their own branches, and never advisors", async () => {
    const ok = await t.http.post('/api/v1/tutors').set(staffA.auth).send({ displayName: 'Oma', kind: 'staff', locationIds: [A.id], languages: ['fi'] }).expect(201);
    expect(ok.body.locationIds).toEqual([A.id]);
    const before = await tutorCount();
    const elsewhere = await t.http.post('/api/v1/tutors').set(staffA.auth).send({ displayName: 'Vieras', kind: 'staff', locationIds: [A.id, B.id], languages: ['fi'] });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.type).toBe('/problems/forbidden');
    const nowhere = await t.http.post('/api/v1/tutors').set(staffA.auth).send({ displayName: 'Ei', kind: 'staff', languages: ['fi'] });
    expect(nowhere.status).toBe(422);
    expect(nowhere.body.errors[0]).toMatchObject({ field: 'locationIds', code: 'required' });
    const advisor = await t.http
      .post('/api/v1/tutors')
      .set(staffA.auth)
      .send({ displayName: 'Neuvoja', kind: 'advisor', partnerId: PARTNER, locationIds: [A.id], languages: ['fi'] });
    expect(advisor.status).toBe(403);
    expect(await tutorCount()).toBe(before);
  });

  it("staff of A change A's membership of a shared tutor, never B's (403)", async () => {
    const shared = await newTutor(t, { locationIds: [A.id, B.id] });
    const addB = await newTutor(t, { locationIds: [A.id] });
    const removeB = await t.http.patch(`/api/v1/tutors/${shared.id}`).set(staffA.auth).send({ locationIds: [A.id] });
    expect(removeB.status).toBe(403);
    expect(removeB.body.type).toBe('/problems/forbidden');
    const addOther = await t.http.patch(`/api/v1/tutors/${addB.id}`).set(staffA.auth).send({ locationIds: [A.id, B.id] });
    expect(addOther.status).toBe(403);
    expect(sorted((await t.db.query('SELECT location_id::text AS id FROM tutor_locations WHERE tutor_id = $1', [shared.id])).map((r: { id: string }) => r.id))).toEqual(
      sorted([A.id, B.id]),
    );

    // the tutor's own data belongs to every branch it works at
    const renamed = await t.http.patch(`/api/v1/tutors/${shared.id}`).set(staffA.auth).send({ displayName: 'Yhteinen', topics: ['kela'] }).expect(200);
    expect(renamed.body).toMatchObject({ displayName: 'Yhteinen', topics: ['kela'], locationIds: sorted([A.id, B.id]) });
    const toAdvisor = await t.http.patch(`/api/v1/tutors/${shared.id}`).set(staffA.auth).send({ kind: 'advisor', partnerId: PARTNER });
    expect(toAdvisor.status).toBe(403);

    // removing A is A's business; afterwards A's staff no longer see the tutor
    const leaveA = await t.http.patch(`/api/v1/tutors/${shared.id}`).set(staffA.auth).send({ locationIds: [B.id] }).expect(200);
    expect(leaveA.body.locationIds).toEqual([B.id]);
    await t.http.get(`/api/v1/tutors/${shared.id}`).set(staffA.auth).expect(404);
    await t.http.get(`/api/v1/tutors/${shared.id}`).set(staffB.auth).expect(200);
  });

  it('a tutor account reads its own tutor only; partners read their advisors only; neither writes', async () => {
    const own = await newTutor(t, { locationIds: [A.id] });
    const other = await newTutor(t, { locationIds: [A.id] });
    const me = await newUser(t, { role: 'tutor', tutorId: own.id });
    const got = await t.http.get(`/api/v1/tutors/${own.id}`).set(me.auth).expect(200);
    expect(got.body.id).toBe(own.id);
    await t.http.get(`/api/v1/tutors/${other.id}`).set(me.auth).expect(404);
    const list = await t.http.get('/api/v1/tutors').set(me.auth).expect(200);
    expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([own.id]);
    const write = await t.http.patch(`/api/v1/tutors/${own.id}`).set(me.auth).send({ displayName: 'Itse' });
    expect(write.status).toBe(403);
    expect((await t.http.post('/api/v1/tutors').set(me.auth).send({ displayName: 'X', kind: 'staff', languages: ['fi'] })).status).toBe(403);

    const advisor = await newTutor(t, { kind: 'advisor', partnerId: PARTNER });
    const partner = await newUser(t, { role: 'partner', partnerId: PARTNER });
    const partnerList = await t.http.get('/api/v1/tutors').set(partner.auth).query({ limit: 500 }).expect(200);
    expect(partnerList.body.items.length).toBeGreaterThan(0);
    expect(partnerList.body.items.every((i: { partnerId: string }) => i.partnerId === PARTNER)).toBe(true);
    expect(partnerList.body.items.map((i: { id: string }) => i.id)).toContain(advisor.id);
    await t.http.get(`/api/v1/tutors/${own.id}`).set(partner.auth).expect(404);
  });

  it('lists filter by branch, topic, language, kind and active, and page by cursor', async () => {
    const C = await newLocation(t);
    const fiSv = await newTutor(t, { displayName: 'Aaro', locationIds: [C.id], topics: ['email'], languages: ['fi', 'sv'], kind: 'staff' });
    const en = await newTutor(t, { displayName: 'Bea', locationIds: [C.id], topics: ['taxes'], languages: ['en'] });
    const off = await newTutor(t, { displayName: 'Cecilia', locationIds: [C.id], languages: ['fi'], active: false });
    const q = (query: Record<string, unknown>) => t.http.get('/api/v1/tutors').set(admin.auth).query({ locationId: C.id, ...query }).expect(200);
    const ids = (res: { body: { items: { id: string }[] } }) => res.body.items.map((i) => i.id);
    expect(ids(await q({}))).toEqual([fiSv.id, en.id, off.id]);
    expect(ids(await q({ topic: 'email' }))).toEqual([fiSv.id]);
    expect(ids(await q({ language: 'SV' }))).toEqual([fiSv.id]);
    expect(ids(await q({ kind: 'staff' }))).toEqual([fiSv.id]);
    expect(ids(await q({ active: 'false' }))).toEqual([off.id]);
    expect(ids(await q({ active: 'true' }))).toEqual([fiSv.id, en.id]);

    const page1 = await q({ limit: 2 });
    expect(ids(page1)).toEqual([fiSv.id, en.id]);
    const page2 = await q({ limit: 2, cursor: page1.body.nextCursor });
    expect(ids(page2)).toEqual([off.id]);
    expect(page2.body.nextCursor).toBeNull();

    const badTopic = await t.http.get('/api/v1/tutors').set(admin.auth).query({ topic: 'no-such-topic' });
    expect(badTopic.status).toBe(422);
    expect(badTopic.body.errors[0]).toMatchObject({ field: 'topic', code: 'unknown-topic' });
    const badLocation = await t.http.get('/api/v1/tutors').set(admin.auth).query({ locationId: UNKNOWN_ID });
    expect(badLocation.status).toBe(422);
    expect(badLocation.body.errors[0]).toMatchObject({ field: 'locationId', code: 'unknown-location' });
    const badLanguage = await t.http.get('/api/v1/tutors').set(admin.auth).query({ language: 'xx' });
    expect(badLanguage.status).toBe(422);
    expect(badLanguage.body.errors[0]).toMatchObject({ field: 'language', code: 'unknown-language' });
    expect((await t.http.get('/api/v1/tutors').set(admin.auth).query({ cursor: 'garbage!' })).status).toBe(422);
  });
});
