import { Logger } from '@nestjs/common';
import fc from 'fast-check';
import { FixedClock } from '../../common/time/clock';
import type { LocationsService } from '../locations/locations.service';
import type { TopicsService } from '../topics/topics.service';
import type { SlotQueryDto, SlotView } from './dto/slot.dto';
import { computeSlots } from './engine';
import { rangeIn, searchRange } from './search-range';
import { SearchSnapshot, SearchSnapshots, slotView } from './search-snapshot';
import { compareSlots, MAX_SESSION_MS } from './slot-common';
import type { BusyTuple, TakenSpans, ClaimTuple, LocationTuple, RuleTuple, SearchInputs, SlotSearchRepository } from './slot-search.repository';
import { SlotsService } from './slots.service';

/*
 * The search stops as soon as it has a page: it looks at time windows sized for what the page
 * needs, earliest first. Whatever the windows, a page of N must be exactly the first N slots of
 * the whole range, and pages joined by their cursors must be the whole list. Checked on random
 * schedules and bookings over Easter 2027 in Helsinki: Good Friday (26.3.) and Easter Monday
 * (29.3.) are closed, and the clocks go forward on Easter Sunday (28.3., 03:00 → 04:00), a
 * holiday too, on which one branch opens by exception. Partners' approved claims give advisory
 * slots beside the weekly rules' tutoring ones; the `kind` filter picks one or the other, and the
 * branch, topic and language filters keep the slots whose tutor or claim matches.
 */

const NOW = Date.parse('2027-03-23T06:00:00Z');
const FROM = '2027-03-24';
const TO = '2027-04-01';
const ZONES = ['Europe/Helsinki', 'Europe/Helsinki', 'Europe/Stockholm'];
const LOCATIONS = ['10000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000003'];
const TUTORS = ['20000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-000000000003', '20000000-0000-4000-8000-000000000004'];
const ADVISORS = ['20000000-0000-4000-8000-0000000000a1', '20000000-0000-4000-8000-0000000000a2'];
const PARTNER = '40000000-0000-4000-8000-000000000001';
const VERSION = '7';

interface World {
  /** Per branch: weekly opening intervals [weekday, startMinute, endMinute]. */
  hours: [number, number, number][][];
  rules: RuleTuple[];
  claims: ClaimTuple[];
  bookings: BusyTuple[];
  absences: BusyTuple[];
  /** Per branch: [minNoticeMinutes, maxDaysAhead]; [0 (120 for the third), 60] when absent. */
  policies?: [number, number][];
}

function inputs(w: World): SearchInputs {
  const locations: LocationTuple[] = LOCATIONS.map((id, i) => [
    id,
    '091',
    ZONES[i],
    w.policies?.[i][0] ?? (i === 2 ? 120 : 0),
    w.policies?.[i][1] ?? 60,
    [[null, null, w.hours[i]]],
    // The first branch opens on Easter Sunday by exception, so the night of the change has sessions.
    i === 0 ? [['2027-03-28', [['00:00', '24:00']], null]] : [],
    [],
    [`branch-${i}`, { fi: `B${i}`, sv: `B${i}`, en: `B${i}` }, { street: 'Katu 1', postalCode: '00100', city: 'Helsinki' }, 60, 3, false],
  ]);
  return {
    version: VERSION,
    tutors: [
      ...TUTORS.map((id, i): [string, string, string, string[], string[]] => [
        id,
        `Tutor ${i}`,
        i === 3 ? 'volunteer' : 'staff',
        i === 1 ? ['fi', 'sv'] : ['fi'],
        i % 2 === 0 ? ['online-banking'] : ['online-banking', 'email'],
      ]),
      ...ADVISORS.map((id, i): [string, string, string, string[], string[]] => [id, `Advisor ${i}`, 'advisor', ['fi'], ['taxes']]),
    ],
    locations,
    rules: w.rules,
    topics: [
      ['30000000-0000-4000-8000-000000000001', 'online-banking'],
      ['30000000-0000-4000-8000-000000000002', 'taxes'],
      ['30000000-0000-4000-8000-000000000003', 'email'],
    ],
    claims: w.claims,
    partners: [[PARTNER, { fi: 'Verohallinto', sv: 'Skatteförvaltningen', en: 'Tax Administration' }]],
  };
}

/** The repository's two reads, from memory: what SlotsService asks of the database. */
function fakeRepository(w: World): SlotSearchRepository {
  const overlapping = (list: BusyTuple[], ids: string[], from: number, to: number) => list.filter(([t, s, e]) => ids.includes(t) && s < to && e > from);
  const repo = {
    inputs: async (): Promise<SearchInputs> => inputs(w),
    busy: async (ids: string[], from: number, to: number): Promise<TakenSpans> => ({
      version: VERSION,
      spans: ids.map((id) => {
        const spans = [...overlapping(w.bookings, [id], from, to), ...overlapping(w.absences, [id], from, to)].flatMap(([, s, e]) => (s < e ? [s, e] : []));
        return spans.length > 0 ? spans : undefined;
      }),
    }),
  };
  return repo as unknown as SlotSearchRepository;
}

function service(w: World, clock = new FixedClock(new Date(NOW))): SlotsService {
  const repo = fakeRepository(w);
  // Locations and topics are asked only to explain an empty answer for an unknown filter.
  const locations = { summaries: async (ids: string[]) => new Map(ids.filter((id) => LOCATIONS.includes(id)).map((id) => [id, {}])) };
  const topics = { findBySlugs: async (slugs: string[]) => new Map(slugs.map((slug) => [slug, {}])) };
  return new SlotsService(clock, locations as unknown as LocationsService, topics as unknown as TopicsService, repo, new SearchSnapshots(repo));
}

/** Every free slot of the range at `now`, straight from the engine over the whole range at once. */
function wholeRange(w: World, from: string, to: string, kind?: 'tutoring' | 'advisory', now = NOW): SlotView[] {
  const snapshot = new SearchSnapshot(inputs(w));
  const range = searchRange(from, to, now);
  const all = [];
  for (const location of snapshot.locations.values()) {
    const { from: lo, to: hi } = rangeIn(range, location.timeZone);
    all.push(
      ...computeSlots({
        locationId: location.id,
        timeZone: location.timeZone,
        rules: kind === 'advisory' ? [] : location.rules.map((r) => r.engine),
        windows: kind === 'tutoring' ? [] : location.claims.flatMap((c) => c.windows),
        openings: snapshot.openings(location, lo, hi + MAX_SESSION_MS),
        bookings: w.bookings.map(([tutorId, start, end]) => ({ tutorId, start, end })),
        absences: w.absences.map(([tutorId, start, end]) => ({ tutorId, start, end })),
        policy: { minNoticeMinutes: location.minNoticeMinutes, maxDaysAhead: location.maxDaysAhead },
        now,
        from: lo,
        to: hi,
      }),
    );
  }
  return all.sort(compareSlots).map((s) => slotView(snapshot, s));
}

const quarter = (lo: number, hi: number) => fc.integer({ min: lo / 15, max: hi / 15 }).map((q) => q * 15);

/** Mostly around the night of the change (00:00–06:00) and the working day. */
const hoursArb = fc.array(
  fc.tuple(fc.integer({ min: 1, max: 7 }), fc.oneof(quarter(0, 360), quarter(420, 1080)), quarter(120, 1200)).map(([d, s, len]) => [d, s, Math.min(1440, s + len)] as [number, number, number]),
  { minLength: 3, maxLength: 10 },
);

const ruleArb: fc.Arbitrary<RuleTuple> = fc
  .record({
    tutor: fc.constantFrom(...TUTORS),
    location: fc.constantFrom(...LOCATIONS),
    weekday: fc.integer({ min: 1, max: 7 }),
    start: fc.oneof(quarter(0, 300), quarter(480, 1020)),
    length: quarter(30, 600),
    session: fc.constantFrom(30, 45, 60),
    buffer: fc.constantFrom(0, 15),
  })
  .map((r) => [r.tutor, r.location, r.weekday, r.start, Math.min(1440, r.start + r.length), r.session, r.buffer, '2027-01-01', null]);

/** An approved bookable claim of one advisor in the searched days (its claim id derived from its place in the list). */
const claimArb = fc
  .record({
    advisor: fc.constantFrom(...ADVISORS),
    location: fc.constantFrom(...LOCATIONS),
    quarter: fc.integer({ min: 0, max: 9 * 96 }),
    length: fc.integer({ min: 2, max: 24 }),
    session: fc.constantFrom(20, 30, 45),
    buffer: fc.constantFrom(0, 10),
  })
  .map((c) => {
    const start = Date.parse('2027-03-23T22:00:00Z') + c.quarter * 900_000;
    return { ...c, start, end: start + c.length * 900_000 };
  });

/** An advisor is in at most one approved claim at a time (the database refuses more). */
function claimsOf(list: { advisor: string; location: string; start: number; end: number; session: number; buffer: number }[]): ClaimTuple[] {
  const kept: typeof list = [];
  for (const c of list) if (!kept.some((k) => k.advisor === c.advisor && k.start < c.end && c.start < k.end)) kept.push(c);
  return kept
    .sort((a, b) => a.start - b.start)
    .map((c, i) => [
      `50000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      PARTNER,
      c.location,
      null,
      c.start,
      c.end,
      c.session,
      c.buffer,
      i % 3 === 0 ? ['fi'] : ['fi', 'sv'],
      i % 2 === 0 ? ['taxes'] : ['taxes', 'email'],
      [c.advisor],
    ]);
}

/** Bookings and absences in the searched days, on a 15-minute grid. */
const busyArb = (max: number) =>
  fc.array(
    fc
      .tuple(fc.constantFrom(...TUTORS, ...ADVISORS), fc.integer({ min: 0, max: 10 * 96 }), fc.integer({ min: 2, max: 12 }))
      .map(([t, q, len]): BusyTuple => [t, Date.parse('2027-03-23T22:00:00Z') + q * 900_000, Date.parse('2027-03-23T22:00:00Z') + (q + len) * 900_000]),
    { maxLength: max },
  );

/** A tutor's rules never overlap (the tutors module refuses that; the cursor relies on it): later ones that would are left out. */
function withoutOverlaps(rules: RuleTuple[]): RuleTuple[] {
  const kept: RuleTuple[] = [];
  for (const r of rules) {
    if (!kept.some((k) => k[0] === r[0] && k[2] === r[2] && k[3] < r[4] && r[3] < k[4])) kept.push(r);
  }
  return kept;
}

const worldArb: fc.Arbitrary<World> = fc.record({
  hours: fc.tuple(hoursArb, hoursArb, hoursArb),
  rules: fc.array(ruleArb, { minLength: 3, maxLength: 14 }).map(withoutOverlaps),
  claims: fc.array(claimArb, { maxLength: 5 }).map(claimsOf),
  bookings: busyArb(40),
  absences: busyArb(3),
});

const key = (v: SlotView) => `${v.start} ${v.locationId} ${v.tutorId}`;

describe('SlotsService: a page is the first N slots of the whole search', () => {
  beforeAll(() => Logger.overrideLogger(['error']));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose']));

  it('returns exactly the first N, across a holiday and a daylight-saving change', async () => {
    await fc.assert(
      fc.asyncProperty(worldArb, fc.integer({ min: 1, max: 20 }), async (world, n) => {
        const expected = wholeRange(world, FROM, TO);
        const slots = service(world);
        const page = await slots.search({ from: FROM, to: TO, limit: n } as SlotQueryDto);
        expect(page.items.map(key)).toEqual(expected.slice(0, n).map(key));
        expect(page.items).toEqual(expected.slice(0, n));
        expect(page.nextCursor !== null).toBe(expected.length > n);
        // Page after page by cursor gives the whole list, once.
        const joined = [...page.items];
        for (let cursor = page.nextCursor; cursor !== null; ) {
          const next = await slots.search({ from: FROM, to: TO, limit: n, cursor } as SlotQueryDto);
          joined.push(...next.items);
          cursor = next.nextCursor;
        }
        expect(joined.map(key)).toEqual(expected.map(key));
      }),
      { numRuns: 60 },
    );
  });

  it('returns exactly the first N of one kind with the kind filter, page after page', async () => {
    await fc.assert(
      fc.asyncProperty(worldArb, fc.integer({ min: 1, max: 20 }), fc.constantFrom('tutoring' as const, 'advisory' as const), async (world, n, kind) => {
        const expected = wholeRange(world, FROM, TO, kind);
        const slots = service(world);
        const joined: SlotView[] = [];
        let cursor: string | null | undefined;
        do {
          const page = await slots.search({ from: FROM, to: TO, limit: n, kind, ...(cursor ? { cursor } : {}) } as SlotQueryDto);
          expect(page.items.every((s) => s.kind === kind)).toBe(true);
          joined.push(...page.items);
          cursor = page.nextCursor;
        } while (cursor);
        expect(joined).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  });

  it('returns exactly the first N of those a branch, topic or language filter keeps, page after page', async () => {
    const filters: [Partial<SlotQueryDto>, (v: SlotView) => boolean][] = [
      [{ topic: 'email' }, (v) => v.topics.includes('email')],
      [{ topic: 'taxes' }, (v) => v.topics.includes('taxes')],
      [{ language: 'sv' }, (v) => v.languages.includes('sv')],
      [{ locationId: LOCATIONS[1] }, (v) => v.locationId === LOCATIONS[1]],
      [{ locationId: LOCATIONS[0], topic: 'email', language: 'sv' }, (v) => v.locationId === LOCATIONS[0] && v.topics.includes('email') && v.languages.includes('sv')],
    ];
    await fc.assert(
      fc.asyncProperty(worldArb, fc.integer({ min: 1, max: 20 }), fc.constantFrom(...filters), async (world, n, [filter, keeps]) => {
        const expected = wholeRange(world, FROM, TO).filter(keeps);
        // Other scopes of the same snapshot first: the filtered search reuses what they computed.
        const slots = service(world);
        await slots.search({ from: FROM, to: TO, limit: 5 } as SlotQueryDto);
        await slots.search({ from: FROM, to: TO, limit: 5, topic: 'online-banking' } as SlotQueryDto);
        const joined: SlotView[] = [];
        let cursor: string | null | undefined;
        do {
          const page = await slots.search({ from: FROM, to: TO, limit: n, ...filter, ...(cursor ? { cursor } : {}) } as SlotQueryDto);
          joined.push(...page.items);
          cursor = page.nextCursor;
        } while (cursor);
        expect(joined).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  it('gives the same first page without a range as the default 14 days from now', async () => {
    await fc.assert(
      fc.asyncProperty(worldArb, fc.integer({ min: 1, max: 60 }), async (world, n) => {
        const expected = wholeRange(world, '2027-03-23T06:00:00Z', '2027-04-06T06:00:00Z');
        const page = await service(world).search({ limit: n } as SlotQueryDto);
        expect(page.items).toEqual(expected.slice(0, n));
      }),
      { numRuns: 40 },
    );
  });

  it("keeps each branch's notice and booking horizon, exactly, as time passes on one service", async () => {
    // Candidates are computed once per snapshot and reused by later searches: each must still
    // apply its own now, and each branch its own policy.
    const policyArb = fc.tuple(fc.constantFrom(0, 30, 120, 1440), fc.constantFrom(0, 1, 2, 3, 5, 60));
    await fc.assert(
      fc.asyncProperty(
        worldArb,
        fc.tuple(policyArb, policyArb, policyArb),
        fc.array(fc.integer({ min: 0, max: 5 * 96 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 30 }),
        async (base, policies, quarters, n) => {
          const world: World = { ...base, policies };
          const clock = new FixedClock(new Date(NOW));
          const slots = service(world, clock);
          for (const q of [...quarters].sort((a, b) => a - b)) {
            const now = NOW + q * 900_000 + 7_000;
            clock.set(new Date(now));
            const page = await slots.search({ from: FROM, to: TO, limit: n } as SlotQueryDto);
            expect(page.items).toEqual(wholeRange(world, FROM, TO, undefined, now).slice(0, n));
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('has Good Friday closed and the Easter Sunday session after the change at +03:00 in its answers', async () => {
    const world: World = {
      hours: [[[5, 0, 1440], [1, 0, 1440], [3, 0, 1440]], [[5, 0, 1440]], [[5, 0, 1440]]],
      rules: [
        [TUTORS[0], LOCATIONS[0], 5, 600, 660, 45, 15, '2027-01-01', null],
        [TUTORS[0], LOCATIONS[0], 7, 120, 300, 45, 15, '2027-01-01', null],
        [TUTORS[0], LOCATIONS[0], 3, 600, 660, 45, 15, '2027-01-01', null],
      ],
      bookings: [],
      claims: [],
      absences: [],
    };
    // Wednesday 24.3., then Good Friday closed; Sunday 02:00+02:00, and the next session an hour later reads 04:00+03:00.
    const page = await service(world).search({ from: FROM, to: TO, limit: 2 } as SlotQueryDto);
    expect(page.items.map((s) => s.start)).toEqual(['2027-03-24T10:00:00+02:00', '2027-03-28T02:00:00+02:00']);
    const all = await service(world).search({ from: FROM, to: TO } as SlotQueryDto);
    expect(all.items.map((s) => s.start)).toEqual(['2027-03-24T10:00:00+02:00', '2027-03-28T02:00:00+02:00', '2027-03-28T04:00:00+03:00', '2027-03-31T10:00:00+03:00']);
  });

  it('explains an empty answer from the inputs it checked: a known branch and topic need no more reads, unknown ones get 422', async () => {
    const world: World = { hours: [[], [], []], rules: [], claims: [], bookings: [], absences: [] };
    const repo = fakeRepository(world);
    const locations = { summaries: jest.fn(async () => new Map()) };
    const topics = { findBySlugs: jest.fn(async () => new Map()) };
    const slots = new SlotsService(new FixedClock(new Date(NOW)), locations as unknown as LocationsService, topics as unknown as TopicsService, repo, new SearchSnapshots(repo));
    expect((await slots.search({ locationId: LOCATIONS[1], topic: 'taxes' } as SlotQueryDto)).items).toEqual([]);
    expect(locations.summaries).not.toHaveBeenCalled();
    expect(topics.findBySlugs).not.toHaveBeenCalled();
    await expect(slots.search({ locationId: '10000000-0000-4000-8000-0000000000ff' } as SlotQueryDto)).rejects.toMatchObject({ code: 'validation-failed', errors: [{ field: 'locationId', code: 'unknown-location' }] });
    await expect(slots.search({ topic: 'knitting' } as SlotQueryDto)).rejects.toMatchObject({ code: 'validation-failed', errors: [{ field: 'topic', code: 'unknown-topic' }] });
    expect(locations.summaries).toHaveBeenCalledTimes(1);
    expect(topics.findBySlugs).toHaveBeenCalledTimes(1);
  });
});
