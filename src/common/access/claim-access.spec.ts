import type { Principal } from '../auth/principal';
import { assertMayRequestClaimsFor, canSeeClaim, claimScopeSql, claimSidesOf } from './claim-access';

const principal = (over: Partial<Principal>): Principal => ({ id: 'u', email: 'u@example.fi', role: 'staff', locationIds: [], tutorId: null, partnerId: null, ...over });
const claim = { partnerId: 'p1', locationId: 'loc-a' };

describe('claim scope', () => {
  it('gives admins both sides, a partner its own claims, staff their branches', () => {
    expect(claimSidesOf(principal({ role: 'admin' }), claim)).toEqual(['partner', 'branch']);
    expect(claimSidesOf(principal({ role: 'partner', partnerId: 'p1' }), claim)).toEqual(['partner']);
    expect(claimSidesOf(principal({ locationIds: ['loc-b', 'loc-a'] }), claim)).toEqual(['branch']);
  });

  it('hides claims from other partners, other branches, tutors', () => {
    expect(canSeeClaim(principal({ role: 'partner', partnerId: 'p2' }), claim)).toBe(false);
    expect(canSeeClaim(principal({ role: 'partner', partnerId: null, locationIds: ['loc-a'] }), claim)).toBe(false);
    expect(canSeeClaim(principal({ locationIds: ['loc-b'] }), claim)).toBe(false);
    expect(canSeeClaim(principal({ role: 'tutor', tutorId: 't', locationIds: ['loc-a'] }), claim)).toBe(false);
  });

  it('lets only the partner’s users and admins request, and scopes lists the same way', () => {
    expect(() => assertMayRequestClaimsFor(principal({ role: 'partner', partnerId: 'p1' }), 'p1')).not.toThrow();
    expect(() => assertMayRequestClaimsFor(principal({ role: 'admin' }), 'p1')).not.toThrow();
    expect(() => assertMayRequestClaimsFor(principal({ role: 'partner', partnerId: 'p2' }), 'p1')).toThrow('No such partner.');
    expect(() => assertMayRequestClaimsFor(principal({ locationIds: ['loc-a'] }), 'p1')).toThrow('No such partner.');
    const params: unknown[] = [];
    const bind = (v: unknown) => `$${params.push(v)}`;
    expect(claimScopeSql(principal({ role: 'admin' }), bind)).toBe('true');
    expect(claimScopeSql(principal({ role: 'partner', partnerId: 'p1' }), bind)).toBe('c.partner_id = $1::uuid');
    expect(claimScopeSql(principal({ locationIds: ['loc-a'] }), bind)).toBe('c.location_id = ANY($2::uuid[])');
    expect(claimScopeSql(principal({ role: 'tutor', tutorId: 't' }), bind)).toBe('false');
    expect(params).toEqual(['p1', ['loc-a']]);
  });
});
