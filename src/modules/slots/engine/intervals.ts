import type { Instant, InstantRange, TutorInstantRange } from './types';

/** A half-open interval `[start, end)` in epoch ms, start < end. */
export interface Span {
  start: number;
  end: number;
}

/** Epoch ms of an instant (NaN for an invalid Date). */
export function toMs(instant: Instant): number {
  return typeof instant === 'number' ? instant : instant.getTime();
}

/** Sorts and joins overlapping or touching spans in place; returns the joined list. */
function mergeSorted(spans: Span[]): Span[] {
  spans.sort((a, b) => a.start - b.start);
  const out: Span[] = [];
  for (const s of spans) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) {
      if (s.end > last.end) last.end = s.end;
    } else out.push({ start: s.start, end: s.end });
  }
  return out;
}

/** Ranges → sorted, disjoint, non-touching spans; empty or invalid ranges are dropped. */
export function normalizeRanges(ranges: readonly InstantRange[] | undefined): Span[] {
  if (!ranges || ranges.length === 0) return [];
  const spans: Span[] = [];
  for (const r of ranges) {
    const start = toMs(r.start);
    const end = toMs(r.end);
    if (start < end) spans.push({ start, end }); // false for NaN
  }
  return mergeSorted(spans);
}

/** `a − b` for normalized span lists (linear sweep). */
export function subtractSpans(a: readonly Span[], b: readonly Span[]): Span[] {
  if (b.length === 0) return a.map((s) => ({ start: s.start, end: s.end }));
  const out: Span[] = [];
  let j = 0;
  for (const span of a) {
    let cur = span.start;
    while (j < b.length && b[j].end <= cur) j++;
    let k = j;
    while (k < b.length && b[k].start < span.end) {
      if (b[k].start > cur) out.push({ start: cur, end: b[k].start });
      if (b[k].end > cur) cur = b[k].end;
      k++;
    }
    if (cur < span.end) out.push({ start: cur, end: span.end });
  }
  return out;
}

/** Groups several tutor range lists into normalized span lists per tutor. */
export function spansByTutor(...lists: (readonly TutorInstantRange[] | undefined)[]): Map<string, Span[]> {
  const raw = new Map<string, Span[]>();
  for (const list of lists) {
    if (!list) continue;
    for (const r of list) {
      const start = toMs(r.start);
      const end = toMs(r.end);
      if (!(start < end)) continue;
      let spans = raw.get(r.tutorId);
      if (!spans) raw.set(r.tutorId, (spans = []));
      spans.push({ start, end });
    }
  }
  const out = new Map<string, Span[]>();
  for (const [tutorId, spans] of raw) out.set(tutorId, mergeSorted(spans));
  return out;
}

/** Index of the last span with start ≤ t (or < t when `strict`), or -1 (binary search). */
function lastStartingBefore(spans: readonly Span[], t: number, strict: boolean): number {
  let lo = 0;
  let hi = spans.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const s = spans[mid].start;
    if (strict ? s < t : s <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** True when `[start, end)` lies inside one span of a normalized list. */
export function containedIn(spans: readonly Span[], start: number, end: number): boolean {
  const i = lastStartingBefore(spans, start, false);
  return i >= 0 && end <= spans[i].end;
}

/** True when `[start, end)` overlaps any span of a normalized list. */
export function overlapsAny(spans: readonly Span[], start: number, end: number): boolean {
  // Spans are sorted and disjoint, so their ends are sorted too: of the spans starting before
  // `end`, the last one reaches furthest; the range overlaps something iff it reaches past `start`.
  const i = lastStartingBefore(spans, end, true);
  return i >= 0 && spans[i].end > start;
}
