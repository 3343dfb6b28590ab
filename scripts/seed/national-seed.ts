import { DataSource, EntityManager } from 'typeorm';
import { Clock, FixedClock } from '../../src/common/time/clock';
import { DAY_MS, formatIsoDate, localDayOf } from '../../src/common/time/local-time';
import { newReference } from '../../src/modules/bookings/rules/reference';
import { LocationsRepository } from '../../src/modules/locations/locations.repository';
import { LocationsService } from '../../src/modules/locations/locations.service';
import { SearchSnapshots } from '../../src/modules/slots/search-snapshot';
import { SlotSearchRepository } from '../../src/modules/slots/slot-search.repository';
import { SlotsService } from '../../src/modules/slots/slots.service';
import { BookableSlotsService, FreeSlotsQuery } from '../../src/modules/slots/bookable-slots.service';
import type { FreeSlot } from '../../src/modules/slots/slot-common';
import { TopicEntity } from '../../src/modules/topics/entities/topic.entity';
import { TopicsService } from '../../src/modules/topics/topics.service';
import { ClaimsSeedResult, insertPartnerClaims, NATIONAL_PARTNER_DELETES } from './national-claims';
import { NATIONAL_SLUG_PREFIX, NATIONAL_TUTOR_EMAIL_LIKE, NationalPlan, planNational } from './national-plan';
import { Progress, silentProgress } from './progress';
import { Random } from './random';

/**
 * The national dataset: ~800 branches in the municipalities, 3,000 tutors with rules, and
 * 100,000 confirmed future bookings on real slots (the ones the slot search offers). Idempotent:
 * branches are recognised by their `nat-` slug, tutors by their `nat-tutor-…@digituki.invalid`
 * e-mail; what exists is kept, what is missing is added, and bookings are topped up to the target
 * (future active bookings of national tutors).
 */

export interface NationalSizes {
  branches: number;
  tutors: number;
  bookings: number;
  /** Partner organisations (with 2–4 advisors each) and their approved claims (none when absent). */
  partners?: number;
  claims?: number;
}

export const FULL_SIZES: NationalSizes = { branches: 800, tutors: 3000, bookings: 100_000, partners: 150, claims: 2_000 };

export function scaledSizes(scale: number): NationalSizes {
  return {
    branches: Math.max(1, Math.round(FULL_SIZES.branches * scale)),
    tutors: Math.max(1, Math.round(FULL_SIZES.tutors * scale)),
    bookings: Math.max(0, Math.round(FULL_SIZES.bookings * scale)),
    partners: Math.max(0, Math.round(FULL_SIZES.partners! * scale)),
    claims: Math.max(0, Math.round(FULL_SIZES.claims! * scale)),
  };
}

export interface NationalSeedOptions extends NationalSizes {
  seed?: string;
  /** "Today" and the instant bookings are made at (default: now). */
  now?: Date;
  /** Bookings fall within this many days from now (default 56; policies allow ≥ 60). */
  horizonDays?: number;
  /** Delete the national rows first. */
  reset?: boolean;
  progress?: Progress;
  /** Where free slots come from (default: a BookableSlotsService built on `ds`). */
  slots?: Pick<BookableSlotsService, 'freeSlotsFor'>;
}

export interface NationalSeedResult {
  locations: { planned: number; created: number };
  tutors: { planned: number; created: number };
  bookings: { target: number; existing: number; created: number; freeSlots: number };
  partners: ClaimsSeedResult['partners'];
  claims: ClaimsSeedResult['claims'];
  removed?: RemovedCounts;
}

export interface RemovedCounts {
  locations: number;
  tutors: number;
  bookings: number;
}

export const DEFAULT_SEED = 'tukiaika-national-1';
const BATCH = 5_000;
const ZONE = 'Europe/Helsinki';

/** The services the slot search uses, built by hand on a DataSource (no Nest needed). */
export function slotServices(ds: DataSource, clock: Clock): { slots: SlotsService; bookable: BookableSlotsService; locations: LocationsService } {
  const topics = new TopicsService(ds.getRepository(TopicEntity));
  const locations = new LocationsService(new LocationsRepository(ds), clock);
  const searchRepo = new SlotSearchRepository(ds);
  const snapshots = new SearchSnapshots(searchRepo);
  return { slots: new SlotsService(clock, locations, topics, searchRepo, snapshots), bookable: new BookableSlotsService(clock, searchRepo, snapshots), locations };
}

const NATIONAL_TUTORS = `SELECT id FROM tutors WHERE email LIKE '${NATIONAL_TUTOR_EMAIL_LIKE}'`;
const NATIONAL_LOCATIONS = `SELECT id FROM locations WHERE slug LIKE '${NATIONAL_SLUG_PREFIX}%'`;

/** Deletes the national branches, tutors and every booking of them (other data stays). */
export async function resetNational(ds: DataSource): Promise<RemovedCounts> {
  return ds.transaction(async (m) => {
    const count = async (sql: string): Promise<number> => (await m.query(`WITH d AS (${sql} RETURNING 1) SELECT count(*)::int AS n FROM d`))[0].n;
    for (const sql of NATIONAL_PARTNER_DELETES) await m.query(sql);
    const bookings = await count(`DELETE FROM bookings WHERE tutor_id IN (${NATIONAL_TUTORS}) OR location_id IN (${NATIONAL_LOCATIONS})`);
    const tutors = await count(`DELETE FROM tutors WHERE id IN (${NATIONAL_TUTORS})`);
    const locations = await count(`DELETE FROM locations WHERE id IN (${NATIONAL_LOCATIONS})`);
    return { locations, tutors, bookings };
  });
}

export async function seedNational(ds: DataSource, opts: NationalSeedOptions): Promise<NationalSeedResult> {
  const progress = opts.progress ?? silentProgress;
  const now = opts.now ?? new Date();
  const seed = opts.seed ?? DEFAULT_SEED;
  const removed = opts.reset ? await resetNational(ds) : undefined;

  const municipalities: { code: string; fi: string; sv: string }[] = await ds.query(
    `SELECT code, name_fi AS fi, name_sv AS sv FROM municipalities ORDER BY code`,
  );
  const topicRows: { id: string; slug: string }[] = await ds.query(`SELECT id, slug FROM topics WHERE active ORDER BY sort_order, slug`);
  const plan = planNational(seed, opts, municipalities, topicRows.map((t) => t.slug));
  const today = formatIsoDate(localDayOf(ZONE, now.getTime()));

  const structure = await ds.transaction((m) => insertStructure(m, plan, topicRows, today, now, progress));
  const partnerClaims = await ds.transaction(async (m) => {
    const ids: { id: string; slug: string }[] = await m.query(`SELECT id, slug FROM locations WHERE slug = ANY($1::text[])`, [plan.locations.map((l) => l.slug)]);
    const bySlug = new Map(plan.locations.map((l) => [l.slug, l]));
    return insertPartnerClaims(m, {
      seed,
      partners: opts.partners ?? 0,
      claims: opts.claims ?? 0,
      horizonDays: opts.horizonDays ?? 56,
      now,
      locations: ids.map((r) => ({ id: r.id, plan: bySlug.get(r.slug)! })),
      topics: new Map(topicRows.map((t) => [t.slug, t.id])),
    });
  });
  const bookings = await topUpBookings(ds, opts, seed, now, progress);
  if (structure.locations.created || structure.tutors.created || bookings.created) {
    // Fresh statistics for the planner after a bulk load (autovacuum would get there later).
    await ds.query(`ANALYZE locations, location_hour_periods, location_hour_intervals, tutors, tutor_locations, tutor_topics,
                            availability_rules, tutor_absences, bookings, booking_events, partners, claims, claim_topics, claim_advisors`);
  }
  return { ...structure, ...partnerClaims, bookings, ...(removed ? { removed } : {}) };
}

async function rows<T>(q: EntityManager, sql: string, params?: unknown[]): Promise<T[]> {
  return (await q.query(sql, params)) as T[];
}

/** Branches with hours, tutors with memberships, topics, rules and a few absences: what is missing. */
async function insertStructure(
  q: EntityManager,
  plan: NationalPlan,
  topics: { id: string; slug: string }[],
  today: string,
  now: Date,
  progress: Progress,
): Promise<Pick<NationalSeedResult, 'locations' | 'tutors'>> {
  // One seeder at a time (a second concurrent run waits, then finds everything in place).
  await q.query(`SELECT pg_advisory_xact_lock(hashtext('tukiaika:seed-national'))`);
  const existingSlugs = new Set((await rows<{ slug: string }>(q, `SELECT slug FROM locations WHERE slug LIKE '${NATIONAL_SLUG_PREFIX}%'`)).map((r) => r.slug));
  const existingEmails = new Set((await rows<{ email: string }>(q, `SELECT email FROM tutors WHERE email LIKE '${NATIONAL_TUTOR_EMAIL_LIKE}'`)).map((r) => r.email));
  const plannedSlugs = new Set(plan.locations.map((l) => l.slug));
  const plannedEmails = new Set(plan.tutors.map((t) => t.email));
  const strangers = [...existingSlugs].filter((s) => !plannedSlugs.has(s)).length + [...existingEmails].filter((e) => !plannedEmails.has(e)).length;
  if (strangers > 0) {
    throw new Error(
      `A national dataset of another size or seed exists (${existingSlugs.size} branches, ${existingEmails.size} tutors). ` +
        'Run with --reset to replace it.',
    );
  }

  const newLocations = plan.locations.filter((l) => !existingSlugs.has(l.slug));
  for (let i = 0; i < newLocations.length; i += BATCH) {
    const batch = newLocations.slice(i, i + BATCH);
    const inserted = await rows<{ id: string; slug: string }>(
      q,
      `INSERT INTO locations (slug, name, municipality_code, address, min_notice_minutes, max_days_ahead, cancel_until_minutes_before, max_active_bookings_per_contact)
       SELECT * FROM unnest($1::text[], $2::jsonb[], $3::text[], $4::jsonb[], $5::int[], $6::int[], $7::int[], $8::int[])
       RETURNING id, slug`,
      [
        batch.map((l) => l.slug),
        batch.map((l) => JSON.stringify(l.name)),
        batch.map((l) => l.municipality),
        batch.map((l) => JSON.stringify(l.address)),
        batch.map((l) => l.policy.minNoticeMinutes),
        batch.map((l) => l.policy.maxDaysAhead),
        batch.map((l) => l.policy.cancelUntilMinutesBefore),
        batch.map((l) => l.policy.maxActiveBookingsPerContact),
      ],
    );
    const idBySlug = new Map(inserted.map((r) => [r.slug, r.id]));
    const periods = await rows<{ id: string; location_id: string }>(
      q,
      `INSERT INTO location_hour_periods (location_id, position) SELECT unnest($1::uuid[]), 0 RETURNING id, location_id`,
      [batch.map((l) => idBySlug.get(l.slug))],
    );
    const periodByLocation = new Map(periods.map((p) => [p.location_id, p.id]));
    const intervals = batch.flatMap((l) =>
      Object.entries(l.hours).flatMap(([weekday, hours]) => (hours ?? []).map(([s, e]) => [periodByLocation.get(idBySlug.get(l.slug)!)!, Number(weekday), s, e] as const)),
    );
    await q.query(
      `INSERT INTO location_hour_intervals (period_id, weekday, start_minute, end_minute) SELECT * FROM unnest($1::uuid[], $2::int[], $3::int[], $4::int[])`,
      [intervals.map((x) => x[0]), intervals.map((x) => x[1]), intervals.map((x) => x[2]), intervals.map((x) => x[3])],
    );
    progress('branches', Math.min(i + BATCH, newLocations.length), newLocations.length);
  }

  const locationIds = await rows<{ id: string; slug: string }>(q, `SELECT id, slug FROM locations WHERE slug = ANY($1::text[])`, [plan.locations.map((l) => l.slug)]);
  const locationBySlug = new Map(locationIds.map((r) => [r.slug, r.id]));
  const locationId = (index: number) => locationBySlug.get(plan.locations[index].slug)!;
  const topicBySlug = new Map(topics.map((t) => [t.slug, t.id]));

  const newTutors = plan.tutors.filter((t) => !existingEmails.has(t.email));
  const todayDay = localDayOf(ZONE, now.getTime());
  for (let i = 0; i < newTutors.length; i += BATCH) {
    const batch = newTutors.slice(i, i + BATCH);
    const inserted = await rows<{ id: string; email: string }>(
      q,
      `INSERT INTO tutors (display_name, kind, email, phone, languages)
       SELECT d, k, e, p, string_to_array(l, ',') FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS x(d, k, e, p, l)
       RETURNING id, email`,
      [batch.map((t) => t.displayName), batch.map((t) => t.kind), batch.map((t) => t.email), batch.map((t) => t.phone), batch.map((t) => t.languages.join(','))],
    );
    const idByEmail = new Map(inserted.map((r) => [r.email, r.id]));
    const members = batch.flatMap((t) => t.locations.map((l) => [idByEmail.get(t.email)!, locationId(l)] as const));
    await q.query(`INSERT INTO tutor_locations (tutor_id, location_id) SELECT * FROM unnest($1::uuid[], $2::uuid[])`, [members.map((x) => x[0]), members.map((x) => x[1])]);
    const skills = batch.flatMap((t) => t.topics.map((slug) => [idByEmail.get(t.email)!, topicBySlug.get(slug)!] as const));
    await q.query(`INSERT INTO tutor_topics (tutor_id, topic_id) SELECT * FROM unnest($1::uuid[], $2::uuid[])`, [skills.map((x) => x[0]), skills.map((x) => x[1])]);
    const rules = batch.flatMap((t) => t.rules.map((r) => ({ tutorId: idByEmail.get(t.email)!, ...r, locationId: locationId(r.location) })));
    await q.query(
      `INSERT INTO availability_rules (tutor_id, location_id, weekday, start_minute, end_minute, session_minutes, buffer_minutes, valid_from)
       SELECT t, l, w, s, e, sm, bm, $8::date FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::int[], $5::int[], $6::int[], $7::int[]) AS x(t, l, w, s, e, sm, bm)`,
      [
        rules.map((r) => r.tutorId),
        rules.map((r) => r.locationId),
        rules.map((r) => r.weekday),
        rules.map((r) => r.startMinute),
        rules.map((r) => r.endMinute),
        rules.map((r) => r.sessionMinutes),
        rules.map((r) => r.bufferMinutes),
        today,
      ],
    );
    const absent = batch.filter((t) => t.absence);
    // Absences run from local midnight to local midnight (whole days, Helsinki).
    const midnight = (day: number) => new Date(localMidnight(day)).toISOString();
    await q.query(
      `INSERT INTO tutor_absences (tutor_id, starts_at, ends_at, reason) SELECT t, s, e, 'Loma' FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[]) AS x(t, s, e)`,
      [
        absent.map((t) => idByEmail.get(t.email)!),
        absent.map((t) => midnight(todayDay + t.absence!.startDay)),
        absent.map((t) => midnight(todayDay + t.absence!.startDay + t.absence!.days)),
      ],
    );
    progress('tutors', Math.min(i + BATCH, newTutors.length), newTutors.length);
  }
  return {
    locations: { planned: plan.locations.length, created: newLocations.length },
    tutors: { planned: plan.tutors.length, created: newTutors.length },
  };
}

function localMidnight(day: number): number {
  // Helsinki midnight never falls in a DST gap (changes happen at 03:00/04:00 local).
  const guess = day * DAY_MS - 2 * 3_600_000;
  return localDayOf(ZONE, guess) === day ? guess : guess - 3_600_000;
}

/**
 * Tops bookings up to the target: asks the slot search for every national branch's free slots in
 * the horizon (so each booking lies on a slot the search offered, and none clash with each other
 * or with bookings already there), picks the needed number, nearer days more likely, and inserts
 * them in batches with a "created" event each.
 */
async function topUpBookings(
  ds: DataSource,
  opts: NationalSeedOptions,
  seed: string,
  now: Date,
  progress: Progress,
): Promise<NationalSeedResult['bookings']> {
  const target = opts.bookings;
  const [{ n: existing }] = await ds.query(
    `SELECT count(*)::int AS n FROM bookings
      WHERE tutor_id IN (${NATIONAL_TUTORS}) AND active AND lower(during) >= $1`,
    [now],
  );
  const need = target - existing;
  if (need <= 0) {
    return { target, existing, created: 0, freeSlots: 0 };
  }

  const slots = opts.slots ?? slotServices(ds, new FixedClock(now)).bookable;
  const locations: { id: string }[] = await ds.query(`${NATIONAL_LOCATIONS} ORDER BY slug`);
  const horizon = new Date(now.getTime() + (opts.horizonDays ?? 56) * DAY_MS);
  const rnd = new Random(`${seed}:bookings:${now.toISOString()}:${existing}`);
  const tau = 21 * DAY_MS;
  const candidates: FreeSlot[] = [];
  let done = 0;
  const queue = locations.map((l) => l.id);
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      const query: FreeSlotsQuery = { locationId: id, from: now, to: horizon };
      candidates.push(...(await slots.freeSlotsFor(query)));
      progress('free slots', ++done, locations.length);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  // Workers finish in any order: sort before drawing, so runs repeat exactly. Weighted sampling
  // without replacement (Efraimidis–Spirakis, weight e^(-t/τ)): the coming days fill up first.
  candidates.sort((a, b) => a.startMs - b.startMs || cmp(a.locationId, b.locationId) || cmp(a.tutorId, b.tutorId));
  const keyed = candidates.map((slot) => ({ slot, key: Math.log(rnd.next() || Number.MIN_VALUE) / Math.exp(-(slot.startMs - now.getTime()) / tau) }));
  keyed.sort((a, b) => b.key - a.key);
  const chosen = keyed.slice(0, need).map((c) => c.slot);

  const topicIds = new Map(((await ds.query(`SELECT id, slug FROM topics`)) as { id: string; slug: string }[]).map((t) => [t.slug, t.id]));
  const taken = new Set(((await ds.query(`SELECT reference FROM bookings`)) as { reference: string }[]).map((r) => r.reference));
  let created = 0;
  for (let i = 0; i < chosen.length; i += BATCH) {
    const batch = chosen.slice(i, i + BATCH).map((slot) => bookingRow(rnd, slot, taken, topicIds, now));
    await ds.query(
      `WITH b AS (
         INSERT INTO bookings (reference, location_id, tutor_id, topic_id, language, during, channel, resident_name, resident_phone,
                               resident_email, resident_language, notes, manage_token_hash, created_at, updated_at)
         SELECT r, l, t, tp, lang, tstzrange(s, e, '[)'), ch, n, ph, em, rl, nt, decode(tok, 'hex'), c, c
           FROM unnest($1::text[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::text[],
                       $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::timestamptz[])
                AS x(r, l, t, tp, lang, s, e, ch, n, ph, em, rl, nt, tok, c)
         RETURNING id, created_at, channel)
       INSERT INTO booking_events (booking_id, type, at, actor_type)
       SELECT id, 'created', created_at, CASE WHEN channel = 'web' THEN 'resident' ELSE 'system' END FROM b`,
      [
        batch.map((b) => b.reference),
        batch.map((b) => b.locationId),
        batch.map((b) => b.tutorId),
        batch.map((b) => b.topicId),
        batch.map((b) => b.language),
        batch.map((b) => b.start),
        batch.map((b) => b.end),
        batch.map((b) => b.channel),
        batch.map((b) => b.name),
        batch.map((b) => b.phone),
        batch.map((b) => b.email),
        batch.map((b) => b.residentLanguage),
        batch.map((b) => b.notes),
        batch.map((b) => b.token),
        batch.map((b) => b.createdAt),
      ],
    );
    created += batch.length;
    progress('bookings', created, chosen.length);
  }
  return { target, existing, created, freeSlots: candidates.length };
}

const RESIDENT_FIRST = ['Aino', 'Eila', 'Raili', 'Pirkko', 'Sirkka', 'Marjatta', 'Kaarina', 'Tuula', 'Eero', 'Pentti', 'Kalevi', 'Veikko', 'Reijo', 'Seppo', 'Jorma', 'Raimo', 'Helena', 'Anneli', 'Irma', 'Leila', 'Ahmed', 'Fatima', 'Olga', 'Svetlana', 'Ingrid', 'Göran', 'Mohamed', 'Hodan', 'Tiina', 'Markku'];
const RESIDENT_LAST = ['Virtanen', 'Korhonen', 'Mäkinen', 'Nieminen', 'Mäkelä', 'Hämäläinen', 'Laine', 'Heikkinen', 'Koskinen', 'Järvinen', 'Lehtonen', 'Lehtinen', 'Saarinen', 'Salminen', 'Heinonen', 'Niemi', 'Heikkilä', 'Kinnunen', 'Salonen', 'Turunen', 'Lindqvist', 'Nyström', 'Ivanova', 'Hassan', 'Ali', 'Tamm'];
const NOTES = ['Uusi puhelin', 'Pankkitunnukset eivät toimi', 'Haluan oppia videopuhelut lastenlasten kanssa', 'Kela-hakemus', 'Tarvitsen apua OmaKannassa', 'Epäilen huijausviestiä'];

function bookingRow(rnd: Random, slot: FreeSlot, taken: Set<string>, topicIds: Map<string, string>, now: Date) {
  let reference: string;
  do reference = newReference((n) => rnd.int(0, n - 1));
  while (taken.has(reference));
  taken.add(reference);
  const first = rnd.pick(RESIDENT_FIRST);
  const last = rnd.pick(RESIDENT_LAST);
  const hasPhone = rnd.chance(0.85);
  const ascii = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  const language = rnd.chance(0.85) ? slot.languages[0] : rnd.pick(slot.languages);
  const lead = Math.min(slot.startMs - now.getTime(), 21 * DAY_MS);
  return {
    reference,
    locationId: slot.locationId,
    tutorId: slot.tutorId,
    topicId: topicIds.get(rnd.pick(slot.topics))!,
    language,
    start: slot.start,
    end: slot.end,
    channel: rnd.weighted(['web', 'phone', 'walk-in'], (c) => ({ web: 80, phone: 15, 'walk-in': 5 })[c]!),
    name: `${first} ${last}`,
    phone: hasPhone ? `+3584${rnd.int(0, 6)}${String(rnd.int(0, 9_999_999)).padStart(7, '0')}` : null,
    email: !hasPhone || rnd.chance(0.2) ? `${ascii(first)}.${ascii(last)}${rnd.int(1, 999)}@example.fi` : null,
    residentLanguage: language === 'sv' || language === 'en' ? language : 'fi',
    notes: rnd.chance(0.15) ? rnd.pick(NOTES) : null,
    token: Array.from({ length: 32 }, () => rnd.int(0, 255).toString(16).padStart(2, '0')).join(''),
    // Booked some time before now, closer to it for the nearer slots.
    createdAt: new Date(now.getTime() - Math.floor(rnd.next() * Math.max(lead, 0) * 0.5)).toISOString(),
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
