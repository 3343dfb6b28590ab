import { column, fixed } from '../common/format';
import { median } from '../common/stats';
import { PAGE_BYTES_TARGET, PageWeight } from './flow';
import type { MixedRun, SideRun } from './measure';
import { PAGE_RATIO_TARGET, PagePair } from './queries';

export interface PairRuns {
  pair: PagePair;
  runs: MixedRun[];
}

const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** Per page and its slot query the medians over the runs of p50/p95/p99, and p95(page) ÷ p95(query) against the target. */
export function printLatencyReport(measured: PairRuns[], o: { concurrency: number; warmup: number; requests: number; runs: number }): void {
  console.log(`\nPages against the GET /api/v1/slots query behind them (same branch and topic, from now, 14 days), ${o.concurrency} keep-alive connections, ${o.runs} run(s);`);
  console.log(`in each run ${o.warmup} warm-up + ${o.requests} page requests interleaved one for one with as many queries (page, query, page, …) in one load; latency in ms, medians over the runs`);
  console.log(`loop = the app thread's event-loop busy ms per request of the mixed load (pages and queries together)\n`);
  console.log(`${''.padEnd(46)} ${'n'.padStart(6)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'p99'.padStart(7)}`);
  const row = (title: string, sides: SideRun[]) =>
    console.log(
      `${title.padEnd(46)} ${String(median(sides.map((r) => r.n))).padStart(6)} ${column(median(sides.map((r) => r.p50)))} ${column(median(sides.map((r) => r.p95)))} ${column(median(sides.map((r) => r.p99)))}`,
    );
  for (const { pair, runs } of measured) {
    const page = runs.map((r) => r.page);
    const api = runs.map((r) => r.api);
    row(pair.title, page);
    row('  GET /api/v1/slots behind it', api);
    const ratio = median(page.map((r) => r.p95)) / median(api.map((r) => r.p95));
    const failures = [...page, ...api].reduce((n, r) => n + r.failures, 0);
    console.log(`  p95 page ÷ p95 query ${column(ratio, 2, 6)}   ≤ ${PAGE_RATIO_TARGET}   ${verdict(ratio <= PAGE_RATIO_TARGET && failures === 0)}   (loop ${fixed(median(runs.map((r) => r.loopMs)), 2)} ms per request)`);
    console.log(`    runs: p95 page ${page.map((r) => fixed(r.p95)).join(' / ')}; p95 query ${api.map((r) => fixed(r.p95)).join(' / ')}; ratio ${page.map((r, i) => fixed(r.p95 / api[i].p95, 2)).join(' / ')}`);
    if (runs.some((r) => r.timedOut)) console.log('    (a run stopped at the time limit)');
    if (failures) {
      console.log(`    ${failures} non-200 or empty answers`);
      for (const s of runs.flatMap((r) => r.samples).slice(0, 3)) console.log(`    e.g. ${s}`);
    }
  }
}

/** Each page of the flow: bytes transferred with its stylesheet(s), against the target, and references to other origins. */
export function printWeightReport(weights: PageWeight[]): void {
  const plainPages = weights.filter((w) => w.cssBytes > 0 && w.encoding === '').length;
  console.log(`\nEvery page of the flow (fi), requested with Accept-Encoding: gzip, br; a page counts with the stylesheet(s) it links`);
  if (plainPages) console.log(`${plainPages} page(s) came uncompressed: "sent" counts what was sent; "gzip" is what the page and its CSS weigh gzipped here (as a compressing proxy would send them)`);
  console.log(`\n${'page'.padEnd(26)} ${'status'.padStart(6)} ${'enc'.padStart(5)} ${'page'.padStart(9)} ${'css'.padStart(9)} ${'sent'.padStart(9)} ${'gzip'.padStart(9)}   ≤ ${kb(PAGE_BYTES_TARGET)}   other origins`);
  for (const w of weights) {
    const sent = w.pageBytes + w.cssBytes;
    console.log(
      `${w.title.padEnd(26)} ${String(w.status).padStart(6)} ${(w.encoding || '–').padStart(5)} ${kb(w.pageBytes).padStart(9)} ${kb(w.cssBytes).padStart(9)} ${kb(sent).padStart(9)} ${kb(w.gzipBytes).padStart(9)}   ` +
        `${verdict(sent <= PAGE_BYTES_TARGET && w.status < 400).padEnd(9)}   ${w.foreign.length ? `MISS ${w.foreign.slice(0, 3).join(' ')}` : 'none PASS'}`,
    );
  }
  console.log('\npaths:');
  for (const w of weights) console.log(`  ${w.title.padEnd(26)} ${w.path}`);
}
