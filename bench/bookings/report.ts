import os from 'node:os';
import { column as f } from '../common/format';
import type { Census } from './census';
import { normalisedSql } from './census';
import type { CpuUse } from './cpu-usage';
import { HttpMeasure, isServerError, statusText } from './http-phase';
import type { BookingBenchOptions } from './options';
import type { PgbenchReference } from './pgbench';
import { FREE_SLOTS_PER_TUTOR, HTTP_REQUESTS_PER_SECOND, RAW_BOOKINGS_PER_SECOND, WorldSize } from './phase-plan';
import type { ProfileRun } from './profile-phase';
import type { RawMeasure, WriterBatching } from './raw-phase';
import { printCensus, printProfiles, printSweep } from './report-details';
import type { StampedeMeasure } from './stampede';

/** The booking benchmark's printed report: the machine, the dataset, then one section per kind of phase. */

export interface BookingReport {
  /** How the service's booking writer batches (the raw loop's default too). */
  writer: WriterBatching;
  /** Load averages at the start and at the end. */
  load: [number[], number[]];
  /** Cores busy with other work during one second before the run. */
  background: number;
  opt: BookingBenchOptions;
  seed: string;
  pgVersion: string;
  settings: { name: string; setting: string }[];
  world: WorldSize & { rules: number; freeSlots: number; prebooked: number };
  headline: HttpMeasure[];
  paced?: HttpMeasure;
  census?: Census;
  sweep: HttpMeasure[];
  raw: RawMeasure[];
  pgbench?: PgbenchReference;
  stampede?: StampedeMeasure;
  shortfalls: string[];
  profiles: ProfileRun[];
}

export function printReport(r: BookingReport): void {
  printHeader(r);
  printHttp(r);
  if (r.raw.length) printRaw(r);
  if (r.pgbench) printPgbench(r.pgbench);
  if (r.stampede) printStampede(r.stampede);
  printTargets(r);
  if (r.census) printCensus(r.census);
  if (r.sweep.length) printSweep(r.sweep, r.opt.shortSeconds);
  if (!r.opt.quick) printProfiles(r.profiles);
}

function printHeader(r: BookingReport): void {
  const cores = os.cpus().length;
  console.log('\n================ Booking benchmark ================');
  console.log(`machine: ${cores} cores (${os.cpus()[0]?.model.trim()}), Node ${process.version} (flags: ${process.execArgv.join(' ') || 'none'}), PostgreSQL ${r.pgVersion} embedded (${r.settings.map((s) => `${s.name}=${s.setting}`).join(', ')})`);
  console.log(
    `other work on the machine during 1 s before the run: ${r.background.toFixed(2)} cores; load average (1 min) at the start ${r.load[0][0].toFixed(2)}, at the end ${r.load[1][0].toFixed(2)}` +
      (r.background > 0.2 ? '  — the machine was not quiet: figures are lower than they would be' : ''),
  );
  console.log('(the "other" columns below show other processes and kernel threads during each phase)');
  console.log(
    `dataset (seed "${r.seed}", real now): ${r.world.branches} branches, ${r.world.tutors} tutors, ${r.world.rules} weekly rules, ${r.world.absences} absences, ${r.world.closures} closures; ` +
      `${r.world.freeSlots} free slots in 58 days, ${r.world.prebooked} booked beforehand`,
  );
  console.log(
    `sizing: the phases may use up to ${r.world.consumable} free slots (each phase's warm-up plus its seconds × ${HTTP_REQUESTS_PER_SECOND}/s for HTTP, × ${RAW_BOOKINGS_PER_SECOND}/s for raw); ` +
      `with a 10 % margin and the pre-booked share that needs ${r.world.freeSlotsNeeded} free slots: ${r.world.tutors} tutors at ≈ ${FREE_SLOTS_PER_TUTOR} each`,
  );
  console.log(
    `requests: POST /api/v1/bookings, tutorId + start of a distinct free slot, distinct resident (phone, X-Forwarded-For)${r.opt.key ? ', Idempotency-Key' : ''}; ` +
      `app in-process, rate limits 1,000,000; DB pool ${r.opt.pool} unless said; load from a worker thread (same 2 cores)`,
  );
}

const cpuCols = (cpu: CpuUse, n: number, seconds: number) =>
  `${f((1000 * cpu.main) / n, 2, 5)} ${f((1000 * cpu.rest) / n, 2, 5)} ${f((1000 * cpu.postgres) / n, 2, 5)} ${f((1000 * cpu.irq) / n, 2, 5)} | ${f(Math.max(0, cpu.others) / seconds, 2, 4)} ${f(cpu.steal / seconds, 2, 4)}`;
const cpuHead = `CPU ms per booking: app  rest    PG   irq | other steal (cores)`;

function printHttp(r: BookingReport): void {
  console.log(`\n1. HTTP bookings (${r.opt.seconds} s each after ${r.opt.warmup} warm-up requests; the paced run: ${r.opt.shortSeconds} s)`);
  console.log(`${'load'.padEnd(22)} ${'n'.padStart(6)} ${'201'.padStart(6)} ${'409'.padStart(5)} ${'other'.padStart(5)} ${'5xx'.padStart(4)} ${'book/s'.padStart(7)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} loop  ${cpuHead}`);
  for (const m of [...r.headline, ...(r.paced ? [r.paced] : [])]) {
    const s = m.result.statuses;
    const n = m.result.latencies.length;
    const c201 = s['201'] ?? 0;
    const c409 = s['409'] ?? 0;
    const c5xx = Object.entries(s)
      .filter(([k]) => isServerError(k))
      .reduce((a, [, v]) => a + v, 0);
    const load = m.spec.ratePerSecond ? `paced ${m.spec.ratePerSecond}/s (≤ ${m.spec.connections})` : `${m.spec.connections} connections`;
    console.log(
      `${load.padEnd(22)} ${String(n).padStart(6)} ${String(c201).padStart(6)} ${String(c409).padStart(5)} ${String(n - c201 - c409).padStart(5)} ${String(c5xx).padStart(4)} ${f(m.rps, 0)} ${f(m.p50)} ${f(m.p99)} ${`${(100 * m.elu).toFixed(0)}%`.padStart(4)}                      ${cpuCols(m.cpu, Math.max(1, c201), m.result.seconds)}`,
    );
    for (const sample of m.result.samples) console.log(`    e.g. ${sample}`);
  }
  for (const m of r.headline) {
    const n = Math.max(1, m.result.statuses['201'] ?? 0);
    const total = (1000 * (m.cpu.main + m.cpu.rest + m.cpu.postgres + m.cpu.irq)) / n;
    console.log(
      `   ${m.spec.connections} connections: ${f(total, 1, 0)} CPU ms per booking in all (app ${((1000 * m.cpu.main) / n).toFixed(1)}, PostgreSQL ${((1000 * m.cpu.postgres) / n).toFixed(1)}) → ` +
        `at most ~${f((1000 * os.cpus().length) / total, 0, 0)} bookings/s on ${os.cpus().length} cores with the load generator, ~${f((1000 * os.cpus().length) / (total - (1000 * m.cpu.rest) / n), 0, 0)} without it`,
    );
  }
  console.log(
    '   loop = the app thread’s event-loop utilisation; app = its CPU, rest = the rest of this process (mostly the load generator), PG = our PostgreSQL,\n' +
      '   irq = kernel interrupt/softirq time (loopback TCP), other = other processes and kernel threads (cores in use), steal = hypervisor. 2 cores = 2,000 CPU ms per second.',
  );

}

function printRaw(r: BookingReport): void {
  console.log(
    `\n2. raw: the service’s booking statement from a plain pg Pool (pool = connections), closed loop, through the service’s writer ` +
      `(${r.writer.maxInFlight} in flight, up to ${r.writer.maxBatch} bookings per transaction) unless said`,
  );
  console.log(`${'what'.padEnd(52)} ${'conn'.padStart(4)} ${'ops/s'.padStart(7)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'stmts'.padStart(5)}  ${cpuHead.replace('per booking: app  rest', 'per op: node  --').replace('node  --', 'node    -')}`);
  for (const m of r.raw) {
    const ops = Math.max(1, m.result.ok);
    console.log(
      `${m.spec.label.padEnd(52)} ${String(m.spec.connections).padStart(4)} ${f(m.rps, 0)} ${f(m.p50, 2)} ${f(m.p99, 2)} ${f(m.result.statementsPerOp, 0, 5)}  ${cpuCols({ ...m.cpu, main: m.cpu.main + m.cpu.rest, rest: NaN }, ops, m.result.seconds)}` +
        (m.result.failed ? `   ${m.result.failed} failed ${JSON.stringify(m.result.errors)}` : ''),
    );
  }
  const rawAll = r.raw.find((m) => m.spec.withOutsideStatements && m.result.ok > 0);
  const http16 = r.headline.find((m) => m.spec.connections === 16);
  if (rawAll && http16) {
    console.log(
      `   HTTP at 16 / raw with all ${rawAll.result.statementsPerOp.toFixed(0)} statements at 16 = ${(http16.rps / rawAll.rps).toFixed(2)}: with the SQL held equal, the rest of the request ` +
        `(Fastify, Nest, validation, TypeORM, crypto, JSON, and the HTTP load generator on the same cores) takes the remaining ${(100 * (1 - http16.rps / rawAll.rps)).toFixed(0)} %`,
    );
  }
  if (!r.census) return;
  const rawTexts = (r.raw[0]?.result.firstTransaction ?? []).map(normalisedSql);
  const appTexts = r.census.firstTransaction.map(normalisedSql);
  const same = rawTexts.length === appTexts.length && rawTexts.every((t, i) => t === appTexts[i]);
  console.log(
    same
      ? `   the raw transaction sends exactly the ${appTexts.length} statements (same SQL text, same order) the app sent inside its booking transaction`
      : `   NOTE: the raw transaction differs from what the app sent inside its transaction:\n${diffText(appTexts, rawTexts)}`,
  );

}

function printPgbench(pgbench: PgbenchReference): void {
  console.log('\n3. PostgreSQL alone: pgbench, one booking-row INSERT per transaction (EXCLUDE, FKs, indexes active), -M prepared, -j 2');
  if (pgbench.results.length) {
    console.log(`   ${pgbench.binary}`);
    for (const p of pgbench.results) console.log(`   ${String(p.clients).padStart(2)} clients, ${p.seconds} s: ${f(p.tps, 0)} inserts/s, p50 ${f(p.p50, 2)} ms, p99 ${f(p.p99, 2)} ms, ${p.failed} failed`);
  }
  if (pgbench.note) console.log(`   ${pgbench.note}`);
}

function printStampede(stampede: StampedeMeasure): void {
  const st = stampede.result;
  console.log(`\n4. stampede: ${stampede.requests} simultaneous requests (distinct residents, own connections) for one slot`);
  console.log(
    `   ${statusText(st.statuses)} in ${st.seconds.toFixed(2)} s; problems ${JSON.stringify(st.problems)}; active bookings on that slot afterwards: ${stampede.held}; ` +
      `CPU: app thread ${stampede.cpu.main.toFixed(2)} s (GC pauses ${stampede.gc.pauses}, ${stampede.gc.ms.toFixed(0)} ms, mark-compact ${stampede.gc.majorMs.toFixed(0)} ms), ` +
      `rest of the process ${(stampede.cpu.process - stampede.cpu.main).toFixed(2)} s, PostgreSQL ${stampede.cpu.postgres.toFixed(2)} s`,
  );
}

function printTargets(r: BookingReport): void {
  console.log('\n5. targets');
  const h16 = r.headline.find((m) => m.spec.connections === 16);
  const lines: [string, string, string, boolean][] = [];
  const raw16 = r.raw.find((m) => m.spec.connections === 16 && m.spec.label === 'raw transaction');
  if (raw16) {
    // No ratio (a MISS) when the raw phase measured nothing.
    const ratio = h16 && raw16.result.ok > 0 ? h16.rps / raw16.rps : NaN;
    lines.push(['HTTP bookings/s at 16 conn ≥ 0.5 × raw at 16', `${f(h16?.rps ?? NaN, 0, 0)} vs raw ${f(raw16.rps, 0, 0)} = ${f(ratio, 2, 0)} ×`, '≥ 0.50 ×', ratio >= 0.5]);
  }
  lines.push(['HTTP p99 at 16 connections', `${f(h16?.p99 ?? NaN, 1, 0)} ms`, '≤ 50 ms', (h16?.p99 ?? Infinity) <= 50]);
  const st = r.stampede;
  if (st) {
    const s201 = st.result.statuses['201'] ?? 0;
    const s409 = st.result.statuses['409'] ?? 0;
    lines.push(['stampede duration', `${st.result.seconds.toFixed(2)} s`, '≤ 2 s', st.result.seconds <= 2]);
    lines.push(['stampede: exactly one 201, the rest 409', `${s201} × 201, ${s409} × 409`, `1 / ${st.requests - 1}`, s201 === 1 && s409 === st.requests - 1 && st.held === 1]);
  }
  const zero5xx = r.headline.every((m) => !Object.keys(m.result.statuses).some(isServerError));
  lines.push(['no 5xx in the HTTP runs', zero5xx ? 'none' : 'some', 'none', zero5xx]);
  for (const [what, got, want, ok] of lines) console.log(`   ${what.padEnd(46)} ${got.padStart(28)}   target ${want.padEnd(10)} ${ok ? 'PASS' : 'MISS'}`);
  for (const line of r.shortfalls) console.log(`   WARNING (its figures cover less time): ${line}`);
}

function diffText(app: string[], raw: string[]): string {
  const out: string[] = [];
  for (let i = 0; i < Math.max(app.length, raw.length); i++) {
    if (app[i] !== raw[i]) out.push(`     #${i + 1} app: ${(app[i] ?? '—').slice(0, 110)}\n         raw: ${(raw[i] ?? '—').slice(0, 110)}`);
  }
  return out.join('\n');
}
