import { column as f, fixed } from '../common/format';
import type { Census } from './census';
import { HttpMeasure, statusText } from './http-phase';
import type { ProfileRun } from './profile-phase';
import { formatProfileSummary } from '../cpuprofile-summary';

/** Sections 6–8 of the booking benchmark's report: statements per booking, pool sweep, CPU profiles. */

export function printCensus(c: Census): void {
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

}

export function printSweep(sweep: HttpMeasure[], seconds: number): void {
  console.log(`\n7. pool size (same HTTP load, instrumented, ${seconds} s each)`);
  console.log(`   ${'pool'.padEnd(12)} ${'conn'.padStart(4)} ${'book/s'.padStart(7)} ${'p50'.padStart(6)} ${'p99'.padStart(6)} | wait per booking ms: pool | transaction open ms: total  own stmts  idle | app connections (avg): active  idle-in-tx  idle`);
  for (const m of sweep) {
    const p = m.probe!;
    const n = Math.max(1, m.result.statuses['201'] ?? 0);
    const a = m.activity!;
    const open = p.txOpenMs / Math.max(1, p.tx);
    const own = p.inTxQueryMs / Math.max(1, p.tx);
    console.log(
      `   ${String(m.spec.pool).padEnd(12)} ${String(m.spec.connections).padStart(4)} ${f(m.rps, 0)} ${f(m.p50, 1, 6)} ${f(m.p99, 1, 6)} |                ${f(p.poolWaitMs / n, 1, 6)} |                    ${f(open, 1, 6)} ${f(own, 1, 10)} ${`${((100 * (open - own)) / open).toFixed(0)}%`.padStart(5)} |                 ${f(a.active, 1, 6)} ${f(a.idleInTx, 1, 11)} ${f(a.idle, 1, 5)}` +
        (Object.keys(m.result.statuses).some((k) => k !== '201') ? `  ${statusText(m.result.statuses)}` : ''),
    );
  }
  console.log(
    '   pool = waiting for a pooled connection (all statements of the booking);\n' +
      '   idle = share of a transaction’s open time not spent in its own statements (waiting for the app between statements, and for CPU).',
  );
}

export function printProfiles(profiles: ProfileRun[]): void {
  console.log('\n8. where the time goes: CPU profiles of the app thread (V8 sampling profiler, as node --cpu-prof; written to .tmp/)');
  if (profiles.length === 0) console.log('   skipped (--skip-profile)');
  for (const [i, p] of profiles.entries()) {
    const cpuMs = (1000 * p.measured.cpu.main) / Math.max(1, p.measured.result.statuses['201'] ?? 0);
    console.log(
      `\n   ${String.fromCharCode(97 + i)}) ${p.title}: ${fixed(p.measured.rps, 0)} bookings/s, p99 ${fixed(p.measured.p99)} ms, app thread CPU ${cpuMs.toFixed(2)} ms per booking; ${p.file}` +
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
  if (profiles.length) {
    console.log(
      '   The sampler counts wall time while the thread is busy: under saturation a thread preempted in a syscall (writev waking a PostgreSQL backend on the\n' +
        '   same 2 cores) keeps being counted there, so (a) overstates pg’s socket writes; (b), with idle CPU, is closer to CPU shares.\n' +
        '   JSON.parse/stringify do not appear as frames: their time is in their callers (body parsing under Fastify, pg/TypeORM rows, the app).',
    );
  }
}
