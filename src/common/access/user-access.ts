import type { Principal } from '../auth/principal';
import { ProblemException } from '../problem/problem.exception';
import { isAdmin } from './roles';

/** What a caller may do with user accounts (API.md /users), as pure rules. */

export interface UserFacts {
  id: string;
  role: Principal['role'];
  tutorId: string | null;
  partnerId: string | null;
}

/** Which kinds of account the caller may create at all (the scope check comes after). */
export function mayCreateRole(caller: Principal, role: Principal['role']): boolean {
  switch (caller.role) {
    case 'admin':
      return true;
    case 'staff':
      return role === 'tutor';
    case 'partner':
      return role === 'partner';
    default:
      return false;
  }
}

/**
 * `tutorLocations` gives the locations of the target's tutor (empty until tutors exist or when
 * the tutor works nowhere): staff manage tutor users of tutors at their locations.
 */
export function canManageUser(caller: Principal, target: UserFacts, tutorLocations: string[]): boolean {
  switch (caller.role) {
    case 'admin':
      return true;
    case 'staff':
      return target.role === 'tutor' && tutorLocations.some((l) => caller.locationIds.includes(l));
    case 'partner':
      return target.role === 'partner' && target.partnerId === caller.partnerId;
    default:
      return false;
  }
}

export function canSeeUser(caller: Principal, target: UserFacts, tutorLocations: string[]): boolean {
  return caller.id === target.id || canManageUser(caller, target, tutorLocations);
}

/** Only admins give an account branches (staff accounts), whatever else the caller may create. */
export function mayAssignBranches(caller: Principal): boolean {
  return isAdmin(caller);
}

/** Admins change every field of an account they manage; others only enable or disable it. */
export function mayEditAccountFields(caller: Principal): boolean {
  return isAdmin(caller);
}

/** The account if the caller may see it; 404 otherwise (also when there is none). */
export function assertCanSeeUser<U extends UserFacts>(caller: Principal, target: U | undefined, tutorLocations: string[]): U {
  if (!target || !canSeeUser(caller, target, tutorLocations)) throw ProblemException.notFound('user');
  return target;
}

/**
 * canSeeUser as a condition on `users u` for the list (null: every account), with named
 * parameters: the caller's own account, and for staff the tutor accounts of the tutors at their
 * branches (`tutorsAt` answers which), for a partner its own partner's accounts.
 */
export async function userScopeSql(
  caller: Principal,
  tutorsAt: (locationIds: string[]) => Promise<string[]>,
): Promise<{ where: string; params: Record<string, unknown> } | null> {
  switch (caller.role) {
    case 'admin':
      return null;
    case 'staff':
      return {
        where: `(u.id = :self OR (u.role = 'tutor' AND u.tutor_id = ANY(:tutorIds)))`,
        params: { self: caller.id, tutorIds: await tutorsAt(caller.locationIds) },
      };
    case 'partner':
      return { where: `(u.id = :self OR (u.role = 'partner' AND u.partner_id = :partnerId))`, params: { self: caller.id, partnerId: caller.partnerId } };
    default:
      return { where: 'u.id = :self', params: { self: caller.id } };
  }
}
