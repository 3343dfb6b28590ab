import { constants, PerformanceObserver } from 'node:perf_hooks';

export interface GcTotals {
  pauses: number;
  ms: number;
  /** Mark-compact pauses (the rest are scavenges of the young generation and callbacks). */
  majorMs: number;
  longestMs: number;
}

/** Garbage-collection pauses of this thread, i.e. the app's (the load runs in a worker). */
export class GcRecorder {
  private totals: GcTotals = { pauses: 0, ms: 0, majorMs: 0, longestMs: 0 };
  private readonly observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      this.totals.pauses++;
      this.totals.ms += entry.duration;
      this.totals.longestMs = Math.max(this.totals.longestMs, entry.duration);
      if (((entry as { detail?: { kind?: number } }).detail)?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) this.totals.majorMs += entry.duration;
    }
  });

  start(): void {
    this.totals = { pauses: 0, ms: 0, majorMs: 0, longestMs: 0 };
    this.observer.observe({ entryTypes: ['gc'] });
  }

  /** Entries are delivered a moment after the pause; the short wait collects the last ones. */
  async stop(): Promise<GcTotals> {
    await new Promise((resolve) => setTimeout(resolve, 20));
    this.observer.disconnect();
    return this.totals;
  }
}
