import { BOOKING_NOW } from '../support/booking-fixtures';
import { newUser } from '../support/factories';
import { claimBody, claimCast, ClaimCast, requestClaims, setQuota, tuesdayOf } from '../support/claim-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/** Issue 20: decisions and requests that race (PostgreSQL decides; one wins, the other is told). */
describe('claims under concurrency', () => {
  let t: TestApp;
  let c: ClaimCast;
  let week = 0;
  const tuesday = (from: string, to: string) => tuesdayOf(week, from, to);

  beforeAll(async () => {
    t = await startTestApp({ now: BOOKING_NOW });
    c = await claimCast(t);
  });
  beforeEach(() => week++);
  afterAll(() => t.close());

  it('two staff approving one claim at once: one 200, one 409', async () => {
    t.clock.set('2028-06-01T00:00:00Z');
    const otherStaffA = await newUser(t, { role: 'staff', locationIds: [c.A.id] });
    t.clock.set(BOOKING_NOW);
    for (let round = 0; round < 3; round++) {
      const id = (await requestClaims(t, c.userP, c.P, claimBody(c.A.id, [c.advisorsP[0].id], { ...tuesday(`1${round}:00`, `1${round}:30`), sessionMinutes: 30, bufferMinutes: 0 }))).items[0].id;
      const results = await Promise.all([c.staffA, otherStaffA].map((u) => t.http.post(`/api/v1/claims/${id}/approve`).set(u.auth)));
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(results.find((r) => r.status === 409)!.body.type).toBe('/problems/invalid-transition');
      const events = await t.db.query(`SELECT count(*)::int AS n FROM claim_events WHERE claim_id = $1 AND type = 'approved'`, [id]);
      expect(events[0].n).toBe(1);
    }
  });

  it('two overlapping claims of two partners on one room approved at once: one 200, one 409 room-taken', async () => {
    const p = (await requestClaims(t, c.userP, c.P, claimBody(c.A.id, [c.advisorsP[0].id], { ...tuesday('10:00', '12:00'), roomId: c.roomA }))).items[0].id;
    const q = (await requestClaims(t, c.userQ, c.Q, claimBody(c.A.id, [c.advisorsQ[0].id], { ...tuesday('11:00', '13:00'), roomId: c.roomA }))).items[0].id;
    const results = await Promise.all([p, q].map((id) => t.http.post(`/api/v1/claims/${id}/approve`).set(c.staffA.auth)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.status === 409)!.body.type).toBe('/problems/room-taken');
    const approved = await t.db.query(`SELECT count(*)::int AS n FROM claims WHERE id = ANY($1::uuid[]) AND status = 'approved'`, [[p, q]]);
    expect(approved[0].n).toBe(1);
  });

  it('two requests racing for the last quota hours: one 201, one 422', async () => {
    await setQuota(t, c.Q, null, 3);
    const ask = (from: string, to: string) => t.http.post(`/api/v1/partners/${c.Q}/claims`).set(c.userQ.auth).send(claimBody(c.B.id, [c.advisorsQ[1].id], { start: `2027-06-0${from}`, end: `2027-06-0${to}` }));
    const results = await Promise.all([ask('1T10:00:00+03:00', '1T12:00:00+03:00'), ask('2T10:00:00+03:00', '2T12:00:00+03:00')]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 422]);
    expect(results.find((r) => r.status === 422)!.body).toMatchObject({ type: '/problems/quota-exceeded', limit: 3, used: 2, asked: 2 });
  });
});
