import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { JobWorker } from '../../src/modules/notifications/job-worker.service';
import { bookingBody, bookingWorld, BOOKING_NOW } from '../support/booking-fixtures';
import { uniqueEmail } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait-until';

/**
 * The job worker on pg-boss in the test database: its schedules are kept in PostgreSQL (one
 * per queue, whatever the number of instances), and a message written by a booking is delivered
 * without waiting for the next tick (the trigger's NOTIFY). Delivery itself is tested with the
 * clock in notifications.e2e-spec.ts.
 */
describe('job worker', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ now: BOOKING_NOW, env: { TUKIAIKA_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'worker-')), TUKIAIKA_HOUSEKEEPING_SECONDS: '300' } });
  });
  afterAll(() => t.close());

  it('keeps its schedules in pg-boss, once however many workers start, and delivers on the triggers’ notice', async () => {
    const worker = t.app.get(JobWorker);
    const second = new JobWorker(t.db, worker['outbox'], worker['housekeeping'], worker['config']);
    await worker.start();
    await second.start();
    try {
      const schedules = await t.db.query(`SELECT name, cron FROM pgboss.schedule ORDER BY name`);
      expect(schedules).toEqual([
        { name: 'deliver-messages', cron: '* * * * *' },
        { name: 'housekeeping', cron: '*/5 * * * *' },
        { name: 'purge-messages', cron: '40 3 * * *' },
      ]);
      const w = await bookingWorld(t);
      const body = bookingBody(w.location.id, '2027-01-05T10:00:00+02:00', { resident: { name: 'Aino Virtanen', phone: null, email: uniqueEmail('w'), language: 'fi' } });
      const booked = await t.http.post('/api/v1/bookings').send(body).expect(201);
      await waitUntil(async () => {
        const rows: { status: string }[] = await t.db.query(`SELECT status FROM messages WHERE booking_id = $1 AND template = 'booking-confirmed'`, [booked.body.id]);
        return rows[0]?.status === 'sent';
      });
    } finally {
      await second.onApplicationShutdown();
      await worker.onApplicationShutdown();
    }
  });
});
