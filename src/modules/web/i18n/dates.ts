import { DAY_MS, toLocalMs } from '../../../common/time/local-time';
import type { Language } from './messages';

/**
 * Dates and times written as each language's readers expect: Finnish "ti 1.12. klo 10.00",
 * Swedish "tis 1.12. kl. 10.00", English "Tue 1 Dec at 10:00". Fixed word lists rather than
 * Intl, so the output is the same on every Node build. All functions take an instant (ms) and
 * the branch's time zone: the wall clock there is what the resident sees on arrival.
 */
const WEEKDAY_SHORT: Record<Language, string[]> = {
  fi: ['ma', 'ti', 'ke', 'to', 'pe', 'la', 'su'],
  sv: ['mån', 'tis', 'ons', 'tors', 'fre', 'lör', 'sön'],
  en: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
};
const WEEKDAY_LONG: Record<Language, string[]> = {
  fi: ['maanantai', 'tiistai', 'keskiviikko', 'torstai', 'perjantai', 'lauantai', 'sunnuntai'],
  sv: ['måndag', 'tisdag', 'onsdag', 'torsdag', 'fredag', 'lördag', 'söndag'],
  en: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
};
const MONTH_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

interface WallClock {
  weekday: number; // 0 = Monday
  day: number;
  month: number; // 1–12
  year: number;
  hour: number;
  minute: number;
}

function wallClock(instantMs: number, timeZone: string): WallClock {
  const local = new Date(toLocalMs(timeZone, instantMs));
  return {
    weekday: (local.getUTCDay() + 6) % 7,
    day: local.getUTCDate(),
    month: local.getUTCMonth() + 1,
    year: local.getUTCFullYear(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
  };
}

const two = (n: number) => String(n).padStart(2, '0');

/** "10.00" (fi, sv) or "10:00" (en). */
export function formatTime(instantMs: number, timeZone: string, lang: Language): string {
  const w = wallClock(instantMs, timeZone);
  return `${w.hour}${lang === 'en' ? ':' : '.'}${two(w.minute)}`;
}

/** "ti 1.12." / "tis 1.12." / "Tue 1 Dec"; with `year`, "ti 1.12.2026" / "Tue 1 Dec 2026". */
export function formatDate(instantMs: number, timeZone: string, lang: Language, opts: { year?: boolean; long?: boolean } = {}): string {
  const w = wallClock(instantMs, timeZone);
  const weekday = (opts.long ? WEEKDAY_LONG : WEEKDAY_SHORT)[lang][w.weekday];
  if (lang === 'en') return `${weekday} ${w.day} ${MONTH_EN[w.month - 1]}${opts.year ? ` ${w.year}` : ''}`;
  return `${weekday} ${w.day}.${w.month}.${opts.year ? w.year : ''}`;
}

/** "ti 1.12. klo 10.00" / "tis 1.12. kl. 10.00" / "Tue 1 Dec at 10:00". */
export function formatDateTime(instantMs: number, timeZone: string, lang: Language, opts: { year?: boolean } = {}): string {
  const joiner = { fi: 'klo', sv: 'kl.', en: 'at' }[lang];
  return `${formatDate(instantMs, timeZone, lang, opts)} ${joiner} ${formatTime(instantMs, timeZone, lang)}`;
}

/** "ti 1.12. klo 10.00–10.45" with the end's time only. */
export function formatTimeRange(startMs: number, endMs: number, timeZone: string, lang: Language, opts: { year?: boolean } = {}): string {
  return `${formatDateTime(startMs, timeZone, lang, opts)}–${formatTime(endMs, timeZone, lang)}`;
}

/** A local date "2026-12-01" (as the opening-hours API gives it) written like formatDate. */
export function formatIsoDate(isoDate: string, lang: Language, opts: { long?: boolean } = {}): string {
  return formatDate(Date.parse(`${isoDate}T12:00:00Z`), 'UTC', lang, opts);
}

/** The local date (YYYY-MM-DD) of an instant in a zone. */
export function localIsoDate(instantMs: number, timeZone: string): string {
  const w = wallClock(instantMs, timeZone);
  return `${w.year}-${two(w.month)}-${two(w.day)}`;
}

/** The Monday (YYYY-MM-DD) of the local week an instant falls in. */
export function mondayOf(instantMs: number, timeZone: string): string {
  const local = toLocalMs(timeZone, instantMs);
  const weekday = (new Date(local).getUTCDay() + 6) % 7;
  return new Date(local - weekday * DAY_MS).toISOString().slice(0, 10);
}
