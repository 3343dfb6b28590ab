import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { newReference } from '../../src/modules/bookings/rules/reference';
import type { BatchQueue, BatchQueueOptions } from '../../src/common/batching/batch-queue';
import { PlaceBookingCall, PlaceBookingResult, placeBookingWriter, PLACE_BOOKINGS_SQL } from '../../src/modules/bookings/bookings.repository';
import { advisoryLockKey } from '../../src/modules/bookings/secrets';

/**
 * The "raw" figure of the booking benchmark: the SQL BookService.create runs per booking, from
 * a plain `pg` Pool in a closed loop, through the service's own writer (placeBookingWriter: the
 * requests that queue up while a statement is in flight go out together as one place_bookings
 * statement, its argument built by the repository's placeBookingsJson; checked against what the
 * app really sent, see the census). `writer` says how it batches. No Nest, no TypeORM, no
 * validation, no crypto beyond the lock keys.
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
  /** Send the statement as a named prepared statement, as the service does (default); false: unnamed, planned every time. */
  prepared?: boolean;
  /** How the writer batches (the service's defaults unless given; maxBatch 1: one transaction per booking). */
  writer: BatchQueueOptions;
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

/**
 * One booking as BookService.create decides it: one call of place_booking (in a batch), with
 * the values the service would send for this request (a named tutor, one candidate, the
 * resident's phone, rate-limit keys, and with an Idempotency-Key the stored response of the size
 * the app stores). Named prepared like the service's unless `prepared` is false.
 */
async function bookingTransaction(writer: BatchQueue<PlaceBookingCall, PlaceBookingResult>, b: RawBooking, op: RawOp, count: (text: string) => void): Promise<void> {
  const now = new Date();
  const call: PlaceBookingCall = {
    now,
    idempotency: b.key
      ? { key: b.key, lock: advisoryLockKey('idempotency', b.key), requestHash: randomBytes(32), freshAfter: new Date(now.getTime() - 24 * 3_600_000), responses: [randomBytes(800)] }
      : undefined,
    rateLimits: { keys: [`booking:raw:ip:${op.n}`, `booking:raw:contact:${op.n}`], limits: [1_000_000, 1_000_000], windowStart: new Date(Math.floor(now.getTime() / 600_000) * 600_000) },
    namedTutorId: b.tutorId,
    start: b.start,
    expectedVersion: op.version,
    contactLocks: [advisoryLockKey('contact', `phone:${b.phone}`)],
    cap: 1_000,
    booking: {
      id: randomUUID(),
      reference: newReference(),
      locationId: b.locationId,
      topicId: b.topicId,
      language: b.language,
      channel: 'web',
      residentName: b.name,
      residentPhone: b.phone,
      residentEmail: null,
      residentLanguage: 'fi',
      notes: 'Uusi puhelin',
      manageTokenHash: randomBytes(32),
    },
    candidates: [{ tutorId: b.tutorId, end: b.end, payload: { start: b.start.toISOString(), end: b.end.toISOString(), tutorId: b.tutorId, channel: 'web' } }],
    actorType: 'resident',
    actorUserId: null,
  };
  count(PLACE_BOOKINGS_SQL);
  const { outcome } = await writer.submit(call);
  if (outcome !== 'booked') throw new Error(outcome);
}

interface RawOp {
  n: number;
  /** The search-input version, read once before the load (no schedule changes during it). */
  version: string;
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
  const writer = placeBookingWriter(() => pool, job.writer, job.prepared ?? true);
  const result: RawResult = { latencies: [], seconds: 0, ok: 0, failed: 0, errors: {}, statementsPerOp: 0, used: 0, firstTransaction: [] };
  let statements = 0;
  const count = () => statements++;
  const countFirst = (text: string) => {
    statements++;
    result.firstTransaction.push(text);
  };
  // Open the connections before measuring.
  await Promise.all(Array.from({ length: job.concurrency }, async () => (await pool.connect()).release()));
  const version = ((await pool.query(`SELECT version::text AS v FROM search_input_version`)).rows[0] as { v: string }).v;
  let next = 0;
  const started = performance.now();
  const deadline = started + job.maxSeconds * 1000;
  const loop = async () => {
    while (next < job.bookings.length && performance.now() < deadline) {
      const i = next++;
      const t0 = performance.now();
      try {
        if (job.outside?.length) {
          const c = await pool.connect();
          try {
            for (const s of job.outside[i % job.outside.length]) {
              count();
              await c.query(s.text, freshValues(s.values, i));
            }
          } finally {
            c.release();
          }
        }
        await bookingTransaction(writer, job.bookings[i], { n: i, version }, i === 0 ? countFirst : count);
        result.ok++;
        result.latencies.push(performance.now() - t0);
      } catch (error) {
        result.failed++;
        const code = (error as { code?: string }).code ?? (error as Error).message;
        result.errors[code] = (result.errors[code] ?? 0) + 1;
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
