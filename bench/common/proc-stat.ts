import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times (USER_HZ on Linux). */
export const TICKS = 100;

/** CPU seconds of a process or thread from its /proc stat file: its own, its reaped children's, and its parent. */
export function statTimes(file: string): { own: number; children: number; ppid: number } | undefined {
  try {
    const stat = readFileSync(file, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // after the name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14)
    return { ppid: Number(f[1]), own: (Number(f[11]) + Number(f[12])) / TICKS, children: (Number(f[13]) + Number(f[14])) / TICKS };
  } catch {
    return undefined;
  }
}

/** CPU seconds this process's main thread has used (where the app runs; a worker thread has a task of its own). NaN off Linux. */
export function mainThreadCpuSeconds(): number {
  return statTimes(`/proc/self/task/${process.pid}/stat`)?.own ?? NaN;
}
