import { DAY_MS, localDayOf, parseIsoDate, startOfLocalDay } from '../../common/time/local-time';
import { ProblemException } from '../../common/problem/problem.exception';

/** A range bound as the caller gave it: a local date (in each location's zone) or an instant. */
export type Bound = { kind: 'date'; day: number } | { kind: 'instant'; ms: number };

export const MAX_SEARCH_DAYS = 62;
export const DEFAULT_SEARCH_DAYS = 14;

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const LOCAL_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?$/;

/** Parses `YYYY-MM-DD` or an ISO instant WITH an offset; anything else is 422 on `field`. */
export function parseBound(value: string, field: string): Bound {
  const day = parseIsoDate(value);
  if (day !== null) return { kind: 'date', day };
  if (INSTANT.test(value)) {
    const ms = Date.parse(value);
    if (Number.isFinite(ms)) return { kind: 'instant', ms };
  }
  if (LOCAL_INSTANT.test(value)) {
    throw ProblemException.validation(field, 'offset-required', `${field} must carry an offset (Z or +02:00).`);
  }
  throw ProblemException.validation(field, 'invalid-date', `${field} must be a date (YYYY-MM-DD) or an instant with an offset.`);
}

export interface SearchRange {
  from: Bound;
  to: Bound;
}

/**
 * API.md defaults: from = now, to = now + 14 days. A date `to` is inclusive (through the day's
 * end), an instant `to` exclusive. Spans over 62 days → 422 range-too-long.
 */
export function searchRange(fromText: string | undefined, toText: string | undefined, now: number): SearchRange {
  const from: Bound = fromText === undefined ? { kind: 'instant', ms: now } : parseBound(fromText, 'from');
  const to: Bound = toText === undefined ? defaultTo(from) : parseBound(toText, 'to');
  // Measured in a zone-free way: dates as whole days, instants as real time (a DST hour is slack).
  const fromMs = from.kind === 'date' ? from.day * DAY_MS : from.ms;
  const toMs = to.kind === 'date' ? (to.day + 1) * DAY_MS : to.ms;
  if (toMs <= fromMs) throw ProblemException.validation('to', 'end-before-start', 'to must be after from.');
  if (toMs - fromMs > MAX_SEARCH_DAYS * DAY_MS + 2 * 3_600_000) {
    throw new ProblemException('range-too-long', `The range may span at most ${MAX_SEARCH_DAYS} days.`);
  }
  return { from, to };
}

function defaultTo(from: Bound): Bound {
  return from.kind === 'date' ? { kind: 'date', day: from.day + DEFAULT_SEARCH_DAYS - 1 } : { kind: 'instant', ms: from.ms + DEFAULT_SEARCH_DAYS * DAY_MS };
}

/** The range as instants in one location's zone. */
export function rangeIn(range: SearchRange, timeZone: string): { from: number; to: number } {
  return {
    from: range.from.kind === 'date' ? startOfLocalDay(timeZone, range.from.day) : range.from.ms,
    to: range.to.kind === 'date' ? startOfLocalDay(timeZone, range.to.day + 1) : range.to.ms,
  };
}

/** Re-exported for callers that print local dates. */
export { localDayOf };
