import { performance } from 'node:perf_hooks';
import { ascending, percentile } from '../common/stats';
import { getLoadInWorker, LoadResult } from './get-load';

/** One run of one query. */
export interface SlotRun {
  result: LoadResult;
  p50: number;
  p95: number;
  p99: number;
  rps: number;
  /**
   * The app thread's event-loop busy time per request, in ms: performance.eventLoopUtilization()
   * of this thread (where the app runs; the load runs in a worker) over the run's warm-up and
   * measured requests, divided by their number.
   */
  cpuMs: number;
}

export const CPU_METHOD =
  'cpu = the app thread’s event-loop busy ms per request: performance.eventLoopUtilization() of the app’s thread (the load runs in a worker) over each run’s warm-up and measured requests, divided by their number';

export async function measureSlotRun(job: { baseUrl: string; paths: string[]; warmup: number; concurrency: number; maxSeconds: number }): Promise<SlotRun> {
  const before = performance.eventLoopUtilization();
  const result = await getLoadInWorker(job);
  const busy = performance.eventLoopUtilization(before);
  const sorted = ascending(result.latencies);
  return {
    result,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    rps: sorted.length / result.seconds,
    cpuMs: busy.active / (result.latencies.length + job.warmup),
  };
}
