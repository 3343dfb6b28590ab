import { PARTNER_CLAIMS, PartnerClaims } from '../../src/modules/partners/partner-claims.port';
import { BOOKING_NOW } from '../support/booking-fixtures';
import { newBooking } from '../support/factories';
import { claimBody, claimCast, ClaimCast, requestClaims } from '../support/claim-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/** Issue 20: a partner an admin deactivates loses its open claims, in the deactivation's transaction. */
describe('a partner deactivated (PARTNER_CLAIMS)', () => {
  let t: TestApp;
  let c: ClaimCast;

  beforeAll(async () => {
    t = await startTestApp({ now: BOOKING_NOW });
    c = await claimCast(t);
  });
  afterAll(() => t.close());

  it('withdraws the requested claims and cancels the approved ones not ended, with their bookings, in the caller’s transaction', async () => {
    const at = (date: string, advisor = 0) => claimBody(c.A.id, [c.advisorsP[advisor].id], { start: `${date}T10:00:00+02:00`, end: `${date}T12:00:00+02:00` });
    const ended = (await requestClaims(t, c.userP, c.P, at('2027-01-05'))).items[0].id;
    const requested = (await requestClaims(t, c.userP, c.P, at('2027-01-12'))).items[0].id;
    const approved = (await requestClaims(t, c.userP, c.P, at('2027-01-13', 1))).items[0].id;
    const rejected = (await requestClaims(t, c.userP, c.P, at('2027-01-14'))).items[0].id;
    const otherPartner = (await requestClaims(t, c.userQ, c.Q, claimBody(c.A.id, [c.advisorsQ[0].id], { start: '2027-01-12T10:00:00+02:00', end: '2027-01-12T12:00:00+02:00' }))).items[0].id;
    for (const id of [ended, approved]) await t.http.post(`/api/v1/claims/${id}/approve`).set(c.staffA.auth).expect(200);
    await t.http.post(`/api/v1/claims/${rejected}/reject`).set(c.staffA.auth).send({ reason: 'Ei' }).expect(200);
    const booking = await newBooking(t, { locationId: c.A.id, tutorId: c.advisorsP[1].id, start: '2027-01-13T10:00:00+02:00', end: '2027-01-13T10:45:00+02:00', topic: 'online-banking' });
    await t.db.query(`UPDATE bookings SET kind = 'advisory', partner_id = $2, claim_id = $3 WHERE id = $1`, [booking.id, c.P, approved]);
    t.clock.set('2027-01-06T08:00:00Z');

    const port = t.app.get<PartnerClaims>(PARTNER_CLAIMS);
    const result = await t.db.transaction((manager) => port.partnerDeactivated({ partnerId: c.P, reason: 'Sopimus päättyi', actorUserId: c.admin.id, manager }));
    expect(result).toEqual({ withdrawn: [requested], cancelled: [approved] });
    const states = await t.db.query(`SELECT id, status, status_reason FROM claims WHERE id = ANY($1::uuid[])`, [[ended, requested, approved, rejected, otherPartner]]);
    expect(Object.fromEntries(states.map((s: { id: string; status: string; status_reason: string | null }) => [s.id, [s.status, s.status_reason]]))).toEqual({
      [ended]: ['approved', null],
      [requested]: ['withdrawn', 'Sopimus päättyi'],
      [approved]: ['cancelled', 'Sopimus päättyi'],
      [rejected]: ['rejected', 'Ei'],
      [otherPartner]: ['requested', null],
    });
    const [b] = await t.db.query(`SELECT status FROM bookings WHERE id = $1`, [booking.id]);
    expect(b.status).toBe('cancelled');
    const events = await t.db.query(`SELECT claim_id, type, actor_user_id, reason FROM claim_events WHERE claim_id = ANY($1::uuid[]) AND type IN ('withdrawn', 'cancelled') ORDER BY claim_id`, [[requested, approved]]);
    expect(events).toHaveLength(2);
    expect(events.every((e: { actor_user_id: string; reason: string }) => e.actor_user_id === c.admin.id && e.reason === 'Sopimus päättyi')).toBe(true);

  });

  it('PATCH /partners/{id} { active: false, reason } withdraws and cancels with the reason; a failed PATCH changes no claim', async () => {
    const requested = (await requestClaims(t, c.userQ, c.Q, claimBody(c.B.id, [c.advisorsQ[0].id], { start: '2027-01-26T10:00:00+02:00', end: '2027-01-26T12:00:00+02:00' }))).items[0].id;
    const approved = (await requestClaims(t, c.userQ, c.Q, claimBody(c.B.id, [c.advisorsQ[1].id], { start: '2027-01-27T10:00:00+02:00', end: '2027-01-27T12:00:00+02:00' }))).items[0].id;
    await t.http.post(`/api/v1/claims/${approved}/approve`).set(c.staffB.auth).expect(200);
    const booking = await newBooking(t, { locationId: c.B.id, tutorId: c.advisorsQ[1].id, start: '2027-01-27T11:00:00+02:00', end: '2027-01-27T11:45:00+02:00', topic: 'online-banking' });
    await t.db.query(`UPDATE bookings SET kind = 'advisory', partner_id = $2, claim_id = $3 WHERE id = $1`, [booking.id, c.Q, approved]);
    const partner = await t.http.get(`/api/v1/partners/${c.Q}`).set(c.admin.auth).expect(200);
    // its own users may not deactivate it; a stale If-Match fails the whole change
    await t.http.patch(`/api/v1/partners/${c.Q}`).set(c.userQ.auth).send({ active: false, reason: 'x' }).expect(403);
    await t.http.patch(`/api/v1/partners/${c.Q}`).set(c.admin.auth).set('If-Match', `"${partner.body.version + 7}"`).send({ active: false, reason: 'x' }).expect(412);
    expect((await t.db.query(`SELECT status FROM claims WHERE id = ANY($1::uuid[]) ORDER BY lower(during)`, [[requested, approved]])).map((r: { status: string }) => r.status)).toEqual(['requested', 'approved']);

    const res = await t.http.patch(`/api/v1/partners/${c.Q}`).set(c.admin.auth).send({ active: false, reason: 'Sopimus päättyi' }).expect(200);
    expect(res.body).toMatchObject({ active: false, deactivatedReason: 'Sopimus päättyi' });
    const after = await t.http.get(`/api/v1/claims?partnerId=${c.Q}&from=2027-01-26&to=2027-01-27`).set(c.admin.auth).expect(200);
    expect(after.body.items.map((x: { id: string; status: string; statusReason: string; statusChangedBy: string }) => [x.id, x.status, x.statusReason, x.statusChangedBy])).toEqual([
      [requested, 'withdrawn', 'Sopimus päättyi', c.admin.id],
      [approved, 'cancelled', 'Sopimus päättyi', c.admin.id],
    ]);
    const [event] = await t.db.query(`SELECT reason, payload->'cascade' AS cascade FROM booking_events WHERE booking_id = $1 AND type = 'cancelled'`, [booking.id]);
    expect(event).toEqual({ reason: 'Sopimus päättyi', cascade: { claimId: approved } });
    // a deactivated partner requests nothing more
    await t.http.post(`/api/v1/partners/${c.Q}/claims`).set(c.admin.auth).send(claimBody(c.B.id, [c.advisorsQ[0].id])).expect(403);
  });

  it('undoes the claims with a deactivation that fails (the caller’s transaction)', async () => {
    const R = (await t.db.query(`INSERT INTO partners (name_fi, name_sv, name_en, kind) VALUES ('Pankki', 'Bank', 'Bank', 'company') RETURNING id`))[0].id as string;
    const advisor = (await t.db.query(`INSERT INTO tutors (display_name, kind, partner_id, languages) VALUES ('Neuvoja', 'advisor', $1, '{fi}') RETURNING id`, [R]))[0].id as string;
    const port = t.app.get<PartnerClaims>(PARTNER_CLAIMS);
    const again = (await requestClaims(t, c.admin, R, claimBody(c.A.id, [advisor], { start: '2027-01-19T10:00:00+02:00', end: '2027-01-19T12:00:00+02:00' }))).items[0].id;
    await expect(
      t.db.transaction(async (manager) => {
        expect(await port.partnerDeactivated({ partnerId: R, reason: null, actorUserId: c.admin.id, manager })).toEqual({ withdrawn: [again], cancelled: [] });
        throw new Error('the deactivation failed');
      }),
    ).rejects.toThrow('the deactivation failed');
    expect((await t.db.query(`SELECT status FROM claims WHERE id = $1`, [again]))[0].status).toBe('requested');
  });
});
