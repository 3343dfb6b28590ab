import { formatIsoDate, isoWeekday, parseIsoDate } from '../../../common/time/local-time';
import { clip, normalize, subtract } from './intervals';
import type {
  ClosureSpan,
  DateException,
  HolidaySpan,
  InstantInterval,
  LocalizedText,
  MinuteInterval,
  WeeklyPeriod,
} from './types';
import { instantsToClock, localDayToInstants, parseClock } from './wall-time';

/** Why a day has no hours, in the three languages the API speaks. */
export const CLOSED_REASONS = {
  inactive: { fi: 'Toimipiste ei ole käytössä', sv: 'Verksamhetsstället är inte i bruk', en: 'This branch is not in use' },
  noHours: { fi: 'Aukioloaikoja ei ole julkaistu', sv: 'Öppettiderna har inte publicerats', en: 'Opening hours not published' },
  weekday: { fi: 'Suljettu', sv: 'Stängt', en: 'Closed' },
  exception: { fi: 'Poikkeuksellisesti suljettu', sv: 'Undantagsvis stängt', en: 'Closed by exception' },
  closure: { fi: 'Tilapäisesti suljettu', sv: 'Tillfälligt stängt', en: 'Temporarily closed' },
} as const satisfies Record<string, LocalizedText>;

/** Why a day has no hours, for code to decide on (closedReason is the text people read). */
export type ClosedBy = keyof typeof CLOSED_REASONS | 'holiday';

export interface OpeningHoursInput {
  timeZone: string;
  /** First local date, `YYYY-MM-DD`. */
  from: string;
  /** Last local date, inclusive. */
  to: string;
  active: boolean;
  periods: readonly WeeklyPeriod[];
  exceptions: readonly DateException[];
  /** Holidays that close the branch (public and bank days); spans on local dates. */
  holidays: readonly HolidaySpan[];
  closures: readonly ClosureSpan[];
}

export interface ResolvedDay {
  date: string;
  /** Local wall times after everything, closures included. */
  hours: [string, string][];
  /** The same hours as instants (epoch ms), for the slot search. */
  intervals: InstantInterval[];
  holiday?: LocalizedText;
  /** Set when a per-date exception decided the day. */
  exception?: { reason: LocalizedText | null };
  /** Set when the day has no hours left. */
  closedReason?: LocalizedText;
  /** Set with closedReason: what closed the day. */
  closedBy?: ClosedBy;
}

/** A reason a person wrote (plain string) goes out unchanged in every language. */
export function toLocalized(reason: LocalizedText | string | null | undefined): LocalizedText | null {
  if (reason === null || reason === undefined) return null;
  if (typeof reason === 'string') return { fi: reason, sv: reason, en: reason };
  return { fi: reason.fi, sv: reason.sv, en: reason.en };
}

/** The weekly period in force on a date (periods do not overlap; the first match wins). */
export function periodOn(periods: readonly WeeklyPeriod[], date: string): WeeklyPeriod | undefined {
  return periods.find((p) => (p.validFrom === null || p.validFrom <= date) && (p.validUntil === null || date <= p.validUntil));
}

/**
 * Resolves opening hours date by date. For each local date:
 * 1. a per-date exception gives the hours (it beats weekly hours and holidays);
 * 2. else the weekly period in force gives that weekday's hours, minus the span of any
 *    holiday on that date;
 * 3. the hours become instants in the zone (DST rule of DESIGN.md);
 * 4. closures are subtracted last.
 * Pure: no clock, no database.
 */
export function resolveOpeningHours(input: OpeningHoursInput): ResolvedDay[] {
  const first = parseIsoDate(input.from);
  const last = parseIsoDate(input.to);
  if (first === null || last === null) throw new RangeError('from and to must be dates');
  const exceptions = new Map(input.exceptions.map((e) => [e.date, e]));
  const holidays = new Map<string, HolidaySpan[]>();
  for (const h of input.holidays) holidays.set(h.date, [...(holidays.get(h.date) ?? []), h]);
  const closures = input.closures.map((c) => ({ start: c.start, end: c.end }));

  const days: ResolvedDay[] = [];
  for (let day = first; day <= last; day++) {
    const date = formatIsoDate(day);
    const holidaySpans = holidays.get(date) ?? [];
    const resolved = resolveLocal(input, date, isoWeekday(day), exceptions.get(date), holidaySpans);
    const before = normalize(localDayToInstants(date, resolved.hours, input.timeZone));
    const intervals = subtract(before, closures);
    const result: ResolvedDay = { date, hours: instantsToClock(date, intervals, input.timeZone), intervals };
    if (holidaySpans.length) result.holiday = holidaySpans[0].name;
    if (resolved.exception) result.exception = resolved.exception;
    if (intervals.length === 0) {
      if (before.length > 0) {
        result.closedReason = closureReason(input.closures, before);
        result.closedBy = 'closure';
      } else {
        result.closedReason = resolved.closedReason ?? CLOSED_REASONS.weekday;
        result.closedBy = resolved.closedBy ?? 'weekday';
      }
    }
    days.push(result);
  }
  return days;
}

interface LocalDay {
  hours: MinuteInterval[];
  exception?: { reason: LocalizedText | null };
  closedReason?: LocalizedText;
  closedBy?: ClosedBy;
}

function resolveLocal(
  input: OpeningHoursInput,
  date: string,
  weekday: number,
  exception: DateException | undefined,
  holidaySpans: HolidaySpan[],
): LocalDay {
  if (!input.active) return { hours: [], closedReason: CLOSED_REASONS.inactive, closedBy: 'inactive' };
  if (exception) {
    const reason = toLocalized(exception.reason);
    return {
      hours: exception.hours.slice(),
      exception: { reason },
      closedReason: exception.hours.length ? undefined : (reason ?? CLOSED_REASONS.exception),
      closedBy: exception.hours.length ? undefined : 'exception',
    };
  }
  const period = periodOn(input.periods, date);
  if (!period) return { hours: [], closedReason: holidaySpans[0]?.name ?? CLOSED_REASONS.noHours, closedBy: holidaySpans.length ? 'holiday' : 'noHours' };
  const weekly = (period.days[weekday] ?? []).map(([start, end]) => ({ start, end }));
  const open = subtract(
    weekly,
    holidaySpans.map((h) => ({ start: h.start, end: h.end })),
  );
  const hours = open.map((i) => [i.start, i.end] as const);
  if (open.length) return { hours };
  return { hours, closedReason: holidaySpans[0]?.name ?? CLOSED_REASONS.weekday, closedBy: holidaySpans.length ? 'holiday' : 'weekday' };
}

/** The reason of the closure that covers most of the day's hours (or a generic text). */
function closureReason(closures: readonly ClosureSpan[], hours: InstantInterval[]): LocalizedText {
  let best: ClosureSpan | undefined;
  let bestCover = 0;
  for (const c of closures) {
    const cover = hours.reduce((sum, h) => sum + clip([h], c.start, c.end).reduce((s, i) => s + i.end - i.start, 0), 0);
    if (cover > bestCover) {
      best = c;
      bestCover = cover;
    }
  }
  return toLocalized(best?.reason) ?? CLOSED_REASONS.closure;
}

/** Every open instant interval of the days, merged and clipped to `[from, to)` (epoch ms). */
export function openIntervalsOf(days: readonly ResolvedDay[], from: number, to: number): InstantInterval[] {
  return clip(
    days.flatMap((d) => d.intervals),
    from,
    to,
  );
}

/**
 * A resolved day (`{ date, hours: [["10:00","19:00"]] }`) → its instant intervals in the zone,
 * with the DST rule of DESIGN.md. `24:00` is the next day's 00:00.
 */
export function dayToInstants(day: { date: string; hours: readonly (readonly [string, string])[] }, timeZone: string): InstantInterval[] {
  const minutes = day.hours.map(([s, e]): MinuteInterval => {
    const start = parseClock(s);
    const end = parseClock(e, true);
    if (start === null || end === null) throw new RangeError(`Not a wall time: ${s}–${e}`);
    return [start, end];
  });
  return normalize(localDayToInstants(day.date, minutes, timeZone));
}
