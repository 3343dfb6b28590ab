import { randomBytes } from 'node:crypto';
import ICAL from 'ical.js';
import { bookingBody, BookingWorld, bookingWorld, BOOKING_NOW, uniquePhone } from '../support/booking-fixtures';
import { newLocation, newTutor, newUser } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

/** Self-service by manage token: view, cancel, reschedule, calendar file; wrong tokens all look alike. */
describe('bookings: self-service by manage token', () => {
  let t: TestApp;
  let w: BookingWorld;

  beforeAll(async () => {
    t = await startTestApp({ now: BOOKING_NOW });
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    t.clock.set(BOOKING_NOW);
    w = await bookingWorld(t);
  });

  const book = async (start: string, over: Record<string, unknown> = {}) =>
    (await t.http.post('/api/v1/bookings').send(bookingBody(w.location.id, start, over)).expect(201)).body as Record<string, unknown> & { id: string; manageToken: string };
  const manage = (token: string, rest = '') => `/api/v1/bookings/manage/${token}${rest}`;
  const row = async (id: string) =>
    (await t.db.query(`SELECT status, tutor_id, lower(during) AS start, sequence, version FROM bookings WHERE id = $1`, [id]))[0] as {
      status: string;
      tutor_id: string;
      start: Date;
      sequence: number;
      version: number;
    };
  const events = async (id: string) => t.db.query(`SELECT type, at, actor_type, reason, payload FROM booking_events WHERE booking_id = $1 ORDER BY id`, [id]);

  it('shows the booking without its token, to the holder of the token only', async () => {
    const mine = await book('2027-01-11T10:00:00+02:00', { tutorId: w.matti.id });
    const theirs = await book('2027-01-11T11:00:00+02:00', { tutorId: w.matti.id });
    const res = await t.http.get(manage(mine.manageToken)).expect(200);
    const { manageToken: _, ...withoutToken } = mine;
    expect(res.body).toEqual(withoutToken);
    expect(res.body).not.toHaveProperty('manageToken');
    expect(res.headers['cache-control']).toBe('no-store');
    expect((await t.http.get(manage(theirs.manageToken)).expect(200)).body.id).toBe(theirs.id);
  });

  it('answers every wrong token with the same 404, whatever the route', async () => {
    const mine = await book('2027-01-11T10:00:00+02:00');
    const flipped = (mine.manageToken[0] === 'A' ? 'B' : 'A') + mine.manageToken.slice(1);
    const wrong = [randomBytes(32).toString('base64url'), flipped, mine.manageToken.slice(0, 42), 'abc', mine.id, `${mine.manageToken}A`, '%2e%2e'];
    const bodies = new Set<string>();
    for (const token of wrong) {
      const responses = [
        await t.http.get(manage(token)),
        await t.http.post(manage(token, '/cancel')).send({}),
        await t.http.post(manage(token, '/reschedule')).send({ start: '2027-01-12T10:00:00+02:00' }),
        await t.http.get(manage(token, '/calendar.ics')),
      ];
      for (const r of responses) {
        expect(r.status).toBe(404);
        expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
        bodies.add(JSON.stringify(r.body));
      }
    }
    expect([...bodies]).toEqual([JSON.stringify({ type: '/problems/not-found', title: 'Not found', status: 404, detail: 'No such booking.' })]);
    expect((await row(mine.id)).status).toBe('confirmed');
  });

  describe('cancel', () => {
    it('cancels with a reason, frees the time, records who and why, and cannot cancel twice', async () => {
      const mine = await book('2027-01-12T10:00:00+02:00', { tutorId: w.matti.id });
      const other = await book('2027-01-12T11:00:00+02:00', { tutorId: w.matti.id });
      t.clock.set('2027-01-05T09:00:00Z');
      const res = await t.http.post(manage(mine.manageToken, '/cancel')).send({ reason: 'En pääse' }).expect(200);
      expect(res.body).toMatchObject({ id: mine.id, status: 'cancelled', version: 2, start: '2027-01-12T10:00:00+02:00' });
      expect(res.body).not.toHaveProperty('manageToken');
      expect(await row(mine.id)).toMatchObject({ status: 'cancelled', sequence: 1, version: 2 });
      expect((await row(other.id)).status).toBe('confirmed'); // another's booking is untouched
      expect((await events(mine.id)).map((e: { type: string }) => e.type)).toEqual(['created', 'cancelled']);
      expect((await events(mine.id))[1]).toEqual({
        type: 'cancelled',
        at: new Date('2027-01-05T09:00:00Z'),
        actor_type: 'resident',
        reason: 'En pääse',
        payload: { start: '2027-01-12T08:00:00.000Z', end: '2027-01-12T08:45:00.000Z', tutorId: w.matti.id },
      });
      // The time is free again.
      await book('2027-01-12T10:00:00+02:00', { tutorId: w.matti.id });
      // Cancelling again, or moving a cancelled booking, is an invalid transition.
      const again = await t.http.post(manage(mine.manageToken, '/cancel')).send({}).expect(409);
      expect(again.body.type).toBe('/problems/invalid-transition');
      const move = await t.http.post(manage(mine.manageToken, '/reschedule')).send({ start: '2027-01-13T10:00:00+02:00' }).expect(409);
      expect(move.body.type).toBe('/problems/invalid-transition');
      expect(await row(mine.id)).toMatchObject({ status: 'cancelled', sequence: 1, version: 2 });
      // The token still shows the cancelled booking.
      expect((await t.http.get(manage(mine.manageToken)).expect(200)).body.status).toBe('cancelled');
    });

    it('is too late after the deadline (60 minutes before the start); the booking stays', async () => {
      const mine = await book('2027-01-11T12:00:00+02:00');
      t.clock.set('2027-01-11T09:00:00Z'); // 11:00 local: exactly 60 minutes before
      t.clock.advance(1000);
      const res = await t.http.post(manage(mine.manageToken, '/cancel')).send({}).expect(422);
      expect(res.body).toMatchObject({ type: '/problems/too-late-to-cancel', status: 422 });
      expect((await row(mine.id)).status).toBe('confirmed');
      const move = await t.http.post(manage(mine.manageToken, '/reschedule')).send({ start: '2027-01-12T12:00:00+02:00' }).expect(422);
      expect(move.body.type).toBe('/problems/too-late-to-cancel');
      t.clock.set('2027-01-11T09:00:00Z');
      await t.http.post(manage(mine.manageToken, '/cancel')).send({}).expect(200);
    });

    it('validates the body', async () => {
      const mine = await book('2027-01-11T12:00:00+02:00');
      const res = await t.http.post(manage(mine.manageToken, '/cancel')).send({ reason: 'x'.repeat(1001) }).expect(422);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'reason' })]);
    });
  });

  describe('reschedule', () => {
    it('moves the booking, keeping id, reference and token; frees the old time and takes the new one', async () => {
      const mine = await book('2027-01-11T10:00:00+02:00', { tutorId: w.matti.id });
      const res = await t.http.post(manage(mine.manageToken, '/reschedule')).send({ start: '2027-01-12T09:00:00Z' }).expect(200);
      expect(res.body).toMatchObject({
        id: mine.id,
        reference: mine.reference,
        status: 'confirmed',
        start: '2027-01-12T11:00:00+02:00',
        end: '2027-01-12T11:45:00+02:00',
        tutor: { id: w.matti.id, displayName: 'Matti V.' }, // kept the tutor, who is free then
        version: 2,
      });
      expect((await t.http.get(manage(mine.manageToken)).expect(200)).body.start).toBe('2027-01-12T11:00:00+02:00');
      expect(await row(mine.id)).toMatchObject({ sequence: 1, version: 2, start: new Date('2027-01-12T09:00:00Z') });
      const [, moved] = await events(mine.id);
      expect(moved).toMatchObject({
        type: 'rescheduled',
        actor_type: 'resident',
        payload: {
          from: { start: '2027-01-11T08:00:00.000Z', end: '2027-01-11T08:45:00.000Z', tutorId: w.matti.id },
          to: { start: '2027-01-12T09:00:00.000Z', end: '2027-01-12T09:45:00.000Z', tutorId: w.matti.id },
        },
      });
      // Old time free, new time taken.
      await book('2027-01-11T10:00:00+02:00', { tutorId: w.matti.id });
      const clash = await t.http.post('/api/v1/bookings').send(bookingBody(w.location.id, '2027-01-12T11:00:00+02:00', { tutorId: w.matti.id })).expect(409);
      expect(clash.body.type).toBe('/problems/slot-taken');
    });

    it('moves to another tutor when asked, and to a free one when its own is busy', async () => {
      const mine = await book('2027-01-11T10:00:00+02:00', { tutorId: w.matti.id });
      const asked = await t.http.post(manage(mine.manageToken, '/reschedule')).send({ start: '2027-01-11T10:00:00+02:00', tutorId: w.liisa.id }).expect(200);
      expect(asked.body.tutor.id).toBe(w.liisa.id);
      await book('2027-01-13T10:00:00+02:00', { tutorId: w.liisa.id });
      const any = await t.http.post(manage(mine.manageToken, '/reschedule')).send({ start: '2027-01-13T10:00:00+02:00' }).expect(200);
      expect(any.body.tutor.id).toBe(w.matti.id);
    });

    it('leaves the original booking intact when the new time is taken', async () => {
      const mine = await book('2027-01-11T10:00:00+02:00', { tutorId: w.matti.id });
      await book('2027-01-11T11:00:00+02:00', { tutorId: w.matti.id });
      await book('2027-01-11T12:00:00+02:00', { tutorId: w.matti.id });
      await book('2027-01-11T12:00:00+02:00', { tutorId: w.liisa.id });
      const before = await row(mine.id);
      const taken = await t.http.post(manage(mine.manageToken, '/reschedule')).send({ start: '2027-01-11T11:00:00+02:00', tutorId: w.matti.id }).expect(409);
      expect(taken.body.type).toBe('/problems/slot-taken');
      const nobody = await t.http.post(manage(mine.manageToken, '/reschedule')).send({ start: '2027-01-11T12:00:00+02:00' }).expect(409);
      expect(nobody.body.type).toBe('/problems/no-tutor-available');
      expect(await row(mine.id)).toEqual(before);
      expect((await t.http.get(manage(mine.manageToken)).expect(200)).body).toMatchObject({ start: '2027-01-11T10:00:00+02:00', version: 1 });
      expect(await events(mine.id)).toHaveLength(1);
      // …and so is the other resident's booking.
      expect(await t.db.query(`SELECT count(*)::int AS n FROM bookings WHERE tutor_id = $1 AND lower(during) = '2027-01-11T09:00:00Z' AND status = 'confirmed'`, [w.matti.id])).toEqual([{ n: 1 }]);
    });

    it('leaves the original booking intact when the new time breaks a rule', async () => {
      const mine = await book('2027-01-11T10:00:00+02:00', { tutorId: w.matti.id });
      const before = await row(mine.id);
      const cases: [Record<string, unknown>, number, string][] = [
        [{ start: '2027-01-11T10:10:00+02:00' }, 422, 'not-on-slot-grid'],
        [{ start: '2027-01-06T10:00:00+02:00' }, 422, 'location-closed'],
        [{ start: '2027-01-10T10:00:00+02:00' }, 422, 'outside-opening-hours'],
        [{ start: '2027-01-04T09:00:00+02:00' }, 422, 'too-soon'],
        [{ start: '2027-06-07T10:00:00+03:00' }, 422, 'too-far-ahead'],
        [{ start: '2027-01-12T10:00:00' }, 422, 'validation-failed'],
        [{ start: '2027-01-12T10:00:00+02:00', tutorId: '00000000-0000-4000-8000-000000000000' }, 422, 'validation-failed'],
      ];
      for (const [body, status, type] of cases) {
        const res = await t.http.post(manage(mine.manageToken, '/reschedule')).send(body);
        expect([res.status, res.body.type]).toEqual([status, `/problems/${type}`]);
      }
      expect(await row(mine.id)).toEqual(before);
    });

    it('keeps the topic and language: a tutor who does not teach them is unavailable', async () => {
      const mine = await book('2027-01-11T10:00:00+02:00', { tutorId: w.matti.id, topic: 'online-banking' });
      const res = await t.http.post(manage(mine.manageToken, '/reschedule')).send({ start: '2027-01-12T10:00:00+02:00', tutorId: w.liisa.id }).expect(422);
      expect(res.body.type).toBe('/problems/tutor-unavailable');
    });
  });

  describe('calendar.ics', () => {
    /** Reads a calendar file back with ical.js (an independent parser), resolving TZID through its VTIMEZONE. */
    const readIcs = (text: string) => {
      const cal = new ICAL.Component(ICAL.parse(text));
      for (const zone of cal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
      const vevent = cal.getFirstSubcomponent('vevent')!;
      const event = new ICAL.Event(vevent);
      return {
        start: event.startDate.toJSDate().toISOString(),
        end: event.endDate.toJSDate().toISOString(),
        tzid: vevent.getFirstProperty('dtstart')!.getParameter('tzid'),
        zones: cal.getAllSubcomponents('vtimezone').map((z) => z.getFirstPropertyValue('tzid')),
        uid: event.uid,
        sequence: event.sequence,
        status: vevent.getFirstPropertyValue('status'),
        summary: event.summary,
        location: event.location,
        description: event.description,
      };
    };
    const ics = async (token: string) => {
      const res = await t.http.get(manage(token, '/calendar.ics')).buffer(true).parse((r, done) => {
        let text = '';
        r.setEncoding('utf8');
        r.on('data', (chunk: string) => (text += chunk));
        r.on('end', () => done(null, text));
      });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
      return { text: res.body as string, read: readIcs(res.body as string), headers: res.headers };
    };

    it('gives the right instants across both DST changes, with a stable UID, rising SEQUENCE and STATUS:CANCELLED', async () => {
      // A branch open on Sundays that takes bookings a year ahead: 2027-03-28 and 2027-10-31 are both Sundays of a change.
      const branch = await newLocation(t, {
        name: { fi: 'Kuusankosken kirjasto', sv: 'Kuusankoski bibliotek', en: 'Kuusankoski Library' },
        weeklyHours: [{ days: { 7: [['09:00', '17:00']] } }],
        policy: { maxDaysAhead: 366 },
      });
      const tutor = await newTutor(t, {
        displayName: 'Sunnuntai-Sanna',
        locationIds: [branch.id],
        topics: ['online-banking'],
        languages: ['fi', 'sv'],
        rules: [{ locationId: branch.id, weekday: 7, startTime: '10:00', endTime: '16:00', sessionMinutes: 45, bufferMinutes: 15 }],
      });
      const body = (start: string) =>
        bookingBody(branch.id, start, { topic: 'online-banking', tutorId: tutor.id, resident: { name: 'Saga Lind', phone: uniquePhone(), email: null, language: 'sv' }, language: 'sv' });

      // Fall back: 10:00 on 2027-10-31 is +02:00 (08:00Z).
      const autumn = (await t.http.post('/api/v1/bookings').send(body('2027-10-31T10:00:00+02:00')).expect(201)).body;
      expect(autumn.start).toBe('2027-10-31T10:00:00+02:00');
      const first = await ics(autumn.manageToken);
      expect(first.headers['content-disposition']).toBe(`attachment; filename="tukiaika-${autumn.reference}.ics"`);
      expect(first.text).toContain('DTSTART;TZID=Europe/Helsinki:20271031T100000');
      expect(first.read).toMatchObject({
        start: '2027-10-31T08:00:00.000Z',
        end: '2027-10-31T08:45:00.000Z',
        tzid: 'Europe/Helsinki',
        zones: ['Europe/Helsinki'],
        uid: `${autumn.id}@tukiaika`,
        sequence: 0,
        status: 'CONFIRMED',
        summary: 'Digistöd: Nätbank och stark autentisering – Kuusankoski bibliotek',
        location: 'Kuusankoski bibliotek, Kirjastokatu 1, 45100 Kouvola',
      });
      expect(first.read.description).toContain(`Bokningskod: ${autumn.reference}`);

      // Moved an hour later: same UID, SEQUENCE 1; then cancelled: SEQUENCE 2, STATUS:CANCELLED.
      await t.http.post(manage(autumn.manageToken, '/reschedule')).send({ start: '2027-10-31T11:00:00+02:00' }).expect(200);
      const moved = (await ics(autumn.manageToken)).read;
      expect(moved).toMatchObject({ uid: first.read.uid, sequence: 1, start: '2027-10-31T09:00:00.000Z', status: 'CONFIRMED' });
      await t.http.post(manage(autumn.manageToken, '/cancel')).send({}).expect(200);
      const cancelled = (await ics(autumn.manageToken)).read;
      expect(cancelled).toMatchObject({ uid: first.read.uid, sequence: 2, status: 'CANCELLED', start: '2027-10-31T09:00:00.000Z' });

      // Spring forward: 10:00 on 2027-03-28 is +03:00 (07:00Z). That Sunday is also Easter Day, so the
      // branch is closed until an exception opens it.
      expect((await t.http.post('/api/v1/bookings').send(body('2027-03-28T07:00:00Z')).expect(422)).body.type).toBe('/problems/location-closed');
      const admin = await newUser(t);
      await t.http.put(`/api/v1/locations/${branch.id}/exceptions/2027-03-28`).set(admin.auth).send({ hours: [['09:00', '17:00']], reason: 'Pääsiäisen digiapu' }).expect(200);
      const spring = (await t.http.post('/api/v1/bookings').send(body('2027-03-28T07:00:00Z')).expect(201)).body;
      expect(spring.start).toBe('2027-03-28T10:00:00+03:00');
      expect((await ics(spring.manageToken)).read).toMatchObject({ start: '2027-03-28T07:00:00.000Z', end: '2027-03-28T07:45:00.000Z', tzid: 'Europe/Helsinki' });
      // 10:00+02:00 that day is another instant: the 11:00 session, written in the day's offset.
      const eleven = (await t.http.post('/api/v1/bookings').send(body('2027-03-28T10:00:00+02:00')).expect(201)).body;
      expect(eleven.start).toBe('2027-03-28T11:00:00+03:00');
      expect((await ics(eleven.manageToken)).read.start).toBe('2027-03-28T08:00:00.000Z');
    });

    it('writes Finnish and English texts for residents who chose them', async () => {
      const fi = await book('2027-01-11T10:00:00+02:00', { tutorId: w.matti.id });
      expect((await ics(fi.manageToken)).read).toMatchObject({ summary: 'Digituki: Älypuhelin ja tabletti – Kouvolan pääkirjasto', location: 'Kouvolan pääkirjasto, Kirjastokatu 1, 45100 Kouvola' });
      const en = await book('2027-01-11T11:00:00+02:00', { tutorId: w.matti.id, resident: { name: 'Ann', phone: uniquePhone(), language: 'en' } });
      const read = (await ics(en.manageToken)).read;
      expect(read.summary).toBe('Digital support: Smartphone and tablet – Kouvola Main Library');
      expect(read.description).toContain('Tutor: Matti V.');
      expect(read.start).toBe('2027-01-11T09:00:00.000Z');
    });
  });
});
