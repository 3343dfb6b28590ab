import { DAY_MS, isoWeekday, localDayOf, MINUTE_MS, parseIsoDate, resolveLocalTime } from '../../../common/time/local-time';

/**
 * Does a booked session still lie on a tutor's weekly rules? Pure: no Nest, no database, no clock.
 * A rule as the tutors module stores it: minutes after local midnight (1440 = 24:00), dates
 * YYYY-MM-DD inclusive.
 */
export interface GridRule {
  weekday: number;
  startMinute: number;
  endMinute: number;
  sessionMinutes: number;
  bufferMinutes: number;
  validFrom: string;
  validUntil: string | null;
}

/**
 * True when some rule applies on the booking's local date and the booking starts on that rule's
 * grid (`ws + n × (session + buffer)` real minutes from the resolved start time, as the slot
 * engine lays sessions) and ends by the rule's end time. A booking of 45 minutes under a rule
 * that now has 60-minute sessions on the same grid still fits; one that would run past the new
 * end time, start between grid points, or fall on a weekday or date the rules no longer cover
 * does not.
 */
export function fitsRules(rules: readonly GridRule[], timeZone: string, start: number, end: number): boolean {
  const today = localDayOf(timeZone, start);
  for (const day of [today - 1, today]) {
    for (const r of rules) {
      if (isoWeekday(day) !== r.weekday || !validOn(r, day)) continue;
      const step = (r.sessionMinutes + r.bufferMinutes) * MINUTE_MS;
      if (!(step > 0)) continue;
      const ws = resolveLocalTime(timeZone, day * DAY_MS + r.startMinute * MINUTE_MS);
      const we = resolveLocalTime(timeZone, day * DAY_MS + r.endMinute * MINUTE_MS);
      const offset = start - ws;
      if (offset < 0 || offset % step !== 0) continue;
      if (start + r.sessionMinutes * MINUTE_MS <= we && end <= we) return true;
    }
  }
  return false;
}

function validOn(r: GridRule, day: number): boolean {
  const from = parseIsoDate(r.validFrom);
  const until = r.validUntil === null ? Number.POSITIVE_INFINITY : parseIsoDate(r.validUntil);
  return from !== null && until !== null && from <= day && day <= until;
}
