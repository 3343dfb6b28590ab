import { DataSource } from 'typeorm';
import { SystemClock } from '../../src/common/time/clock';
import { slotServices } from '../../scripts/seed/national-seed';
import type { Random } from '../../scripts/seed/random';

/** A branch and a topic taught there with a free time in the next 14 days. */
export interface BranchTopic {
  id: string;
  municipality: string;
  topic: string;
}

/** A page measured against the slot query behind it, with the same branch and topic in each request pair. */
export interface PagePair {
  key: 'times' | 'branch';
  title: string;
  /** 200 pages that do not contain this are counted as empty (a MISS). */
  marker: string;
  /** `count` page paths and the `count` API paths for the same branches and topics. */
  paths(count: number): { page: string[]; api: string[] };
}

/** Target: p95 of the page ≤ this many times the p95 of its slot query, measured in the same run. */
export const PAGE_RATIO_TARGET = 1.5;

/** The GET /api/v1/slots query the time-picking page makes: one branch, one topic, tutoring, from now for 14 days. */
export function slotQueryPath(b: BranchTopic): string {
  return `/api/v1/slots?locationId=${b.id}&topic=${b.topic}&kind=tutoring&limit=500`;
}

export function pagePairs(open: BranchTopic[], rnd: Random): PagePair[] {
  const draw = (count: number, page: (b: BranchTopic) => string) => {
    const picked = Array.from({ length: count }, () => rnd.pick(open));
    return { page: picked.map(page), api: picked.map(slotQueryPath) };
  };
  return [
    { key: 'times', title: 'time-picking page, 1 branch, 14 days', marker: 'href="/fi/details?', paths: (n) => draw(n, (b) => `/fi/times/${b.id}?topic=${b.topic}`) },
    { key: 'branch', title: 'branch page', marker: 'class="hours"', paths: (n) => draw(n, (b) => `/fi/library/${b.id}?topic=${b.topic}`) },
  ];
}

/**
 * Up to `wanted` (branch, topic) pairs of the national world that some tutor offers there AND that
 * have a free time in the next 14 days (checked with a separate slot search, so the app's own
 * caches stay cold), drawn at random from the offered ones.
 */
export async function openBranchTopics(ds: DataSource, rnd: Random, wanted = 200): Promise<BranchTopic[]> {
  const offered: BranchTopic[] = await ds.query(
    `SELECT DISTINCT l.id, l.municipality_code AS municipality, tp.slug AS topic
       FROM tutors t JOIN tutor_locations tl ON tl.tutor_id = t.id JOIN locations l ON l.id = tl.location_id
       JOIN tutor_topics tt ON tt.tutor_id = t.id JOIN topics tp ON tp.id = tt.topic_id
      WHERE t.active AND l.active AND tp.active AND l.slug LIKE 'nat-%'
        AND EXISTS (SELECT 1 FROM availability_rules r WHERE r.tutor_id = t.id AND r.location_id = l.id)
      ORDER BY 1, 3`,
  );
  const { slots } = slotServices(ds, new SystemClock());
  const open: BranchTopic[] = [];
  const candidates = offered.slice();
  while (open.length < wanted && candidates.length) {
    const [b] = candidates.splice(Math.floor(rnd.next() * candidates.length), 1);
    if ((await slots.search({ locationId: b.id, topic: b.topic, kind: 'tutoring' })).items.length > 0) open.push(b);
  }
  console.log(`  ${open.length} (branch, topic) pairs with a free time in 14 days drawn from ${offered.length} offered; requests draw from those`);
  return open;
}
