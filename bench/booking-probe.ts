import { readdirSync, readFileSync } from 'node:fs';
import { constants, performance, PerformanceObserver } from 'node:perf_hooks';
import pg from 'pg';

/**
 * Instruments, from the outside, the app running in this process (npm run bench:bookings): the
 * `pg` client's query and the pool's connect (only connections with application_name
 * `tukiaika`, i.e. the app's TypeORM pool). No app file is changed: the
 * prototypes are wrapped at run time, and the wrappers cost nothing while `enabled` is false.
 */

export interface QueryRecord {
  /** When the query was sent (performance.now()). */
  at: number;
  ms: number;
  text: string;
  values: unknown[] | undefined;
  /** Sent on a connection inside START TRANSACTION … COMMIT/ROLLBACK. */
  inTx: boolean;
  connection: number;
}

export interface ProbeTotals {
  queries: number;
  inTx: number;
  queryMs: number;
  inTxQueryMs: number;
  /** Completed transactions; open = START TRANSACTION sent → COMMIT/ROLLBACK answered. */
  tx: number;
  txOpenMs: number;
  poolConnects: number;
  poolWaitMs: number;
  poolWaitMaxMs: number;
}

interface ConnState {
  id: number;
  inTx: boolean;
  txStart: number;
}

type QueryFn = (this: pg.Client, ...args: unknown[]) => unknown;
type ConnectFn = (this: pg.Pool, ...args: unknown[]) => unknown;

const APP_NAME = 'tukiaika';
const BEGIN = /^\s*(START TRANSACTION|BEGIN)\b/i;
const END = /^\s*(COMMIT|ROLLBACK)\s*$/i;
const SINGLE_STATEMENT_TX = /^\s*SELECT \* FROM place_bookings?\(/;

export class AppProbe {
  enabled = false;
  /** Keep every query (text, values, timing): for the per-booking census at low concurrency. */
  capture = false;
  records: QueryRecord[] = [];
  totals: ProbeTotals = AppProbe.zero();
  private readonly conns = new WeakMap<object, ConnState>();
  private nextConn = 1;
  private installed = false;

  static zero(): ProbeTotals {
    return { queries: 0, inTx: 0, queryMs: 0, inTxQueryMs: 0, tx: 0, txOpenMs: 0, poolConnects: 0, poolWaitMs: 0, poolWaitMaxMs: 0 };
  }

  reset(): void {
    this.records = [];
    this.totals = AppProbe.zero();
  }

  install(): void {
    if (this.installed) return;
    this.installed = true;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const probe = this;

    const clientProto = pg.Client.prototype as unknown as { query: QueryFn };
    const query = clientProto.query;
    clientProto.query = function (this: pg.Client, ...args: unknown[]): unknown {
      if (!probe.enabled || (this as unknown as { connectionParameters?: { application_name?: string } }).connectionParameters?.application_name !== APP_NAME) {
        return query.apply(this, args);
      }
      const first = args[0];
      const text = typeof first === 'string' ? first : String((first as { text?: string } | undefined)?.text ?? '');
      const values = Array.isArray(args[1]) ? (args[1] as unknown[]) : (first as { values?: unknown[] } | undefined)?.values;
      let state = probe.conns.get(this);
      if (!state) {
        state = { id: probe.nextConn++, inTx: false, txStart: 0 };
        probe.conns.set(this, state);
      }
      const at = performance.now();
      // A statement that is a whole transaction by itself (the booking's place_bookings) counts as one.
      const single = !state.inTx && SINGLE_STATEMENT_TX.test(text);
      if (BEGIN.test(text) || single) {
        state.inTx = true;
        state.txStart = at;
      }
      const inTx = state.inTx;
      const ending = inTx && (single || END.test(text));
      const s = state;
      const done = () => {
        const end = performance.now();
        const ms = end - at;
        const t = probe.totals;
        t.queries++;
        t.queryMs += ms;
        if (inTx) {
          t.inTx++;
          t.inTxQueryMs += ms;
        }
        if (ending) {
          t.tx++;
          t.txOpenMs += end - s.txStart;
          s.inTx = false;
        }
        if (probe.capture) probe.records.push({ at, ms, text, values, inTx, connection: s.id });
      };
      const last = args[args.length - 1];
      if (typeof last === 'function') {
        args[args.length - 1] = (...cbArgs: unknown[]) => {
          done();
          return (last as (...a: unknown[]) => unknown)(...cbArgs);
        };
        return query.apply(this, args);
      }
      const result = query.apply(this, args);
      if (result && typeof (result as Promise<unknown>).then === 'function') (result as Promise<unknown>).then(done, done);
      return result;
    };

    const poolProto = pg.Pool.prototype as unknown as { connect: ConnectFn };
    const connect = poolProto.connect;
    poolProto.connect = function (this: pg.Pool, ...args: unknown[]): unknown {
      if (!probe.enabled || (this as unknown as { options?: { application_name?: string } }).options?.application_name !== APP_NAME) {
        return connect.apply(this, args);
      }
      const at = performance.now();
      const record = () => {
        const ms = performance.now() - at;
        const t = probe.totals;
        t.poolConnects++;
        t.poolWaitMs += ms;
        if (ms > t.poolWaitMaxMs) t.poolWaitMaxMs = ms;
      };
      const cb = args[0];
      if (typeof cb === 'function') {
        return connect.call(this, (...cbArgs: unknown[]) => {
          record();
          return (cb as (...a: unknown[]) => unknown)(...cbArgs);
        });
      }
      const result = connect.apply(this, args);
      if (result && typeof (result as Promise<unknown>).then === 'function') (result as Promise<unknown>).then(record, record);
      return result;
    };
  }
}

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

/** Samples pg_stat_activity of the app's connections: how many are active, idle in a transaction, idle. */
export class ActivitySampler {
  private timer?: NodeJS.Timeout;
  private busy = false;
  samples = 0;
  sums = { active: 0, idleInTx: 0, idle: 0, waitingLock: 0, waitingIo: 0, total: 0 };

  constructor(
    private readonly client: pg.Client,
    private readonly intervalMs = 25,
  ) {}

  start(): void {
    this.samples = 0;
    this.sums = { active: 0, idleInTx: 0, idle: 0, waitingLock: 0, waitingIo: 0, total: 0 };
    this.timer = setInterval(() => void this.sample(), this.intervalMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    while (this.busy) await new Promise((r) => setTimeout(r, 5));
  }

  averages(): { active: number; idleInTx: number; idle: number; waitingLock: number; waitingIo: number; total: number } {
    const n = Math.max(1, this.samples);
    const s = this.sums;
    return { active: s.active / n, idleInTx: s.idleInTx / n, idle: s.idle / n, waitingLock: s.waitingLock / n, waitingIo: s.waitingIo / n, total: s.total / n };
  }

  private async sample(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const { rows } = await this.client.query<{ state: string | null; wait: string | null; n: number }>(
        `SELECT state, wait_event_type AS wait, count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 GROUP BY 1, 2`,
        [APP_NAME],
      );
      this.samples++;
      for (const r of rows) {
        this.sums.total += r.n;
        if (r.state === 'active') this.sums.active += r.n;
        else if (r.state === 'idle in transaction') this.sums.idleInTx += r.n;
        else if (r.state === 'idle') this.sums.idle += r.n;
        if (r.state === 'active' && r.wait === 'Lock') this.sums.waitingLock += r.n;
        if (r.state === 'active' && (r.wait === 'IO' || r.wait === 'LWLock')) this.sums.waitingIo += r.n;
      }
    } catch {
      // the sampler is best effort
    } finally {
      this.busy = false;
    }
  }
}

/** CPU seconds so far: this process's main thread, the rest of this process, and the PostgreSQL server. */
export interface CpuSnapshot {
  main: number;
  process: number;
  postgres: number;
  /** Whole machine (/proc/stat): user + nice + system time of all processes. */
  machine: number;
  /** Whole machine: time in interrupts and softirqs (loopback TCP is processed there), not charged to any process. */
  irq: number;
  /** Whole machine: time the hypervisor ran something else. */
  steal: number;
}

const TICKS = 100; // USER_HZ on Linux

function machineTimes(): { machine: number; irq: number; steal: number } {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal
    return { machine: (f[0] + f[1] + f[2]) / TICKS, irq: (f[5] + f[6]) / TICKS, steal: (f[7] ?? 0) / TICKS };
  } catch {
    return { machine: NaN, irq: NaN, steal: NaN };
  }
}

function statTimes(file: string): { own: number; children: number; ppid: number } | undefined {
  try {
    const stat = readFileSync(file, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // after the name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14)
    return { ppid: Number(f[1]), own: (Number(f[11]) + Number(f[12])) / TICKS, children: (Number(f[13]) + Number(f[14])) / TICKS };
  } catch {
    return undefined;
  }
}

export function cpuSnapshot(postmasterPid: number | undefined): CpuSnapshot {
  const main = statTimes(`/proc/self/task/${process.pid}/stat`)?.own ?? NaN;
  const u = process.cpuUsage();
  let postgres = NaN;
  if (postmasterPid) {
    const pm = statTimes(`/proc/${postmasterPid}/stat`);
    if (pm) {
      postgres = pm.own + pm.children;
      for (const entry of readdirSync('/proc')) {
        if (!/^\d+$/.test(entry)) continue;
        const s = statTimes(`/proc/${entry}/stat`);
        if (s && s.ppid === postmasterPid) postgres += s.own;
      }
    }
  }
  return { main, process: (u.user + u.system) / 1e6, postgres, ...machineTimes() };
}

export function postmasterPidOf(clusterDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(`${clusterDir}/postmaster.pid`, 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
