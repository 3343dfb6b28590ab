import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import inspector from 'node:inspector';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { createApp } from '../src/app.setup';
import { AppConfig, loadConfig } from '../src/config/app-config';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { migrate } from '../src/database/migrate';
import { BookableSlotsService } from '../src/modules/slots/bookable-slots.service';
import type { FreeSlot } from '../src/modules/slots/slot-common';
import { post, postLoadInWorker, PostLoadResult, PostRequest } from './booking-load';
import { findPgbench, PgbenchResult, runPgbench } from './booking-pgbench';
import { ActivitySampler, AppProbe, cpuSnapshot, CpuSnapshot, GcRecorder, GcTotals, postmasterPidOf, ProbeTotals, QueryRecord } from './booking-probe';
import { RawBooking, RawResult, ReplayStatement, runRaw } from './booking-raw';
import { BookingWorld, insertExistingBookings, Prng, seedBookingWorld } from './booking-seed';
import { CpuProfile, formatProfileSummary, ProfileSummary, summariseCpuProfile } from './cpuprofile-summary';

/**
 * npm run bench:bookings -- [--seconds 10] [--short-seconds 5] [--pool 20] [--sweep-pools 10,40]
 *                           [--stampede 500] [--no-key] [--skip-profile] [--dir .tmp/x] [--keep] [--quick]
 *
 * POST /bookings throughput and where the time goes, on an embedded PostgreSQL of its own in a
 * throw-away folder (.tmp/bench-bookings-<pid>, removed afterwards unless --keep, which keeps it for
 * inspection; a later run in the same --dir starts over with a fresh database):
 *   1. HTTP bookings/s at 16 and 64 keep-alive connections (distinct residents, distinct free slots);
 *   2. the same SQL transaction from a plain pg Pool ("raw"), and every statement of a booking on one connection;
 *   3. pgbench inserting one booking row (when pgbench is installed);
 *   4. the one-slot stampede;
 *   5. targets with PASS/MISS (exit 0 either way);
 *   6. statements per booking (census), pool-size sweep and a CPU profile of the app (written to .tmp/).
 * --quick stops after the 16-connection HTTP phase (≈ 30 s): for trying a change, not for the record.
 * The app runs in this process (createApp) with raised rate limits; the load runs in a worker thread.
 * Set BENCH_BOOKINGS_PROFILE=0 (or --skip-profile) to skip the profile.
 */

const SEED = 'tukiaika-bench-bookings';
/** WAL the whole run writes, about: ≈ 2.8 kB per booking, ≈ 90,000 bookings, 16 MB segments. */
const WAL_SEGMENTS_AHEAD = 16;
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/**
 * What the run needs of a free slot. The app shares this process (and its heap) with the
 * harness, so the ≈ 100,000 slots are kept in one small shape: as the engine's FreeSlot objects
 * they held ≈ 50 MB more heap, which every major GC of the app's thread had to mark.
 */
type BenchSlot = Pick<FreeSlot, 'locationId' | 'tutorId' | 'start' | 'startMs' | 'endMs' | 'topics' | 'languages'>;

function benchSlot(s: FreeSlot): BenchSlot {
  return { locationId: s.locationId, tutorId: s.tutorId, start: s.start, startMs: s.startMs, endMs: s.endMs, topics: s.topics, languages: s.languages };
}

interface Options {
  seconds: number;
  shortSeconds: number;
  warmup: number;
  pool: number;
  sweepPools: number[];
  stampede: number;
  pacedRate: number;
  key: boolean;
  quick: boolean;
  profile: boolean;
  branches: number;
  tutors: number;
  dir?: string;
  keep: boolean;
}

interface HttpMeasure {
  label: string;
  connections: number;
  pool: number;
  ratePerSecond?: number;
  result: PostLoadResult;
  rps: number;
  p50: number;
  p99: number;
  cpu: CpuUse;
  elu: number;
  activity?: ReturnType<ActivitySampler['averages']>;
  gc: GcTotals;
  probe?: ProbeTotals;
}

/**
 * CPU seconds during a phase: the app's thread, the rest of this process (load-generator worker,
 * libuv, GC helpers), our PostgreSQL server, every other process, interrupts/softirqs (where the
 * kernel does loopback TCP), and steal.
 */
interface CpuUse {
  main: number;
  rest: number;
  postgres: number;
  others: number;
  irq: number;
  steal: number;
}

function cpuDelta(a: CpuSnapshot, b: CpuSnapshot): CpuUse {
  const proc = b.process - a.process;
  const pg = b.postgres - a.postgres;
  return { main: b.main - a.main, rest: proc - (b.main - a.main), postgres: pg, others: b.machine - a.machine - proc - pg, irq: b.irq - a.irq, steal: b.steal - a.steal };
}

interface RawMeasure {
  label: string;
  connections: number;
  result: RawResult;
  rps: number;
  p50: number;
  p99: number;
  cpu: CpuUse;
}

interface CensusRow {
  label: string;
  inTx: boolean;
  perBooking: number;
  meanMs: number;
}

interface Census {
  bookings: number;
  statements: number;
  inTx: number;
  rows: CensusRow[];
  latencyMs: number;
  txOpenMs: number;
  txBusyMs: number;
  /** Statements of each captured booking that ran outside its transaction (for the raw replay). */
  outside: ReplayStatement[][];
  /** In-transaction statement texts of the first booking. */
  firstTransaction: string[];
  conflict?: { requests: number; statements: number; rows: CensusRow[] };
}

/** Statement → what it is for, by its SQL. First match wins. */
const LABELS: [RegExp, string][] = [
  [/^\s*(START TRANSACTION|BEGIN)/i, 'BEGIN'],
  [/^\s*COMMIT/i, 'COMMIT'],
  [/^\s*ROLLBACK TO SAVEPOINT/i, 'ROLLBACK TO SAVEPOINT'],
  [/^\s*ROLLBACK/i, 'ROLLBACK'],
  [/^\s*RELEASE SAVEPOINT/i, 'RELEASE SAVEPOINT'],
  [/^\s*SAVEPOINT/i, 'SAVEPOINT'],
  [/INSERT INTO rate_limit_counters/, 'rate limit: upsert counter (RateLimiter.consume)'],
  [/pg_try_advisory_xact_lock/, 'idempotency: try advisory lock'],
  [/FROM idempotency_keys WHERE key = \$1/, 'idempotency: stored response?'],
  [/DELETE FROM idempotency_keys WHERE key IN/, 'idempotency: purge expired keys'],
  [/DELETE FROM idempotency_keys/, 'idempotency: delete stale key'],
  [/INSERT INTO idempotency_keys/, 'idempotency: store response'],
  [/pg_advisory_xact_lock/, 'contact advisory lock'],
  [/count\(\*\)::int AS n FROM bookings\s+WHERE location_id/, 'count contact’s active bookings (cap)'],
  [/count\(\*\)::int AS n FROM bookings\s+WHERE tutor_id/, 'week load of candidate tutors'],
  [/FROM locations l JOIN municipalities/, 'location summary (LocationsService.summaries/findByIds)'],
  [/FROM "?topics"? "?t"?\b.*slug = ANY|"t"\."slug"/s, 'topic by slug (TypeORM query builder)'],
  [/FROM tutors WHERE id = ANY/, 'tutor exists'],
  [/FROM tutor_locations tl/, 're-check: tutors (TutorsService.searchTutors)'],
  [/FROM tutor_topics tt JOIN topics/, 're-check: tutors’ topics'],
  [/FROM availability_rules|availability_rules r/, 're-check: weekly rules'],
  [/location_hour_periods|location_hour_intervals/, 're-check: weekly opening hours'],
  [/FROM location_exceptions/, 're-check: date exceptions'],
  [/FROM location_closures/, 're-check: closures'],
  [/FROM tutor_absences/, 're-check: absences'],
  [/lower\(during\) AS start, upper\(during\) AS "end" FROM bookings/, 're-check: active bookings overlapping'],
  [/INSERT INTO bookings/, 'insert booking'],
  [/INSERT INTO booking_events/, 'insert booking event'],
  [/FROM bookings b\s+JOIN tutors t/, 'read booking back (findById)'],
];

function labelOf(text: string): string {
  for (const [re, label] of LABELS) if (re.test(text)) return label;
  return text.replace(/\s+/g, ' ').trim().slice(0, 70);
}

const norm = (text: string) => text.replace(/\s+/g, ' ').trim();

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '10' },
      'short-seconds': { type: 'string', default: '5' },
      warmup: { type: 'string', default: '2000' },
      pool: { type: 'string', default: '20' },
      'sweep-pools': { type: 'string', default: '10,40' },
      stampede: { type: 'string', default: '500' },
      'paced-rate': { type: 'string', default: '50' },
      'no-key': { type: 'boolean', default: false },
      'skip-profile': { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      branches: { type: 'string', default: '50' },
      tutors: { type: 'string', default: '400' },
      dir: { type: 'string' },
      keep: { type: 'boolean', default: false },
    },
  });
  return {
    seconds: Number(values.seconds),
    shortSeconds: Number(values['short-seconds']),
    warmup: Number(values.warmup),
    pool: Number(values.pool),
    sweepPools: (values['sweep-pools'] ?? '')
      .split(',')
      .map((s) => Number(s.trim()))
      .filter((n) => Number.isInteger(n) && n > 0),
    stampede: Number(values.stampede),
    pacedRate: Number(values['paced-rate']),
    key: !values['no-key'],
    quick: values.quick ?? false,
    profile: !values['skip-profile'] && process.env.BENCH_BOOKINGS_PROFILE !== '0',
    branches: Number(values.branches),
    tutors: Number(values.tutors),
    dir: values.dir,
    keep: values.keep ?? false,
  };
}

/**
 * The app runs in this process, so its garbage collector is configured by this process's node
 * flags: they should be the ones `npm start` gives the service (package.json), e.g. the young
 * generation's size.
 */
function nodeFlags(projectRoot: string): { own: string[]; start: string[]; same: boolean } {
  const pkg = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  const start = (pkg.scripts?.start ?? '').split(/\s+/).filter((word) => word.startsWith('--'));
  const own = process.execArgv.filter((word) => word.startsWith('--'));
  return { own, start, same: own.length === start.length && own.every((flag) => start.includes(flag)) };
}

async function main(): Promise<void> {
  const started = Date.now();
  const opt = parseOptions();
  const projectRoot = path.join(__dirname, '..', '..');
  const root = path.resolve(opt.dir ?? path.join(projectRoot, '.tmp', `bench-bookings-${process.pid}`));
  const keep = opt.keep;
  const log = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}`);

  console.log('Booking benchmark (issue 6 part B): POST /api/v1/bookings');
  const flags = nodeFlags(projectRoot);
  console.log(`node flags: ${flags.own.join(' ') || 'none'}${flags.same ? ' (as npm start runs the service)' : `  — npm start runs the service with ${flags.start.join(' ') || 'none'}: run this with npm run bench:bookings`}`);
  const load0 = os.loadavg();
  console.log(`PostgreSQL: embedded, in ${root}${keep ? ' (kept)' : ' (removed afterwards)'}`);
  const clusterDir = path.join(root, 'postgres');
  const server = await startEmbeddedPostgres({ clusterDir, database: 'postgres' });
  // The bench's own database in its own folder: a kept folder (--keep, --dir) starts over.
  const dbUrl = server.url.replace(/\/postgres$/, '/tukiaika_bench_bookings');
  {
    const c = new Client({ connectionString: server.adminUrl });
    await c.connect();
    await c.query('DROP DATABASE IF EXISTS tukiaika_bench_bookings WITH (FORCE)');
    await c.query('CREATE DATABASE tukiaika_bench_bookings');
    await c.end();
  }
  let app: NestFastifyApplication | undefined;
  const admin = new Client({ connectionString: dbUrl, application_name: 'bench-admin' });
  const samplerClient = new Client({ connectionString: dbUrl, application_name: 'bench-sampler' });
  const stopAll = async () => {
    await app?.close().catch(() => undefined);
    await admin.end().catch(() => undefined);
    await samplerClient.end().catch(() => undefined);
    await server.stop();
    if (!keep) rmSync(root, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));

  try {
    const pm = postmasterPidOf(clusterDir);
    // How busy the machine is without us (other processes, kernel threads), over one second.
    const idle0 = cpuSnapshot(pm);
    await new Promise((r) => setTimeout(r, 1000));
    const background = cpuDelta(idle0, cpuSnapshot(pm));
    await migrate(dbUrl);
    await admin.connect();
    await samplerClient.connect();
    const pgVersion = (await admin.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0].v;
    const settings = (await admin.query<{ name: string; setting: string }>(`SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'shared_buffers', 'max_connections')`)).rows;

    // ---- dataset ----
    const now = new Date();
    const rnd = new Prng(SEED);
    const world = await seedBookingWorld(admin, rnd, { branches: opt.branches, tutors: opt.tutors, absences: 60, closures: 4 }, now);
    const ruleCount = (await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM availability_rules`)).rows[0].n;

    let pool = opt.pool;
    let base = '';
    const startApp = async (poolSize: number) => {
      await app?.close();
      app = await appWith(dbUrl, poolSize);
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.getHttpServer().address();
      base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      pool = poolSize;
    };
    await startApp(opt.pool);

    // Free slots from the app's own engine (BookableSlotsService.freeSlotsFor, as the booking re-check
    // uses it), from 2 h 20 min ahead (notice 2 h + margin for the run) to 58 days ahead.
    const slotsService = app!.get(BookableSlotsService);
    const all: BenchSlot[] = [];
    for (const locationId of world.locationIds) {
      const free = await slotsService.freeSlotsFor({ locationId, from: new Date(now.getTime() + 140 * MINUTE_MS), to: new Date(now.getTime() + 58 * DAY_MS) });
      for (const s of free) all.push(benchSlot(s));
    }
    rnd.shuffle(all);
    const existingCount = Math.round(all.length * 0.08);
    await insertExistingBookings(
      admin,
      all.slice(0, existingCount).map((s, i) => ({
        locationId: s.locationId,
        tutorId: s.tutorId,
        topicId: world.topicIdBySlug.get(s.topics[0])!,
        start: new Date(s.startMs),
        end: new Date(s.endMs),
        phone: `+35840${String(1_000_000 + i).padStart(7, '0')}`,
      })),
    );
    // As pgbench does before a run: the bulk load's cleanup (autovacuum, dirty buffers) is not
    // left to happen inside the first measured phase.
    await admin.query('VACUUM ANALYZE');
    await admin.query('CHECKPOINT');
    const walReady = await recycledWalSegments(admin, WAL_SEGMENTS_AHEAD);
    const slots = all.slice(existingCount);
    // The census's 61 slots and the stampede's one are set aside first: on a fast machine the
    // phases before them can use up the rest.
    const censusSlots = slots.splice(0, 61);
    const stampedeSlot = slots.splice(0, 1)[0];
    let cursor = 0;
    const take = (n: number) => slots.slice(cursor, cursor + n);
    const advance = (n: number) => (cursor += n);
    /** Phases that ran out of free slots before their time was up (their figures cover less). */
    const shortPhases: string[] = [];
    const noteIfShort = (phase: string, measuredSeconds: number, plannedSeconds: number) => {
      if (cursor < slots.length || measuredSeconds >= plannedSeconds * 0.95) return;
      shortPhases.push(`${phase}: ${measuredSeconds.toFixed(1)} of ${plannedSeconds} s`);
      log(`WARNING: ${phase} ran out of free slots after ${measuredSeconds.toFixed(1)} of ${plannedSeconds} s (a faster machine: run with more --tutors)`);
    };
    log(
      `seeded ${world.locationIds.length} branches, ${world.tutorIds.length} tutors, ${ruleCount} weekly rules; ${all.length} free slots in the next 58 days, ` +
        `${existingCount} of them booked beforehand (SQL); ${slots.length} left for the run; ${walReady} WAL segments ready for reuse`,
    );

    let resident = 0;
    const runTag = randomBytes(3).toString('hex');
    const requestFor = (s: BenchSlot): PostRequest => {
      const n = ++resident;
      const body = {
        locationId: s.locationId,
        start: s.start,
        topic: s.topics[n % s.topics.length],
        language: s.languages[n % s.languages.length],
        kind: 'tutoring',
        tutorId: s.tutorId,
        claimId: null,
        resident: { name: `Asukas ${n}`, phone: phoneOf(n), email: null, language: 'fi' },
        notes: 'Uusi puhelin',
        consent: true,
      };
      const headers: Record<string, string> = { 'x-forwarded-for': ipOf(n) };
      if (opt.key) headers['idempotency-key'] = `bench-${runTag}-${n}`;
      return { body: JSON.stringify(body), headers };
    };

    const probe = new AppProbe();
    probe.install();
    const sampler = new ActivitySampler(samplerClient);

    const httpPhase = async (
      label: string,
      connections: number,
      seconds: number,
      o: { instrument?: boolean; warmup?: number; ratePerSecond?: number; around?: { start(): Promise<void>; stop(): Promise<void> } } = {},
    ): Promise<HttpMeasure> => {
      const warm = take(o.warmup ?? opt.warmup).map(requestFor);
      const w = await postLoadInWorker({ baseUrl: base, path: '/api/v1/bookings', requests: warm, warmup: 0, concurrency: connections, maxSeconds: 60 });
      advance(w.sent);
      const wanted = o.ratePerSecond ? Math.ceil(seconds * o.ratePerSecond) + 1 : Math.ceil(seconds * 1500);
      const requests = take(Math.min(slots.length - cursor, wanted)).map(requestFor);
      probe.reset();
      probe.enabled = o.instrument ?? false;
      await o.around?.start();
      sampler.start();
      const gc = new GcRecorder();
      gc.start();
      const cpu0 = cpuSnapshot(pm);
      const elu0 = performance.eventLoopUtilization();
      const result = await postLoadInWorker({
        baseUrl: base,
        path: '/api/v1/bookings',
        requests,
        warmup: 0,
        concurrency: connections,
        maxSeconds: seconds,
        ratePerSecond: o.ratePerSecond,
      });
      const elu = performance.eventLoopUtilization(elu0).utilization;
      const cpu1 = cpuSnapshot(pm);
      await sampler.stop();
      const gcTotals = await gc.stop();
      await o.around?.stop();
      probe.enabled = false;
      advance(result.sent);
      if (!o.ratePerSecond) noteIfShort(`${label} at ${connections} connections, pool ${pool}`, result.seconds, seconds);
      for (const [status, n] of Object.entries(w.statuses)) {
        if (Number(status) >= 500 || status === '0') result.statuses[`warm-up ${status}`] = (result.statuses[`warm-up ${status}`] ?? 0) + n;
      }
      const sorted = result.latencies.slice().sort((a, b) => a - b);
      const perBooking = (seconds: number) => ((seconds * 1000) / Math.max(1, result.latencies.length)).toFixed(2);
      const m: HttpMeasure = {
        label,
        connections,
        pool,
        ratePerSecond: o.ratePerSecond,
        result,
        rps: result.latencies.length / result.seconds,
        p50: percentile(sorted, 50),
        p99: percentile(sorted, 99),
        cpu: cpuDelta(cpu0, cpu1),
        elu,
        activity: sampler.averages(),
        gc: gcTotals,
        probe: o.instrument ? { ...probe.totals } : undefined,
      };
      log(
        `${label}: ${o.ratePerSecond ? `${o.ratePerSecond}/s paced, ≤ ${connections} in flight` : `${connections} connections`}, pool ${pool}: ` +
          `${m.rps.toFixed(0)} bookings/s, p50 ${m.p50.toFixed(1)} ms, p99 ${m.p99.toFixed(1)} ms ${statusText(result.statuses)}; ` +
          `CPU ms per booking: app ${perBooking(m.cpu.main)}, rest ${perBooking(m.cpu.rest)}, PG ${perBooking(m.cpu.postgres)}, other ${perBooking(m.cpu.others)}; ` +
          `app GC: ${gcTotals.pauses} pauses, ${gcTotals.ms.toFixed(0)} ms, longest ${gcTotals.longestMs.toFixed(1)} ms, mark-compact ${gcTotals.majorMs.toFixed(0)} ms`,
      );
      return m;
    };

    // ---- 1. HTTP bookings/s (headline, not instrumented) ----
    const headline: HttpMeasure[] = [];
    for (const c of [16, 64]) {
      if (opt.quick && c === 64) return;
      headline.push(await httpPhase('HTTP', c, opt.seconds));
    }
    const paced = await httpPhase('HTTP paced', 64, opt.shortSeconds, { ratePerSecond: opt.pacedRate, warmup: 50 });

    // ---- census: every statement of a booking, at one connection ----
    const census = await takeCensus(base, probe, censusSlots.slice(0, 60).map(requestFor), censusSlots[60], requestFor);
    log(`census: ${(census.statements / census.bookings).toFixed(1)} statements per booking (${(census.inTx / census.bookings).toFixed(1)} inside the transaction)`);

    // ---- pool-size sweep (instrumented) ----
    const sweep: HttpMeasure[] = [];
    for (const p of [...new Set([opt.pool, ...opt.sweepPools])].sort((a, b) => a - b)) {
      if (p !== pool) await startApp(p);
      for (const c of [16, 64]) sweep.push(await httpPhase('sweep', c, opt.shortSeconds, { instrument: true, warmup: p !== pool || c !== 16 ? 150 : 100 }));
    }
    if (pool !== opt.pool) await startApp(opt.pool);

    // ---- 2. raw SQL ----
    const rawBooking = (s: BenchSlot): RawBooking => {
      const n = ++resident;
      return {
        locationId: s.locationId,
        tutorId: s.tutorId,
        topicId: world.topicIdBySlug.get(s.topics[n % s.topics.length])!,
        language: s.languages[n % s.languages.length],
        start: new Date(s.startMs),
        end: new Date(s.endMs),
        phone: phoneOf(n),
        name: `Asukas ${n}`,
        key: opt.key ? `bookings:raw-${runTag}-${n}` : undefined,
      };
    };
    const raw: RawMeasure[] = [];
    // The raw loop batches as the service does unless a phase says otherwise.
    const { bookingWriters, bookingBatch } = benchConfig(dbUrl, opt.pool).database;
    const serviceWriter = { maxInFlight: bookingWriters, maxBatch: bookingBatch };
    const rawPhase = async (
      label: string,
      connections: number,
      seconds: number,
      o: { outside?: ReplayStatement[][]; prepared?: boolean; writer?: { maxInFlight: number; maxBatch: number } } = {},
    ) => {
      const bookings = take(Math.min(slots.length - cursor, Math.ceil(seconds * 6000))).map(rawBooking);
      const cpu0 = cpuSnapshot(pm);
      let cpu1 = cpu0;
      const writer = { ...serviceWriter, ...o.writer };
      const result = await runRaw({ url: dbUrl, concurrency: connections, maxSeconds: seconds, bookings, ...o, writer }, () => (cpu1 = cpuSnapshot(pm)));
      advance(result.used);
      noteIfShort(`${label} at ${connections} connections`, result.seconds, seconds);
      const sorted = result.latencies.slice().sort((a, b) => a - b);
      const m = {
        label,
        connections,
        result,
        rps: result.ok / result.seconds,
        p50: percentile(sorted, 50),
        p99: percentile(sorted, 99),
        cpu: cpuDelta(cpu0, cpu1),
      };
      raw.push(m);
      log(`${label}: ${connections} connections: ${m.rps.toFixed(0)} ops/s, p50 ${m.p50.toFixed(2)} ms, p99 ${m.p99.toFixed(2)} ms, ${result.failed} failed ${JSON.stringify(result.errors)}`);
    };
    for (const c of [16, 64]) await rawPhase('raw transaction', c, opt.seconds);
    await rawPhase('raw, one transaction per booking (no batching)', 16, opt.shortSeconds, { writer: { maxInFlight: 16, maxBatch: 1 } });
    await rawPhase('raw transaction, unnamed statement (planned every time)', 16, opt.shortSeconds, { prepared: false });
    await rawPhase('raw, all statements of a booking on one connection', 16, opt.shortSeconds, { outside: census.outside });

    // ---- 4. stampede ----
    const target = stampedeSlot;
    const stampedeRequests = Array.from({ length: opt.stampede }, () => requestFor(target));
    const gc = new GcRecorder();
    gc.start();
    const cpuS0 = cpuSnapshot(pm);
    const stampede = await postLoadInWorker({ baseUrl: base, path: '/api/v1/bookings', requests: stampedeRequests, warmup: 0, concurrency: opt.stampede, maxSeconds: 60, burst: true });
    const cpuS1 = cpuSnapshot(pm);
    const stampedeGc = await gc.stop();
    const stampedeHeld = (
      await admin.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM bookings WHERE tutor_id = $1 AND during && tstzrange($2, $3) AND active`,
        [target.tutorId, new Date(target.startMs), new Date(target.endMs)],
      )
    ).rows[0].n;
    log(`stampede: ${opt.stampede} requests for one slot in ${stampede.seconds.toFixed(2)} s ${statusText(stampede.statuses)}; active bookings on the slot: ${stampedeHeld}`);

    // ---- 7. CPU profiles of the app: under the 16-connection load, and paced (CPU not saturated) ----
    const profiles: ProfileRun[] = [];
    if (opt.profile) {
      const session = new inspector.Session();
      session.connect();
      const call = <T>(method: string, params?: object) =>
        new Promise<T>((resolve, reject) => session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result as T))));
      for (const [title, connections, rate] of [
        ['16 connections (closed loop, CPU saturated)', 16, undefined],
        [`paced ${opt.pacedRate}/s (CPU not saturated)`, 64, opt.pacedRate],
      ] as const) {
        let profile: CpuProfile | undefined;
        const measured = await httpPhase('HTTP (profiled)', connections, opt.shortSeconds + 3, {
          warmup: 100,
          ratePerSecond: rate,
          around: {
            async start() {
              await call('Profiler.enable');
              await call('Profiler.setSamplingInterval', { interval: 250 });
              await call('Profiler.start');
            },
            async stop() {
              profile = (await call<{ profile: CpuProfile }>('Profiler.stop')).profile;
            },
          },
        });
        mkdirSync(path.join(projectRoot, '.tmp'), { recursive: true });
        const file = path.join(projectRoot, '.tmp', `bench-bookings-${rate ? 'paced' : 'c16'}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`);
        writeFileSync(file, JSON.stringify(profile));
        profiles.push({ title, measured, file: path.relative(projectRoot, file), summary: summariseCpuProfile(profile!) });
        log(`profile written to ${path.relative(projectRoot, file)}`);
      }
      session.disconnect();
    }

    // ---- 3. pgbench (last: it leaves its rows in far-future hours) ----
    await app?.close();
    app = undefined;
    const pgbenchBinary = findPgbench();
    const pgbench: PgbenchResult[] = [];
    let pgbenchNote = '';
    if (!pgbenchBinary) {
      pgbenchNote = 'pgbench not found (not on PATH, not in /usr/lib/postgresql/*/bin): skipped';
      log(pgbenchNote);
    } else {
      try {
        for (const [i, c] of [16, 64].entries()) {
          const r = await runPgbench({ binary: pgbenchBinary, url: dbUrl, dir: root, clients: c, seconds: opt.seconds, run: i + 1, locationId: world.locationIds[0], topicId: [...world.topicIdBySlug.values()][0] });
          pgbench.push(r);
          log(`pgbench: ${c} clients: ${r.tps.toFixed(0)} inserts/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, ${r.failed} failed`);
        }
      } catch (error) {
        pgbenchNote = `pgbench failed: ${(error as Error).message}`;
        log(pgbenchNote);
      }
    }

    report({
      writer: serviceWriter,
      load: [load0, os.loadavg()],
      background: background.others + background.irq + background.steal,
      opt,
      pgVersion,
      settings,
      world,
      ruleCount,
      freeSlots: all.length,
      existing: existingCount,
      headline,
      paced,
      census,
      sweep,
      raw,
      pgbench,
      pgbenchBinary,
      pgbenchNote,
      stampede,
      stampedeHeld,
      shortPhases,
      stampedeCpu: { main: cpuS1.main - cpuS0.main, process: cpuS1.process - cpuS0.process, postgres: cpuS1.postgres - cpuS0.postgres },
      stampedeGc,
      profiles,
    });
    console.log(`\nwhole benchmark: ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await stopAll();
  }
}

/** The real application on `url` with raised rate limits; X-Forwarded-For from 127.0.0.1 is believed (each resident has an address). */
async function appWith(url: string, poolSize: number): Promise<NestFastifyApplication> {
  return createApp({ config: benchConfig(url, poolSize), databaseUrl: url, logger: false });
}

/** The app's configuration in this benchmark (TUKIAIKA_BOOKING_WRITERS and _BATCH may be given to try other values). */
function benchConfig(url: string, poolSize: number): AppConfig {
  return loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: url,
    TUKIAIKA_AUTH_SECRET: randomBytes(32).toString('base64url'),
    TUKIAIKA_DB_POOL_SIZE: String(poolSize),
    ...(process.env.TUKIAIKA_BOOKING_WRITERS ? { TUKIAIKA_BOOKING_WRITERS: process.env.TUKIAIKA_BOOKING_WRITERS } : {}),
    ...(process.env.TUKIAIKA_BOOKING_BATCH ? { TUKIAIKA_BOOKING_BATCH: process.env.TUKIAIKA_BOOKING_BATCH } : {}),
    TUKIAIKA_RATE_LOGIN_PER_ACCOUNT: '1000000',
    TUKIAIKA_RATE_LOGIN_PER_IP: '1000000',
    TUKIAIKA_RATE_BOOKING_PER_IP: '1000000',
    TUKIAIKA_RATE_BOOKING_PER_CONTACT: '1000000',
    TUKIAIKA_TRUSTED_PROXIES: '127.0.0.1',
    TUKIAIKA_DEMO_DATA: 'false',
  });
}

function phoneOf(n: number): string {
  return `+35850${String(1_000_000 + n).padStart(7, '0')}`;
}

function ipOf(n: number): string {
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

function statusText(statuses: Record<string, number>): string {
  return `(${Object.entries(statuses)
    .map(([s, n]) => `${s}: ${n}`)
    .join(', ')})`;
}

/** One request at a time, recording every statement the app sends for it. */
/**
 * Makes the new cluster's WAL look like a running server's: `count` segments written and
 * checkpointed, which PostgreSQL then keeps, renamed, as the next segments (up to max_wal_size).
 * A new cluster has none, so each 16 MB segment was created by writing 16 MB of zeros
 * (wal_init_zero) inside whichever commit first needed it: every ≈ 5,700 bookings one batch took
 * ≈ 40 ms longer (seen in every traced run), and up to ≈ 300 ms when the disk was busy. A server
 * that has been running reuses its old segments instead. Returns how many segments are ready.
 */
async function recycledWalSegments(admin: Client, count: number): Promise<number> {
  for (let i = 0; i < count; i++) {
    // A WAL record, so that there is something to switch away from.
    await admin.query(`SELECT pg_logical_emit_message(false, 'tukiaika-bench', 'wal'), pg_switch_wal()`);
  }
  await admin.query('CHECKPOINT');
  const { rows } = await admin.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_ls_waldir() WHERE name ~ '^[0-9A-F]{24}$' AND name > pg_walfile_name(pg_current_wal_lsn())`,
  );
  return rows[0].n;
}

async function takeCensus(base: string, probe: AppProbe, requests: PostRequest[], takenSlot: BenchSlot, requestFor: (s: BenchSlot) => PostRequest): Promise<Census> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const url = new URL('/api/v1/bookings', base);
  const perBooking: QueryRecord[][] = [];
  let latency = 0;
  probe.reset();
  probe.enabled = true;
  probe.capture = true;
  for (const r of requests) {
    const mark = probe.records.length;
    const t0 = performance.now();
    const answer = await post(agent, url, r);
    latency += performance.now() - t0;
    if (answer.status !== 201) throw new Error(`census request answered ${answer.status}: ${answer.body.slice(0, 300)}`);
    perBooking.push(probe.records.slice(mark).sort((a, b) => a.at - b.at));
  }
  const totals = { ...probe.totals };
  // The 409 path: the same slot again, by other residents.
  const first = await post(agent, url, requestFor(takenSlot));
  const conflictRecords: QueryRecord[][] = [];
  let conflict: Census['conflict'];
  if (first.status === 201) {
    for (let i = 0; i < 5; i++) {
      const mark = probe.records.length;
      const answer = await post(agent, url, requestFor(takenSlot));
      if (answer.status !== 409) break;
      conflictRecords.push(probe.records.slice(mark).sort((a, b) => a.at - b.at));
    }
    if (conflictRecords.length) conflict = { requests: conflictRecords.length, statements: conflictRecords.flat().length, rows: censusRows(conflictRecords) };
  }
  probe.enabled = false;
  probe.capture = false;
  agent.destroy();
  const flat = perBooking.flat();
  return {
    bookings: perBooking.length,
    statements: flat.length,
    inTx: flat.filter((r) => r.inTx).length,
    rows: censusRows(perBooking),
    latencyMs: latency / requests.length,
    txOpenMs: totals.txOpenMs / Math.max(1, totals.tx),
    txBusyMs: totals.inTxQueryMs / Math.max(1, totals.tx),
    outside: perBooking.map((recs) => recs.filter((r) => !r.inTx).map((r) => ({ text: r.text, values: r.values }))),
    firstTransaction: perBooking[0].filter((r) => r.inTx).map((r) => r.text),
    conflict,
  };
}

function censusRows(groups: QueryRecord[][]): CensusRow[] {
  const rows = new Map<string, { inTx: boolean; n: number; ms: number; order: number }>();
  for (const recs of groups) {
    recs.forEach((r, i) => {
      const label = labelOf(r.text);
      const k = `${r.inTx ? 'tx' : 'pool'}|${label}`;
      const row = rows.get(k) ?? { inTx: r.inTx, n: 0, ms: 0, order: i };
      row.n++;
      row.ms += r.ms;
      row.order = Math.min(row.order, i);
      rows.set(k, row);
    });
  }
  return [...rows]
    .sort((a, b) => a[1].order - b[1].order)
    .map(([k, r]) => ({ label: k.split('|')[1], inTx: r.inTx, perBooking: r.n / groups.length, meanMs: r.ms / r.n }));
}

interface ReportInput {
  /** How the service's booking writer batches (the raw loop's default too). */
  writer: { maxInFlight: number; maxBatch: number };
  /** Load averages at the start and at the end. */
  load: [number[], number[]];
  /** Cores busy with other work during one second before the run. */
  background: number;
  opt: Options;
  pgVersion: string;
  settings: { name: string; setting: string }[];
  world: BookingWorld;
  ruleCount: number;
  freeSlots: number;
  existing: number;
  headline: HttpMeasure[];
  paced: HttpMeasure;
  census: Census;
  sweep: HttpMeasure[];
  raw: RawMeasure[];
  pgbench: PgbenchResult[];
  pgbenchBinary?: string;
  pgbenchNote: string;
  stampede: PostLoadResult;
  stampedeHeld: number;
  stampedeCpu: { main: number; process: number; postgres: number };
  stampedeGc: GcTotals;
  shortPhases: string[];
  profiles: ProfileRun[];
}

interface ProfileRun {
  title: string;
  measured: HttpMeasure;
  file: string;
  summary: ProfileSummary;
}

function report(r: ReportInput): void {
  const f = (n: number, d = 1, w = 7) => (Number.isFinite(n) ? n.toFixed(d) : '–').padStart(w);
  const cores = os.cpus().length;
  const poolOf = (p: number) => `${p}`;
  console.log('\n================ Booking benchmark ================');
  console.log(`machine: ${cores} cores (${os.cpus()[0]?.model.trim()}), Node ${process.version} (flags: ${process.execArgv.join(' ') || 'none'}), PostgreSQL ${r.pgVersion} embedded (${r.settings.map((s) => `${s.name}=${s.setting}`).join(', ')})`);
  console.log(
    `other work on the machine during 1 s before the run: ${r.background.toFixed(2)} cores; load average (1 min) at the start ${r.load[0][0].toFixed(2)}, at the end ${r.load[1][0].toFixed(2)}` +
      (r.background > 0.2 ? '  — the machine was not quiet: figures are lower than they would be' : ''),
  );
  console.log('(the "other" columns below show other processes and kernel threads during each phase)');
  console.log(
    `dataset (seed "${SEED}", real now): ${r.world.locationIds.length} branches, ${r.world.tutorIds.length} tutors, ${r.ruleCount} weekly rules, 60 absences, 4 closures; ` +
      `${r.freeSlots} free slots in 58 days, ${r.existing} booked beforehand`,
  );
  console.log(
    `requests: POST /api/v1/bookings, tutorId + start of a distinct free slot, distinct resident (phone, X-Forwarded-For)${r.opt.key ? ', Idempotency-Key' : ''}; ` +
      `app in-process, rate limits 1,000,000; DB pool ${poolOf(r.opt.pool)} unless said; load from a worker thread (same 2 cores)`,
  );

  const cpuCols = (cpu: CpuUse, n: number, seconds: number) =>
    `${f((1000 * cpu.main) / n, 2, 5)} ${f((1000 * cpu.rest) / n, 2, 5)} ${f((1000 * cpu.postgres) / n, 2, 5)} ${f((1000 * cpu.irq) / n, 2, 5)} | ${f(Math.max(0, cpu.others) / seconds, 2, 4)} ${f(cpu.steal / seconds, 2, 4)}`;
  const cpuHead = `CPU ms per booking: app  rest    PG   irq | other steal (cores)`;
  console.log(`\n1. HTTP bookings (${r.opt.seconds} s each after ${r.opt.warmup} warm-up requests; the paced run: ${r.opt.shortSeconds} s)`);
  console.log(`${'load'.padEnd(22)} ${'n'.padStart(6)} ${'201'.padStart(6)} ${'409'.padStart(5)} ${'other'.padStart(5)} ${'5xx'.padStart(4)} ${'book/s'.padStart(7)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} loop  ${cpuHead}`);
  for (const m of [...r.headline, r.paced]) {
    const s = m.result.statuses;
    const n = m.result.latencies.length;
    const c201 = s['201'] ?? 0;
    const c409 = s['409'] ?? 0;
    const c5xx = Object.entries(s)
      .filter(([k]) => /(^|\s)(5\d\d|0)$/.test(k))
      .reduce((a, [, v]) => a + v, 0);
    const load = m.ratePerSecond ? `paced ${m.ratePerSecond}/s (≤ ${m.connections})` : `${m.connections} connections`;
    console.log(
      `${load.padEnd(22)} ${String(n).padStart(6)} ${String(c201).padStart(6)} ${String(c409).padStart(5)} ${String(n - c201 - c409).padStart(5)} ${String(c5xx).padStart(4)} ${f(m.rps, 0)} ${f(m.p50)} ${f(m.p99)} ${`${(100 * m.elu).toFixed(0)}%`.padStart(4)}                      ${cpuCols(m.cpu, Math.max(1, c201), m.result.seconds)}`,
    );
    for (const sample of m.result.samples) console.log(`    e.g. ${sample}`);
  }
  for (const m of r.headline) {
    const n = Math.max(1, m.result.statuses['201'] ?? 0);
    const total = (1000 * (m.cpu.main + m.cpu.rest + m.cpu.postgres + m.cpu.irq)) / n;
    console.log(
      `   ${m.connections} connections: ${total.toFixed(1)} CPU ms per booking in all (app ${((1000 * m.cpu.main) / n).toFixed(1)}, PostgreSQL ${((1000 * m.cpu.postgres) / n).toFixed(1)}) → ` +
        `at most ~${((1000 * os.cpus().length) / total).toFixed(0)} bookings/s on ${os.cpus().length} cores with the load generator, ~${((1000 * os.cpus().length) / (total - (1000 * m.cpu.rest) / n)).toFixed(0)} without it`,
    );
  }
  console.log(
    '   loop = the app thread’s event-loop utilisation; app = its CPU, rest = the rest of this process (mostly the load generator), PG = our PostgreSQL,\n' +
      '   irq = kernel interrupt/softirq time (loopback TCP), other = other processes and kernel threads (cores in use), steal = hypervisor. 2 cores = 2,000 CPU ms per second.',
  );

  console.log(
    `\n2. raw: the service’s booking statement from a plain pg Pool (pool = connections), closed loop, through the service’s writer ` +
      `(${r.writer.maxInFlight} in flight, up to ${r.writer.maxBatch} bookings per transaction) unless said`,
  );
  console.log(`${'what'.padEnd(52)} ${'conn'.padStart(4)} ${'ops/s'.padStart(7)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'stmts'.padStart(5)}  ${cpuHead.replace('per booking: app  rest', 'per op: node  --').replace('node  --', 'node    -')}`);
  for (const m of r.raw) {
    const ops = Math.max(1, m.result.ok);
    console.log(
      `${m.label.padEnd(52)} ${String(m.connections).padStart(4)} ${f(m.rps, 0)} ${f(m.p50, 2)} ${f(m.p99, 2)} ${f(m.result.statementsPerOp, 0, 5)}  ${cpuCols({ ...m.cpu, main: m.cpu.main + m.cpu.rest, rest: NaN }, ops, m.result.seconds)}` +
        (m.result.failed ? `   ${m.result.failed} failed ${JSON.stringify(m.result.errors)}` : ''),
    );
  }
  const rawAll = r.raw.find((m) => m.label.startsWith('raw, all statements'));
  const http16 = r.headline.find((m) => m.connections === 16);
  if (rawAll && http16) {
    console.log(
      `   HTTP at 16 / raw with all ${rawAll.result.statementsPerOp.toFixed(0)} statements at 16 = ${(http16.rps / rawAll.rps).toFixed(2)}: with the SQL held equal, the rest of the request ` +
        `(Fastify, Nest, validation, TypeORM, crypto, JSON, and the HTTP load generator on the same cores) takes the remaining ${(100 * (1 - http16.rps / rawAll.rps)).toFixed(0)} %`,
    );
  }
  const rawTexts = (r.raw[0]?.result.firstTransaction ?? []).map(norm);
  const appTexts = r.census.firstTransaction.map(norm);
  const same = rawTexts.length === appTexts.length && rawTexts.every((t, i) => t === appTexts[i]);
  console.log(
    same
      ? `   the raw transaction sends exactly the ${appTexts.length} statements (same SQL text, same order) the app sent inside its booking transaction`
      : `   NOTE: the raw transaction differs from what the app sent inside its transaction:\n${diffText(appTexts, rawTexts)}`,
  );

  console.log('\n3. PostgreSQL alone: pgbench, one booking-row INSERT per transaction (EXCLUDE, FKs, indexes active), -M prepared, -j 2');
  if (r.pgbench.length) {
    console.log(`   ${r.pgbenchBinary}`);
    for (const p of r.pgbench) console.log(`   ${String(p.clients).padStart(2)} clients, ${p.seconds} s: ${f(p.tps, 0)} inserts/s, p50 ${f(p.p50, 2)} ms, p99 ${f(p.p99, 2)} ms, ${p.failed} failed`);
  }
  if (r.pgbenchNote) console.log(`   ${r.pgbenchNote}`);

  const st = r.stampede;
  console.log(`\n4. stampede: ${r.opt.stampede} simultaneous requests (distinct residents, own connections) for one slot`);
  console.log(
    `   ${statusText(st.statuses)} in ${st.seconds.toFixed(2)} s; problems ${JSON.stringify(st.problems)}; active bookings on that slot afterwards: ${r.stampedeHeld}; ` +
      `CPU: app thread ${r.stampedeCpu.main.toFixed(2)} s (GC pauses ${r.stampedeGc.pauses}, ${r.stampedeGc.ms.toFixed(0)} ms, mark-compact ${r.stampedeGc.majorMs.toFixed(0)} ms), ` +
      `rest of the process ${(r.stampedeCpu.process - r.stampedeCpu.main).toFixed(2)} s, PostgreSQL ${r.stampedeCpu.postgres.toFixed(2)} s`,
  );

  console.log('\n5. targets');
  const h16 = r.headline.find((m) => m.connections === 16);
  const raw16 = r.raw.find((m) => m.connections === 16 && m.label === 'raw transaction');
  // No ratio (a MISS) when the raw phase measured nothing, e.g. out of free slots.
  const ratio = h16 && raw16 && raw16.result.ok > 0 ? h16.rps / raw16.rps : NaN;
  const s201 = st.statuses['201'] ?? 0;
  const s409 = st.statuses['409'] ?? 0;
  const zero5xx = r.headline.every((m) => !Object.keys(m.result.statuses).some((k) => /(^|\s)(5\d\d|0)$/.test(k)));
  const lines: [string, string, string, boolean][] = [
    ['HTTP bookings/s at 16 conn ≥ 0.5 × raw at 16', `${f(h16?.rps ?? NaN, 0, 0)} vs raw ${f(raw16?.rps ?? NaN, 0, 0)} = ${f(ratio, 2, 0)} ×`, '≥ 0.50 ×', ratio >= 0.5],
    ['HTTP p99 at 16 connections', `${f(h16?.p99 ?? NaN, 1, 0)} ms`, '≤ 50 ms', (h16?.p99 ?? Infinity) <= 50],
    ['stampede duration', `${st.seconds.toFixed(2)} s`, '≤ 2 s', st.seconds <= 2],
    ['stampede: exactly one 201, the rest 409', `${s201} × 201, ${s409} × 409`, `1 / ${r.opt.stampede - 1}`, s201 === 1 && s409 === r.opt.stampede - 1 && r.stampedeHeld === 1],
    ['no 5xx in the HTTP runs', zero5xx ? 'none' : 'some', 'none', zero5xx],
  ];
  for (const [what, got, want, ok] of lines) console.log(`   ${what.padEnd(46)} ${got.padStart(28)}   target ${want.padEnd(10)} ${ok ? 'PASS' : 'MISS'}`);
  if (r.shortPhases.length) console.log(`   WARNING: phases that ran out of free slots (their figures cover less time): ${r.shortPhases.join('; ')}`);

  const c = r.census;
  console.log(`\n6. statements per booking (census: ${c.bookings} bookings one at a time, every statement the app's pg connections sent)`);
  console.log(
    `   ${(c.statements / c.bookings).toFixed(1)} statements per booking: ${(c.inTx / c.bookings).toFixed(1)} inside the transaction, ${((c.statements - c.inTx) / c.bookings).toFixed(1)} on other pooled connections; ` +
      `latency at 1 connection ${c.latencyMs.toFixed(1)} ms; transaction open ${c.txOpenMs.toFixed(2)} ms of which its own statements ${c.txBusyMs.toFixed(2)} ms`,
  );
  console.log(`   ${'where'.padEnd(5)} ${'statement'.padEnd(58)} ${'per booking'.padStart(11)} ${'mean ms'.padStart(8)}`);
  for (const row of c.rows) console.log(`   ${(row.inTx ? 'tx' : 'pool').padEnd(5)} ${row.label.padEnd(58)} ${f(row.perBooking, 2, 11)} ${f(row.meanMs, 3, 8)}`);
  if (c.conflict) {
    console.log(`   a 409 (slot taken: new residents asking for a booked slot): ${(c.conflict.statements / c.conflict.requests).toFixed(1)} statements each:`);
    for (const row of c.conflict.rows) console.log(`   ${(row.inTx ? 'tx' : 'pool').padEnd(5)} ${row.label.padEnd(58)} ${f(row.perBooking, 2, 11)} ${f(row.meanMs, 3, 8)}`);
  }

  console.log(`\n7. pool size (same HTTP load, instrumented, ${r.opt.shortSeconds} s each)`);
  console.log(`   ${'pool'.padEnd(12)} ${'conn'.padStart(4)} ${'book/s'.padStart(7)} ${'p50'.padStart(6)} ${'p99'.padStart(6)} | wait per booking ms: pool | transaction open ms: total  own stmts  idle | app connections (avg): active  idle-in-tx  idle`);
  for (const m of r.sweep) {
    const p = m.probe!;
    const n = Math.max(1, m.result.statuses['201'] ?? 0);
    const a = m.activity!;
    const open = p.txOpenMs / Math.max(1, p.tx);
    const own = p.inTxQueryMs / Math.max(1, p.tx);
    console.log(
      `   ${String(m.pool).padEnd(12)} ${String(m.connections).padStart(4)} ${f(m.rps, 0)} ${f(m.p50, 1, 6)} ${f(m.p99, 1, 6)} |                ${f(p.poolWaitMs / n, 1, 6)} |                    ${f(open, 1, 6)} ${f(own, 1, 10)} ${`${((100 * (open - own)) / open).toFixed(0)}%`.padStart(5)} |                 ${f(a.active, 1, 6)} ${f(a.idleInTx, 1, 11)} ${f(a.idle, 1, 5)}` +
        (Object.keys(m.result.statuses).some((k) => k !== '201') ? `  ${statusText(m.result.statuses)}` : ''),
    );
  }
  console.log(
    '   pool = waiting for a pooled connection (all statements of the booking);\n' +
      '   idle = share of a transaction’s open time not spent in its own statements (waiting for the app between statements, and for CPU).',
  );

  console.log('\n8. where the time goes: CPU profiles of the app thread (V8 sampling profiler, as node --cpu-prof; written to .tmp/)');
  if (r.profiles.length === 0) console.log('   skipped (BENCH_BOOKINGS_PROFILE=0 or --skip-profile)');
  for (const [i, p] of r.profiles.entries()) {
    const cpuMs = (1000 * p.measured.cpu.main) / Math.max(1, p.measured.result.statuses['201'] ?? 0);
    console.log(
      `\n   ${String.fromCharCode(97 + i)}) ${p.title}: ${p.measured.rps.toFixed(0)} bookings/s, p99 ${p.measured.p99.toFixed(1)} ms, app thread CPU ${cpuMs.toFixed(2)} ms per booking; ${p.file}` +
        `\n      (re-summarise: node dist/bench/cpuprofile-summary.js ${p.file})`,
    );
    const text = i === 0 ? formatProfileSummary(p.summary, 25) : formatProfileSummary({ ...p.summary, byPackage: p.summary.byPackage.slice(0, 12), byFunction: p.summary.byFunction.slice(0, 12), inclusive: [] }, 12);
    console.log(
      text
        .split('\n')
        .map((l) => `      ${l}`)
        .join('\n'),
    );
  }
  if (r.profiles.length) {
    console.log(
      '   The sampler counts wall time while the thread is busy: under saturation a thread preempted in a syscall (writev waking a PostgreSQL backend on the\n' +
        '   same 2 cores) keeps being counted there, so (a) overstates pg’s socket writes; (b), with idle CPU, is closer to CPU shares.\n' +
        '   JSON.parse/stringify do not appear as frames: their time is in their callers (body parsing under Fastify, pg/TypeORM rows, the app).',
    );
  }
}

function diffText(app: string[], raw: string[]): string {
  const out: string[] = [];
  for (let i = 0; i < Math.max(app.length, raw.length); i++) {
    if (app[i] !== raw[i]) out.push(`     #${i + 1} app: ${(app[i] ?? '—').slice(0, 110)}\n         raw: ${(raw[i] ?? '—').slice(0, 110)}`);
  }
  return out.join('\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
