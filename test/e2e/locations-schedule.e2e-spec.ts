import { newLocation, newUser, TestLocation, TestUser } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

const UNKNOWN = '7a1f0d4e-2b1c-4c3d-8e9f-0a1b2c3d4e5f';
const fieldsOf = (res: { body: { errors?: { field: string }[] } }) => (res.body.errors ?? []).map((e) => e.field).sort();
const codesOf = (res: { body: { errors?: { code: string }[] } }) => (res.body.errors ?? []).map((e) => e.code).sort();

const WEEKLY = {
  periods: [
    { validFrom: '2026-08-15', validUntil: '2027-05-31', days: { '1': [['10:00', '19:00']], '6': [['10:00', '15:00']] } },
    { validFrom: '2027-06-01', validUntil: '2027-08-14', days: { '1': [['12:00', '14:00'], ['15:00', '18:00']] } },
  ],
};

describe('location schedule: weekly hours, exceptions, closures, rooms', () => {
  let t: TestApp;
  let admin: TestUser;
  let loc: TestLocation;
  let other: TestLocation;
  let staff: TestUser;
  let otherStaff: TestUser;
  beforeAll(async () => {
    t = await startTestApp({ now: '2026-12-01T08:00:00Z' });
    admin = await newUser(t);
    loc = await newLocation(t);
    other = await newLocation(t);
    staff = await newUser(t, { role: 'staff', locationIds: [loc.id] });
    otherStaff = await newUser(t, { role: 'staff', locationIds: [other.id] });
  });
  afterAll(() => t.close());

  describe('weekly hours', () => {
    it('starts empty, is replaced as a whole and read back, publicly, with a content ETag', async () => {
      const fresh = await newLocation(t);
      const empty = await t.http.get(`/api/v1/locations/${fresh.id}/weekly-hours`).expect(200);
      expect(empty.body).toEqual({ periods: [] });
      const put = await t.http.put(`/api/v1/locations/${fresh.id}/weekly-hours`).set(admin.auth).send(WEEKLY).expect(200);
      expect(put.body).toEqual({ ...WEEKLY, affectedBookings: [] }); // issue 18 item 10: with the bookings it strands
      expect(put.headers.etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
      expect(put.headers.etag).not.toBe(empty.headers.etag);
      const got = await t.http.get(`/api/v1/locations/${fresh.id}/weekly-hours`).expect(200);
      expect(got.body).toEqual(WEEKLY);
      expect(got.headers.etag).toBe(put.headers.etag);

      const replaced = await t.http
        .put(`/api/v1/locations/${fresh.id}/weekly-hours`)
        .set(admin.auth)
        .send({ periods: [{ validFrom: null, validUntil: null, days: { '7': [['12:00', '16:00']] } }] })
        .expect(200);
      expect(replaced.body).toEqual({ periods: [{ validFrom: null, validUntil: null, days: { '7': [['12:00', '16:00']] } }], affectedBookings: [] });
      const rows = await t.db.query(`SELECT count(*)::int AS n FROM location_hour_periods WHERE location_id = $1`, [fresh.id]);
      expect(rows[0].n).toBe(1);
    });

    it('honours If-Match: a stale ETag → 412 and nothing changes; the current one passes', async () => {
      const fresh = await newLocation(t);
      const first = await t.http.put(`/api/v1/locations/${fresh.id}/weekly-hours`).set(admin.auth).send(WEEKLY).expect(200);
      const second = await t.http
        .put(`/api/v1/locations/${fresh.id}/weekly-hours`)
        .set(admin.auth)
        .set('If-Match', first.headers.etag)
        .send({ periods: [] })
        .expect(200);
      const stale = await t.http.put(`/api/v1/locations/${fresh.id}/weekly-hours`).set(admin.auth).set('If-Match', first.headers.etag).send(WEEKLY);
      expect(stale.status).toBe(412);
      expect(stale.body.type).toBe('/problems/version-mismatch');
      const now = await t.http.get(`/api/v1/locations/${fresh.id}/weekly-hours`).expect(200);
      expect(now.body).toEqual({ periods: [] });
      expect(now.headers.etag).toBe(second.headers.etag);
    });

    it.each([
      ['25:00', { days: { '1': [['10:00', '25:00']] } }, ['periods.0.days.1.0.1'], 'invalid-time'],
      ['24:00 as a start', { days: { '1': [['24:00', '24:00']] } }, ['periods.0.days.1.0.0'], 'invalid-time'],
      ['end before start', { days: { '1': [['14:00', '10:00']] } }, ['periods.0.days.1.0'], 'end-before-start'],
      ['weekday 0', { days: { '0': [['10:00', '12:00']] } }, ['periods.0.days.0'], 'invalid-weekday'],
      ['weekday 8', { days: { '8': [['10:00', '12:00']] } }, ['periods.0.days.8'], 'invalid-weekday'],
      ['overlapping intervals', { days: { '2': [['10:00', '14:00'], ['13:00', '16:00']] } }, ['periods.0.days.2.1'], 'overlap'],
      ['validFrom after validUntil', { validFrom: '2027-01-02', validUntil: '2027-01-01', days: {} }, ['periods.0.validUntil'], 'end-before-start'],
      ['2026-02-30', { validFrom: '2026-02-30', days: {} }, ['periods.0.validFrom'], 'invalid-date'],
    ])('422 for %s', async (_, period, fields, code) => {
      const res = await t.http.put(`/api/v1/locations/${loc.id}/weekly-hours`).set(staff.auth).send({ periods: [period] });
      expect(res.status).toBe(422);
      expect(res.body.type).toBe('/problems/validation-failed');
      expect(fieldsOf(res)).toEqual(fields);
      expect(codesOf(res)).toEqual([code]);
    });

    it('422 for overlapping periods and for a body without periods', async () => {
      const overlap = await t.http
        .put(`/api/v1/locations/${loc.id}/weekly-hours`)
        .set(staff.auth)
        .send({ periods: [{ validFrom: '2026-01-01', validUntil: '2026-12-31', days: {} }, { validFrom: '2026-12-01', days: {} }] });
      expect(overlap.status).toBe(422);
      expect(fieldsOf(overlap)).toEqual(['periods.1']);
      const none = await t.http.put(`/api/v1/locations/${loc.id}/weekly-hours`).set(staff.auth).send({});
      expect(none.status).toBe(422);
      expect(fieldsOf(none)).toEqual(['periods']);
    });

    it('scope: other branch staff 403, anonymous 401, unknown location 404', async () => {
      expect((await t.http.put(`/api/v1/locations/${loc.id}/weekly-hours`).set(otherStaff.auth).send(WEEKLY)).status).toBe(403);
      expect((await t.http.put(`/api/v1/locations/${loc.id}/weekly-hours`).send(WEEKLY)).status).toBe(401);
      expect((await t.http.put(`/api/v1/locations/${UNKNOWN}/weekly-hours`).set(admin.auth).send(WEEKLY)).status).toBe(404);
      expect((await t.http.get(`/api/v1/locations/${UNKNOWN}/weekly-hours`)).status).toBe(404);
      expect((await t.http.get(`/api/v1/locations/${loc.id}/weekly-hours`)).body).toEqual({ periods: [] });
    });
  });

  describe('exceptions', () => {
    it('PUT sets a date, GET reads it publicly, the list shows it, DELETE removes it', async () => {
      const reason = { fi: 'Jouluaaton aukiolo', sv: 'Öppet på julafton', en: 'Open on Christmas Eve' };
      const put = await t.http.put(`/api/v1/locations/${loc.id}/exceptions/2026-12-24`).set(staff.auth).send({ hours: [['10:00', '13:00']], reason }).expect(200);
      expect(put.body).toEqual({ date: '2026-12-24', hours: [['10:00', '13:00']], reason, affectedBookings: [] }); // issue 18 item 10
      expect(put.headers.etag).toMatch(/^"/);
      const closed = await t.http.put(`/api/v1/locations/${loc.id}/exceptions/2026-12-28`).set(staff.auth).send({ hours: [], reason: 'Inventaario' }).expect(200);
      expect(closed.body).toEqual({ date: '2026-12-28', hours: [], reason: 'Inventaario', affectedBookings: [] });

      // the exception as stored: the PUT's answer without its affectedBookings
      const { affectedBookings: _a, ...putException } = put.body;
      const { affectedBookings: _b, ...closedException } = closed.body;
      const got = await t.http.get(`/api/v1/locations/${loc.id}/exceptions/2026-12-24`).expect(200);
      expect(got.body).toEqual(putException);
      expect(got.headers.etag).toBe(put.headers.etag);
      const list = await t.http.get(`/api/v1/locations/${loc.id}/exceptions`).query({ from: '2026-12-01', to: '2026-12-31' }).expect(200);
      expect(list.body).toEqual({ items: [putException, closedException], nextCursor: null });
      const page = await t.http.get(`/api/v1/locations/${loc.id}/exceptions`).query({ limit: 1 }).expect(200);
      expect(page.body.items).toEqual([putException]);
      const page2 = await t.http.get(`/api/v1/locations/${loc.id}/exceptions`).query({ limit: 1, cursor: page.body.nextCursor }).expect(200);
      expect(page2.body.items).toEqual([closedException]);

      const stale = await t.http.delete(`/api/v1/locations/${loc.id}/exceptions/2026-12-28`).set(staff.auth).set('If-Match', put.headers.etag);
      expect(stale.status).toBe(412);
      await t.http.delete(`/api/v1/locations/${loc.id}/exceptions/2026-12-28`).set(staff.auth).set('If-Match', closed.headers.etag).expect(200); // issue 18 item 10: 200 with affectedBookings
      expect((await t.http.get(`/api/v1/locations/${loc.id}/exceptions/2026-12-28`)).status).toBe(404);
      expect((await t.http.delete(`/api/v1/locations/${loc.id}/exceptions/2026-12-28`).set(staff.auth)).status).toBe(404);
    });

    it('PUT replaces the date; a stale If-Match → 412', async () => {
      const first = await t.http.put(`/api/v1/locations/${loc.id}/exceptions/2027-01-02`).set(staff.auth).send({ hours: [['10:00', '12:00']] }).expect(200);
      const second = await t.http
        .put(`/api/v1/locations/${loc.id}/exceptions/2027-01-02`)
        .set(staff.auth)
        .set('If-Match', first.headers.etag)
        .send({ hours: [['11:00', '12:00']] })
        .expect(200);
      expect(second.body.hours).toEqual([['11:00', '12:00']]);
      const stale = await t.http.put(`/api/v1/locations/${loc.id}/exceptions/2027-01-02`).set(staff.auth).set('If-Match', first.headers.etag).send({ hours: [] });
      expect(stale.status).toBe(412);
      expect((await t.http.get(`/api/v1/locations/${loc.id}/exceptions/2027-01-02`)).body.hours).toEqual([['11:00', '12:00']]);
    });

    it('422 for a bad date in the path, bad hours, a bad reason or an unknown field', async () => {
      const badDate = await t.http.put(`/api/v1/locations/${loc.id}/exceptions/2026-02-30`).set(staff.auth).send({ hours: [] });
      expect(badDate.status).toBe(422);
      expect(fieldsOf(badDate)).toEqual(['date']);
      expect((await t.http.get(`/api/v1/locations/${loc.id}/exceptions/2026-13-01`)).status).toBe(422);
      const badHours = await t.http.put(`/api/v1/locations/${loc.id}/exceptions/2026-12-30`).set(staff.auth).send({ hours: [['10:00', '25:00'], ['09:00', '08:00']] });
      expect(fieldsOf(badHours)).toEqual(['hours.0.1', 'hours.1']);
      const overlap = await t.http.put(`/api/v1/locations/${loc.id}/exceptions/2026-12-30`).set(staff.auth).send({ hours: [['10:00', '12:00'], ['11:00', '13:00']] });
      expect(codesOf(overlap)).toEqual(['overlap']);
      const reason = await t.http.put(`/api/v1/locations/${loc.id}/exceptions/2026-12-30`).set(staff.auth).send({ hours: [], reason: { de: 'Inventur' } });
      expect(fieldsOf(reason)).toEqual(['reason.de', 'reason.fi']);
      const extra = await t.http.put(`/api/v1/locations/${loc.id}/exceptions/2026-12-30`).set(staff.auth).send({ hours: [], colour: 'red' });
      expect(extra.status).toBe(422);
      expect(fieldsOf(extra)).toEqual(['colour']);
      const missing = await t.http.put(`/api/v1/locations/${loc.id}/exceptions/2026-12-30`).set(staff.auth).send({});
      expect(fieldsOf(missing)).toEqual(['hours']);
      expect((await t.http.get(`/api/v1/locations/${loc.id}/exceptions/2026-12-30`)).status).toBe(404);
    });

    it('scope: other branch staff 403 on PUT and DELETE, anonymous 401, unknown location 404', async () => {
      await t.http.put(`/api/v1/locations/${loc.id}/exceptions/2027-02-01`).set(staff.auth).send({ hours: [] }).expect(200);
      expect((await t.http.put(`/api/v1/locations/${loc.id}/exceptions/2027-02-01`).set(otherStaff.auth).send({ hours: [['10:00', '11:00']] })).status).toBe(403);
      expect((await t.http.delete(`/api/v1/locations/${loc.id}/exceptions/2027-02-01`).set(otherStaff.auth)).status).toBe(403);
      expect((await t.http.put(`/api/v1/locations/${loc.id}/exceptions/2027-02-01`).send({ hours: [] })).status).toBe(401);
      expect((await t.http.delete(`/api/v1/locations/${loc.id}/exceptions/2027-02-01`)).status).toBe(401);
      expect((await t.http.put(`/api/v1/locations/${UNKNOWN}/exceptions/2027-02-01`).set(admin.auth).send({ hours: [] })).status).toBe(404);
      expect((await t.http.get(`/api/v1/locations/${loc.id}/exceptions/2027-02-01`)).body.hours).toEqual([]);
    });
  });

  describe('closures', () => {
    it('POST 201 with instants in the location offset and affectedBookings; GET lists publicly; DELETE removes', async () => {
      const res = await t.http
        .post(`/api/v1/locations/${loc.id}/closures`)
        .set(staff.auth)
        .send({ start: '2026-12-10T10:00:00Z', end: '2026-12-11T09:30:00.000Z', reason: 'Vesivahinko', cancelAffected: false });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        locationId: loc.id,
        start: '2026-12-10T12:00:00+02:00',
        end: '2026-12-11T11:30:00+02:00',
        reason: 'Vesivahinko',
        affectedBookings: [],
      });
      const summer = await t.http.post(`/api/v1/locations/${loc.id}/closures`).set(staff.auth).send({ start: '2027-07-01T00:00:00+03:00', end: '2027-07-02T00:00:00+03:00' }).expect(201);
      expect(summer.body).toMatchObject({ start: '2027-07-01T00:00:00+03:00', end: '2027-07-02T00:00:00+03:00', reason: null });

      const one = await t.http.get(`/api/v1/locations/${loc.id}/closures/${res.body.id}`).expect(200);
      const { affectedBookings: _, ...plain } = res.body;
      expect(one.body).toEqual(plain);
      const list = await t.http.get(`/api/v1/locations/${loc.id}/closures`).expect(200);
      expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([res.body.id, summer.body.id]);
      expect(list.body.items[0]).not.toHaveProperty('affectedBookings');
      const windowed = await t.http.get(`/api/v1/locations/${loc.id}/closures`).query({ from: '2027-01-01T00:00:00+02:00' }).expect(200);
      expect(windowed.body.items.map((c: { id: string }) => c.id)).toEqual([summer.body.id]);
      const paged = await t.http.get(`/api/v1/locations/${loc.id}/closures`).query({ limit: 1 }).expect(200);
      const paged2 = await t.http.get(`/api/v1/locations/${loc.id}/closures`).query({ limit: 1, cursor: paged.body.nextCursor }).expect(200);
      expect([...paged.body.items, ...paged2.body.items].map((c: { id: string }) => c.id)).toEqual([res.body.id, summer.body.id]);

      await t.http.delete(`/api/v1/locations/${loc.id}/closures/${summer.body.id}`).set(staff.auth).expect(204);
      expect((await t.http.get(`/api/v1/locations/${loc.id}/closures/${summer.body.id}`)).status).toBe(404);
      expect((await t.http.delete(`/api/v1/locations/${loc.id}/closures/${summer.body.id}`).set(staff.auth)).status).toBe(404);
    });

    it('422 for instants without an offset, bad instants and an end not after the start', async () => {
      const noOffset = await t.http.post(`/api/v1/locations/${loc.id}/closures`).set(staff.auth).send({ start: '2026-12-10T10:00:00', end: '2026-12-10T12:00:00+02:00' });
      expect(noOffset.status).toBe(422);
      expect(fieldsOf(noOffset)).toEqual(['start']);
      const bad = await t.http.post(`/api/v1/locations/${loc.id}/closures`).set(staff.auth).send({ start: '2026-02-30T10:00:00Z', end: '2026-12-10T25:00:00Z' });
      expect(fieldsOf(bad)).toEqual(['end', 'start']);
      const backwards = await t.http.post(`/api/v1/locations/${loc.id}/closures`).set(staff.auth).send({ start: '2026-12-10T12:00:00+02:00', end: '2026-12-10T10:00:00+02:00' });
      expect(fieldsOf(backwards)).toEqual(['end']);
      expect(codesOf(backwards)).toEqual(['end-before-start']);
      const empty = await t.http.post(`/api/v1/locations/${loc.id}/closures`).set(staff.auth).send({ start: '2026-12-10T12:00:00+02:00', end: '2026-12-10T10:00:00Z' });
      expect(fieldsOf(empty)).toEqual(['end']);
      const query = await t.http.get(`/api/v1/locations/${loc.id}/closures`).query({ from: '2026-12-10T10:00' });
      expect(fieldsOf(query)).toEqual(['from']);
      const count = await t.db.query(`SELECT count(*)::int AS n FROM location_closures WHERE location_id = $1 AND during && tstzrange('2026-12-10', '2026-12-11')`, [loc.id]);
      expect(count[0].n).toBe(1); // only the one from the test above
    });

    it('scope: other branch staff 403, anonymous 401; a closure of another location is 404 here', async () => {
      const mine = await t.http.post(`/api/v1/locations/${loc.id}/closures`).set(staff.auth).send({ start: '2027-02-01T10:00:00+02:00', end: '2027-02-01T12:00:00+02:00' }).expect(201);
      expect((await t.http.post(`/api/v1/locations/${loc.id}/closures`).set(otherStaff.auth).send({ start: '2027-02-01T10:00:00+02:00', end: '2027-02-01T12:00:00+02:00' })).status).toBe(403);
      expect((await t.http.delete(`/api/v1/locations/${loc.id}/closures/${mine.body.id}`).set(otherStaff.auth)).status).toBe(403);
      expect((await t.http.post(`/api/v1/locations/${loc.id}/closures`).send({ start: '2027-02-01T10:00:00+02:00', end: '2027-02-01T12:00:00+02:00' })).status).toBe(401);
      expect((await t.http.delete(`/api/v1/locations/${other.id}/closures/${mine.body.id}`).set(otherStaff.auth)).status).toBe(404);
      expect((await t.http.get(`/api/v1/locations/${other.id}/closures/${mine.body.id}`)).status).toBe(404);
      expect((await t.http.get(`/api/v1/locations/${loc.id}/closures/${mine.body.id}`)).status).toBe(200);
    });
  });

  describe('rooms', () => {
    it('POST 201, GET list and one (public), DELETE 204', async () => {
      const res = await t.http.post(`/api/v1/locations/${loc.id}/rooms`).set(staff.auth).send({ name: 'Pajahuone', capacity: 6 });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), locationId: loc.id, name: 'Pajahuone', capacity: 6 });
      const second = await t.http.post(`/api/v1/locations/${loc.id}/rooms`).set(admin.auth).send({ name: 'Aula', capacity: 20 }).expect(201);
      const list = await t.http.get(`/api/v1/locations/${loc.id}/rooms`).expect(200);
      expect(list.body).toEqual({ items: [second.body, res.body], nextCursor: null });
      expect((await t.http.get(`/api/v1/locations/${loc.id}/rooms/${res.body.id}`).expect(200)).body).toEqual(res.body);
      await t.http.delete(`/api/v1/locations/${loc.id}/rooms/${second.body.id}`).set(staff.auth).expect(204);
      expect((await t.http.get(`/api/v1/locations/${loc.id}/rooms/${second.body.id}`)).status).toBe(404);
    });

    it('409 for a duplicate name in the branch (any case); the same name elsewhere is fine', async () => {
      await t.http.post(`/api/v1/locations/${loc.id}/rooms`).set(staff.auth).send({ name: 'Kokoushuone', capacity: 8 }).expect(201);
      const dup = await t.http.post(`/api/v1/locations/${loc.id}/rooms`).set(staff.auth).send({ name: 'KOKOUSHUONE', capacity: 4 });
      expect(dup.status).toBe(409);
      expect(dup.body.type).toBe('/problems/already-exists');
      await t.http.post(`/api/v1/locations/${other.id}/rooms`).set(otherStaff.auth).send({ name: 'Kokoushuone', capacity: 8 }).expect(201);
    });

    it('422 for bad fields; scope 403/401; unknown ids 404', async () => {
      const bad = await t.http.post(`/api/v1/locations/${loc.id}/rooms`).set(staff.auth).send({ name: '', capacity: 0 });
      expect(bad.status).toBe(422);
      expect(fieldsOf(bad)).toEqual(['capacity', 'name']);
      const room = await t.http.post(`/api/v1/locations/${loc.id}/rooms`).set(staff.auth).send({ name: 'Studio', capacity: 2 }).expect(201);
      expect((await t.http.post(`/api/v1/locations/${loc.id}/rooms`).set(otherStaff.auth).send({ name: 'Varasto', capacity: 2 })).status).toBe(403);
      expect((await t.http.delete(`/api/v1/locations/${loc.id}/rooms/${room.body.id}`).set(otherStaff.auth)).status).toBe(403);
      expect((await t.http.post(`/api/v1/locations/${loc.id}/rooms`).send({ name: 'Varasto', capacity: 2 })).status).toBe(401);
      expect((await t.http.get(`/api/v1/locations/${UNKNOWN}/rooms`)).status).toBe(404);
      expect((await t.http.get(`/api/v1/locations/${loc.id}/rooms/${UNKNOWN}`)).status).toBe(404);
      expect((await t.http.delete(`/api/v1/locations/${other.id}/rooms/${room.body.id}`).set(admin.auth)).status).toBe(404);
      expect((await t.http.get(`/api/v1/locations/${loc.id}/rooms/${room.body.id}`)).status).toBe(200);
    });
  });
});
