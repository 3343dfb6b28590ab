import { containedIn, GridRule, gridOfMinutes, sessionOnGrid } from '../../slots/engine';

/**
 * Does a booked session still lie on a tutor's weekly rules? Pure: no Nest, no database, no clock.
 * True when some rule applies on the booking's local date and the booking lies on that rule's
 * session grid (slots/engine/session-grid.ts): it starts on a grid point and ends by the rule's
 * end time. A booking of 45 minutes under a rule that now has 60-minute sessions on the same
 * grid still fits; one that would run past the new end time, start between grid points, or fall
 * on a weekday or date the rules no longer cover does not.
 */
export function fitsRules(rules: readonly GridRule[], timeZone: string, start: number, end: number): boolean {
  return rules.some((r) => {
    const grid = gridOfMinutes(r);
    return !!grid && sessionOnGrid(grid, timeZone, start, end);
  });
}

/**
 * True when the booking `[start, end)` lies inside one of a branch's open intervals (sorted,
 * disjoint instants, as resolved opening hours give them): the library is open the whole session.
 */
export function fitsOpening(open: readonly { start: number; end: number }[], start: number, end: number): boolean {
  return containedIn(open, start, end);
}
