import { rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { EmbeddedServer, startEmbeddedPostgres } from '../../src/database/embedded-postgres';

/** The parseArgs options every HTTP load benchmark takes. */
export const LOAD_OPTIONS = {
  runs: { type: 'string', default: '3' },
  requests: { type: 'string', default: '2000' },
  warmup: { type: 'string', default: '200' },
  concurrency: { type: 'string', default: '8' },
  'max-seconds': { type: 'string', default: '90' },
  dir: { type: 'string' },
  keep: { type: 'boolean', default: false },
} as const;

export interface LoadSettings {
  runs: number;
  requests: number;
  warmup: number;
  concurrency: number;
  maxSeconds: number;
  /** The benchmark's own folder (PostgreSQL's cluster inside). */
  root: string;
  keep: boolean;
}

export function loadSettings(values: { runs: string; requests: string; warmup: string; concurrency: string; 'max-seconds': string; dir?: string; keep: boolean }): LoadSettings {
  return {
    runs: Math.max(1, Math.floor(Number(values.runs))),
    requests: Number(values.requests),
    warmup: Number(values.warmup),
    concurrency: Number(values.concurrency),
    maxSeconds: Number(values['max-seconds']),
    root: path.resolve(values.dir ?? path.join(__dirname, '..', '..', '..', '.tmp', `bench-${process.pid}`)),
    keep: values.keep,
  };
}

/**
 * Prints the run's settings and the machine's load, and starts the benchmark's embedded
 * PostgreSQL; `stop` stops it and removes its folder unless kept (also on Ctrl-C).
 */
export async function startLoadRun(title: string, unit: string, s: LoadSettings): Promise<{ server: EmbeddedServer; stop: () => Promise<void> }> {
  console.log(`${title}: ${s.runs} run(s); ${s.concurrency} keep-alive connections, ${s.warmup} warm-up + ${s.requests} requests per ${unit} and run`);
  console.log(`PostgreSQL: embedded, in ${s.root}${s.keep ? ' (kept)' : ' (removed afterwards)'}`);
  console.log(`${cpus().length} CPUs; load average before: ${loadavg().map((x) => x.toFixed(2)).join(' ')} (other processes on the machine skew the figures)`);
  const server = await startEmbeddedPostgres({ clusterDir: path.join(s.root, 'postgres'), database: 'tukiaika_bench' });
  const stop = async () => {
    await server.stop();
    if (!s.keep) rmSync(s.root, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  return { server, stop };
}

/** The closing line: the whole benchmark's time and the machine's load. */
export function printMachineLine(started: number): void {
  console.log(`\nwhole benchmark: ${((Date.now() - started) / 1000).toFixed(0)} s; ${cpus().length} CPUs; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} (1/5/15 min)`);
}
