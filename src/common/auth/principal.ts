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

/* What a caller may see and change is decided in common/access. */
