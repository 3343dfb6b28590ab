import { performance } from 'node:perf_hooks';
import { ascending, percentile } from '../common/stats';
import { fixed } from '../common/format';
import type { ConnectionStates } from './activity-sampler';
import type { ProbeTotals } from './app-probe';
import { CpuUse, cpuDelta, cpuSnapshot } from './cpu-usage';
import { GcRecorder, GcTotals } from './gc-recorder';
import { HttpPhaseSpec, httpRequestBudget } from './phase-plan';
import { postLoadInWorker, PostLoadResult } from './post-load';
import { BookingRun, noteShortfall } from './run-context';

export const BOOKINGS_PATH = '/api/v1/bookings';

export interface HttpMeasure {
  spec: HttpPhaseSpec;
  result: PostLoadResult;
  rps: number;
  p50: number;
  p99: number;
  cpu: CpuUse;
  /** Event-loop utilisation of the app's thread. */
  elu: number;
  activity: ConnectionStates;
  gc: GcTotals;
  probe?: ProbeTotals;
}

/** Brackets the measured load (the profiler starts and stops around it). */
export interface AroundLoad {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** 201s of a phase (0 when it measured nothing). */
export const created = (m: { result: PostLoadResult }): number => m.result.statuses['201'] ?? 0;

/** Statuses that count as server errors: 5xx, and transport errors (0), warm-up ones included. */
export const isServerError = (status: string): boolean => /(^|\s)(5\d\d|0)$/.test(status);

export function statusText(statuses: Record<string, number>): string {
  return `(${Object.entries(statuses)
    .map(([s, n]) => `${s}: ${n}`)
    .join(', ')})`;
}

/** One HTTP phase: its warm-up (unmeasured), then the measured load, each request on a free slot of its own. */
export async function runHttpPhase(run: BookingRun, spec: HttpPhaseSpec, around?: AroundLoad): Promise<HttpMeasure> {
  await run.app.start(spec.pool);
  const warm = await postLoadInWorker({ baseUrl: run.app.baseUrl, path: BOOKINGS_PATH, requests: run.supply.peek(spec.warmup).map((s) => run.requests.http(s)), concurrency: spec.connections, maxSeconds: 60 });
  run.supply.use(warm.sent);

  const budget = httpRequestBudget(spec);
  const requests = run.supply.peek(budget).map((s) => run.requests.http(s));
  run.probe.reset();
  run.probe.enabled = spec.instrument ?? false;
  await around?.start();
  run.sampler.start();
  const gc = new GcRecorder();
  gc.start();
  const cpu0 = cpuSnapshot(run.postmasterPid);
  const elu0 = performance.eventLoopUtilization();
  const result = await postLoadInWorker({ baseUrl: run.app.baseUrl, path: BOOKINGS_PATH, requests, concurrency: spec.connections, maxSeconds: spec.seconds, ratePerSecond: spec.ratePerSecond });
  const elu = performance.eventLoopUtilization(elu0).utilization;
  const cpu1 = cpuSnapshot(run.postmasterPid);
  await run.sampler.stop();
  const gcTotals = await gc.stop();
  await around?.stop();
  run.probe.enabled = false;
  run.supply.use(result.sent);

  const what = `${spec.label} ${spec.ratePerSecond ? `paced ${spec.ratePerSecond}/s` : `at ${spec.connections} connections`}, pool ${spec.pool}`;
  noteShortfall(run, what, { given: requests.length, budget, sent: result.sent, seconds: result.seconds, plannedSeconds: spec.seconds, perSecondConstant: 'HTTP_REQUESTS_PER_SECOND' });
  for (const [status, n] of Object.entries(warm.statuses)) {
    if (isServerError(status)) result.statuses[`warm-up ${status}`] = (result.statuses[`warm-up ${status}`] ?? 0) + n;
  }
  const sorted = ascending(result.latencies);
  const m: HttpMeasure = {
    spec,
    result,
    rps: result.latencies.length / result.seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    cpu: cpuDelta(cpu0, cpu1),
    elu,
    activity: run.sampler.averages(),
    gc: gcTotals,
    probe: spec.instrument ? { ...run.probe.totals } : undefined,
  };
  const perBooking = (cpuSeconds: number) => fixed((cpuSeconds * 1000) / Math.max(1, result.latencies.length), 2);
  run.log(
    `${what}: ${fixed(m.rps, 0)} bookings/s, p50 ${fixed(m.p50)} ms, p99 ${fixed(m.p99)} ms ${statusText(result.statuses)}; ` +
      `CPU ms per booking: app ${perBooking(m.cpu.main)}, rest ${perBooking(m.cpu.rest)}, PG ${perBooking(m.cpu.postgres)}, other ${perBooking(m.cpu.others)}; ` +
      `app GC: ${gcTotals.pauses} pauses, ${gcTotals.ms.toFixed(0)} ms, longest ${gcTotals.longestMs.toFixed(1)} ms, mark-compact ${gcTotals.majorMs.toFixed(0)} ms`,
  );
  return m;
}
