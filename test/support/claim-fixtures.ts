import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { BOOKING_NOW, WEEKDAYS_OPEN } from './booking-fixtures';
import { ensurePartner, newLocation, newTutor, newUser, TestLocation, TestTutor, TestUser } from './factories';
import { TestApp } from './test-app';

/**
 * Partner claims on a fixed clock (BOOKING_NOW, Monday 2027-01-04 08:00 in Helsinki): branches A
 * and B (open Mon–Fri 09:00–19:00, Sat 10:00–15:00), A with two rooms; partners P and Q with two
 * advisors each; an admin, staff of A and of B, a user of P and one of Q.
 */
export interface ClaimCast {
  A: TestLocation;
  B: TestLocation;
  roomA: string;
  room2A: string;
  P: string;
  Q: string;
  advisorsP: TestTutor[];
  advisorsQ: TestTutor[];
  admin: TestUser;
  staffA: TestUser;
  staffB: TestUser;
  userP: TestUser;
  userQ: TestUser;
}

export async function newRoom(t: TestApp, locationId: string, name = `Huone ${randomUUID().slice(0, 8)}`): Promise<string> {
  const [{ id }] = await t.db.query(`INSERT INTO location_rooms (location_id, name, capacity) VALUES ($1, $2, 6) RETURNING id`, [locationId, name]);
  return id;
}

export async function claimCast(t: TestApp): Promise<ClaimCast> {
  const A = await newLocation(t, { weeklyHours: [{ days: WEEKDAYS_OPEN }] });
  const B = await newLocation(t, { weeklyHours: [{ days: WEEKDAYS_OPEN }] });
  const P = await ensurePartner(t, randomUUID(), 'Verohallinto');
  const Q = await ensurePartner(t, randomUUID(), 'Kela');
  const advisor = (partnerId: string) => newTutor(t, { kind: 'advisor', partnerId, topics: ['online-banking'], languages: ['fi', 'sv'] });
  const advisorsP = [await advisor(P), await advisor(P)];
  const advisorsQ = [await advisor(Q), await advisor(Q)];
  // Tokens are checked against the injected clock: issued at the latest time the tests use.
  t.clock.set('2028-06-01T00:00:00Z');
  const cast: ClaimCast = {
    A,
    B,
    roomA: await newRoom(t, A.id),
    room2A: await newRoom(t, A.id),
    P,
    Q,
    advisorsP,
    advisorsQ,
    admin: await newUser(t),
    staffA: await newUser(t, { role: 'staff', locationIds: [A.id] }),
    staffB: await newUser(t, { role: 'staff', locationIds: [B.id] }),
    userP: await newUser(t, { role: 'partner', partnerId: P }),
    userQ: await newUser(t, { role: 'partner', partnerId: Q }),
  };
  t.clock.set(BOOKING_NOW);
  return cast;
}

/** A POST /partners/{id}/claims body: Tuesday 2027-01-12 10:00–14:00 at the branch, bookable 45 + 15 min; `over` replaces fields. */
export function claimBody(locationId: string, advisorIds: string[], over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    locationId,
    start: '2027-01-12T10:00:00+02:00',
    end: '2027-01-12T14:00:00+02:00',
    mode: 'bookable',
    sessionMinutes: 45,
    bufferMinutes: 15,
    advisorIds,
    topics: ['online-banking'],
    languages: ['fi'],
    note: 'Verokortit',
    ...over,
  };
}

/** Requests the claims (201) as `user` for `partnerId` and answers the response body. */
export async function requestClaims(t: TestApp, user: TestUser, partnerId: string, body: Record<string, unknown>): Promise<{ seriesId: string; items: { id: string; start: string; end: string; status: string }[] }> {
  const res = await t.http.post(`/api/v1/partners/${partnerId}/claims`).set(user.auth).send(body);
  if (res.status !== 201) throw new Error(`claim request answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Sets a partner's monthly quota (partner-wide with locationId null) directly. */
export async function setQuota(t: TestApp, partnerId: string, locationId: string | null, hoursPerMonth: number): Promise<void> {
  await t.db.query(
    `INSERT INTO partner_quotas (partner_id, location_id, hours_per_month) VALUES ($1, $2, $3)
     ON CONFLICT (partner_id, location_id) DO UPDATE SET hours_per_month = excluded.hours_per_month`,
    [partnerId, locationId, hoursPerMonth],
  );
}

/** `from`–`to` (local `HH:mm`) on the Tuesday `week` weeks after 2027-01-12, as instants in Helsinki's offset: a fresh week per test keeps tests apart. */
export function tuesdayOf(week: number, from: string, to: string): { start: string; end: string } {
  const day = DateTime.fromISO('2027-01-12', { zone: 'Europe/Helsinki' }).plus({ weeks: week });
  const at = (hhmm: string) => day.set({ hour: Number(hhmm.slice(0, 2)), minute: Number(hhmm.slice(3)) }).toISO({ suppressMilliseconds: true })!;
  return { start: at(from), end: at(to) };
}
