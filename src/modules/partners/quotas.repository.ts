import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/** The quotas that apply to a partner's claim at a branch; null where none is set. */
export interface QuotaLimits {
  /** Hours per calendar month for the partner as a whole. */
  partner: number | null;
  /** Hours per calendar month for the partner at this branch. */
  location: number | null;
}

/**
 * The partner-wide and the branch quota for (partnerId, locationId), in one query, read through
 * `m` (the caller's transaction, when it has one). Both apply when both are set.
 */
export async function readQuotaLimits(m: EntityManager, partnerId: string, locationId: string): Promise<QuotaLimits> {
  const rows: { location_id: string | null; hours: string }[] = await m.query(
    `SELECT location_id::text, hours_per_month::text AS hours FROM partner_quotas
     WHERE partner_id = $1 AND (location_id IS NULL OR location_id = $2)`,
    [partnerId, locationId],
  );
  const hours = (r: { hours: string } | undefined) => (r ? Number(r.hours) : null);
  return { partner: hours(rows.find((r) => r.location_id === null)), location: hours(rows.find((r) => r.location_id !== null)) };
}

@Injectable()
export class QuotasRepository {
  constructor(private readonly ds: DataSource) {}

  /** readQuotaLimits through the given manager, or outside any transaction. */
  quotaLimits(partnerId: string, locationId: string, manager: EntityManager = this.ds.manager): Promise<QuotaLimits> {
    return readQuotaLimits(manager, partnerId, locationId);
  }

  /** Hours per month of the one quota (location null: partner-wide), or undefined. */
  async find(partnerId: string, locationId: string | null): Promise<number | undefined> {
    const rows: { hours: string }[] = await this.ds.query(
      `SELECT hours_per_month::text AS hours FROM partner_quotas WHERE partner_id = $1 AND location_id IS NOT DISTINCT FROM $2::uuid`,
      [partnerId, locationId],
    );
    return rows[0] ? Number(rows[0].hours) : undefined;
  }

  /** Sets the quota, creating or replacing it (one row per partner and branch, NULLS NOT DISTINCT). */
  async put(partnerId: string, locationId: string | null, hoursPerMonth: number, updatedBy: string): Promise<number> {
    const rows: { hours: string }[] = await this.ds.query(
      `INSERT INTO partner_quotas (partner_id, location_id, hours_per_month, updated_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (partner_id, location_id) DO UPDATE SET hours_per_month = EXCLUDED.hours_per_month,
         updated_by = EXCLUDED.updated_by, updated_at = now()
       RETURNING hours_per_month::text AS hours`,
      [partnerId, locationId, hoursPerMonth, updatedBy],
    );
    return Number(rows[0].hours);
  }

  /** True if there was one to remove. */
  async remove(partnerId: string, locationId: string | null): Promise<boolean> {
    const [, count]: [unknown[], number] = await this.ds.query(
      `DELETE FROM partner_quotas WHERE partner_id = $1 AND location_id IS NOT DISTINCT FROM $2::uuid`,
      [partnerId, locationId],
    );
    return count > 0;
  }
}
