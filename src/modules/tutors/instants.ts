import { parseInstant } from '../../common/time/instant';
import { parseIsoDate, startOfLocalDay } from '../../common/time/local-time';

/**
 * Reading instants and ranges as API.md speaks them: instants must carry an offset (`Z` or
 * `±hh:mm`). Writing them is common/time/format.ts's formatInstant.
 */

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const MAX_RANGE_DAYS = 366;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A bound of a query range: a date means that local day in `zone` (a `from` date starts at its
 * 00:00, a `to` date is inclusive, so ends at the next day's 00:00); an instant is taken as is.
 */
export function parseRangeBound(value: string, side: 'from' | 'to', zone: string): Date | undefined {
  if (DATE.test(value)) {
    const day = parseIsoDate(value);
    return day === null ? undefined : new Date(startOfLocalDay(zone, side === 'from' ? day : day + 1));
  }
  return parseInstant(value);
}

/** True when [start, end) is longer than `days` whole days (real time). */
export function longerThanDays(start: Date, end: Date, days = MAX_RANGE_DAYS): boolean {
  return end.getTime() - start.getTime() > days * DAY_MS;
}
