import type { FieldError } from '../../../common/problem/problem.exception';
import type { DateException, LocalizedText, MinuteInterval, WeeklyPeriod } from './types';
import { formatClock, isLocalDate, parseClock } from './wall-time';

/** At most this many intervals a day, periods in a schedule. */
export const MAX_INTERVALS_PER_DAY = 12;
export const MAX_PERIODS = 50;
const REASON_MAX = 500;

type Errors = FieldError[];

function err(errors: Errors, field: string, code: string, message: string): void {
  errors.push({ field, code, message });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A day's intervals `[["10:00","14:00"], …]` → minutes, sorted. Rejects a malformed time,
 * `24:00` as a start, an end not after its start and intervals that overlap (touching is fine).
 */
export function parseDayIntervals(value: unknown, field: string, errors: Errors): MinuteInterval[] {
  if (!Array.isArray(value)) {
    err(errors, field, 'invalid-hours', 'Give a list of ["HH:mm","HH:mm"] pairs.');
    return [];
  }
  if (value.length > MAX_INTERVALS_PER_DAY) {
    err(errors, field, 'too-many-intervals', `At most ${MAX_INTERVALS_PER_DAY} intervals a day.`);
    return [];
  }
  const parsed: { interval: MinuteInterval; index: number }[] = [];
  value.forEach((pair: unknown, index) => {
    const at = `${field}.${index}`;
    if (!Array.isArray(pair) || pair.length !== 2) {
      err(errors, at, 'invalid-interval', 'An interval is a pair ["HH:mm","HH:mm"].');
      return;
    }
    const start = parseClock(pair[0]);
    const end = parseClock(pair[1], true);
    if (start === null) err(errors, `${at}.0`, 'invalid-time', 'A start is a time HH:mm from 00:00 to 23:59.');
    if (end === null) err(errors, `${at}.1`, 'invalid-time', 'An end is a time HH:mm from 00:01 to 24:00.');
    if (start === null || end === null) return;
    if (end <= start) {
      err(errors, at, 'end-before-start', 'The end must be after the start.');
      return;
    }
    parsed.push({ interval: [start, end], index });
  });
  parsed.sort((a, b) => a.interval[0] - b.interval[0]);
  for (let i = 1; i < parsed.length; i++) {
    if (parsed[i].interval[0] < parsed[i - 1].interval[1]) {
      err(errors, `${field}.${parsed[i].index}`, 'overlap', 'Intervals of a day may not overlap.');
    }
  }
  return parsed.map((p) => p.interval);
}

function parseOptionalDate(value: unknown, field: string, errors: Errors): string | null {
  if (value === undefined || value === null) return null;
  if (!isLocalDate(value)) {
    err(errors, field, 'invalid-date', 'A date is YYYY-MM-DD and must exist.');
    return null;
  }
  return value;
}

/**
 * `{ periods: [ { validFrom, validUntil, days: { "1": [["10:00","19:00"]] } } ] }` → periods,
 * or field errors. Periods may not overlap one another (summer hours are their own period).
 */
export function parseWeeklyHours(body: unknown): { periods: WeeklyPeriod[]; errors: Errors } {
  const errors: Errors = [];
  if (!isPlainObject(body) || !Array.isArray(body.periods)) {
    err(errors, 'periods', 'required', 'Give periods: a list of weekly schedules.');
    return { periods: [], errors };
  }
  if (body.periods.length > MAX_PERIODS) {
    err(errors, 'periods', 'too-many-periods', `At most ${MAX_PERIODS} periods.`);
    return { periods: [], errors };
  }
  const periods: WeeklyPeriod[] = [];
  const checked: { period: WeeklyPeriod; field: string }[] = [];
  body.periods.forEach((raw: unknown, index) => {
    const at = `periods.${index}`;
    if (!isPlainObject(raw)) {
      err(errors, at, 'invalid-period', 'A period is an object { validFrom, validUntil, days }.');
      return;
    }
    for (const key of Object.keys(raw)) {
      if (!['validFrom', 'validUntil', 'days'].includes(key)) err(errors, `${at}.${key}`, 'unknown-field', `${key} is not a field of a period.`);
    }
    const errorsBefore = errors.length;
    const validFrom = parseOptionalDate(raw.validFrom, `${at}.validFrom`, errors);
    const validUntil = parseOptionalDate(raw.validUntil, `${at}.validUntil`, errors);
    if (validFrom && validUntil && validFrom > validUntil) {
      err(errors, `${at}.validUntil`, 'end-before-start', 'validUntil may not be before validFrom.');
    }
    const datesValid = errors.length === errorsBefore;
    const days: WeeklyPeriod['days'] = {};
    if (!isPlainObject(raw.days)) {
      err(errors, `${at}.days`, 'required', 'days maps weekdays 1 (Monday) … 7 (Sunday) to intervals.');
    } else {
      for (const [key, value] of Object.entries(raw.days)) {
        if (!/^[1-7]$/.test(key)) {
          err(errors, `${at}.days.${key}`, 'invalid-weekday', 'Weekdays are 1 (Monday) … 7 (Sunday).');
          continue;
        }
        const intervals = parseDayIntervals(value, `${at}.days.${key}`, errors);
        if (intervals.length) days[Number(key)] = intervals;
      }
    }
    periods.push({ validFrom, validUntil, days });
    // Only periods with valid dates take part in the overlap check (no follow-on errors).
    if (datesValid) checked.push({ period: periods[periods.length - 1], field: at });
  });
  // Pairwise: few periods, and a clear message naming both.
  for (let i = 0; i < checked.length; i++) {
    for (let j = i + 1; j < checked.length; j++) {
      if (overlaps(checked[i].period, checked[j].period)) {
        err(errors, checked[j].field, 'overlap', `This period overlaps ${checked[i].field}; periods may not overlap.`);
      }
    }
  }
  return { periods, errors };
}

function overlaps(a: WeeklyPeriod, b: WeeklyPeriod): boolean {
  const aStartsBeforeBEnds = a.validFrom === null || b.validUntil === null || a.validFrom <= b.validUntil;
  const bStartsBeforeAEnds = b.validFrom === null || a.validUntil === null || b.validFrom <= a.validUntil;
  return aStartsBeforeBEnds && bStartsBeforeAEnds;
}

/** A reason: a plain string, or `{fi, sv?, en?}` (missing languages fall back to fi). */
export function parseReason(value: unknown, field: string, errors: Errors): LocalizedText | string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') {
    if (value.trim().length === 0 || value.length > REASON_MAX) err(errors, field, 'invalid-reason', `A reason is 1–${REASON_MAX} characters.`);
    return value.trim();
  }
  if (!isPlainObject(value)) {
    err(errors, field, 'invalid-reason', 'A reason is a string or { fi, sv, en }.');
    return null;
  }
  for (const key of Object.keys(value)) {
    if (!['fi', 'sv', 'en'].includes(key)) err(errors, `${field}.${key}`, 'unknown-field', 'Languages are fi, sv and en.');
  }
  for (const lang of ['fi', 'sv', 'en']) {
    const text = value[lang];
    if (text === undefined && lang !== 'fi') continue;
    if (typeof text !== 'string' || text.trim().length === 0 || text.length > REASON_MAX) {
      err(errors, `${field}.${lang}`, 'invalid-reason', `A reason text is 1–${REASON_MAX} characters${lang === 'fi' ? '; fi is required' : ''}.`);
    }
  }
  const fi = typeof value.fi === 'string' ? value.fi.trim() : '';
  const pick = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : fi);
  return { fi, sv: pick(value.sv), en: pick(value.en) };
}

/** `{ hours, reason? }` of a per-date exception. */
export function parseException(date: string, body: unknown): { exception: DateException; errors: Errors } {
  const errors: Errors = [];
  const raw = isPlainObject(body) ? body : {};
  for (const key of Object.keys(raw)) {
    if (!['hours', 'reason', 'cancelAffected'].includes(key)) err(errors, key, 'unknown-field', `${key} is not a field of an exception.`);
  }
  let hours: MinuteInterval[] = [];
  if (raw.hours === undefined) err(errors, 'hours', 'required', 'hours is required ([] = closed).');
  else hours = parseDayIntervals(raw.hours, 'hours', errors);
  const reason = parseReason(raw.reason, 'reason', errors);
  return { exception: { date, hours, reason }, errors };
}

/** Minutes → the API's `[["HH:mm","HH:mm"]]`. */
export function toClockPairs(intervals: readonly MinuteInterval[]): [string, string][] {
  return intervals.map(([s, e]) => [formatClock(s), formatClock(e)]);
}

/** The API shape of weekly hours (days with no intervals left out). */
export function weeklyHoursView(periods: readonly WeeklyPeriod[]) {
  return {
    periods: periods.map((p) => ({
      validFrom: p.validFrom,
      validUntil: p.validUntil,
      days: Object.fromEntries(
        Object.entries(p.days)
          .filter(([, v]) => v && v.length)
          .sort(([a], [b]) => Number(a) - Number(b))
          .map(([k, v]) => [k, toClockPairs(v ?? [])]),
      ),
    })),
  };
}
