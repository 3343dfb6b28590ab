import { bookingBody, BOOKING_NOW, bookingWorld } from '../support/booking-fixtures';
import { newUser } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

/** Issue 18, item 13: no manage token leaks through a Referer; no response is content-sniffed. */
describe('security headers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ now: BOOKING_NOW });
  });
  afterAll(() => t.close());

  it('sets Referrer-Policy: no-referrer on responses carrying or reached through a manage token, errors included', async () => {
    const w = await bookingWorld(t);
    const created = await t.http.post('/api/v1/bookings').send(bookingBody(w.location.id, '2027-01-11T10:00:00+02:00')).expect(201);
    expect(created.headers['referrer-policy']).toBe('no-referrer');
    const token = created.body.manageToken as string;
    for (const res of [
      await t.http.get(`/api/v1/bookings/manage/${token}`).expect(200),
      await t.http.get(`/api/v1/bookings/manage/${token}/calendar.ics`).expect(200),
      await t.http.get('/api/v1/bookings/manage/not-a-real-token'),
      await t.http.post(`/api/v1/bookings/manage/${token}/cancel`).send({ reason: 42 }),
    ]) {
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    }
    const staff = await newUser(t, { role: 'staff', locationIds: [w.location.id] });
    const renewed = await t.http.post(`/api/v1/bookings/${created.body.id}/manage-link`).set(staff.auth).expect(200);
    expect(renewed.body.manageToken).toBeTruthy();
    expect(renewed.headers['referrer-policy']).toBe('no-referrer');
    expect((await t.http.get('/api/v1/locations')).headers['referrer-policy']).toBeUndefined();
  });

  it('sets X-Content-Type-Options: nosniff on every response: answers, errors, health, docs', async () => {
    for (const res of [
      await t.http.get('/health/live'),
      await t.http.get('/api/v1/locations'),
      await t.http.get('/api/v1/no-such-route'),
      await t.http.get('/api/v1/users'),
      await t.http.post('/api/v1/auth/login').set('content-type', 'application/json').send('{'),
      await t.http.get('/api/docs.json'),
    ]) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
  });
});
