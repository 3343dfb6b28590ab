import { NATIONAL_TUTOR_EMAIL_LIKE } from '../../scripts/seed/national-plan';
import { NATIONAL_PARTNER_EMAIL_LIKE } from '../../scripts/seed/national-claims';
import { seedNational } from '../../scripts/seed/national-seed';
import { SlotsService } from '../../src/modules/slots/slots.service';
import { BookableSlotsService } from '../../src/modules/slots/bookable-slots.service';
import { startTestApp, TestApp } from '../support/test-app';

const SIZES = { branches: 5, tutors: 20, bookings: 200 };

describe('national seed (npm run seed:national) at a tiny scale', () => {
  let t: TestApp;
  let slots: BookableSlotsService;
  let now: Date;

  beforeAll(async () => {
    // Tuesday 2026-12-01 08:00 Helsinki; Independence Day and Christmas fall in the horizon.
    t = await startTestApp({ now: '2026-12-01T06:00:00Z' });
    slots = t.app.get(BookableSlotsService);
    now = t.clock.now();
  });
  afterAll(() => t.close());

  const count = async (sql: string, params: unknown[] = []): Promise<number> => Number((await t.db.query(sql, params))[0].n);
  const national = `SELECT id FROM tutors WHERE email LIKE '${NATIONAL_TUTOR_EMAIL_LIKE}'`;

  it('creates the branches, tutors with 1–3 branches, 2–5 topics, 1–3 languages and 4 rules, and the bookings', async () => {
    const result = await seedNational(t.db, { ...SIZES, now, slots });
    expect(result.locations).toEqual({ planned: 5, created: 5 });
    expect(result.tutors).toEqual({ planned: 20, created: 20 });
    expect(result.bookings).toMatchObject({ target: 200, existing: 0, created: 200 });

    await expect(count(`SELECT count(*) AS n FROM locations WHERE slug LIKE 'nat-%'`)).resolves.toBe(5);
    await expect(count(`SELECT count(*) AS n FROM (${national}) x`)).resolves.toBe(20);
    const tutors: { memberships: number; topics: number; languages: number; rules: number; weekdays: number }[] = await t.db.query(
      `SELECT (SELECT count(*) FROM tutor_locations tl WHERE tl.tutor_id = t.id)::int AS memberships,
              (SELECT count(*) FROM tutor_topics tt WHERE tt.tutor_id = t.id)::int AS topics,
              cardinality(t.languages) AS languages,
              (SELECT count(*) FROM availability_rules r WHERE r.tutor_id = t.id)::int AS rules,
              (SELECT count(DISTINCT weekday) FROM availability_rules r WHERE r.tutor_id = t.id)::int AS weekdays
         FROM tutors t WHERE t.id IN (${national})`,
    );
    for (const x of tutors) {
      expect(x.memberships).toBeGreaterThanOrEqual(1);
      expect(x.memberships).toBeLessThanOrEqual(3);
      expect(x.topics).toBeGreaterThanOrEqual(2);
      expect(x.topics).toBeLessThanOrEqual(5);
      expect(x.languages).toBeGreaterThanOrEqual(1);
      expect(x.languages).toBeLessThanOrEqual(3);
      expect(x.rules).toBe(4);
      expect(x.weekdays).toBe(4);
    }
    // Rules valid from today; every branch has weekly hours and a horizon of at least 60 days.
    await expect(count(`SELECT count(*) AS n FROM availability_rules WHERE tutor_id IN (${national}) AND valid_from <> '2026-12-01'`)).resolves.toBe(0);
    await expect(
      count(`SELECT count(*) AS n FROM locations l WHERE slug LIKE 'nat-%' AND (max_days_ahead < 60 OR NOT EXISTS (SELECT 1 FROM location_hour_periods p WHERE p.location_id = l.id))`),
    ).resolves.toBe(0);
    // Bookings: confirmed, in the future, with a proper reference, resident and phone or e-mail.
    await expect(
      count(
        `SELECT count(*) AS n FROM bookings WHERE tutor_id IN (${national}) AND status = 'confirmed' AND lower(during) > $1
            AND reference ~ '^[A-Z0-9]{3}-[A-Z0-9]{3}$' AND (resident_phone LIKE '+358%' OR resident_email IS NOT NULL)`,
        [now],
      ),
    ).resolves.toBe(200);
    await expect(count(`SELECT count(*) AS n FROM booking_events e JOIN bookings b ON b.id = e.booking_id WHERE b.tutor_id IN (${national}) AND e.type = 'created'`)).resolves.toBe(200);
  });

  it('puts every booking on a slot the search offered: grid, opening hours, holidays, policy, the tutor free, topic and language the tutor’s', async () => {
    const bookings: { id: string; location_id: string; tutor_id: string; start: Date; end: Date; topic_ok: boolean; language_ok: boolean }[] = await t.db.query(
      `SELECT b.id, b.location_id, b.tutor_id, lower(b.during) AS start, upper(b.during) AS "end",
              EXISTS (SELECT 1 FROM tutor_topics tt WHERE tt.tutor_id = b.tutor_id AND tt.topic_id = b.topic_id) AS topic_ok,
              b.language = ANY(t.languages) AS language_ok
         FROM bookings b JOIN tutors t ON t.id = b.tutor_id WHERE b.tutor_id IN (${national})`,
    );
    expect(bookings).toHaveLength(200);
    for (const b of bookings) {
      expect([b.topic_ok, b.language_ok]).toEqual([true, true]);
      // As the booking module re-checks a slot: this tutor, this branch, this start, the booking itself aside.
      const offered = await slots.freeSlotsFor({ locationId: b.location_id, tutorIds: [b.tutor_id], from: b.start, to: new Date(b.start.getTime() + 1), excludeBookingId: b.id });
      expect(offered.map((s) => [s.startMs, s.endMs])).toEqual([[b.start.getTime(), b.end.getTime()]]);
    }
  });

  it('gives the same free slots through GET /slots as through the booking check, per branch', async () => {
    const locations: { id: string }[] = await t.db.query(`SELECT id FROM locations WHERE slug LIKE 'nat-%' ORDER BY slug`);
    const from = now.toISOString();
    const to = new Date(now.getTime() + 21 * 86_400_000).toISOString();
    for (const { id } of locations) {
      const listed: string[] = [];
      let cursor: string | null = null;
      do {
        const body: { items: { start: string; tutorId: string }[]; nextCursor: string | null } = (
          await t.http.get('/api/v1/slots').query({ locationId: id, from, to, limit: 500, ...(cursor ? { cursor } : {}) }).expect(200)
        ).body;
        listed.push(...body.items.map((s) => `${Date.parse(s.start)}/${s.tutorId}`));
        cursor = body.nextCursor;
      } while (cursor);
      const checked = await slots.freeSlotsFor({ locationId: id, from: now, to: new Date(to) });
      expect(listed).toEqual(checked.map((s) => `${s.startMs}/${s.tutorId}`));
      expect(listed.length).toBeGreaterThan(0);
    }
  });

  it('lists the whole country and a topic across branches in search order, page by page, as the branches add up', async () => {
    const locations: { id: string }[] = await t.db.query(`SELECT id FROM locations WHERE slug LIKE 'nat-%'`);
    const [{ slug: topic }]: { slug: string }[] = await t.db.query(
      `SELECT tp.slug FROM tutor_topics tt JOIN topics tp ON tp.id = tt.topic_id WHERE tt.tutor_id IN (${national}) GROUP BY tp.slug ORDER BY count(*) DESC, tp.slug LIMIT 1`,
    );
    const to = new Date(now.getTime() + 10 * 86_400_000);
    const key = (s: { startMs: number; locationId: string; tutorId: string }) => `${s.startMs}/${s.locationId}/${s.tutorId}`;
    for (const filter of [{}, { topic }]) {
      const listed: string[] = [];
      let cursor: string | null = null;
      do {
        const body: { items: { start: string; locationId: string; tutorId: string }[]; nextCursor: string | null } = (
          await t.http.get('/api/v1/slots').query({ ...filter, from: now.toISOString(), to: to.toISOString(), limit: 37, ...(cursor ? { cursor } : {}) }).expect(200)
        ).body;
        listed.push(...body.items.map((s) => key({ startMs: Date.parse(s.start), locationId: s.locationId, tutorId: s.tutorId })));
        cursor = body.nextCursor;
      } while (cursor);
      const expected = (await Promise.all(locations.map(({ id }) => slots.freeSlotsFor({ locationId: id, from: now, to, ...filter }))))
        .flat()
        .sort((a, b) => a.startMs - b.startMs || (a.locationId < b.locationId ? -1 : a.locationId > b.locationId ? 1 : a.tutorId < b.tutorId ? -1 : 1))
        .map(key);
      expect(listed).toEqual(expected);
      expect(listed.length).toBeGreaterThan(37);
    }
  });

  it('is idempotent: a second run adds nothing', async () => {
    const before = await count(`SELECT count(*) AS n FROM bookings`);
    const again = await seedNational(t.db, { ...SIZES, now, slots });
    expect(again.locations.created).toBe(0);
    expect(again.tutors.created).toBe(0);
    expect(again.bookings).toMatchObject({ existing: 200, created: 0 });
    await expect(count(`SELECT count(*) AS n FROM bookings`)).resolves.toBe(before);
    await expect(count(`SELECT count(*) AS n FROM locations WHERE slug LIKE 'nat-%'`)).resolves.toBe(5);
    await expect(count(`SELECT count(*) AS n FROM availability_rules WHERE tutor_id IN (${national})`)).resolves.toBe(80);
  });

  it('adds partners with advisors and approved claims in branch hours, a quarter drop-in, that the search offers as advisory slots; once', async () => {
    const sizes = { ...SIZES, partners: 4, claims: 40 };
    const result = await seedNational(t.db, { ...sizes, now, slots });
    expect(result.partners).toEqual({ planned: 4, created: 4 });
    expect(result.claims.created).toBeGreaterThan(30);
    const partners = `SELECT id FROM partners WHERE contact_email LIKE '${NATIONAL_PARTNER_EMAIL_LIKE}'`;
    await expect(count(`SELECT count(*) AS n FROM tutors WHERE kind = 'advisor' AND partner_id IN (${partners})`)).resolves.toBeGreaterThanOrEqual(8);
    const claims: { mode: string; approved: boolean; advisors: number; topics: number }[] = await t.db.query(
      `SELECT c.mode, c.status = 'approved' AS approved, (SELECT count(*) FROM claim_advisors ca WHERE ca.claim_id = c.id AND ca.approved)::int AS advisors,
              (SELECT count(*) FROM claim_topics ct WHERE ct.claim_id = c.id)::int AS topics
         FROM claims c WHERE c.partner_id IN (${partners})`,
    );
    expect(claims).toHaveLength(result.claims.created);
    expect(claims.every((c) => c.approved && c.advisors === 1 && c.topics >= 1)).toBe(true);
    const dropIns = claims.filter((c) => c.mode === 'drop-in').length;
    expect(dropIns).toBeGreaterThan(0);
    expect(dropIns).toBeLessThan(claims.length / 2);
    const advisory = await t.app.get(SlotsService).search({ kind: 'advisory', limit: 500 });
    expect(advisory.items.length).toBeGreaterThan(0);
    expect(advisory.items.every((s) => s.kind === 'advisory' && s.claimId !== null)).toBe(true);
    const again = await seedNational(t.db, { ...sizes, now, slots });
    expect(again.partners.created).toBe(0);
    expect(again.claims.created).toBe(0);
    await expect(count(`SELECT count(*) AS n FROM claims WHERE partner_id IN (${partners})`)).resolves.toBe(result.claims.created);
  });

  it('refuses another size over an existing dataset, and --reset replaces it', async () => {
    await expect(seedNational(t.db, { branches: 6, tutors: 20, bookings: 10, now, slots })).rejects.toThrow(/--reset/);
    const replaced = await seedNational(t.db, { branches: 3, tutors: 8, bookings: 30, now, slots, reset: true });
    expect(replaced.removed).toEqual({ locations: 5, tutors: 20, bookings: 200 });
    await expect(count(`SELECT count(*) AS n FROM locations WHERE slug LIKE 'nat-%'`)).resolves.toBe(3);
    await expect(count(`SELECT count(*) AS n FROM bookings WHERE tutor_id IN (${national})`)).resolves.toBe(30);
    await expect(count(`SELECT count(*) AS n FROM partners WHERE contact_email LIKE '${NATIONAL_PARTNER_EMAIL_LIKE}'`)).resolves.toBe(0);
  });
});
