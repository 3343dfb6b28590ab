import type { Principal } from '../auth/principal';
import { ProblemException } from '../problem/problem.exception';
import { canSeePartner } from './partner-access';
import { Bind, worksAt } from './roles';

/**
 * Which bookings a caller may see (API.md: scope): admins all; staff those at their branches; a
 * tutor account its own tutor's sessions (never other tutors' residents); partner accounts none
 * here: they see the sessions in their own claims through the partner's view
 * (`assertMaySeePartnerBookings`), without residents' contact details. What the caller may not see
 * answers 404.
 */
export type BookingScope = { kind: 'all' } | { kind: 'locations'; locationIds: string[] } | { kind: 'tutor'; tutorId: string } | { kind: 'none' };

/** How the lifecycle rules see a signed-in caller (bookings/rules/lifecycle.ts ActorKind). */
export type DeskActor = 'staff' | 'tutor';

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

/** The booking, if the caller may see it; 404 otherwise (also when there is none). */
export function assertCanSeeBooking<B extends { locationId: string; tutorId: string }>(caller: Principal, b: B | undefined): B {
  if (!b || !canSeeBooking(caller, b)) throw ProblemException.notFound('booking');
  return b;
}

/**
 * The scope as a condition on `bookings b` for a list (null: everything), its values bound with
 * `bind`. A caller who sees nothing gets `false`.
 */
export function bookingScopeSql(scope: BookingScope, bind: Bind): string | null {
  switch (scope.kind) {
    case 'all':
      return null;
    case 'locations':
      return `b.location_id = ANY(${bind(scope.locationIds)}::uuid[])`;
    case 'tutor':
      return `b.tutor_id = ${bind(scope.tutorId)}::uuid`;
    case 'none':
      return 'false';
  }
}

/** How the lifecycle rules see a caller who may see the booking: admins and staff as staff. */
export function actorKindOf(caller: Principal): DeskActor {
  return caller.role === 'tutor' ? 'tutor' : 'staff';
}

/** Booking on a resident's behalf: the branch's staff and admins (others 403: the branch is public). */
export function assertMayBookOnBehalfAt(caller: Principal, locationId: string): void {
  if (!worksAt(caller, locationId)) throw new ProblemException('forbidden', 'Only the staff of this library book on a resident’s behalf here.');
}

/** A branch's agenda: its staff and admins; to anyone else the location answers 404 (its agenda is not public). */
export function maySeeAgendaOf(caller: Principal, locationId: string): boolean {
  return worksAt(caller, locationId);
}

/**
 * A shared tutor's absence is the person's (API.md: scope): staff of any of the tutor's branches
 * record it, but the bookings it hits are shown in full only where the caller may see them; of
 * the rest the caller learns a count per branch. Cascades cancel only what the caller sees.
 */
export function splitBySight<B extends { locationId: string; tutorId: string | null }>(
  caller: Principal,
  bookings: readonly B[],
): { visible: B[]; otherBranches: { locationId: string; count: number }[] } {
  const visible: B[] = [];
  const counts = new Map<string, number>();
  for (const b of bookings) {
    if (mayActInCascade(caller, b)) visible.push(b);
    else counts.set(b.locationId, (counts.get(b.locationId) ?? 0) + 1);
  }
  const otherBranches = [...counts].map(([locationId, count]) => ({ locationId, count })).sort((a, b) => (a.locationId < b.locationId ? -1 : 1));
  return { visible, otherBranches };
}

/** May a cascade the caller starts (an absence's cancelAffected) cancel this booking? Only if the caller may see it. */
export function mayActInCascade(caller: Principal, b: { locationId: string; tutorId: string | null }): boolean {
  return canSeeBooking(caller, { locationId: b.locationId, tutorId: b.tutorId ?? '' });
}

/**
 * The partner's view of the bookings in its claims (GET /partners/{id}/bookings): that partner's
 * own users and admins; anyone else — staff, tutors, another partner's users — gets 404, as for a
 * partner that does not exist.
 */
export function assertMaySeePartnerBookings(caller: Principal, partnerId: string): void {
  if (!canSeePartner(caller, partnerId)) throw ProblemException.notFound('partner');
}
