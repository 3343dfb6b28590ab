import { Principal } from '../auth/principal';
import { canManageUser, canSeeUser, mayCreateRole } from './user-access';

const principal = (p: Partial<Principal>): Principal => ({ id: 'me', email: 'me@x.fi', role: 'staff', locationIds: [], tutorId: null, partnerId: null, ...p });
const target = (t: Partial<{ id: string; role: Principal['role']; tutorId: string | null; partnerId: string | null }>) => ({ id: 'other', role: 'tutor' as const, tutorId: 't1', partnerId: null, ...t });

describe('user scope rules', () => {
  it('admins manage everyone', () => {
    expect(canManageUser(principal({ role: 'admin' }), target({ role: 'admin' }), [])).toBe(true);
  });

  it('staff manage tutor accounts of tutors at their locations only', () => {
    const staff = principal({ role: 'staff', locationIds: ['A'] });
    expect(canManageUser(staff, target({}), ['A', 'B'])).toBe(true);
    expect(canManageUser(staff, target({}), ['B'])).toBe(false);
    expect(canManageUser(staff, target({ role: 'staff' }), ['A'])).toBe(false);
  });

  it('partner users manage their own partner’s users only', () => {
    const partner = principal({ role: 'partner', partnerId: 'P1' });
    expect(canManageUser(partner, target({ role: 'partner', partnerId: 'P1' }), [])).toBe(true);
    expect(canManageUser(partner, target({ role: 'partner', partnerId: 'P2' }), [])).toBe(false);
    expect(canManageUser(partner, target({ role: 'admin', partnerId: 'P1' }), [])).toBe(false);
  });

  it('everyone sees themselves; tutors nobody else', () => {
    const tutor = principal({ id: 'me', role: 'tutor', tutorId: 't1' });
    expect(canSeeUser(tutor, target({ id: 'me' }), [])).toBe(true);
    expect(canSeeUser(tutor, target({ id: 'other', tutorId: 't1' }), ['A'])).toBe(false);
  });
});

describe('mayCreateRole', () => {
  const roles: Principal['role'][] = ['admin', 'staff', 'tutor', 'partner'];
  it('admins create any account, staff tutor accounts, partners partner accounts, tutors none', () => {
    expect(roles.map((r) => mayCreateRole(principal({ role: 'admin' }), r))).toEqual([true, true, true, true]);
    expect(roles.map((r) => mayCreateRole(principal({ role: 'staff' }), r))).toEqual([false, false, true, false]);
    expect(roles.map((r) => mayCreateRole(principal({ role: 'partner' }), r))).toEqual([false, false, false, true]);
    expect(roles.map((r) => mayCreateRole(principal({ role: 'tutor' }), r))).toEqual([false, false, false, false]);
  });
});
