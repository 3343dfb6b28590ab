import { newLocation, newTutor, newUser, TestLocation, TestUser } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

const UNKNOWN_ID = '7a1f0d4e-2b1c-4c3d-8e9f-0a1b2c3d4e5f';

describe('tutor absences', () => {
  let t: TestApp;
  let admin: TestUser;
  let A: TestLocation;
  let B: TestLocation;
  let staffA: TestUser;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await newUser(t);
    A = await newLocation(t);
    B = await newLocation(t);
    staffA = await newUser(t, { role: 'staff', locationIds: [A.id] });
  });
  afterAll(() => t.close());

  const url = (tutorId: string) => `/api/v1/tutors/${tutorId}/absences`;
  const count = async (tutorId: string) => (await t.db.query('SELECT count(*)::int AS n FROM tutor_absences WHERE tutor_id = $1', [tutorId]))[0].n as number;

  it('records an absence and answers it in the branch offset, with affectedBookings', async () => {
    const tutor = await newTutor(t, { locationIds: [A.id] });
    const created = await t.http
      .post(url(tutor.id))
      .set(admin.auth)
      .send({ start: '2026-12-06T22:00:00Z', end: '2027-06-01T09:30:00.000+03:00', reason: ' Vuosiloma ' })
      .expect(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      tutorId: tutor.id,
      start: '2026-12-07T00:00:00+02:00',
      end: '2027-06-01T09:30:00+03:00',
      reason: 'Vuosiloma',
      affectedBookings: [],
      otherBranches: [], // issue 18 item 11
    });
    const stored = await t.db.query('SELECT starts_at, ends_at FROM tutor_absences WHERE id = $1', [created.body.id]);
    expect(stored[0].starts_at.toISOString()).toBe('2026-12-06T22:00:00.000Z');
    expect(stored[0].ends_at.toISOString()).toBe('2027-06-01T06:30:00.000Z');

    const got = await t.http.get(`${url(tutor.id)}/${created.body.id}`).set(admin.auth).expect(200);
    expect(got.body).toEqual(created.body);
    const noReason = await t.http.post(url(tutor.id)).set(admin.auth).send({ start: '2027-07-01T10:00:00+03:00', end: '2027-07-01T12:00:00+03:00', cancelAffected: true }).expect(201);
    expect(noReason.body.reason).toBeNull();
  });

  it('rejects instants without an offset, bad ranges and absences over 366 days', async () => {
    const tutor = await newTutor(t, { locationIds: [A.id] });
    const cases: [Record<string, unknown>, string, string, string][] = [
      [{ start: '2026-12-07T10:00:00', end: '2026-12-07T12:00:00+02:00' }, 'start', 'invalid-instant', 'validation-failed'],
      [{ start: '2026-12-07T10:00:00+02:00', end: '2026-12-07T12:00' }, 'end', 'invalid-instant', 'validation-failed'],
      [{ start: '2026-12-07', end: '2026-12-08T00:00:00+02:00' }, 'start', 'invalid-instant', 'validation-failed'],
      [{ start: '2026-02-30T10:00:00Z', end: '2026-12-08T00:00:00Z' }, 'start', 'invalid-instant', 'validation-failed'],
      [{ start: 1765000000000, end: '2026-12-08T00:00:00Z' }, 'start', 'invalid-instant', 'validation-failed'],
      [{ start: '2026-12-07T10:00:00+14:30', end: '2026-12-08T00:00:00Z' }, 'start', 'invalid-instant', 'validation-failed'],
      [{ end: '2026-12-08T00:00:00Z' }, 'start', 'required', 'validation-failed'],
      [{ start: '2026-12-07T12:00:00+02:00', end: '2026-12-07T10:00:00+02:00' }, 'end', 'end-before-start', 'validation-failed'],
      [{ start: '2026-12-07T12:00:00+02:00', end: '2026-12-07T10:00:00Z' }, 'end', 'end-before-start', 'validation-failed'],
      [{ start: '2026-01-01T00:00:00Z', end: '2027-01-02T00:00:01Z' }, 'end', 'range-too-long', 'range-too-long'],
      [{ start: '2026-12-07T10:00:00Z', end: '2026-12-07T12:00:00Z', reason: 'x'.repeat(501) }, 'reason', 'max-length', 'validation-failed'],
      [{ start: '2026-12-07T10:00:00Z', end: '2026-12-07T12:00:00Z', cancelAffected: 'yes' }, 'cancelAffected', 'invalid-type', 'validation-failed'],
      [{ start: '2026-12-07T10:00:00Z', end: '2026-12-07T12:00:00Z', tutorId: UNKNOWN_ID }, 'tutorId', 'unknown-field', 'validation-failed'],
    ];
    for (const [body, field, code, type] of cases) {
      const res = await t.http.post(url(tutor.id)).set(admin.auth).send(body);
      expect({ field, status: res.status, type: res.body.type }).toEqual({ field, status: 422, type: `/problems/${type}` });
      expect({ field, error: res.body.errors?.[0] }).toEqual({ field, error: expect.objectContaining({ field, code }) });
    }
    expect(await count(tutor.id)).toBe(0);
    // exactly 366 days is allowed
    await t.http.post(url(tutor.id)).set(admin.auth).send({ start: '2026-01-01T00:00:00Z', end: '2027-01-02T00:00:00Z' }).expect(201);
  });

  it('lists by start, selects a range with dates or instants, and pages', async () => {
    const tutor = await newTutor(t, { locationIds: [A.id] });
    const add = (start: string, end: string) => t.http.post(url(tutor.id)).set(admin.auth).send({ start, end }).expect(201);
    const late = await add('2027-02-01T08:00:00+02:00', '2027-02-01T16:00:00+02:00');
    const early = await add('2026-12-01T08:00:00+02:00', '2026-12-03T16:00:00+02:00');
    const mid = await add('2027-01-10T00:00:00+02:00', '2027-01-11T00:00:00+02:00');
    const ids = (res: { body: { items: { id: string }[] } }) => res.body.items.map((i) => i.id);
    const list = (query: Record<string, unknown> = {}) => t.http.get(url(tutor.id)).set(admin.auth).query(query);

    expect(ids(await list().expect(200))).toEqual([early.body.id, mid.body.id, late.body.id]);
    // a date `to` is inclusive; a date `from` starts at local midnight
    expect(ids(await list({ from: '2026-12-03', to: '2027-01-10' }).expect(200))).toEqual([early.body.id, mid.body.id]);
    expect(ids(await list({ from: '2026-12-04', to: '2027-01-09' }).expect(200))).toEqual([]);
    // an instant `to` is exclusive
    expect(ids(await list({ from: '2027-01-11T00:00:00+02:00', to: '2027-02-01T08:00:00+02:00' }).expect(200))).toEqual([]);
    expect(ids(await list({ from: '2027-01-10T23:59:00+02:00' }).expect(200))).toEqual([mid.body.id, late.body.id]);

    const page1 = await list({ limit: 2 }).expect(200);
    expect(ids(page1)).toEqual([early.body.id, mid.body.id]);
    const page2 = await list({ limit: 2, cursor: page1.body.nextCursor }).expect(200);
    expect(ids(page2)).toEqual([late.body.id]);
    expect(page2.body.nextCursor).toBeNull();

    const tooLong = await list({ from: '2026-01-01', to: '2027-01-02' });
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.type).toBe('/problems/range-too-long');
    await list({ from: '2026-01-01', to: '2026-12-31' }).expect(200);
    for (const [query, field] of [
      [{ from: 'yesterday' }, 'from'],
      [{ to: '2027-01-10T10:00:00' }, 'to'],
      [{ from: '2027-01-10', to: '2027-01-01' }, 'to'],
      [{ cursor: 'nope' }, 'cursor'],
    ] as [Record<string, string>, string][]) {
      const res = await list(query);
      expect({ query, status: res.status, field: res.body.errors?.[0]?.field }).toEqual({ query, status: 422, field });
    }
  });

  it('deletes an absence (204); unknown ids are 404', async () => {
    const tutor = await newTutor(t, { locationIds: [A.id] });
    const other = await newTutor(t, { locationIds: [A.id] });
    const absence = await t.http.post(url(tutor.id)).set(admin.auth).send({ start: '2026-12-10T08:00:00Z', end: '2026-12-10T10:00:00Z' }).expect(201);
    // the absence belongs to its tutor only
    await t.http.get(`${url(other.id)}/${absence.body.id}`).set(admin.auth).expect(404);
    await t.http.delete(`${url(other.id)}/${absence.body.id}`).set(admin.auth).expect(404);
    await t.http.delete(`${url(tutor.id)}/${absence.body.id}`).set(admin.auth).expect(204);
    await t.http.get(`${url(tutor.id)}/${absence.body.id}`).set(admin.auth).expect(404);
    await t.http.delete(`${url(tutor.id)}/${absence.body.id}`).set(admin.auth).expect(404);
    for (const path of [`${url(tutor.id)}/${UNKNOWN_ID}`, `${url(tutor.id)}/nope`, url(UNKNOWN_ID), url('nope')]) {
      const res = await t.http.get(path).set(admin.auth);
      expect({ path, status: res.status, type: res.body.type }).toEqual({ path, status: 404, type: '/problems/not-found' });
    }
    const post = await t.http.post(url(UNKNOWN_ID)).set(admin.auth).send({ start: '2026-12-10T08:00:00Z', end: '2026-12-10T10:00:00Z' });
    expect(post.status).toBe(404);
  });

  it('staff of a branch where the tutor works manage absences; others see nothing; tutors only read', async () => {
    const shared = await newTutor(t, { locationIds: [A.id, B.id] });
    const atB = await newTutor(t, { locationIds: [B.id] });
    const body = { start: '2026-12-14T08:00:00+02:00', end: '2026-12-14T16:00:00+02:00', reason: 'Koulutus' };
    const byStaff = await t.http.post(url(shared.id)).set(staffA.auth).send(body).expect(201);
    await t.http.get(url(shared.id)).set(staffA.auth).expect(200);

    const hiddenPost = await t.http.post(url(atB.id)).set(staffA.auth).send(body);
    expect(hiddenPost.status).toBe(404);
    const hiddenList = await t.http.get(url(atB.id)).set(staffA.auth);
    expect(hiddenList.status).toBe(404);
    expect(await count(atB.id)).toBe(0);

    const tutorUser = await newUser(t, { role: 'tutor', tutorId: shared.id });
    const own = await t.http.get(url(shared.id)).set(tutorUser.auth).expect(200);
    expect(own.body.items.map((i: { id: string }) => i.id)).toEqual([byStaff.body.id]);
    expect((await t.http.post(url(shared.id)).set(tutorUser.auth).send(body)).status).toBe(403);
    expect((await t.http.delete(`${url(shared.id)}/${byStaff.body.id}`).set(tutorUser.auth)).status).toBe(403);
    expect((await t.http.get(url(atB.id)).set(tutorUser.auth)).status).toBe(404);

    expect((await t.http.get(url(shared.id))).status).toBe(401);
    expect((await t.http.post(url(shared.id)).send(body)).status).toBe(401);
    expect((await t.http.delete(`${url(shared.id)}/${byStaff.body.id}`)).status).toBe(401);

    await t.http.delete(`${url(shared.id)}/${byStaff.body.id}`).set(staffA.auth).expect(204);
    expect(await count(shared.id)).toBe(0);
  });
});
