import type { Client } from 'pg';
import { Random } from '../../scripts/seed/random';

/**
 * The dataset of the booking benchmark (npm run bench:bookings), inserted by SQL as the test
 * factories do, from a fixed PRNG seed and the real "now": branches open Mon–Sat, tutors with
 * weekly rules over the coming weeks, a few absences and closures. Tutor k (1-based) has the
 * id tutorUuid(k), so pgbench scripts can name a tutor without a lookup.
 */

export interface BookingWorldSizes {
  branches: number;
  tutors: number;
  /** Absences of a day or two, spread over the next weeks. */
  absences: number;
  /** Branches closed for one day somewhere in the next weeks. */
  closures: number;
}

export interface BookingWorld {
  locationIds: string[];
  tutorIds: string[];
  topicIdBySlug: Map<string, string>;
}

/** Deterministic ids: tutor k ↔ 00000000-0000-4000-8000-<k in 12 hex digits>. */
export function tutorUuid(k: number): string {
  return `00000000-0000-4000-8000-${k.toString(16).padStart(12, '0')}`;
}

const FIRST_NAMES = ['Matti', 'Liisa', 'Aino', 'Juha', 'Sanna', 'Pekka', 'Kaisa', 'Timo', 'Eeva', 'Jari', 'Anna', 'Mikko', 'Leena', 'Ville', 'Ritva', 'Oskari'];
const DAY_MS = 86_400_000;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export async function seedBookingWorld(c: Client, rnd: Random, sizes: BookingWorldSizes, now: Date): Promise<BookingWorld> {
  const municipalities = ((await c.query<{ code: string }>(`SELECT code FROM municipalities ORDER BY code`)).rows).map((r) => r.code);
  const topics = (await c.query<{ id: string; slug: string }>(`SELECT id, slug FROM topics WHERE active ORDER BY sort_order, slug`)).rows;
  const topicIdBySlug = new Map(topics.map((t) => [t.slug, t.id]));

  await c.query('BEGIN');
  try {
    // Branches: open Mon–Fri 08:00–20:00 and Sat 09:00–17:00, default booking policy.
    const slugs = Array.from({ length: sizes.branches }, (_, i) => `bench-kirjasto-${String(i + 1).padStart(3, '0')}`);
    const names = slugs.map((_, i) => JSON.stringify({ fi: `Penkkikirjasto ${i + 1}`, sv: `Bänkbibliotek ${i + 1}`, en: `Bench Library ${i + 1}` }));
    const codes = slugs.map(() => rnd.pick(municipalities));
    const address = JSON.stringify({ street: 'Kirjastokatu 1', postalCode: '45100', city: 'Kouvola' });
    const locRows = (
      await c.query<{ id: string; slug: string }>(
        `INSERT INTO locations (slug, name, municipality_code, address, timezone)
         SELECT s, n::jsonb, m, $4::jsonb, 'Europe/Helsinki' FROM unnest($1::text[], $2::text[], $3::text[]) AS x(s, n, m)
         RETURNING id, slug`,
        [slugs, names, codes, address],
      )
    ).rows.sort((a, b) => (a.slug < b.slug ? -1 : 1));
    const locationIds = locRows.map((r) => r.id);
    await c.query(
      `WITH p AS (INSERT INTO location_hour_periods (location_id, position) SELECT unnest($1::uuid[]), 0 RETURNING id)
       INSERT INTO location_hour_intervals (period_id, weekday, start_minute, end_minute)
       SELECT p.id, d.weekday, d.s, d.e FROM p CROSS JOIN (VALUES (1, 480, 1200), (2, 480, 1200), (3, 480, 1200), (4, 480, 1200), (5, 480, 1200), (6, 540, 1020)) AS d(weekday, s, e)`,
      [locationIds],
    );

    // Tutors: each at one branch (tutor k at branch (k-1) mod branches), every tenth also on
    // Saturdays at the next branch; 2–4 topics; Finnish plus maybe Swedish or English.
    const tutorIds = Array.from({ length: sizes.tutors }, (_, i) => tutorUuid(i + 1));
    const display = tutorIds.map(() => `${rnd.pick(FIRST_NAMES)} ${String.fromCharCode(65 + rnd.int(0, 25))}.`);
    const kinds = tutorIds.map(() => (rnd.chance(0.3) ? 'staff' : 'volunteer'));
    const langs = tutorIds.map(() => `{${['fi', ...(rnd.chance(0.3) ? ['sv'] : []), ...(rnd.chance(0.3) ? ['en'] : [])].join(',')}}`);
    await c.query(
      // Each language list travels as an array literal ('{fi,sv}'): unnest cannot yield arrays.
      `INSERT INTO tutors (id, display_name, kind, languages) SELECT id, d, k, l::text[] FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS x(id, d, k, l)`,
      [tutorIds, display, kinds, langs],
    );

    const memberT: string[] = [];
    const memberL: string[] = [];
    const topicT: string[] = [];
    const topicP: string[] = [];
    const rule = { t: [] as string[], l: [] as string[], wd: [] as number[], s: [] as number[], e: [] as number[], sm: [] as number[], bm: [] as number[] };
    const validFrom = isoDate(now.getTime() - 30 * DAY_MS);
    const shapes: [number, number][] = [
      [45, 15],
      [30, 0],
      [60, 0],
      [40, 5],
    ];
    tutorIds.forEach((id, i) => {
      const home = locationIds[i % locationIds.length];
      memberT.push(id);
      memberL.push(home);
      const away = i % 10 === 9 && locationIds.length > 1 ? locationIds[(i + 1) % locationIds.length] : undefined;
      if (away) {
        memberT.push(id);
        memberL.push(away);
      }
      for (const slug of rnd.shuffle([...topicIdBySlug.keys()]).slice(0, 2 + rnd.int(0, 2))) {
        topicT.push(id);
        topicP.push(topicIdBySlug.get(slug)!);
      }
      const [session, buffer] = rnd.pick(shapes);
      const days = rnd.shuffle([1, 2, 3, 4, 5]).slice(0, 3 + rnd.int(0, 2));
      if (!away && rnd.chance(0.4)) days.push(6);
      for (const wd of days) {
        const sat = wd === 6;
        const start = sat ? 540 + 60 * rnd.int(0, 1) : 480 + 60 * rnd.int(0, 3);
        const end = Math.min(sat ? 1020 : 1200, start + 60 * (4 + rnd.int(0, 4)));
        rule.t.push(id);
        rule.l.push(home);
        rule.wd.push(wd);
        rule.s.push(start);
        rule.e.push(end);
        rule.sm.push(session);
        rule.bm.push(buffer);
      }
      if (away) {
        rule.t.push(id);
        rule.l.push(away);
        rule.wd.push(6);
        rule.s.push(600);
        rule.e.push(960);
        rule.sm.push(session);
        rule.bm.push(buffer);
      }
    });
    await c.query(`INSERT INTO tutor_locations (tutor_id, location_id) SELECT * FROM unnest($1::uuid[], $2::uuid[])`, [memberT, memberL]);
    await c.query(`INSERT INTO tutor_topics (tutor_id, topic_id) SELECT * FROM unnest($1::uuid[], $2::uuid[])`, [topicT, topicP]);
    await c.query(
      `INSERT INTO availability_rules (tutor_id, location_id, weekday, start_minute, end_minute, session_minutes, buffer_minutes, valid_from)
       SELECT t, l, wd, s, e, sm, bm, $8::date FROM unnest($1::uuid[], $2::uuid[], $3::smallint[], $4::int[], $5::int[], $6::int[], $7::int[]) AS x(t, l, wd, s, e, sm, bm)`,
      [rule.t, rule.l, rule.wd, rule.s, rule.e, rule.sm, rule.bm, validFrom],
    );

    // Absences (a day or two) and one-day closures over the next seven weeks.
    const day0 = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
    const absT: string[] = [];
    const absS: Date[] = [];
    const absE: Date[] = [];
    for (let i = 0; i < sizes.absences; i++) {
      const start = day0 + (2 + rnd.int(0, 44)) * DAY_MS;
      absT.push(rnd.pick(tutorIds));
      absS.push(new Date(start));
      absE.push(new Date(start + (1 + rnd.int(0, 1)) * DAY_MS));
    }
    await c.query(`INSERT INTO tutor_absences (tutor_id, starts_at, ends_at, reason) SELECT t, s, e, 'Loma' FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[]) AS x(t, s, e)`, [
      absT,
      absS,
      absE,
    ]);
    for (let i = 0; i < sizes.closures; i++) {
      const start = day0 + (3 + rnd.int(0, 39)) * DAY_MS;
      await c.query(`INSERT INTO location_closures (location_id, during, reason) VALUES ($1, tstzrange($2, $3, '[)'), 'Remontti')`, [
        rnd.pick(locationIds),
        new Date(start),
        new Date(start + DAY_MS),
      ]);
    }
    await c.query('COMMIT');
    await c.query('ANALYZE');
    return { locationIds, tutorIds, topicIdBySlug };
  } catch (error) {
    await c.query('ROLLBACK');
    throw error;
  }
}

/** Bookings made directly (SQL) on some of the free slots, so the tables are not empty at the start. */
export async function insertExistingBookings(
  c: Client,
  rows: { locationId: string; tutorId: string; topicId: string; start: Date; end: Date; phone: string }[],
): Promise<void> {
  const alphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
  const refs = rows.map((_, i) => {
    // Deterministic, unique, and in the app's alphabet: base-31 digits of i with a 'Z' lead.
    let n = i;
    let s = '';
    for (let k = 0; k < 5; k++) {
      s = alphabet[n % 31] + s;
      n = Math.floor(n / 31);
    }
    return `Z${s.slice(0, 2)}-${s.slice(2)}`;
  });
  for (let from = 0; from < rows.length; from += 5000) {
    const part = rows.slice(from, from + 5000);
    await c.query(
      `INSERT INTO bookings (reference, location_id, tutor_id, topic_id, language, during, status, channel, resident_name, resident_phone, resident_language)
       SELECT r, l, t, tp, 'fi', tstzrange(s, e, '[)'), 'confirmed', 'web', 'Olemassa Oleva', ph, 'fi'
         FROM unnest($1::text[], $2::uuid[], $3::uuid[], $4::uuid[], $5::timestamptz[], $6::timestamptz[], $7::text[]) AS x(r, l, t, tp, s, e, ph)`,
      [
        refs.slice(from, from + 5000),
        part.map((r) => r.locationId),
        part.map((r) => r.tutorId),
        part.map((r) => r.topicId),
        part.map((r) => r.start),
        part.map((r) => r.end),
        part.map((r) => r.phone),
      ],
    );
  }
  // A service that has been running holds the last day's idempotency keys (one per booking made
  // with a key, the stored answer ≈ 0.8 kB encrypted). Without them the table is empty when each
  // connection first plans place_booking's key lookup, and PL/pgSQL keeps that plan, a sequential
  // scan, while the table grows during the run (until autovacuum's ANALYZE, a minute later).
  await c.query(
    `INSERT INTO idempotency_keys (key, request_hash, status_code, response_encrypted, created_at)
     SELECT 'seed:' || r, sha256(convert_to(r, 'UTF8')), 201, decode(repeat(md5(r), 25), 'hex'), now() - (i % 1380) * interval '1 minute'
       FROM unnest($1::text[]) WITH ORDINALITY AS x(r, i)`,
    [refs],
  );
  await c.query('ANALYZE bookings, idempotency_keys');
}
