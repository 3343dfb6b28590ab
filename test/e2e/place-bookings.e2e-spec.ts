import { randomBytes, randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { BookingsRepository, PlaceBookingCall, placeBookingsJson, PLACE_BOOKINGS_SQL } from '../../src/modules/bookings/bookings.repository';
import { newReference } from '../../src/modules/bookings/rules/reference';
import { advisoryLockKey } from '../../src/modules/bookings/secrets';
import { BookingWorld, bookingWorld, BOOKING_NOW, placeBookingCall } from '../support/booking-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Booking requests that arrive while a booking statement is in flight go out together, in one
 * transaction (place_bookings, migrations 1763900008000 and 1763900009000; the repository's
 * writer). Each is decided as if it came alone, seeing the bookings decided before it in the
 * batch although they are inserted only at its end; one that fails or waits in the database
 * does so alone.
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
  const together = async (calls: PlaceBookingCall[]) =>
    ((await t.db.query(PLACE_BOOKINGS_SQL, [placeBookingsJson(calls)])) as { o_index: number; o_outcome: string; o_placed: number | null; o_held: number | null }[]).map(
      (r) => [r.o_outcome, r.o_placed, r.o_held] as const,
    );
  /** Names of the booking statements sent while `run` ran: `together N` for a batch of N, else place_booking. */
  const statementsDuring = async <T>(run: () => Promise<T>): Promise<{ result: T; names: (string | undefined)[] }> => {
    const send = jest.spyOn(pool(), 'query');
    try {
      const result = await run();
      const names = send.mock.calls
        .map(([q]) => {
          const config = q as unknown as { name?: string; values?: unknown[] };
          return config.name === 'place_bookings' ? `together ${(JSON.parse(config.values![0] as string) as unknown[]).length}` : config.name;
        })
        .filter((name) => name?.startsWith('together') || name === 'place_booking');
      return { result, names };
    } finally {
      send.mockRestore();
    }
  };

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

  it('counts the bookings decided earlier in the batch: the contact cap, a tutor taken, a reference drawn twice', async () => {
    const start = '2027-02-04T08:00:00Z';
    // The same resident three times at three times (cap 2): the third is over the cap, counting
    // the two bookings of this batch that are not inserted yet.
    const first = await call(start, w.matti.id);
    const contact = { contactLocks: first.contactLocks, booking: { ...first.booking } };
    const second = await call('2027-02-04T09:00:00Z', w.matti.id);
    second.contactLocks = contact.contactLocks;
    second.booking = { ...second.booking, residentPhone: contact.booking.residentPhone };
    const third = await call('2027-02-04T10:00:00Z', w.matti.id);
    third.contactLocks = contact.contactLocks;
    third.booking = { ...third.booking, residentPhone: contact.booking.residentPhone };
    // Anyone tutor: Matti is taken by the first call of the batch, so Liisa gets it.
    const anyone = await call(start, w.matti.id, { namedTutorId: undefined });
    anyone.candidates = [w.matti.id, w.liisa.id].map((tutorId) => ({ tutorId, end: new Date(new Date(start).getTime() + 45 * 60_000), payload: { tutorId } }));
    // The reference the first call drew.
    const sameReference = await call('2027-02-04T11:00:00Z', w.liisa.id);
    sameReference.booking = { ...sameReference.booking, reference: first.booking.reference };

    expect(await together([first, second, third, anyone, sameReference])).toEqual([
      ['booked', 1, 0],
      ['booked', 1, 1],
      ['limit-reached', null, 2],
      ['booked', 2, 0],
      ['reference-taken', null, 0],
    ]);
    expect(await activeAt(start)).toEqual(
      [
        { tutor_id: w.matti.id, reference: first.booking.reference },
        { tutor_id: w.liisa.id, reference: anyone.booking.reference },
      ].sort((a, b) => a.tutor_id.localeCompare(b.tutor_id)),
    );
    // Each booking has its created event, with its candidate's payload.
    const events = (await t.db.query(
      `SELECT b.reference, e.type, e.actor_type, e.payload FROM booking_events e JOIN bookings b ON b.id = e.booking_id WHERE b.id = ANY($1) ORDER BY e.id`,
      [[first, second, anyone].map((c) => c.booking.id)],
    )) as { reference: string; type: string; actor_type: string; payload: unknown }[];
    expect(events).toEqual([
      { reference: first.booking.reference, type: 'created', actor_type: 'resident', payload: {} },
      { reference: second.booking.reference, type: 'created', actor_type: 'resident', payload: {} },
      { reference: anyone.booking.reference, type: 'created', actor_type: 'resident', payload: { tutorId: w.liisa.id } },
    ]);
  });

  it('finds what the INSERT would: a committed booking overlapping the session, a reference in use', async () => {
    // Matti has a booking 08:30–09:15; a 08:00–08:45 session with him overlaps it (not `taken`:
    // it does not cover 08:00), so he is skipped and nobody is left.
    const earlier = await call('2027-02-05T08:30:00Z', w.matti.id);
    expect(await together([earlier])).toEqual([['booked', 1, 0]]);
    const overlapping = await call('2027-02-05T08:00:00Z', w.matti.id);
    const taken = await call('2027-02-05T08:30:00Z', w.matti.id);
    const reused = await call('2027-02-05T10:00:00Z', w.liisa.id);
    reused.booking = { ...reused.booking, reference: earlier.booking.reference };

    expect(await together([overlapping, taken, reused])).toEqual([
      ['none', null, 0],
      ['taken', null, null],
      ['reference-taken', null, 0],
    ]);
    expect(await activeAt('2027-02-05T08:00:00Z')).toEqual([]);
    expect(await activeAt('2027-02-05T10:00:00Z')).toEqual([]);
  });

  it('stores each booking’s idempotent response, and answers a key used twice in the batch as a replay', async () => {
    const key = `bookings:${randomUUID()}`;
    const idempotency = { key, lock: advisoryLockKey('idempotency', key), requestHash: randomBytes(32), freshAfter: new Date(0), responses: [randomBytes(40)] };
    const otherKey = `bookings:${randomUUID()}`;
    const other = { key: otherKey, lock: advisoryLockKey('idempotency', otherKey), requestHash: randomBytes(32), freshAfter: new Date(0), responses: [randomBytes(40)] };
    const a = await call('2027-02-08T08:00:00Z', w.matti.id, { idempotency: other });
    const b = await call('2027-02-08T09:00:00Z', w.matti.id, { idempotency });
    const again = { ...(await call('2027-02-08T10:00:00Z', w.matti.id)), idempotency };

    const rows = (await t.db.query(PLACE_BOOKINGS_SQL, [placeBookingsJson([a, b, again])])) as { o_outcome: string; o_stored_response: Buffer | null }[];

    expect(rows.map((r) => r.o_outcome)).toEqual(['booked', 'booked', 'replay']);
    expect(Buffer.compare(rows[2].o_stored_response!, idempotency.responses[0])).toBe(0);
    const stored = (await t.db.query(`SELECT key, status_code, request_hash, response_encrypted FROM idempotency_keys WHERE key = ANY($1) ORDER BY key`, [[key, otherKey]])) as {
      key: string;
      status_code: number;
      request_hash: Buffer;
      response_encrypted: Buffer;
    }[];
    expect(stored.map((s) => [s.key, s.status_code])).toEqual([[key, 201], [otherKey, 201]].sort((x, y) => String(x[0]).localeCompare(String(y[0]))));
    const byKey = new Map(stored.map((s) => [s.key, s]));
    expect(Buffer.compare(byKey.get(otherKey)!.response_encrypted, other.responses[0])).toBe(0);
    expect(Buffer.compare(byKey.get(key)!.request_hash, idempotency.requestHash)).toBe(0);
    expect(await activeAt('2027-02-08T10:00:00Z')).toEqual([]);
  });

  it.each([
    ['naming Matti is answered `taken`', '2027-02-09', false, { outcome: 'taken' }],
    ['for anyone gets the next candidate', '2027-02-10', true, { outcome: 'booked', placed: 1 }],
  ])('a booking another transaction inserts between the look-up and the INSERT fails the batch; each request is then decided alone: one %s', async (_, day, anyone, expected) => {
    const start = `${day}T08:00:00Z`;
    const opener = await call(`${day}T12:00:00Z`, w.liisa.id);
    const contested = await call(start, w.matti.id);
    if (anyone) {
      contested.namedTutorId = undefined;
      contested.candidates = [w.matti.id, w.liisa.id].map((tutorId) => ({ tutorId, end: new Date(new Date(start).getTime() + 45 * 60_000), payload: {} }));
    }
    const bystander = await call(`${day}T09:00:00Z`, w.liisa.id);
    const rival = await call(start, w.matti.id);
    const holder = t.db.createQueryRunner();
    await holder.connect();
    try {
      // Another instance's booking of Matti at the same time, not yet committed: the batch's
      // look-up cannot see it, its INSERT must wait for it.
      await holder.startTransaction();
      expect((await holder.query(PLACE_BOOKINGS_SQL, [placeBookingsJson([rival])]))[0].o_outcome).toBe('booked');

      const { result, names } = await statementsDuring(async () => {
        const first = repo.placeBooking(opener); // goes alone; the next two queue behind it
        const contestedAnswer = repo.placeBooking(contested);
        const bystanderAnswer = repo.placeBooking(bystander);
        expect(await first).toEqual({ outcome: 'booked', placed: 0 });
        // The batch waits at most its lock timeout, fails, and each request goes alone: the
        // bystander is booked while the contested one still waits for the rival transaction.
        expect(await bystanderAnswer).toEqual({ outcome: 'booked', placed: 0 });
        await holder.commitTransaction();
        return contestedAnswer;
      });

      // place_booking's INSERT met the rival's booking once it committed, and decided again.
      expect(result).toEqual(expected);
      expect(names).toEqual(['together 1', 'together 2', 'place_booking', 'place_booking']);
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
    }
    const rivalRow = { tutor_id: w.matti.id, reference: rival.booking.reference };
    const contestedRow = { tutor_id: w.liisa.id, reference: contested.booking.reference };
    expect(await activeAt(start)).toEqual(anyone ? [rivalRow, contestedRow].sort((a, b) => a.tutor_id.localeCompare(b.tutor_id)) : [rivalRow]);
    expect((await activeAt(`${day}T09:00:00Z`)).length).toBe(1);
  });

  it('refuses JSON that is not an array of calls, and writes nothing', async () => {
    const before = (await t.db.query(`SELECT count(*)::int AS n FROM bookings`))[0].n as number;
    await expect(t.db.query(PLACE_BOOKINGS_SQL, [JSON.stringify({ not: 'an array' })])).rejects.toThrow(/array/);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM bookings`))[0].n).toBe(before);
  });
});
