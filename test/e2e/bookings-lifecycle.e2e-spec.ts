import { randomUUID } from 'node:crypto';
import type { QueryRunner } from 'typeorm';
import { bookingBody, BookingWorld, deskCast, BOOKING_NOW } from '../support/booking-fixtures';
import { newBooking, TestUser } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait-until';

/**
 * The booking lifecycle by staff and tutors (API.md's table): check-in, complete, no-show,
 * cancel, reschedule and a new manage link; each allowed change, each refused one (409
 * invalid-transition), scope (404), role (403), If-Match (412), two desks at once, and the
 * booking_events row every change writes.
 */
describe('bookings: lifecycle by staff and tutors', () => {
  let t: TestApp;
  let A: BookingWorld;
  let admin: TestUser;
  let staffA: TestUser;
  let staffB: TestUser;
  let tutorMatti: TestUser;
  let tutorLiisa: TestUser;
  let partner: TestUser;

  beforeAll(async () => {
    t = await startTestApp({ now: BOOKING_NOW });
    ({ A, admin, staffA, staffB, tutorMatti, tutorLiisa, partner } = await deskCast(t));
  });
  afterAll(() => t.close());
  beforeEach(() => t.clock.set(BOOKING_NOW));

  const act = (user: TestUser, id: string, action: string, body: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    t.http.post(`/api/v1/bookings/${id}/${action}`).set(user.auth).set(headers).send(body);
  /** A 45-minute booking of Matti (or Liisa) at A, inserted directly. */
  const booking = async (start: string, over: Partial<Parameters<typeof newBooking>[1]> = {}) =>
    newBooking(t, { locationId: A.location.id, tutorId: A.matti.id, start, end: new Date(Date.parse(start) + 45 * 60_000).toISOString(), ...over });
  const row = async (id: string) =>
    (await t.db.query(`SELECT status, outcome, lower(during) AS start, tutor_id, sequence, version FROM bookings WHERE id = $1`, [id]))[0] as {
      status: string;
      outcome: unknown;
      start: Date;
      tutor_id: string;
      sequence: number;
      version: number;
    };
  const events = async (id: string) =>
    (await t.db.query(`SELECT type, at, actor_type, actor_user_id, reason, payload FROM booking_events WHERE booking_id = $1 ORDER BY id`, [id])) as {
      type: string;
      at: Date;
      actor_type: string;
      actor_user_id: string | null;
      reason: string | null;
      payload: Record<string, unknown>;
    }[];
  const expectProblem = (res: { status: number; body: { type?: string } }, status: number, type: string) =>
    expect({ status: res.status, type: res.body.type }).toEqual({ status, type: `/problems/${type}` });
  const outcome = { topics: ['online-banking', 'smartphone-tablet'], referredTo: 'Kela', note: 'Pankkitunnukset kuntoon' };

  describe('check-in, complete', () => {
    it('checks in from 30 minutes before the start (a day early and 31 minutes early are 409), then completes with the outcome after the start', async () => {
      const b = await booking('2027-01-11T10:00:00+02:00');
      t.clock.set('2027-01-10T08:00:00Z');
      const dayEarly = await act(staffA, b.id, 'check-in');
      expectProblem(dayEarly, 409, 'invalid-transition');
      expect(dayEarly.body.detail).toBe('Check-in opens 30 minutes before the start.');
      t.clock.set('2027-01-11T07:29:00Z');
      expectProblem(await act(staffA, b.id, 'check-in'), 409, 'invalid-transition');
      expect((await row(b.id)).status).toBe('confirmed');
      expect(await events(b.id)).toEqual([]);

      t.clock.set('2027-01-11T07:30:00Z');
      const res = await act(staffA, b.id, 'check-in').expect(200);
      expect(res.body).toMatchObject({ id: b.id, status: 'checked_in', version: 2, outcome: null });
      expect(res.headers.etag).toBe('"2"');
      expect(await row(b.id)).toMatchObject({ status: 'checked_in', version: 2, sequence: 0 });
      expectProblem(await act(staffA, b.id, 'check-in'), 409, 'invalid-transition'); // twice
      expectProblem(await act(staffA, b.id, 'cancel', { reason: 'Liian myöhään' }), 409, 'invalid-transition'); // checked in: not cancelled
      expectProblem(await act(staffA, b.id, 'no-show'), 409, 'invalid-transition');

      t.clock.set('2027-01-11T07:59:00Z');
      expectProblem(await act(staffA, b.id, 'complete', { outcome }), 409, 'invalid-transition'); // before the start
      t.clock.set('2027-01-11T08:40:00Z');
      const done = await act(staffA, b.id, 'complete', { outcome }).expect(200);
      expect(done.body).toMatchObject({ status: 'completed', outcome, version: 3 });
      expect(await row(b.id)).toMatchObject({ status: 'completed', outcome, version: 3 });
      expectProblem(await act(staffA, b.id, 'complete', { outcome }), 409, 'invalid-transition');
      expectProblem(await act(staffA, b.id, 'no-show'), 409, 'invalid-transition');

      expect(await events(b.id)).toEqual([
        {
          type: 'checked_in',
          at: new Date('2027-01-11T07:30:00Z'),
          actor_type: 'user',
          actor_user_id: staffA.id,
          reason: null,
          payload: { from: 'confirmed', start: '2027-01-11T08:00:00.000Z', end: '2027-01-11T08:45:00.000Z', tutorId: A.matti.id },
        },
        {
          type: 'completed',
          at: new Date('2027-01-11T08:40:00Z'),
          actor_type: 'user',
          actor_user_id: staffA.id,
          reason: null,
          payload: { from: 'checked_in', start: '2027-01-11T08:00:00.000Z', end: '2027-01-11T08:45:00.000Z', tutorId: A.matti.id, outcome },
        },
      ]);
    });

    it('refuses a check-in once the session has ended; completes straight from confirmed', async () => {
      const b = await booking('2027-01-11T11:00:00+02:00');
      t.clock.set('2027-01-11T09:45:00Z'); // 11:45, the end
      expectProblem(await act(staffA, b.id, 'check-in'), 409, 'invalid-transition');
      const done = await act(staffA, b.id, 'complete', { outcome: { topics: ['email', 'email'] } }).expect(200);
      expect(done.body.outcome).toEqual({ topics: ['email'], referredTo: null, note: null });
    });

    it('validates the outcome: topics are known slugs (1 to 20); nothing changes on 422', async () => {
      const b = await booking('2027-01-11T12:00:00+02:00');
      t.clock.set('2027-01-11T10:30:00Z');
      const cases: [Record<string, unknown>, string, string][] = [
        [{ outcome: { topics: ['time-travel'] } }, 'outcome.topics', 'unknown-topic'],
        [{ outcome: { topics: [] } }, 'outcome.topics', 'min-length'],
        [{ outcome: { topics: ['Not A Slug'] } }, 'outcome.topics', 'matches'],
        [{ outcome: { topics: ['email'], note: 'x'.repeat(2001) } }, 'outcome.note', 'max-length'],
        [{}, 'outcome', 'required'],
      ];
      for (const [body, field, code] of cases) {
        const res = await act(staffA, b.id, 'complete', body);
        expect({ field, status: res.status, errors: res.body.errors }).toEqual({ field, status: 422, errors: expect.arrayContaining([expect.objectContaining({ field, code })]) });
      }
      expect(await row(b.id)).toMatchObject({ status: 'confirmed', outcome: null, version: 1 });
    });
  });

  describe('no-show', () => {
    it('is refused before the start and allowed from it; nothing follows a no-show', async () => {
      const b = await booking('2027-01-12T10:00:00+02:00');
      t.clock.set('2027-01-12T07:59:00Z');
      const early = await act(staffA, b.id, 'no-show');
      expectProblem(early, 409, 'invalid-transition');
      expect(early.body.detail).toBe('A no-show can be marked only once the session has started.');
      t.clock.set('2027-01-12T08:15:00Z');
      const res = await act(staffA, b.id, 'no-show').expect(200);
      expect(res.body).toMatchObject({ status: 'no_show', version: 2 });
      for (const [action, body] of [['check-in', {}], ['complete', { outcome }], ['no-show', {}], ['cancel', { reason: 'x' }], ['reschedule', { start: '2027-01-13T10:00:00+02:00' }]] as const) {
        expectProblem(await act(staffA, b.id, action, body), 409, 'invalid-transition');
      }
      expect((await events(b.id)).map((e) => [e.type, e.actor_user_id])).toEqual([['no_show', staffA.id]]);
    });
  });

  describe('cancel', () => {
    it('needs a reason; cancels before the end with the reason recorded; the time is free again; not twice, not a cancelled one completed', async () => {
      const made = await t.http.post('/api/v1/bookings').send(bookingBody(A.location.id, '2027-01-13T10:00:00+02:00', { tutorId: A.matti.id })).expect(201);
      const id = made.body.id as string;
      t.clock.set('2027-01-13T08:30:00Z'); // 10:30, the session is on (the resident's deadline is long past)
      const noReason = await act(staffA, id, 'cancel', {});
      expect(noReason.status).toBe(422);
      expect(noReason.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'reason', code: 'required' })]));
      expectProblem(await act(staffA, id, 'cancel', { reason: '   ' }), 422, 'validation-failed');

      const res = await act(staffA, id, 'cancel', { reason: ' Asukas soitti: sairastunut ' }).expect(200);
      expect(res.body).toMatchObject({ id, status: 'cancelled', version: 2 });
      expect(await row(id)).toMatchObject({ status: 'cancelled', sequence: 1, version: 2 });
      const [, cancelled] = await events(id);
      expect(cancelled).toEqual({
        type: 'cancelled',
        at: new Date('2027-01-13T08:30:00Z'),
        actor_type: 'user',
        actor_user_id: staffA.id,
        reason: 'Asukas soitti: sairastunut',
        payload: { from: 'confirmed', start: '2027-01-13T08:00:00.000Z', end: '2027-01-13T08:45:00.000Z', tutorId: A.matti.id },
      });
      // The resident's calendar file shows the cancellation.
      const ics = await t.http.get(`/api/v1/bookings/manage/${made.body.manageToken}/calendar.ics`).expect(200);
      expect(ics.text).toContain('STATUS:CANCELLED');
      expectProblem(await act(staffA, id, 'cancel', { reason: 'again' }), 409, 'invalid-transition');
      t.clock.set('2027-01-13T08:50:00Z');
      const completeCancelled = await act(staffA, id, 'complete', { outcome });
      expectProblem(completeCancelled, 409, 'invalid-transition');
      expect(completeCancelled.body.detail).toBe('A cancelled booking cannot be completed.');
      // The freed time is bookable on behalf again (minimum notice does not apply, but it has begun): a later one is.
      t.clock.set('2027-01-13T07:00:00Z');
      await t.http.post('/api/v1/bookings/staff').set(staffA.auth).send({ ...bookingBody(A.location.id, '2027-01-13T10:00:00+02:00', { tutorId: A.matti.id, consent: undefined }), channel: 'walk-in' }).expect(201);
    });

    it('is refused once the session has ended', async () => {
      const b = await booking('2027-01-13T11:00:00+02:00');
      t.clock.set('2027-01-13T09:45:00Z');
      expectProblem(await act(staffA, b.id, 'cancel', { reason: 'Liian myöhään' }), 409, 'invalid-transition');
      expect((await row(b.id)).status).toBe('confirmed');
    });
  });

  describe('reschedule by staff', () => {
    it('moves any time before the start, without minimum notice, keeping id, reference and token; atomic', async () => {
      const made = await t.http.post('/api/v1/bookings').send(bookingBody(A.location.id, '2027-01-14T10:00:00+02:00', { tutorId: A.matti.id })).expect(201);
      const id = made.body.id as string;
      t.clock.set('2027-01-14T07:30:00Z'); // 09:30: past the resident's deadline, 90 minutes before 11:00
      const resident = await t.http.post(`/api/v1/bookings/manage/${made.body.manageToken}/reschedule`).send({ start: '2027-01-14T11:00:00+02:00' });
      expectProblem(resident, 422, 'too-late-to-cancel');

      const res = await act(staffA, id, 'reschedule', { start: '2027-01-14T11:00:00+02:00' }).expect(200);
      expect(res.body).toMatchObject({ id, reference: made.body.reference, status: 'confirmed', start: '2027-01-14T11:00:00+02:00', end: '2027-01-14T11:45:00+02:00', tutor: { id: A.matti.id }, version: 2 });
      expect(res.headers.etag).toBe('"2"');
      expect((await t.http.get(`/api/v1/bookings/manage/${made.body.manageToken}`).expect(200)).body.start).toBe('2027-01-14T11:00:00+02:00');
      expect((await events(id)).slice(1)).toEqual([
        {
          type: 'rescheduled',
          at: new Date('2027-01-14T07:30:00Z'),
          actor_type: 'user',
          actor_user_id: staffA.id,
          reason: null,
          payload: {
            from: { start: '2027-01-14T08:00:00.000Z', end: '2027-01-14T08:45:00.000Z', tutorId: A.matti.id },
            to: { start: '2027-01-14T09:00:00.000Z', end: '2027-01-14T09:45:00.000Z', tutorId: A.matti.id },
          },
        },
      ]);

      // A taken time: 409, and the booking keeps its time. Off the grid: 422.
      await booking('2027-01-14T12:00:00+02:00');
      expectProblem(await act(staffA, id, 'reschedule', { start: '2027-01-14T12:00:00+02:00', tutorId: A.matti.id }), 409, 'slot-taken');
      expectProblem(await act(staffA, id, 'reschedule', { start: '2027-01-14T12:10:00+02:00' }), 422, 'not-on-slot-grid');
      expect((await row(id)).start.toISOString()).toBe('2027-01-14T09:00:00.000Z');
      // Another tutor on request.
      const toLiisa = await act(staffA, id, 'reschedule', { start: '2027-01-14T12:00:00+02:00', tutorId: A.liisa.id }).expect(200);
      expect(toLiisa.body.tutor).toEqual({ id: A.liisa.id, displayName: 'Liisa K.' });

      // Once the session has started it stays where it is.
      t.clock.set('2027-01-14T10:00:00Z');
      const started = await act(staffA, id, 'reschedule', { start: '2027-01-14T13:00:00+02:00' });
      expectProblem(started, 409, 'invalid-transition');
      expect((await row(id)).start.toISOString()).toBe('2027-01-14T10:00:00.000Z');
    });

    it.each([
      ['commits', '22', 409, '2027-01-22T08:00:00.000Z', 2],
      ['rolls back', '25', 200, '2027-01-25T10:00:00.000Z', 1],
    ] as const)('a deadlock with another writer in the move is undone and the time tried again, not a 500: the other %s → %i', async (end, day, status, startAfter, bookingsThen) => {
      const b = await booking(`2027-01-${day}T10:00:00+02:00`);
      const at = (minutes: number) => new Date(Date.parse(`2027-01-${day}T10:00:00Z`) + minutes * 60_000);
      // Another writer that does not take turns: plain INSERTs of Matti at 11:30–12:15 and
      // 12:30–13:15, each overlapping the move's 12:00–12:45, not each other.
      const insertOther = (runner: QueryRunner, from: number) =>
        runner.query(
          `INSERT INTO bookings (reference, location_id, tutor_id, topic_id, language, during, resident_name, resident_phone)
           SELECT $1, $2, $3, id, 'fi', tstzrange($4, $5), 'Toinen', $6 FROM topics WHERE slug = 'smartphone-tablet'`,
          [`D${day}-${from < 0 ? 'AAA' : 'BBB'}`, A.location.id, A.matti.id, at(from), at(from + 45), `+35840${String(from + 5_000_000)}`],
        );
      const other = t.db.createQueryRunner();
      await other.connect();
      try {
        await other.startTransaction();
        // Only the move's session may find the deadlock, so it is the one whose wait ends.
        await other.query(`SET LOCAL deadlock_timeout = '30s'`);
        await insertOther(other, -30);
        // The move cannot see that booking: its UPDATE waits for it in the exclusion check.
        const move = act(staffA, b.id, 'reschedule', { start: `2027-01-${day}T12:00:00+02:00`, tutorId: A.matti.id }).then((r) => r);
        await waitUntil(async () => (await t.db.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE bookings SET tutor_id%'`)).length === 1);
        // The other writer's second booking now waits for the moved row: each waits for the other,
        // and PostgreSQL ends the move's wait (deadlock_detected) after a second.
        await insertOther(other, 30);
        if (end === 'commits') await other.commitTransaction();
        else await other.rollbackTransaction();
        const answer = await move;
        if (status === 409) expectProblem(answer, 409, 'slot-taken');
        else expect(answer.status).toBe(200);
      } finally {
        if (other.isTransactionActive) await other.rollbackTransaction();
        await other.release();
      }
      expect((await row(b.id)).start.toISOString()).toBe(startAfter);
      expect((await events(b.id)).map((e) => e.type)).toEqual(status === 200 ? ['rescheduled'] : []);
      expect(await t.db.query(`SELECT count(*)::int AS n FROM bookings WHERE tutor_id = $1 AND during && tstzrange($2, $3)`, [A.matti.id, at(-30), at(75)])).toEqual([{ n: bookingsThen }]);
    });
  });

  describe('manage link', () => {
    it('gives a new token once; the old one dies at once, the new one works', async () => {
      const made = await t.http.post('/api/v1/bookings').send(bookingBody(A.location.id, '2027-01-15T10:00:00+02:00', { tutorId: A.matti.id })).expect(201);
      const old = made.body.manageToken as string;
      const res = await act(staffA, made.body.id, 'manage-link').expect(200);
      const fresh = res.body.manageToken as string;
      expect(fresh).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(fresh).not.toBe(old);
      expect(res.body).toMatchObject({ id: made.body.id, status: 'confirmed', version: 2 });
      expect(res.headers['cache-control']).toBe('no-store');
      expect((await t.http.get(`/api/v1/bookings/manage/${old}`)).status).toBe(404);
      expect((await t.http.post(`/api/v1/bookings/manage/${old}/cancel`).send({})).status).toBe(404);
      expect((await t.http.get(`/api/v1/bookings/manage/${fresh}`).expect(200)).body.id).toBe(made.body.id);
      // Shown once: not in later reads.
      expect((await t.http.get(`/api/v1/bookings/${made.body.id}`).set(staffA.auth).expect(200)).body).not.toHaveProperty('manageToken');
      expect((await events(made.body.id)).map((e) => [e.type, e.actor_type, e.actor_user_id])).toEqual([
        ['created', 'resident', null],
        ['manage_link_renewed', 'user', staffA.id],
      ]);
      // Not for a cancelled booking.
      await t.http.post(`/api/v1/bookings/manage/${fresh}/cancel`).send({}).expect(200);
      expectProblem(await act(staffA, made.body.id, 'manage-link'), 409, 'invalid-transition');
    });
  });

  describe('who may act', () => {
    it('a tutor acts on own sessions (check-in, complete, no-show) but neither cancels, moves nor renews links (403); other tutors’ sessions are 404', async () => {
      const mine = await booking('2027-01-18T10:00:00+02:00');
      const other = await booking('2027-01-18T11:00:00+02:00');
      t.clock.set('2027-01-18T08:05:00Z');
      for (const [action, body] of [['check-in', {}], ['complete', { outcome }], ['no-show', {}], ['cancel', { reason: 'x' }], ['reschedule', { start: '2027-01-19T10:00:00+02:00' }], ['manage-link', {}]] as const) {
        const res = await act(tutorLiisa, mine.id, action, body);
        expect({ action, status: res.status, type: res.body.type }).toEqual({ action, status: 404, type: '/problems/not-found' });
      }
      for (const [action, body] of [['cancel', { reason: 'x' }], ['reschedule', { start: '2027-01-19T10:00:00+02:00' }], ['manage-link', {}]] as const) {
        const res = await act(tutorMatti, mine.id, action, body);
        expect({ action, status: res.status, type: res.body.type }).toEqual({ action, status: 403, type: '/problems/forbidden' });
      }
      expect(await row(mine.id)).toMatchObject({ status: 'confirmed', version: 1 });
      await act(tutorMatti, mine.id, 'check-in').expect(200);
      const done = await act(tutorMatti, mine.id, 'complete', { outcome: { topics: ['smartphone-tablet'] } }).expect(200);
      expect(done.body.status).toBe('completed');
      await act(tutorMatti, other.id, 'no-show').expect(409); // 11:00 has not started
      expect((await events(mine.id)).map((e) => e.actor_user_id)).toEqual([tutorMatti.id, tutorMatti.id]);
    });

    it('staff of another branch and partners get 404 for every action; unknown ids 404; no token 401', async () => {
      const b = await booking('2027-01-18T12:00:00+02:00');
      t.clock.set('2027-01-18T10:05:00Z');
      const actions = [['check-in', {}], ['complete', { outcome }], ['no-show', {}], ['cancel', { reason: 'x' }], ['reschedule', { start: '2027-01-19T12:00:00+02:00' }], ['manage-link', {}]] as const;
      for (const user of [staffB, partner]) {
        for (const [action, body] of actions) {
          const res = await act(user, b.id, action, body);
          expect({ user: user.email, action, status: res.status }).toEqual({ user: user.email, action, status: 404 });
        }
      }
      for (const [action, body] of actions) {
        expect((await act(admin, randomUUID(), action, body)).status).toBe(404);
        expect((await t.http.post(`/api/v1/bookings/${b.id}/${action}`).send(body)).status).toBe(401);
      }
      expect(await row(b.id)).toMatchObject({ status: 'confirmed', version: 1 });
      expect(await events(b.id)).toEqual([]);
      // An admin may.
      await act(admin, b.id, 'no-show').expect(200);
    });
  });

  describe('concurrency', () => {
    it('If-Match names the version read: 412 when stale (nothing changes), the change when current', async () => {
      const b = await booking('2027-01-19T10:00:00+02:00');
      t.clock.set('2027-01-19T07:45:00Z');
      const read = await t.http.get(`/api/v1/bookings/${b.id}`).set(staffA.auth).expect(200);
      expect(read.headers.etag).toBe('"1"');
      expectProblem(await act(staffA, b.id, 'check-in', {}, { 'If-Match': '"7"' }), 412, 'version-mismatch');
      expect(await row(b.id)).toMatchObject({ status: 'confirmed', version: 1 });
      const res = await act(staffA, b.id, 'check-in', {}, { 'If-Match': read.headers.etag }).expect(200);
      expect(res.headers.etag).toBe('"2"');
      t.clock.set('2027-01-19T08:30:00Z');
      expectProblem(await act(staffA, b.id, 'complete', { outcome }, { 'If-Match': '"1"' }), 412, 'version-mismatch');
      expectProblem(await act(staffA, b.id, 'manage-link', {}, { 'If-Match': '"1"' }), 412, 'version-mismatch');
      expectProblem(await act(staffA, b.id, 'reschedule', { start: '2027-01-20T10:00:00+02:00' }, { 'If-Match': '"1"' }), 412, 'version-mismatch');
      await act(staffA, b.id, 'complete', { outcome }, { 'If-Match': 'W/"2"' }).expect(200);
      expect((await events(b.id)).map((e) => e.type)).toEqual(['checked_in', 'completed']);
    });

    it('two desks checking in at once: one succeeds, the other gets 409; one event', async () => {
      for (const start of ['2027-01-20T10:00:00+02:00', '2027-01-20T11:00:00+02:00', '2027-01-20T12:00:00+02:00']) {
        const b = await booking(start);
        t.clock.set(new Date(Date.parse(start) - 10 * 60_000).toISOString());
        const results = await Promise.all([act(staffA, b.id, 'check-in'), act(admin, b.id, 'check-in'), act(tutorMatti, b.id, 'check-in')]);
        expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
        expect(results.filter((r) => r.status === 409).every((r) => r.body.type === '/problems/invalid-transition')).toBe(true);
        expect(await row(b.id)).toMatchObject({ status: 'checked_in', version: 2 });
        expect((await events(b.id)).map((e) => e.type)).toEqual(['checked_in']);
      }
    });

    it('a cancel racing a check-in: exactly one wins', async () => {
      const b = await booking('2027-01-21T10:00:00+02:00');
      t.clock.set('2027-01-21T07:50:00Z');
      const [cancel, checkIn] = await Promise.all([act(staffA, b.id, 'cancel', { reason: 'Peruttu' }), act(admin, b.id, 'check-in')]);
      expect([cancel.status, checkIn.status].sort()).toEqual([200, 409]);
      const final = await row(b.id);
      expect(final.status).toBe(cancel.status === 200 ? 'cancelled' : 'checked_in');
      expect(await events(b.id)).toHaveLength(1);
    });
  });
});
