import { randomUUID } from 'node:crypto';
import { bookingBody, BookingWorld, bookingWorld, BOOKING_NOW, uniquePhone } from '../support/booking-fixtures';
import { newBooking, newLocation, newTutor } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

/** POST /api/v1/bookings: the contract's shape, every rule and bad input, the per-contact cap and Idempotency-Key. */
describe('bookings: booking a slot', () => {
  let t: TestApp;
  let w: BookingWorld;
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

  beforeAll(async () => {
    t = await startTestApp({ now: BOOKING_NOW });
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    t.clock.set(BOOKING_NOW);
    w = await bookingWorld(t);
  });

  const post = (body: Record<string, unknown>, headers: Record<string, string> = {}) => t.http.post('/api/v1/bookings').set(headers).send(body);
  const activeAt = async (tutorId: string, startIso: string) =>
    (await t.db.query(`SELECT count(*)::int AS n FROM bookings WHERE tutor_id = $1 AND lower(during) = $2 AND status = 'confirmed'`, [tutorId, startIso]))[0].n as number;

  it('books a slot and answers 201 exactly as API.md, instants in the branch’s offset', async () => {
    const res = await post(
      bookingBody(w.location.id, '2027-01-11T08:00:00Z', {
        tutorId: w.matti.id,
        resident: { name: 'Aino Virtanen', phone: '040 123 4567', email: ' Aino.Virtanen@Example.FI ', language: 'sv' },
      }),
    ).expect(201);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({
      id: expect.stringMatching(UUID),
      reference: expect.stringMatching(/^[2-9A-HJKMNP-Z]{3}-[2-9A-HJKMNP-Z]{3}$/),
      status: 'confirmed',
      start: '2027-01-11T10:00:00+02:00',
      end: '2027-01-11T10:45:00+02:00',
      topic: 'smartphone-tablet',
      language: 'fi',
      kind: 'tutoring',
      channel: 'web',
      location: {
        id: w.location.id,
        name: { fi: 'Kouvolan pääkirjasto', sv: 'Kouvola huvudbibliotek', en: 'Kouvola Main Library' },
        address: { street: 'Kirjastokatu 1', postalCode: '45100', city: 'Kouvola' },
        timezone: 'Europe/Helsinki',
      },
      tutor: { id: w.matti.id, displayName: 'Matti V.' },
      partnerId: null,
      claimId: null,
      resident: { name: 'Aino Virtanen', phone: '+358401234567', email: 'aino.virtanen@example.fi', language: 'sv' },
      manageToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      version: 1,
    });
    expect(Object.keys(res.body)).toEqual(['id', 'reference', 'status', 'start', 'end', 'topic', 'language', 'kind', 'channel', 'location', 'tutor', 'partnerId', 'claimId', 'resident', 'manageToken', 'version']);

    // Stored: the time as a range, the phone in E.164, only a hash of the token; the event in the same transaction.
    const [row] = await t.db.query(`SELECT *, lower(during) AS s, upper(during) AS e FROM bookings WHERE id = $1`, [res.body.id]);
    expect(row.s.toISOString()).toBe('2027-01-11T08:00:00.000Z');
    expect(row.e.toISOString()).toBe('2027-01-11T08:45:00.000Z');
    expect(row.resident_phone).toBe('+358401234567');
    expect(row.notes).toBe('Uusi puhelin');
    expect(row.manage_token_hash).toHaveLength(32);
    const token = res.body.manageToken as string;
    expect(row.manage_token_hash.equals(Buffer.from(token, 'base64url'))).toBe(false);
    const everything = JSON.stringify(await t.db.query(`SELECT b.*, encode(manage_token_hash, 'base64') AS h FROM bookings b`));
    expect(everything).not.toContain(token);
    const events = await t.db.query(`SELECT type, at, actor_type, reason, payload FROM booking_events WHERE booking_id = $1`, [res.body.id]);
    expect(events).toEqual([
      {
        type: 'created',
        at: new Date(BOOKING_NOW),
        actor_type: 'resident',
        reason: null,
        payload: { start: '2027-01-11T08:00:00.000Z', end: '2027-01-11T08:45:00.000Z', tutorId: w.matti.id, channel: 'web' },
      },
    ]);
  });

  it('answers with what it stored: the manage view of each new booking is the 201 without its token', async () => {
    // The 201 is built from the request and the chosen candidate (no read-back): compare with a fresh read.
    const named = await post(bookingBody(w.location.id, '2027-01-11T10:00:00+02:00', { tutorId: w.matti.id, notes: 'Pankkitunnukset' })).expect(201);
    const auto = await post(bookingBody(w.location.id, '2027-01-11T10:00:00+02:00', { resident: { name: 'Eino', email: 'eino@example.fi' } })).expect(201);
    for (const created of [named.body, auto.body]) {
      const { manageToken, ...shown } = created as Record<string, unknown> & { manageToken: string };
      const read = await t.http.get(`/api/v1/bookings/manage/${manageToken}`).expect(200);
      expect(read.body).toEqual(shown);
    }
    expect(auto.body.tutor.id).not.toBe(w.matti.id);
  });

  it('gives each booking its own reference and token', async () => {
    const a = await post(bookingBody(w.location.id, '2027-01-11T10:00:00+02:00', { tutorId: w.matti.id })).expect(201);
    const b = await post(bookingBody(w.location.id, '2027-01-11T10:00:00+02:00', { tutorId: w.liisa.id })).expect(201);
    expect(a.body.reference).not.toBe(b.body.reference);
    expect(a.body.manageToken).not.toBe(b.body.manageToken);
    expect(a.body.id).not.toBe(b.body.id);
  });

  describe('without tutorId', () => {
    it('picks the free tutor with the fewest bookings that ISO week', async () => {
      // Matti already has two bookings that week (one cancelled booking does not count for Liisa).
      await newBooking(t, { locationId: w.location.id, tutorId: w.matti.id, start: '2027-01-12T10:00:00+02:00', end: '2027-01-12T10:45:00+02:00' });
      await newBooking(t, { locationId: w.location.id, tutorId: w.matti.id, start: '2027-01-13T10:00:00+02:00', end: '2027-01-13T10:45:00+02:00', status: 'completed' });
      await newBooking(t, { locationId: w.location.id, tutorId: w.liisa.id, start: '2027-01-12T11:00:00+02:00', end: '2027-01-12T11:45:00+02:00', status: 'cancelled' });
      // …and the week before does not count against Liisa either.
      await newBooking(t, { locationId: w.location.id, tutorId: w.liisa.id, start: '2027-01-08T10:00:00+02:00', end: '2027-01-08T10:45:00+02:00' });
      await newBooking(t, { locationId: w.location.id, tutorId: w.liisa.id, start: '2027-01-07T10:00:00+02:00', end: '2027-01-07T10:45:00+02:00' });
      const res = await post(bookingBody(w.location.id, '2027-01-14T11:00:00+02:00')).expect(201);
      expect(res.body.tutor).toEqual({ id: w.liisa.id, displayName: 'Liisa K.' });
    });

    it('takes only tutors who offer the topic and speak the language', async () => {
      const sv = await post(bookingBody(w.location.id, '2027-01-11T10:00:00+02:00', { language: 'sv' })).expect(201);
      expect(sv.body.tutor.id).toBe(w.matti.id); // Liisa speaks only Finnish
      const email = await post(bookingBody(w.location.id, '2027-01-11T11:00:00+02:00', { topic: 'email' })).expect(201);
      expect(email.body.tutor.id).toBe(w.liisa.id); // Matti does not teach e-mail
      // The session language defaults to the resident's.
      const dflt = await post(bookingBody(w.location.id, '2027-01-11T12:00:00+02:00', { language: undefined, resident: { name: 'Sven', phone: uniquePhone(), language: 'sv' } })).expect(201);
      expect(dflt.body.language).toBe('sv');
      expect(dflt.body.tutor.id).toBe(w.matti.id);
    });

    it('answers 409 no-tutor-available when every suitable tutor is booked', async () => {
      await post(bookingBody(w.location.id, '2027-01-11T10:00:00+02:00', { tutorId: w.matti.id })).expect(201);
      const sv = await post(bookingBody(w.location.id, '2027-01-11T10:00:00+02:00', { language: 'sv' })).expect(409);
      expect(sv.body).toMatchObject({ type: '/problems/no-tutor-available', status: 409 });
      expect(sv.headers['content-type']).toMatch(/^application\/problem\+json/);
      await post(bookingBody(w.location.id, '2027-01-11T10:00:00+02:00')).expect(201); // Liisa, in Finnish
      const none = await post(bookingBody(w.location.id, '2027-01-11T10:00:00+02:00')).expect(409);
      expect(none.body.type).toBe('/problems/no-tutor-available');
    });
  });

  it('answers 409 slot-taken when the chosen tutor is already booked then', async () => {
    await post(bookingBody(w.location.id, '2027-01-14T10:00:00+02:00', { tutorId: w.matti.id })).expect(201);
    const res = await post(bookingBody(w.location.id, '2027-01-14T10:00:00+02:00', { tutorId: w.matti.id })).expect(409);
    expect(res.body).toEqual({ type: '/problems/slot-taken', title: 'Slot taken', status: 409, detail: expect.any(String) });
    // A booking of Matti overlapping the slot (made by staff, say) blocks it too.
    await newBooking(t, { locationId: w.location.id, tutorId: w.matti.id, start: '2027-01-14T11:30:00+02:00', end: '2027-01-14T12:15:00+02:00' });
    expect((await post(bookingBody(w.location.id, '2027-01-14T12:00:00+02:00', { tutorId: w.matti.id })).expect(409)).body.type).toBe('/problems/slot-taken');
    expect(await activeAt(w.matti.id, '2027-01-14T08:00:00Z')).toBe(1);
  });

  describe('bad input → 422 naming the field, never echoing the value', () => {
    const cases: [string, (b: Record<string, unknown>, world: BookingWorld) => void, string, string][] = [
      ['consent false', (b) => (b.consent = false), 'consent', 'consent-required'],
      ['consent missing', (b) => delete b.consent, 'consent', 'required'],
      ['consent "true" as a string', (b) => (b.consent = 'true'), 'consent', 'consent-required'],
      ['a bad phone number', (b) => (b.resident = { name: 'Aino', phone: '040 123', language: 'fi' }), 'resident.phone', 'invalid-phone'],
      ['letters for a phone', (b) => (b.resident = { name: 'Aino', phone: 'call me maybe', language: 'fi' }), 'resident.phone', 'invalid-phone'],
      ['no contact at all', (b) => (b.resident = { name: 'Aino', phone: null, email: null, language: 'fi' }), 'resident', 'contact-required'],
      ['a bad e-mail', (b) => (b.resident = { name: 'Aino', email: 'aino@', language: 'fi' }), 'resident.email', 'invalid-email'],
      ['no name', (b) => (b.resident = { name: '  ', phone: '040 123 4567', language: 'fi' }), 'resident.name', 'min-length'],
      ['a message language we do not write', (b) => (b.resident = { name: 'Aino', phone: '040 123 4567', language: 'de' }), 'resident.language', 'not-allowed'],
      ['no resident', (b) => delete b.resident, 'resident', 'required'],
      ['an instant without offset', (b) => (b.start = '2027-01-11T10:00:00'), 'start', 'offset-required'],
      ['a date for an instant', (b) => (b.start = '2027-01-11'), 'start', 'invalid-instant'],
      ['a time that does not exist', (b) => (b.start = '2027-02-30T10:00:00+02:00'), 'start', 'invalid-instant'],
      ['an offset no place has', (b) => (b.start = '2027-01-11T10:00:00+15:00'), 'start', 'invalid-instant'],
      ['hour 24', (b) => (b.start = '2027-01-11T24:00:00+02:00'), 'start', 'invalid-instant'],
      ['an unknown location', (b) => (b.locationId = randomUUID()), 'locationId', 'unknown-location'],
      ['a location id that is not a uuid', (b) => (b.locationId = 'kouvola'), 'locationId', 'invalid-id'],
      ['an unknown topic', (b) => (b.topic = 'time-travel'), 'topic', 'unknown-topic'],
      ['an unknown tutor', (b) => (b.tutorId = randomUUID()), 'tutorId', 'unknown-tutor'],
      ['an unknown session language', (b) => (b.language = 'xx'), 'language', 'unknown-language'],
      ['a claim (no partner claims are bookable yet)', (b) => (b.claimId = randomUUID()), 'claimId', 'unknown-claim'],
      ['an unknown field', (b) => (b.vip = true), 'vip', 'unknown-field'],
    ];
    it.each(cases)('%s', async (_, change, field, code) => {
      const body = bookingBody(w.location.id, '2027-01-11T10:00:00+02:00', { tutorId: w.matti.id });
      change(body, w);
      const res = await post(body).expect(422);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.type).toBe('/problems/validation-failed');
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, code })]));
      expect(JSON.stringify(res.body)).not.toMatch(/call me maybe|time-travel|kouvola"|aino@"/);
      expect(await t.db.query(`SELECT 1 FROM bookings WHERE location_id = $1`, [w.location.id])).toHaveLength(0);
    });

    it('an unknown topic is the same 422 when it exists but is no longer offered', async () => {
      await t.db.query(`INSERT INTO topics (slug, name_fi, name_sv, name_en, active) VALUES ('retired-topic', 'x', 'x', 'x', false)`);
      const res = await post(bookingBody(w.location.id, '2027-01-11T10:00:00+02:00', { topic: 'retired-topic' })).expect(422);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'topic', code: 'unknown-topic' })]);
    });
  });

  describe('rules → 422 with the specific type', () => {
    const expectProblem = async (body: Record<string, unknown>, type: string) => {
      const res = await post(body).expect(422);
      expect(res.body).toEqual({ type: `/problems/${type}`, title: expect.any(String), status: 422, detail: expect.any(String) });
      return res;
    };

    it('too-soon for a past slot and inside the minimum notice; exactly the notice is fine', async () => {
      await expectProblem(bookingBody(w.location.id, '2026-12-28T10:00:00+02:00', { tutorId: w.matti.id }), 'too-soon');
      t.clock.set('2027-01-11T08:30:00Z'); // Monday 10:30, 90 minutes before 12:00
      await expectProblem(bookingBody(w.location.id, '2027-01-11T12:00:00+02:00', { tutorId: w.matti.id }), 'too-soon');
      await expectProblem(bookingBody(w.location.id, '2027-01-11T10:00:00+02:00', { tutorId: w.matti.id }), 'too-soon'); // already begun
      await post(bookingBody(w.location.id, '2027-01-11T13:00:00+02:00', { tutorId: w.matti.id })).expect(201); // 150 minutes
      t.clock.set('2027-01-11T08:00:00Z'); // exactly 120 minutes before 12:00
      await post(bookingBody(w.location.id, '2027-01-11T12:00:00+02:00', { tutorId: w.matti.id })).expect(201);
    });

    it('too-far-ahead after the last bookable local date (today + 60 days)', async () => {
      await post(bookingBody(w.location.id, '2027-03-05T10:00:00+02:00', { tutorId: w.matti.id })).expect(201); // Friday, day 60
      await expectProblem(bookingBody(w.location.id, '2027-03-08T10:00:00+02:00', { tutorId: w.matti.id }), 'too-far-ahead');
    });

    it('location-closed on a public holiday and during a closure', async () => {
      // Wednesday 2027-01-06 is Epiphany (loppiainen).
      await expectProblem(bookingBody(w.location.id, '2027-01-06T10:00:00+02:00', { tutorId: w.matti.id }), 'location-closed');
      await expectProblem(bookingBody(w.location.id, '2027-01-06T10:00:00+02:00'), 'location-closed');
      await t.db.query(`INSERT INTO location_closures (location_id, during, reason) VALUES ($1, tstzrange($2, $3), 'Vesivahinko')`, [
        w.location.id,
        '2027-01-12T00:00:00+02:00',
        '2027-01-13T00:00:00+02:00',
      ]);
      await expectProblem(bookingBody(w.location.id, '2027-01-12T11:00:00+02:00', { tutorId: w.matti.id }), 'location-closed');
      // The day after is bookable again.
      await post(bookingBody(w.location.id, '2027-01-13T11:00:00+02:00', { tutorId: w.matti.id })).expect(201);
      // A closure of part of a day (11:30–13:00): a session starting in it, or running into it,
      // meets the closure, not closing time; after it the day is bookable.
      await t.db.query(`INSERT INTO location_closures (location_id, during, reason) VALUES ($1, tstzrange($2, $3), 'Tapahtuma')`, [
        w.location.id,
        '2027-01-14T11:30:00+02:00',
        '2027-01-14T13:00:00+02:00',
      ]);
      await expectProblem(bookingBody(w.location.id, '2027-01-14T12:00:00+02:00', { tutorId: w.matti.id }), 'location-closed');
      await expectProblem(bookingBody(w.location.id, '2027-01-14T12:00:00+02:00'), 'location-closed');
      await expectProblem(bookingBody(w.location.id, '2027-01-14T11:00:00+02:00', { tutorId: w.matti.id }), 'location-closed');
      await post(bookingBody(w.location.id, '2027-01-14T13:00:00+02:00', { tutorId: w.matti.id })).expect(201);
    });

    it('location-closed for a branch taken out of use', async () => {
      await t.db.query(`UPDATE locations SET active = false WHERE id = $1`, [w.location.id]);
      await expectProblem(bookingBody(w.location.id, '2027-01-11T10:00:00+02:00', { tutorId: w.matti.id }), 'location-closed');
    });

    it('outside-opening-hours when the branch is not open then, or closes before the session ends', async () => {
      await expectProblem(bookingBody(w.location.id, '2027-01-10T10:00:00+02:00', { tutorId: w.matti.id }), 'outside-opening-hours'); // Sunday
      const late = await newTutor(t, { locationIds: [w.location.id], topics: ['smartphone-tablet'], rules: [{ locationId: w.location.id, weekday: 1, startTime: '17:00', endTime: '21:00', sessionMinutes: 60, bufferMinutes: 0 }] });
      await post(bookingBody(w.location.id, '2027-01-11T18:00:00+02:00', { tutorId: late.id })).expect(201);
      await expectProblem(bookingBody(w.location.id, '2027-01-11T19:00:00+02:00', { tutorId: late.id }), 'outside-opening-hours');
      const overrun = await newTutor(t, { locationIds: [w.location.id], topics: ['smartphone-tablet'], rules: [{ locationId: w.location.id, weekday: 1, startTime: '18:30', endTime: '20:00', sessionMinutes: 45, bufferMinutes: 0 }] });
      await expectProblem(bookingBody(w.location.id, '2027-01-11T18:30:00+02:00', { tutorId: overrun.id }), 'outside-opening-hours');
    });

    it('not-on-slot-grid between session starts', async () => {
      await expectProblem(bookingBody(w.location.id, '2027-01-11T10:10:00+02:00', { tutorId: w.matti.id }), 'not-on-slot-grid');
      await expectProblem(bookingBody(w.location.id, '2027-01-11T10:50:00+02:00'), 'not-on-slot-grid');
      await expectProblem(bookingBody(w.location.id, '2027-01-11T10:00:30+02:00', { tutorId: w.matti.id }), 'not-on-slot-grid');
    });

    it('tutor-unavailable outside the tutor’s hours, when absent, at another branch or for a topic they do not teach', async () => {
      await expectProblem(bookingBody(w.location.id, '2027-01-11T15:00:00+02:00', { tutorId: w.matti.id }), 'tutor-unavailable');
      await expectProblem(bookingBody(w.location.id, '2027-01-16T11:00:00+02:00'), 'tutor-unavailable'); // Saturday: open, nobody works
      await t.db.query(`INSERT INTO tutor_absences (tutor_id, starts_at, ends_at, reason) VALUES ($1, $2, $3, 'Flunssa')`, [w.matti.id, '2027-01-13T00:00:00+02:00', '2027-01-14T00:00:00+02:00']);
      await expectProblem(bookingBody(w.location.id, '2027-01-13T10:00:00+02:00', { tutorId: w.matti.id }), 'tutor-unavailable');
      expect((await post(bookingBody(w.location.id, '2027-01-13T10:00:00+02:00')).expect(201)).body.tutor.id).toBe(w.liisa.id);
      const elsewhere = await newLocation(t, { weeklyHours: [{ days: { 1: [['09:00', '19:00']] } }] });
      const other = await newTutor(t, { locationIds: [elsewhere.id], topics: ['smartphone-tablet'], rules: [{ locationId: elsewhere.id, weekday: 1, startTime: '10:00', endTime: '14:00' }] });
      await expectProblem(bookingBody(w.location.id, '2027-01-11T10:00:00+02:00', { tutorId: other.id }), 'tutor-unavailable');
      await expectProblem(bookingBody(w.location.id, '2027-01-11T11:00:00+02:00', { tutorId: w.liisa.id, topic: 'online-banking' }), 'tutor-unavailable');
      await expectProblem(bookingBody(w.location.id, '2027-01-11T11:00:00+02:00', { tutorId: w.liisa.id, language: 'sv' }), 'tutor-unavailable');
    });
  });

  describe('per-contact cap (maxActiveBookingsPerContact = 2 at this branch)', () => {
    const resident = (phone: string | null, email: string | null = null) => ({ name: 'Aino Virtanen', phone, email, language: 'fi' });

    it('refuses a third active booking by phone or by e-mail, in any spelling', async () => {
      await post(bookingBody(w.location.id, '2027-01-11T10:00:00+02:00', { resident: resident('040 765 4321', 'aino@example.fi') })).expect(201);
      await post(bookingBody(w.location.id, '2027-01-12T10:00:00+02:00', { resident: resident('+358 40 765 4321', 'aino@example.fi') })).expect(201);
      const third = await post(bookingBody(w.location.id, '2027-01-13T10:00:00+02:00', { resident: resident('0407654321') })).expect(422);
      expect(third.body).toMatchObject({ type: '/problems/booking-limit-reached', status: 422 });
      const byEmail = await post(bookingBody(w.location.id, '2027-01-13T10:00:00+02:00', { resident: resident(uniquePhone(), 'AINO@example.fi') })).expect(422);
      expect(byEmail.body.type).toBe('/problems/booking-limit-reached');
      // Someone else books that time without trouble.
      await post(bookingBody(w.location.id, '2027-01-13T10:00:00+02:00', { resident: resident(uniquePhone()) })).expect(201);
    });

    it('counts only active, future bookings at this branch', async () => {
      const phone = uniquePhone();
      await newBooking(t, { locationId: w.location.id, tutorId: w.matti.id, start: '2026-12-28T10:00:00+02:00', end: '2026-12-28T10:45:00+02:00', phone }); // past
      await newBooking(t, { locationId: w.location.id, tutorId: w.matti.id, start: '2027-01-18T10:00:00+02:00', end: '2027-01-18T10:45:00+02:00', phone, status: 'cancelled' });
      const elsewhere = await newLocation(t);
      const tutorThere = await newTutor(t, { locationIds: [elsewhere.id] });
      await newBooking(t, { locationId: elsewhere.id, tutorId: tutorThere.id, start: '2027-01-18T10:00:00+02:00', end: '2027-01-18T10:45:00+02:00', phone });
      await post(bookingBody(w.location.id, '2027-01-11T10:00:00+02:00', { resident: resident(phone) })).expect(201);
      await post(bookingBody(w.location.id, '2027-01-12T10:00:00+02:00', { resident: resident(phone) })).expect(201);
      expect((await post(bookingBody(w.location.id, '2027-01-13T10:00:00+02:00', { resident: resident(phone) })).expect(422)).body.type).toBe('/problems/booking-limit-reached');
    });
  });

  describe('branch and topic changes are honoured by the very next booking (no stale in-memory decision)', () => {
    const resident = (phone: string) => ({ name: 'Aino Virtanen', phone, language: 'fi' });

    it('a lowered, then raised maxActiveBookingsPerContact and a renamed branch', async () => {
      const phone = uniquePhone();
      // The first booking loads the in-memory inputs with the cap of 2.
      await post(bookingBody(w.location.id, '2027-01-11T10:00:00+02:00', { resident: resident(phone) })).expect(201);
      await t.db.query(`UPDATE locations SET max_active_bookings_per_contact = 1 WHERE id = $1`, [w.location.id]);
      const refused = await post(bookingBody(w.location.id, '2027-01-12T10:00:00+02:00', { resident: resident(phone) })).expect(422);
      expect(refused.body).toMatchObject({ type: '/problems/booking-limit-reached', status: 422 });
      expect(refused.body.detail).toContain('the library allows 1');
      await t.db.query(`UPDATE locations SET max_active_bookings_per_contact = 3, name = name || '{"en": "Kouvola Central Library"}'::jsonb WHERE id = $1`, [w.location.id]);
      const second = await post(bookingBody(w.location.id, '2027-01-12T10:00:00+02:00', { resident: resident(phone) })).expect(201);
      expect(second.body.location.name.en).toBe('Kouvola Central Library');
      await post(bookingBody(w.location.id, '2027-01-13T10:00:00+02:00', { resident: resident(phone) })).expect(201);
      expect((await post(bookingBody(w.location.id, '2027-01-14T10:00:00+02:00', { resident: resident(phone) })).expect(422)).body.type).toBe('/problems/booking-limit-reached');
    });

    it('a topic taken out of the catalogue', async () => {
      await post(bookingBody(w.location.id, '2027-01-11T10:00:00+02:00', { resident: resident(uniquePhone()) })).expect(201);
      await t.db.query(`UPDATE topics SET active = false WHERE slug = 'smartphone-tablet'`);
      try {
        const res = await post(bookingBody(w.location.id, '2027-01-12T10:00:00+02:00', { resident: resident(uniquePhone()) })).expect(422);
        expect(res.body).toMatchObject({ type: '/problems/validation-failed', errors: [expect.objectContaining({ field: 'topic', code: 'unknown-topic' })] });
      } finally {
        await t.db.query(`UPDATE topics SET active = true WHERE slug = 'smartphone-tablet'`);
      }
    });
  });

  describe('Idempotency-Key', () => {
    it('replays the first response, token included, for the same key and body', async () => {
      const key = randomUUID();
      const body = bookingBody(w.location.id, '2027-01-11T10:00:00+02:00', { tutorId: w.matti.id });
      const first = await post(body, { 'Idempotency-Key': key }).expect(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      const again = await post(body, { 'Idempotency-Key': key }).expect(201);
      expect(again.body).toEqual(first.body);
      expect(again.body.manageToken).toBe(first.body.manageToken);
      expect(again.headers['idempotent-replayed']).toBe('true');
      // Key order in the JSON does not matter; the booking exists once.
      const reordered = Object.fromEntries(Object.entries(body).reverse());
      expect((await post(reordered, { 'Idempotency-Key': key }).expect(201)).body).toEqual(first.body);
      expect(await activeAt(w.matti.id, '2027-01-11T08:00:00Z')).toBe(1);
      expect(await t.db.query(`SELECT 1 FROM booking_events e JOIN bookings b ON b.id = e.booking_id WHERE b.location_id = $1`, [w.location.id])).toHaveLength(1);
    });

    it('keeps the stored response encrypted', async () => {
      const key = randomUUID();
      const first = await post(bookingBody(w.location.id, '2027-01-11T10:00:00+02:00', { tutorId: w.matti.id, resident: { name: 'Salainen Sointu', phone: uniquePhone() } }), { 'Idempotency-Key': key }).expect(201);
      const [row] = await t.db.query(`SELECT key, status_code, response_encrypted, request_hash FROM idempotency_keys WHERE key LIKE '%' || $1`, [key]);
      expect(row.status_code).toBe(201);
      const stored = (row.response_encrypted as Buffer).toString('latin1');
      expect(stored).not.toContain('Salainen');
      expect(stored).not.toContain(first.body.manageToken);
      expect(stored).not.toContain(first.body.id);
    });

    it('answers 422 idempotency-key-reused for the same key with another body', async () => {
      const key = randomUUID();
      const body = bookingBody(w.location.id, '2027-01-11T10:00:00+02:00', { tutorId: w.matti.id });
      await post(body, { 'Idempotency-Key': key }).expect(201);
      const res = await post({ ...body, start: '2027-01-11T11:00:00+02:00' }, { 'Idempotency-Key': key }).expect(422);
      expect(res.body).toMatchObject({ type: '/problems/idempotency-key-reused', status: 422 });
      expect(JSON.stringify(res.body)).not.toContain('manageToken');
      expect(await activeAt(w.matti.id, '2027-01-11T09:00:00Z')).toBe(0);
    });

    it('does not store failures: the key can be used again once the request is fixed', async () => {
      const key = randomUUID();
      const body = bookingBody(w.location.id, '2027-01-11T10:10:00+02:00', { tutorId: w.matti.id });
      await post(body, { 'Idempotency-Key': key }).expect(422);
      await post({ ...body, start: '2027-01-11T10:00:00+02:00' }, { 'Idempotency-Key': key }).expect(201);
    });

    it('forgets a key after 24 hours: the same key is then a new attempt', async () => {
      const key = randomUUID();
      const body = bookingBody(w.location.id, '2027-01-12T10:00:00+02:00', { tutorId: w.matti.id });
      await post(body, { 'Idempotency-Key': key }).expect(201);
      t.clock.set('2027-01-05T05:59:59Z');
      expect((await post(body, { 'Idempotency-Key': key })).status).toBe(201); // still replayed at 23:59:59
      t.clock.set('2027-01-05T06:00:01Z');
      // No replay now: the same body is a new attempt, and the slot is taken (by the first booking).
      expect((await post(body, { 'Idempotency-Key': key }).expect(409)).body.type).toBe('/problems/slot-taken');
      const other = randomUUID();
      await post(bookingBody(w.location.id, '2027-01-12T11:00:00+02:00', { tutorId: w.matti.id }), { 'Idempotency-Key': other }).expect(201);
      const keys = (await t.db.query(`SELECT key FROM idempotency_keys`)).map((r: { key: string }) => r.key);
      expect(keys.some((k: string) => k.endsWith(other))).toBe(true);
      // The expired answer was dropped when its key came back; Housekeeping deletes the others.
      expect(keys.some((k: string) => k.endsWith(key))).toBe(false);
    });

    it('refuses keys that are empty, too long or not visible ASCII', async () => {
      for (const bad of ['x'.repeat(151), 'ä-key', 'two words']) {
        const res = await post(bookingBody(w.location.id, '2027-01-11T10:00:00+02:00'), { 'Idempotency-Key': bad }).expect(422);
        expect(res.body.errors).toEqual([expect.objectContaining({ field: 'Idempotency-Key', code: 'invalid-idempotency-key' })]);
      }
    });
  });
});
