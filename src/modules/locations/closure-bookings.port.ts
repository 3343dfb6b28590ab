import type { EntityManager } from 'typeorm';

/**
 * What the locations module needs to know about bookings when a branch closes: the bookings a
 * closure hits, and the cascade that cancels them. Defined here, implemented by the bookings
 * module (which depends on this one, not the other way round) and provided under
 * CLOSURE_BOOKINGS.
 */
export interface ClosureBookings {
  /**
   * Active bookings (confirmed, checked in) at the location that have not ended and overlap
   * [from, to), by start. With `cancel`, the confirmed ones are cancelled first (each with a
   * `cancelled` event) and listed as cancelled; with `manager`, all in the caller's transaction
   * after bookings being decided at the branch have committed.
   */
  affectedBy(q: { locationId: string; from: Date; to: Date; cancel?: CascadeCancel; manager?: EntityManager }): Promise<AffectedBooking[]>;
  /**
   * affectedBy for a change of opening hours: only the bookings that no longer lie inside one of
   * `open` (the location's open instants in [from, to) after the change, sorted and disjoint).
   * Read in the caller's transaction, which has just written the change.
   */
  outsideOpening(q: { locationId: string; from: Date; to: Date; open: readonly { start: number; end: number }[]; cancel?: CascadeCancel; manager: EntityManager }): Promise<AffectedBooking[]>;
}

export const CLOSURE_BOOKINGS = Symbol('ClosureBookings');

/** API.md's `affectedBookings` item: instants in the booking's branch offset. */
export interface AffectedBooking {
  id: string;
  reference: string;
  start: string;
  end: string;
  status: string;
  tutorId: string | null;
}

/** Why bookings are cancelled by a closure, recorded on each `cancelled` event. */
export interface CascadeCancel {
  reason: string | null;
  /** The staff user who closed the branch. */
  actorUserId: string;
  /** Event payload, e.g. `{ closureId }`. */
  cause: Record<string, string>;
}
