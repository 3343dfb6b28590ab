/** Plain data of the opening-hours core: no Nest, no database, no clock. */

export interface LocalizedText {
  fi: string;
  sv: string;
  en: string;
}

/** `[start, end)` in minutes after local midnight; 0 ≤ start < end ≤ 1440 (1440 = `24:00`). */
export type MinuteInterval = readonly [number, number];

/** Weekday 1 = Monday … 7 = Sunday → that day's intervals, sorted, not overlapping. */
export type WeekDays = Partial<Record<number, MinuteInterval[]>>;

/** Weekly hours valid from `validFrom` through `validUntil` (inclusive; null = unbounded). */
export interface WeeklyPeriod {
  validFrom: string | null;
  validUntil: string | null;
  days: WeekDays;
}

/** A per-date exception: its hours replace weekly hours AND holidays for that date. */
export interface DateException {
  date: string;
  hours: MinuteInterval[];
  reason: LocalizedText | string | null;
}

/** A holiday's closed span on one local date (minutes; a whole day is [0, 1440]). */
export interface HolidaySpan {
  date: string;
  start: number;
  end: number;
  name: LocalizedText;
}

/** A closure: instants in epoch ms, `[start, end)`; subtracted after everything else. */
export interface ClosureSpan {
  start: number;
  end: number;
  reason: string | null;
}

/** `[start, end)` in epoch ms. */
export interface InstantInterval {
  start: number;
  end: number;
}
