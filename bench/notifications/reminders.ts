import type { Client } from 'pg';
import { MESSAGES_CHANNEL } from '../../src/modules/notifications/job-worker.service';

/**
 * `n` of the bookings already in the database get an e-mail address and a 24-hour e-mail
 * reminder each, written as booking_event_messages() writes reminders (src/modules/notifications/sql),
 * held back a year: none is due until `releaseReminders` makes them all due at the same moment.
 * Returns the reminders' outbox ids.
 */
export async function queueHeldReminders(c: Client, n: number): Promise<string[]> {
  const rows = await c.query<{ id: string }>(
    `WITH chosen AS (
       SELECT id, row_number() OVER (ORDER BY id) AS k FROM bookings WHERE status = 'confirmed' ORDER BY id LIMIT $1),
     addressed AS (
       UPDATE bookings b SET resident_email = 'asukas-' || chosen.k || '@example.fi' FROM chosen WHERE b.id = chosen.id
       RETURNING b.id, b.location_id, b.resident_language, b.resident_email)
     INSERT INTO messages (booking_id, location_id, template, language, channel, recipient_kind, recipient, params, next_attempt_at, created_at)
     SELECT id, location_id, 'booking-reminder', resident_language, 'email', 'resident', resident_email, '{"hoursBefore": 24}', now() + interval '1 year', now()
       FROM addressed
     RETURNING id`,
    [n],
  );
  await c.query('ANALYZE bookings, messages');
  return rows.rows.map((r) => r.id);
}

/** Every held reminder due now, announced as the outbox's trigger announces new messages; returns that moment. */
export async function releaseReminders(c: Client, ids: string[]): Promise<Date> {
  const at = (await c.query<{ at: Date }>(`UPDATE messages SET next_attempt_at = now() WHERE id = ANY ($1::uuid[]) RETURNING now() AS at`, [ids])).rows[0].at;
  await c.query(`SELECT pg_notify($1, '')`, [MESSAGES_CHANNEL]);
  return at;
}

/** Everything the outbox sent from `from` on (the load's confirmations too), by channel. */
export async function sentSince(c: Client, from: Date): Promise<Record<string, number>> {
  const rows = await c.query<{ channel: string; n: number }>(`SELECT channel, count(*)::int AS n FROM messages WHERE sent_at >= $1 GROUP BY channel`, [from]);
  return Object.fromEntries(rows.rows.map((r) => [r.channel, r.n]));
}

/** The reminders' outbox rows by status. */
export async function reminderStatuses(c: Client, ids: string[]): Promise<Record<string, number>> {
  const rows = await c.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM messages WHERE id = ANY ($1::uuid[]) GROUP BY status`, [ids]);
  return Object.fromEntries(rows.rows.map((r) => [r.status, r.n]));
}

/** Waits until the outbox has nothing due (the earlier load's confirmations delivered); returns the seconds waited. */
export async function outboxDrained(c: Client, timeoutMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    const due = (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE status IN ('queued', 'failed') AND next_attempt_at <= now()`)).rows[0].n;
    if (due === 0 || Date.now() - started > timeoutMs) return (Date.now() - started) / 1000;
    await new Promise((r) => setTimeout(r, 200));
  }
}
