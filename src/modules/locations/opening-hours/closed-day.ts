import type { ClosedBy } from './resolve-opening-hours';

/**
 * A day the branch is shut by a holiday, closure, closing exception or being out of use (not
 * merely outside its weekly hours or without published hours): bookings and claims on it are
 * refused with `location-closed` rather than `outside-opening-hours`.
 */
export function isClosedDay(d: { hours: readonly unknown[]; holiday?: unknown; exception?: unknown; closedBy?: ClosedBy }): boolean {
  if (d.exception) return d.hours.length === 0;
  if (d.holiday) return true;
  return d.hours.length === 0 && d.closedBy !== undefined && d.closedBy !== 'weekday' && d.closedBy !== 'noHours';
}
