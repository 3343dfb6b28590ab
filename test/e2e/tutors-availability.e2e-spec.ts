import { newLocation, newTutor, newUser, TestLocation, TestUser } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

const UNKNOWN_ID = '7a1f0d4e-2b1c-4c3d-8e9f-0a1b2c3d4e5f';

const rule = (over: Record<string, unknown> = {}) => ({
  weekday: 2,
  startTime: '10:00',
  endTime: '14:00',
  sessionMinutes: 45,
  bufferMinutes: 15,
  validFrom: '2026-12-01',
  validUntil: null,
  ...over,
});

describe('tutor availability', () => {
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

  const url = (tutorId: string) => `/api/v1/tutors/${tutorId}/availability`;
  const put = (tutorId: string, locationId: string, rules: unknown[], user: TestUser = admin) =>
    t.http.put(url(tutorId)).query({ locationId }).set(user.auth).send({ rules });
  const storedRules = async (tutorId: string) =>
    (await t.db.query('SELECT count(*)::int AS n FROM availability_rules WHERE tutor_id = $1', [tutorId]))[0].n as number;

  it('replaces the rules at one branch and reads them back with a content ETag', async () => {
    const tutor = await newTutor(t, { locationIds: [A.id, B.id] });
    const empty = await t.http.get(url(tutor.id)).set(admin.auth).expect(200);
    expect(empty.body).toEqual({ rules: [] });
    const emptyTag = empty.headers.etag;
    expect(emptyTag).toMatch(/^"[A-Za-z0-9_-]+"$/);

    const rules = [rule({ weekday: 4, startTime: '16:00', endTime: '24:00', bufferMinutes: undefined, validUntil: '2027-05-31' }), rule()];
    const saved = await put(tutor.id, A.id, rules).expect(200);
    expect(saved.body).toEqual({
      rules: [
        { locationId: A.id, weekday: 2, startTime: '10:00', endTime: '14:00', sessionMinutes: 45, bufferMinutes: 15, validFrom: '2026-12-01', validUntil: null },
        { locationId: A.id, weekday: 4, startTime: '16:00', endTime: '24:00', sessionMinutes: 45, bufferMinutes: 0, validFrom: '2026-12-01', validUntil: '2027-05-31' },
      ],
      affectedBookings: [],
    });
    const tagA = saved.headers.etag;
    expect(tagA).not.toBe(emptyTag);

    const atA = await t.http.get(url(tutor.id)).query({ locationId: A.id }).set(admin.auth).expect(200);
    expect(atA.body).toEqual({ rules: saved.body.rules }); // a PUT also lists affectedBookings; a GET does not
    expect(atA.headers.etag).toBe(tagA);
    const atB = await t.http.get(url(tutor.id)).query({ locationId: B.id }).set(admin.auth).expect(200);
    expect(atB.body).toEqual({ rules: [] });

    await put(tutor.id, B.id, [rule({ weekday: 3 })]).expect(200);
    const all = await t.http.get(url(tutor.id)).set(admin.auth).expect(200);
    expect(all.body.rules.map((r: { locationId: string; weekday: number }) => [r.locationId, r.weekday])).toEqual(
      expect.arrayContaining([[A.id, 2], [A.id, 4], [B.id, 3]]),
    );
    expect(all.body.rules).toHaveLength(3);

    // replacing as a whole: an empty list clears the branch
    await put(tutor.id, A.id, []).expect(200);
    expect(await storedRules(tutor.id)).toBe(1);
  });

  it('rejects bad rules with 422 naming the field, and keeps what was stored', async () => {
    const tutor = await newTutor(t, { locationIds: [A.id] });
    await put(tutor.id, A.id, [rule()]).expect(200);
    const cases: [unknown, string][] = [
      [rule({ weekday: 8 }), 'rules.0.weekday'],
      [rule({ weekday: 0 }), 'rules.0.weekday'],
      [rule({ weekday: '2' }), 'rules.0.weekday'],
      [rule({ startTime: '25:00' }), 'rules.0.startTime'],
      [rule({ startTime: '24:00', endTime: '24:00' }), 'rules.0.startTime'],
      [rule({ startTime: '9:00' }), 'rules.0.startTime'],
      [rule({ endTime: '25:00' }), 'rules.0.endTime'],
      [rule({ endTime: '14:60' }), 'rules.0.endTime'],
      [rule({ startTime: '14:00', endTime: '10:00' }), 'rules.0.endTime'],
      [rule({ startTime: '10:00', endTime: '10:00' }), 'rules.0.endTime'],
      [rule({ sessionMinutes: 0 }), 'rules.0.sessionMinutes'],
      [rule({ sessionMinutes: 600 }), 'rules.0.sessionMinutes'],
      [rule({ sessionMinutes: 4 }), 'rules.0.sessionMinutes'],
      [rule({ sessionMinutes: 45.5 }), 'rules.0.sessionMinutes'],
      [rule({ startTime: '10:00', endTime: '10:30', sessionMinutes: 45 }), 'rules.0.sessionMinutes'],
      [rule({ bufferMinutes: -5 }), 'rules.0.bufferMinutes'],
      [rule({ bufferMinutes: 121 }), 'rules.0.bufferMinutes'],
      [rule({ validFrom: '2026-02-30' }), 'rules.0.validFrom'],
      [rule({ validFrom: undefined }), 'rules.0.validFrom'],
      [rule({ validUntil: '2026-11-30' }), 'rules.0.validUntil'],
      [rule({ validUntil: 'someday' }), 'rules.0.validUntil'],
      [rule({ colour: 'red' }), 'rules.0.colour'],
      ['not a rule', 'rules.0'],
    ];
    for (const [bad, field] of cases) {
      const res = await put(tutor.id, A.id, [bad]);
      expect({ field, status: res.status, type: res.body.type }).toEqual({ field, status: 422, type: '/problems/validation-failed' });
      expect({ field, fields: res.body.errors.map((e: { field: string }) => e.field) }).toEqual({ field, fields: expect.arrayContaining([field]) });
    }
    const second = await put(tutor.id, A.id, [rule(), rule({ weekday: 3, sessionMinutes: 0 })]);
    expect(second.status).toBe(422);
    expect(second.body.errors.map((e: { field: string }) => e.field)).toEqual(['rules.1.sessionMinutes']);
    for (const body of [{}, { rules: 'all' }, { rules: [rule()], extra: 1 }]) {
      const res = await t.http.put(url(tutor.id)).query({ locationId: A.id }).set(admin.auth).send(body);
      expect(res.status).toBe(422);
    }
    const stored = await t.http.get(url(tutor.id)).set(admin.auth).expect(200);
    expect(stored.body.rules).toEqual([{ locationId: A.id, ...rule() }]);
  });

  it('locationId must be given and be one of the tutor’s branches (422); unknown tutors are 404', async () => {
    const tutor = await newTutor(t, { locationIds: [A.id] });
    const missing = await t.http.put(url(tutor.id)).set(admin.auth).send({ rules: [rule()] });
    expect(missing.status).toBe(422);
    expect(missing.body.errors[0].field).toBe('locationId');
    const malformed = await put(tutor.id, 'branch-a', [rule()]);
    expect(malformed.status).toBe(422);
    expect(malformed.body.errors[0]).toMatchObject({ field: 'locationId', code: 'invalid-id' });
    const unknown = await put(tutor.id, UNKNOWN_ID, [rule()]);
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0]).toMatchObject({ field: 'locationId', code: 'unknown-location' });
    const notHis = await put(tutor.id, B.id, [rule()]);
    expect(notHis.status).toBe(422);
    expect(notHis.body.errors[0]).toMatchObject({ field: 'locationId', code: 'not-a-tutor-location' });
    const getNotHis = await t.http.get(url(tutor.id)).query({ locationId: B.id }).set(admin.auth);
    expect(getNotHis.status).toBe(422);
    expect(await storedRules(tutor.id)).toBe(0);

    for (const res of [await put(UNKNOWN_ID, A.id, [rule()]), await t.http.get(url(UNKNOWN_ID)).set(admin.auth), await t.http.get(url('nope')).set(admin.auth)]) {
      expect(res.status).toBe(404);
      expect(res.body.type).toBe('/problems/not-found');
    }
  });

  it('refuses overlapping rules within one branch: 422 rule-overlap naming the clashing rule', async () => {
    const tutor = await newTutor(t, { locationIds: [A.id] });
    const res = await put(tutor.id, A.id, [rule(), rule({ startTime: '13:00', endTime: '15:00', validFrom: '2027-01-01', validUntil: '2027-02-01' })]);
    expect(res.status).toBe(422);
    expect(res.body.type).toBe('/problems/rule-overlap');
    expect(res.body.clashingRule).toEqual({ locationId: A.id, ...rule() });
    expect(res.body.errors).toEqual([{ field: 'rules.1', code: 'rule-overlap', message: expect.any(String) }]);
    expect(await storedRules(tutor.id)).toBe(0);
    // touching end to start, another weekday, or disjoint validity are fine
    await put(tutor.id, A.id, [
      rule(),
      rule({ startTime: '14:00', endTime: '16:00' }),
      rule({ weekday: 3 }),
      rule({ validFrom: '2026-06-01', validUntil: '2026-11-30' }),
    ]).expect(200);
    expect(await storedRules(tutor.id)).toBe(4);
  });

  it('refuses rules that overlap the tutor’s rules at another branch', async () => {
    const tutor = await newTutor(t, { locationIds: [A.id, B.id] });
    await put(tutor.id, A.id, [rule()]).expect(200);
    const clash = await put(tutor.id, B.id, [rule({ weekday: 5 }), rule({ startTime: '13:30', endTime: '16:00', validFrom: '2027-03-01' })]);
    expect(clash.status).toBe(422);
    expect(clash.body.type).toBe('/problems/rule-overlap');
    expect(clash.body.clashingRule).toMatchObject({ locationId: A.id, weekday: 2, startTime: '10:00', endTime: '14:00', validFrom: '2026-12-01', validUntil: null });
    expect(clash.body.errors[0].field).toBe('rules.1');
    expect((await t.http.get(url(tutor.id)).query({ locationId: B.id }).set(admin.auth)).body.rules).toEqual([]);

    await put(tutor.id, B.id, [rule({ startTime: '14:00', endTime: '16:00' }), rule({ validFrom: '2026-01-01', validUntil: '2026-11-30' })]).expect(200);
  });

  it('PostgreSQL itself refuses overlapping rules (exclusion constraint), across branches', async () => {
    const tutor = await newTutor(t, { locationIds: [A.id, B.id], rules: [{ locationId: A.id, weekday: 2, startTime: '10:00', endTime: '14:00' }] });
    const insert = (locationId: string, start: number, end: number, from: string, until: string | null) =>
      t.db.query(
        `INSERT INTO availability_rules (tutor_id, location_id, weekday, start_minute, end_minute, session_minutes, buffer_minutes, valid_from, valid_until)
         VALUES ($1, $2, 2, $3, $4, 30, 0, $5, $6)`,
        [tutor.id, locationId, start, end, from, until],
      );
    await expect(insert(B.id, 13 * 60, 15 * 60, '2030-01-01', null)).rejects.toMatchObject({ driverError: { code: '23P01', constraint: 'availability_rules_no_overlap' } });
    await expect(insert(B.id, 14 * 60, 15 * 60, '2030-01-01', null)).resolves.toBeDefined();
    await expect(insert(B.id, 9 * 60, 11 * 60, '2025-01-01', '2025-12-31')).resolves.toBeDefined();
    await expect(insert(B.id, 9 * 60, 11 * 60, '2025-06-01', '2026-12-01')).rejects.toMatchObject({ driverError: { code: '23P01' } });
    // a rule needs the membership: none at an unrelated branch
    const C = await newLocation(t);
    await expect(insert(C.id, 18 * 60, 19 * 60, '2030-01-01', null)).rejects.toMatchObject({ driverError: { code: '23503' } });
  });

  it('two concurrent PUTs at different branches cannot both store clashing rules', async () => {
    for (let round = 0; round < 5; round++) {
      const tutor = await newTutor(t, { locationIds: [A.id, B.id] });
      const [atA, atB] = await Promise.all([put(tutor.id, A.id, [rule()]), put(tutor.id, B.id, [rule({ startTime: '12:00', endTime: '16:00' })])]);
      expect([atA.status, atB.status].sort()).toEqual([200, 422]);
      const failed = atA.status === 422 ? atA : atB;
      expect(failed.body.type).toBe('/problems/rule-overlap');
      expect(await storedRules(tutor.id)).toBe(1);
    }
  });

  it('a clash committed by another transaction during the PUT becomes 422 rule-overlap (the constraint, mapped)', async () => {
    const tutor = await newTutor(t, { locationIds: [A.id, B.id] });
    const other = t.db.createQueryRunner();
    await other.connect();
    try {
      await other.startTransaction();
      await other.query(
        `INSERT INTO availability_rules (tutor_id, location_id, weekday, start_minute, end_minute, session_minutes, buffer_minutes, valid_from, valid_until)
         VALUES ($1, $2, 2, 720, 960, 30, 0, '2026-12-01', NULL)`,
        [tutor.id, B.id],
      );
      // The PUT's pre-check cannot see the uncommitted rule; its INSERT waits on the constraint.
      const pending = put(tutor.id, A.id, [rule()]).then((r) => r);
      const waiting = async () =>
        (
          await t.db.query(
            `SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND pid IN (SELECT pid FROM pg_stat_activity WHERE datname = current_database())`,
          )
        )[0].n;
      for (let i = 0; i < 100 && (await waiting()) === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(await waiting()).toBeGreaterThan(0);
      await other.commitTransaction();
      const res = await pending;
      expect(res.status).toBe(422);
      expect(res.body.type).toBe('/problems/rule-overlap');
      expect(res.body.clashingRule).toMatchObject({ locationId: B.id, weekday: 2, startTime: '12:00', endTime: '16:00' });
    } finally {
      if (other.isTransactionActive) await other.rollbackTransaction();
      await other.release();
    }
    const stored = await t.db.query('SELECT location_id::text AS id FROM availability_rules WHERE tutor_id = $1', [tutor.id]);
    expect(stored).toEqual([{ id: B.id }]);
  });

  it('If-Match: a stale ETag is 412; the branch ETag or the all-branches ETag both work', async () => {
    const tutor = await newTutor(t, { locationIds: [A.id, B.id] });
    const v1 = await put(tutor.id, A.id, [rule()]).expect(200);
    const v2 = await put(tutor.id, A.id, [rule({ endTime: '15:00' })]).set('If-Match', v1.headers.etag).expect(200);
    const stale = await put(tutor.id, A.id, [rule({ endTime: '16:00' })]).set('If-Match', v1.headers.etag);
    expect(stale.status).toBe(412);
    expect(stale.body.type).toBe('/problems/version-mismatch');
    expect((await t.http.get(url(tutor.id)).query({ locationId: A.id }).set(admin.auth)).body.rules[0].endTime).toBe('15:00');

    // a change at B does not make A's ETag stale
    const allBefore = (await t.http.get(url(tutor.id)).set(admin.auth)).headers.etag;
    await put(tutor.id, B.id, [rule({ weekday: 6 })]).expect(200);
    await put(tutor.id, A.id, [rule({ endTime: '16:00' })]).set('If-Match', v2.headers.etag).expect(200);
    // but the ETag of all branches is stale after any change
    expect((await put(tutor.id, B.id, []).set('If-Match', allBefore)).status).toBe(412);
    const allNow = (await t.http.get(url(tutor.id)).set(admin.auth)).headers.etag;
    await put(tutor.id, B.id, []).set('If-Match', allNow).expect(200);
    await put(tutor.id, B.id, [rule({ weekday: 7 })]).set('If-Match', '*').expect(200);
  });

  it("staff edit rules at their own branch only: B's rules of a shared tutor are 403", async () => {
    const shared = await newTutor(t, { locationIds: [A.id, B.id] });
    const atB = await newTutor(t, { locationIds: [B.id], rules: [{ locationId: B.id, weekday: 1, startTime: '09:00', endTime: '12:00' }] });
    await put(shared.id, A.id, [rule()], staffA).expect(200);
    const forbidden = await put(shared.id, B.id, [rule({ weekday: 3 })], staffA);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.type).toBe('/problems/forbidden');
    expect(await storedRules(shared.id)).toBe(1);
    // staff of A see the shared tutor's rules everywhere, but nothing of B's own tutors
    await t.http.get(url(shared.id)).set(staffA.auth).expect(200);
    const hidden = await t.http.get(url(atB.id)).set(staffA.auth);
    expect(hidden.status).toBe(404);
    expect(JSON.stringify(hidden.body)).not.toContain('09:00');
    expect((await put(atB.id, B.id, [], staffA)).status).toBe(404);
    expect(await storedRules(atB.id)).toBe(1);

    const tutorUser = await newUser(t, { role: 'tutor', tutorId: shared.id });
    const own = await t.http.get(url(shared.id)).set(tutorUser.auth).expect(200);
    expect(own.body.rules).toHaveLength(1);
    expect((await put(shared.id, A.id, [], tutorUser)).status).toBe(403);
    expect((await t.http.get(url(atB.id)).set(tutorUser.auth)).status).toBe(404);

    expect((await t.http.get(url(shared.id))).status).toBe(401);
    expect((await t.http.put(url(shared.id)).query({ locationId: A.id }).send({ rules: [] })).status).toBe(401);
    expect(await storedRules(shared.id)).toBe(1);
  });

  it('removing a branch from the tutor removes the rules there', async () => {
    const tutor = await newTutor(t, {
      locationIds: [A.id, B.id],
      rules: [
        { locationId: A.id, weekday: 1, startTime: '10:00', endTime: '12:00' },
        { locationId: B.id, weekday: 2, startTime: '10:00', endTime: '12:00' },
      ],
    });
    await t.http.patch(`/api/v1/tutors/${tutor.id}`).set(admin.auth).send({ locationIds: [A.id] }).expect(200);
    const left = await t.http.get(url(tutor.id)).set(admin.auth).expect(200);
    expect(left.body.rules.map((r: { locationId: string }) => r.locationId)).toEqual([A.id]);
  });
});
