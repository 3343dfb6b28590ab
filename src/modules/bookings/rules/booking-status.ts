/** A booking's status (API.md lifecycle). */
export const BOOKING_STATUSES = ['confirmed', 'checked_in', 'completed', 'no_show', 'cancelled'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/**
 * The statuses in which a booking holds its tutor's time: the exclusion constraint, slot search
 * and schedule changes count these (the database spells the same list in its SQL).
 */
export const ACTIVE_STATUSES = ['confirmed', 'checked_in'] as const satisfies readonly BookingStatus[];
