import type { Principal } from '../auth/principal';

/** An admin: every branch, every record. */
export function isAdmin(p: Principal): boolean {
  return p.role === 'admin';
}

/** Staff of the given location (admins count as staff everywhere). */
export function worksAt(p: Principal, locationId: string): boolean {
  return p.role === 'admin' || (p.role === 'staff' && p.locationIds.includes(locationId));
}

/** Appends a value to a statement's parameters and answers its placeholder. */
export type Bind = (value: unknown) => string;
