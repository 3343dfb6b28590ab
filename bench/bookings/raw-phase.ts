import { ascending, percentile } from '../common/stats';
import { fixed } from '../common/format';
import { CpuUse, cpuDelta, cpuSnapshot } from './cpu-usage';
import { RawPhaseSpec, rawBookingBudget } from './phase-plan';
import { RawResult, ReplayStatement, runRaw } from './raw-booking-loop';
import { BookingRun, noteShortfall } from './run-context';

export interface RawMeasure {
  spec: RawPhaseSpec;
  result: RawResult;
  rps: number;
  p50: number;
  p99: number;
  cpu: CpuUse;
}

export interface WriterBatching {
  maxInFlight: number;
  maxBatch: number;
}

/** One raw phase: the service's booking SQL from a plain pg Pool, batched as `serviceWriter` unless the spec says otherwise. */
export async function runRawPhase(run: BookingRun, spec: RawPhaseSpec, serviceWriter: WriterBatching, outside: ReplayStatement[][]): Promise<RawMeasure> {
  const budget = rawBookingBudget(spec);
  const bookings = run.supply.peek(budget).map((s) => run.requests.raw(s));
  const cpu0 = cpuSnapshot(run.postmasterPid);
  let cpu1 = cpu0;
  const result = await runRaw(
    {
      url: run.dbUrl,
      concurrency: spec.connections,
      maxSeconds: spec.seconds,
      bookings,
      outside: spec.withOutsideStatements ? outside : undefined,
      prepared: spec.prepared,
      writer: { ...serviceWriter, ...spec.writer },
    },
    () => (cpu1 = cpuSnapshot(run.postmasterPid)),
  );
  run.supply.use(result.used);
  const what = `${spec.label} at ${spec.connections} connections`;
  noteShortfall(run, what, { given: bookings.length, budget, sent: result.used, seconds: result.seconds, plannedSeconds: spec.seconds, perSecondConstant: 'RAW_BOOKINGS_PER_SECOND' });
  const sorted = ascending(result.latencies);
  const m: RawMeasure = { spec, result, rps: result.ok / result.seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99), cpu: cpuDelta(cpu0, cpu1) };
  run.log(`${what}: ${fixed(m.rps, 0)} ops/s, p50 ${fixed(m.p50, 2)} ms, p99 ${fixed(m.p99, 2)} ms, ${result.failed} failed ${JSON.stringify(result.errors)}`);
  return m;
}
