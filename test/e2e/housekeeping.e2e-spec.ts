import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Housekeeping } from '../../src/common/housekeeping/housekeeping.service';
import { APP_CONFIG, AppConfig } from '../../src/config/app-config';
import { JobWorker } from '../../src/modules/notifications/job-worker.service';
import { Outbox } from '../../src/modules/notifications/outbox.service';
import { bookingBody, BookingWorld, bookingWorld, BOOKING_NOW } from '../support/booking-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/** Housekeeping deletes expired idempotency answers, old rate-limit counters and manage tokens no message needs, and nothing else. */
describe('Housekeeping', () => {
  let t: TestApp;
  let w: BookingWorld;
  let housekeeping: Housekeeping;

  beforeAll(async () => {
    t = await startTestApp({ now: BOOKING_NOW, env: { TUKIAIKA_RATE_WINDOW_SECONDS: '600' } });
    w = await bookingWorld(t);
    housekeeping = t.app.get(Housekeeping);
  });
  afterAll(() => t.close());

  const post = (body: Record<string, unknown>, key: string) => t.http.post('/api/v1/bookings').set('Idempotency-Key', key).send(body);
  const storedKeys = async (): Promise<string[]> => (await t.db.query(`SELECT key FROM idempotency_keys`)).map((r: { key: string }) => r.key);
  const counterWindows = async () =>
    (await t.db.query(`SELECT DISTINCT window_start FROM rate_limit_counters ORDER BY 1`)).map((r: { window_start: Date }) => r.window_start.toISOString());

  it('is scheduled on the job worker only when configured, once a cluster-wide tick', async () => {
    const jobsWith = (housekeepingSeconds: number) =>
      new JobWorker(t.app.get(DataSource), t.app.get(Outbox), housekeeping, { ...t.app.get<AppConfig>(APP_CONFIG), housekeepingSeconds }).jobs().map((j) => [j.queue, j.cron]);
    expect(jobsWith(0)).not.toContainEqual(expect.arrayContaining(['housekeeping'])); // off in tests: they run a pass by hand
    expect(jobsWith(300)).toContainEqual(['housekeeping', '*/5 * * * *']);
    expect(jobsWith(7200)).toContainEqual(['housekeeping', '0 * * * *']);
  });

  it('deletes answers older than 24 hours and counters a day past their window; keeps the rest and the bookings', async () => {
    const oldKey = randomUUID();
    t.clock.set('2027-01-04T06:00:00Z');
    const oldBooking = await post(bookingBody(w.location.id, '2027-01-14T10:00:00+02:00', { tutorId: w.matti.id }), oldKey).expect(201);
    t.clock.set('2027-01-05T05:00:00Z');
    const newKey = randomUUID();
    await post(bookingBody(w.location.id, '2027-01-14T11:00:00+02:00', { tutorId: w.matti.id }), newKey).expect(201);

    // 23:59 after the first answer: nothing has expired yet.
    t.clock.set('2027-01-05T05:59:00Z');
    expect(await housekeeping.runOnce()).toEqual({ idempotencyKeys: 0, rateLimitCounters: 0, manageTokens: 0 });
    expect((await storedKeys()).filter((k) => k.endsWith(oldKey) || k.endsWith(newKey))).toHaveLength(2);

    // The first answer is past 24 hours; its counters (window 06:00–06:10) are not yet a day past the window's end.
    t.clock.set('2027-01-05T06:05:00Z');
    expect(await housekeeping.runOnce()).toEqual({ idempotencyKeys: 1, rateLimitCounters: 0, manageTokens: 0 });
    const keys = await storedKeys();
    expect(keys.some((k) => k.endsWith(oldKey))).toBe(false);
    expect(keys.some((k) => k.endsWith(newKey))).toBe(true);
    expect(await counterWindows()).toEqual(['2027-01-04T06:00:00.000Z', '2027-01-05T05:00:00.000Z']);

    // A day past the end of the first window: its counters go, the later window's stay.
    t.clock.set('2027-01-05T06:10:01Z');
    const second = await housekeeping.runOnce();
    expect(second.idempotencyKeys).toBe(0);
    expect(second.rateLimitCounters).toBeGreaterThanOrEqual(2); // the address and the contact
    expect(await counterWindows()).toEqual(['2027-01-05T05:00:00.000Z']);

    // Only the answers and counters went: the booking is still there.
    const { id } = oldBooking.body as { id: string };
    expect(await t.db.query(`SELECT status FROM bookings WHERE id = $1`, [id])).toEqual([{ status: 'confirmed' }]);
  });

  it('deletes in batches until nothing expired is left', async () => {
    t.clock.set('2027-01-10T06:00:00Z');
    await t.db.query(
      `INSERT INTO idempotency_keys (key, request_hash, status_code, response_encrypted, created_at)
       SELECT 'bulk-' || i, '\\x00', 201, '\\x00', timestamptz '2027-01-08T00:00:00Z' + i * interval '1 second' FROM generate_series(1, 2500) AS i`,
    );
    const [{ expired, fresh }] = await t.db.query(
      `SELECT count(*) FILTER (WHERE created_at <= '2027-01-09T06:00:00Z')::int AS expired, count(*) FILTER (WHERE created_at > '2027-01-09T06:00:00Z')::int AS fresh FROM idempotency_keys`,
    );
    expect(expired).toBeGreaterThan(2000); // more than two batches
    expect((await housekeeping.runOnce()).idempotencyKeys).toBe(expired);
    expect(await t.db.query(`SELECT count(*)::int AS n FROM idempotency_keys`)).toEqual([{ n: fresh }]);
  });

  it('erases the encrypted manage token once the booking is cancelled or a day over and no message about it waits; the link still opens it', async () => {
    const outbox = t.app.get(Outbox);
    const kept = async (id: string) => (await t.db.query(`SELECT manage_token_encrypted IS NOT NULL AS kept FROM bookings WHERE id = $1`, [id]))[0].kept as boolean;
    t.clock.set('2027-01-18T06:00:00Z');
    // The earlier tests' bookings are over: their messages go and their tokens with them first.
    await outbox.deliverDue();
    await housekeeping.runOnce();
    const book = async (start: string) => (await post(bookingBody(w.location.id, start, { tutorId: w.matti.id }), randomUUID()).expect(201)).body as { id: string; manageToken: string };
    const cancelled = await book('2027-01-19T10:00:00+02:00');
    const over = await book('2027-01-19T11:00:00+02:00');
    const coming = await book('2027-01-26T10:00:00+02:00');
    await t.http.post(`/api/v1/bookings/manage/${cancelled.manageToken}/cancel`).send({}).expect(200);

    // The cancellation's message has not gone yet: the token stays for its link.
    expect((await housekeeping.runOnce()).manageTokens).toBe(0);
    expect([await kept(cancelled.id), await kept(over.id), await kept(coming.id)]).toEqual([true, true, true]);

    await outbox.deliverDue();
    expect((await housekeeping.runOnce()).manageTokens).toBe(1);
    expect([await kept(cancelled.id), await kept(over.id), await kept(coming.id)]).toEqual([false, true, true]);

    // 23:59 after the session ended (11:45 local) nothing more goes; a minute later its token does.
    t.clock.set('2027-01-20T09:44:00Z');
    await outbox.deliverDue(); // its reminders, due before the session
    expect((await housekeeping.runOnce()).manageTokens).toBe(0);
    t.clock.set('2027-01-20T09:46:00Z');
    expect((await housekeeping.runOnce()).manageTokens).toBe(1);
    expect([await kept(over.id), await kept(coming.id)]).toEqual([false, true]);

    // Only the encrypted copy went: the resident's link still opens the booking.
    const opened = await t.http.get(`/api/v1/bookings/manage/${over.manageToken}`).expect(200);
    expect(opened.body).toMatchObject({ id: over.id, status: 'confirmed' });
  });
});
