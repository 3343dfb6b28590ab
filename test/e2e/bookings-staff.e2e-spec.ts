import { randomUUID } from 'node:crypto';
import { bookingBody, BookingWorld, deskCast, BOOKING_NOW, uniquePhone } from '../support/booking-fixtures';
import { newBooking, TestBooking, TestUser } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The desk: booking on a resident's behalf (POST /bookings/staff), finding bookings
 * (GET /bookings, GET /bookings/{id}) and the day's agenda (GET /locations/{id}/agenda), with
 * the caller's scope: admin all, staff their branches, a tutor own sessions, a partner nothing.
 */
describe('bookings: staff desk', () => {
  let t: TestApp;
  let A: BookingWorld;
  let B: BookingWorld;
  let admin: TestUser;
  let staffA: TestUser;
  let staffB: TestUser;
  let tutorMatti: TestUser;
  let tutorLiisa: TestUser;
  let partner: TestUser;

  beforeAll(async () => {
    t = await startTestApp({ now: BOOKING_NOW });
    ({ A, B, admin, staffA, staffB, tutorMatti, tutorLiisa, partner } = await deskCast(t));
  });
  afterAll(() => t.close());
  beforeEach(() => t.clock.set(BOOKING_NOW));

  /** A POST /bookings/staff body: the public one without consent, with a channel. */
  const staffBody = (locationId: string, start: string, over: Record<string, unknown> = {}) => {
    const { consent: _, ...body } = bookingBody(locationId, start);
    return { ...body, channel: 'phone', ...over };
  };
  const bookByStaff = (user: TestUser, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    t.http.post('/api/v1/bookings/staff').set(user.auth).set(headers).send(body);
  const ids = (res: { body: { items: { id: string }[] } }) => res.body.items.map((b) => b.id);
  const byStartThenId = (...bs: { id: string; start: string }[]) =>
    [...bs].sort((a, b) => Date.parse(a.start) - Date.parse(b.start) || (a.id < b.id ? -1 : 1)).map((b) => b.id);
  const insert = async (w: BookingWorld, tutor: 'matti' | 'liisa', start: string, minutes = 45, over: Partial<Parameters<typeof newBooking>[1]> = {}) => {
    const end = new Date(Date.parse(start) + minutes * 60_000).toISOString();
    const b = await newBooking(t, { locationId: w.location.id, tutorId: w[tutor].id, start, end, ...over });
    return { ...b, start } as TestBooking & { start: string };
  };

  describe('POST /bookings/staff', () => {
    it('books by phone on a resident’s behalf without consent: the staff view, the channel and the user in the event', async () => {
      const res = await bookByStaff(
        staffA,
        staffBody(A.location.id, '2027-01-11T10:00:00+02:00', {
          tutorId: A.matti.id,
          notes: 'Soitti, uusi puhelin',
          resident: { name: 'Aino Virtanen', phone: '040 123 4567', email: null, language: 'fi' },
        }),
      ).expect(201);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers.etag).toBe('"1"');
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        reference: expect.stringMatching(/^[2-9A-HJKMNP-Z]{3}-[2-9A-HJKMNP-Z]{3}$/),
        status: 'confirmed',
        start: '2027-01-11T10:00:00+02:00',
        end: '2027-01-11T10:45:00+02:00',
        topic: 'smartphone-tablet',
        language: 'fi',
        kind: 'tutoring',
        channel: 'phone',
        location: { id: A.location.id, name: A.location.name, address: { street: 'Kirjastokatu 1', postalCode: '45100', city: 'Kouvola' }, timezone: 'Europe/Helsinki' },
        tutor: { id: A.matti.id, displayName: 'Matti V.' },
        partnerId: null,
        claimId: null,
        resident: { name: 'Aino Virtanen', phone: '+358401234567', email: null, language: 'fi' },
        notes: 'Soitti, uusi puhelin',
        outcome: null,
        manageToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        version: 1,
      });
      const [row] = await t.db.query(`SELECT channel, status FROM bookings WHERE id = $1`, [res.body.id]);
      expect(row).toEqual({ channel: 'phone', status: 'confirmed' });
      const events = await t.db.query(`SELECT type, at, actor_type, actor_user_id, payload FROM booking_events WHERE booking_id = $1`, [res.body.id]);
      expect(events).toEqual([
        {
          type: 'created',
          at: new Date(BOOKING_NOW),
          actor_type: 'user',
          actor_user_id: staffA.id,
          payload: { start: '2027-01-11T08:00:00.000Z', end: '2027-01-11T08:45:00.000Z', tutorId: A.matti.id, channel: 'phone' },
        },
      ]);
      // The resident manages it with the token like any other booking.
      await t.http.get(`/api/v1/bookings/manage/${res.body.manageToken}`).expect(200);
    });

    it('walk-in: a slot starting now is bookable (no minimum notice), one that has started is not; the public path keeps the notice', async () => {
      t.clock.set('2027-01-12T08:00:00Z'); // Tuesday 10:00 in Helsinki
      const now = await bookByStaff(staffA, staffBody(A.location.id, '2027-01-12T10:00:00+02:00', { channel: 'walk-in', tutorId: A.matti.id })).expect(201);
      expect(now.body).toMatchObject({ channel: 'walk-in', start: '2027-01-12T10:00:00+02:00', status: 'confirmed' });
      // The same moment, Liisa is free, but a resident online needs 120 minutes' notice.
      expect((await t.http.post('/api/v1/bookings').send(bookingBody(A.location.id, '2027-01-12T10:00:00+02:00', { tutorId: A.liisa.id })).expect(422)).body.type).toBe('/problems/too-soon');
      expect((await t.http.post('/api/v1/bookings').send(bookingBody(A.location.id, '2027-01-12T11:00:00+02:00', { tutorId: A.liisa.id })).expect(422)).body.type).toBe('/problems/too-soon');
      await bookByStaff(staffA, staffBody(A.location.id, '2027-01-12T11:00:00+02:00', { tutorId: A.liisa.id })).expect(201);
      t.clock.set('2027-01-12T08:01:00Z');
      const started = await bookByStaff(staffA, staffBody(A.location.id, '2027-01-12T10:00:00+02:00', { channel: 'walk-in', tutorId: A.liisa.id })).expect(422);
      expect(started.body.type).toBe('/problems/too-soon');
      expect((await t.db.query(`SELECT count(*)::int AS n FROM bookings WHERE tutor_id = $1 AND lower(during) = '2027-01-12T08:00:00Z'`, [A.liisa.id]))[0].n).toBe(0);
      // The booking horizon (maxDaysAhead 60) still holds.
      expect((await bookByStaff(staffA, staffBody(A.location.id, '2027-03-15T10:00:00+02:00', { tutorId: A.matti.id })).expect(422)).body.type).toBe('/problems/too-far-ahead');
    });

    it('needs no consent (accepted if sent); the channel is phone or walk-in; the public body rules apply', async () => {
      await bookByStaff(staffA, staffBody(A.location.id, '2027-01-13T10:00:00+02:00', { consent: true, tutorId: A.matti.id })).expect(201);
      const cases: [Record<string, unknown>, string, string][] = [
        [staffBody(A.location.id, '2027-01-13T11:00:00+02:00', { channel: 'web' }), 'channel', 'not-allowed'],
        [staffBody(A.location.id, '2027-01-13T11:00:00+02:00', { channel: undefined }), 'channel', 'required'],
        [staffBody(A.location.id, '2027-01-13T11:00:00+02:00', { resident: { name: 'Aino', phone: '040 123', language: 'fi' } }), 'resident.phone', 'invalid-phone'],
        [staffBody(A.location.id, '2027-01-13T11:00:00+02:00', { resident: { name: 'Aino', phone: null, email: null } }), 'resident', 'contact-required'],
        [staffBody(A.location.id, '2027-01-13T11:00', {}), 'start', 'offset-required'],
        [staffBody(randomUUID(), '2027-01-13T11:00:00+02:00'), 'locationId', 'unknown-location'],
      ];
      for (const [body, field, code] of cases) {
        const res = await bookByStaff(staffA, body);
        expect({ field, status: res.status, errors: res.body.errors }).toEqual({ field, status: 422, errors: expect.arrayContaining([expect.objectContaining({ field, code })]) });
      }
      expect((await t.db.query(`SELECT count(*)::int AS n FROM bookings WHERE lower(during) = '2027-01-13T09:00:00Z'`))[0].n).toBe(0);
    });

    it('is for the branch’s staff and admins: 403 for other branches and other roles, 401 without a token', async () => {
      const body = () => staffBody(A.location.id, '2027-01-14T10:00:00+02:00', { tutorId: A.matti.id });
      for (const user of [staffB, tutorMatti, partner]) {
        const res = await bookByStaff(user, body());
        expect({ user: user.email, status: res.status, type: res.body.type }).toEqual({ user: user.email, status: 403, type: '/problems/forbidden' });
      }
      expect((await t.http.post('/api/v1/bookings/staff').send(body())).status).toBe(401);
      expect((await t.db.query(`SELECT count(*)::int AS n FROM bookings WHERE tutor_id = $1 AND lower(during) = '2027-01-14T08:00:00Z'`, [A.matti.id]))[0].n).toBe(0);
      const byAdmin = await bookByStaff(admin, body()).expect(201);
      expect((await t.db.query(`SELECT actor_user_id FROM booking_events WHERE booking_id = $1`, [byAdmin.body.id]))[0].actor_user_id).toBe(admin.id);
    });

    it('keeps the per-contact cap (2 active bookings at this branch)', async () => {
      const resident = { name: 'Aino', phone: uniquePhone(), email: null, language: 'fi' };
      await bookByStaff(staffA, staffBody(A.location.id, '2027-01-15T10:00:00+02:00', { resident })).expect(201);
      await t.http.post('/api/v1/bookings').send(bookingBody(A.location.id, '2027-01-15T11:00:00+02:00', { resident })).expect(201);
      const third = await bookByStaff(staffA, staffBody(A.location.id, '2027-01-15T12:00:00+02:00', { resident })).expect(422);
      expect(third.body.type).toBe('/problems/booking-limit-reached');
    });

    it('replays an Idempotency-Key per user: the same staff member gets the first response, another user books anew', async () => {
      const body = staffBody(A.location.id, '2027-01-15T13:00:00+02:00');
      const first = await bookByStaff(staffA, body, { 'Idempotency-Key': 'desk-1' }).expect(201);
      const again = await bookByStaff(staffA, body, { 'Idempotency-Key': 'desk-1' }).expect(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      const other = await bookByStaff(admin, body, { 'Idempotency-Key': 'desk-1' }).expect(201);
      expect(other.body.id).not.toBe(first.body.id);
      expect(other.headers['idempotent-replayed']).toBeUndefined();
    });
  });

  describe('GET /bookings and /bookings/{id}', () => {
    it('lists what the caller may see: admin all, staff their branches, a tutor own sessions, a partner nothing', async () => {
      const a1 = await insert(A, 'matti', '2027-01-18T10:00:00+02:00');
      const a2 = await insert(A, 'liisa', '2027-01-18T11:00:00+02:00');
      const b1 = await insert(B, 'matti', '2027-01-18T10:00:00+02:00');
      const list = (user: TestUser) => t.http.get('/api/v1/bookings').query({ from: '2027-01-18', to: '2027-01-18' }).set(user.auth).expect(200);
      expect(ids(await list(admin))).toEqual(byStartThenId(a1, b1, a2));
      expect(ids(await list(staffA))).toEqual([a1.id, a2.id]);
      expect(ids(await list(staffB))).toEqual([b1.id]);
      expect(ids(await list(tutorMatti))).toEqual([a1.id]);
      expect(ids(await list(tutorLiisa))).toEqual([a2.id]);
      expect((await list(partner)).body).toEqual({ items: [], nextCursor: null });
      // Staff filtering on another branch find nothing there.
      expect(ids(await t.http.get('/api/v1/bookings').query({ locationId: B.location.id }).set(staffA.auth).expect(200))).toEqual([]);

      const item = (await list(staffA)).body.items[0];
      expect(item).toMatchObject({
        id: a1.id,
        reference: a1.reference,
        status: 'confirmed',
        start: '2027-01-18T10:00:00+02:00',
        end: '2027-01-18T10:45:00+02:00',
        channel: 'web',
        location: { id: A.location.id, timezone: 'Europe/Helsinki' },
        tutor: { id: A.matti.id, displayName: 'Matti V.' },
        resident: { name: 'Testi Asukas', language: 'fi' },
        notes: null,
        outcome: null,
        version: 1,
      });
      expect(item).not.toHaveProperty('manageToken');
    });

    it('GET /bookings/{id}: the booking with its ETag, or 404 for what the caller may not see', async () => {
      const a1 = await insert(A, 'matti', '2027-01-18T12:00:00+02:00');
      for (const user of [admin, staffA, tutorMatti]) {
        const res = await t.http.get(`/api/v1/bookings/${a1.id}`).set(user.auth).expect(200);
        expect(res.body).toMatchObject({ id: a1.id, reference: a1.reference, tutor: { id: A.matti.id } });
        expect(res.headers.etag).toBe('"1"');
        expect(res.headers['cache-control']).toBe('no-store');
      }
      for (const user of [staffB, tutorLiisa, partner]) {
        const res = await t.http.get(`/api/v1/bookings/${a1.id}`).set(user.auth);
        expect({ user: user.email, status: res.status, body: res.body }).toEqual({
          user: user.email,
          status: 404,
          body: { type: '/problems/not-found', title: 'Not found', status: 404, detail: 'No such booking.' },
        });
      }
      expect((await t.http.get(`/api/v1/bookings/${randomUUID()}`).set(admin.auth)).status).toBe(404);
      expect((await t.http.get(`/api/v1/bookings/not-a-uuid`).set(admin.auth)).status).toBe(404);
      expect((await t.http.get(`/api/v1/bookings/${a1.id}`)).status).toBe(401);
      expect((await t.http.get(`/api/v1/bookings`)).status).toBe(401);
    });

    it('filters by location, tutor, status, date or instant range, and reference (case, spaces and dash do not matter)', async () => {
      const c1 = await insert(A, 'matti', '2027-01-19T10:00:00+02:00');
      const c2 = await insert(A, 'matti', '2027-01-19T11:00:00+02:00', 45, { status: 'cancelled' });
      const c3 = await insert(A, 'liisa', '2027-01-20T10:00:00+02:00', 45, { status: 'completed' });
      const b1 = await insert(B, 'matti', '2027-01-19T10:00:00+02:00');
      const q = async (query: Record<string, string>, user = admin) => ids(await t.http.get('/api/v1/bookings').query(query).set(user.auth).expect(200));
      const days = { from: '2027-01-19', to: '2027-01-20' };
      expect(await q({ ...days, locationId: A.location.id })).toEqual([c1.id, c2.id, c3.id]);
      expect(await q({ ...days, locationId: A.location.id.toUpperCase() })).toEqual([c1.id, c2.id, c3.id]);
      expect(await q({ ...days, tutorId: A.matti.id })).toEqual([c1.id, c2.id]);
      expect(await q({ ...days, locationId: A.location.id, status: 'cancelled,completed' })).toEqual([c2.id, c3.id]);
      expect(await q({ ...days, locationId: A.location.id, status: 'confirmed' })).toEqual([c1.id]);
      // Instants: from inclusive, to exclusive; a date `to` is inclusive.
      expect(await q({ locationId: A.location.id, from: '2027-01-19T10:30:00+02:00', to: '2027-01-20T08:00:00Z' })).toEqual([c2.id]);
      expect(await q({ locationId: A.location.id, from: '2027-01-19T09:00:00Z', to: '2027-01-20T08:00:00.001Z' })).toEqual([c2.id, c3.id]);
      expect(await q({ locationId: A.location.id, from: '2027-01-20', to: '2027-01-20' })).toEqual([c3.id]);
      expect(await q({ ...days })).toEqual(byStartThenId(c1, b1, c2, c3));
      // A reference read out over the phone.
      expect(await q({ reference: c2.reference.toLowerCase() })).toEqual([c2.id]);
      expect(await q({ reference: ` ${c2.reference.replace('-', ' ').toLowerCase()} ` })).toEqual([c2.id]);
      expect(await q({ reference: c2.reference.replace('-', '') })).toEqual([c2.id]);
      expect(await q({ reference: b1.reference }, staffA)).toEqual([]);
      expect(await q({ reference: b1.reference }, staffB)).toEqual([b1.id]);
    });

    it('answers 422 naming the field for unknown ids, bad dates, statuses, references and cursors', async () => {
      const cases: [Record<string, string | number>, string, string][] = [
        [{ locationId: randomUUID() }, 'locationId', 'unknown-location'],
        [{ locationId: 'kouvola' }, 'locationId', 'invalid-id'],
        [{ tutorId: randomUUID() }, 'tutorId', 'unknown-tutor'],
        [{ from: '2027-02-30' }, 'from', 'invalid-date'],
        [{ from: '2027-01-19T10:00' }, 'from', 'offset-required'],
        [{ to: 'tomorrow' }, 'to', 'invalid-date'],
        [{ from: '2027-01-20', to: '2027-01-19' }, 'to', 'end-before-start'],
        [{ from: '2027-01-20T10:00:00Z', to: '2027-01-20T10:00:00Z' }, 'to', 'end-before-start'],
        [{ status: 'done' }, 'status', 'unknown-status'],
        [{ status: 'confirmed,done' }, 'status', 'unknown-status'],
        [{ reference: 'K7M-4Q' }, 'reference', 'invalid-reference'],
        [{ reference: 'K7M-4Q0' }, 'reference', 'invalid-reference'],
        [{ limit: 0 }, 'limit', 'min'],
        [{ limit: 501 }, 'limit', 'max'],
        [{ cursor: 'not-a-cursor' }, 'cursor', 'invalid-cursor'],
        [{ vip: 'yes' }, 'vip', 'unknown-field'],
      ];
      for (const [query, field, code] of cases) {
        const res = await t.http.get('/api/v1/bookings').query(query).set(staffA.auth);
        expect({ query, status: res.status, type: res.body.type, errors: res.body.errors }).toEqual({
          query,
          status: 422,
          type: '/problems/validation-failed',
          errors: [expect.objectContaining({ field, code })],
        });
      }
      // A partner's empty list still checks the query.
      expect((await t.http.get('/api/v1/bookings').query({ status: 'done' }).set(partner.auth)).status).toBe(422);
    });

    it('pages by start with limit and cursor', async () => {
      const made = [
        await insert(A, 'matti', '2027-01-22T10:00:00+02:00'),
        await insert(A, 'liisa', '2027-01-22T10:00:00+02:00'),
        await insert(A, 'matti', '2027-01-22T11:00:00+02:00'),
        await insert(A, 'liisa', '2027-01-22T12:00:00+02:00'),
        await insert(A, 'matti', '2027-01-22T13:00:00+02:00'),
      ];
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: Record<string, string | number> = { from: '2027-01-22', to: '2027-01-22', limit: 2, ...(cursor ? { cursor } : {}) };
        const page = await t.http.get('/api/v1/bookings').query(query).set(staffA.auth).expect(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...ids(page));
        cursor = page.body.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      expect(pages).toBe(3);
      expect(seen).toEqual(byStartThenId(...made));
    });
  });

  describe('GET /locations/{id}/agenda', () => {
    it('lists the day’s sessions in start order; by default today in the branch’s zone; cancelled only when asked', async () => {
      const late = await insert(A, 'matti', '2027-01-21T23:00:00+02:00', 45);
      const x3 = await insert(A, 'matti', '2027-01-21T13:00:00+02:00');
      const x1 = await insert(A, 'liisa', '2027-01-21T10:00:00+02:00');
      const x2 = await insert(A, 'matti', '2027-01-21T11:00:00+02:00', 45, { status: 'checked_in', residentName: 'Eino Kallio' });
      const xc = await insert(A, 'liisa', '2027-01-21T12:00:00+02:00', 45, { status: 'cancelled' });
      await insert(A, 'liisa', '2027-01-22T00:00:00+02:00'); // the next day
      await insert(A, 'liisa', '2027-01-20T23:15:00+02:00'); // the day before
      await insert(B, 'matti', '2027-01-21T10:00:00+02:00'); // another branch

      const res = await t.http.get(`/api/v1/locations/${A.location.id}/agenda`).query({ date: '2027-01-21' }).set(staffA.auth).expect(200);
      expect(res.body.date).toBe('2027-01-21');
      expect(res.body.items.map((i: { type: string; booking: { id: string } }) => [i.type, i.booking.id])).toEqual([
        ['booking', x1.id],
        ['booking', x2.id],
        ['booking', x3.id],
        ['booking', late.id],
      ]);
      expect(res.body.items[1].booking).toMatchObject({
        id: x2.id,
        reference: x2.reference,
        status: 'checked_in',
        start: '2027-01-21T11:00:00+02:00',
        tutor: { id: A.matti.id, displayName: 'Matti V.' },
        resident: { name: 'Eino Kallio' },
        notes: null,
        outcome: null,
      });
      const withCancelled = await t.http.get(`/api/v1/locations/${A.location.id}/agenda`).query({ date: '2027-01-21', includeCancelled: 'true' }).set(admin.auth).expect(200);
      expect(withCancelled.body.items.map((i: { booking: { id: string } }) => i.booking.id)).toEqual([x1.id, x2.id, xc.id, x3.id, late.id]);

      // 2027-01-20 22:30 UTC is already the 21st in Helsinki.
      t.clock.set('2027-01-20T22:30:00Z');
      const today = await t.http.get(`/api/v1/locations/${A.location.id}/agenda`).set(staffA.auth).expect(200);
      expect(today.body.date).toBe('2027-01-21');
      expect(today.body.items.map((i: { booking: { id: string } }) => i.booking.id)).toEqual([x1.id, x2.id, x3.id, late.id]);
    });

    it('is for the branch’s staff and admins only (others 404); a bad date is 422', async () => {
      const url = `/api/v1/locations/${A.location.id}/agenda`;
      for (const user of [staffB, tutorMatti, partner]) {
        const res = await t.http.get(url).query({ date: '2027-01-21' }).set(user.auth);
        expect({ user: user.email, status: res.status, type: res.body.type }).toEqual({ user: user.email, status: 404, type: '/problems/not-found' });
      }
      await t.http.get(url).query({ date: '2027-01-21' }).set(admin.auth).expect(200);
      expect((await t.http.get(url)).status).toBe(401);
      expect((await t.http.get(`/api/v1/locations/${randomUUID()}/agenda`).set(admin.auth)).status).toBe(404);
      const bad = await t.http.get(url).query({ date: '2027-13-01' }).set(staffA.auth).expect(422);
      expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'date', code: 'invalid-date' })]);
      expect((await t.http.get(url).query({ includeCancelled: 'perhaps' }).set(staffA.auth)).status).toBe(422);
    });
  });
});
