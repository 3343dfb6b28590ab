import { performance } from 'node:perf_hooks';
import { mainThreadCpuSeconds } from '../common/proc-stat';
import { ascending, percentile } from '../common/stats';
import { getLoadInWorker, LoadJob, LoadResult } from './get-load';

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
  /** The app thread's CPU time per request, in ms (/proc, 10 ms ticks): the event-loop figure without the time the thread waited for a core. */
  threadCpuMs: number;
}

export const CPU_METHOD =
  'loop = the app thread’s event-loop busy ms per request (the targets’ measure): performance.eventLoopUtilization() of the app’s thread (the load runs in a worker)\n' +
  '       over each run’s warm-up and measured requests, divided by their number; it includes time the busy thread waited for a core on a loaded machine.\n' +
  'cpu  = the same thread’s CPU time per request (/proc/self/task, 10 ms ticks): the part of loop the thread really ran.';

export async function measureSlotRun(job: LoadJob): Promise<SlotRun> {
  const before = performance.eventLoopUtilization();
  const cpu0 = mainThreadCpuSeconds();
  const result = await getLoadInWorker(job);
  const busy = performance.eventLoopUtilization(before);
  const cpuSeconds = mainThreadCpuSeconds() - cpu0;
  const requests = result.latencies.length + job.warmup;
  const sorted = ascending(result.latencies);
  return {
    result,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    rps: sorted.length / result.seconds,
    cpuMs: busy.active / requests,
    threadCpuMs: (1000 * cpuSeconds) / requests,
  };
}
