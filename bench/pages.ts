import 'reflect-metadata';
import { rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { FULL_SIZES } from '../scripts/seed/national-seed';
import { Random } from '../scripts/seed/random';
import { startBenchApp } from './common/bench-app';
import { fixed } from './common/format';
import { seedWorld } from './common/national-world';
import { weighFlow } from './pages/flow';
import { openBranchTopics, pagePairs } from './pages/queries';
import { PairRuns, printLatencyReport, printWeightReport } from './pages/report';
import { measureSlotRun } from './slots/measure';

/**
 * npm run bench:pages -- [--runs 3] [--requests 2000] [--warmup 200] [--concurrency 8] [--max-seconds 90]
 *                        [--dir .tmp/bench-x] [--keep]
 *
 * The resident pages over HTTP on the national dataset that bench:slots seeds, on an embedded
 * PostgreSQL of its own in a throw-away folder: (1) the time-picking page (one branch, 14 days)
 * and (2) the branch page, each against the GET /api/v1/slots query behind it (same branch and
 * topic per request), measured back to back in each run with their order alternating, the ratio
 * of the p95s against its target; (3) every page of the flow, a real booking included, weighed
 * as transferred with its stylesheet and checked for references to other origins. Targets live
 * here, not in tests, so it exits 0 whether they are met or not.
 */

const POOL_SIZE = 10;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '3' },
      requests: { type: 'string', default: '2000' },
      warmup: { type: 'string', default: '200' },
      concurrency: { type: 'string', default: '8' },
      'max-seconds': { type: 'string', default: '90' },
      dir: { type: 'string' },
      keep: { type: 'boolean', default: false },
    },
  });
  const runs = Math.max(1, Math.floor(Number(values.runs)));
  const requests = Number(values.requests);
  const warmup = Number(values.warmup);
  const concurrency = Number(values.concurrency);
  const maxSeconds = Number(values['max-seconds']);
  const root = path.resolve(values.dir ?? path.join(__dirname, '..', '..', '.tmp', `bench-${process.pid}`));
  const started = Date.now();

  console.log(`Resident pages benchmark: ${runs} run(s); ${concurrency} keep-alive connections, ${warmup} warm-up + ${requests} requests per page or query and run`);
  console.log(`PostgreSQL: embedded, in ${root}${values.keep ? ' (kept)' : ' (removed afterwards)'}`);
  console.log(`${cpus().length} CPUs; load average before: ${loadavg().map((x) => x.toFixed(2)).join(' ')} (other processes on the machine skew the figures)`);
  const server = await startEmbeddedPostgres({ clusterDir: path.join(root, 'postgres'), database: 'tukiaika_bench' });
  const stopAll = async () => {
    await server.stop();
    if (!values.keep) rmSync(root, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));

  try {
    const now = new Date();
    await seedWorld('national (3,000 tutors)', server.url, FULL_SIZES, now);
    const { app, baseUrl } = await startBenchApp(server.url, POOL_SIZE);
    try {
      const rnd = new Random('bench-pages');
      const open = await openBranchTopics(app.get(DataSource), rnd);
      const measured: PairRuns[] = pagePairs(open, rnd).map((pair) => ({ pair, page: [], api: [] }));
      for (let run = 1; run <= runs; run++) {
        for (const m of measured) {
          const paths = m.pair.paths(warmup + requests);
          const measurePage = async () => m.page.push(await measureSlotRun({ baseUrl, paths: paths.page, warmup, concurrency, maxSeconds, accept: 'text/html', marker: m.pair.marker }));
          const measureApi = async () => m.api.push(await measureSlotRun({ baseUrl, paths: paths.api, warmup, concurrency, maxSeconds }));
          if (run % 2) await measurePage().then(measureApi);
          else await measureApi().then(measurePage);
          console.log(`  run ${run} of ${runs}: ${m.pair.title}: p95 ${fixed(m.page[run - 1].p95)} ms; its slot query: p95 ${fixed(m.api[run - 1].p95)} ms`);
        }
      }
      printLatencyReport(measured, { concurrency, warmup, requests, runs });
      try {
        printWeightReport(await weighFlow(baseUrl, rnd.pick(open)));
      } catch (error) {
        console.log(`\nMISS: the flow could not be walked: ${error instanceof Error ? error.message : String(error)}`);
      }
    } finally {
      await app.close();
    }
    console.log(`\nwhole benchmark: ${((Date.now() - started) / 1000).toFixed(0)} s; ${cpus().length} CPUs; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} (1/5/15 min)`);
  } finally {
    await stopAll();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
