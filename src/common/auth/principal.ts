export const ROLES = ['admin', 'staff', 'tutor', 'partner'] as const;
export type Role = (typeof ROLES)[number];

/** The authenticated caller, as loaded fresh from the database on each request. */
export interface Principal {
  id: string;
  email: string;
  role: Role;
  locationIds: string[];
  tutorId: string | null;
  partnerId: string | null;
}

export function isAdmin(p: Principal): boolean {
  return p.role === 'admin';
}

/** Staff of the given location (admins count as staff everywhere). */
export function worksAt(p: Principal, locationId: string): boolean {
  return p.role === 'admin' || (p.role === 'staff' && p.locationIds.includes(locationId));
}
