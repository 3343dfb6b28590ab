import { randomUUID } from 'node:crypto';
import { bookingBody, BookingWorld, bookingWorld, BOOKING_NOW, uniquePhone, weekdayRules } from '../support/booking-fixtures';
import { newLocation, newTutor } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Many requests at once, through the whole HTTP pipeline (Fastify's inject: no sockets, same
 * routing, pipes, guards and filters): PostgreSQL keeps every tutor out of overlapping bookings,
 * the per-contact cap and Idempotency-Key hold, and nothing answers 5xx.
 */
describe('bookings under concurrency', () => {
  let t: TestApp;
  let w: BookingWorld;
  jest.setTimeout(120_000);

  beforeAll(async () => {
    t = await startTestApp({ now: BOOKING_NOW, env: { TUKIAIKA_DB_POOL_SIZE: '10' } });
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    t.clock.set(BOOKING_NOW);
    w = await bookingWorld(t);
  });

  interface Answer {
    status: number;
    body: Record<string, unknown>;
  }
  const send = async (body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Answer> => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/bookings', payload: body, headers: { 'content-type': 'application/json', ...headers } });
    return { status: res.statusCode, body: res.json() };
  };
  /** Runs `tasks` with at most `concurrency` in flight. */
  const pool = async <T>(tasks: (() => Promise<T>)[], concurrency: number): Promise<T[]> => {
    const out: T[] = new Array(tasks.length);
    let next = 0;
    const worker = async () => {
      while (next < tasks.length) {
        const i = next++;
        out[i] = await tasks[i]();
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return out;
  };
  const tally = (answers: Answer[]) => {
    const counts: Record<string, number> = {};
    for (const a of answers) {
      const key = a.status === 201 ? '201' : `${a.status} ${String(a.body.type).replace('/problems/', '')}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  };
  /** Clean-ups a test registers; run after it, pass or fail. */
  let cleanups: (() => Promise<void>)[] = [];
  const afterThis = (fn: () => Promise<void>) => cleanups.push(fn);
  afterEach(async () => {
    for (const fn of cleanups.reverse()) await fn();
    cleanups = [];
  });
  const overlappingActivePairs = async () =>
    (
      await t.db.query(
        `SELECT count(*)::int AS n FROM bookings a JOIN bookings b ON a.tutor_id = b.tutor_id AND a.id < b.id AND a.during && b.during
         WHERE a.status IN ('confirmed', 'checked_in') AND b.status IN ('confirmed', 'checked_in')`,
      )
    )[0].n as number;

  it('stampede: 200 residents at once for one tutor’s slot → exactly one 201, the rest 409 slot-taken', async () => {
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        send(bookingBody(w.location.id, '2027-01-11T10:00:00+02:00', { tutorId: w.matti.id, resident: { name: `Asukas ${i}`, phone: uniquePhone(), language: 'fi' } })),
      ),
    );
    expect(tally(answers)).toEqual({ '201': 1, '409 slot-taken': 199 });
    const winner = answers.find((a) => a.status === 201)!;
    const rows = await t.db.query(`SELECT id, resident_name FROM bookings WHERE tutor_id = $1 AND status = 'confirmed'`, [w.matti.id]);
    expect(rows).toEqual([{ id: winner.body.id, resident_name: (winner.body.resident as { name: string }).name }]);
    expect(await t.db.query(`SELECT count(*)::int AS n FROM booking_events WHERE booking_id = $1`, [winner.body.id])).toEqual([{ n: 1 }]);
  });

  it('stampede without tutorId: 60 at once for a time three tutors share → exactly three 201s, one per tutor', async () => {
    const third = await newTutor(t, { displayName: 'Kolmas', locationIds: [w.location.id], topics: ['smartphone-tablet'], rules: weekdayRules(w.location.id) });
    const answers = await Promise.all(
      Array.from({ length: 60 }, () => send(bookingBody(w.location.id, '2027-01-12T11:00:00+02:00'))),
    );
    expect(tally(answers)).toEqual({ '201': 3, '409 no-tutor-available': 57 });
    const tutors = answers.filter((a) => a.status === 201).map((a) => (a.body.tutor as { id: string }).id);
    expect(tutors.sort()).toEqual([w.matti.id, w.liisa.id, third.id].sort());
  });

  it('the per-contact cap holds under concurrency: 10 bookings at once for one phone, cap 2 → exactly 2', async () => {
    const phone = uniquePhone();
    const week = (days: string[]) => days.flatMap((d) => [`2027-01-${d}T10:00:00+02:00`, `2027-01-${d}T11:00:00+02:00`]);
    const starts = week(['11', '12', '13', '14', '15']);
    const answers = await Promise.all(
      starts.map((start, i) => send(bookingBody(w.location.id, start, { resident: { name: 'Sama Asukas', phone: i % 2 ? phone : phone.replace('+358', '0'), language: 'fi' } }))),
    );
    expect(tally(answers)).toEqual({ '201': 2, '422 booking-limit-reached': 8 });
    expect(await t.db.query(`SELECT count(*)::int AS n FROM bookings WHERE resident_phone = $1`, [phone])).toEqual([{ n: 2 }]);
    // Two contacts of one resident serialise on both: e-mail and phone together.
    const email = `sama-${randomUUID()}@example.fi`;
    const mixed = await Promise.all(
      week(['18', '19', '20', '21', '22']).map((start, i) =>
        send(bookingBody(w.location.id, start, { tutorId: w.liisa.id, resident: { name: 'Toinen', phone: i % 3 === 0 ? null : uniquePhone(), email, language: 'fi' } })),
      ),
    );
    expect(tally(mixed)).toEqual({ '201': 2, '422 booking-limit-reached': 8 });
  });

  it('the same Idempotency-Key in parallel makes one booking; the others wait their turn (409) or get the same response', async () => {
    const key = randomUUID();
    const body = bookingBody(w.location.id, '2027-01-13T12:00:00+02:00', { tutorId: w.matti.id });
    const answers = await Promise.all(Array.from({ length: 12 }, () => send(body, { 'idempotency-key': key })));
    const counts = tally(answers);
    expect(Object.keys(counts).every((k) => k === '201' || k === '409 idempotency-in-progress')).toBe(true);
    expect(counts['201']).toBeGreaterThanOrEqual(1);
    const created = answers.filter((a) => a.status === 201);
    for (const a of created) expect(a.body).toEqual(created[0].body); // replays carry the same manageToken
    expect(created[0].body.manageToken).toEqual(expect.any(String));
    expect(await t.db.query(`SELECT id FROM bookings WHERE tutor_id = $1`, [w.matti.id])).toEqual([{ id: created[0].body.id }]);
    // Once it is done, every retry is a replay.
    expect(await send(body, { 'idempotency-key': key })).toEqual({ status: 201, body: created[0].body });
  });

  it('randomised: 2,000 bookings over 20 tutors with overlapping session grids, 50 at a time → no tutor in two active bookings', async () => {
    const branch = await newLocation(t, { weeklyHours: [{ days: { 1: [['09:00', '19:00']], 2: [['09:00', '19:00']], 3: [['09:00', '19:00']], 4: [['09:00', '19:00']], 5: [['09:00', '19:00']] } }] });
    const tutors: string[] = [];
    // Two grids per tutor, half an hour apart, so candidate sessions of one tutor overlap
    // (10:00–10:45 and 10:30–11:15) and only the bookings' exclusion constraint keeps them apart.
    // The tutors module forbids overlapping rules, so this test database drops that constraint.
    await t.db.query(`ALTER TABLE availability_rules DROP CONSTRAINT availability_rules_no_overlap`);
    afterThis(async () => {
      await t.db.query(`DELETE FROM availability_rules WHERE tutor_id = ANY($1::uuid[])`, [tutors]);
      await t.db.query(
        `ALTER TABLE availability_rules ADD CONSTRAINT availability_rules_no_overlap EXCLUDE USING gist (
           tutor_id WITH =, weekday WITH =, int4range(start_minute, end_minute) WITH &&, daterange(valid_from, valid_until, '[]') WITH &&)`,
      );
    });
    for (let i = 0; i < 20; i++) {
      const tutor = await newTutor(t, {
        locationIds: [branch.id],
        topics: ['smartphone-tablet'],
        rules: [...weekdayRules(branch.id, '10:00', '14:00'), ...weekdayRules(branch.id, '10:30', '14:30')],
      });
      tutors.push(tutor.id);
    }
    const starts = ['11', '12', '13', '14', '15'].flatMap((d) => ['10:00', '10:30', '11:00', '11:30', '12:00', '12:30', '13:00', '13:30'].map((hm) => `2027-01-${d}T${hm}:00+02:00`));
    let seed = 20270111;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const requests = Array.from({ length: 2000 }, () => ({
      start: starts[Math.floor(random() * starts.length)],
      tutorId: random() < 0.8 ? tutors[Math.floor(random() * tutors.length)] : null,
    }));
    const answers = await pool(
      requests.map((r) => () => send(bookingBody(branch.id, r.start, { tutorId: r.tutorId, resident: { name: 'Satunnainen', phone: uniquePhone(), email: null, language: 'fi' } }))),
      50,
    );
    const counts = tally(answers);
    expect(Object.keys(counts).sort()).toEqual(expect.arrayContaining(['201']));
    for (const k of Object.keys(counts)) expect(['201', '409 slot-taken', '409 no-tutor-available']).toContain(k);
    expect(counts['201']).toBeGreaterThan(200); // many booked…
    expect((counts['409 slot-taken'] ?? 0) + (counts['409 no-tutor-available'] ?? 0)).toBeGreaterThan(500); // …and many collided
    const active = await t.db.query(`SELECT count(*)::int AS n FROM bookings WHERE location_id = $1 AND status = 'confirmed'`, [branch.id]);
    expect(active).toEqual([{ n: counts['201'] }]);
    expect(await overlappingActivePairs()).toBe(0);
    // Every 201 is the booking the database holds.
    const ids = new Set((await t.db.query(`SELECT id FROM bookings WHERE location_id = $1`, [branch.id])).map((r: { id: string }) => r.id));
    expect(answers.filter((a) => a.status === 201).every((a) => ids.has(a.body.id as string))).toBe(true);
  });

  it('the overlap check above can fail: it sees a double booking written behind the constraint’s back', async () => {
    await t.db.query(`ALTER TABLE bookings DROP CONSTRAINT bookings_no_double_booking`);
    try {
      await send(bookingBody(w.location.id, '2027-01-15T10:00:00+02:00', { tutorId: w.matti.id }));
      await t.db.query(
        `INSERT INTO bookings (reference, location_id, tutor_id, topic_id, language, during, resident_name, resident_phone)
         SELECT 'ZZZ-ZZZ', $1, $2, id, 'fi', tstzrange('2027-01-15T08:30:00Z', '2027-01-15T09:15:00Z'), 'X', '+358401111111' FROM topics WHERE slug = 'email'`,
        [w.location.id, w.matti.id],
      );
      expect(await overlappingActivePairs()).toBe(1);
    } finally {
      await t.db.query(`DELETE FROM bookings WHERE reference = 'ZZZ-ZZZ'`);
      await t.db.query(
        `ALTER TABLE bookings ADD CONSTRAINT bookings_no_double_booking EXCLUDE USING gist (tutor_id WITH =, during WITH &&) WHERE (active)`,
      );
    }
  });
});
