import { randomUUID } from 'node:crypto';
import { PLACE_BOOKING_SQL, PLACE_BOOKINGS_SQL, placeBookingsJson, placeBookingValues } from '../../src/modules/bookings/bookings.repository';
import { BOOKING_NOW, bookingBody, BookingWorld, placeBookingCall } from '../support/booking-fixtures';
import { advisoryWorld, newClaim, setClaimStatus, TestClaim } from '../support/claims';
import { newUser, TestTutor } from '../support/factories';
import { TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait-until';

/*
 * Booking partners' advisory hours: POST /bookings with kind "advisory" and the claimId. The
 * booking statement checks the claim (approved, bookable, the session in it and on its grid) in
 * the same transaction; the exclusion constraint keeps an advisor out of two bookings.
 * The clock: Monday 2027-01-04 08:00 Helsinki; claims on Tuesday 5.1. in 30-minute sessions.
 */
describe('POST /bookings: advisory sessions', () => {
  let t: TestApp;
  let w: BookingWorld;
  let partnerId: string;
  let anna: TestTutor;
  let bertil: TestTutor;
  let claim: TestClaim;

  beforeAll(async () => {
    ({ t, w, partnerId, anna, bertil, claim } = await advisoryWorld());
  });
  afterAll(() => t.close());

  const advisory = (start: string, over: Record<string, unknown> = {}) =>
    bookingBody(w.location.id, start, { kind: 'advisory', claimId: claim.id, topic: 'taxes', ...over });
  const book = (body: Record<string, unknown>, key?: string) => {
    const req = t.http.post('/api/v1/bookings');
    if (key) req.set('Idempotency-Key', key);
    return req.send(body);
  };
  const rowsOf = async (claimId: string) => t.db.query(`SELECT kind, partner_id, claim_id, tutor_id FROM bookings WHERE claim_id = $1`, [claimId]);

  it('books an advisory session with any advisor of the claim: kind, partner and claim on the booking, a manage link that works', async () => {
    const res = await book(advisory('2027-01-05T10:00:00+02:00')).expect(201);
    expect(res.body).toMatchObject({
      status: 'confirmed',
      kind: 'advisory',
      partnerId,
      claimId: claim.id,
      start: '2027-01-05T10:00:00+02:00',
      end: '2027-01-05T10:30:00+02:00',
      topic: 'taxes',
    });
    expect([anna.id, bertil.id]).toContain(res.body.tutor.id);
    const [row] = await t.db.query(`SELECT kind, partner_id, claim_id FROM bookings WHERE id = $1`, [res.body.id]);
    expect(row).toEqual({ kind: 'advisory', partner_id: partnerId, claim_id: claim.id });
    const [event] = await t.db.query(`SELECT payload FROM booking_events WHERE booking_id = $1 AND type = 'created'`, [res.body.id]);
    expect(event.payload).toMatchObject({ claimId: claim.id, partnerId });
    const managed = await t.http.get(`/api/v1/bookings/manage/${res.body.manageToken}`).expect(200);
    expect(managed.body).toMatchObject({ kind: 'advisory', claimId: claim.id, partnerId });
    const ics = await t.http.get(`/api/v1/bookings/manage/${res.body.manageToken}/calendar.ics`).expect(200);
    const unfolded = ics.text.replace(/\r\n[ \t]/g, '');
    expect(unfolded).toContain(`SUMMARY:Digituki: OmaVero ja verotus (Kumppani ${partnerId.slice(0, 8)})`);
    expect(unfolded).toContain(`Neuvoja: Kumppani ${partnerId.slice(0, 8)}`);
  });

  it('books a named advisor, and answers an Idempotency-Key replay with the first response', async () => {
    const body = advisory('2027-01-05T10:30:00+02:00', { tutorId: bertil.id, language: 'sv' });
    const key = randomUUID();
    const first = await book(body, key).expect(201);
    expect(first.body.tutor.id).toBe(bertil.id);
    const again = await book(body, key).expect(201);
    expect(again.body).toEqual(first.body);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM bookings WHERE tutor_id = $1 AND lower(during) = '2027-01-05T10:30:00+02:00'`, [bertil.id]);
    expect(n).toBe(1);
  });

  it('two residents racing for one advisor at one time: one 201, one 409 slot-taken', async () => {
    const start = '2027-01-05T11:00:00+02:00';
    const results = await Promise.all([book(advisory(start, { tutorId: anna.id })), book(advisory(start, { tutorId: anna.id }))]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.status === 409)!.body.type).toBe('/problems/slot-taken');
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM bookings WHERE tutor_id = $1 AND lower(during) = $2`, [anna.id, start]);
    expect(n).toBe(1);
  });

  it('an advisor absent during part of the claim: no slot then, and booking it anyway → 422 tutor-unavailable', async () => {
    await t.db.query(`INSERT INTO tutor_absences (tutor_id, starts_at, ends_at, reason) VALUES ($1, '2027-01-05T11:30:00+02:00', '2027-01-05T12:00:00+02:00', 'kurssi')`, [bertil.id]);
    const slots = await t.http.get('/api/v1/slots').query({ locationId: w.location.id, from: '2027-01-05', to: '2027-01-05', kind: 'advisory' }).expect(200);
    expect(slots.body.items.filter((s: { tutorId: string; start: string }) => s.tutorId === bertil.id && s.start === '2027-01-05T11:30:00+02:00')).toEqual([]);
    const res = await book(advisory('2027-01-05T11:30:00+02:00', { tutorId: bertil.id, language: 'sv' })).expect(422);
    expect(res.body.type).toBe('/problems/tutor-unavailable');
  });

  it('refuses a time outside the claim or off its session grid with 422 claim-not-bookable', async () => {
    for (const start of ['2027-01-05T10:15:00+02:00', '2027-01-05T12:00:00+02:00', '2027-01-05T09:30:00+02:00']) {
      const res = await book(advisory(start)).expect(422);
      expect(res.body.type).toBe('/problems/claim-not-bookable');
    }
  });

  it('refuses a claim that is not approved, or drop-in, with 422 claim-not-bookable and no booking', async () => {
    const requested = await newClaim(t, { partnerId, locationId: w.location.id, start: '2027-01-07T10:00:00+02:00', end: '2027-01-07T11:00:00+02:00', advisorIds: [anna.id], status: 'requested' });
    const dropIn = await newClaim(t, { partnerId, locationId: w.location.id, start: '2027-01-07T12:00:00+02:00', end: '2027-01-07T13:00:00+02:00', advisorIds: [anna.id], mode: 'drop-in' });
    for (const [c, start] of [
      [requested, '2027-01-07T10:00:00+02:00'],
      [dropIn, '2027-01-07T12:00:00+02:00'],
    ] as const) {
      const res = await book(advisory(start, { claimId: c.id })).expect(422);
      expect(res.body.type).toBe('/problems/claim-not-bookable');
      expect(await rowsOf(c.id)).toEqual([]);
    }
  });

  it('booking a slot of a claim cancelled since it was listed (a stale search result) → 422 claim-not-bookable, no booking', async () => {
    const later = await newClaim(t, { partnerId, locationId: w.location.id, start: '2027-01-08T10:00:00+02:00', end: '2027-01-08T11:00:00+02:00', advisorIds: [anna.id], topics: ['taxes'] });
    const slots = await t.http.get('/api/v1/slots').query({ locationId: w.location.id, from: '2027-01-08', to: '2027-01-08', kind: 'advisory' }).expect(200);
    const listed = slots.body.items.find((s: { claimId: string }) => s.claimId === later.id);
    expect(listed).toBeDefined();
    await setClaimStatus(t, later.id, 'cancelled', 'Sairastapaus');
    const res = await book(advisory(listed.start, { claimId: later.id, tutorId: listed.tutorId })).expect(422);
    expect(res.body.type).toBe('/problems/claim-not-bookable');
    expect(await rowsOf(later.id)).toEqual([]);
  });

  it('place_bookings writes an advisory booking of a batch with its kind, partner and claim beside a tutoring one', async () => {
    const at = (iso: string, minutes: number) => ({ start: new Date(iso), end: new Date(new Date(iso).getTime() + minutes * 60_000) });
    const advisoryCall = await placeBookingCall(t, w.location.id, { ...at('2027-01-05T09:30:00Z', 30), tutorIds: [anna.id], reference: 'ADV-B01' }, { claimId: claim.id });
    const tutoringCall = await placeBookingCall(t, w.location.id, { ...at('2027-01-05T09:00:00Z', 45), tutorIds: [w.matti.id], reference: 'TUT-B01' });
    const offGrid = await placeBookingCall(t, w.location.id, { ...at('2027-01-05T09:40:00Z', 30), tutorIds: [bertil.id], reference: 'ADV-B02' }, { claimId: claim.id });
    const rows = await t.db.query(PLACE_BOOKINGS_SQL, [placeBookingsJson([advisoryCall, tutoringCall, offGrid])]);
    expect(rows.map((r: { o_outcome: string }) => r.o_outcome)).toEqual(['booked', 'booked', 'claim-not-bookable']);
    const written = await t.db.query(`SELECT reference, kind, partner_id, claim_id FROM bookings WHERE reference IN ('ADV-B01', 'TUT-B01', 'ADV-B02') ORDER BY reference`);
    expect(written).toEqual([
      { reference: 'ADV-B01', kind: 'advisory', partner_id: partnerId, claim_id: claim.id },
      { reference: 'TUT-B01', kind: 'tutoring', partner_id: null, claim_id: null },
    ]);
  });

  it('reschedules an advisory session only within its own claim; elsewhere → 422 claim-not-bookable, the old time kept', async () => {
    const monday = await newClaim(t, { partnerId, locationId: w.location.id, start: '2027-01-11T10:00:00+02:00', end: '2027-01-11T12:00:00+02:00', advisorIds: [anna.id], sessionMinutes: 30 });
    const booked = await book(advisory('2027-01-11T10:00:00+02:00', { claimId: monday.id })).expect(201);
    const token = booked.body.manageToken;
    const moved = await t.http.post(`/api/v1/bookings/manage/${token}/reschedule`).send({ start: '2027-01-11T11:30:00+02:00' }).expect(200);
    expect(moved.body).toMatchObject({ start: '2027-01-11T11:30:00+02:00', end: '2027-01-11T12:00:00+02:00', kind: 'advisory', claimId: monday.id, partnerId });
    for (const start of ['2027-01-11T12:00:00+02:00', '2027-01-11T10:15:00+02:00', '2027-01-05T10:00:00+02:00']) {
      const res = await t.http.post(`/api/v1/bookings/manage/${token}/reschedule`).send({ start }).expect(422);
      expect(res.body.type).toBe('/problems/claim-not-bookable');
    }
    const [row] = await t.db.query(`SELECT lower(during) AS start, claim_id FROM bookings WHERE id = $1`, [booked.body.id]);
    expect(row).toEqual({ start: new Date('2027-01-11T09:30:00Z'), claim_id: monday.id });
  });

  it('a booking and a cancellation of its claim take turns on the claim row: a booking waits for a cancellation in progress and is refused', async () => {
    const c = await newClaim(t, { partnerId, locationId: w.location.id, start: '2027-01-12T10:00:00+02:00', end: '2027-01-12T11:00:00+02:00', advisorIds: [anna.id] });
    const cancel = t.db.createQueryRunner();
    await cancel.connect();
    try {
      await cancel.startTransaction();
      await cancel.query(`UPDATE claims SET status = 'cancelled', status_reason = 'Sairastapaus' WHERE id = $1`, [c.id]);
      await cancel.query(`UPDATE claim_advisors SET approved = false WHERE claim_id = $1`, [c.id]);
      const answer = book(advisory('2027-01-12T10:00:00+02:00', { claimId: c.id }));
      const waiting = answer.then((r) => r);
      await waitUntil(async () => (await t.db.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%place_booking%'`)).length === 1);
      await cancel.commitTransaction();
      const res = await waiting;
      expect(res.status).toBe(422);
      expect(res.body.type).toBe('/problems/claim-not-bookable');
    } finally {
      if (cancel.isTransactionActive) await cancel.rollbackTransaction();
      await cancel.release();
    }
    expect(await rowsOf(c.id)).toEqual([]);
  });

  it('a cancellation waits for a booking in progress in its claim, and then sees that booking to cancel', async () => {
    const c = await newClaim(t, { partnerId, locationId: w.location.id, start: '2027-01-12T12:00:00+02:00', end: '2027-01-12T13:00:00+02:00', advisorIds: [anna.id] });
    const booking = t.db.createQueryRunner();
    await booking.connect();
    try {
      await booking.startTransaction();
      const start = new Date('2027-01-12T10:00:00Z');
      const call = await placeBookingCall(t, w.location.id, { start, end: new Date(start.getTime() + 30 * 60_000), tutorIds: [anna.id], reference: 'CLM-T01' }, { claimId: c.id });
      const [placed] = await booking.query(PLACE_BOOKING_SQL, placeBookingValues(call));
      expect(placed.o_outcome).toBe('booked');
      const cancelled = t.db.transaction(async (m) => {
        await m.query(`UPDATE claims SET status = 'cancelled' WHERE id = $1`, [c.id]);
        return m.query(`SELECT reference FROM bookings WHERE claim_id = $1 AND active`, [c.id]);
      });
      await waitUntil(async () => (await t.db.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE claims%'`)).length === 1);
      await booking.commitTransaction();
      expect(await cancelled).toEqual([{ reference: 'CLM-T01' }]);
    } finally {
      if (booking.isTransactionActive) await booking.rollbackTransaction();
      await booking.release();
    }
  });

  it('staff book an advisory session on a resident\'s behalf (phone), no minimum notice', async () => {
    t.clock.set('2027-01-31T00:00:00Z');
    const staff = await newUser(t, { role: 'staff', locationIds: [w.location.id] });
    t.clock.set('2027-01-05T10:20:00+02:00');
    try {
      const { consent: _consent, ...body } = advisory('2027-01-05T10:30:00+02:00', { tutorId: anna.id });
      void _consent;
      const res = await t.http.post('/api/v1/bookings/staff').set(staff.auth).send({ ...body, channel: 'phone' }).expect(201);
      expect(res.body).toMatchObject({ kind: 'advisory', claimId: claim.id, partnerId, channel: 'phone', tutor: { id: anna.id } });
    } finally {
      t.clock.set(BOOKING_NOW);
    }
  });

  it('checks kind and claimId together, and names an unknown claim', async () => {
    const noClaim = await book(advisory('2027-01-05T10:00:00+02:00', { claimId: null })).expect(422);
    expect(noClaim.body.errors[0]).toMatchObject({ field: 'claimId', code: 'required' });
    const tutoringWithClaim = await book(advisory('2027-01-05T10:00:00+02:00', { kind: 'tutoring' })).expect(422);
    expect(tutoringWithClaim.body.errors).toHaveLength(1);
    expect(tutoringWithClaim.body.errors[0]).toMatchObject({ field: 'claimId', code: 'advisory-only' });
    const unknown = await book(advisory('2027-01-05T10:00:00+02:00', { claimId: randomUUID() })).expect(422);
    expect(unknown.body.errors[0]).toMatchObject({ field: 'claimId', code: 'unknown-claim' });
  });

  it('refuses a tutoring booking of an advisor (no weekly rules of their own): 422 tutor-unavailable', async () => {
    const res = await book(bookingBody(w.location.id, '2027-01-05T13:00:00+02:00', { tutorId: anna.id, topic: 'taxes' })).expect(422);
    expect(res.body.type).toBe('/problems/tutor-unavailable');
  });

  it('refuses a topic or language the claim does not offer', async () => {
    const topic = await book(advisory('2027-01-05T11:30:00+02:00', { topic: 'email' })).expect(422);
    expect(topic.body.type).toBe('/problems/tutor-unavailable');
    const language = await book(advisory('2027-01-05T11:30:00+02:00', { language: 'en' })).expect(422);
    expect(language.body.type).toBe('/problems/tutor-unavailable');
  });
});
