import { DateTime } from 'luxon';
import { DAY_MS, MINUTE_MS, formatIsoDate, offsetMsAt } from './local-time';

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function toMs(instant: Date | number): number {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('Invalid instant');
  return ms;
}

/**
 * An instant written in a zone as ISO 8601 with that zone's offset and without milliseconds
 * (they are truncated): `formatInstant(new Date('2027-03-28T07:00:00Z'), 'Europe/Helsinki')` →
 * `2027-03-28T10:00:00+03:00`. UTC is written `+00:00`. This is how the API writes instants.
 * Throws RangeError for an invalid instant or unknown zone.
 */
export function formatInstant(instant: Date | number, timeZone: string): string {
  const ms = Math.floor(toMs(instant) / 1000) * 1000;
  // Whole-minute offset (historic local mean times have seconds); the local reading uses the
  // same offset, so the text always denotes the instant it prints.
  const offsetMin = Math.round(offsetMsAt(timeZone, ms) / MINUTE_MS);
  const local = new Date(ms + offsetMin * MINUTE_MS);
  const year = local.getUTCFullYear();
  if (year < 1000 || year > 9999) {
    return DateTime.fromMillis(ms, { zone: timeZone }).toFormat("yyyy-MM-dd'T'HH:mm:ssZZ");
  }
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return (
    `${year}-${pad2(local.getUTCMonth() + 1)}-${pad2(local.getUTCDate())}` +
    `T${pad2(local.getUTCHours())}:${pad2(local.getUTCMinutes())}:${pad2(local.getUTCSeconds())}` +
    `${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`
  );
}

/** The local date (`YYYY-MM-DD`) of an instant in a zone. */
export function formatLocalDate(instant: Date | number, timeZone: string): string {
  const ms = toMs(instant);
  return formatIsoDate(Math.floor((ms + offsetMsAt(timeZone, ms)) / DAY_MS));
}
