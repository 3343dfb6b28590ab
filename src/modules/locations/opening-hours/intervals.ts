import type { InstantInterval } from './types';

/** Sorted, with overlapping and touching intervals merged, empty ones dropped. */
export function normalize(intervals: readonly InstantInterval[]): InstantInterval[] {
  const sorted = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start || a.end - b.end);
  const out: InstantInterval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else out.push({ start: i.start, end: i.end });
  }
  return out;
}

/** `intervals` minus every interval of `cuts`. */
export function subtract(intervals: readonly InstantInterval[], cuts: readonly InstantInterval[]): InstantInterval[] {
  let rest = normalize(intervals);
  for (const cut of normalize(cuts)) {
    const next: InstantInterval[] = [];
    for (const i of rest) {
      if (cut.end <= i.start || cut.start >= i.end) {
        next.push(i);
        continue;
      }
      if (cut.start > i.start) next.push({ start: i.start, end: cut.start });
      if (cut.end < i.end) next.push({ start: cut.end, end: i.end });
    }
    rest = next;
  }
  return rest;
}

/** The parts of `intervals` inside `[from, to)`. */
export function clip(intervals: readonly InstantInterval[], from: number, to: number): InstantInterval[] {
  return normalize(intervals.map((i) => ({ start: Math.max(i.start, from), end: Math.min(i.end, to) })));
}
