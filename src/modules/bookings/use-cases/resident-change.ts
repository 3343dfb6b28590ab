import type { LocationSummary } from '../../locations/locations.service';
import type { BookingRecord } from '../bookings.repository';
import { decideTransition } from '../rules/lifecycle';
import { assertVerdict } from './actors';

/** Throws unless a resident may cancel or move the booking now (the branch's deadline). */
export function assertResidentMayChange(b: BookingRecord, place: LocationSummary, now: Date, change: 'cancel' | 'reschedule'): void {
  assertVerdict(
    decideTransition({
      status: b.status,
      start: b.start.getTime(),
      end: b.end.getTime(),
      now: now.getTime(),
      action: change,
      actor: 'resident',
      cancelUntilMinutesBefore: place.policy.cancelUntilMinutesBefore,
    }),
  );
}
