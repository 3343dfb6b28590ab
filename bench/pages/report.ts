import { column, fixed } from '../common/format';
import { median } from '../common/stats';
import type { SlotRun } from '../slots/measure';
import { PAGE_BYTES_TARGET, PageWeight } from './flow';
import { PAGE_RATIO_TARGET, PagePair } from './queries';

export interface PairRuns {
  pair: PagePair;
  page: SlotRun[];
  api: SlotRun[];
}

const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
const bad = (runs: SlotRun[]) => runs.reduce((n, r) => n + r.result.non200 + r.result.empty, 0);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** Per page and its slot query the medians over the runs of p50/p95/p99, and p95(page) ÷ p95(query) against the target. */
export function printLatencyReport(measured: PairRuns[], o: { concurrency: number; warmup: number; requests: number; runs: number }): void {
  console.log(`\nPages against the GET /api/v1/slots query behind them (same branch and topic per request, from now, 14 days), ${o.concurrency} keep-alive connections,`);
  console.log(`${o.runs} run(s) of ${o.warmup} warm-up + ${o.requests} requests each; page and query measured back to back in each run, their order alternating; latency in ms, medians over the runs\n`);
  console.log(`${''.padEnd(46)} ${'n'.padStart(6)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'p99'.padStart(7)} ${'req/s'.padStart(7)} ${'loop'.padStart(6)}`);
  const row = (title: string, runs: SlotRun[]) =>
    console.log(
      `${title.padEnd(46)} ${String(median(runs.map((r) => r.result.latencies.length))).padStart(6)} ${column(median(runs.map((r) => r.p50)))} ${column(median(runs.map((r) => r.p95)))} ` +
        `${column(median(runs.map((r) => r.p99)))} ${column(median(runs.map((r) => r.rps)), 0)} ${column(median(runs.map((r) => r.cpuMs)), 2, 6)}`,
    );
  for (const { pair, page, api } of measured) {
    row(pair.title, page);
    row('  GET /api/v1/slots behind it', api);
    const ratio = median(page.map((r) => r.p95)) / median(api.map((r) => r.p95));
    const failures = bad(page) + bad(api);
    console.log(`  p95 page ÷ p95 query ${column(ratio, 2, 6)}   ≤ ${PAGE_RATIO_TARGET}   ${verdict(ratio <= PAGE_RATIO_TARGET && failures === 0)}`);
    console.log(`    runs: p95 page ${page.map((r) => fixed(r.p95)).join(' / ')}; p95 query ${api.map((r) => fixed(r.p95)).join(' / ')}; ratio ${page.map((r, i) => fixed(r.p95 / api[i].p95, 2)).join(' / ')}`);
    if (failures) {
      console.log(`    ${failures} non-200 or empty answers`);
      for (const s of [...page, ...api].flatMap((r) => r.result.samples).slice(0, 3)) console.log(`    e.g. ${s}`);
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
