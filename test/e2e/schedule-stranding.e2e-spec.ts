import { bookingWorld, BookingWorld, BOOKING_NOW, weekdayRules } from '../support/booking-fixtures';
import { newBooking, newTutor, newUser, TestUser } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 18, items 9–11: schedule changes that would leave residents booked into a closed library
 * or with an absent tutor. Deactivating a branch, closing a day by an exception and replacing
 * weekly hours answer `affectedBookings` (and cancel the confirmed ones when asked), as closures
 * do; an absence of a tutor shared by branches shows each branch's staff only its own bookings.
 */
describe('schedule changes that strand residents', () => {
  let t: TestApp;
  let A: BookingWorld;
  let B: BookingWorld;
  let admin: TestUser;
  let staffA: TestUser;
  let staffB: TestUser;

  beforeAll(async () => {
    t = await startTestApp({ now: BOOKING_NOW });
    A = await bookingWorld(t);
    B = await bookingWorld(t);
    t.clock.set('2027-01-31T00:00:00Z'); // tokens stay valid for every earlier clock time
    admin = await newUser(t);
    staffA = await newUser(t, { role: 'staff', locationIds: [A.location.id] });
    staffB = await newUser(t, { role: 'staff', locationIds: [B.location.id] });
  });
  afterAll(() => t.close());
  beforeEach(() => t.clock.set(BOOKING_NOW));

  type Status = 'confirmed' | 'checked_in' | 'completed' | 'cancelled';
  const book = async (w: { location: { id: string } } | { id: string }, tutor: { id: string }, start: string, status: Status = 'confirmed', minutes = 45) => {
    const locationId = 'location' in w ? w.location.id : w.id;
    const end = new Date(Date.parse(start) + minutes * 60_000);
    return newBooking(t, { locationId, tutorId: tutor.id, start, end: end.toISOString(), status });
  };
  const statusOf = async (id: string) => (await t.db.query(`SELECT status FROM bookings WHERE id = $1`, [id]))[0].status as string;
  const eventsOf = async (id: string) => t.db.query(`SELECT type, actor_user_id, payload FROM booking_events WHERE booking_id = $1 ORDER BY id`, [id]);
  const ids = (xs: { id: string }[]) => xs.map((x) => x.id);

  describe('item 9: DELETE /locations/{id}', () => {
    it('answers 200 with the active bookings there that have not ended, and cancels nothing without cancelAffected', async () => {
      const w = await bookingWorld(t);
      const past = await book(w, w.matti, '2027-01-01T10:00:00+02:00', 'completed');
      const k1 = await book(w, w.matti, '2027-01-11T10:00:00+02:00');
      const k2 = await book(w, w.liisa, '2027-02-01T11:00:00+02:00', 'checked_in');
      await book(w, w.liisa, '2027-01-12T11:00:00+02:00', 'cancelled');
      const elsewhere = await book(B, B.matti, '2027-01-11T10:00:00+02:00');

      // staff of another branch: 403 (the branch is public), nothing changes
      expect((await t.http.delete(`/api/v1/locations/${w.location.id}`).set(staffB.auth)).status).toBe(403);
      const res = await t.http.delete(`/api/v1/locations/${w.location.id}`).set(admin.auth).expect(200);
      expect(res.body).toEqual({
        affectedBookings: [
          { id: k1.id, reference: k1.reference, start: '2027-01-11T10:00:00+02:00', end: '2027-01-11T10:45:00+02:00', status: 'confirmed', tutorId: w.matti.id },
          { id: k2.id, reference: k2.reference, start: '2027-02-01T11:00:00+02:00', end: '2027-02-01T11:45:00+02:00', status: 'checked_in', tutorId: w.liisa.id },
        ],
      });
      expect(await statusOf(k1.id)).toBe('confirmed');
      expect(await statusOf(past.id)).toBe('completed');
      expect(await statusOf(elsewhere.id)).toBe('confirmed');
      expect((await t.http.get(`/api/v1/locations/${w.location.id}`).expect(200)).body.active).toBe(false);
    });

    it('?cancelAffected=true cancels the confirmed ones as a closure does (events name the cause); checked-in ones are only listed', async () => {
      const w = await bookingWorld(t);
      const k1 = await book(w, w.matti, '2027-01-11T10:00:00+02:00');
      const k2 = await book(w, w.liisa, '2027-01-11T10:00:00+02:00', 'checked_in');
      const res = await t.http.delete(`/api/v1/locations/${w.location.id}`).query({ cancelAffected: 'true' }).set(admin.auth).expect(200);
      expect(res.body.affectedBookings.map((b: { id: string; status: string }) => [b.id, b.status]).sort()).toEqual(
        [
          [k1.id, 'cancelled'],
          [k2.id, 'checked_in'],
        ].sort(),
      );
      expect(await statusOf(k1.id)).toBe('cancelled');
      expect(await statusOf(k2.id)).toBe('checked_in');
      const events = await eventsOf(k1.id);
      expect(events.at(-1)).toMatchObject({ type: 'cancelled', actor_user_id: admin.id, payload: { cascade: { deactivatedLocationId: w.location.id } } });
      // the resident's manage link shows the cancellation instead of a booking in a closed library
      // (and a second DELETE lists nothing of it any more)
      const again = await t.http.delete(`/api/v1/locations/${w.location.id}`).set(admin.auth).expect(200);
      expect(ids(again.body.affectedBookings)).toEqual([k2.id]);
    });

    it("keeps tutors' memberships and rules: tutor views mark the branch inactive, and reactivating restores it as it was", async () => {
      const w = await bookingWorld(t);
      const shared = await newTutor(t, {
        displayName: 'Jaettu',
        locationIds: [w.location.id, B.location.id].sort(),
        topics: ['smartphone-tablet'],
        rules: [...weekdayRules(w.location.id, '15:00', '17:00'), ...weekdayRules(B.location.id, '17:00', '18:00')],
      });
      const rulesAt = async () => (await t.http.get(`/api/v1/tutors/${shared.id}/availability`).set(admin.auth).expect(200)).body;
      const slotsAt = async () => (await t.http.get('/api/v1/slots').query({ locationId: w.location.id, from: '2027-01-11', to: '2027-01-15' }).expect(200)).body.items;
      const rulesBefore = await rulesAt();
      const slotsBefore = await slotsAt();
      expect(slotsBefore.length).toBeGreaterThan(0);

      await t.http.delete(`/api/v1/locations/${w.location.id}`).set(admin.auth).expect(200);
      const tutorView = (await t.http.get(`/api/v1/tutors/${shared.id}`).set(staffB.auth).expect(200)).body;
      expect(tutorView.locationIds).toEqual([w.location.id, B.location.id].sort());
      expect(tutorView.inactiveLocationIds).toEqual([w.location.id]);
      const listed = (await t.http.get('/api/v1/tutors').query({ locationId: B.location.id }).set(staffB.auth).expect(200)).body.items;
      expect(listed.find((x: { id: string }) => x.id === shared.id).inactiveLocationIds).toEqual([w.location.id]);
      expect(await rulesAt()).toEqual(rulesBefore);
      expect(await slotsAt()).toEqual([]);

      await t.http.patch(`/api/v1/locations/${w.location.id}`).set(admin.auth).send({ active: true }).expect(200);
      expect((await t.http.get(`/api/v1/tutors/${shared.id}`).set(admin.auth).expect(200)).body.inactiveLocationIds).toEqual([]);
      expect(await rulesAt()).toEqual(rulesBefore);
      expect(await slotsAt()).toEqual(slotsBefore);
    });
  });

  describe('item 10: exceptions and weekly hours that no longer cover bookings', () => {
    const hki = (start: string, minutes = 45) => {
      const end = new Date(Date.parse(start) + minutes * 60_000 + 2 * 3_600_000).toISOString().slice(0, 19);
      return { start, end: `${end}+02:00` };
    };

    it('PUT exceptions/{date} answers the bookings that day the new hours no longer cover; cancelAffected: true cancels the confirmed ones', async () => {
      const w = await bookingWorld(t);
      const staffW = await newUser(t, { role: 'staff', locationIds: [w.location.id] });
      const k1 = await book(w, w.matti, '2027-01-11T10:00:00+02:00');
      const k2 = await book(w, w.liisa, '2027-01-11T11:00:00+02:00', 'checked_in');
      const k3 = await book(w, w.matti, '2027-01-11T12:00:00+02:00');
      const nextDay = await book(w, w.matti, '2027-01-12T10:00:00+02:00');
      const elsewhere = await book(B, B.liisa, '2027-01-11T12:00:00+02:00');
      const url = `/api/v1/locations/${w.location.id}/exceptions/2027-01-11`;

      expect((await t.http.put(url).set(staffB.auth).send({ hours: [] })).status).toBe(403);
      const closed = await t.http.put(url).set(staffW.auth).send({ hours: [] }).expect(200);
      expect(closed.body).toEqual({
        date: '2027-01-11',
        hours: [],
        reason: null,
        affectedBookings: [
          { id: k1.id, reference: k1.reference, ...hki('2027-01-11T10:00:00+02:00'), status: 'confirmed', tutorId: w.matti.id },
          { id: k2.id, reference: k2.reference, ...hki('2027-01-11T11:00:00+02:00'), status: 'checked_in', tutorId: w.liisa.id },
          { id: k3.id, reference: k3.reference, ...hki('2027-01-11T12:00:00+02:00'), status: 'confirmed', tutorId: w.matti.id },
        ],
      });
      expect(await statusOf(k1.id)).toBe('confirmed');
      // the ETag is the exception's, as before
      const got = await t.http.get(url).expect(200);
      expect(closed.headers.etag).toBe(got.headers.etag);

      // Open 10:00–11:00 only: k1 fits again, k2 and k3 do not; the confirmed one is cancelled.
      const shortened = await t.http.put(url).set(staffW.auth).send({ hours: [['10:00', '11:00']], cancelAffected: true }).expect(200);
      expect(shortened.body.affectedBookings.map((b: { id: string; status: string }) => [b.id, b.status])).toEqual([
        [k2.id, 'checked_in'],
        [k3.id, 'cancelled'],
      ]);
      expect([await statusOf(k1.id), await statusOf(k2.id), await statusOf(k3.id), await statusOf(nextDay.id), await statusOf(elsewhere.id)]).toEqual([
        'confirmed',
        'checked_in',
        'cancelled',
        'confirmed',
        'confirmed',
      ]);
      expect((await eventsOf(k3.id)).at(-1)).toMatchObject({ type: 'cancelled', actor_user_id: staffW.id, payload: { cascade: { exceptionOf: w.location.id, date: '2027-01-11' } } });
    });

    it('DELETE exceptions/{date} that removes opening hours answers the stranded bookings; ?cancelAffected=true cancels the confirmed ones', async () => {
      const w = await bookingWorld(t);
      const staffW = await newUser(t, { role: 'staff', locationIds: [w.location.id] });
      const url = `/api/v1/locations/${w.location.id}/exceptions/2027-01-17`; // a Sunday: closed by the weekly hours
      const opened = await t.http.put(url).set(staffW.auth).send({ hours: [['10:00', '14:00']] }).expect(200);
      expect(opened.body.affectedBookings).toEqual([]);
      const sunday = await book(w, w.matti, '2027-01-17T10:00:00+02:00');

      expect((await t.http.delete(url).set(staffB.auth)).status).toBe(403);
      const removed = await t.http.delete(url).query({ cancelAffected: 'true' }).set(staffW.auth).expect(200);
      expect(removed.body).toEqual({
        affectedBookings: [{ id: sunday.id, reference: sunday.reference, ...hki('2027-01-17T10:00:00+02:00'), status: 'cancelled', tutorId: w.matti.id }],
      });
      expect(await statusOf(sunday.id)).toBe('cancelled');
      // an exception that removes no hours strands nothing
      await t.http.put(`/api/v1/locations/${w.location.id}/exceptions/2027-01-18`).set(staffW.auth).send({ hours: [['08:00', '20:00']] }).expect(200);
      const monday = await book(w, w.matti, '2027-01-18T10:00:00+02:00');
      expect((await t.http.delete(`/api/v1/locations/${w.location.id}/exceptions/2027-01-18`).set(staffW.auth).expect(200)).body).toEqual({ affectedBookings: [] });
      expect(await statusOf(monday.id)).toBe('confirmed');
    });

    it('PUT weekly-hours answers the active bookings the new hours no longer cover; cancelAffected: true cancels the confirmed ones', async () => {
      const w = await bookingWorld(t);
      const staffW = await newUser(t, { role: 'staff', locationIds: [w.location.id] });
      const mondayLate = await book(w, w.matti, '2027-01-11T13:00:00+02:00'); // 13:00–13:45, past the new 13:30
      const tuesday = await book(w, w.matti, '2027-01-12T10:00:00+02:00'); // still covered
      const friday = await book(w, w.liisa, '2027-01-15T10:00:00+02:00', 'checked_in'); // Friday closes
      const later = await book(w, w.liisa, '2027-03-05T10:00:00+02:00'); // a Friday in March
      const past = await book(w, w.liisa, '2027-01-01T10:00:00+02:00', 'completed');
      const url = `/api/v1/locations/${w.location.id}/weekly-hours`;
      const days = { '1': [['09:00', '13:30']], '2': [['09:00', '19:00']], '3': [['09:00', '19:00']], '4': [['09:00', '19:00']] };

      expect((await t.http.put(url).set(staffB.auth).send({ periods: [{ days }] })).status).toBe(403);
      const res = await t.http.put(url).set(staffW.auth).send({ periods: [{ days }] }).expect(200);
      expect(res.body.periods).toHaveLength(1);
      expect(ids(res.body.affectedBookings)).toEqual([mondayLate.id, friday.id, later.id]);
      expect(res.headers.etag).toBe((await t.http.get(url).expect(200)).headers.etag);
      expect([await statusOf(mondayLate.id), await statusOf(later.id)]).toEqual(['confirmed', 'confirmed']);

      const cancelled = await t.http.put(url).set(staffW.auth).send({ periods: [{ days }], cancelAffected: true }).expect(200);
      expect(cancelled.body.affectedBookings.map((b: { id: string; status: string }) => [b.id, b.status])).toEqual([
        [mondayLate.id, 'cancelled'],
        [friday.id, 'checked_in'],
        [later.id, 'cancelled'],
      ]);
      expect([await statusOf(tuesday.id), await statusOf(past.id)]).toEqual(['confirmed', 'completed']);
      expect((await eventsOf(later.id)).at(-1)).toMatchObject({ type: 'cancelled', payload: { cascade: { weeklyHoursOf: w.location.id } } });
    });
  });

  describe('item 11: a tutor shared by branches', () => {
    /** A tutor at A and B (15:00–17:00 at A, 10:00–14:00 at B), with a booking at each on Monday 2027-01-11. */
    const sharedWithBookings = async () => {
      const tutor = await newTutor(t, {
        locationIds: [A.location.id, B.location.id].sort(),
        topics: ['smartphone-tablet'],
        rules: [...weekdayRules(A.location.id, '15:00', '17:00'), ...weekdayRules(B.location.id, '10:00', '14:00')],
      });
      const atA = await book(A, tutor, '2027-01-11T15:00:00+02:00');
      const atB = await book(B, tutor, '2027-01-11T10:00:00+02:00');
      return { tutor, atA, atB };
    };

    it("staff of B record the person's absence: they see B's bookings in full and a count of A's, cancel only B's, and A's booking is flagged tutorAbsent with a tutor-absent event", async () => {
      const { tutor, atA, atB } = await sharedWithBookings();
      const res = await t.http
        .post(`/api/v1/tutors/${tutor.id}/absences`)
        .set(staffB.auth)
        .send({ start: '2027-01-11T00:00:00+02:00', end: '2027-01-12T00:00:00+02:00', reason: 'Flunssa', cancelAffected: true })
        .expect(201);
      expect(res.body.affectedBookings).toEqual([
        { id: atB.id, reference: atB.reference, start: '2027-01-11T10:00:00+02:00', end: '2027-01-11T10:45:00+02:00', status: 'cancelled', tutorId: tutor.id },
      ]);
      expect(res.body.otherBranches).toEqual([{ locationId: A.location.id, count: 1 }]);
      expect(JSON.stringify(res.body)).not.toContain(atA.reference);
      expect([await statusOf(atA.id), await statusOf(atB.id)]).toEqual(['confirmed', 'cancelled']);
      // B's staff still may not see A's booking; the same absence read by them shows the same split
      expect((await t.http.get(`/api/v1/bookings/${atA.id}`).set(staffB.auth)).status).toBe(404);
      const readByB = await t.http.get(`/api/v1/tutors/${tutor.id}/absences/${res.body.id}`).set(staffB.auth).expect(200);
      expect(readByB.body.otherBranches).toEqual([{ locationId: A.location.id, count: 1 }]);
      expect(ids(readByB.body.affectedBookings)).toEqual([]);
      const readByA = await t.http.get(`/api/v1/tutors/${tutor.id}/absences/${res.body.id}`).set(staffA.auth).expect(200);
      expect(ids(readByA.body.affectedBookings)).toEqual([atA.id]);
      expect(readByA.body.otherBranches).toEqual([]);

      // A sees the conflict: in the booking and in the agenda, and as an event
      expect((await t.http.get(`/api/v1/bookings/${atA.id}`).set(staffA.auth).expect(200)).body.tutorAbsent).toBe(true);
      const agenda = await t.http.get(`/api/v1/locations/${A.location.id}/agenda`).query({ date: '2027-01-11' }).set(staffA.auth).expect(200);
      const inAgenda = agenda.body.items.find((i: { booking: { id: string } }) => i.booking.id === atA.id);
      expect(inAgenda.booking.tutorAbsent).toBe(true);
      expect(agenda.body.items.filter((i: { booking: { tutorAbsent?: boolean } }) => i.booking.tutorAbsent)).toHaveLength(1);
      expect(await eventsOf(atA.id)).toEqual([{ type: 'tutor-absent', actor_user_id: staffB.id, payload: { absenceId: res.body.id } }]);
      expect((await eventsOf(atB.id)).map((e: { type: string }) => e.type)).toEqual(['cancelled']);

      // derived, not stored: gone once the absence is removed
      await t.http.delete(`/api/v1/tutors/${tutor.id}/absences/${res.body.id}`).set(staffB.auth).expect(204);
      expect((await t.http.get(`/api/v1/bookings/${atA.id}`).set(staffA.auth).expect(200)).body).not.toHaveProperty('tutorAbsent');
    });

    it('tutorAbsent disappears when the flagged booking is cancelled or moved off the absence', async () => {
      const { tutor, atA } = await sharedWithBookings();
      const other = await book(A, tutor, '2027-01-11T16:00:00+02:00');
      await t.http.post(`/api/v1/tutors/${tutor.id}/absences`).set(staffB.auth).send({ start: '2027-01-11T15:00:00+02:00', end: '2027-01-11T17:00:00+02:00' }).expect(201);
      expect((await t.http.get(`/api/v1/bookings/${other.id}`).set(staffA.auth).expect(200)).body.tutorAbsent).toBe(true);
      await t.http.post(`/api/v1/bookings/${other.id}/cancel`).set(staffA.auth).send({ reason: 'Ohjaaja poissa' }).expect(200);
      expect((await t.http.get(`/api/v1/bookings/${other.id}`).set(staffA.auth).expect(200)).body).not.toHaveProperty('tutorAbsent');
      await t.db.query(`UPDATE bookings SET during = tstzrange('2027-01-12T13:00:00Z', '2027-01-12T13:45:00Z') WHERE id = $1`, [atA.id]);
      expect((await t.http.get(`/api/v1/bookings/${atA.id}`).set(staffA.auth).expect(200)).body).not.toHaveProperty('tutorAbsent');
    });

    it("deactivating a tutor who also works at another library's branch is an admin's act (403 for staff); a tutor only at the caller's branches may be deactivated by its staff", async () => {
      const { tutor } = await sharedWithBookings();
      const res = await t.http.patch(`/api/v1/tutors/${tutor.id}`).set(staffB.auth).send({ active: false });
      expect(res.status).toBe(403);
      expect(res.body.type).toBe('/problems/forbidden');
      expect((await t.http.get(`/api/v1/tutors/${tutor.id}`).set(admin.auth).expect(200)).body.active).toBe(true);
      // other edits of the shared tutor stay open to B's staff
      await t.http.patch(`/api/v1/tutors/${tutor.id}`).set(staffB.auth).send({ displayName: 'Pekka M.' }).expect(200);
      await t.http.patch(`/api/v1/tutors/${tutor.id}`).set(admin.auth).send({ active: false }).expect(200);
      const own = await newTutor(t, { locationIds: [B.location.id] });
      expect((await t.http.patch(`/api/v1/tutors/${own.id}`).set(staffB.auth).send({ active: false }).expect(200)).body.active).toBe(false);
    });
  });
});
