import { advisoryLockKey } from '../../src/modules/bookings/secrets';
import { bookingBody, BookingWorld, bookingWorld, BOOKING_NOW, uniquePhone, weekdayRules } from '../support/booking-fixtures';
import { newBooking, newTutor, newUser, TestTutor, TestUser } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Schedule changes that hit booked residents: closures and absences list the active bookings
 * they cover (and with cancelAffected cancel the confirmed ones, in the same transaction, with
 * `cancelled` events naming the user and the reason); a new set of availability rules lists the
 * bookings it leaves stranded without changing them.
 */
describe('bookings: affected by closures, absences and availability changes', () => {
  let t: TestApp;
  let A: BookingWorld;
  let B: BookingWorld;
  let pekka: TestTutor;
  let admin: TestUser;
  let staffA: TestUser;
  let staffB: TestUser;

  beforeAll(async () => {
    t = await startTestApp({ now: BOOKING_NOW });
    A = await bookingWorld(t);
    B = await bookingWorld(t);
    // Pekka works at both branches.
    pekka = await newTutor(t, {
      displayName: 'Pekka L.',
      locationIds: [A.location.id, B.location.id].sort(),
      topics: ['smartphone-tablet'],
      rules: [...weekdayRules(A.location.id, '15:00', '17:00'), ...weekdayRules(B.location.id, '10:00', '14:00')],
    });
    t.clock.set('2027-01-31T00:00:00Z'); // tokens stay valid for every earlier clock time
    admin = await newUser(t);
    staffA = await newUser(t, { role: 'staff', locationIds: [A.location.id] });
    staffB = await newUser(t, { role: 'staff', locationIds: [B.location.id] });
  });
  afterAll(() => t.close());
  beforeEach(() => t.clock.set(BOOKING_NOW));

  type Status = 'confirmed' | 'checked_in' | 'completed' | 'no_show' | 'cancelled';
  const book = async (w: { location: { id: string } }, tutor: { id: string }, start: string, status: Status = 'confirmed', minutes = 45) => {
    const end = new Date(Date.parse(start) + minutes * 60_000);
    const b = await newBooking(t, { locationId: w.location.id, tutorId: tutor.id, start, end: end.toISOString(), status });
    return { ...b, startIso: start, end };
  };
  /** The API's affectedBookings item for a booking at a branch in Helsinki. */
  const item = (b: { id: string; reference: string; startIso: string; end: Date }, tutorId: string, status: Status) => ({
    id: b.id,
    reference: b.reference,
    start: b.startIso,
    end: hki(b.end),
    status,
    tutorId,
  });
  const hki = (d: Date) => {
    const local = new Date(d.getTime() + 2 * 3_600_000).toISOString().slice(0, 19); // winter: +02:00
    return `${local}+02:00`;
  };
  const statusOf = async (id: string) => (await t.db.query(`SELECT status FROM bookings WHERE id = $1`, [id]))[0].status as string;
  const eventsOf = async (id: string) => t.db.query(`SELECT type, at, actor_type, actor_user_id, reason, payload FROM booking_events WHERE booking_id = $1 ORDER BY id`, [id]);
  const sortByStartId = <T extends { id: string; start: string }>(xs: T[]) => [...xs].sort((a, b) => Date.parse(a.start) - Date.parse(b.start) || (a.id < b.id ? -1 : 1));

  describe('closures', () => {
    it('lists the active bookings a closure covers and changes nothing without cancelAffected', async () => {
      const k1 = await book(A, A.matti, '2027-01-11T10:00:00+02:00');
      const k2 = await book(A, A.liisa, '2027-01-11T10:00:00+02:00', 'checked_in');
      await book(A, A.matti, '2027-01-11T11:00:00+02:00', 'completed');
      await book(A, A.liisa, '2027-01-11T11:00:00+02:00', 'cancelled');
      const k6 = await book(A, A.liisa, '2027-01-11T12:30:00+02:00'); // overlaps the end
      await book(A, A.matti, '2027-01-11T13:00:00+02:00'); // starts as the closure ends
      await book(B, B.matti, '2027-01-11T10:00:00+02:00'); // another branch

      const res = await t.http
        .post(`/api/v1/locations/${A.location.id}/closures`)
        .set(staffA.auth)
        .send({ start: '2027-01-11T09:00:00+02:00', end: '2027-01-11T13:00:00+02:00', reason: 'Sähkökatko' })
        .expect(201);
      expect(res.body.affectedBookings).toEqual([
        ...sortByStartId([item(k1, A.matti.id, 'confirmed'), item(k2, A.liisa.id, 'checked_in')]),
        item(k6, A.liisa.id, 'confirmed'),
      ]);
      expect(await statusOf(k1.id)).toBe('confirmed');
      expect(await statusOf(k6.id)).toBe('confirmed');
      expect(await eventsOf(k1.id)).toEqual([]);
      // Staff of the branch see the same list when they open the closure; the public and other branches do not.
      const mine = await t.http.get(`/api/v1/locations/${A.location.id}/closures/${res.body.id}`).set(staffA.auth).expect(200);
      expect(mine.body).toEqual(res.body);
      const pub = await t.http.get(`/api/v1/locations/${A.location.id}/closures/${res.body.id}`).expect(200);
      expect(pub.body).not.toHaveProperty('affectedBookings');
      expect((await t.http.get(`/api/v1/locations/${A.location.id}/closures/${res.body.id}`).set(staffB.auth).expect(200)).body).not.toHaveProperty('affectedBookings');
    });

    it('with cancelAffected cancels the confirmed ones with the reason (events by the user), lists the checked-in ones without cancelling them', async () => {
      const c1 = await book(A, A.matti, '2027-01-12T10:00:00+02:00');
      const c2 = await book(A, A.liisa, '2027-01-12T11:00:00+02:00', 'checked_in');
      const c3 = await book(A, A.liisa, '2027-01-12T12:00:00+02:00');
      const outside = await book(A, A.matti, '2027-01-13T10:00:00+02:00');
      t.clock.set('2027-01-05T09:00:00Z');
      const res = await t.http
        .post(`/api/v1/locations/${A.location.id}/closures`)
        .set(staffA.auth)
        .send({ start: '2027-01-12T00:00:00+02:00', end: '2027-01-13T00:00:00+02:00', reason: 'Vesivahinko', cancelAffected: true })
        .expect(201);
      expect(res.body.affectedBookings).toEqual([item(c1, A.matti.id, 'cancelled'), item(c2, A.liisa.id, 'checked_in'), item(c3, A.liisa.id, 'cancelled')]);
      expect([await statusOf(c1.id), await statusOf(c2.id), await statusOf(c3.id), await statusOf(outside.id)]).toEqual(['cancelled', 'checked_in', 'cancelled', 'confirmed']);
      const [{ sequence, version }] = await t.db.query(`SELECT sequence, version FROM bookings WHERE id = $1`, [c1.id]);
      expect({ sequence, version }).toEqual({ sequence: 1, version: 2 });
      expect(await eventsOf(c1.id)).toEqual([
        {
          type: 'cancelled',
          at: new Date('2027-01-05T09:00:00Z'),
          actor_type: 'user',
          actor_user_id: staffA.id,
          reason: 'Vesivahinko',
          payload: { start: '2027-01-12T08:00:00.000Z', end: '2027-01-12T08:45:00.000Z', tutorId: A.matti.id, cascade: { closureId: res.body.id } },
        },
      ]);
      expect((await eventsOf(c3.id)).map((e: { type: string; reason: string }) => [e.type, e.reason])).toEqual([['cancelled', 'Vesivahinko']]);
      expect(await eventsOf(c2.id)).toEqual([]);
      // Opened later, the closure still lists the booking that goes on.
      const later = await t.http.get(`/api/v1/locations/${A.location.id}/closures/${res.body.id}`).set(staffA.auth).expect(200);
      expect(later.body.affectedBookings).toEqual([item(c2, A.liisa.id, 'checked_in')]);
    });

    it('leaves bookings that have already ended alone, and stores nothing when the closure is refused', async () => {
      const over = await book(A, A.matti, '2027-01-14T10:00:00+02:00');
      const running = await book(A, A.liisa, '2027-01-14T10:30:00+02:00');
      t.clock.set('2027-01-14T08:50:00Z'); // 10:50: the 10:00 session is over, the 10:30 one is on
      const res = await t.http
        .post(`/api/v1/locations/${A.location.id}/closures`)
        .set(staffA.auth)
        .send({ start: '2027-01-14T10:00:00+02:00', end: '2027-01-14T14:00:00+02:00', cancelAffected: true })
        .expect(201);
      expect(res.body.affectedBookings).toEqual([item(running, A.liisa.id, 'cancelled')]);
      expect(await statusOf(over.id)).toBe('confirmed');
      expect((await eventsOf(running.id))[0]).toMatchObject({ type: 'cancelled', reason: null });
      // Staff of another branch may not close this one: 403, and no booking changes.
      const mine = await book(A, A.matti, '2027-01-15T10:00:00+02:00');
      await t.http.post(`/api/v1/locations/${A.location.id}/closures`).set(staffB.auth).send({ start: '2027-01-15T00:00:00+02:00', end: '2027-01-16T00:00:00+02:00', cancelAffected: true }).expect(403);
      expect(await statusOf(mine.id)).toBe('confirmed');
    });
  });

  describe('absences', () => {
    it('list the tutor’s active bookings at every branch, each in its branch offset, without cancelAffected', async () => {
      const atA = await book(A, pekka, '2027-01-18T15:00:00+02:00');
      const atB = await book(B, pekka, '2027-01-18T10:00:00+02:00', 'checked_in');
      await book(A, A.matti, '2027-01-18T10:00:00+02:00'); // another tutor
      const res = await t.http
        .post(`/api/v1/tutors/${pekka.id}/absences`)
        .set(staffA.auth)
        .send({ start: '2027-01-18T00:00:00+02:00', end: '2027-01-19T00:00:00+02:00', reason: 'Flunssa' })
        .expect(201);
      // issue 18 item 11: staff of A see A's booking in full and only a count of B's
      expect(res.body.affectedBookings).toEqual([item(atA, pekka.id, 'confirmed')]);
      expect(res.body.otherBranches).toEqual([{ locationId: B.location.id, count: 1 }]);
      expect(await statusOf(atA.id)).toBe('confirmed');
      const got = await t.http.get(`/api/v1/tutors/${pekka.id}/absences/${res.body.id}`).set(admin.auth).expect(200);
      expect(got.body.affectedBookings).toEqual([item(atB, pekka.id, 'checked_in'), item(atA, pekka.id, 'confirmed')]);
      const list = await t.http.get(`/api/v1/tutors/${pekka.id}/absences`).query({ from: '2027-01-18', to: '2027-01-18' }).set(staffB.auth).expect(200);
      expect(list.body.items).toEqual([
        expect.objectContaining({ id: res.body.id, affectedBookings: [item(atB, pekka.id, 'checked_in')], otherBranches: [{ locationId: A.location.id, count: 1 }] }),
      ]);
    });

    it('with cancelAffected cancel the confirmed ones the caller may see with the absence’s reason, and list the checked-in ones', async () => {
      const a1 = await book(A, pekka, '2027-01-19T15:00:00+02:00');
      const b1 = await book(B, pekka, '2027-01-19T10:00:00+02:00');
      const b2 = await book(B, pekka, '2027-01-19T11:00:00+02:00', 'checked_in');
      const after = await book(B, pekka, '2027-01-20T10:00:00+02:00');
      const res = await t.http
        .post(`/api/v1/tutors/${pekka.id}/absences`)
        .set(staffB.auth)
        .send({ start: '2027-01-19T00:00:00+02:00', end: '2027-01-20T00:00:00+02:00', reason: 'Koulutus', cancelAffected: true })
        .expect(201);
      // issue 18 item 11: staff of B cancel only B's bookings; A's stays, counted and flagged
      expect(res.body.affectedBookings).toEqual([item(b1, pekka.id, 'cancelled'), item(b2, pekka.id, 'checked_in')]);
      expect(res.body.otherBranches).toEqual([{ locationId: A.location.id, count: 1 }]);
      expect([await statusOf(a1.id), await statusOf(b1.id), await statusOf(b2.id), await statusOf(after.id)]).toEqual(['confirmed', 'cancelled', 'checked_in', 'confirmed']);
      expect((await eventsOf(a1.id)).map((e: { type: string }) => e.type)).toEqual(['tutor-absent']);
      for (const b of [b1]) {
        expect(await eventsOf(b.id)).toEqual([
          {
            type: 'cancelled',
            at: new Date(BOOKING_NOW),
            actor_type: 'user',
            actor_user_id: staffB.id,
            reason: 'Koulutus',
            payload: expect.objectContaining({ tutorId: pekka.id, cascade: { absenceId: res.body.id } }),
          },
        ]);
      }
      expect(await eventsOf(b2.id)).toEqual([]);
      // The freed time stays unbookable: the absence covers it.
      const again = await t.http.get(`/api/v1/tutors/${pekka.id}/absences/${res.body.id}`).set(staffB.auth).expect(200);
      expect(again.body.affectedBookings).toEqual([item(b2, pekka.id, 'checked_in')]);
    });
  });

  describe('availability changes', () => {
    it('list the tutor’s future bookings at that branch that the new rules no longer cover, without changing them', async () => {
      // Kalle: Mon–Fri 10:00–14:00 at A, 45 + 15 minutes.
      const kalle = await newTutor(t, { locationIds: [A.location.id], topics: ['smartphone-tablet'], rules: weekdayRules(A.location.id) });
      const fits = await book(A, kalle, '2027-01-25T10:00:00+02:00'); // Monday 10:00: still on the grid
      const pastEnd = await book(A, kalle, '2027-01-25T13:00:00+02:00'); // Monday now ends at 13:00
      const tuesday = await book(A, kalle, '2027-01-26T10:00:00+02:00'); // no Tuesday rule any more
      const offGrid = await book(A, kalle, '2027-01-28T10:00:00+02:00'); // Thursday now starts 10:30
      await book(A, kalle, '2027-01-27T10:00:00+02:00', 'cancelled'); // not active
      await book(A, A.liisa, '2027-01-26T11:00:00+02:00'); // another tutor
      await book(A, kalle, '2026-12-29T10:00:00+02:00'); // a Tuesday in the past
      const rules = [
        { weekday: 1, startTime: '10:00', endTime: '13:00', sessionMinutes: 45, bufferMinutes: 15, validFrom: '2026-01-01' },
        { weekday: 3, startTime: '10:00', endTime: '14:00', sessionMinutes: 45, bufferMinutes: 15, validFrom: '2026-01-01' },
        { weekday: 4, startTime: '10:30', endTime: '14:00', sessionMinutes: 45, bufferMinutes: 15, validFrom: '2026-01-01' },
        { weekday: 5, startTime: '10:00', endTime: '14:00', sessionMinutes: 45, bufferMinutes: 15, validFrom: '2026-01-01' },
      ];
      const res = await t.http.put(`/api/v1/tutors/${kalle.id}/availability`).query({ locationId: A.location.id }).set(staffA.auth).send({ rules }).expect(200);
      expect(res.body.affectedBookings).toEqual([item(pastEnd, kalle.id, 'confirmed'), item(tuesday, kalle.id, 'confirmed'), item(offGrid, kalle.id, 'confirmed')]);
      expect(res.body.rules).toHaveLength(4);
      expect([await statusOf(fits.id), await statusOf(pastEnd.id), await statusOf(tuesday.id), await statusOf(offGrid.id)]).toEqual(['confirmed', 'confirmed', 'confirmed', 'confirmed']);
      expect(await eventsOf(pastEnd.id)).toEqual([]);

      // Rules that cover them all again list nothing.
      const restored = await t.http
        .put(`/api/v1/tutors/${kalle.id}/availability`)
        .query({ locationId: A.location.id })
        .set(staffA.auth)
        .send({ rules: weekdayRules(A.location.id).map(({ locationId: _, ...r }) => ({ ...r, validFrom: '2026-01-01' })) })
        .expect(200);
      expect(restored.body.affectedBookings).toEqual([]);
    });

    it('only at the branch whose rules change: bookings at the tutor’s other branch are not listed', async () => {
      const ville = await newTutor(t, {
        locationIds: [A.location.id, B.location.id].sort(),
        topics: ['smartphone-tablet'],
        rules: [...weekdayRules(A.location.id, '15:00', '17:00'), ...weekdayRules(B.location.id, '10:00', '14:00')],
      });
      const atB = await book(B, ville, '2027-01-25T11:00:00+02:00');
      const atA = await book(A, ville, '2027-01-25T16:00:00+02:00');
      const res = await t.http.put(`/api/v1/tutors/${ville.id}/availability`).query({ locationId: A.location.id }).set(admin.auth).send({ rules: [] }).expect(200);
      expect(res.body).toEqual({ rules: [], affectedBookings: [item(atA, ville.id, 'confirmed')] });
      expect(await statusOf(atB.id)).toBe('confirmed');
    });
  });

  describe('a booking deciding while the change is made', () => {
    // The booking is held inside place_booking at its contact lock (taken after the branch and
    // tutor guard locks) by a connection of the test's own, as another booking of the same
    // resident in progress would hold it. Without the guard locks the change would list (and
    // cancel) nothing and the booking would stand inside the absence or closure.
    /** Runs `sql` in a transaction of the test's own and keeps it open (its locks held) until released. */
    const holdInTransaction = async (sql: string, params: unknown[]) => {
      const runner = t.db.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      await runner.query(sql, params);
      return async () => {
        await runner.commitTransaction();
        await runner.release();
      };
    };
    const holdContact = (phone: string) => holdInTransaction(`SELECT pg_advisory_xact_lock($1::bigint)`, [advisoryLockKey('contact', `phone:${phone}`)]);
    /** Polls (no sleeping) until `n` sessions of this test's database wait for a lock. */
    const waitersAtLeast = async (n: number) => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const [{ waiting }] = await t.db.query(
          `SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        if (waiting >= n) return;
        if (Date.now() > deadline) throw new Error(`expected ${n} sessions waiting for a lock, saw ${waiting}`);
      }
    };
    const bookPublic = (w: BookingWorld, tutorId: string, start: string, phone: string) =>
      t.http
        .post('/api/v1/bookings')
        .send(bookingBody(w.location.id, start, { tutorId, resident: { name: 'Aino', phone, email: null, language: 'fi' } }))
        .then((r) => r);

    /** Pekka's absence over whole days (from 00:00 to 00:00, Helsinki winter time), cancelling the bookings it hits. */
    const absenceCancelling = (from: string, to: string, reason: string) =>
      t.http
        .post(`/api/v1/tutors/${pekka.id}/absences`)
        .set(staffA.auth)
        .send({ start: `${from}T00:00:00+02:00`, end: `${to}T00:00:00+02:00`, reason, cancelAffected: true })
        .then((r) => r);

    /**
     * The race: `held` is stopped at a lock the test holds; `change` is sent once it waits there and
     * must then wait for `held`'s lock in turn; the test lets go and both answer.
     */
    const race = async <H, C>(release: () => Promise<void>, held: Promise<H>, change: () => Promise<C>): Promise<[H, C]> => {
      await waitersAtLeast(1);
      const changed = change();
      await waitersAtLeast(2);
      await release();
      return Promise.all([held, changed]);
    };

    it('an absence with cancelAffected waits for the booking, then lists and cancels it', async () => {
      const phone = uniquePhone();
      const release = await holdContact(phone);
      const booking = bookPublic(A, pekka.id, '2027-01-21T15:00:00+02:00', phone);
      // The absence waits for the booking's tutor lock.
      const [booked, absent] = await race(release, booking, () => absenceCancelling('2027-01-21', '2027-01-22', 'Flunssa'));
      expect(booked.status).toBe(201);
      expect(absent.status).toBe(201);
      expect(absent.body.affectedBookings).toEqual([
        { id: booked.body.id, reference: booked.body.reference, start: '2027-01-21T15:00:00+02:00', end: '2027-01-21T15:45:00+02:00', status: 'cancelled', tutorId: pekka.id },
      ]);
      expect(await statusOf(booked.body.id)).toBe('cancelled');
    });

    it('an absence with cancelAffected waits for a booking being moved into it, then cancels it', async () => {
      const moving = await book(A, pekka, '2027-01-25T15:00:00+02:00');
      // The test holds the booking's row, so the move waits after taking its guard locks.
      const release = await holdInTransaction(`SELECT 1 FROM bookings WHERE id = $1 FOR UPDATE`, [moving.id]);
      const move = t.http.post(`/api/v1/bookings/${moving.id}/reschedule`).set(staffA.auth).send({ start: '2027-01-26T15:00:00+02:00' }).then((r) => r);
      // The absence waits for the move's tutor lock.
      const [moved, absent] = await race(release, move, () => absenceCancelling('2027-01-26', '2027-01-27', 'Koulutus'));
      expect(moved.status).toBe(200);
      expect(moved.body.start).toBe('2027-01-26T15:00:00+02:00');
      expect(absent.status).toBe(201);
      expect(absent.body.affectedBookings).toEqual([expect.objectContaining({ id: moving.id, start: '2027-01-26T15:00:00+02:00', status: 'cancelled' })]);
      expect(await statusOf(moving.id)).toBe('cancelled');
    });

    it('a closure waits for the booking at its branch, then lists it', async () => {
      const phone = uniquePhone();
      const release = await holdContact(phone);
      const booking = bookPublic(B, pekka.id, '2027-01-22T10:00:00+02:00', phone);
      // The closure waits for the booking's branch lock.
      const [booked, closed] = await race(release, booking, () =>
        t.http
          .post(`/api/v1/locations/${B.location.id}/closures`)
          .set(staffB.auth)
          .send({ start: '2027-01-22T00:00:00+02:00', end: '2027-01-23T00:00:00+02:00', reason: 'Vesivahinko' })
          .then((r) => r),
      );
      expect(booked.status).toBe(201);
      expect(closed.status).toBe(201);
      expect(closed.body.affectedBookings).toEqual([expect.objectContaining({ id: booked.body.id, status: 'confirmed' })]);
    });

    it('an exception closing the day waits for the booking at its branch, then lists and cancels it (issue 18 item 10)', async () => {
      // A search first, so the booking is decided on current inputs (the closure above changed them)
      // and the race is the one at the guard lock, not a stale snapshot's retry.
      await t.http.get('/api/v1/slots').query({ locationId: B.location.id, from: '2027-01-29', to: '2027-01-29' }).expect(200);
      const phone = uniquePhone();
      const release = await holdContact(phone);
      const booking = bookPublic(B, pekka.id, '2027-01-29T11:00:00+02:00', phone);
      // The exception waits for the booking's branch lock.
      const [booked, closed] = await race(release, booking, () =>
        t.http.put(`/api/v1/locations/${B.location.id}/exceptions/2027-01-29`).set(staffB.auth).send({ hours: [], cancelAffected: true }).then((r) => r),
      );
      expect(booked.status).toBe(201);
      expect(closed.status).toBe(200);
      expect(closed.body.affectedBookings).toEqual([expect.objectContaining({ id: booked.body.id, status: 'cancelled' })]);
      expect(await statusOf(booked.body.id)).toBe('cancelled');
    });
  });
});
