import { formatInstant } from '../../common/time/format';
import type { SearchTutor } from '../tutors/tutors.service';
import { SlotView } from './dto/slot.dto';
import { Slot, TutorInstantRange } from './engine';
import { BusyTuple } from './slot-search.repository';

/* What slot search (SlotsService) and the booking checks (BookableSlotsService) share. */

/** A free slot with its instants as numbers, for callers that compare (bookings). */
export interface FreeSlot extends SlotView {
  startMs: number;
  endMs: number;
}

/** Sessions never last longer than this (rules: sessionMinutes ≤ 240; claims: ≤ 480): input margin. */
export const MAX_SESSION_MS = 8 * 3_600_000;
/** A computation whose inputs changed under it starts again on fresh ones, at most this often. */
export const MAX_ATTEMPTS = 4;
/** The tutor kinds whose weekly rules give tutoring slots. */
export const KINDS = ['staff', 'volunteer'] as const;

/** Search order: start, then location, then tutor. */
export function compareSlots(a: Slot, b: Slot): number {
  return a.start.getTime() - b.start.getTime() || cmp(a.locationId, b.locationId) || cmp(a.tutorId, b.tutorId);
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function toView(s: Slot, tutor: Pick<SearchTutor, 'displayName' | 'topics' | 'languages'>, timeZone: string): SlotView {
  return {
    start: formatInstant(s.start, timeZone),
    end: formatInstant(s.end, timeZone),
    locationId: s.locationId,
    tutorId: s.tutorId,
    tutorDisplayName: tutor.displayName,
    topics: tutor.topics,
    languages: tutor.languages,
    kind: s.kind,
    partnerId: s.partnerId,
    claimId: s.claimId,
    roomId: s.roomId,
  };
}

export const toRange = ([tutorId, start, end]: BusyTuple): TutorInstantRange => ({ tutorId, start, end });

