import { DateTime } from 'luxon';
import { BOOKING_NOW } from '../support/booking-fixtures';
import { claimBody, claimCast, ClaimCast, requestClaims, setQuota, tuesdayOf } from '../support/claim-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/** Issue 20: partner claims requested, decided and seen (PostgreSQL, injected clock). */
describe('partner claims', () => {
  let t: TestApp;
  let c: ClaimCast;
  /** A fresh week each test, so claims of one test never meet another's. */
  let week = 0;
  const tuesday = (from: string, to: string) => tuesdayOf(week, from, to);

  beforeAll(async () => {
    t = await startTestApp({ now: BOOKING_NOW });
    c = await claimCast(t);
  });
  beforeEach(() => {
    week++;
    t.clock.set(BOOKING_NOW);
  });
  afterAll(() => t.close());

  const body = (over: Record<string, unknown> = {}) => claimBody(c.A.id, [c.advisorsP[0].id], { ...tuesday('10:00', '14:00'), ...over });
  const approve = (id: string, user = c.staffA) => t.http.post(`/api/v1/claims/${id}/approve`).set(user.auth);

  it('request → approve → listed as approved, with who and when and an event each', async () => {
    const created = await requestClaims(t, c.userP, c.P, body());
    expect(created.items).toHaveLength(1);
    const claim = created.items[0] as Record<string, unknown>;
    expect(claim).toMatchObject({
      seriesId: created.seriesId,
      partnerId: c.P,
      partnerName: { fi: 'Verohallinto', sv: 'Verohallinto', en: 'Verohallinto' },
      locationId: c.A.id,
      roomId: null,
      start: tuesday('10:00', '14:00').start,
      mode: 'bookable',
      sessionMinutes: 45,
      bufferMinutes: 15,
      advisorIds: [c.advisorsP[0].id],
      topics: ['online-banking'],
      languages: ['fi'],
      note: 'Verokortit',
      status: 'requested',
      statusReason: null,
      requestedBy: c.userP.id,
      requestedAt: '2027-01-04T08:00:00+02:00',
      version: 1,
    });
    t.clock.set('2027-01-05T07:30:00Z');
    const approved = await approve(claim.id as string).expect(200);
    expect(approved.body).toMatchObject({ status: 'approved', statusChangedBy: c.staffA.id, statusChangedAt: '2027-01-05T09:30:00+02:00', version: 2 });
    expect(approved.headers.etag).toBe('"2"');
    const listed = await t.http.get(`/api/v1/claims?status=approved&locationId=${c.A.id}`).set(c.staffA.auth).expect(200);
    expect(listed.body.items.map((x: { id: string }) => x.id)).toContain(claim.id);
    const events = await t.db.query(`SELECT type, actor_user_id, reason FROM claim_events WHERE claim_id = $1 ORDER BY id`, [claim.id]);
    expect(events).toEqual([
      { type: 'requested', actor_user_id: c.userP.id, reason: null },
      { type: 'approved', actor_user_id: c.staffA.id, reason: null },
    ]);
    await approve(claim.id as string).expect(409).expect((r) => expect(r.body.type).toBe('/problems/invalid-transition'));
  });

  it('refuses to approve a claim whose advisor the partner deactivated after the request (422 advisor-inactive), changing nothing', async () => {
    const advisor = (await t.http.post(`/api/v1/partners/${c.P}/advisors`).set(c.userP.auth).send({ displayName: 'Lähtevä L.', languages: ['fi'], topics: ['online-banking'] }).expect(201)).body as { id: string };
    const id = (await requestClaims(t, c.userP, c.P, claimBody(c.A.id, [c.advisorsP[1].id, advisor.id], tuesday('10:00', '14:00')))).items[0].id;
    await t.http.patch(`/api/v1/partners/${c.P}/advisors/${advisor.id}`).set(c.userP.auth).send({ active: false }).expect(200);
    const refused = await approve(id).expect(422);
    expect(refused.body).toMatchObject({ type: '/problems/advisor-inactive' });
    expect(refused.body.detail).toContain(advisor.id);
    expect(refused.body.detail).not.toContain(c.advisorsP[1].id);
    const [row] = await t.db.query(`SELECT status, version FROM claims WHERE id = $1`, [id]);
    expect(row).toEqual({ status: 'requested', version: 1 });
    // Active again: the same claim is approved.
    await t.http.patch(`/api/v1/partners/${c.P}/advisors/${advisor.id}`).set(c.userP.auth).send({ active: true }).expect(200);
    await approve(id).expect(200);
  });

  it('rejects with a reason, and lets the partner withdraw only while requested', async () => {
    const [one, two] = [await requestClaims(t, c.userP, c.P, body()), await requestClaims(t, c.userP, c.P, body(tuesday('15:00', '17:00')))].map((r) => r.items[0].id);
    await t.http.post(`/api/v1/claims/${one}/reject`).set(c.staffA.auth).send({}).expect(422);
    const rejected = await t.http.post(`/api/v1/claims/${one}/reject`).set(c.staffA.auth).send({ reason: 'Sali varattu' }).expect(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', statusReason: 'Sali varattu', statusChangedBy: c.staffA.id });
    await t.http.post(`/api/v1/claims/${one}/withdraw`).set(c.userP.auth).expect(409);
    // staff do not withdraw a partner's request
    await t.http.post(`/api/v1/claims/${two}/withdraw`).set(c.staffA.auth).expect(403);
    const withdrawn = await t.http.post(`/api/v1/claims/${two}/withdraw`).set(c.userP.auth).expect(200);
    expect(withdrawn.body).toMatchObject({ status: 'withdrawn', statusChangedBy: c.userP.id });
    const events = await t.db.query(`SELECT claim_id, type, reason FROM claim_events WHERE claim_id = ANY($1::uuid[]) AND type <> 'requested' ORDER BY id`, [[one, two]]);
    expect(events).toEqual([
      { claim_id: one, type: 'rejected', reason: 'Sali varattu' },
      { claim_id: two, type: 'withdrawn', reason: null },
    ]);
  });

  it('keeps claims in scope: other partners, other branches and tutors get 404; the partner may not approve', async () => {
    const id = (await requestClaims(t, c.userP, c.P, body())).items[0].id;
    await t.http.get(`/api/v1/claims/${id}`).set(c.userQ.auth).expect(404);
    await t.http.get(`/api/v1/claims/${id}`).set(c.staffB.auth).expect(404);
    await t.http.post(`/api/v1/claims/${id}/withdraw`).set(c.userQ.auth).expect(404);
    await approve(id, c.staffB).expect(404);
    await approve(id, c.userQ).expect(404);
    await approve(id, c.userP).expect(403);
    await t.http.get(`/api/v1/claims/${id}`).set(c.userP.auth).expect(200);
    await t.http.get(`/api/v1/claims/${id}`).set(c.staffA.auth).expect(200);
    const ofQ = await t.http.get('/api/v1/claims').set(c.userQ.auth).expect(200);
    expect(ofQ.body.items.map((x: { id: string }) => x.id)).not.toContain(id);
    const ofB = await t.http.get('/api/v1/claims').set(c.staffB.auth).expect(200);
    expect(ofB.body.items).toEqual([]);
    // Q's users cannot request for P, nor name P's advisors for Q
    await t.http.post(`/api/v1/partners/${c.P}/claims`).set(c.userQ.auth).send(body()).expect(404);
    const foreign = await t.http.post(`/api/v1/partners/${c.Q}/claims`).set(c.userQ.auth).send(body()).expect(422);
    expect(foreign.body.errors.map((e: { field: string }) => e.field)).toEqual(['advisorIds']);
    await t.http.post(`/api/v1/partners/${c.P}/claims`).set(c.staffA.auth).send(body()).expect(403);
    // the admin acts for the partner
    await requestClaims(t, c.admin, c.P, body(tuesday('15:00', '16:00')));
  });

  it('refuses bad input field by field (422, never 500)', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ locationId: undefined }, 'locationId'],
      [{ locationId: '00000000-0000-4000-8000-000000000000' }, 'locationId'],
      [{ roomId: c.roomA.replace(/.$/, (d) => (d === '0' ? '1' : '0')) }, 'roomId'],
      [{ start: '2027-01-19T10:00:00' }, 'start'],
      [{ start: 'tomorrow' }, 'start'],
      [{ ...tuesday('14:00', '10:00') }, 'end'],
      [{ ...tuesday('20:00', '23:00'), end: DateTime.fromISO(tuesday('20:00', '23:00').end).plus({ hours: 2 }).toISO() }, 'end'],
      [{ mode: 'sometimes' }, 'mode'],
      [{ sessionMinutes: null }, 'sessionMinutes'],
      [{ sessionMinutes: 300 }, 'sessionMinutes'],
      [{ mode: 'drop-in' }, 'sessionMinutes'],
      [{ bufferMinutes: -5 }, 'bufferMinutes'],
      [{ advisorIds: 'x' }, 'advisorIds'],
      [{ advisorIds: [c.advisorsQ[0].id] }, 'advisorIds'],
      [{ advisorIds: [] }, 'advisorIds'],
      [{ topics: ['no-such-topic'] }, 'topics'],
      [{ topics: [] }, 'topics'],
      [{ languages: ['FIN'] }, 'languages'],
      [{ note: 'x'.repeat(2001) }, 'note'],
      [{ repeatWeeklyUntil: '2027-02-30' }, 'repeatWeeklyUntil'],
      [{ repeatWeeklyUntil: '2029-01-01' }, 'repeatWeeklyUntil'],
      [{ repeatWeeklyUntil: '2026-01-01' }, 'repeatWeeklyUntil'],
      [{ start: '2026-12-01T10:00:00+02:00', end: '2026-12-01T12:00:00+02:00' }, 'start'],
    ];
    const seen: string[] = [];
    for (const [over] of cases) {
      const res = await t.http.post(`/api/v1/partners/${c.P}/claims`).set(c.userP.auth).send(body(over));
      expect({ over, status: res.status }).toEqual({ over, status: 422 });
      seen.push(res.body.errors?.[0]?.field);
    }
    expect(seen).toEqual(cases.map(([, field]) => field));
    await t.http.post(`/api/v1/partners/${c.P}/claims`).set(c.userP.auth).send(body({ roomId: (await t.db.query(`INSERT INTO location_rooms (location_id, name, capacity) VALUES ($1, 'B:n sali', 4) RETURNING id`, [c.B.id]))[0].id })).expect(422);
    await t.http.get('/api/v1/claims?status=maybe').set(c.admin.auth).expect(422);
    await t.http.get('/api/v1/claims?from=2027-13-01').set(c.admin.auth).expect(422);
    await t.http.get('/api/v1/claims?partnerId=00000000-0000-4000-8000-000000000000').set(c.admin.auth).expect(422);
    await t.http.get('/api/v1/claims/not-a-uuid').set(c.admin.auth).expect(404);
  });

  it('refuses approval outside opening hours (422) and on a holiday (422 location-closed)', async () => {
    const late = (await requestClaims(t, c.userP, c.P, body(tuesday('17:00', '20:00')))).items[0].id;
    const res = await approve(late).expect(422);
    expect(res.body.type).toBe('/problems/outside-opening-hours');
    // Epiphany, Wednesday 2027-01-06
    const holiday = (await requestClaims(t, c.userP, c.P, body({ start: '2027-01-06T10:00:00+02:00', end: '2027-01-06T12:00:00+02:00' }))).items[0].id;
    expect((await approve(holiday).expect(422)).body.type).toBe('/problems/location-closed');
    await t.http.post(`/api/v1/locations/${c.A.id}/closures`).set(c.staffA.auth).send({ ...tuesday('12:00', '13:00') }).expect(201);
    const closed = (await requestClaims(t, c.userP, c.P, body(tuesday('11:00', '14:00')))).items[0].id;
    expect((await approve(closed).expect(422)).body.type).toBe('/problems/location-closed');
    const states = await t.db.query(`SELECT status FROM claims WHERE id = ANY($1::uuid[])`, [[late, holiday, closed]]);
    expect(states.map((s: { status: string }) => s.status)).toEqual(['requested', 'requested', 'requested']);
  });

  it('keeps approved claims out of one room, and an advisor out of two claims at once (409)', async () => {
    const first = (await requestClaims(t, c.userP, c.P, body({ roomId: c.roomA }))).items[0].id;
    const second = (await requestClaims(t, c.userQ, c.Q, claimBody(c.A.id, [c.advisorsQ[0].id], { ...tuesday('13:00', '15:00'), roomId: c.roomA }))).items[0].id;
    await approve(first).expect(200);
    expect((await approve(second).expect(409)).body.type).toBe('/problems/room-taken');
    // the other room is free; the same advisor is not
    const sameAdvisor = (await requestClaims(t, c.userP, c.P, body({ ...tuesday('12:00', '13:00'), roomId: c.room2A }))).items[0].id;
    expect((await approve(sameAdvisor).expect(409)).body.type).toBe('/problems/advisor-busy');
    const otherAdvisor = (await requestClaims(t, c.userP, c.P, claimBody(c.A.id, [c.advisorsP[1].id], { ...tuesday('12:00', '13:00'), roomId: c.room2A }))).items[0].id;
    await approve(otherAdvisor).expect(200);
    // back to back in one room is fine
    const after = (await requestClaims(t, c.userQ, c.Q, claimBody(c.A.id, [c.advisorsQ[1].id], { ...tuesday('14:00', '15:00'), roomId: c.roomA }))).items[0].id;
    await approve(after).expect(200);
  });

  it('checks the quota at request and again at approval (422 with limit, used, asked)', async () => {
    const R = (await t.db.query(`INSERT INTO partners (name_fi, name_sv, name_en, kind) VALUES ('Pankki', 'Bank', 'Bank', 'company') RETURNING id`))[0].id as string;
    const advisor = (await t.db.query(`INSERT INTO tutors (display_name, kind, partner_id, languages) VALUES ('Neuvoja', 'advisor', $1, '{fi}') RETURNING id`, [R]))[0].id as string;
    const admin = c.admin;
    const ask = (over: Record<string, unknown>) => t.http.post(`/api/v1/partners/${R}/claims`).set(admin.auth).send(claimBody(c.A.id, [advisor], over));
    await setQuota(t, R, null, 10);
    await setQuota(t, R, c.A.id, 6);
    const a = await ask({ start: '2027-02-02T10:00:00+02:00', end: '2027-02-02T14:00:00+02:00' }).expect(201);
    const refused = await ask({ start: '2027-02-09T10:00:00+02:00', end: '2027-02-09T13:00:00+02:00' }).expect(422);
    expect(refused.body).toMatchObject({ type: '/problems/quota-exceeded', limit: 6, used: 4, asked: 3, month: '2027-02', scope: 'location' });
    // another month has its own hours; another branch only the partner-wide quota
    await ask({ start: '2027-03-02T10:00:00+02:00', end: '2027-03-02T14:00:00+02:00' }).expect(201);
    const b = await ask({ start: '2027-02-09T10:00:00+02:00', end: '2027-02-09T12:00:00+02:00' }).expect(201);
    expect((await t.http.post(`/api/v1/partners/${R}/claims`).set(admin.auth).send(claimBody(c.B.id, [advisor], { start: '2027-02-10T10:00:00+02:00', end: '2027-02-10T15:00:00+02:00' })).expect(422)).body).toMatchObject({
      scope: 'partner',
      limit: 10,
      used: 6,
      asked: 5,
    });
    // lowered meanwhile: the first approval fits, the second no longer does
    await setQuota(t, R, c.A.id, 5);
    await approve(a.body.items[0].id).expect(200);
    expect((await approve(b.body.items[0].id).expect(422)).body).toMatchObject({ type: '/problems/quota-exceeded', limit: 5, used: 4, asked: 2 });
  });

  it('lists the day’s approved claims in the agenda beside bookings, by start', async () => {
    const volunteer = (await t.db.query(`INSERT INTO tutors (display_name, kind, languages) VALUES ('Vapaaehtoinen', 'volunteer', '{fi}') RETURNING id`))[0].id as string;
    const insertBooking = async (from: string, to: string) =>
      (
        await t.db.query(
          `INSERT INTO bookings (reference, location_id, tutor_id, topic_id, language, during, resident_name, resident_phone, resident_language)
           SELECT $1, $2, $3, tp.id, 'fi', tstzrange($4, $5, '[)'), 'Aino', '+358401234567', 'fi' FROM topics tp WHERE tp.slug = 'email' RETURNING id`,
          [`AG${week}-${from.slice(11, 13)}X`.slice(0, 7), c.A.id, volunteer, from, to],
        )
      )[0].id as string;
    const early = await insertBooking(tuesday('09:00', '09:45').start, tuesday('09:00', '09:45').end);
    const later = await insertBooking(tuesday('11:00', '11:45').start, tuesday('11:00', '11:45').end);
    const claim = (await requestClaims(t, c.userP, c.P, body())).items[0].id;
    const requestedOnly = (await requestClaims(t, c.userP, c.P, claimBody(c.A.id, [c.advisorsP[1].id], tuesday('12:00', '13:00')))).items[0].id;
    await approve(claim).expect(200);
    const date = tuesday('10:00', '11:00').start.slice(0, 10);
    const agenda = await t.http.get(`/api/v1/locations/${c.A.id}/agenda?date=${date}`).set(c.staffA.auth).expect(200);
    expect(agenda.body.items.map((i: { type: string; booking?: { id: string }; claim?: { id: string } }) => `${i.type} ${i.booking?.id ?? i.claim?.id}`)).toEqual([
      `booking ${early}`,
      `claim ${claim}`,
      `booking ${later}`,
    ]);
    expect(agenda.body.items[1].claim).toMatchObject({ status: 'approved', partnerName: { fi: 'Verohallinto' }, start: tuesday('10:00', '14:00').start });
    expect(JSON.stringify(agenda.body)).not.toContain(requestedOnly);
  });
});
