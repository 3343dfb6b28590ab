import { DateTime } from 'luxon';

/** A weekly series may run for at most a year from its first date: at most 53 claims. */
export const MAX_SERIES_CLAIMS = 53;

export interface ClaimTime {
  start: Date;
  end: Date;
}

export type SeriesResult = { ok: true; times: ClaimTime[] } | { ok: false; code: 'until-before-start' | 'too-long'; message: string };

/**
 * The claims of a weekly series: one on each date from the first claim's through `until`
 * (a local date, inclusive), every one at the same local wall time in the branch's zone, so the
 * UTC offset follows the daylight-saving changes and the local times do not. A local time that
 * does not exist on a date moves forward by the gap; one that occurs twice means its first
 * occurrence (DESIGN.md). Without `until`, the one claim.
 */
export function expandWeekly(q: { start: Date; end: Date; timeZone: string; until: string | null }): SeriesResult {
  const start = DateTime.fromJSDate(q.start, { zone: q.timeZone });
  const end = DateTime.fromJSDate(q.end, { zone: q.timeZone });
  if (q.until === null) return { ok: true, times: [{ start: q.start, end: q.end }] };
  const firstDate = start.toISODate()!;
  if (q.until < firstDate) return { ok: false, code: 'until-before-start', message: 'repeatWeeklyUntil may not be before the first claim’s date.' };
  if (q.until > start.plus({ years: 1 }).toISODate()!) {
    return { ok: false, code: 'too-long', message: `A weekly series runs for at most a year (${MAX_SERIES_CLAIMS} claims).` };
  }
  const times: ClaimTime[] = [];
  for (let week = 0; week < MAX_SERIES_CLAIMS; week++) {
    const s = start.plus({ weeks: week });
    if (s.toISODate()! > q.until) break;
    times.push({ start: s.toJSDate(), end: end.plus({ weeks: week }).toJSDate() });
  }
  return { ok: true, times };
}
