import { readdirSync, readFileSync } from 'node:fs';
import { mainThreadCpuSeconds, statTimes, TICKS } from '../common/proc-stat';

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


function machineTimes(): { machine: number; irq: number; steal: number } {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal
    return { machine: (f[0] + f[1] + f[2]) / TICKS, irq: (f[5] + f[6]) / TICKS, steal: (f[7] ?? 0) / TICKS };
  } catch {
    return { machine: NaN, irq: NaN, steal: NaN };
  }
}

export function cpuSnapshot(postmasterPid: number | undefined): CpuSnapshot {
  const main = mainThreadCpuSeconds();
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

/**
 * CPU seconds during a phase: the app's thread, the rest of this process (load-generator worker,
 * libuv, GC helpers), our PostgreSQL server, every other process, interrupts/softirqs (where the
 * kernel does loopback TCP), and steal.
 */
export interface CpuUse {
  main: number;
  rest: number;
  postgres: number;
  others: number;
  irq: number;
  steal: number;
}

export function cpuDelta(a: CpuSnapshot, b: CpuSnapshot): CpuUse {
  const proc = b.process - a.process;
  const pg = b.postgres - a.postgres;
  return { main: b.main - a.main, rest: proc - (b.main - a.main), postgres: pg, others: b.machine - a.machine - proc - pg, irq: b.irq - a.irq, steal: b.steal - a.steal };
}
