import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { formatIsoDate, localDayOf } from '../../common/time/local-time';

export interface DemoAccount {
  email: string;
  password: string;
  role: 'staff' | 'tutor' | 'partner';
  what: string;
}

const ZONE = 'Europe/Helsinki';
const WEEKDAY_HOURS: Record<number, [number, number][]> = {
  1: [[10 * 60, 19 * 60]],
  2: [[10 * 60, 19 * 60]],
  3: [[10 * 60, 19 * 60]],
  4: [[10 * 60, 19 * 60]],
  5: [[10 * 60, 17 * 60]],
  6: [[10 * 60, 15 * 60]],
};

const BRANCHES = [
  { key: 'kouvola', slug: 'kouvola-paakirjasto', municipality: '286', name: { fi: 'Kouvolan pääkirjasto', sv: 'Kouvola huvudbibliotek', en: 'Kouvola Main Library' }, street: 'Salamakuja 3', postalCode: '45100', city: 'Kouvola' },
  { key: 'kotka', slug: 'kotka-paakirjasto', municipality: '285', name: { fi: 'Kotkan pääkirjasto', sv: 'Kotka huvudbibliotek', en: 'Kotka Main Library' }, street: 'Kirkkokatu 24', postalCode: '48100', city: 'Kotka' },
  { key: 'hamina', slug: 'hamina-kaupunginkirjasto', municipality: '075', name: { fi: 'Haminan kaupunginkirjasto', sv: 'Fredrikshamns stadsbibliotek', en: 'Hamina City Library' }, street: 'Rautatienkatu 10', postalCode: '49400', city: 'Hamina' },
];

/** Tutors: branch keys, topics, languages, and rules as [branch, weekday, start, end] (minutes). */
const TUTORS = [
  { name: 'Matti V.', kind: 'staff', branches: ['kouvola'], topics: ['smartphone-tablet', 'online-banking', 'suomi-fi'], languages: ['fi', 'sv'], rules: [['kouvola', 1, 600, 780], ['kouvola', 3, 780, 1020], ['kouvola', 5, 600, 780]] },
  { name: 'Aino K. (SeniorSurf)', kind: 'volunteer', branches: ['kouvola', 'kotka'], topics: ['smartphone-tablet', 'email', 'video-calls'], languages: ['fi'], rules: [['kouvola', 2, 600, 720], ['kotka', 4, 720, 900]] },
  { name: 'Leena H.', kind: 'staff', branches: ['kotka'], topics: ['omakanta', 'kela', 'taxes', 'online-banking'], languages: ['fi', 'en'], rules: [['kotka', 1, 660, 900], ['kotka', 3, 600, 780], ['kotka', 6, 600, 840]] },
  { name: 'Olga P.', kind: 'volunteer', branches: ['kotka'], topics: ['smartphone-tablet', 'security-scams'], languages: ['ru', 'fi'], rules: [['kotka', 2, 780, 960]] },
  { name: 'Sven L.', kind: 'staff', branches: ['hamina'], topics: ['computer-basics', 'email', 'suomi-fi', 'library-e-services'], languages: ['sv', 'fi', 'en'], rules: [['hamina', 2, 600, 840], ['hamina', 4, 780, 1080]] },
] as const;

/** Partner organisations, each with one demo account and two advisors (no branches: claims place them). */
const PARTNERS = [
  {
    key: 'vero',
    name: { fi: 'Verohallinto', sv: 'Skatteförvaltningen', en: 'Finnish Tax Administration' },
    kind: 'agency',
    advisors: [
      { name: 'Veroneuvoja Riikka', topics: ['taxes', 'suomi-fi'], languages: ['fi', 'sv'] },
      { name: 'Veroneuvoja Antti', topics: ['taxes'], languages: ['fi', 'en'] },
    ],
  },
  {
    key: 'seniorsurf',
    name: { fi: 'SeniorSurf (Vanhustyön keskusliitto)', sv: 'SeniorSurf (Vanhustyön keskusliitto)', en: 'SeniorSurf (Vanhustyön keskusliitto)' },
    kind: 'association',
    advisors: [
      { name: 'Opastaja Pirkko', topics: ['smartphone-tablet', 'video-calls'], languages: ['fi'] },
      { name: 'Opastaja Kalevi', topics: ['email', 'security-scams'], languages: ['fi', 'sv'] },
    ],
  },
] as const;

/**
 * A small, real-sounding Kymenlaakso catalogue for `npm start` on an empty database: three
 * branches, five tutors with rules from today, two partner organisations with two advisors each,
 * and demo staff, tutor and partner accounts (never an admin). Returns the accounts with their generated passwords, or [] if data exists already.
 */
export async function seedDemoData(db: DataSource, now: Date, hashPassword: (p: string) => Promise<string>): Promise<DemoAccount[]> {
  return db.transaction(async (tx) => {
    const [{ n }] = await tx.query(`SELECT count(*)::int AS n FROM locations`);
    if (n > 0) return [];
    const today = formatIsoDate(localDayOf(ZONE, now.getTime()));
    const branchIds = new Map<string, string>();
    for (const b of BRANCHES) {
      const [{ id }] = await tx.query(
        `INSERT INTO locations (slug, name, municipality_code, address, timezone, accessibility, min_notice_minutes, max_days_ahead)
         VALUES ($1, $2, $3, $4, $5, $6, 60, 60) RETURNING id`,
        [
          b.slug,
          JSON.stringify(b.name),
          b.municipality,
          JSON.stringify({ street: b.street, postalCode: b.postalCode, city: b.city }),
          ZONE,
          JSON.stringify({ fi: 'Esteetön sisäänkäynti, induktiosilmukka.', sv: 'Tillgänglig entré, induktionsslinga.', en: 'Step-free entrance, induction loop.' }),
        ],
      );
      branchIds.set(b.key, id);
      const [{ id: periodId }] = await tx.query(`INSERT INTO location_hour_periods (location_id, position) VALUES ($1, 0) RETURNING id`, [id]);
      for (const [weekday, intervals] of Object.entries(WEEKDAY_HOURS)) {
        for (const [start, end] of intervals) {
          await tx.query(`INSERT INTO location_hour_intervals (period_id, weekday, start_minute, end_minute) VALUES ($1, $2, $3, $4)`, [periodId, Number(weekday), start, end]);
        }
      }
    }
    const tutorIds: string[] = [];
    for (const t of TUTORS) {
      const [{ id }] = await tx.query(`INSERT INTO tutors (display_name, kind, languages) VALUES ($1, $2, $3) RETURNING id`, [t.name, t.kind, t.languages]);
      tutorIds.push(id);
      for (const key of t.branches) await tx.query(`INSERT INTO tutor_locations (tutor_id, location_id) VALUES ($1, $2)`, [id, branchIds.get(key)]);
      await tx.query(`INSERT INTO tutor_topics (tutor_id, topic_id) SELECT $1, id FROM topics WHERE slug = ANY($2::text[])`, [id, t.topics]);
      for (const [key, weekday, start, end] of t.rules) {
        await tx.query(
          `INSERT INTO availability_rules (tutor_id, location_id, weekday, start_minute, end_minute, session_minutes, buffer_minutes, valid_from)
           VALUES ($1, $2, $3, $4, $5, 45, 15, $6)`,
          [id, branchIds.get(key), weekday, start, end, today],
        );
      }
    }
    const partnerIds = new Map<string, string>();
    for (const p of PARTNERS) {
      const [{ id }] = await tx.query(`INSERT INTO partners (name_fi, name_sv, name_en, kind) VALUES ($1, $2, $3, $4) RETURNING id`, [p.name.fi, p.name.sv, p.name.en, p.kind]);
      partnerIds.set(p.key, id);
      for (const a of p.advisors) {
        const [{ id: advisorId }] = await tx.query(`INSERT INTO tutors (display_name, kind, partner_id, languages) VALUES ($1, 'advisor', $2, $3) RETURNING id`, [a.name, id, a.languages]);
        await tx.query(`INSERT INTO tutor_topics (tutor_id, topic_id) SELECT $1, id FROM topics WHERE slug = ANY($2::text[])`, [advisorId, a.topics]);
      }
    }
    const accounts: (DemoAccount & { locationIds: string[]; tutorId: string | null; partnerId: string | null })[] = [
      ...BRANCHES.map((b) => ({ email: `${b.key}.staff@demo.tukiaika.fi`, role: 'staff' as const, what: `staff of ${b.name.fi}`, locationIds: [branchIds.get(b.key)!], tutorId: null, partnerId: null })),
      { email: 'matti.tutor@demo.tukiaika.fi', role: 'tutor' as const, what: 'tutor Matti V.', locationIds: [], tutorId: tutorIds[0], partnerId: null },
      ...PARTNERS.map((p) => ({ email: `${p.key}.partner@demo.tukiaika.fi`, role: 'partner' as const, what: `partner user of ${p.name.fi}`, locationIds: [], tutorId: null, partnerId: partnerIds.get(p.key)! })),
    ].map((a) => ({ ...a, password: `demo-${randomBytes(6).toString('base64url')}` }));
    for (const a of accounts) {
      await tx.query(`INSERT INTO users (email, password_hash, role, location_ids, tutor_id, partner_id) VALUES ($1, $2, $3, $4, $5, $6)`, [
        a.email,
        await hashPassword(a.password),
        a.role,
        a.locationIds,
        a.tutorId,
        a.partnerId,
      ]);
    }
    return accounts.map(({ email, password, role, what }) => ({ email, password, role, what }));
  });
}
