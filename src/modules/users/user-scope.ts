import { Principal } from '../../common/auth/principal';

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
