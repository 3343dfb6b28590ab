import { DateTime } from 'luxon';
import { BOOKING_NOW } from '../support/booking-fixtures';
import { claimBody, claimCast, ClaimCast, requestClaims, setQuota } from '../support/claim-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/** Issue 20: weekly series across daylight saving, decided in one call, each claim on its own. */
describe('claim series', () => {
  let t: TestApp;
  let c: ClaimCast;

  beforeAll(async () => {
    t = await startTestApp({ now: BOOKING_NOW });
    c = await claimCast(t);
  });
  afterAll(() => t.close());

  it('creates and approves 20 weekly claims across the October change, all at the same local time', async () => {
    const created = await requestClaims(
      t,
      c.userP,
      c.P,
      claimBody(c.A.id, [c.advisorsP[0].id], { start: '2027-09-07T10:00:00+03:00', end: '2027-09-07T12:00:00+03:00', roomId: c.roomA, repeatWeeklyUntil: '2028-01-18' }),
    );
    expect(created.items).toHaveLength(20);
    expect(new Set(created.items.map((x) => x.id)).size).toBe(20);
    const local = created.items.map((x) => DateTime.fromISO(x.start, { setZone: true }));
    expect(local.map((d) => d.toFormat('HH:mm'))).toEqual(Array(20).fill('10:00'));
    expect(created.items.map((x) => x.end.slice(11, 19))).toEqual(Array(20).fill('12:00:00'));
    expect(local.map((d) => d.weekday)).toEqual(Array(20).fill(2));
    // the offset changes with the clocks on Sunday 2027-10-31: +03:00 before, +02:00 after
    expect(created.items.map((x) => x.start.slice(19))).toEqual([...Array(8).fill('+03:00'), ...Array(12).fill('+02:00')]);
    expect(created.items[7].start).toBe('2027-10-26T10:00:00+03:00');
    expect(created.items[8].start).toBe('2027-11-02T10:00:00+02:00');

    const decided = await t.http.post(`/api/v1/claim-series/${created.seriesId}/approve`).set(c.staffA.auth).expect(200);
    expect(decided.body.items).toEqual(created.items.map((x) => ({ claimId: x.id, status: 'approved' })));
    const listed = await t.http.get(`/api/v1/claims?status=approved&from=2027-09-01&to=2028-01-31`).set(c.userP.auth).expect(200);
    expect(listed.body.items.map((x: { id: string }) => x.id)).toEqual(created.items.map((x) => x.id));
    // page by page, 8 at a time: the same claims in the same order
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await t.http
        .get(`/api/v1/claims?status=approved&from=2027-09-01&to=2028-01-31&limit=8${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
        .set(c.staffA.auth)
        .expect(200);
      paged.push(...page.body.items.map((x) => x.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(created.items.map((x) => x.id));
  });

  it('decides each claim on its own, in date order: one in a taken room or over quota fails alone', async () => {
    // Q holds the room on the second Tuesday; P's quota at A is 7 h in February
    const blocker = await requestClaims(t, c.userQ, c.Q, claimBody(c.A.id, [c.advisorsQ[0].id], { start: '2027-02-09T09:00:00+02:00', end: '2027-02-09T11:00:00+02:00', roomId: c.room2A }));
    await t.http.post(`/api/v1/claims/${blocker.items[0].id}/approve`).set(c.staffA.auth).expect(200);
    await setQuota(t, c.P, c.A.id, 20);
    const series = await requestClaims(
      t,
      c.userP,
      c.P,
      claimBody(c.A.id, [c.advisorsP[1].id], { start: '2027-02-02T10:00:00+02:00', end: '2027-02-02T12:00:00+02:00', roomId: c.room2A, repeatWeeklyUntil: '2027-03-02' }),
    );
    expect(series.items.map((x) => x.start.slice(0, 10))).toEqual(['2027-02-02', '2027-02-09', '2027-02-16', '2027-02-23', '2027-03-02']);
    await setQuota(t, c.P, c.A.id, 5);
    await t.http.post(`/api/v1/claims/${series.items[4].id}/withdraw`).set(c.userP.auth).expect(200);
    // the partner may not decide; staff of another branch do not see it
    await t.http.post(`/api/v1/claim-series/${series.seriesId}/approve`).set(c.userP.auth).expect(403);
    await t.http.post(`/api/v1/claim-series/${series.seriesId}/approve`).set(c.staffB.auth).expect(404);
    const decided = await t.http.post(`/api/v1/claim-series/${series.seriesId}/approve`).set(c.staffA.auth).expect(200);
    const items = decided.body.items as { claimId: string; status: string; problem?: Record<string, unknown> }[];
    expect(items.map((i) => i.claimId)).toEqual(series.items.map((x) => x.id));
    expect(items.map((i) => [i.status, i.problem?.type ?? null])).toEqual([
      ['approved', null],
      ['requested', '/problems/room-taken'],
      ['approved', null],
      ['requested', '/problems/quota-exceeded'],
      ['withdrawn', '/problems/invalid-transition'],
    ]);
    expect(items[3].problem).toMatchObject({ status: 422, limit: 5, used: 4, asked: 2, month: '2027-02' });
    const rejected = await t.http.post(`/api/v1/claim-series/${series.seriesId}/reject`).set(c.admin.auth).send({ reason: 'Ei tilaa' }).expect(200);
    expect(rejected.body.items.map((i: { status: string }) => i.status)).toEqual(['approved', 'rejected', 'approved', 'rejected', 'withdrawn']);
    await t.http.post(`/api/v1/claim-series/${series.seriesId}/reject`).set(c.admin.auth).send({}).expect(422);
    await t.http.post('/api/v1/claim-series/00000000-0000-4000-8000-000000000000/approve').set(c.admin.auth).expect(404);
  });
});
