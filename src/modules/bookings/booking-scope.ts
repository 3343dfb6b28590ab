import type { Principal } from '../../common/auth/principal';
import type { ActorKind } from './lifecycle';

/**
 * Which bookings a caller may see (API.md: scope), as pure rules: admins all; staff those at
 * their branches; a tutor account its own tutor's sessions (never other tutors' residents);
 * partner accounts none yet (advisory bookings come with partner claims). What the caller may
 * not see answers 404.
 */
export type BookingScope = { kind: 'all' } | { kind: 'locations'; locationIds: string[] } | { kind: 'tutor'; tutorId: string } | { kind: 'none' };

export function bookingScopeOf(caller: Principal): BookingScope {
  switch (caller.role) {
    case 'admin':
      return { kind: 'all' };
    case 'staff':
      return caller.locationIds.length ? { kind: 'locations', locationIds: caller.locationIds } : { kind: 'none' };
    case 'tutor':
      return caller.tutorId ? { kind: 'tutor', tutorId: caller.tutorId } : { kind: 'none' };
    default:
      return { kind: 'none' };
  }
}

export function canSeeBooking(caller: Principal, b: { locationId: string; tutorId: string }): boolean {
  const scope = bookingScopeOf(caller);
  switch (scope.kind) {
    case 'all':
      return true;
    case 'locations':
      return scope.locationIds.includes(b.locationId);
    case 'tutor':
      return scope.tutorId === b.tutorId;
    case 'none':
      return false;
  }
}

/** How the lifecycle rules see a caller who may see the booking: admins and staff as staff. */
export function actorKindOf(caller: Principal): ActorKind {
  return caller.role === 'tutor' ? 'tutor' : 'staff';
}
