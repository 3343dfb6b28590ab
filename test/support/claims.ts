import { randomUUID } from 'node:crypto';
import { BOOKING_NOW, bookingWorld, BookingWorld } from './booking-fixtures';
import { ensurePartner, newTutor, TestTutor } from './factories';
import { startTestApp, TestApp } from './test-app';

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

/** Names a partner as the Tax Administration in fi, sv and en (the factories give one name in all three). */
export async function nameTaxAdministration(t: TestApp, partnerId: string): Promise<void> {
  await t.db.query(`UPDATE partners SET name_fi = 'Verohallinto', name_sv = 'Skatteförvaltningen', name_en = 'Tax Administration' WHERE id = $1`, [partnerId]);
}

export interface AdvisoryWorld {
  t: TestApp;
  w: BookingWorld;
  partnerId: string;
  /** Advisor (fi; her own topic e-mail, not the claim's). */
  anna: TestTutor;
  /** Advisor (sv). */
  bertil: TestTutor;
  /** Approved, bookable: Tuesday 2027-01-05 10:00–12:00 Helsinki, 30-minute sessions, both advisors, taxes, fi and sv. */
  claim: TestClaim;
}

/** The booking fixtures' world on their clock (Monday 2027-01-04 08:00 Helsinki) with a partner, two advisors and one approved claim. */
export async function advisoryWorld(): Promise<AdvisoryWorld> {
  const t = await startTestApp({ now: BOOKING_NOW });
  const w = await bookingWorld(t);
  const partnerId = randomUUID();
  const anna = await newTutor(t, { displayName: 'Anna V.', kind: 'advisor', partnerId, languages: ['fi'], topics: ['email'] });
  const bertil = await newTutor(t, { displayName: 'Bertil V.', kind: 'advisor', partnerId, languages: ['sv'] });
  const claim = await newClaim(t, {
    partnerId,
    locationId: w.location.id,
    start: '2027-01-05T10:00:00+02:00',
    end: '2027-01-05T12:00:00+02:00',
    advisorIds: [anna.id, bertil.id],
    sessionMinutes: 30,
    topics: ['taxes'],
    languages: ['fi', 'sv'],
  });
  return { t, w, partnerId, anna, bertil, claim };
}
