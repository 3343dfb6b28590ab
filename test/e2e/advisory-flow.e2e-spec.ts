import { randomUUID } from 'node:crypto';
import { BOOKING_NOW, bookingBody, bookingWorld, BookingWorld } from '../support/booking-fixtures';
import { newClaim, setClaimStatus } from '../support/claims';
import { ensurePartner, newTutor, newUser, TestTutor, TestUser } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

/*
 * Issue 21's flow, as far as this branch has it: a claim (made with SQL until the claims routes
 * exist here) → approved → the advisory slots appear in the search → a resident books one → the
 * partner sees it without contact data → the claim is cancelled → its slots are gone and a
 * booking from the stale list is refused. The cascade to the booking comes with the claims
 * module's cancel (CLAIM_BOOKINGS).
 */
describe('advisory hours, from claim to cancelled claim', () => {
  let t: TestApp;
  let w: BookingWorld;
  const partnerId = randomUUID();
  let advisor: TestTutor;
  let partner: TestUser;

  beforeAll(async () => {
    t = await startTestApp({ now: BOOKING_NOW });
    w = await bookingWorld(t);
    await ensurePartner(t, partnerId, 'Verohallinto');
    advisor = await newTutor(t, { displayName: 'Veera V.', kind: 'advisor', partnerId });
    t.clock.set('2027-01-31T00:00:00Z');
    partner = await newUser(t, { role: 'partner', partnerId });
    t.clock.set(BOOKING_NOW);
  });
  afterAll(() => t.close());

  const advisorySlots = () => t.http.get('/api/v1/slots').query({ locationId: w.location.id, from: '2027-01-05', to: '2027-01-05', kind: 'advisory' }).expect(200);

  it('requested → approved → slots → booking → the partner sees it → claim cancelled → slots gone, a stale booking refused', async () => {
    const claim = await newClaim(t, {
      partnerId,
      locationId: w.location.id,
      start: '2027-01-05T15:00:00+02:00',
      end: '2027-01-05T17:00:00+02:00',
      advisorIds: [advisor.id],
      sessionMinutes: 30,
      topics: ['taxes'],
      status: 'requested',
    });
    expect((await advisorySlots()).body.items).toEqual([]);

    await setClaimStatus(t, claim.id, 'approved');
    const listed = (await advisorySlots()).body.items;
    expect(listed.map((s: { start: string }) => s.start)).toEqual(['2027-01-05T15:00:00+02:00', '2027-01-05T15:30:00+02:00', '2027-01-05T16:00:00+02:00', '2027-01-05T16:30:00+02:00']);
    expect(listed[0]).toMatchObject({ kind: 'advisory', claimId: claim.id, partnerId, tutorId: advisor.id });

    const booked = await t.http
      .post('/api/v1/bookings')
      .send(bookingBody(w.location.id, listed[0].start, { kind: 'advisory', claimId: claim.id, topic: 'taxes', resident: { name: 'Aino Virtanen', phone: '040 123 4567', email: 'aino@example.fi', language: 'fi' } }))
      .expect(201);
    expect(booked.body).toMatchObject({ kind: 'advisory', claimId: claim.id, partnerId, status: 'confirmed' });
    expect((await advisorySlots()).body.items.map((s: { start: string }) => s.start)).not.toContain(listed[0].start);

    const seen = await t.http.get(`/api/v1/partners/${partnerId}/bookings`).set(partner.auth).expect(200);
    expect(seen.body.items).toHaveLength(1);
    expect(seen.body.items[0]).toMatchObject({ id: booked.body.id, reference: booked.body.reference, claimId: claim.id, status: 'confirmed' });
    expect(seen.body.items[0].resident).toEqual({ firstName: 'Aino' });

    await setClaimStatus(t, claim.id, 'cancelled', 'Neuvoja sairastui');
    expect((await advisorySlots()).body.items).toEqual([]);
    const stale = await t.http
      .post('/api/v1/bookings')
      .send(bookingBody(w.location.id, listed[1].start, { kind: 'advisory', claimId: claim.id, topic: 'taxes' }))
      .expect(422);
    expect(stale.body.type).toBe('/problems/claim-not-bookable');
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM bookings WHERE claim_id = $1`, [claim.id]);
    expect(n).toBe(1);
  });
});
