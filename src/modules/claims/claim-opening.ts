import { isClosedDay } from '../locations/opening-hours/closed-day';
import type { ResolvedDay } from '../locations/opening-hours/resolve-opening-hours';

/**
 * Why a claim cannot be approved at its time, as to opening hours, or null: it lies wholly inside
 * one of the day's open intervals (the resolved day: weekly hours, exceptions, holidays,
 * closures). Otherwise `location-closed` when a holiday, closure or closing exception shuts the
 * day or a closure overlaps the claim, else `outside-opening-hours`.
 */
export function claimOpeningProblem(
  day: ResolvedDay | undefined,
  closures: readonly { start: Date; end: Date }[],
  claim: { start: Date; end: Date },
): 'location-closed' | 'outside-opening-hours' | null {
  const s = claim.start.getTime();
  const e = claim.end.getTime();
  if (day?.intervals.some((i) => i.start <= s && e <= i.end)) return null;
  if ((day && isClosedDay(day)) || closures.some((c) => c.start.getTime() < e && s < c.end.getTime())) return 'location-closed';
  return 'outside-opening-hours';
}
