import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { FULL_SIZES } from '../scripts/seed/national-seed';
import { Random } from '../scripts/seed/random';
import { startBenchApp } from './common/bench-app';
import { fixed } from './common/format';
import { LOAD_OPTIONS, loadSettings, printMachineLine, startLoadRun } from './common/load-run';
import { seedWorld } from './common/national-world';
import { weighFlow } from './pages/flow';
import { measureMixedRun } from './pages/measure';
import { openBranchTopics, pagePairs } from './pages/queries';
import { PairRuns, printLatencyReport, printWeightReport } from './pages/report';

/**
 * npm run bench:pages -- [--runs 3] [--requests 2000] [--warmup 200] [--concurrency 8] [--max-seconds 90]
 *                        [--dir .tmp/bench-x] [--keep]
 *
 * The resident pages over HTTP on the national dataset that bench:slots seeds, on an embedded
 * PostgreSQL of its own in a throw-away folder: (1) the time-picking page (one branch, 14 days)
 * and (2) the branch page, each against the GET /api/v1/slots query behind it (same branch and
 * topic per request), their requests interleaved in one load, the ratio of the p95s against
 * its target; (3) every page of the flow, a real booking included, weighed
 * as transferred with its stylesheet and checked for references to other origins. Targets live
 * here, not in tests, so it exits 0 whether they are met or not.
 */

const POOL_SIZE = 10;

async function main(): Promise<void> {
  const settings = loadSettings(parseArgs({ options: LOAD_OPTIONS }).values);
  const { runs, requests, warmup, concurrency, maxSeconds } = settings;
  const started = Date.now();
  const { server, stop: stopAll } = await startLoadRun('Resident pages benchmark', 'page or query', settings);

  try {
    const now = new Date();
    await seedWorld('national (3,000 tutors)', server.url, FULL_SIZES, now);
    const { app, baseUrl } = await startBenchApp(server.url, POOL_SIZE, { TUKIAIKA_WORKERS: 'false' });
    try {
      const rnd = new Random('bench-pages');
      const open = await openBranchTopics(app.get(DataSource), rnd);
      const measured: PairRuns[] = pagePairs(open, rnd).map((pair) => ({ pair, runs: [] }));
      for (let run = 1; run <= runs; run++) {
        for (const m of measured) {
          const r = await measureMixedRun({ baseUrl, ...m.pair.paths(warmup + requests), warmup, concurrency, maxSeconds, marker: m.pair.marker });
          m.runs.push(r);
          console.log(`  run ${run} of ${runs}: ${m.pair.title}: p95 ${fixed(r.page.p95)} ms; its slot query: p95 ${fixed(r.api.p95)} ms`);
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
    printMachineLine(started);
  } finally {
    await stopAll();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
