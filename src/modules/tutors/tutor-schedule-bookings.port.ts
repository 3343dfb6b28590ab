import type { EntityManager } from 'typeorm';
import type { WeeklyRule } from './availability-rules';

/**
 * What the tutors module needs to know about bookings when a tutor's schedule changes: the
 * bookings an absence or new weekly rules hit, and the cascade that cancels them. Defined here,
 * implemented by the bookings module (which depends on this one, not the other way round) and
 * provided under TUTOR_SCHEDULE_BOOKINGS.
 */
export interface TutorScheduleBookings {
  /**
   * The tutor's active bookings (confirmed, checked in, at any branch) that have not ended and
   * overlap [from, to), by start. With `cancel`, the confirmed ones are cancelled first (each
   * with a `cancelled` event) and listed as cancelled; with `manager`, all in the caller's
   * transaction after the tutor's bookings being decided have committed. With `absentEvent`,
   * each booking left active that it selects gets a `tutor-absent` event (for notifications).
   */
  absenceAffects(q: { tutorId: string; from: Date; to: Date; cancel?: AbsenceCancel; absentEvent?: AbsentEvent; manager?: EntityManager }): Promise<TutorBookingAt[]>;
  /** absenceAffects for many spans at once (a page of absences): one list per span, in order. */
  affectedByTutorSpans(tutorId: string, spans: readonly { start: Date; end: Date }[]): Promise<TutorBookingAt[][]>;
  /** The tutor's active bookings at the branch that have not started and no longer lie on `rules` (the new rules there), read in the caller's transaction. */
  outsideRules(q: { tutorId: string; locationId: string; rules: readonly WeeklyRule[]; manager: EntityManager }): Promise<TutorBooking[]>;
}

export const TUTOR_SCHEDULE_BOOKINGS = Symbol('TutorScheduleBookings');

/** API.md's `affectedBookings` item of an absence or a rules change. */
export interface TutorBooking {
  id: string;
  reference: string;
  start: string;
  end: string;
  status: string;
  tutorId: string | null;
}

/** An item with the booking's branch, which decides who may see it (common/access); not shown in responses. */
export interface TutorBookingAt extends TutorBooking {
  locationId: string;
}

/** A `tutor-absent` event on the bookings an absence leaves active that `where` selects (other branches'). */
export interface AbsentEvent {
  absenceId: string;
  actorUserId: string;
  where: (b: { locationId: string; tutorId: string }) => boolean;
}

/** Why bookings are cancelled by an absence, recorded on each `cancelled` event. */
export interface AbsenceCancel {
  reason: string | null;
  actorUserId: string;
  /** Event payload, e.g. `{ absenceId }`. */
  cause: Record<string, string>;
  /** Cancel only the bookings this allows (the caller's scope, common/access); the rest are only listed. */
  only?: (b: { locationId: string; tutorId: string }) => boolean;
}
