import type { Client } from 'pg';
import { Random } from '../../scripts/seed/random';
import { BookableSlotsService } from '../../src/modules/slots/bookable-slots.service';
import { PREBOOKED_SHARE, WorldSize } from './phase-plan';
import { SlotSupply } from './slot-supply';
import { BookingWorld, insertExistingBookings, seedBookingWorld } from './world-seed';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const ZONE = 'Europe/Helsinki';

export interface PreparedWorld {
  world: BookingWorld;
  rules: number;
  /** Free slots found before any was booked. */
  freeSlots: number;
  prebooked: number;
  /** What is left for the run, in a fixed random order. */
  supply: SlotSupply;
}

/**
 * Seeds a world of `size`, finds its free slots with the app's own engine (as the booking
 * re-check does), from 2 h 20 min ahead (notice 2 h + margin for the run) to 58 days ahead, and
 * books a share of them by SQL so the tables are not empty at the start.
 */
export async function prepareWorld(admin: Client, slots: BookableSlotsService, size: WorldSize, seed: string, now: Date): Promise<PreparedWorld> {
  const rnd = new Random(seed);
  const world = await seedBookingWorld(admin, rnd, size, now);
  const rules = (await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM availability_rules`)).rows[0].n;
  const supply = new SlotSupply(ZONE);
  for (const locationId of world.locationIds) {
    supply.add(await slots.freeSlotsFor({ locationId, from: new Date(now.getTime() + 140 * MINUTE_MS), to: new Date(now.getTime() + 58 * DAY_MS) }));
  }
  supply.shuffle(rnd);
  const freeSlots = supply.size;
  const booked = supply.take(Math.round(freeSlots * PREBOOKED_SHARE));
  await insertExistingBookings(
    admin,
    booked.map((s, i) => ({
      locationId: s.locationId,
      tutorId: s.tutorId,
      topicId: world.topicIdBySlug.get(s.topics[0])!,
      start: new Date(s.startMs),
      end: new Date(s.endMs),
      phone: `+35840${String(1_000_000 + i).padStart(7, '0')}`,
    })),
  );
  return { world, rules, freeSlots, prebooked: booked.length, supply };
}
