import { randomBytes } from 'node:crypto';
import { Role } from '../../src/common/auth/principal';
import { PasswordHasher } from '../../src/modules/users/password-hasher';
import { TestApp } from './test-app';

export interface TestUser {
  id: string;
  email: string;
  password: string;
  token: string;
  auth: { Authorization: string };
}

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}@example.fi`;
}

/** Inserts an account directly and logs it in over HTTP. */
export async function newUser(
  t: TestApp,
  fields: { role?: Role; locationIds?: string[]; tutorId?: string | null; partnerId?: string | null; active?: boolean } = {},
): Promise<TestUser> {
  const role = fields.role ?? 'admin';
  const email = uniqueEmail(role);
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const hash = await t.app.get(PasswordHasher).hash(password);
  if (fields.partnerId) await ensurePartner(t, fields.partnerId);
  const [{ id }] = await t.db.query(
    `INSERT INTO users (email, password_hash, role, location_ids, tutor_id, partner_id)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [email, hash, role, fields.locationIds ?? [], fields.tutorId ?? null, fields.partnerId ?? null],
  );
  const login = await t.http.post('/api/v1/auth/login').send({ email, password }).expect(200);
  if (fields.active === false) await t.db.query('UPDATE users SET active = false WHERE id = $1', [id]);
  const token = login.body.accessToken as string;
  return { id, email, password, token, auth: { Authorization: `Bearer ${token}` } };
}

/** Inserts a partner organisation with this id directly (SQL), unless it exists. */
export async function ensurePartner(t: TestApp, id: string, name = `Kumppani ${id.slice(0, 8)}`): Promise<string> {
  await t.db.query(
    `INSERT INTO partners (id, name_fi, name_sv, name_en, kind) VALUES ($1, $2, $2, $2, 'association') ON CONFLICT (id) DO NOTHING`,
    [id, name],
  );
  return id;
}

export interface TestLocation {
  id: string;
  slug: string;
  timezone: string;
  name: { fi: string; sv: string; en: string };
  municipality: string;
}

/**
 * Inserts a library branch directly (SQL). `weeklyHours` adds weekly periods in the API's shape,
 * e.g. `[{ days: { 1: [['10:00', '19:00']] } }]` (no validFrom/validUntil = always).
 */
export async function newLocation(
  t: TestApp,
  overrides: {
    slug?: string;
    name?: { fi: string; sv?: string; en?: string };
    municipality?: string;
    timezone?: string;
    active?: boolean;
    policy?: Partial<{
      minNoticeMinutes: number;
      maxDaysAhead: number;
      cancelUntilMinutesBefore: number;
      maxActiveBookingsPerContact: number;
      shareContactWithPartners: boolean;
    }>;
    weeklyHours?: { validFrom?: string | null; validUntil?: string | null; days: Record<number, [string, string][]> }[];
  } = {},
): Promise<TestLocation> {
  const suffix = randomBytes(4).toString('hex');
  const slug = overrides.slug ?? `kirjasto-${suffix}`;
  const fi = overrides.name?.fi ?? `Testikirjasto ${suffix}`;
  const name = { fi, sv: overrides.name?.sv ?? fi, en: overrides.name?.en ?? fi };
  const timezone = overrides.timezone ?? 'Europe/Helsinki';
  const municipality = overrides.municipality ?? '286';
  const p = overrides.policy ?? {};
  const [{ id }] = await t.db.query(
    `INSERT INTO locations (slug, name, municipality_code, address, timezone, active, min_notice_minutes, max_days_ahead,
       cancel_until_minutes_before, max_active_bookings_per_contact, share_contact_with_partners)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
    [
      slug,
      JSON.stringify(name),
      municipality,
      JSON.stringify({ street: 'Kirjastokatu 1', postalCode: '45100', city: 'Kouvola' }),
      timezone,
      overrides.active ?? true,
      p.minNoticeMinutes ?? 120,
      p.maxDaysAhead ?? 60,
      p.cancelUntilMinutesBefore ?? 60,
      p.maxActiveBookingsPerContact ?? 2,
      p.shareContactWithPartners ?? false,
    ],
  );
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  for (const [position, period] of (overrides.weeklyHours ?? []).entries()) {
    const [{ id: periodId }] = await t.db.query(
      `INSERT INTO location_hour_periods (location_id, position, valid_from, valid_until) VALUES ($1, $2, $3, $4) RETURNING id`,
      [id, position, period.validFrom ?? null, period.validUntil ?? null],
    );
    for (const [weekday, intervals] of Object.entries(period.days)) {
      for (const [start, end] of intervals) {
        await t.db.query(`INSERT INTO location_hour_intervals (period_id, weekday, start_minute, end_minute) VALUES ($1, $2, $3, $4)`, [
          periodId,
          Number(weekday),
          minutes(start),
          minutes(end),
        ]);
      }
    }
  }
  return { id, slug, timezone, name, municipality };
}

export interface TestTopic {
  id: string;
  slug: string;
}

/** Inserts a help topic directly (SQL); the migration already seeds the standard catalogue. */
export async function newTopic(
  t: TestApp,
  overrides: { slug?: string; name?: { fi: string; sv?: string; en?: string }; sortOrder?: number; active?: boolean } = {},
): Promise<TestTopic> {
  const slug = overrides.slug ?? `aihe-${randomBytes(4).toString('hex')}`;
  const fi = overrides.name?.fi ?? `Aihe ${slug}`;
  const [{ id }] = await t.db.query(
    `INSERT INTO topics (slug, name_fi, name_sv, name_en, sort_order, active) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [slug, fi, overrides.name?.sv ?? fi, overrides.name?.en ?? fi, overrides.sortOrder ?? 1000, overrides.active ?? true],
  );
  return { id, slug };
}

export interface TestTutor {
  id: string;
  displayName: string;
  locationIds: string[];
}

/**
 * Inserts a tutor directly (SQL) with branches, topics (slugs of existing topics), languages and
 * weekly rules, e.g. `rules: [{ locationId, weekday: 2, startTime: '10:00', endTime: '14:00' }]`.
 */
export async function newTutor(
  t: TestApp,
  overrides: {
    displayName?: string;
    kind?: 'staff' | 'volunteer' | 'advisor';
    partnerId?: string | null;
    email?: string | null;
    phone?: string | null;
    locationIds?: string[];
    topics?: string[];
    languages?: string[];
    active?: boolean;
    rules?: {
      locationId: string;
      weekday: number;
      startTime: string;
      endTime: string;
      sessionMinutes?: number;
      bufferMinutes?: number;
      validFrom?: string;
      validUntil?: string | null;
    }[];
  } = {},
): Promise<TestTutor> {
  const displayName = overrides.displayName ?? `Tutor ${randomBytes(3).toString('hex')}`;
  const kind = overrides.kind ?? 'volunteer';
  const partnerId = overrides.partnerId ?? (kind === 'advisor' ? '00000000-0000-4000-8000-00000000a0a0' : null);
  if (partnerId) await ensurePartner(t, partnerId);
  const [{ id }] = await t.db.query(
    `INSERT INTO tutors (display_name, kind, partner_id, email, phone, languages, active) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [
      displayName,
      kind,
      partnerId,
      overrides.email === undefined ? `${displayName.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@example.fi` : overrides.email,
      overrides.phone ?? null,
      overrides.languages ?? ['fi'],
      overrides.active ?? true,
    ],
  );
  const locationIds = overrides.locationIds ?? [];
  await t.db.query(`INSERT INTO tutor_locations (tutor_id, location_id) SELECT $1, unnest($2::uuid[])`, [id, locationIds]);
  if (overrides.topics?.length) {
    await t.db.query(`INSERT INTO tutor_topics (tutor_id, topic_id) SELECT $1, id FROM topics WHERE slug = ANY($2::text[])`, [id, overrides.topics]);
  }
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  for (const r of overrides.rules ?? []) {
    await t.db.query(
      `INSERT INTO availability_rules (tutor_id, location_id, weekday, start_minute, end_minute, session_minutes, buffer_minutes, valid_from, valid_until)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [id, r.locationId, r.weekday, minutes(r.startTime), minutes(r.endTime), r.sessionMinutes ?? 45, r.bufferMinutes ?? 15, r.validFrom ?? '2026-01-01', r.validUntil ?? null],
    );
  }
  return { id, displayName, locationIds };
}

export interface TestBooking {
  id: string;
  reference: string;
}

/**
 * Inserts a booking directly (SQL), bypassing the slot checks, e.g. to fill a tutor's week or to
 * put a contact's booking in the past. The exclusion constraint still applies. No manage token
 * unless `manageTokenHash` is given.
 */
export async function newBooking(
  t: TestApp,
  fields: {
    locationId: string;
    tutorId: string;
    start: string;
    end: string;
    topic?: string;
    language?: string;
    status?: 'confirmed' | 'checked_in' | 'completed' | 'no_show' | 'cancelled';
    residentName?: string;
    phone?: string | null;
    email?: string | null;
    residentLanguage?: 'fi' | 'sv' | 'en';
    manageTokenHash?: Buffer | null;
  },
): Promise<TestBooking> {
  const alphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
  const pick = () => Array.from(randomBytes(3), (b) => alphabet[b % alphabet.length]).join('');
  const reference = `${pick()}-${pick()}`;
  const phone = fields.phone === undefined && fields.email == null ? `+35840${100_0000 + (randomBytes(3).readUIntBE(0, 3) % 899_9999)}` : (fields.phone ?? null);
  const [{ id }] = await t.db.query(
    `INSERT INTO bookings (reference, location_id, tutor_id, topic_id, language, during, status, resident_name, resident_phone, resident_email,
                           resident_language, manage_token_hash)
     SELECT $1, $2, $3, tp.id, $5, tstzrange($6, $7, '[)'), $8, $9, $10, $11, $12, $13 FROM topics tp WHERE tp.slug = $4
     RETURNING id`,
    [
      reference,
      fields.locationId,
      fields.tutorId,
      fields.topic ?? 'smartphone-tablet',
      fields.language ?? 'fi',
      fields.start,
      fields.end,
      fields.status ?? 'confirmed',
      fields.residentName ?? 'Testi Asukas',
      phone,
      fields.email ?? null,
      fields.residentLanguage ?? 'fi',
      fields.manageTokenHash ?? null,
    ],
  );
  return { id, reference };
}
