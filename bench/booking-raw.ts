import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { newReference } from '../src/modules/bookings/reference';
import { advisoryLockKey } from '../src/modules/bookings/secrets';

/**
 * The "raw" figure of the booking benchmark: the SQL transaction BookingsService.create runs per
 * booking (statements copied from BookingsRepository and SlotsService, in the service's order,
 * checked against the statements the app really sent, see the census), from a plain `pg` Pool in
 * a closed loop. No Nest, no TypeORM, no validation, no crypto beyond the lock keys.
 *
 * With `outside`, each operation first replays, on the same connection and one after another,
 * the statements a real booking ran OUTSIDE its transaction (rate-limit upserts, lookups and the
 * slot re-check's loaders, captured from the app): every statement of a booking, without the app.
 */

export interface RawBooking {
  locationId: string;
  tutorId: string;
  topicId: string;
  language: string;
  start: Date;
  end: Date;
  phone: string;
  name: string;
  /** Idempotency key as stored (`bookings:<header>`), if the request would send one. */
  key?: string;
}

export interface ReplayStatement {
  text: string;
  values: unknown[] | undefined;
}

export interface RawJob {
  url: string;
  concurrency: number;
  maxSeconds: number;
  bookings: RawBooking[];
  /** Per captured booking, the statements it ran outside its transaction (replayed round-robin). */
  outside?: ReplayStatement[][];
  /** Send the transaction's statements as named prepared statements (parsed and planned once per connection). */
  prepared?: boolean;
}

export interface RawResult {
  latencies: number[];
  seconds: number;
  ok: number;
  failed: number;
  errors: Record<string, number>;
  /** Statements sent per operation (average). */
  statementsPerOp: number;
  /** The statements of the first operation's transaction, to compare with what the app sends. */
  firstTransaction: string[];
  used: number;
}

/** The statements of one booking transaction, as BookingsService.create runs them (tutor given, one free slot). */
async function bookingTransaction(c: pg.PoolClient, b: RawBooking, now: Date, count: (text: string) => void, prepared: boolean): Promise<void> {
  const q = async (text: string, values?: unknown[]) => {
    count(text);
    return prepared && values ? c.query({ name: statementName(text), text, values }) : c.query(text, values);
  };
  await q('START TRANSACTION');
  if (b.key) {
    const locked = await q(`SELECT pg_try_advisory_xact_lock($1::bigint) AS locked`, [advisoryLockKey('idempotency', b.key)]);
    if (!(locked.rows[0] as { locked: boolean }).locked) throw new Error('idempotency-in-progress');
    await q(`SELECT request_hash, status_code, response_encrypted, created_at FROM idempotency_keys WHERE key = $1`, [b.key]);
    await q(
      `DELETE FROM idempotency_keys WHERE key IN (
         SELECT key FROM idempotency_keys WHERE created_at < $1 ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      [new Date(now.getTime() - 24 * 3_600_000), 200],
    );
  }
  await q(`SELECT pg_advisory_xact_lock($1::bigint)`, [advisoryLockKey('contact', `phone:${b.phone}`)]);
  await q(
    `SELECT count(*)::int AS n FROM bookings
       WHERE location_id = $1 AND status IN ('confirmed', 'checked_in') AND upper(during) > $4
         AND ((resident_phone = $2 AND $2 IS NOT NULL) OR (resident_email = $3 AND $3 IS NOT NULL))`,
    [b.locationId, b.phone, null, now],
  );
  // SlotsService.activeBookings: the one re-check read that runs inside the transaction.
  await q(
    `SELECT tutor_id, lower(during) AS start, upper(during) AS "end" FROM bookings
        WHERE tutor_id = ANY($1::uuid[]) AND during && tstzrange($2, $3)
          AND status IN ('confirmed', 'checked_in') AND ($4::uuid IS NULL OR id <> $4::uuid)`,
    [[b.tutorId], b.start, new Date(b.start.getTime() + 1 + 4 * 3_600_000), null],
  );
  await q('SAVEPOINT place_booking');
  // As the service: a taken reference (ON CONFLICT DO NOTHING, no row back) means draw another, up to 8 times.
  let id: string | undefined;
  for (let attempt = 0; attempt < 8 && !id; attempt++) {
    const inserted = await q(
      `INSERT INTO bookings (reference, location_id, tutor_id, topic_id, language, kind, during, status, channel,
                           resident_name, resident_phone, resident_email, resident_language, notes, manage_token_hash,
                           created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, tstzrange($7, $8, '[)'), 'confirmed', $9, $10, $11, $12, $13, $14, $15, $16, $16)
       ON CONFLICT (reference) DO NOTHING
       RETURNING id`,
      [newReference(), b.locationId, b.tutorId, b.topicId, b.language, 'tutoring', b.start, b.end, 'web', b.name, b.phone, null, 'fi', 'Uusi puhelin', randomBytes(32), now],
    );
    id = (inserted.rows[0] as { id: string } | undefined)?.id;
  }
  if (!id) throw new Error('no free reference');
  await q('RELEASE SAVEPOINT place_booking');
  await q(`INSERT INTO booking_events (booking_id, type, at, actor_type, actor_user_id, reason, payload) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
    id,
    'created',
    now,
    'resident',
    null,
    null,
    JSON.stringify({ start: b.start.toISOString(), end: b.end.toISOString(), tutorId: b.tutorId, channel: 'web' }),
  ]);
  await q(
    `SELECT b.id, b.reference, b.location_id, b.tutor_id, t.display_name AS tutor_display_name, b.topic_id,
         tp.slug AS topic, tp.name_fi AS topic_fi, tp.name_sv AS topic_sv, tp.name_en AS topic_en,
         b.language, b.kind, b.partner_id, b.claim_id, lower(b.during) AS start, upper(b.during) AS "end",
         b.status, b.channel, b.resident_name, b.resident_phone, b.resident_email, b.resident_language, b.notes, b.outcome,
         b.manage_token_hash, b.sequence, b.version, b.created_at, b.updated_at
  FROM bookings b
  JOIN tutors t ON t.id = b.tutor_id
  JOIN topics tp ON tp.id = b.topic_id WHERE b.id = $1`,
    [id],
  );
  if (b.key) {
    // The stored response is the encrypted booking view (about 0.8 kB).
    await q(`INSERT INTO idempotency_keys (key, request_hash, status_code, response_encrypted, created_at) VALUES ($1, $2, $3, $4, $5)`, [
      b.key,
      randomBytes(32),
      201,
      randomBytes(800),
      now,
    ]);
  }
  await q('COMMIT');
}

const names = new Map<string, string>();
function statementName(text: string): string {
  let name = names.get(text);
  if (!name) names.set(text, (name = `bench_raw_${names.size + 1}`));
  return name;
}

/** Captured values that named the census request (rate-limit keys, idempotency keys) get fresh ones. */
function freshValues(values: unknown[] | undefined, n: number): unknown[] | undefined {
  if (!values) return values;
  return values.map((v, i) => {
    if (typeof v !== 'string') return v;
    if (v.startsWith('booking:')) return `booking:raw:${n}:${i}`;
    if (v.startsWith('bookings:')) return `bookings:raw-outside-${n}`;
    return v;
  });
}

/** `measured` runs when the load is over, before the pool's connections close (CPU accounting of their backends). */
export async function runRaw(job: RawJob, measured: () => void = () => undefined): Promise<RawResult> {
  const pool = new pg.Pool({ connectionString: job.url, max: job.concurrency, application_name: 'bench-raw' });
  const result: RawResult = { latencies: [], seconds: 0, ok: 0, failed: 0, errors: {}, statementsPerOp: 0, used: 0, firstTransaction: [] };
  let statements = 0;
  const count = () => statements++;
  const countFirst = (text: string) => {
    statements++;
    result.firstTransaction.push(text);
  };
  // Open the connections before measuring.
  await Promise.all(Array.from({ length: job.concurrency }, async () => (await pool.connect()).release()));
  let next = 0;
  const started = performance.now();
  const deadline = started + job.maxSeconds * 1000;
  const loop = async () => {
    while (next < job.bookings.length && performance.now() < deadline) {
      const i = next++;
      const t0 = performance.now();
      const c = await pool.connect();
      try {
        if (job.outside?.length) {
          for (const s of job.outside[i % job.outside.length]) {
            count();
            await c.query(s.text, freshValues(s.values, i));
          }
        }
        await bookingTransaction(c, job.bookings[i], new Date(), i === 0 ? countFirst : count, job.prepared ?? false);
        result.ok++;
        result.latencies.push(performance.now() - t0);
      } catch (error) {
        await c.query('ROLLBACK').catch(() => undefined);
        result.failed++;
        const code = (error as { code?: string }).code ?? (error as Error).message;
        result.errors[code] = (result.errors[code] ?? 0) + 1;
      } finally {
        c.release();
      }
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, loop));
  result.seconds = (performance.now() - started) / 1000;
  result.used = next;
  result.statementsPerOp = statements / Math.max(1, result.ok + result.failed);
  measured();
  await pool.end();
  return result;
}
