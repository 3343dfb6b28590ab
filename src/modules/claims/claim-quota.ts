import { DateTime } from 'luxon';

/** Quotas count calendar months in Helsinki, whatever the branch's zone (API.md). */
export const QUOTA_ZONE = 'Europe/Helsinki';

/** The calendar month (Helsinki) an instant falls in: its key `YYYY-MM` and its span. */
export function quotaMonthOf(instant: Date): { month: string; from: Date; to: Date } {
  const start = DateTime.fromJSDate(instant, { zone: QUOTA_ZONE }).startOf('month');
  return { month: start.toFormat('yyyy-MM'), from: start.toJSDate(), to: start.plus({ months: 1 }).toJSDate() };
}

/** Hours per month of the partner-wide quota and of the one at the claim's branch (null: not set). */
export interface QuotaLimits {
  partner: number | null;
  location: number | null;
}

/** 422 quota-exceeded's members: hours, to two decimals. */
export interface QuotaBreach {
  scope: 'partner' | 'location';
  month: string;
  limit: number;
  used: number;
  asked: number;
}

/**
 * The first quota the asked minutes would break in the month, or null. Both quotas apply when
 * both are set: `usedMinutes` gives what is already counted for each scope.
 */
export function quotaBreach(q: { month: string; limits: QuotaLimits; usedMinutes: { partner: number; location: number }; askedMinutes: number }): QuotaBreach | null {
  for (const scope of ['partner', 'location'] as const) {
    const limit = q.limits[scope];
    if (limit === null) continue;
    const used = q.usedMinutes[scope];
    if (used + q.askedMinutes > Math.round(limit * 60)) return { scope, month: q.month, limit, used: hours(used), asked: hours(q.askedMinutes) };
  }
  return null;
}

const hours = (minutes: number) => Math.round((minutes / 60) * 100) / 100;

/** Minutes of each month (Helsinki) the claims start in, by month, in order. */
export function minutesByMonth(times: readonly { start: Date; end: Date }[]): Map<string, { from: Date; to: Date; minutes: number }> {
  const out = new Map<string, { from: Date; to: Date; minutes: number }>();
  for (const t of times) {
    const m = quotaMonthOf(t.start);
    const entry = out.get(m.month) ?? { from: m.from, to: m.to, minutes: 0 };
    entry.minutes += (t.end.getTime() - t.start.getTime()) / 60_000;
    out.set(m.month, entry);
  }
  return out;
}
