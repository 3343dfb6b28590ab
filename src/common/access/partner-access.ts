import type { Principal } from '../auth/principal';
import { ProblemException } from '../problem/problem.exception';
import { Bind, isAdmin } from './roles';

/**
 * Who may see and change a partner organisation and its people, as pure rules (API.md: scope).
 * A partner's users see and change only their own organisation; admins every one (acting for a
 * partner by phone, for example). Everyone else does not see partners at all: the desk meets a
 * partner's name inside its claims, and a partner's contact details are not for every account.
 * Creating partners and setting quotas is the admins' (the routes' role check).
 */

/** May the caller see this partner (and its advisors, and its quota)? Otherwise 404. */
export function canSeePartner(caller: Principal, partnerId: string): boolean {
  return isAdmin(caller) || (caller.role === 'partner' && caller.partnerId === partnerId);
}

/** The partner if the caller may see it; 404 otherwise (also when there is none). */
export function assertCanSeePartner<P extends { id: string }>(caller: Principal, partner: P | undefined): P {
  if (!partner || !canSeePartner(caller, partner.id)) throw ProblemException.notFound('partner');
  return partner;
}

/** Fields of a partner its own users may change; the rest (names, kind, active) is the admins'. */
const OWN_EDITABLE = new Set(['contact']);

/**
 * May the caller change these fields of a partner it sees? Admins change everything; a partner's
 * users only its contact details (403 otherwise).
 */
export function assertMayEditPartner(caller: Principal, changedFields: string[]): void {
  if (isAdmin(caller)) return;
  if (caller.role !== 'partner' || changedFields.some((f) => !OWN_EDITABLE.has(f))) {
    throw new ProblemException('forbidden', "A partner's own users change only its contact details; the rest is an admin's.");
  }
}

/**
 * canSeePartner as a condition on `partners p` for a list (null: every partner), its value bound
 * with `bind`.
 */
export function partnerScopeSql(caller: Principal, bind: Bind): string | null {
  if (isAdmin(caller)) return null;
  if (caller.role === 'partner' && caller.partnerId) return `p.id = ${bind(caller.partnerId)}`;
  return 'false';
}
