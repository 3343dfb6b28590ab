import { DataSource } from 'typeorm';
import { SystemClock } from '../../src/common/time/clock';
import { formatIsoDate, localDayOf } from '../../src/common/time/local-time';
import { slotServices } from '../../scripts/seed/national-seed';
import type { Random } from '../../scripts/seed/random';

const ZONE = 'Europe/Helsinki';

/** A query of the slot benchmark and its targets, checked on the median over the runs. */
export interface SlotQuery {
  key: 'a' | 'b' | 'c' | 'd' | 'e';
  title: string;
  /** p95 latency target, ms. */
  p95Target: number;
  /** The app thread's event-loop ms per request, target (none for (d): it serves the growth ratio). */
  cpuTarget?: number;
  /** `count` request paths, drawn afresh for each run. */
  paths(count: number): string[];
}

/** Cost-growth target: p95 of (a) on 3,000 tutors ÷ p95 of (d), the same query on 300. */
export const GROWTH_RATIO_TARGET = 3;

/** Queries (a)–(c) and (e) on the national world. */
export async function nationalQueries(ds: DataSource, rnd: Random, now: Date): Promise<SlotQuery[]> {
  const pairs = await openMunicipalityTopicPairs(ds);
  const branches: { id: string }[] = await ds.query(`SELECT id FROM locations WHERE active AND slug LIKE 'nat-%' ORDER BY slug`);
  const today = localDayOf(ZONE, now.getTime());
  const window = `from=${formatIsoDate(today)}&to=${formatIsoDate(today + 61)}`;
  return [
    { key: 'a', title: '(a) municipality + topic, 14 days', p95Target: 25, cpuTarget: 0.7, paths: (n) => municipalityTopicPaths(pairs, rnd, n) },
    { key: 'b', title: '(b) whole country, first 50, 14 days', p95Target: 50, cpuTarget: 1.5, paths: (n) => Array.from({ length: n }, () => '/api/v1/slots?limit=50') },
    { key: 'c', title: '(c) one branch, 62 days', p95Target: 15, cpuTarget: 0.7, paths: (n) => Array.from({ length: n }, () => `/api/v1/slots?locationId=${rnd.pick(branches).id}&${window}`) },
    { key: 'e', title: "(e) whole country, partners' advisory sessions, first 50", p95Target: 50, paths: (n) => Array.from({ length: n }, () => '/api/v1/slots?kind=advisory&limit=50') },
  ];
}

/** Query (d) on the 300-tutor world: (a) again, for the cost-growth ratio. */
export async function smallWorldQuery(ds: DataSource, rnd: Random): Promise<SlotQuery> {
  const pairs = await openMunicipalityTopicPairs(ds);
  return { key: 'd', title: '(d) = (a) on 300 tutors', p95Target: 25, paths: (n) => municipalityTopicPaths(pairs, rnd, n) };
}

interface Pair {
  code: string;
  slug: string;
  tutors: number;
}

/**
 * Realistic (municipality, topic) pairs: those some tutor offers AND that have a free slot in
 * the next 14 days (checked once with a separate slot search, so the app's own caches stay
 * cold), weighted by how many tutors offer them (a proxy for how many residents live there and
 * ask for it).
 */
async function openMunicipalityTopicPairs(ds: DataSource): Promise<Pair[]> {
  const pairs: Pair[] = await ds.query(
    `SELECT l.municipality_code AS code, tp.slug, count(DISTINCT t.id)::int AS tutors
       FROM tutors t JOIN tutor_locations tl ON tl.tutor_id = t.id JOIN locations l ON l.id = tl.location_id
       JOIN tutor_topics tt ON tt.tutor_id = t.id JOIN topics tp ON tp.id = tt.topic_id
      WHERE t.active AND l.active AND tp.active AND l.slug LIKE 'nat-%'
        AND EXISTS (SELECT 1 FROM availability_rules r WHERE r.tutor_id = t.id AND r.location_id = l.id)
      GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  const { slots } = slotServices(ds, new SystemClock());
  const open: Pair[] = [];
  for (const p of pairs) if ((await slots.search({ municipality: p.code, topic: p.slug })).items.length > 0) open.push(p);
  console.log(`  ${open.length} of ${pairs.length} offered municipality + topic pairs have a free slot in 14 days; requests draw from those`);
  return open;
}

function municipalityTopicPaths(pairs: Pair[], rnd: Random, count: number): string[] {
  return Array.from({ length: count }, () => {
    const p = rnd.weighted(pairs, (x) => x.tutors);
    return `/api/v1/slots?municipality=${p.code}&topic=${p.slug}`;
  });
}
