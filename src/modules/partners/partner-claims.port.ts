import type { EntityManager } from 'typeorm';

/**
 * What the partners module needs of claims when an admin deactivates a partner: its requested
 * claims withdrawn, its approved claims that have not ended cancelled with the reason. Defined
 * here, implemented by the claims module (the claim transitions live there) and provided under
 * PARTNER_CLAIMS.
 */
export interface PartnerClaims {
  /** In the caller's transaction, which has just deactivated the partner. */
  partnerDeactivated(q: { partnerId: string; reason: string | null; actorUserId: string; manager: EntityManager }): Promise<{ withdrawn: string[]; cancelled: string[] }>;
}

export const PARTNER_CLAIMS = Symbol('PartnerClaims');
