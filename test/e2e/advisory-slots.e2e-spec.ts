import { BOOKING_NOW, BookingWorld } from '../support/booking-fixtures';
import { advisoryWorld, nameTaxAdministration, newClaim, setClaimStatus, TestClaim } from '../support/claims';
import { newTutor, TestTutor } from '../support/factories';
import { TestApp } from '../support/test-app';

/*
 * Approved bookable partner claims give their advisors slots (kind "advisory") in the claim's
 * window, on its session grid, honouring everything tutoring slots honour.
 * The clock: Monday 2027-01-04 08:00 Helsinki; the claim is Tuesday 10:00–12:00 in 30-minute sessions.
 */
describe('Advisory slots from approved partner claims', () => {
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

  const slots = (query: Record<string, string>) => t.http.get('/api/v1/slots').query({ locationId: w.location.id, from: '2027-01-05', to: '2027-01-05', limit: '100', ...query });

  it('lists each advisor of the claim on its session grid, with kind, partner, claim and the claim topics and languages', async () => {
    const res = await slots({ kind: 'advisory' }).expect(200);
    expect(res.body.items).toHaveLength(8);
    expect(res.body.items[0]).toEqual({
      start: '2027-01-05T10:00:00+02:00',
      end: '2027-01-05T10:30:00+02:00',
      locationId: w.location.id,
      tutorId: expect.any(String),
      tutorDisplayName: expect.any(String),
      topics: ['taxes'],
      languages: ['fi', 'sv'],
      kind: 'advisory',
      partnerId,
      claimId: claim.id,
      roomId: null,
    });
    const starts = [...new Set(res.body.items.map((s: { start: string }) => s.start))];
    expect(starts).toEqual(['2027-01-05T10:00:00+02:00', '2027-01-05T10:30:00+02:00', '2027-01-05T11:00:00+02:00', '2027-01-05T11:30:00+02:00']);
  });

  it('filters by kind: tutoring gives only weekly-rule slots, no kind gives both', async () => {
    const tutoring = await slots({ kind: 'tutoring' }).expect(200);
    expect(tutoring.body.items.length).toBeGreaterThan(0);
    expect(tutoring.body.items.every((s: { kind: string }) => s.kind === 'tutoring')).toBe(true);
    const both = await slots({}).expect(200);
    expect(both.body.items.length).toBe(tutoring.body.items.length + 8);
  });

  it('filters advisory slots by the claim topics and languages, not the advisors own', async () => {
    expect((await slots({ kind: 'advisory', topic: 'taxes', language: 'sv' }).expect(200)).body.items).toHaveLength(8);
    expect((await slots({ kind: 'advisory', topic: 'email' }).expect(200)).body.items).toHaveLength(0);
    expect((await slots({ kind: 'advisory', language: 'en' }).expect(200)).body.items).toHaveLength(0);
  });

  it('leaves out an advisor absent during part of the claim, and an advisor already booked', async () => {
    const [{ id: absenceId }] = await t.db.query(
      `INSERT INTO tutor_absences (tutor_id, starts_at, ends_at, reason) VALUES ($1, '2027-01-05T11:00:00+02:00', '2027-01-05T12:00:00+02:00', 'sick') RETURNING id`,
      [anna.id],
    );
    const res = await slots({ kind: 'advisory' }).expect(200);
    const annas = res.body.items.filter((s: { tutorId: string }) => s.tutorId === anna.id).map((s: { start: string }) => s.start);
    expect(annas).toEqual(['2027-01-05T10:00:00+02:00', '2027-01-05T10:30:00+02:00']);
    await t.db.query(`DELETE FROM tutor_absences WHERE id = $1`, [absenceId]);
    expect((await slots({ kind: 'advisory' }).expect(200)).body.items).toHaveLength(8);
  });

  it('honours minimum notice and the closing of the branch', async () => {
    t.clock.set('2027-01-05T07:00:00Z'); // 09:00 Helsinki: with 120 min notice, 11:00 is the first
    try {
      const res = await slots({ kind: 'advisory' }).expect(200);
      expect([...new Set(res.body.items.map((s: { start: string }) => s.start))]).toEqual(['2027-01-05T11:00:00+02:00', '2027-01-05T11:30:00+02:00']);
    } finally {
      t.clock.set(BOOKING_NOW);
    }
    const [{ id }] = await t.db.query(
      `INSERT INTO location_closures (location_id, during, reason) VALUES ($1, tstzrange('2027-01-05T10:00:00+02:00', '2027-01-05T11:00:00+02:00'), '{"fi":"Remontti"}') RETURNING id`,
      [w.location.id],
    );
    const res = await slots({ kind: 'advisory' }).expect(200);
    expect([...new Set(res.body.items.map((s: { start: string }) => s.start))]).toEqual(['2027-01-05T11:00:00+02:00', '2027-01-05T11:30:00+02:00']);
    await t.db.query(`DELETE FROM location_closures WHERE id = $1`, [id]);
  });

  it('shows a change to the claim at once: a cancelled claim gives no slots, a requested one none either', async () => {
    const other = await newClaim(t, {
      partnerId,
      locationId: w.location.id,
      start: '2027-01-08T10:00:00+02:00',
      end: '2027-01-08T11:00:00+02:00',
      advisorIds: [anna.id],
      sessionMinutes: 60,
    });
    const day = { from: '2027-01-08', to: '2027-01-08', kind: 'advisory' };
    expect((await slots(day).expect(200)).body.items.map((s: { claimId: string }) => s.claimId)).toEqual([other.id]);
    await setClaimStatus(t, other.id, 'cancelled', 'Sairastapaus');
    expect((await slots(day).expect(200)).body.items).toEqual([]);
    const requested = await newClaim(t, { partnerId, locationId: w.location.id, start: '2027-01-08T10:00:00+02:00', end: '2027-01-08T11:00:00+02:00', advisorIds: [anna.id], sessionMinutes: 60, status: 'requested' });
    expect((await slots(day).expect(200)).body.items).toEqual([]);
    await setClaimStatus(t, requested.id, 'approved');
    expect((await slots(day).expect(200)).body.items.map((s: { claimId: string }) => s.claimId)).toEqual([requested.id]);
    await t.db.query(`UPDATE claim_advisors SET approved = false WHERE claim_id = $1`, [requested.id]);
    await t.db.query(`DELETE FROM claim_advisors WHERE claim_id = $1`, [requested.id]);
    expect((await slots(day).expect(200)).body.items).toEqual([]);
  });

  it('gives drop-in claims and advisors weekly rules no slots', async () => {
    await newClaim(t, { partnerId, locationId: w.location.id, start: '2027-01-07T10:00:00+02:00', end: '2027-01-07T12:00:00+02:00', advisorIds: [bertil.id], mode: 'drop-in' });
    const day = { from: '2027-01-07', to: '2027-01-07' };
    expect((await slots({ ...day, kind: 'advisory' }).expect(200)).body.items).toEqual([]);
    const ruled = await newTutor(t, { kind: 'advisor', partnerId, locationIds: [w.location.id], rules: [{ locationId: w.location.id, weekday: 4, startTime: '15:00', endTime: '16:00' }] });
    const res = await slots(day).expect(200);
    expect(res.body.items.some((s: { tutorId: string }) => s.tutorId === ruled.id)).toBe(false);
  });

  it('shows approved drop-in claims in the opening hours of their day, with the partner named in fi, sv and en', async () => {
    await nameTaxAdministration(t, partnerId);
    const dropIn = await newClaim(t, {
      partnerId,
      locationId: w.location.id,
      start: '2027-01-12T10:00:00+02:00',
      end: '2027-01-12T12:00:00+02:00',
      advisorIds: [bertil.id],
      mode: 'drop-in',
      topics: ['taxes', 'email'],
      languages: ['fi', 'sv'],
    });
    await newClaim(t, { partnerId, locationId: w.location.id, start: '2027-01-13T10:00:00+02:00', end: '2027-01-13T11:00:00+02:00', advisorIds: [bertil.id], mode: 'drop-in', status: 'withdrawn' });
    const res = await t.http.get(`/api/v1/locations/${w.location.id}/opening-hours`).query({ from: '2027-01-11', to: '2027-01-13' }).expect(200);
    const byDate = Object.fromEntries(res.body.items.map((d: { date: string }) => [d.date, d]));
    expect(byDate['2027-01-11'].dropIn).toBeUndefined();
    expect(byDate['2027-01-13'].dropIn).toBeUndefined();
    expect(byDate['2027-01-12']).toEqual({
      date: '2027-01-12',
      hours: [['09:00', '19:00']],
      dropIn: [
        {
          claimId: dropIn.id,
          partnerId,
          partnerName: { fi: 'Verohallinto', sv: 'Skatteförvaltningen', en: 'Tax Administration' },
          start: '2027-01-12T10:00:00+02:00',
          end: '2027-01-12T12:00:00+02:00',
          topics: expect.arrayContaining(['taxes', 'email']),
          languages: ['fi', 'sv'],
          roomId: null,
        },
      ],
    });
    // Drop-in hours are not slots.
    expect((await slots({ from: '2027-01-12', to: '2027-01-12', kind: 'advisory' }).expect(200)).body.items).toEqual([]);
  });

  it('still answers 422 for an unknown kind', async () => {
    await slots({ kind: 'partner' }).expect(422);
  });
});
