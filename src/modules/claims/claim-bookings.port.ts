import type { EntityManager } from 'typeorm';
import type { AffectedBooking } from '../locations/closure-bookings.port';

/**
 * What the claims module needs of bookings when approved claims are cancelled: the cascade that
 * cancels the residents' sessions in them. Defined here, implemented by the bookings module
 * (which depends on this one, not the other way round) and provided under CLAIM_BOOKINGS.
 */
export interface ClaimBookings {
  /**
   * In the caller's transaction (which has just cancelled the claims): cancel the confirmed
   * bookings in these claims, each with a `cancelled` event carrying the reason and
   * `{ claimId }`, and list every active booking they held — the cancelled ones and those left
   * as they were (already checked in) — by start.
   */
  claimsCancelled(q: { claimIds: readonly string[]; reason: string | null; actorUserId: string | null; manager: EntityManager }): Promise<AffectedBooking[]>;
}

export const CLAIM_BOOKINGS = Symbol('ClaimBookings');
