import { bookingBody, BookingWorld, bookingWorld, BOOKING_NOW, uniquePhone } from '../support/booking-fixtures';
import { newUser } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Rate limits on public booking (TUKIAIKA_RATE_BOOKING_PER_IP / _PER_CONTACT over
 * TUKIAIKA_RATE_WINDOW_SECONDS), with low limits. X-Forwarded-For is believed from the test
 * client only because it is configured as a trusted proxy here. Staff bookings on a resident's
 * behalf are not rate-limited (a library desk shares one address; the caller is signed in).
 */
describe('bookings: rate limits', () => {
  let t: TestApp;
  let w: BookingWorld;

  beforeAll(async () => {
    t = await startTestApp({
      now: BOOKING_NOW,
      env: {
        TUKIAIKA_RATE_BOOKING_PER_IP: '3',
        TUKIAIKA_RATE_BOOKING_PER_CONTACT: '2',
        TUKIAIKA_RATE_WINDOW_SECONDS: '600',
        TUKIAIKA_TRUSTED_PROXIES: '127.0.0.1,::1,::ffff:127.0.0.1',
      },
    });
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    w = await bookingWorld(t, { maxActiveBookingsPerContact: 10 });
  });

  const post = (ip: string, body: Record<string, unknown>) => t.http.post('/api/v1/bookings').set('X-Forwarded-For', ip).send(body);

  it('limits attempts per IP, successful or not, with 429 and Retry-After; other addresses go on', async () => {
    t.clock.set('2027-01-04T06:00:00Z'); // the start of a 10-minute window
    const ip = '203.0.113.10';
    await post(ip, bookingBody(w.location.id, '2027-01-11T10:00:00+02:00')).expect(201);
    await post(ip, bookingBody(w.location.id, '2027-01-11T10:10:00+02:00')).expect(422); // off the grid: still an attempt
    await post(ip, bookingBody(w.location.id, '2027-01-11T11:00:00+02:00')).expect(201);
    t.clock.advance(120_000);
    const limited = await post(ip, bookingBody(w.location.id, '2027-01-11T12:00:00+02:00')).expect(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.body).toMatchObject({ type: '/problems/rate-limited', status: 429 });
    expect(limited.headers['retry-after']).toBe('480');
    expect(await t.db.query(`SELECT 1 FROM bookings WHERE location_id = $1 AND lower(during) = '2027-01-11T10:00:00Z'`, [w.location.id])).toHaveLength(0);
    await post('203.0.113.11', bookingBody(w.location.id, '2027-01-11T12:00:00+02:00')).expect(201);
    // The next window starts afresh.
    t.clock.set('2027-01-04T06:10:00Z');
    await post(ip, bookingBody(w.location.id, '2027-01-11T13:00:00+02:00')).expect(201);
  });

  it('counts a request once when it is decided again on a fresher snapshot of the branch', async () => {
    t.clock.set('2027-01-04T06:30:00Z'); // the start of a 10-minute window
    const ip = '203.0.113.40';
    const rename = (fi: string) => t.db.query(`UPDATE locations SET name = jsonb_set(name, '{fi}', to_jsonb($2::text)) WHERE id = $1`, [w.location.id, fi]);
    // Each rename makes the app's slot snapshot older than the database: the booking is decided twice.
    await rename('Kouvolan kirjasto A');
    expect((await post(ip, bookingBody(w.location.id, '2027-01-11T10:00:00+02:00')).expect(201)).body.location.name.fi).toBe('Kouvolan kirjasto A');
    await rename('Kouvolan kirjasto B');
    expect((await post(ip, bookingBody(w.location.id, '2027-01-11T11:00:00+02:00')).expect(201)).body.location.name.fi).toBe('Kouvolan kirjasto B');
    await post(ip, bookingBody(w.location.id, '2027-01-11T12:00:00+02:00')).expect(201);
    await post(ip, bookingBody(w.location.id, '2027-01-11T13:00:00+02:00')).expect(429);
    expect(await t.db.query(`SELECT hits FROM rate_limit_counters WHERE key = $1`, [`booking:ip:${ip}`])).toEqual([{ hits: 4 }]);
  });

  it('limits attempts per contact across addresses, however the number is written', async () => {
    t.clock.set('2027-01-04T07:00:00Z');
    const phone = uniquePhone();
    const resident = (p: string) => ({ name: 'Aino', phone: p, email: null, language: 'fi' });
    await post('198.51.100.1', bookingBody(w.location.id, '2027-01-12T10:00:00+02:00', { resident: resident(phone) })).expect(201);
    await post('198.51.100.2', bookingBody(w.location.id, '2027-01-12T11:00:00+02:00', { resident: resident(phone.replace('+358', '0')) })).expect(201);
    const res = await post('198.51.100.3', bookingBody(w.location.id, '2027-01-12T12:00:00+02:00', { resident: resident(phone.replace('+358', '00358')) })).expect(429);
    expect(res.body.type).toBe('/problems/rate-limited');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(600);
    // The counters hold no phone numbers.
    const keys = JSON.stringify(await t.db.query(`SELECT key FROM rate_limit_counters`));
    expect(keys).toContain('booking:contact:');
    expect(keys).not.toContain(phone.slice(4));
    // Another resident from the same address books.
    await post('198.51.100.3', bookingBody(w.location.id, '2027-01-12T12:00:00+02:00')).expect(201);
  });

  it('does not limit staff bookings by IP or contact, nor count them against the public limits', async () => {
    t.clock.set('2027-01-04T07:00:00Z');
    const staff = await newUser(t, { role: 'staff', locationIds: [w.location.id] });
    t.clock.set('2027-01-04T07:20:00Z'); // the start of a 10-minute window
    const ip = '192.0.2.77';
    const resident = { name: 'Aino', phone: uniquePhone(), email: null, language: 'fi' };
    const starts = [
      ['2027-01-13T10:00:00+02:00', w.matti.id],
      ['2027-01-13T11:00:00+02:00', w.matti.id],
      ['2027-01-13T12:00:00+02:00', w.matti.id],
      ['2027-01-13T13:00:00+02:00', w.matti.id],
      ['2027-01-13T10:00:00+02:00', w.liisa.id],
    ];
    for (const [start, tutorId] of starts) {
      const { consent: _, ...body } = bookingBody(w.location.id, start, { tutorId, resident });
      await t.http.post('/api/v1/bookings/staff').set(staff.auth).set('X-Forwarded-For', ip).send({ ...body, channel: 'phone' }).expect(201);
    }
    expect(await t.db.query(`SELECT key FROM rate_limit_counters WHERE key LIKE 'booking:%' AND window_start = '2027-01-04T07:20:00Z'`)).toEqual([]);
    // The same address and the same resident still have their whole public allowance.
    await post(ip, bookingBody(w.location.id, '2027-01-14T10:00:00+02:00', { resident })).expect(201);
    await post(ip, bookingBody(w.location.id, '2027-01-14T11:00:00+02:00', { resident })).expect(201);
    await post(ip, bookingBody(w.location.id, '2027-01-14T12:00:00+02:00')).expect(201);
    expect((await post(ip, bookingBody(w.location.id, '2027-01-14T13:00:00+02:00')).expect(429)).body.type).toBe('/problems/rate-limited');
  });
});
