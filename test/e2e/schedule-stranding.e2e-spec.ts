import { bookingWorld, BookingWorld, BOOKING_NOW, weekdayRules } from '../support/booking-fixtures';
import { newBooking, newTutor, newUser, TestTutor, TestUser } from '../support/factories';
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
  /** Works at A (Mon–Fri 15:00–17:00) and at B (Mon–Fri 10:00–14:00). */
  let pekka: TestTutor;
  let admin: TestUser;
  let staffA: TestUser;
  let staffB: TestUser;

  beforeAll(async () => {
    t = await startTestApp({ now: BOOKING_NOW });
    A = await bookingWorld(t);
    B = await bookingWorld(t);
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
});
