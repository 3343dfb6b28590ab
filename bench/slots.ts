import 'reflect-metadata';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { ensureDatabase } from '../src/database/embedded-postgres';
import { FULL_SIZES, NationalSizes } from '../scripts/seed/national-seed';
import { Random } from '../scripts/seed/random';
import { startBenchApp } from './common/bench-app';
import { fixed } from './common/format';
import { LOAD_OPTIONS, loadSettings, printMachineLine, startLoadRun } from './common/load-run';
import { seedWorld } from './common/national-world';
import { measureSlotRun } from './slots/measure';
import { profiled } from './slots/profile';
import { nationalQueries, SlotQuery, smallWorldQuery } from './slots/queries';
import { printSlotReport, QueryRuns } from './slots/report';

/**
 * npm run bench:slots -- [--runs 3] [--requests 2000] [--warmup 200] [--concurrency 8] [--max-seconds 90]
 *                        [--only a,b,c,d,e] [--dir .tmp/bench-x] [--keep] [--profile] [--without-claims]
 *
 * GET /slots over HTTP against the national dataset (800 branches, 3,000 tutors, 100,000 bookings,
 * 150 partners with 2,000 approved claims; none with --without-claims, to compare) and a 300-tutor dataset, on an embedded PostgreSQL of its own in a throw-away folder (never the
 * developer's data). Each query is measured `--runs` times over the same world; the report gives
 * per query the median over the runs of p50/p95/p99 and of the app thread's CPU per request, the
 * runs beside them, and PASS/MISS against the targets on the medians. Targets live here, not in
 * tests, so it exits 0 whether they are met or not. With --dir and --keep the databases stay and
 * a second run skips most of the seeding (the seeder is idempotent). With --profile each query then
 * gets one extra, unmeasured run under V8's sampling profiler (the app's thread, after the measured
 * runs, so caches are as warm as in the last of them), written to
 * .tmp/bench-slots-<query>-….cpuprofile and summarised by area, package and function.
 */

const SMALL_SIZES: NationalSizes = { branches: 80, tutors: 300, bookings: 10_000 };
const POOL_SIZE = 10;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { ...LOAD_OPTIONS, only: { type: 'string' }, profile: { type: 'boolean', default: false }, 'without-claims': { type: 'boolean', default: false } },
  });
  const settings = loadSettings(values);
  const { runs, requests, warmup, concurrency, maxSeconds } = settings;
  const wanted = (key: string) => !values.only || values.only.split(',').includes(key);
  const started = Date.now();

  const { server, stop: stopAll } = await startLoadRun('Slot search benchmark', 'query', settings);
  const smallUrl = server.url.replace(/\/tukiaika_bench$/, '/tukiaika_bench_small');
  await ensureDatabase(server.adminUrl, 'tukiaika_bench_small');

  try {
    const now = new Date();
    const national = values['without-claims'] ? { ...FULL_SIZES, partners: 0, claims: 0 } : FULL_SIZES;
    await seedWorld(`national (3,000 tutors, ${national.claims} claims)`, server.url, national, now);
    await seedWorld('small (300 tutors)', smallUrl, SMALL_SIZES, now);

    /** Every run of every query, the runs of one world back to back on one app. */
    const measureAll = async (url: string, queriesOf: (ds: DataSource) => Promise<SlotQuery[]>): Promise<QueryRuns[]> => {
      // No job worker: the seeded bookings' messages would otherwise be sent during the runs.
      const { app, baseUrl } = await startBenchApp(url, POOL_SIZE, { TUKIAIKA_WORKERS: 'false' });
      try {
        const measured = (await queriesOf(app.get(DataSource))).filter((q) => wanted(q.key)).map((query) => ({ query, runs: [] as QueryRuns['runs'] }));
        for (let run = 1; run <= runs; run++) {
          for (const m of measured) {
            m.runs.push(await measureSlotRun({ baseUrl, paths: m.query.paths(warmup + requests), warmup, concurrency, maxSeconds }));
            console.log(`  run ${run} of ${runs}: ${m.query.title}: p95 ${fixed(m.runs[run - 1].p95)} ms, event loop ${fixed(m.runs[run - 1].cpuMs, 2)} ms per request`);
          }
        }
        if (values.profile) {
          for (const { query } of measured) {
            const file = path.join(__dirname, '..', '..', '.tmp', `bench-slots-${query.key}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`);
            const job = { baseUrl, paths: query.paths(warmup + requests), warmup, concurrency, maxSeconds };
            console.log(`\nprofiled run (not measured): ${query.title}\n${await profiled(file, () => measureSlotRun(job))}\n`);
          }
        }
        return measured;
      } finally {
        await app.close();
      }
    };
    const measured = [
      ...(await measureAll(server.url, (ds) => nationalQueries(ds, new Random('bench'), now))),
      ...(wanted('d') ? await measureAll(smallUrl, async (ds) => [await smallWorldQuery(ds, new Random('bench'))]) : []),
    ];
    printSlotReport(measured, { concurrency, warmup, requests, runs });
    printMachineLine(started);
  } finally {
    await stopAll();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
