import { Principal } from '../auth/principal';
import { ProblemException } from '../problem/problem.exception';
import { assertCanSeePartner, assertMayEditPartner, canSeePartner, partnerScopeSql } from './partner-access';

const P1 = '11111111-0000-4000-8000-000000000001';
const P2 = '22222222-0000-4000-8000-000000000002';
const principal = (over: Partial<Principal>): Principal => ({ id: 'u', email: 'u@example.fi', role: 'staff', locationIds: [], tutorId: null, partnerId: null, ...over });
const admin = principal({ role: 'admin' });
const partnerUser = principal({ role: 'partner', partnerId: P1 });
const staff = principal({ role: 'staff', locationIds: ['l'] });
const tutor = principal({ role: 'tutor', tutorId: 't' });

const codeOf = (f: () => unknown) => {
  try {
    f();
    return 'allowed';
  } catch (error) {
    return error instanceof ProblemException ? error.code : 'thrown';
  }
};

describe('partner access', () => {
  it('admins see every partner, a partner user only its own, staff and tutors none', () => {
    expect(canSeePartner(admin, P2)).toBe(true);
    expect(canSeePartner(partnerUser, P1)).toBe(true);
    expect(canSeePartner(partnerUser, P2)).toBe(false);
    expect(canSeePartner(staff, P1)).toBe(false);
    expect(canSeePartner(tutor, P1)).toBe(false);
    expect(canSeePartner(principal({ role: 'partner', partnerId: null }), P1)).toBe(false);
  });

  it('answers 404 for what the caller may not see, also for nothing', () => {
    expect(codeOf(() => assertCanSeePartner(partnerUser, { id: P2 }))).toBe('not-found');
    expect(codeOf(() => assertCanSeePartner(admin, undefined))).toBe('not-found');
    expect(assertCanSeePartner(partnerUser, { id: P1 })).toEqual({ id: P1 });
  });

  it("lets a partner's users change only its contact; admins everything", () => {
    expect(codeOf(() => assertMayEditPartner(partnerUser, ['contact']))).toBe('allowed');
    expect(codeOf(() => assertMayEditPartner(partnerUser, ['contact', 'name']))).toBe('forbidden');
    expect(codeOf(() => assertMayEditPartner(partnerUser, ['active', 'reason']))).toBe('forbidden');
    expect(codeOf(() => assertMayEditPartner(staff, ['contact']))).toBe('forbidden');
    expect(codeOf(() => assertMayEditPartner(admin, ['name', 'kind', 'active', 'reason']))).toBe('allowed');
  });

  it('scopes lists the same way', () => {
    const params: unknown[] = [];
    const bind = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    expect(partnerScopeSql(admin, bind)).toBeNull();
    expect(partnerScopeSql(partnerUser, bind)).toBe('p.id = $1');
    expect(params).toEqual([P1]);
    expect(partnerScopeSql(staff, bind)).toBe('false');
  });
});
