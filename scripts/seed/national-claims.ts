import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { DAY_MS, isoWeekday, localDayOf, MINUTE_MS, resolveLocalTime } from '../../src/common/time/local-time';
import { NATIONAL_TUTOR_EMAIL_DOMAIN, PlannedLocation } from './national-plan';
import { Random } from './random';

/**
 * The national dataset's partner organisations, their advisors and their approved claims: each
 * partner has 2–4 advisors; each claim is two hours (or less, by closing time) inside a national
 * branch's opening hours on a day in the horizon, one advisor, a quarter of them drop-in, the
 * rest bookable in 30- or 45-minute sessions. No advisor is in two claims at once (the database's
 * exclusion constraint). Partners are recognised by their `nat-partner-…@digituki.invalid`
 * contact address; claims are added only while the national partners have none.
 */

export const NATIONAL_PARTNER_EMAIL_LIKE = `nat-partner-%@${NATIONAL_TUTOR_EMAIL_DOMAIN}`;
const ADVISOR_EMAIL_LIKE = `nat-advisor-%@${NATIONAL_TUTOR_EMAIL_DOMAIN}`;
const ZONE = 'Europe/Helsinki';
const KINDS = ['association', 'agency', 'company', 'other'] as const;
const PARTNER_NAMES = [
  ['Verohallinto', 'Skatteförvaltningen', 'Tax Administration'],
  ['Kela', 'FPA', 'Kela'],
  ['Digi- ja väestötietovirasto', 'Myndigheten för digitalisering och befolkningsdata', 'Digital and Population Data Services Agency'],
  ['Seniorsurf-vapaaehtoiset', 'Seniorsurf-frivilliga', 'SeniorSurf volunteers'],
  ['Pankkineuvonta', 'Bankrådgivning', 'Bank advice'],
] as const;
const PARTNER_TOPICS = ['taxes', 'kela', 'suomi-fi', 'online-banking', 'smartphone-tablet', 'email', 'scams'];

export interface ClaimsSeedResult {
  partners: { planned: number; created: number };
  claims: { planned: number; created: number };
}

/** National-partner rows to delete on --reset, in order (bookings in their claims first). */
export const NATIONAL_PARTNER_DELETES = [
  `DELETE FROM bookings WHERE partner_id IN (SELECT id FROM partners WHERE contact_email LIKE '${NATIONAL_PARTNER_EMAIL_LIKE}')`,
  `DELETE FROM claims WHERE partner_id IN (SELECT id FROM partners WHERE contact_email LIKE '${NATIONAL_PARTNER_EMAIL_LIKE}')`,
  `DELETE FROM claim_series WHERE partner_id IN (SELECT id FROM partners WHERE contact_email LIKE '${NATIONAL_PARTNER_EMAIL_LIKE}')`,
  `DELETE FROM tutors WHERE email LIKE '${ADVISOR_EMAIL_LIKE}'`,
  `DELETE FROM partners WHERE contact_email LIKE '${NATIONAL_PARTNER_EMAIL_LIKE}'`,
];

export async function insertPartnerClaims(
  q: EntityManager,
  o: { seed: string; partners: number; claims: number; horizonDays: number; now: Date; locations: { id: string; plan: PlannedLocation }[]; topics: Map<string, string> },
): Promise<ClaimsSeedResult> {
  const rnd = new Random(`${o.seed}:partners`);
  const existing: { id: string; email: string }[] = await q.query(`SELECT id, contact_email AS email FROM partners WHERE contact_email LIKE $1`, [NATIONAL_PARTNER_EMAIL_LIKE]);
  const have = new Set(existing.map((p) => p.email));
  const wanted = Array.from({ length: o.partners }, (_, i) => {
    const [fi, sv, en] = PARTNER_NAMES[i % PARTNER_NAMES.length];
    const n = Math.floor(i / PARTNER_NAMES.length) + 1;
    return { email: `nat-partner-${String(i + 1).padStart(4, '0')}@${NATIONAL_TUTOR_EMAIL_DOMAIN}`, fi: `${fi} ${n}`, sv: `${sv} ${n}`, en: `${en} ${n}`, kind: KINDS[i % KINDS.length], advisors: rnd.int(2, 4) };
  });
  const fresh = wanted.filter((p) => !have.has(p.email));
  if (fresh.length) {
    const inserted: { id: string; email: string }[] = await q.query(
      `INSERT INTO partners (name_fi, name_sv, name_en, kind, contact_email)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) RETURNING id, contact_email AS email`,
      [fresh.map((p) => p.fi), fresh.map((p) => p.sv), fresh.map((p) => p.en), fresh.map((p) => p.kind), fresh.map((p) => p.email)],
    );
    const advisors = inserted.flatMap((p) => {
      const plan = fresh.find((f) => f.email === p.email)!;
      return Array.from({ length: plan.advisors }, (_, k) => ({ partnerId: p.id, name: `${plan.fi.split(' ')[0]} ${k + 1}`, email: p.email.replace('nat-partner-', `nat-advisor-${k + 1}-`) }));
    });
    await q.query(
      `INSERT INTO tutors (display_name, kind, partner_id, email, languages)
       SELECT d, 'advisor', p, e, ARRAY['fi', 'sv'] FROM unnest($1::text[], $2::uuid[], $3::text[]) AS x(d, p, e)`,
      [advisors.map((a) => a.name), advisors.map((a) => a.partnerId), advisors.map((a) => a.email)],
    );
  }
  const result = { partners: { planned: o.partners, created: fresh.length }, claims: { planned: o.claims, created: 0 } };
  const [{ n: claimed }] = await q.query(`SELECT count(*)::int AS n FROM claims c JOIN partners p ON p.id = c.partner_id WHERE p.contact_email LIKE $1`, [NATIONAL_PARTNER_EMAIL_LIKE]);
  if (claimed > 0 || o.claims === 0 || o.locations.length === 0) return result;

  const advisorRows: { id: string; partner_id: string }[] = await q.query(
    `SELECT t.id, t.partner_id FROM tutors t JOIN partners p ON p.id = t.partner_id WHERE p.contact_email LIKE $1 ORDER BY t.email`,
    [NATIONAL_PARTNER_EMAIL_LIKE],
  );
  const byPartner = new Map<string, string[]>();
  for (const a of advisorRows) byPartner.set(a.partner_id, [...(byPartner.get(a.partner_id) ?? []), a.id]);
  const partnerIds = [...byPartner.keys()];
  const topicIds = PARTNER_TOPICS.filter((s) => o.topics.has(s));
  const busy = new Map<string, [number, number][]>();
  const today = localDayOf(ZONE, o.now.getTime());
  const claims: { partnerId: string; locationId: string; advisor: string; start: number; end: number; dropIn: boolean; session: number; buffer: number; topics: string[]; languages: string[] }[] = [];
  for (let attempt = 0; claims.length < o.claims && attempt < o.claims * 5; attempt++) {
    const location = rnd.pick(o.locations);
    const day = today + rnd.int(1, o.horizonDays);
    const hours = location.plan.hours[isoWeekday(day)];
    if (!hours?.length) continue;
    const [open, close] = rnd.pick(hours);
    const startMinute = open + 60 * rnd.int(0, Math.max(0, Math.floor((close - open - 60) / 60)));
    const endMinute = Math.min(close, startMinute + 120);
    if (endMinute - startMinute < 60) continue;
    const start = resolveLocalTime(ZONE, day * DAY_MS + startMinute * MINUTE_MS);
    const end = resolveLocalTime(ZONE, day * DAY_MS + endMinute * MINUTE_MS);
    const partnerId = rnd.pick(partnerIds);
    const advisor = rnd.shuffle(byPartner.get(partnerId)!).find((a) => !(busy.get(a) ?? []).some(([s, e]) => s < end && start < e));
    if (!advisor) continue;
    busy.set(advisor, [...(busy.get(advisor) ?? []), [start, end]]);
    const dropIn = rnd.chance(0.25);
    claims.push({
      partnerId,
      locationId: location.id,
      advisor,
      start,
      end,
      dropIn,
      session: rnd.pick([30, 45]),
      buffer: rnd.pick([0, 15]),
      topics: rnd.sample(topicIds, rnd.int(1, 2)),
      languages: rnd.chance(0.3) ? ['fi', 'sv'] : ['fi'],
    });
  }
  const seriesIds = claims.map(() => randomUUID());
  const ids = claims.map(() => randomUUID());
  await q.query(`INSERT INTO claim_series (id, partner_id, location_id) SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[])`, [
    seriesIds,
    claims.map((c) => c.partnerId),
    claims.map((c) => c.locationId),
  ]);
  await q.query(
    `INSERT INTO claims (id, series_id, partner_id, location_id, during, mode, session_minutes, buffer_minutes, languages, status, requested_at, status_changed_at)
     SELECT id, s, p, l, tstzrange(f, t, '[)'), CASE WHEN d THEN 'drop-in' ELSE 'bookable' END, CASE WHEN d THEN NULL ELSE sm END, CASE WHEN d THEN 0 ELSE bm END,
            string_to_array(lg, ','), 'approved', $11::timestamptz, $11::timestamptz
     FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::timestamptz[], $6::timestamptz[], $7::boolean[], $8::int[], $9::int[], $10::text[])
          AS x(id, s, p, l, f, t, d, sm, bm, lg)`,
    [
      ids,
      seriesIds,
      claims.map((c) => c.partnerId),
      claims.map((c) => c.locationId),
      claims.map((c) => new Date(c.start).toISOString()),
      claims.map((c) => new Date(c.end).toISOString()),
      claims.map((c) => c.dropIn),
      claims.map((c) => c.session),
      claims.map((c) => c.buffer),
      claims.map((c) => c.languages.join(',')),
      o.now,
    ],
  );
  const claimTopics = claims.flatMap((c, i) => c.topics.map((slug) => [ids[i], o.topics.get(slug)!] as const));
  await q.query(`INSERT INTO claim_topics (claim_id, topic_id) SELECT * FROM unnest($1::uuid[], $2::uuid[])`, [claimTopics.map((x) => x[0]), claimTopics.map((x) => x[1])]);
  await q.query(
    `INSERT INTO claim_advisors (claim_id, tutor_id, during, approved)
     SELECT c, a, tstzrange(f, t, '[)'), true FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::timestamptz[]) AS x(c, a, f, t)`,
    [ids, claims.map((c) => c.advisor), claims.map((c) => new Date(c.start).toISOString()), claims.map((c) => new Date(c.end).toISOString())],
  );
  result.claims.created = claims.length;
  return result;
}
