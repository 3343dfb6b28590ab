import type { Principal } from '../auth/principal';
import { actorKindOf, bookingScopeOf, canSeeBooking, mayActInCascade, splitBySight } from './booking-access';

const principal = (over: Partial<Principal>): Principal => ({ id: 'u', email: 'u@example.fi', role: 'staff', locationIds: [], tutorId: null, partnerId: null, ...over });
const booking = { locationId: 'loc-a', tutorId: 'tutor-a' };

describe('booking scope', () => {
  it('admins see every booking', () => {
    expect(canSeeBooking(principal({ role: 'admin' }), booking)).toBe(true);
    expect(bookingScopeOf(principal({ role: 'admin' }))).toEqual({ kind: 'all' });
  });

  it('staff see the bookings at their branches only', () => {
    expect(canSeeBooking(principal({ locationIds: ['loc-b', 'loc-a'] }), booking)).toBe(true);
    expect(canSeeBooking(principal({ locationIds: ['loc-b'] }), booking)).toBe(false);
    expect(bookingScopeOf(principal({ locationIds: [] }))).toEqual({ kind: 'none' });
  });

  it('a tutor sees own sessions only, wherever they are', () => {
    expect(canSeeBooking(principal({ role: 'tutor', tutorId: 'tutor-a' }), booking)).toBe(true);
    expect(canSeeBooking(principal({ role: 'tutor', tutorId: 'tutor-b', locationIds: ['loc-a'] }), booking)).toBe(false);
    expect(canSeeBooking(principal({ role: 'tutor', tutorId: null }), booking)).toBe(false);
  });

  it('partners see none yet', () => {
    expect(canSeeBooking(principal({ role: 'partner', partnerId: 'p', locationIds: ['loc-a'] }), booking)).toBe(false);
    expect(bookingScopeOf(principal({ role: 'partner', partnerId: 'p' }))).toEqual({ kind: 'none' });
  });

  it('acts as staff for admins and staff, as tutor for tutors', () => {
    expect(actorKindOf(principal({ role: 'admin' }))).toBe('staff');
    expect(actorKindOf(principal({ role: 'staff' }))).toBe('staff');
    expect(actorKindOf(principal({ role: 'tutor', tutorId: 't' }))).toBe('tutor');
  });
});

describe("a shared tutor's absence (splitBySight)", () => {
  const hits = [
    { id: '1', locationId: 'loc-a', tutorId: 'tutor-a' },
    { id: '2', locationId: 'loc-c', tutorId: 'tutor-a' },
    { id: '3', locationId: 'loc-b', tutorId: 'tutor-a' },
    { id: '4', locationId: 'loc-c', tutorId: 'tutor-a' },
  ];

  it("shows staff their branches' bookings in full and counts the rest by branch", () => {
    const { visible, otherBranches } = splitBySight(principal({ locationIds: ['loc-a'] }), hits);
    expect(visible.map((b) => b.id)).toEqual(['1']);
    expect(otherBranches).toEqual([
      { locationId: 'loc-b', count: 1 },
      { locationId: 'loc-c', count: 2 },
    ]);
  });

  it('shows admins everything, and cancels only what the caller sees', () => {
    expect(splitBySight(principal({ role: 'admin' }), hits)).toEqual({ visible: hits, otherBranches: [] });
    expect(mayActInCascade(principal({ locationIds: ['loc-b'] }), hits[2])).toBe(true);
    expect(mayActInCascade(principal({ locationIds: ['loc-b'] }), hits[0])).toBe(false);
  });
});
