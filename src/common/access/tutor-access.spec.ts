import { Principal } from '../auth/principal';
import { canEditRulesAt, canManageTutor, canSeeTutor, TutorFacts, tutorWriteVerdict } from './tutor-access';

const A = 'aaaaaaaa-0000-4000-8000-00000000000a';
const B = 'bbbbbbbb-0000-4000-8000-00000000000b';
const C = 'cccccccc-0000-4000-8000-00000000000c';
const P1 = '11111111-0000-4000-8000-000000000001';

const principal = (over: Partial<Principal>): Principal => ({ id: 'u', email: 'u@example.fi', role: 'staff', locationIds: [], tutorId: null, partnerId: null, ...over });
const admin = principal({ role: 'admin' });
const staffA = principal({ role: 'staff', locationIds: [A] });
const staffAC = principal({ role: 'staff', locationIds: [A, C] });
const staffB = principal({ role: 'staff', locationIds: [B] });
const tutor = (over: Partial<TutorFacts> = {}): TutorFacts => ({ id: 't1', kind: 'volunteer', partnerId: null, locationIds: [A, B], ...over });

describe('canSeeTutor', () => {
  it('admins see everyone; staff see tutors at one of their branches', () => {
    expect(canSeeTutor(admin, tutor({ locationIds: [] }))).toBe(true);
    expect(canSeeTutor(staffA, tutor())).toBe(true);
    expect(canSeeTutor(staffA, tutor({ locationIds: [B] }))).toBe(false);
    expect(canSeeTutor(staffA, tutor({ locationIds: [] }))).toBe(false);
  });

  it('a tutor account sees only its own tutor; a partner only its advisors', () => {
    expect(canSeeTutor(principal({ role: 'tutor', tutorId: 't1' }), tutor())).toBe(true);
    expect(canSeeTutor(principal({ role: 'tutor', tutorId: 't2' }), tutor())).toBe(false);
    expect(canSeeTutor(principal({ role: 'partner', partnerId: P1 }), tutor({ kind: 'advisor', partnerId: P1 }))).toBe(true);
    expect(canSeeTutor(principal({ role: 'partner', partnerId: P1 }), tutor())).toBe(false);
  });

  it('only admins and staff of a shared branch manage', () => {
    expect(canManageTutor(staffA, tutor())).toBe(true);
    expect(canManageTutor(staffA, tutor({ locationIds: [B] }))).toBe(false);
    expect(canManageTutor(principal({ role: 'tutor', tutorId: 't1' }), tutor())).toBe(false);
    expect(canManageTutor(admin, tutor({ locationIds: [] }))).toBe(true);
  });
});

describe('tutorWriteVerdict', () => {
  it('lets admins do anything', () => {
    expect(tutorWriteVerdict(admin, null, tutor({ kind: 'advisor', partnerId: P1, locationIds: [] }))).toEqual({ allowed: true });
  });

  it('lets staff create only at their own branches', () => {
    expect(tutorWriteVerdict(staffA, null, tutor({ locationIds: [A] }))).toEqual({ allowed: true });
    expect(tutorWriteVerdict(staffAC, null, tutor({ locationIds: [A, C] }))).toEqual({ allowed: true });
    expect(tutorWriteVerdict(staffA, null, tutor({ locationIds: [A, B] }))).toMatchObject({ allowed: false, code: 'forbidden' });
    expect(tutorWriteVerdict(staffA, null, tutor({ locationIds: [B] }))).toMatchObject({ allowed: false, code: 'forbidden' });
  });

  it('lets staff of A add and remove A only', () => {
    const shared = tutor({ locationIds: [A, B] });
    expect(tutorWriteVerdict(staffA, shared, tutor({ locationIds: [B] }))).toEqual({ allowed: true });
    expect(tutorWriteVerdict(staffA, tutor({ locationIds: [A] }), tutor({ locationIds: [A, B] }))).toMatchObject({ allowed: false, code: 'forbidden' });
    expect(tutorWriteVerdict(staffA, shared, tutor({ locationIds: [A] }))).toMatchObject({ allowed: false, code: 'forbidden' });
    expect(tutorWriteVerdict(staffAC, shared, tutor({ locationIds: [A, B, C] }))).toEqual({ allowed: true });
    // the same set in another order is no change
    expect(tutorWriteVerdict(staffA, shared, tutor({ locationIds: [B, A] }))).toEqual({ allowed: true });
  });

  it('hides tutors staff cannot see, and keeps advisors with admins', () => {
    expect(tutorWriteVerdict(staffA, tutor({ locationIds: [B] }), tutor({ locationIds: [A, B] }))).toMatchObject({ allowed: false, code: 'not-found' });
    expect(tutorWriteVerdict(staffB, tutor(), tutor({ kind: 'advisor', partnerId: P1 }))).toMatchObject({ allowed: false, code: 'forbidden' });
    expect(tutorWriteVerdict(staffA, null, tutor({ kind: 'advisor', partnerId: P1, locationIds: [A] }))).toMatchObject({ allowed: false, code: 'forbidden' });
  });

  it('refuses tutor and partner accounts', () => {
    expect(tutorWriteVerdict(principal({ role: 'tutor', tutorId: 't1' }), tutor(), tutor())).toMatchObject({ allowed: false, code: 'forbidden' });
    expect(tutorWriteVerdict(principal({ role: 'partner', partnerId: P1 }), null, tutor())).toMatchObject({ allowed: false, code: 'forbidden' });
  });
});

describe('canEditRulesAt', () => {
  it('is the branch’s staff or an admin', () => {
    expect(canEditRulesAt(staffA, A)).toBe(true);
    expect(canEditRulesAt(staffA, B)).toBe(false);
    expect(canEditRulesAt(admin, B)).toBe(true);
    expect(canEditRulesAt(principal({ role: 'tutor', tutorId: 't1', locationIds: [A] }), A)).toBe(false);
  });
});

describe('deactivating a tutor (tutorWriteVerdict)', () => {
  const off = (t: TutorFacts): TutorFacts => ({ ...t, active: false });

  it("is an admin's act when the tutor also works outside the caller's branches", () => {
    const shared = tutor({ active: true });
    expect(tutorWriteVerdict(staffA, shared, off(shared))).toMatchObject({ allowed: false, code: 'forbidden' });
    expect(tutorWriteVerdict(admin, shared, off(shared))).toEqual({ allowed: true });
  });

  it("is the staff's when every branch of the tutor is theirs; other edits of a shared tutor stay open", () => {
    const own = tutor({ locationIds: [A, C], active: true });
    expect(tutorWriteVerdict(staffAC, own, off(own))).toEqual({ allowed: true });
    const shared = tutor({ active: true });
    expect(tutorWriteVerdict(staffA, shared, { ...shared })).toEqual({ allowed: true });
    expect(tutorWriteVerdict(staffA, off(shared), off(shared))).toEqual({ allowed: true });
  });
});

describe("a partner's advisors (tutorWriteVerdict)", () => {
  const P2 = '22222222-0000-4000-8000-000000000002';
  const partnerUser = principal({ role: 'partner', partnerId: P1 });
  const advisor = (over: Partial<TutorFacts> = {}) => tutor({ kind: 'advisor', partnerId: P1, locationIds: [], ...over });

  it('lets a partner user create and change its own advisors', () => {
    expect(tutorWriteVerdict(partnerUser, null, advisor())).toEqual({ allowed: true });
    expect(tutorWriteVerdict(partnerUser, advisor(), advisor({ active: false }))).toEqual({ allowed: true });
  });

  it("hides another partner's advisor, and refuses other kinds, other partners and branch changes", () => {
    expect(tutorWriteVerdict(partnerUser, advisor({ partnerId: P2 }), advisor({ partnerId: P2 }))).toMatchObject({ allowed: false, code: 'not-found' });
    expect(tutorWriteVerdict(partnerUser, null, advisor({ partnerId: P2 }))).toMatchObject({ allowed: false, code: 'forbidden' });
    expect(tutorWriteVerdict(partnerUser, advisor(), advisor({ kind: 'volunteer', partnerId: null }))).toMatchObject({ allowed: false, code: 'forbidden' });
    expect(tutorWriteVerdict(partnerUser, null, advisor({ locationIds: [A] }))).toMatchObject({ allowed: false, code: 'forbidden' });
    expect(tutorWriteVerdict(partnerUser, advisor({ locationIds: [A] }), advisor({ locationIds: [] }))).toMatchObject({ allowed: false, code: 'forbidden' });
    expect(tutorWriteVerdict(partnerUser, advisor({ locationIds: [A] }), advisor({ locationIds: [A] }))).toEqual({ allowed: true });
  });
});
