import { BOOKING_NOW } from '../support/booking-fixtures';
import { newBooking } from '../support/factories';
import { claimBody, claimCast, ClaimCast, newRoom, requestClaims } from '../support/claim-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/** Issue 20: cancelling an approved claim cancels the residents' sessions in it; rooms claims name stay. */
describe('cancelling claims', () => {
  let t: TestApp;
  let c: ClaimCast;

  beforeAll(async () => {
    t = await startTestApp({ now: BOOKING_NOW });
    c = await claimCast(t);
  });
  afterAll(() => t.close());

  /** An approved claim of P at A with an advisory booking at 10:00 (confirmed) and one at 11:00 (checked in). */
  async function claimWithBookings(date: string) {
    const id = (await requestClaims(t, c.userP, c.P, claimBody(c.A.id, [c.advisorsP[0].id], { start: `${date}T10:00:00+02:00`, end: `${date}T14:00:00+02:00`, roomId: c.roomA }))).items[0].id;
    await t.http.post(`/api/v1/claims/${id}/approve`).set(c.staffA.auth).expect(200);
    const advisory = async (hour: string, status: 'confirmed' | 'checked_in') => {
      const b = await newBooking(t, { locationId: c.A.id, tutorId: c.advisorsP[0].id, start: `${date}T${hour}:00:00+02:00`, end: `${date}T${hour}:45:00+02:00`, topic: 'online-banking', status });
      await t.db.query(`UPDATE bookings SET kind = 'advisory', partner_id = $2, claim_id = $3 WHERE id = $1`, [b.id, c.P, id]);
      return b;
    };
    return { id, confirmed: await advisory('10', 'confirmed'), checkedIn: await advisory('11', 'checked_in') };
  }

  it('cancels the confirmed bookings with the reason and lists the rest, as closures do', async () => {
    const { id, confirmed, checkedIn } = await claimWithBookings('2027-01-12');
    await t.http.post(`/api/v1/claims/${id}/cancel`).set(c.userP.auth).send({}).expect(422);
    const res = await t.http.post(`/api/v1/claims/${id}/cancel`).set(c.userP.auth).send({ reason: 'Neuvoja sairastui' }).expect(200);
    expect(res.body).toMatchObject({ id, status: 'cancelled', statusReason: 'Neuvoja sairastui', statusChangedBy: c.userP.id });
    expect(res.body.affectedBookings).toEqual([
      { id: confirmed.id, reference: confirmed.reference, start: '2027-01-12T10:00:00+02:00', end: '2027-01-12T10:45:00+02:00', status: 'cancelled', tutorId: c.advisorsP[0].id },
      { id: checkedIn.id, reference: checkedIn.reference, start: '2027-01-12T11:00:00+02:00', end: '2027-01-12T11:45:00+02:00', status: 'checked_in', tutorId: c.advisorsP[0].id },
    ]);
    const events = await t.db.query(`SELECT booking_id, actor_user_id, reason, payload->'cascade' AS cascade FROM booking_events WHERE type = 'cancelled' AND booking_id = ANY($1::uuid[])`, [[confirmed.id, checkedIn.id]]);
    expect(events).toEqual([{ booking_id: confirmed.id, actor_user_id: c.userP.id, reason: 'Neuvoja sairastui', cascade: { claimId: id } }]);
    const claimEvents = await t.db.query(`SELECT type, reason FROM claim_events WHERE claim_id = $1 ORDER BY id`, [id]);
    expect(claimEvents).toEqual([
      { type: 'requested', reason: null },
      { type: 'approved', reason: null },
      { type: 'cancelled', reason: 'Neuvoja sairastui' },
    ]);
    // the room and the advisor are free again
    const again = (await requestClaims(t, c.userP, c.P, claimBody(c.A.id, [c.advisorsP[0].id], { start: '2027-01-12T12:00:00+02:00', end: '2027-01-12T13:00:00+02:00', roomId: c.roomA }))).items[0].id;
    await t.http.post(`/api/v1/claims/${again}/approve`).set(c.staffA.auth).expect(200);
    await t.http.post(`/api/v1/claims/${id}/cancel`).set(c.staffA.auth).send({ reason: 'x' }).expect(409);
  });

  it('lets the branch cancel too, but not a claim that has ended or was never approved', async () => {
    const { id } = await claimWithBookings('2027-01-13');
    const requested = (await requestClaims(t, c.userP, c.P, claimBody(c.A.id, [c.advisorsP[1].id], { start: '2027-01-14T10:00:00+02:00', end: '2027-01-14T11:00:00+02:00' }))).items[0].id;
    await t.http.post(`/api/v1/claims/${requested}/cancel`).set(c.staffA.auth).send({ reason: 'x' }).expect(409);
    await t.http.post(`/api/v1/claims/${id}/cancel`).set(c.staffB.auth).send({ reason: 'x' }).expect(404);
    t.clock.set('2027-01-13T12:00:00Z');
    await t.http.post(`/api/v1/claims/${id}/cancel`).set(c.staffA.auth).send({ reason: 'Myöhässä' }).expect(409);
    t.clock.set('2027-01-13T09:00:00Z');
    const res = await t.http.post(`/api/v1/claims/${id}/cancel`).set(c.staffA.auth).send({ reason: 'Sähkökatko' }).expect(200);
    expect(res.body.affectedBookings.map((b: { status: string }) => b.status)).toEqual(['checked_in']);
    t.clock.set(BOOKING_NOW);
  });

  it('keeps a room that claims name (409 room-taken, not a 500); removes one no claim names', async () => {
    const named = await newRoom(t, c.A.id);
    const unused = await newRoom(t, c.A.id);
    await requestClaims(t, c.userP, c.P, claimBody(c.A.id, [c.advisorsP[1].id], { start: '2027-01-19T10:00:00+02:00', end: '2027-01-19T11:00:00+02:00', roomId: named }));
    const res = await t.http.delete(`/api/v1/locations/${c.A.id}/rooms/${named}`).set(c.staffA.auth).expect(409);
    expect(res.body.type).toBe('/problems/room-taken');
    await t.http.delete(`/api/v1/locations/${c.A.id}/rooms/${unused}`).set(c.staffA.auth).expect(204);
  });

  it('taking a branch out of use leaves its claims readable (no foreign-key failure); they are no longer approved there', async () => {
    const id = (await requestClaims(t, c.userP, c.P, claimBody(c.B.id, [c.advisorsP[1].id], { start: '2027-01-20T10:00:00+02:00', end: '2027-01-20T11:00:00+02:00' }))).items[0].id;
    await t.http.delete(`/api/v1/locations/${c.B.id}`).set(c.admin.auth).expect(200);
    await t.http.get(`/api/v1/claims/${id}`).set(c.userP.auth).expect(200);
    expect((await t.http.post(`/api/v1/claims/${id}/approve`).set(c.admin.auth).expect(422)).body.type).toBe('/problems/location-closed');
    await t.http.post(`/api/v1/partners/${c.P}/claims`).set(c.userP.auth).send(claimBody(c.B.id, [c.advisorsP[1].id])).expect(422);
  });
});
