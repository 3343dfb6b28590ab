import { randomBytes, randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { BookingsRepository, PlaceBookingCall, placeBookingsJson, PLACE_BOOKINGS_SQL } from '../../src/modules/bookings/bookings.repository';
import { newReference } from '../../src/modules/bookings/reference';
import { advisoryLockKey } from '../../src/modules/bookings/secrets';
import { BookingWorld, bookingWorld, BOOKING_NOW, placeBookingCall } from '../support/booking-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Booking requests that arrive while a booking statement is in flight go out together, in one
 * transaction (place_bookings, migration 1763900008000; the repository's writer). Each is
 * decided as if it came alone; one that fails or waits in the database does so alone.
 */
describe('place_bookings: several booking requests in one transaction', () => {
  let t: TestApp;
  let w: BookingWorld;
  let repo: BookingsRepository;

  beforeAll(async () => {
    t = await startTestApp({ now: BOOKING_NOW });
    w = await bookingWorld(t);
    repo = t.app.get(BookingsRepository);
  });
  afterAll(() => t.close());

  /** A call naming `tutorId` for the 45 minutes from `start`. */
  const call = (start: string, tutorId: string, over: Partial<PlaceBookingCall> = {}) => {
    const s = new Date(start);
    const slot = { start: s, end: new Date(s.getTime() + 45 * 60_000), tutorIds: [tutorId], reference: newReference() };
    return placeBookingCall(t, w.location.id, slot, { namedTutorId: tutorId, ...over });
  };
  const activeAt = async (start: string) =>
    (await t.db.query(`SELECT tutor_id, reference FROM bookings WHERE lower(during) = $1 AND status = 'confirmed' ORDER BY tutor_id`, [new Date(start)])) as {
      tutor_id: string;
      reference: string;
    }[];
  const pool = () => (t.db.driver as PostgresDriver).master as Pool;

  it('decides the calls in order, each seeing what the earlier ones wrote', async () => {
    const start = '2027-02-01T08:00:00Z';
    const key = `bookings:${randomUUID()}`;
    const idempotency = { key, lock: advisoryLockKey('idempotency', key), requestHash: randomBytes(32), freshAfter: new Date(0), responses: [randomBytes(60)] };
    const first = await call(start, w.matti.id, { idempotency });
    const sameSlot = await call(start, w.matti.id);
    const retry = { ...(await call(start, w.matti.id)), idempotency };
    const other = await call(start, w.liisa.id);

    const rows = await t.db.query(PLACE_BOOKINGS_SQL, [placeBookingsJson([first, sameSlot, retry, other])]);

    expect(rows.map((r: { o_index: number; o_outcome: string }) => [r.o_index, r.o_outcome])).toEqual([
      [1, 'booked'],
      [2, 'taken'],
      [3, 'replay'],
      [4, 'booked'],
    ]);
    // The replay carries what the first call stored, byte for byte.
    expect(Buffer.compare(rows[2].o_stored_hash, idempotency.requestHash)).toBe(0);
    expect(Buffer.compare(rows[2].o_stored_response, idempotency.responses[0])).toBe(0);
    expect(await activeAt(start)).toEqual(
      [
        { tutor_id: w.matti.id, reference: first.booking.reference },
        { tutor_id: w.liisa.id, reference: other.booking.reference },
      ].sort((a, b) => a.tutor_id.localeCompare(b.tutor_id)),
    );
  });

  it('sends the requests that queued up as one statement; one that fails in the database fails alone', async () => {
    const send = jest.spyOn(pool(), 'query');
    try {
      const starts = ['2027-02-02T08:00:00Z', '2027-02-02T09:00:00Z', '2027-02-02T10:00:00Z', '2027-02-02T11:00:00Z'];
      const first = await call(starts[0], w.matti.id);
      const b = await call(starts[1], w.matti.id);
      const bad = await call(starts[2], w.matti.id);
      bad.booking = { ...bad.booking, topicId: randomUUID() }; // no such topic: a foreign-key violation
      const c = await call(starts[3], w.matti.id);

      const answers = await Promise.allSettled([first, b, bad, c].map((x) => repo.placeBooking(x)));

      expect(answers[0]).toEqual({ status: 'fulfilled', value: { outcome: 'booked', placed: 0 } });
      expect(answers[1]).toEqual({ status: 'fulfilled', value: { outcome: 'booked', placed: 0 } });
      expect(answers[2]).toMatchObject({ status: 'rejected', reason: { code: '23503' } });
      expect(answers[3]).toEqual({ status: 'fulfilled', value: { outcome: 'booked', placed: 0 } });
      // The first went alone, the other three together; after the batch failed, each went alone.
      const names = send.mock.calls
        .map(([q]) => {
          const config = q as unknown as { name?: string; values?: unknown[] };
          return config.name === 'place_bookings' ? `together ${(JSON.parse(config.values![0] as string) as unknown[]).length}` : config.name;
        })
        .filter((name) => name?.startsWith('together') || name === 'place_booking');
      expect(names).toEqual(['together 1', 'together 3', 'place_booking', 'place_booking', 'place_booking']);
      for (const [i, start] of starts.entries()) expect((await activeAt(start)).length).toBe(i === 2 ? 0 : 1);
    } finally {
      send.mockRestore();
    }
  });

  it('a request that waits for a lock holds up the others for at most the lock timeout', async () => {
    const blocked = await call('2027-02-03T08:00:00Z', w.matti.id);
    const free = await call('2027-02-03T09:00:00Z', w.matti.id);
    const holder = t.db.createQueryRunner();
    await holder.connect();
    try {
      // Another session holds the first resident's contact lock (as a booking of theirs in progress would).
      await holder.query(`SELECT pg_advisory_lock($1::bigint)`, [blocked.contactLocks[0]]);
      let blockedSettled = false;
      const first = repo.placeBooking(blocked).finally(() => (blockedSettled = true));
      const second = repo.placeBooking(free);

      expect(await second).toEqual({ outcome: 'booked', placed: 0 });
      expect(blockedSettled).toBe(false);
      await holder.query(`SELECT pg_advisory_unlock($1::bigint)`, [blocked.contactLocks[0]]);
      expect(await first).toEqual({ outcome: 'booked', placed: 0 });
    } finally {
      await holder.query(`SELECT pg_advisory_unlock_all()`);
      await holder.release();
    }
    expect((await activeAt('2027-02-03T08:00:00Z')).length).toBe(1);
    expect((await activeAt('2027-02-03T09:00:00Z')).length).toBe(1);
  });

  it('refuses JSON that is not an array of calls, and writes nothing', async () => {
    const before = (await t.db.query(`SELECT count(*)::int AS n FROM bookings`))[0].n as number;
    await expect(t.db.query(PLACE_BOOKINGS_SQL, [JSON.stringify({ not: 'an array' })])).rejects.toThrow(/array/);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM bookings`))[0].n).toBe(before);
  });
});
