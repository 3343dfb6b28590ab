import { slugify } from '../../src/modules/locations/slugify';
import { Random } from './random';

/**
 * The national dataset as plain data: branches in municipalities, tutors with their branches,
 * topics, languages and weekly rules. A pure function of the seed, the sizes and the catalogue
 * (municipalities and topics as the database has them), so every run plans the same rows.
 */

export const NATIONAL_SLUG_PREFIX = 'nat-';
/** National tutors are recognised by their e-mail address: `nat-tutor-000001@digituki.invalid`. */
export const NATIONAL_TUTOR_EMAIL_DOMAIN = 'digituki.invalid';
export const NATIONAL_TUTOR_EMAIL_LIKE = `nat-tutor-%@${NATIONAL_TUTOR_EMAIL_DOMAIN}`;

export function nationalTutorEmail(index: number): string {
  return `nat-tutor-${String(index + 1).padStart(6, '0')}@${NATIONAL_TUTOR_EMAIL_DOMAIN}`;
}

export interface Municipality {
  code: string;
  fi: string;
  sv: string;
}

/** Minutes after local midnight, `[start, end)`. */
export type Hours = [number, number];

export interface PlannedLocation {
  slug: string;
  name: { fi: string; sv: string; en: string };
  municipality: string;
  address: { street: string; postalCode: string; city: string };
  policy: { minNoticeMinutes: number; maxDaysAhead: number; cancelUntilMinutesBefore: number; maxActiveBookingsPerContact: number };
  /** Weekday (1 = Monday) → opening intervals; absent = closed. */
  hours: Partial<Record<number, Hours[]>>;
  /** Relative size: bigger branches get more tutors. */
  size: number;
}

export interface PlannedRule {
  /** Index into the plan's locations. */
  location: number;
  weekday: number;
  startMinute: number;
  endMinute: number;
  sessionMinutes: number;
  bufferMinutes: number;
}

export interface PlannedTutor {
  email: string;
  displayName: string;
  kind: 'staff' | 'volunteer';
  phone: string | null;
  languages: string[];
  topics: string[];
  /** Indexes into the plan's locations. */
  locations: number[];
  rules: PlannedRule[];
  /** Days after today the absence starts, and its length in days. */
  absence: { startDay: number; days: number } | null;
}

export interface NationalPlan {
  locations: PlannedLocation[];
  tutors: PlannedTutor[];
}

export interface PlanSizes {
  branches: number;
  tutors: number;
}

/** Rough populations (thousands) of the bigger towns: they get several branches. */
const BIG: Record<string, number> = {
  '091': 675, '049': 320, '837': 255, '092': 250, '564': 215, '853': 200, '179': 148, '297': 125, '398': 121,
  '609': 83, '286': 80, '167': 78, '405': 73, '109': 68, '905': 68, '743': 65, '698': 65, '491': 52, '285': 51,
  '734': 51, '638': 51, '272': 48, '106': 47, '444': 46, '186': 46, '543': 44, '257': 41, '858': 40, '684': 38,
  '245': 38, '205': 36, '211': 33, '740': 31, '753': 23, '710': 27,
};
/** Åland: Swedish-speaking. */
const ALAND = new Set(['035', '043', '060', '062', '065', '076', '170', '295', '318', '417', '438', '478', '736', '766', '771', '941']);

const DISTRICTS = ['Keskusta', 'Itäkeskus', 'Länsi', 'Pohjoinen', 'Etelä', 'Asema', 'Ranta', 'Kirkonkylä', 'Koulukatu', 'Puisto', 'Mäki', 'Kallio', 'Niitty', 'Satama', 'Kangas', 'Harju', 'Lehto', 'Kumpu'];
const STREETS = ['Kirjastokatu', 'Koulukatu', 'Kauppakatu', 'Rantatie', 'Asemakatu', 'Puistokatu', 'Torikatu', 'Kirkkotie', 'Myllytie', 'Rautatienkatu', 'Keskuskatu', 'Sivistystie'];
const FIRST_NAMES = [
  'Aino', 'Eino', 'Helmi', 'Väinö', 'Liisa', 'Matti', 'Anna', 'Juha', 'Maria', 'Pekka', 'Sari', 'Mikko', 'Tuula', 'Timo', 'Riitta',
  'Jari', 'Päivi', 'Kari', 'Minna', 'Antti', 'Sanna', 'Jukka', 'Leena', 'Heikki', 'Johanna', 'Ville', 'Elina', 'Tapio', 'Kaisa', 'Olli',
  'Sven', 'Karin', 'Erik', 'Linnea', 'Olga', 'Amina', 'Hassan', 'Irina', 'Mariam', 'Ahmed', 'Katja', 'Nina', 'Emil', 'Venla', 'Lauri',
];
const INITIALS = 'ABEHJKLMNOPRSTVY';
/** Topic popularity: the everyday needs come up most. */
const TOPIC_WEIGHT: Record<string, number> = {
  'smartphone-tablet': 10, 'online-banking': 8, 'suomi-fi': 7, 'omakanta': 7, 'email': 6, 'computer-basics': 6, 'kela': 5,
  'security-scams': 5, 'video-calls': 4, 'taxes': 4, 'library-e-services': 3, 'digital-photos': 3, 'public-transport-apps': 3,
  'online-shopping': 2, 'social-media': 2,
};
/** Second and third languages of tutors, by how often they are offered. */
const EXTRA_LANGUAGES: [string, number][] = [['en', 35], ['sv', 10], ['ru', 6], ['et', 4], ['ar', 4], ['so', 2], ['uk', 4], ['fa', 2], ['de', 2]];
const SESSIONS: [session: number, buffer: number, weight: number][] = [[45, 15, 55], [60, 0, 20], [30, 15, 10], [50, 10, 10], [90, 30, 5]];

const h = (hours: number) => hours * 60;

export function planNational(seed: string | number, sizes: PlanSizes, municipalities: readonly Municipality[], topics: readonly string[]): NationalPlan {
  if (municipalities.length === 0) throw new Error('No municipalities: run the migrations first.');
  if (topics.length < 2) throw new Error('At least two active topics are needed.');
  const locations = planLocations(new Random(`${seed}:locations:${sizes.branches}`), sizes.branches, municipalities);
  const tutors = planTutors(new Random(`${seed}:tutors:${sizes.branches}:${sizes.tutors}`), sizes.tutors, locations, municipalities, topics);
  return { locations, tutors };
}

function weightOf(rnd: Random, code: string): number {
  return BIG[code] ?? rnd.int(2, 20);
}

/** How many branches each municipality gets: one each (as far as they go), the rest by size. */
function allocate(rnd: Random, count: number, municipalities: readonly Municipality[]): Map<string, number> {
  const weights = new Map(municipalities.map((m) => [m.code, weightOf(rnd, m.code)]));
  const out = new Map<string, number>();
  if (count <= municipalities.length) {
    for (const m of rnd.sample(municipalities, count, (x) => weights.get(x.code)!)) out.set(m.code, 1);
    return out;
  }
  for (const m of municipalities) out.set(m.code, 1);
  const extra = count - municipalities.length;
  const total = [...weights.values()].reduce((a, b) => a + b, 0);
  // Largest remainder: floors first, then the biggest fractions.
  const shares = municipalities.map((m) => ({ code: m.code, exact: (extra * weights.get(m.code)!) / total }));
  let given = 0;
  for (const s of shares) {
    const whole = Math.floor(s.exact);
    out.set(s.code, out.get(s.code)! + whole);
    given += whole;
  }
  const byFraction = shares.slice().sort((a, b) => b.exact - Math.floor(b.exact) - (a.exact - Math.floor(a.exact)) || (a.code < b.code ? -1 : 1));
  for (let i = 0; given < extra; i++, given++) out.set(byFraction[i % byFraction.length].code, out.get(byFraction[i % byFraction.length].code)! + 1);
  return out;
}

function planLocations(rnd: Random, count: number, municipalities: readonly Municipality[]): PlannedLocation[] {
  const perMunicipality = allocate(rnd, count, municipalities);
  const out: PlannedLocation[] = [];
  for (const m of municipalities) {
    const n = perMunicipality.get(m.code) ?? 0;
    const big = (BIG[m.code] ?? 0) >= 60;
    const base = slugify(m.fi, 60);
    for (let i = 1; i <= n; i++) {
      const main = i === 1;
      const district = DISTRICTS[(i - 2) % DISTRICTS.length] + (i - 2 >= DISTRICTS.length ? ` ${Math.floor((i - 2) / DISTRICTS.length) + 1}` : '');
      const name = main
        ? { fi: `${m.fi} – pääkirjasto`, sv: `${m.sv} – huvudbibliotek`, en: `${m.fi} Main Library` }
        : { fi: `${m.fi} – ${district} kirjasto`, sv: `${m.sv} – ${district} bibliotek`, en: `${m.fi} ${district} Library` };
      out.push({
        slug: `${NATIONAL_SLUG_PREFIX}${base}-${i}`,
        name,
        municipality: m.code,
        address: { street: `${rnd.pick(STREETS)} ${rnd.int(1, 40)}`, postalCode: String(rnd.int(100, 999)).padStart(3, '0') + rnd.pick(['00', '10', '20', '30', '40']), city: m.fi },
        policy: {
          minNoticeMinutes: rnd.pick([60, 120, 120, 120, 240]),
          maxDaysAhead: rnd.pick([60, 60, 60, 90, 120]),
          cancelUntilMinutesBefore: rnd.pick([60, 60, 120, 1440]),
          maxActiveBookingsPerContact: rnd.pick([2, 2, 3]),
        },
        hours: hoursFor(rnd, main, big, BIG[m.code] === undefined),
        size: main ? (big ? 4 : 2) : 1.5,
      });
    }
  }
  return out;
}

/** Weekly hours: a few common patterns with some variation. */
function hoursFor(rnd: Random, main: boolean, big: boolean, small: boolean): Partial<Record<number, Hours[]>> {
  if (main && big) {
    const open = rnd.pick([8, 9]);
    return {
      1: [[h(open), h(20)]], 2: [[h(open), h(20)]], 3: [[h(open), h(20)]], 4: [[h(open), h(20)]], 5: [[h(open), h(18)]], 6: [[h(10), h(16)]],
      ...(rnd.chance(0.6) ? { 7: [[h(12), h(16)]] as Hours[] } : {}),
    };
  }
  if (small && main && rnd.chance(0.5)) {
    // A small library: long and short days in turn; sometimes closed over lunch.
    const lunch = rnd.chance(0.3);
    const short: Hours[] = lunch ? [[h(10), h(13)], [h(14), h(17)]] : [[h(10), h(16)]];
    return { 1: [[h(12), h(19)]], 2: short, 3: [[h(12), h(19)]], 4: short, 5: [[h(10), h(15)]] };
  }
  if (!main) {
    const late = rnd.pick([18, 19, 20]);
    const start = rnd.pick([10, 12]);
    return {
      1: [[h(start), h(late)]], 2: [[h(start), h(late)]], 3: [[h(start), h(late)]], 4: [[h(start), h(late)]], 5: [[h(10), h(rnd.pick([15, 16]))]],
      ...(rnd.chance(0.3) ? { 6: [[h(10), h(14)]] as Hours[] } : {}),
    };
  }
  return {
    1: [[h(10), h(19)]], 2: [[h(10), h(19)]], 3: [[h(10), h(19)]], 4: [[h(10), h(19)]], 5: [[h(10), h(rnd.pick([16, 17]))]],
    ...(rnd.chance(0.75) ? { 6: [[h(10), h(15)]] as Hours[] } : {}),
  };
}

function planTutors(rnd: Random, count: number, locations: PlannedLocation[], municipalities: readonly Municipality[], topics: readonly string[]): PlannedTutor[] {
  if (locations.length === 0) return [];
  const byMunicipality = new Map<string, number[]>();
  locations.forEach((l, i) => byMunicipality.set(l.municipality, [...(byMunicipality.get(l.municipality) ?? []), i]));
  const bilingual = new Set(municipalities.filter((m) => m.sv !== m.fi).map((m) => m.code));
  const firstBranches = rnd.shuffle(locations.map((_, i) => i));
  const indexes = locations.map((_, i) => i);
  const out: PlannedTutor[] = [];
  for (let t = 0; t < count; t++) {
    // Every branch gets a tutor first; then bigger branches get more.
    const first = t < firstBranches.length ? firstBranches[t] : rnd.weighted(indexes, (i) => locations[i].size);
    const wanted = rnd.weighted([1, 2, 3], (n) => [50, 35, 15][n - 1]);
    const mine = [first];
    for (let tries = 0; mine.length < wanted && tries < 20; tries++) {
      const nearby = (byMunicipality.get(locations[first].municipality) ?? []).filter((i) => !mine.includes(i));
      const next = nearby.length && rnd.chance(0.75) ? rnd.pick(nearby) : rnd.pick(indexes);
      if (!mine.includes(next)) mine.push(next);
    }
    const municipality = locations[first].municipality;
    const languages = [ALAND.has(municipality) ? 'sv' : rnd.chance(0.97) ? 'fi' : 'sv'];
    if (bilingual.has(municipality) && !languages.includes('sv') && rnd.chance(0.2)) languages.push('sv');
    if (ALAND.has(municipality) && rnd.chance(0.5)) languages.push('fi');
    const extras = rnd.weighted([0, 1, 2], (n) => [45, 45, 10][n]);
    for (let i = 0; i < extras && languages.length < 3; i++) {
      const lang = rnd.weighted(EXTRA_LANGUAGES, ([, w]) => w)[0];
      if (!languages.includes(lang)) languages.push(lang);
    }
    const tutorTopics = rnd.sample(topics, rnd.int(2, Math.min(5, topics.length)), (slug) => TOPIC_WEIGHT[slug] ?? 2);
    const order = new Map(topics.map((slug, i) => [slug, i]));
    tutorTopics.sort((a, b) => order.get(a)! - order.get(b)!);
    out.push({
      email: nationalTutorEmail(t),
      displayName: `${rnd.pick(FIRST_NAMES)} ${rnd.pick([...INITIALS])}.`,
      kind: rnd.chance(0.4) ? 'staff' : 'volunteer',
      phone: rnd.chance(0.5) ? `+35850${String(rnd.int(0, 9_999_999)).padStart(7, '0')}` : null,
      languages,
      topics: tutorTopics,
      locations: mine,
      rules: planRules(rnd, mine, locations),
      absence: rnd.chance(0.03) ? { startDay: rnd.int(1, 40), days: rnd.int(3, 10) } : null,
    });
  }
  return out;
}

/**
 * Four weekly rules on four different weekdays, each at one of the tutor's branches that is open
 * that day and inside its hours: a tutor's rules never overlap, so the database accepts them.
 */
function planRules(rnd: Random, mine: number[], locations: PlannedLocation[]): PlannedRule[] {
  const openDays = [1, 2, 3, 4, 5, 6, 7].filter((d) => mine.some((i) => locations[i].hours[d]?.length));
  const days = rnd.sample(openDays, 4, (d) => (d <= 5 ? 3 : d === 6 ? 1 : 0.5)).sort((a, b) => a - b);
  const used = new Map<number, number>(mine.map((i) => [i, 0]));
  const rules: PlannedRule[] = [];
  for (const weekday of days) {
    const open = mine.filter((i) => locations[i].hours[weekday]?.length);
    // The branch with the fewest rules so far, so each membership tends to get some.
    const fewest = Math.min(...open.map((i) => used.get(i)!));
    const location = rnd.pick(open.filter((i) => used.get(i) === fewest));
    used.set(location, used.get(location)! + 1);
    const [os, oe] = locations[location].hours[weekday]!.reduce((a, b) => (b[1] - b[0] > a[1] - a[0] ? b : a));
    const [session, buffer] = rnd.weighted(SESSIONS, ([, , w]) => w);
    const length = Math.max(session, Math.min(rnd.weighted([120, 180, 240], (l) => ({ 120: 4, 180: 3, 240: 2 })[l]!), oe - os));
    const startMinute = os + 30 * rnd.int(0, Math.floor((oe - os - length) / 30));
    rules.push({ location, weekday, startMinute, endMinute: startMinute + length, sessionMinutes: session, bufferMinutes: buffer });
  }
  return rules;
}
