import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.setup';
import { loadConfig } from '../src/config/app-config';
import { dataSourceOptions } from '../src/database/data-source-options';
import { ensureDatabase, startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { migrate } from '../src/database/migrate';
import { SystemClock } from '../src/common/time/clock';
import { formatIsoDate, localDayOf } from '../src/common/time/local-time';
import { FULL_SIZES, NationalSizes, seedNational, slotServices } from '../scripts/seed/national-seed';
import { progressBar } from '../scripts/seed/progress';
import { Random } from '../scripts/seed/random';
import type { LoadJob, LoadResult } from './http-load';

/**
 * npm run bench:slots -- [--requests 2000] [--warmup 200] [--concurrency 8] [--max-seconds 90] [--dir .tmp/bench-x] [--keep]
 *
 * GET /slots over HTTP against the national dataset (800 branches, 3,000 tutors, 100,000 bookings)
 * and a 300-tutor dataset, on an embedded PostgreSQL of its own in a throw-away folder (never the
 * developer's data). Prints p50/p95/p99 and req/s per query next to the targets; targets live here,
 * not in tests, so it exits 0 whether they are met or not. With --dir and --keep the databases stay
 * and a second run skips most of the seeding (the seeder is idempotent).
 */

const SMALL_SIZES: NationalSizes = { branches: 80, tutors: 300, bookings: 10_000 };
const ZONE = 'Europe/Helsinki';

interface Query {
  key: string;
  title: string;
  target: number;
  paths: string[];
}

interface Measured extends Query {
  result: LoadResult;
  /** Milliseconds the server's event loop was busy per measured request (incl. warm-up share). */
  serverMs: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      requests: { type: 'string', default: '2000' },
      warmup: { type: 'string', default: '200' },
      concurrency: { type: 'string', default: '8' },
      'max-seconds': { type: 'string', default: '90' },
      dir: { type: 'string' },
      keep: { type: 'boolean', default: false },
      only: { type: 'string' },
    },
  });
  const requests = Number(values.requests);
  const warmup = Number(values.warmup);
  const concurrency = Number(values.concurrency);
  const maxSeconds = Number(values['max-seconds']);
  const only = values.only ? new Set(values.only.split(',')) : undefined;
  const root = path.resolve(values.dir ?? path.join(__dirname, '..', '..', '.tmp', `bench-${process.pid}`));
  const started = Date.now();

  console.log(`Slot search benchmark: ${concurrency} keep-alive connections, ${warmup} warm-up + ${requests} requests per query`);
  console.log(`PostgreSQL: embedded, in ${root}${values.keep ? ' (kept)' : ' (removed afterwards)'}`);
  console.log(`${cpus().length} CPUs; load average before: ${loadavg().map((x) => x.toFixed(2)).join(' ')} (other processes on the machine skew the figures)`);
  const server = await startEmbeddedPostgres({ clusterDir: path.join(root, 'postgres'), database: 'tukiaika_bench' });
  const smallUrl = server.url.replace(/\/tukiaika_bench$/, '/tukiaika_bench_small');
  await ensureDatabase(server.adminUrl, 'tukiaika_bench_small');
  const stopAll = async () => {
    await server.stop();
    if (!values.keep) rmSync(root, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));

  try {
    const now = new Date();
    await seed('national (3,000 tutors)', server.url, FULL_SIZES, now);
    await seed('small (300 tutors)', smallUrl, SMALL_SIZES, now);

    const measured: Measured[] = [];
    const total = warmup + requests;
    await withApp(server.url, async (baseUrl, ds) => {
      const rnd = new Random('bench');
      const today = localDayOf(ZONE, now.getTime());
      const want = (key: string) => !only || only.has(key);
      const queries: Query[] = [];
      if (want('a')) queries.push({ key: 'a', title: '(a) municipality + topic, 14 days', target: 25, paths: await municipalityTopicPaths(ds, rnd, total) });
      if (want('b')) queries.push({ key: 'b', title: '(b) whole country, first 50, 14 days', target: 50, paths: Array.from({ length: total }, () => '/api/v1/slots?limit=50') });
      if (want('c')) {
        const ids = await branchIds(ds, rnd, total);
        const paths = ids.map((id) => `/api/v1/slots?locationId=${id}&from=${formatIsoDate(today)}&to=${formatIsoDate(today + 61)}`);
        queries.push({ key: 'c', title: '(c) one branch, 62 days', target: 15, paths });
      }
      for (const q of queries) measured.push({ ...q, ...(await load(baseUrl, q.paths, warmup, concurrency, maxSeconds)) });
    });
    if (!only || only.has('d')) {
      await withApp(smallUrl, async (baseUrl, ds) => {
        const q: Query = { key: 'd', title: '(d) = (a) on 300 tutors', target: 25, paths: await municipalityTopicPaths(ds, new Random('bench'), total) };
        measured.push({ ...q, ...(await load(baseUrl, q.paths, warmup, concurrency, maxSeconds)) });
      });
    }
    report(measured, concurrency);
    console.log(`\nwhole benchmark: ${((Date.now() - started) / 1000).toFixed(0)} s; ${cpus().length} CPUs; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} (1/5/15 min)`);
  } finally {
    await stopAll();
  }
}

async function seed(label: string, url: string, sizes: NationalSizes, now: Date): Promise<void> {
  await migrate(url);
  const ds = await new DataSource(dataSourceOptions(url, 5)).initialize();
  try {
    const t0 = Date.now();
    const result = await seedNational(ds, { ...sizes, now, progress: progressBar() });
    console.log(
      `seeded ${label}: ${result.locations.planned} branches, ${result.tutors.planned} tutors, ` +
        `${result.bookings.existing + result.bookings.created} bookings in ${((Date.now() - t0) / 1000).toFixed(1)} s` +
        (result.bookings.created === 0 && result.locations.created === 0 ? ' (existed)' : ''),
    );
  } finally {
    await ds.destroy();
  }
}

/** The real application on `url`, listening on 127.0.0.1 with raised rate limits. */
async function withApp(url: string, work: (baseUrl: string, ds: DataSource) => Promise<void>): Promise<void> {
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: url,
    TUKIAIKA_AUTH_SECRET: randomBytes(32).toString('base64url'),
    TUKIAIKA_DB_POOL_SIZE: '10',
    TUKIAIKA_RATE_LOGIN_PER_ACCOUNT: '1000000',
    TUKIAIKA_RATE_LOGIN_PER_IP: '1000000',
    TUKIAIKA_RATE_BOOKING_PER_IP: '1000000',
    TUKIAIKA_RATE_BOOKING_PER_CONTACT: '1000000',
    TUKIAIKA_DEMO_DATA: 'false',
  });
  const app = await createApp({ config, databaseUrl: url, logger: false });
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.getHttpServer().address();
    const port = typeof address === 'object' && address ? address.port : 0;
    await work(`http://127.0.0.1:${port}`, app.get(DataSource));
  } finally {
    await app.close();
  }
}

/**
 * Realistic (municipality, topic) pairs: those some tutor offers AND that have a free slot in
 * the next 14 days (checked once with a separate slot search, so the app's own caches stay
 * cold), drawn in proportion to how many tutors offer them (a proxy for how many residents
 * live there and ask for it).
 */
async function municipalityTopicPaths(ds: DataSource, rnd: Random, count: number): Promise<string[]> {
  const pairs: { code: string; slug: string; tutors: number }[] = await ds.query(
    `SELECT l.municipality_code AS code, tp.slug, count(DISTINCT t.id)::int AS tutors
       FROM tutors t JOIN tutor_locations tl ON tl.tutor_id = t.id JOIN locations l ON l.id = tl.location_id
       JOIN tutor_topics tt ON tt.tutor_id = t.id JOIN topics tp ON tp.id = tt.topic_id
      WHERE t.active AND l.active AND tp.active AND l.slug LIKE 'nat-%'
        AND EXISTS (SELECT 1 FROM availability_rules r WHERE r.tutor_id = t.id AND r.location_id = l.id)
      GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  const { slots } = slotServices(ds, new SystemClock());
  const open: typeof pairs = [];
  for (const p of pairs) if ((await slots.search({ municipality: p.code, topic: p.slug })).items.length > 0) open.push(p);
  console.log(`  (a): ${open.length} of ${pairs.length} offered municipality + topic pairs have a free slot in 14 days; requests draw from those`);
  return Array.from({ length: count }, () => {
    const p = rnd.weighted(open, (x) => x.tutors);
    return `/api/v1/slots?municipality=${p.code}&topic=${p.slug}`;
  });
}

async function branchIds(ds: DataSource, rnd: Random, count: number): Promise<string[]> {
  const rows: { id: string }[] = await ds.query(`SELECT id FROM locations WHERE active AND slug LIKE 'nat-%' ORDER BY slug`);
  return Array.from({ length: count }, () => rnd.pick(rows).id);
}

async function load(baseUrl: string, paths: string[], warmup: number, concurrency: number, maxSeconds: number): Promise<{ result: LoadResult; serverMs: number }> {
  const job: LoadJob = { baseUrl, paths, warmup, concurrency, maxSeconds };
  const before = performance.eventLoopUtilization();
  const result = await new Promise<LoadResult>((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, 'http-load.js'), { workerData: job });
    worker.once('message', (m: { ok: boolean; result?: LoadResult; error?: string }) => (m.ok ? resolve(m.result!) : reject(new Error(m.error))));
    worker.once('error', reject);
  });
  const busy = performance.eventLoopUtilization(before);
  return { result, serverMs: busy.active / (result.latencies.length + warmup) };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function report(measured: Measured[], concurrency: number): void {
  const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '–').padStart(7);
  console.log(`\nGET /slots, ${concurrency} concurrent keep-alive connections (latency in ms; cpu = server event-loop ms per request)`);
  console.log(`${'query'.padEnd(40)} ${'n'.padStart(6)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'p99'.padStart(7)} ${'req/s'.padStart(8)} ${'cpu'.padStart(6)}  target p95   result`);
  const p95 = new Map<string, number>();
  for (const m of measured) {
    const sorted = m.result.latencies.slice().sort((a, b) => a - b);
    const q95 = percentile(sorted, 95);
    p95.set(m.key, q95);
    const rps = sorted.length / m.result.seconds;
    const bad = m.result.non200 + m.result.empty;
    console.log(
      `${m.title.padEnd(40)} ${String(sorted.length).padStart(6)} ${fmt(percentile(sorted, 50))} ${fmt(q95)} ${fmt(percentile(sorted, 99))} ${rps.toFixed(0).padStart(8)} ${m.serverMs.toFixed(2).padStart(6)}  ≤ ${String(m.target).padStart(3)} ms    ${q95 <= m.target && bad === 0 ? 'PASS' : 'MISS'}` +
        (m.result.timedOut ? '  (stopped at the time limit)' : ''),
    );
    if (m.result.non200 || m.result.empty) {
      console.log(`    ${m.result.non200} non-200 answers, ${m.result.empty} answers without items`);
      for (const s of m.result.samples) console.log(`    e.g. ${s}`);
    }
  }
  const a = p95.get('a');
  const d = p95.get('d');
  if (a !== undefined && d !== undefined) {
    const ratio = a / d;
    console.log(`${'p95(3,000 tutors) / p95(300 tutors), query (a)'.padEnd(70)} ${ratio.toFixed(2).padStart(6)}  ≤ 3         ${ratio <= 3 ? 'PASS' : 'MISS'}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
