/**
 * Inputs and outputs of the pure slot engine (see slot-engine.ts for the semantics).
 * Instants are `Date` or epoch milliseconds; ranges are half-open `[start, end)`.
 */

export type Instant = Date | number;

export interface InstantRange {
  readonly start: Instant;
  readonly end: Instant;
}

export interface TutorInstantRange extends InstantRange {
  readonly tutorId: string;
}

export type SlotKind = 'tutoring' | 'advisory';

/**
 * Where a slot comes from; copied unchanged onto every slot an input produces. Tutors' weekly
 * rules are `tutoring` (the default); approved bookable partner claims will give `advisory`
 * windows with `claimId`, `partnerId` and maybe `roomId`.
 */
export interface SlotSource {
  readonly kind?: SlotKind;
  readonly claimId?: string | null;
  readonly partnerId?: string | null;
  readonly roomId?: string | null;
}

/** A tutor's weekly availability rule at the location (as stored by the tutors module). */
export interface WeeklyAvailabilityRule extends SlotSource {
  readonly tutorId: string;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  readonly weekday: number;
  /** Local wall time `HH:mm` (`HH:mm:ss` also read); 00:00–23:59. */
  readonly startTime: string;
  /** Local wall time `HH:mm`; `24:00` = the end of the day. */
  readonly endTime: string;
  readonly sessionMinutes: number;
  readonly bufferMinutes: number;
  /** First local date the rule applies (`YYYY-MM-DD`, inclusive). */
  readonly validFrom: string;
  /** Last local date the rule applies (inclusive), or null = open-ended. */
  readonly validUntil: string | null;
}

/**
 * Availability given directly as an instant window (e.g. an approved bookable partner claim's
 * block for one advisor): sessions start at `start + n × (sessionMinutes + bufferMinutes)` real
 * minutes and end by `end`.
 */
export interface AvailabilityWindow extends SlotSource {
  readonly tutorId: string;
  readonly start: Instant;
  readonly end: Instant;
  readonly sessionMinutes: number;
  readonly bufferMinutes: number;
}

export interface BookingPolicy {
  /** A slot starts at or after now + this many minutes (0 for staff bookings). */
  readonly minNoticeMinutes: number;
  /** A slot starts on a local date no later than (local date of now) + this many days. */
  readonly maxDaysAhead: number;
}

/** Everything the engine needs for ONE location. */
export interface SlotQuery {
  readonly locationId: string;
  /** IANA zone of the location, e.g. `Europe/Helsinki`. */
  readonly timeZone: string;
  /** Weekly rules of one or many tutors at this location. */
  readonly rules: readonly WeeklyAvailabilityRule[];
  /** Extra availability as instant windows (partner claims later); optional. */
  readonly windows?: readonly AvailabilityWindow[];
  /** The location's resolved opening intervals (any order; overlapping or touching ones are joined). */
  readonly openings: readonly InstantRange[];
  /** Closures, subtracted from the openings (the caller may already have done it). */
  readonly closures?: readonly InstantRange[];
  /** Tutor absences. */
  readonly absences?: readonly TutorInstantRange[];
  /** Active bookings (any kind, any location) of the tutors. */
  readonly bookings?: readonly TutorInstantRange[];
  readonly policy: BookingPolicy;
  readonly now: Instant;
  /** Slot starts within [from, to). */
  readonly from: Instant;
  readonly to: Instant;
}

export interface Slot {
  readonly start: Date;
  readonly end: Date;
  readonly tutorId: string;
  readonly locationId: string;
  readonly kind: SlotKind;
  readonly claimId: string | null;
  readonly partnerId: string | null;
  readonly roomId: string | null;
}
