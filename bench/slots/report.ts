import { column, fixed } from '../common/format';
import { median } from '../common/stats';
import { CPU_METHOD, SlotRun } from './measure';
import { GROWTH_RATIO_TARGET, SlotQuery } from './queries';

export interface QueryRuns {
  query: SlotQuery;
  runs: SlotRun[];
}

const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
const perRun = (runs: SlotRun[], pick: (r: SlotRun) => number, digits: number) => runs.map((r) => fixed(pick(r), digits)).join(' / ');

/** Per query the median over the runs of p50/p95/p99 and of the app thread's ms per request, the runs beside them, PASS/MISS on the medians. */
export function printSlotReport(measured: QueryRuns[], o: { concurrency: number; warmup: number; requests: number; runs: number }): void {
  console.log(`\nGET /slots, ${o.concurrency} concurrent keep-alive connections, ${o.runs} run(s) of ${o.warmup} warm-up + ${o.requests} requests per query; latency in ms`);
  console.log(CPU_METHOD);
  console.log(`figures are medians over the runs; targets are checked on them (a query with non-200 or empty answers is a MISS)\n`);
  console.log(`${'query'.padEnd(40)} ${'n'.padStart(6)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'p99'.padStart(7)} ${'req/s'.padStart(7)} ${'loop'.padStart(6)} ${'cpu'.padStart(6)}   p95 target      loop target`);
  for (const { query, runs } of measured) {
    const bad = runs.reduce((n, r) => n + r.result.non200 + r.result.empty, 0);
    const p95 = median(runs.map((r) => r.p95));
    const cpu = median(runs.map((r) => r.cpuMs));
    const cpuTarget = query.cpuTarget === undefined ? '' : `≤ ${query.cpuTarget.toFixed(1)} ms ${verdict(cpu <= query.cpuTarget && bad === 0)}`;
    console.log(
      `${query.title.padEnd(40)} ${String(median(runs.map((r) => r.result.latencies.length))).padStart(6)} ${column(median(runs.map((r) => r.p50)))} ${column(p95)} ${column(median(runs.map((r) => r.p99)))} ` +
        `${column(median(runs.map((r) => r.rps)), 0)} ${column(cpu, 2, 6)} ${column(median(runs.map((r) => r.threadCpuMs)), 2, 6)}   ≤ ${String(query.p95Target).padStart(2)} ms ${verdict(p95 <= query.p95Target && bad === 0)}   ${cpuTarget}`,
    );
    console.log(`    runs: p50 ${perRun(runs, (r) => r.p50, 1)}; p95 ${perRun(runs, (r) => r.p95, 1)}; p99 ${perRun(runs, (r) => r.p99, 1)}; loop ${perRun(runs, (r) => r.cpuMs, 2)}; cpu ${perRun(runs, (r) => r.threadCpuMs, 2)}`);
    if (runs.some((r) => r.result.timedOut)) console.log('    (a run stopped at the time limit)');
    if (bad) {
      console.log(`    ${runs.reduce((n, r) => n + r.result.non200, 0)} non-200 answers, ${runs.reduce((n, r) => n + r.result.empty, 0)} answers without items`);
      for (const s of runs.flatMap((r) => r.result.samples).slice(0, 3)) console.log(`    e.g. ${s}`);
    }
  }
  const a = measured.find((m) => m.query.key === 'a');
  const d = measured.find((m) => m.query.key === 'd');
  if (a && d) {
    const ratio = median(a.runs.map((r) => r.p95)) / median(d.runs.map((r) => r.p95));
    const pairs = a.runs.map((r, i) => fixed(r.p95 / (d.runs[i]?.p95 ?? NaN), 2)).join(' / ');
    console.log(`${'cost growth: median p95 (a) on 3,000 tutors ÷ median p95 (d) on 300'.padEnd(79)} ${column(ratio, 2, 6)}   ≤ ${GROWTH_RATIO_TARGET}     ${verdict(ratio <= GROWTH_RATIO_TARGET)}`);
    console.log(`    runs (run i of (a) ÷ run i of (d)): ${pairs}`);
  }
}
