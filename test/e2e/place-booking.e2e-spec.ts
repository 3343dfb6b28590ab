import { randomBytes, randomUUID } from 'node:crypto';
import type { QueryRunner } from 'typeorm';
import { BookingsRepository, PlaceBookingCall, PLACE_BOOKING_SQL, placeBookingValues } from '../../src/modules/bookings/bookings.repository';
import { advisoryLockKey } from '../../src/modules/bookings/secrets';
import { bookingBody, BookingWorld, bookingWorld, BOOKING_NOW, placeBookingCall, uniquePhone } from '../support/booking-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait-until';

/**
 * The booking statement place_booking on its own (the service's calls are covered by the
 * bookings e2e specs): the refusals the service cannot easily provoke through HTTP, each leaving
 * no booking behind.
 */
describe('place_booking: refusals that write no booking', () => {
  let t: TestApp;
  let w: BookingWorld;
  let repo: BookingsRepository;
  const START = new Date('2027-01-11T08:00:00Z');
  const END = new Date('2027-01-11T08:45:00Z');

  beforeAll(async () => {
    t = await startTestApp({ now: BOOKING_NOW });
    w = await bookingWorld(t);
    repo = t.app.get(BookingsRepository);
  });
  afterAll(() => t.close());

  const version = async () => (await t.db.query(`SELECT version::text AS v FROM search_input_version`))[0].v as string;
  const call = (over: Partial<PlaceBookingCall> = {}) => placeBookingCall(t, w.location.id, { start: START, end: END, tutorIds: [w.matti.id], reference: 'TST-001' }, over);
  const bookingsAt = async () => (await t.db.query(`SELECT count(*)::int AS n FROM bookings WHERE lower(during) = $1`, [START]))[0].n as number;

  it('a snapshot older than the database: stale, with the current version', async () => {
    const current = await version();
    expect(await repo.placeBooking(await call({ expectedVersion: String(BigInt(current) - 1n) }))).toEqual({ outcome: 'stale', version: current });
    expect(await bookingsAt()).toBe(0);
  });

  it('a reference drawn twice: reference-taken (the service draws another), the rate-limit hit still counted', async () => {
    const first = await t.http.post('/api/v1/bookings').send(bookingBody(w.location.id, '2027-01-12T10:00:00+02:00')).expect(201);
    const rateLimits = { keys: ['booking:ip:test-reference'], limits: [10], windowStart: new Date(BOOKING_NOW) };
    const c = await call({ rateLimits });
    expect(await repo.placeBooking({ ...c, booking: { ...c.booking, reference: first.body.reference } })).toEqual({ outcome: 'reference-taken' });
    expect(await bookingsAt()).toBe(0);
    expect(await t.db.query(`SELECT hits FROM rate_limit_counters WHERE key = 'booking:ip:test-reference'`)).toEqual([{ hits: 1 }]);
  });

  it('the same Idempotency-Key still running elsewhere: in-progress', async () => {
    const key = `bookings:${randomUUID()}`;
    const runner = t.db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await runner.query(`SELECT pg_advisory_xact_lock($1::bigint)`, [advisoryLockKey('idempotency', key)]);
      const idempotency = { key, lock: advisoryLockKey('idempotency', key), requestHash: randomBytes(32), freshAfter: new Date(0), responses: [randomBytes(40)] };
      expect(await repo.placeBooking(await call({ idempotency }))).toEqual({ outcome: 'in-progress' });
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    expect(await bookingsAt()).toBe(0);
    expect(await t.db.query(`SELECT 1 FROM idempotency_keys WHERE key = $1`, [key])).toEqual([]);
  });

  it.each(['location', 'tutor'] as const)('a change holding the %s guard lock: the request waits for it, then answers stale with the version it committed', async (kind) => {
    const change = t.db.createQueryRunner();
    await change.connect();
    try {
      await change.startTransaction();
      await change.query(`SELECT pg_advisory_xact_lock(booking_guard_key($1, $2::uuid))`, [kind, kind === 'location' ? w.location.id : w.matti.id]);
      const answer = repo.placeBooking(await call());
      await waitUntil(async () => (await t.db.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%place_booking%'`)).length === 1);
      await change.query(`UPDATE search_input_version SET version = version + 1`);
      const [{ v }] = await change.query(`SELECT version::text AS v FROM search_input_version`);
      await change.commitTransaction();
      expect(await answer).toEqual({ outcome: 'stale', version: v });
    } finally {
      if (change.isTransactionActive) await change.rollbackTransaction();
      await change.release();
    }
    expect(await bookingsAt()).toBe(0);
  });

  it('the contact at its cap: limit-reached with the count; then a free candidate is booked', async () => {
    const phone = uniquePhone();
    for (const start of ['2027-01-13T10:00:00+02:00', '2027-01-13T11:00:00+02:00']) {
      await t.http.post('/api/v1/bookings').send(bookingBody(w.location.id, start, { resident: { name: 'Aino', phone, email: null, language: 'fi' } })).expect(201);
    }
    const c = await call();
    const capped = { ...c, booking: { ...c.booking, residentPhone: phone }, contactLocks: [advisoryLockKey('contact', `phone:${phone}`)] };
    expect(await repo.placeBooking(capped)).toEqual({ outcome: 'limit-reached', held: 2 });
    expect(await bookingsAt()).toBe(0);
    // The first candidate absent, the second free: the second is placed.
    await t.db.query(`INSERT INTO tutor_absences (tutor_id, starts_at, ends_at, reason) VALUES ($1, $2, $3, 'Loma')`, [w.matti.id, START, END]);
    const two = await call({ candidates: [{ tutorId: w.matti.id, end: END, payload: {} }, { tutorId: w.liisa.id, end: END, payload: {} }] });
    expect(await repo.placeBooking(two)).toEqual({ outcome: 'booked', placed: 1 });
    expect(await t.db.query(`SELECT tutor_id FROM bookings WHERE lower(during) = $1`, [START])).toEqual([{ tutor_id: w.liisa.id }]);
  });

  it('a conflict other than the tutor or the reference (a manage token hash already stored) is an error, not another decision', async () => {
    const stored = (await t.db.query(`SELECT manage_token_hash FROM bookings WHERE manage_token_hash IS NOT NULL LIMIT 1`))[0].manage_token_hash as Buffer;
    const start = new Date('2027-01-18T08:00:00Z');
    const c = await placeBookingCall(t, w.location.id, { start, end: new Date(start.getTime() + 45 * 60_000), tutorIds: [w.matti.id], reference: 'TST-002' });
    await expect(repo.placeBooking({ ...c, booking: { ...c.booking, manageTokenHash: stored } })).rejects.toMatchObject({ code: '23505', constraint: 'bookings_manage_token_key' });
    expect(await t.db.query(`SELECT count(*)::int AS n FROM bookings WHERE lower(during) = $1`, [start])).toEqual([{ n: 0 }]);
  });
  it('one-request bookings of a tutor at the same time take turns: one booked, the others refused, none fails', async () => {
    const start = new Date('2027-01-20T08:00:00Z');
    const slot = { start, end: new Date(start.getTime() + 45 * 60_000), tutorIds: [w.matti.id] };
    const calls = await Promise.all(Array.from({ length: 8 }, (_, i) => placeBookingCall(t, w.location.id, { ...slot, reference: `TST-TT${i}` }, { namedTutorId: w.matti.id })));
    // As after a failed batch: each request alone, all at once, on connections of their own.
    const outcomes = await Promise.all(
      calls.map((c) =>
        t.db.query(PLACE_BOOKING_SQL, placeBookingValues(c)).then(
          (rows: { o_outcome: string }[]) => rows[0].o_outcome,
          (error: { code?: string }) => `error ${error.code}`,
        ),
      ),
    );
    // `none` when the booking committed between decide_booking's read of the named tutor and its
    // look-up of the candidate; the service answers both with 409 slot-taken.
    expect(outcomes.filter((o) => o === 'booked')).toHaveLength(1);
    expect(outcomes.filter((o) => o !== 'booked' && o !== 'taken' && o !== 'none')).toEqual([]);
    expect(await t.db.query(`SELECT count(*)::int AS n FROM bookings WHERE tutor_id = $1 AND lower(during) = $2`, [w.matti.id, start])).toEqual([{ n: 1 }]);
  });

  it('a deadlock with another writer in the INSERT: decided again once the other commits (taken), not an error', async () => {
    const at = (minutes: number) => new Date(Date.parse('2027-01-19T08:00:00Z') + minutes * 60_000);
    const mine = await placeBookingCall(t, w.location.id, { start: at(0), end: at(45), tutorIds: [w.matti.id], reference: 'TST-DL0' }, { namedTutorId: w.matti.id });
    const topicId = mine.booking.topicId;
    // Another writer that does not take turns (e.g. a staff reschedule): plain INSERTs of Matti
    // at 07:30–08:15 and 08:30–09:15, each overlapping this request's 08:00–08:45, not each other.
    const insertOther = (runner: QueryRunner, from: number, reference: string) =>
      runner.query(
        `INSERT INTO bookings (reference, location_id, tutor_id, topic_id, language, during, resident_name, resident_phone)
         VALUES ($1, $2, $3, $4, 'fi', tstzrange($5, $6), 'Toinen', $7)`,
        [reference, w.location.id, w.matti.id, topicId, at(from), at(from + 45), uniquePhone()],
      );
    const other = t.db.createQueryRunner();
    await other.connect();
    try {
      await other.startTransaction();
      // Only this request's session may find the deadlock, so it is the one whose wait ends.
      await other.query(`SET LOCAL deadlock_timeout = '30s'`);
      await insertOther(other, -30, 'TST-DL1');
      // This request cannot see that booking: its INSERT waits for it in the exclusion check.
      const answer = t.db.query(PLACE_BOOKING_SQL, placeBookingValues(mine)).then(
        (rows: { o_outcome: string }[]) => rows[0].o_outcome,
        (error: { code?: string }) => `error ${error.code}`,
      );
      await waitUntil(async () => (await t.db.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%place_booking(%'`)).length === 1);
      // The other writer's second booking now waits for this request's row: each waits for the
      // other, and PostgreSQL ends this request's wait (deadlock_detected) after a second.
      await insertOther(other, 30, 'TST-DL2');
      await other.commitTransaction();
      expect(await answer).toBe('taken');
    } finally {
      if (other.isTransactionActive) await other.rollbackTransaction();
      await other.release();
    }
    expect(await t.db.query(`SELECT reference FROM bookings WHERE reference LIKE 'TST-DL%' ORDER BY reference`)).toEqual([{ reference: 'TST-DL1' }, { reference: 'TST-DL2' }]);
  });
});
