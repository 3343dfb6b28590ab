import { randomUUID } from 'node:crypto';
import { BOOKING_NOW, bookingBody, bookingWorld, BookingWorld, WEEKDAYS_OPEN } from '../support/booking-fixtures';
import { newClaim, TestClaim } from '../support/claims';
import { newLocation, newTutor, newUser, TestLocation, TestTutor, TestUser } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

/*
 * GET /partners/{id}/bookings: the sessions residents booked in a partner's claims, as API.md's
 * "partner's view of a booking" (first name only; phone and e-mail only where the branch shares
 * contacts with partners), with the outcomes of those sessions.
 */
describe('GET /partners/{id}/bookings: what partners see', () => {
  let t: TestApp;
  let w: BookingWorld;
  let sharing: TestLocation;
  const partnerA = randomUUID();
  const partnerB = randomUUID();
  let advisorA: TestTutor;
  let claimA: TestClaim;
  let claimShared: TestClaim;
  let claimB: TestClaim;
  let userA: TestUser;
  let userB: TestUser;
  let admin: TestUser;
  let staff: TestUser;
  let booked: { id: string; reference: string };

  beforeAll(async () => {
    t = await startTestApp({ now: BOOKING_NOW });
    w = await bookingWorld(t);
    sharing = await newLocation(t, { weeklyHours: [{ days: WEEKDAYS_OPEN }], policy: { shareContactWithPartners: true } });
    advisorA = await newTutor(t, { kind: 'advisor', partnerId: partnerA });
    const advisorB = await newTutor(t, { kind: 'advisor', partnerId: partnerB });
    claimA = await newClaim(t, { partnerId: partnerA, locationId: w.location.id, start: '2027-01-05T10:00:00+02:00', end: '2027-01-05T12:00:00+02:00', advisorIds: [advisorA.id] });
    claimShared = await newClaim(t, { partnerId: partnerA, locationId: sharing.id, start: '2027-01-07T10:00:00+02:00', end: '2027-01-07T11:00:00+02:00', advisorIds: [advisorA.id] });
    claimB = await newClaim(t, { partnerId: partnerB, locationId: w.location.id, start: '2027-01-05T10:00:00+02:00', end: '2027-01-05T11:00:00+02:00', advisorIds: [advisorB.id] });
    t.clock.set('2027-01-31T00:00:00Z');
    userA = await newUser(t, { role: 'partner', partnerId: partnerA });
    userB = await newUser(t, { role: 'partner', partnerId: partnerB });
    admin = await newUser(t);
    staff = await newUser(t, { role: 'staff', locationIds: [w.location.id] });
    t.clock.set(BOOKING_NOW);
    const advisory = (locationId: string, claimId: string, start: string, resident: Record<string, unknown>) =>
      t.http
        .post('/api/v1/bookings')
        .send(bookingBody(locationId, start, { kind: 'advisory', claimId, topic: 'taxes', notes: 'Verokortti', resident: { language: 'fi', ...resident } }))
        .expect(201);
    booked = (await advisory(w.location.id, claimA.id, '2027-01-05T10:00:00+02:00', { name: 'Aino Maria Virtanen', phone: '040 123 4567', email: 'aino@example.fi' })).body;
    await advisory(sharing.id, claimShared.id, '2027-01-07T10:30:00+02:00', { name: 'Eero Salo', phone: '040 765 4321', email: null });
    await advisory(w.location.id, claimB.id, '2027-01-05T10:30:00+02:00', { name: 'Kalle B', phone: '040 111 2222', email: null });
    // A tutoring booking is never a partner's.
    await t.http.post('/api/v1/bookings').send(bookingBody(w.location.id, '2027-01-05T10:00:00+02:00')).expect(201);
  });
  afterAll(() => t.close());

  const list = (user: TestUser | undefined, partnerId: string, query: Record<string, string> = {}) => {
    const req = t.http.get(`/api/v1/partners/${partnerId}/bookings`).query(query);
    return user ? req.set(user.auth) : req;
  };

  it('shows the partner its sessions, by start: first name, topic, language, notes, advisor; no contact where the branch does not share it', async () => {
    const res = await list(userA, partnerA).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.nextCursor).toBeNull();
    expect(res.body.items).toHaveLength(2);
    expect(res.body.items[0]).toEqual({
      id: booked.id,
      reference: booked.reference,
      start: '2027-01-05T10:00:00+02:00',
      end: '2027-01-05T10:30:00+02:00',
      topic: 'taxes',
      language: 'fi',
      status: 'confirmed',
      resident: { firstName: 'Aino' },
      notes: 'Verokortti',
      outcome: null,
      claimId: claimA.id,
      locationId: w.location.id,
      advisor: { id: advisorA.id, displayName: expect.any(String) },
    });
    expect(JSON.stringify(res.body)).not.toContain('123 4567');
    expect(JSON.stringify(res.body)).not.toContain('+358401234567');
    expect(JSON.stringify(res.body)).not.toContain('aino@example.fi');
    expect(JSON.stringify(res.body)).not.toContain('Virtanen');
  });

  it('adds phone and e-mail where the branch shares contacts with partners', async () => {
    const res = await list(userA, partnerA, { claimId: claimShared.id }).expect(200);
    expect(res.body.items.map((b: { resident: unknown }) => b.resident)).toEqual([{ firstName: 'Eero', phone: '+358407654321', email: null }]);
  });

  it('includes the outcome of a completed session', async () => {
    const outcome = { topics: ['taxes'], referredTo: 'Verotoimisto', note: 'Verokortti tilattu' };
    await t.db.query(`UPDATE bookings SET status = 'completed', outcome = $2 WHERE id = $1`, [booked.id, JSON.stringify(outcome)]);
    const res = await list(userA, partnerA, { claimId: claimA.id }).expect(200);
    expect(res.body.items[0]).toMatchObject({ status: 'completed', outcome });
    const done = await list(userA, partnerA, { status: 'completed' }).expect(200);
    expect(done.body.items.map((b: { id: string }) => b.id)).toEqual([booked.id]);
  });

  it('filters by time and pages by cursor', async () => {
    expect((await list(userA, partnerA, { from: '2027-01-06', to: '2027-01-07' }).expect(200)).body.items).toHaveLength(1);
    const first = await list(userA, partnerA, { limit: '1' }).expect(200);
    expect(first.body.items).toHaveLength(1);
    const second = await list(userA, partnerA, { limit: '1', cursor: first.body.nextCursor }).expect(200);
    expect(second.body.items.map((b: { claimId: string }) => b.claimId)).toEqual([claimShared.id]);
    expect(second.body.nextCursor).toBeNull();
  });

  it("never shows another partner's sessions: 404 for its id, 422 for its claim, and its own list holds only its own", async () => {
    await list(userB, partnerA).expect(404);
    const own = await list(userB, partnerB).expect(200);
    expect(own.body.items.map((b: { claimId: string }) => b.claimId)).toEqual([claimB.id]);
    const foreignClaim = await list(userB, partnerB, { claimId: claimA.id }).expect(422);
    expect(foreignClaim.body.errors[0]).toMatchObject({ field: 'claimId', code: 'unknown-claim' });
  });

  it('lets admins see any partner (404 for one that does not exist), not staff, tutors or the public', async () => {
    expect((await list(admin, partnerB).expect(200)).body.items).toHaveLength(1);
    await list(admin, randomUUID()).expect(404);
    await list(staff, partnerA).expect(403);
    await list(undefined, partnerA).expect(401);
  });

  it('answers bad input with 4xx problems', async () => {
    await t.http.get('/api/v1/partners/not-a-uuid/bookings').set(userA.auth).expect(404);
    expect((await list(userA, partnerA, { claimId: 'x' }).expect(422)).body.errors[0].field).toBe('claimId');
    expect((await list(userA, partnerA, { from: 'tomorrow' }).expect(422)).body.errors[0].field).toBe('from');
    expect((await list(userA, partnerA, { status: 'lost' }).expect(422)).body.errors[0].field).toBe('status');
    expect((await list(userA, partnerA, { limit: '0' }).expect(422)).body.errors[0].field).toBe('limit');
    await list(userA, partnerA, { cursor: 'garbage' }).expect(422);
  });
});
