import Holidays from 'date-holidays';
import { DAY_MS, MINUTE_MS, formatIsoDate, parseIsoDate, toLocalMs } from '../../../common/time/local-time';
import type { HolidaySpan, LocalizedText } from './types';

/** DESIGN.md: days of these types close a branch (bank = Midsummer Eve, Christmas Eve, New Year's Eve). */
export const CLOSING_HOLIDAY_TYPES: readonly string[] = ['public', 'bank'];

/** The zone date-holidays computes Finnish holidays in. */
const FI_ZONE = 'Europe/Helsinki';

const holidays = new Holidays('FI');
const byYear = new Map<number, HolidaySpan[]>();

function capitalize(name: string, locale: string): string {
  return name.charAt(0).toLocaleUpperCase(locale) + name.slice(1);
}

function yearSpans(year: number): HolidaySpan[] {
  let spans = byYear.get(year);
  if (spans) return spans;
  const names = (lang: string) => new Map(holidays.getHolidays(year, lang).map((h) => [`${h.date}|${h.rule}`, h.name]));
  const sv = names('sv');
  const en = names('en');
  spans = [];
  for (const h of holidays.getHolidays(year, 'fi')) {
    if (!CLOSING_HOLIDAY_TYPES.includes(h.type)) continue;
    const key = `${h.date}|${h.rule}`;
    const name: LocalizedText = {
      fi: capitalize(h.name, 'fi'),
      sv: capitalize(sv.get(key) ?? h.name, 'sv'),
      en: en.get(key) ?? h.name,
    };
    // The span the package gives, as wall-clock minutes on each local date it touches.
    const start = toLocalMs(FI_ZONE, h.start.getTime());
    const end = toLocalMs(FI_ZONE, h.end.getTime());
    for (let day = Math.floor(start / DAY_MS); day * DAY_MS < end; day++) {
      const from = Math.max(start, day * DAY_MS);
      const to = Math.min(end, (day + 1) * DAY_MS);
      if (to > from) {
        spans.push({ date: formatIsoDate(day), start: Math.round((from - day * DAY_MS) / MINUTE_MS), end: Math.round((to - day * DAY_MS) / MINUTE_MS), name });
      }
    }
  }
  byYear.set(year, spans);
  return spans;
}

/**
 * Finnish holidays that close a branch (types public and bank, from date-holidays), as spans on
 * local dates from `from` through `to` (inclusive, `YYYY-MM-DD`). Deterministic: no clock.
 */
export function finnishHolidays(from: string, to: string): HolidaySpan[] {
  const first = parseIsoDate(from);
  const last = parseIsoDate(to);
  if (first === null || last === null) throw new RangeError('from and to must be dates');
  const out: HolidaySpan[] = [];
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year++) {
    for (const span of yearSpans(year)) if (span.date >= from && span.date <= to) out.push(span);
  }
  return out;
}
