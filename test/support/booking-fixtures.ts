import { randomBytes, randomUUID } from 'node:crypto';
import type { PlaceBookingCall } from '../../src/modules/bookings/bookings.repository';
import { advisoryLockKey } from '../../src/modules/bookings/secrets';
import { newLocation, newTutor, newUser, TestLocation, TestTutor, TestUser } from './factories';
import { TestApp } from './test-app';

/**
 * A bookable world for the booking tests, on a fixed clock: Monday 2027-01-04 08:00 in Helsinki
 * (`BOOKING_NOW`). The branch is open Mon–Fri 09:00–19:00 and Sat 10:00–15:00; Matti (fi, sv;
 * smartphone-tablet, online-banking) and Liisa (fi; smartphone-tablet, email) work there
 * Mon–Fri 10:00–14:00 in 45-minute sessions with 15-minute breaks: starts at 10, 11, 12 and 13.
 */
export const BOOKING_NOW = '2027-01-04T06:00:00Z';

export type Policy = Partial<{
  minNoticeMinutes: number;
  maxDaysAhead: number;
  cancelUntilMinutesBefore: number;
  maxActiveBookingsPerContact: number;
}>;

export interface BookingWorld {
  location: TestLocation;
  matti: TestTutor;
  liisa: TestTutor;
}

export const WEEKDAYS_OPEN = { 1: [['09:00', '19:00']], 2: [['09:00', '19:00']], 3: [['09:00', '19:00']], 4: [['09:00', '19:00']], 5: [['09:00', '19:00']], 6: [['10:00', '15:00']] } as Record<
  number,
  [string, string][]
>;

export function weekdayRules(locationId: string, startTime = '10:00', endTime = '14:00', sessionMinutes = 45, bufferMinutes = 15) {
  return [1, 2, 3, 4, 5].map((weekday) => ({ locationId, weekday, startTime, endTime, sessionMinutes, bufferMinutes }));
}

export async function bookingWorld(t: TestApp, policy: Policy = {}): Promise<BookingWorld> {
  const location = await newLocation(t, {
    name: { fi: 'Kouvolan pääkirjasto', sv: 'Kouvola huvudbibliotek', en: 'Kouvola Main Library' },
    weeklyHours: [{ days: WEEKDAYS_OPEN }],
    policy: { minNoticeMinutes: 120, maxDaysAhead: 60, cancelUntilMinutesBefore: 60, maxActiveBookingsPerContact: 2, ...policy },
  });
  const matti = await newTutor(t, {
    displayName: 'Matti V.',
    locationIds: [location.id],
    topics: ['smartphone-tablet', 'online-banking'],
    languages: ['fi', 'sv'],
    rules: weekdayRules(location.id),
  });
  const liisa = await newTutor(t, {
    displayName: 'Liisa K.',
    locationIds: [location.id],
    topics: ['smartphone-tablet', 'email'],
    languages: ['fi'],
    rules: weekdayRules(location.id),
  });
  return { location, matti, liisa };
}

let phoneCounter = randomBytes(2).readUInt16BE(0) * 100;

/** A valid Finnish mobile number nobody else in the run has, in E.164. */
export function uniquePhone(): string {
  phoneCounter++;
  return `+35850${String(1_000_000 + (phoneCounter % 9_000_000)).padStart(7, '0')}`;
}

/** A POST /bookings body (API.md's example) for a fresh resident; `over` replaces fields. */
export function bookingBody(locationId: string, start: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    locationId,
    start,
    topic: 'smartphone-tablet',
    language: 'fi',
    kind: 'tutoring',
    tutorId: null,
    claimId: null,
    resident: { name: 'Aino Virtanen', phone: uniquePhone(), email: null, language: 'fi' },
    notes: 'Uusi puhelin',
    consent: true,
    ...over,
  };
}

export interface DeskCast {
  A: BookingWorld;
  B: BookingWorld;
  admin: TestUser;
  staffA: TestUser;
  staffB: TestUser;
  tutorMatti: TestUser;
  tutorLiisa: TestUser;
  partner: TestUser;
}

/**
 * Two branches (A, B) and everyone who acts at the desk: an admin, staff of A and of B, two
 * tutors of A and a partner user. Tokens are checked against the injected clock, so they are
 * issued at the latest time the tests use (valid for every earlier time); the clock is left at
 * BOOKING_NOW.
 */
export async function deskCast(t: TestApp): Promise<DeskCast> {
  const A = await bookingWorld(t);
  const B = await bookingWorld(t);
  t.clock.set('2027-01-31T00:00:00Z');
  const cast = {
    A,
    B,
    admin: await newUser(t),
    staffA: await newUser(t, { role: 'staff', locationIds: [A.location.id] }),
    staffB: await newUser(t, { role: 'staff', locationIds: [B.location.id] }),
    tutorMatti: await newUser(t, { role: 'tutor', tutorId: A.matti.id }),
    tutorLiisa: await newUser(t, { role: 'tutor', tutorId: A.liisa.id }),
    partner: await newUser(t, { role: 'partner', partnerId: randomUUID() }),
  };
  t.clock.set(BOOKING_NOW);
  return cast;
}

/**
 * A place_booking call as the service would build it (the booking statement tested on its own):
 * a new resident with their contact lock, the current search-input version, one candidate per
 * tutor, a smartphone-tablet session at `locationId`.
 */
export async function placeBookingCall(
  t: TestApp,
  locationId: string,
  slot: { start: Date; end: Date; tutorIds: string[]; reference: string },
  over: Partial<PlaceBookingCall> = {},
): Promise<PlaceBookingCall> {
  const phone = uniquePhone();
  const version = (await t.db.query(`SELECT version::text AS v FROM search_input_version`))[0].v as string;
  const topicId = (await t.db.query(`SELECT id FROM topics WHERE slug = 'smartphone-tablet'`))[0].id as string;
  return {
    now: new Date(BOOKING_NOW),
    start: slot.start,
    expectedVersion: version,
    contactLocks: [advisoryLockKey('contact', `phone:${phone}`)],
    cap: 2,
    booking: {
      id: randomUUID(),
      reference: slot.reference,
      locationId,
      topicId,
      language: 'fi',
      channel: 'web',
      residentName: 'Aino',
      residentPhone: phone,
      residentEmail: null,
      residentLanguage: 'fi',
      notes: null,
      manageTokenHash: randomBytes(32),
    },
    candidates: slot.tutorIds.map((tutorId) => ({ tutorId, end: slot.end, payload: {} })),
    actorType: 'resident',
    actorUserId: null,
    ...over,
  };
}
