import type { Principal } from '../auth/principal';
import { ProblemException } from '../problem/problem.exception';
import { Bind, isAdmin, worksAt } from './roles';

/**
 * Who may see and act on partner claims (API.md: scope). A partner's users see and change only
 * their own organisation's claims; staff see the claims at their branches and decide on them;
 * admins see everything and may act for either side. Everything else answers 404.
 */

/** The two sides of a claim (claims/claim-transitions.ts ClaimSide, minus the system). */
export type ClaimCallerSide = 'partner' | 'branch';

export interface ClaimFacts {
  partnerId: string;
  locationId: string;
}

export function canSeeClaim(caller: Principal, c: ClaimFacts): boolean {
  return claimSidesOf(caller, c).length > 0;
}

/** The sides the caller acts on for this claim: admins both, the partner's users the partner's, the branch's staff the branch's. */
export function claimSidesOf(caller: Principal, c: ClaimFacts): ClaimCallerSide[] {
  if (isAdmin(caller)) return ['partner', 'branch'];
  if (caller.role === 'partner' && caller.partnerId !== null && caller.partnerId === c.partnerId) return ['partner'];
  if (caller.role === 'staff' && worksAt(caller, c.locationId)) return ['branch'];
  return [];
}

/** The claim, if the caller may see it; 404 otherwise (also when there is none). */
export function assertCanSeeClaim<C extends ClaimFacts>(caller: Principal, c: C | undefined): C {
  if (!c || !canSeeClaim(caller, c)) throw ProblemException.notFound('claim');
  return c;
}

/** Requesting claims for a partner: its own users and admins; to everyone else the partner answers 404. */
export function assertMayRequestClaimsFor(caller: Principal, partnerId: string): void {
  if (!isAdmin(caller) && !(caller.role === 'partner' && caller.partnerId === partnerId)) throw ProblemException.notFound('partner');
}

/** canSeeClaim as a condition on `claims c` for a list (null: every claim), its values bound with `bind`. */
export function claimScopeSql(caller: Principal, bind: Bind): string {
  if (isAdmin(caller)) return 'true';
  if (caller.role === 'partner' && caller.partnerId) return `c.partner_id = ${bind(caller.partnerId)}::uuid`;
  if (caller.role === 'staff' && caller.locationIds.length) return `c.location_id = ANY(${bind(caller.locationIds)}::uuid[])`;
  return 'false';
}
