import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { bookingBody, bookingWorld, BOOKING_NOW } from '../support/booking-fixtures';
import { exited } from '../support/app-process';
import { uniqueEmail } from '../support/factories';
import { startTestApp, TEST_SECRET, TestApp } from '../support/test-app';

const WORKER = path.join(__dirname, '..', '..', 'dist', 'src', 'worker.js');

/** `npm run worker`'s program as a real process, joining the database of a running app. */
describe('npm run worker (built program)', () => {
  let t: TestApp;
  const dataDir = mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'worker-process-'));

  beforeAll(async () => {
    if (!existsSync(WORKER)) throw new Error('dist/src/worker.js is missing: npm test builds it first (npm run build)');
    t = await startTestApp({ now: BOOKING_NOW });
  });
  afterAll(() => t.close());

  it('delivers what is due, then stops on SIGTERM', async () => {
    const w = await bookingWorld(t);
    const booked = await t.http
      .post('/api/v1/bookings')
      .send(bookingBody(w.location.id, '2027-01-05T10:00:00+02:00', { resident: { name: 'Aino', phone: null, email: uniqueEmail('w'), language: 'fi' } }))
      .expect(201);
    // The worker runs on the real clock; the test app's is in 2027: make the confirmation due long ago.
    await t.db.query(`UPDATE messages SET next_attempt_at = '2000-01-01T00:00:00Z', created_at = '2000-01-01T00:00:00Z' WHERE booking_id = $1 AND template = 'booking-confirmed'`, [booked.body.id]);
    const [{ id }] = await t.db.query(`SELECT id FROM messages WHERE booking_id = $1 AND template = 'booking-confirmed'`, [booked.body.id]);

    const child = spawn(process.execPath, [WORKER], {
      env: { PATH: process.env.PATH, TMPDIR: process.env.TMPDIR, DATABASE_URL: t.database.url, TUKIAIKA_AUTH_SECRET: TEST_SECRET, TUKIAIKA_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (c) => (out += c));
    child.stderr!.on('data', (c) => (out += c));
    try {
      const eml = path.join(dataDir, 'outbox', `${id}.eml`);
      for (const started = Date.now(); !existsSync(eml); ) {
        if (Date.now() - started > 30_000 || child.exitCode !== null) throw new Error(`no message delivered:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(readdirSync(path.join(dataDir, 'outbox'))).toEqual([`${id}.eml`]);
      expect(out).toContain('job worker started');
      expect(out).not.toContain(booked.body.resident.email);
    } finally {
      child.kill('SIGTERM');
      await exited(child);
    }
    expect(child.exitCode === 0 || child.signalCode === 'SIGTERM').toBe(true);
  }, 60_000);
});
