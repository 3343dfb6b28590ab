import { randomUUID } from 'node:crypto';
import { BOOKING_NOW, bookingBody, bookingWorld, BookingWorld } from '../support/booking-fixtures';
import { ensurePartner, newTutor, newUser, TestTutor, TestUser } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

/*
 * Issue 21's whole flow over HTTP: a partner claims advisory hours → staff approve → the advisory
 * slots appear in the search → a resident books one → the partner sees it without contact data →
 * the partner cancels the claim → the booking is cancelled with the claim's reason and a booking
 * event → the slots are gone.
 */
describe('advisory hours, from claim to cancelled booking', () => {
  let t: TestApp;
  let w: BookingWorld;
  const partnerId = randomUUID();
  let advisor: TestTutor;
  let partner: TestUser;
  let staff: TestUser;

  beforeAll(async () => {
    t = await startTestApp({ now: BOOKING_NOW });
    w = await bookingWorld(t);
    await ensurePartner(t, partnerId, 'Verohallinto');
    advisor = await newTutor(t, { displayName: 'Veera V.', kind: 'advisor', partnerId });
    t.clock.set('2027-01-31T00:00:00Z');
    partner = await newUser(t, { role: 'partner', partnerId });
    staff = await newUser(t, { role: 'staff', locationIds: [w.location.id] });
    t.clock.set(BOOKING_NOW);
  });
  afterAll(() => t.close());

  const advisorySlots = () => t.http.get('/api/v1/slots').query({ locationId: w.location.id, from: '2027-01-05', to: '2027-01-05', kind: 'advisory' }).expect(200);

  it('claim → approve → slots → booking → the partner sees it → the partner cancels → booking cancelled with the reason → slots gone', async () => {
    const requested = await t.http
      .post(`/api/v1/partners/${partnerId}/claims`)
      .set(partner.auth)
      .send({
        locationId: w.location.id,
        start: '2027-01-05T15:00:00+02:00',
        end: '2027-01-05T17:00:00+02:00',
        mode: 'bookable',
        sessionMinutes: 30,
        bufferMinutes: 0,
        advisorIds: [advisor.id],
        topics: ['taxes'],
        languages: ['fi'],
      })
      .expect(201);
    const claimId: string = requested.body.items[0].id;
    expect((await advisorySlots()).body.items).toEqual([]);

    await t.http.post(`/api/v1/claims/${claimId}/approve`).set(staff.auth).send({}).expect(200);
    const listed = (await advisorySlots()).body.items;
    expect(listed.map((s: { start: string }) => s.start)).toEqual(['2027-01-05T15:00:00+02:00', '2027-01-05T15:30:00+02:00', '2027-01-05T16:00:00+02:00', '2027-01-05T16:30:00+02:00']);
    expect(listed[0]).toMatchObject({ kind: 'advisory', claimId, partnerId, tutorId: advisor.id });

    const booked = await t.http
      .post('/api/v1/bookings')
      .send(bookingBody(w.location.id, listed[0].start, { kind: 'advisory', claimId, topic: 'taxes', resident: { name: 'Aino Virtanen', phone: '040 123 4567', email: 'aino@example.fi', language: 'fi' } }))
      .expect(201);
    expect(booked.body).toMatchObject({ kind: 'advisory', claimId, partnerId, status: 'confirmed' });

    const seen = await t.http.get(`/api/v1/partners/${partnerId}/bookings`).set(partner.auth).expect(200);
    expect(seen.body.items).toHaveLength(1);
    expect(seen.body.items[0]).toMatchObject({ id: booked.body.id, reference: booked.body.reference, resident: { firstName: 'Aino' }, claimId, status: 'confirmed' });
    expect(seen.body.items[0].resident).toEqual({ firstName: 'Aino' });

    await t.http.post(`/api/v1/claims/${claimId}/cancel`).set(partner.auth).send({ reason: 'Neuvoja sairastui' }).expect(200);

    const after = await t.http.get(`/api/v1/bookings/manage/${booked.body.manageToken}`).expect(200);
    expect(after.body.status).toBe('cancelled');
    const events: { type: string; reason: string | null; payload: Record<string, unknown> }[] = await t.db.query(
      `SELECT type, reason, payload FROM booking_events WHERE booking_id = $1 ORDER BY id`,
      [booked.body.id],
    );
    expect(events.map((e) => e.type)).toEqual(['created', 'cancelled']);
    expect(events[1]).toMatchObject({ reason: 'Neuvoja sairastui', payload: expect.objectContaining({ cascade: { claimId } }) });
    expect((await advisorySlots()).body.items).toEqual([]);
    // A booking from the list read before the cancellation is refused.
    const stale = await t.http.post('/api/v1/bookings').send(bookingBody(w.location.id, listed[1].start, { kind: 'advisory', claimId, topic: 'taxes' })).expect(422);
    expect(stale.body.type).toBe('/problems/claim-not-bookable');
    const cancelled = await t.http.get(`/api/v1/partners/${partnerId}/bookings`).set(partner.auth).expect(200);
    expect(cancelled.body.items.map((b: { status: string }) => b.status)).toEqual(['cancelled']);
  });
});
