import { randomUUID } from 'node:crypto';
import { ensurePartner } from './factories';
import { TestApp } from './test-app';

export interface TestClaim {
  id: string;
  seriesId: string;
  partnerId: string;
}

/**
 * Inserts a partner's claim directly (SQL): its series, the claim, its topics and advisors.
 * Approved by default, with claim_advisors' `approved` and `during` copied from the claim as the
 * claims module keeps them (a trigger of its own that sets them again writes the same values).
 */
export async function newClaim(
  t: TestApp,
  f: {
    partnerId: string;
    locationId: string;
    start: string;
    end: string;
    advisorIds: string[];
    roomId?: string | null;
    mode?: 'bookable' | 'drop-in';
    sessionMinutes?: number;
    bufferMinutes?: number;
    topics?: string[];
    languages?: string[];
    status?: 'requested' | 'approved' | 'rejected' | 'withdrawn' | 'cancelled';
    note?: string | null;
  },
): Promise<TestClaim> {
  await ensurePartner(t, f.partnerId);
  const mode = f.mode ?? 'bookable';
  const status = f.status ?? 'approved';
  const seriesId = randomUUID();
  const id = randomUUID();
  await t.db.transaction(async (m) => {
    await m.query(`INSERT INTO claim_series (id, partner_id, location_id) VALUES ($1, $2, $3)`, [seriesId, f.partnerId, f.locationId]);
    await m.query(
      `INSERT INTO claims (id, series_id, partner_id, location_id, room_id, during, mode, session_minutes, buffer_minutes, languages, note, status,
                           requested_at, status_changed_at)
       VALUES ($1, $2, $3, $4, $5, tstzrange($6, $7, '[)'), $8, $9, $10, $11, $12, $13, $6::timestamptz - interval '7 days',
               CASE WHEN $13 = 'requested' THEN NULL ELSE $6::timestamptz - interval '6 days' END)`,
      [
        id,
        seriesId,
        f.partnerId,
        f.locationId,
        f.roomId ?? null,
        f.start,
        f.end,
        mode,
        mode === 'bookable' ? (f.sessionMinutes ?? 30) : null,
        mode === 'bookable' ? (f.bufferMinutes ?? 0) : 0,
        f.languages ?? ['fi'],
        f.note ?? null,
        status,
      ],
    );
    await m.query(`INSERT INTO claim_topics (claim_id, topic_id) SELECT $1, id FROM topics WHERE slug = ANY($2::text[])`, [id, f.topics ?? ['taxes']]);
    await m.query(
      `INSERT INTO claim_advisors (claim_id, tutor_id, during, approved)
       SELECT $1, unnest($2::uuid[]), tstzrange($3, $4, '[)'), $5`,
      [id, f.advisorIds, f.start, f.end, status === 'approved'],
    );
  });
  return { id, seriesId, partnerId: f.partnerId };
}

/** Sets a claim's status as the claims module would (claim_advisors.approved follows). */
export async function setClaimStatus(t: TestApp, claimId: string, status: 'approved' | 'cancelled' | 'withdrawn' | 'rejected', reason: string | null = null): Promise<void> {
  await t.db.transaction(async (m) => {
    await m.query(`UPDATE claims SET status = $2, status_reason = $3, version = version + 1 WHERE id = $1`, [claimId, status, reason]);
    await m.query(`UPDATE claim_advisors SET approved = $2 WHERE claim_id = $1`, [claimId, status === 'approved']);
  });
}
