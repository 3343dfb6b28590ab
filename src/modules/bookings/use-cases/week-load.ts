import { EntityManager } from 'typeorm';
import type { LocationSummary } from '../../locations/locations.service';
import type { FreeSlot } from '../../slots/slot-common';
import type { BookingsRepository } from '../bookings.repository';
import { isoWeekOf, orderTutors } from '../rules/booking-rules';

/** Free slots ordered for an automatic choice: fewest bookings that ISO week first, ties at random. */
export async function byWeekLoad(repo: BookingsRepository, m: EntityManager, free: FreeSlot[], place: LocationSummary): Promise<FreeSlot[]> {
  if (free.length <= 1) return free;
  const week = isoWeekOf(place.timezone, free[0].startMs);
  const counts = await repo.countsStartingIn(m, [...new Set(free.map((s) => s.tutorId))], new Date(week.start), new Date(week.end));
  const order = orderTutors(free.map((s) => s.tutorId), counts);
  return [...free].sort((a, b) => order.indexOf(a.tutorId) - order.indexOf(b.tutorId));
}
