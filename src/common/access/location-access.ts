import type { Principal } from '../auth/principal';
import { ProblemException } from '../problem/problem.exception';
import { isAdmin, worksAt } from './roles';

/**
 * Locations are public; changing one is its staff's (and admins'). What the caller may not
 * change answers 403 (the location is public, so its existence is no secret).
 */

/** Creating and removing locations, and taking one into or out of use: admins only. */
export function assertMayAdministerLocations(caller: Principal, detail: string): void {
  if (!isAdmin(caller)) throw new ProblemException('forbidden', detail);
}

/** Editing a location (its data, hours, closures): its staff and admins. */
export function assertMayEditLocation(caller: Principal, locationId: string): void {
  if (!worksAt(caller, locationId)) throw new ProblemException('forbidden', 'This location belongs to another library.');
}

/** A closure's affected bookings are shown to the branch's staff and admins; everyone else sees the closure alone. */
export function maySeeClosureBookings(caller: Principal | undefined, locationId: string): boolean {
  return !!caller && worksAt(caller, locationId);
}
