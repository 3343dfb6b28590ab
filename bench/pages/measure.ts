import { ascending, percentile } from '../common/stats';
import { measureSlotRun } from '../slots/measure';

/** One side (the page or its slot query) of a mixed run. */
export interface SideRun {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  /** Answers other than 200 or without items (without the page's marker). */
  failures: number;
}

/** One run of a page and its slot query, their requests interleaved in one load. */
export interface MixedRun {
  page: SideRun;
  api: SideRun;
  /** The app thread's event-loop ms per request over the whole mixed run. */
  loopMs: number;
  samples: string[];
  timedOut: boolean;
}

/**
 * Page and query requests alternate in one load (page, query, page, query, …) over the same
 * keep-alive connections, so both see the same machine at the same moments; their latencies are
 * then told apart by the request's position.
 */
export async function measureMixedRun(job: { baseUrl: string; page: string[]; api: string[]; warmup: number; concurrency: number; maxSeconds: number; marker: string }): Promise<MixedRun> {
  const paths = job.page.flatMap((p, i) => [p, job.api[i]]);
  const run = await measureSlotRun({
    baseUrl: job.baseUrl,
    paths,
    warmup: 2 * job.warmup,
    concurrency: job.concurrency,
    maxSeconds: job.maxSeconds,
    accept: 'text/html, application/json;q=0.9',
    marker: job.marker,
  });
  const { latencies, pathIndexes, failedIndexes } = run.result;
  const side = (parity: number): SideRun => {
    const sorted = ascending(latencies.filter((_, k) => pathIndexes[k] % 2 === parity));
    return { n: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), failures: failedIndexes.filter((i) => i % 2 === parity).length };
  };
  return { page: side(0), api: side(1), loopMs: run.cpuMs, samples: run.result.samples, timedOut: run.result.timedOut };
}
