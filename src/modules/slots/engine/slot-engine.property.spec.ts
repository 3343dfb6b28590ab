import fc from 'fast-check';
import { DateTime } from 'luxon';
import { computeSlots } from './slot-engine';
import type { AvailabilityWindow, InstantRange, Slot, SlotQuery, TutorInstantRange, WeeklyAvailabilityRule } from './types';

/*
 * Property tests: the engine against a deliberately naive oracle written here from the rules in
 * slot-engine.ts, on random schedules around ordinary days and daylight-saving changes. The
 * oracle shares no code with the engine: calendar and zone arithmetic go through luxon, and
 * every condition is checked by brute force (candidate by candidate, minute by minute, linear
 * scans). All generated instants are whole minutes, so checking each minute is exact.
 */

const MIN = 60_000;
const SPAN_MIN = 5 * 1440; // schedules live within ~5 days after the base date

/** [zone, base date]; the DST ones repeat to weigh them more. */
const CASES: [string, string][] = [
  ['Europe/Helsinki', '2027-03-26'], // spring forward on Sunday 2027-03-28
  ['Europe/Helsinki', '2027-03-26'],
  ['Europe/Helsinki', '2027-10-29'], // fall back on Sunday 2027-10-31
  ['Europe/Helsinki', '2027-10-29'],
  ['Europe/Helsinki', '2027-01-04'],
  ['UTC', '2027-03-26'],
  ['America/New_York', '2027-11-05'], // fall back 2027-11-07 02:00 → 01:00
  ['America/Santiago', '2027-09-03'], // spring forward at midnight 2027-09-05
  ['Australia/Lord_Howe', '2027-04-02'], // half-hour fall back 2027-04-04
];

// ---------------------------------------------------------------- the oracle

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'utc' }).plus({ days }).toISODate() as string;
}

/** Wall time → instant: luxon, then look for an earlier instant showing the same wall time. */
function oracleWallTime(zone: string, date: string, time: string): number {
  if (time === '24:00') return oracleWallTime(zone, addDays(date, 1), '00:00');
  const text = `${date}T${time}`;
  const luxon = DateTime.fromISO(text, { zone }).toMillis(); // gap: moved forward; twice: the later
  const reads = (t: number) => DateTime.fromMillis(t, { zone }).toFormat("yyyy-MM-dd'T'HH:mm") === text;
  let first = luxon;
  if (reads(luxon)) {
    for (let back = 15; back <= 180; back += 15) if (reads(luxon - back * MIN)) first = luxon - back * MIN;
  }
  return first;
}

interface PlainSlot {
  start: number;
  end: number;
  tutorId: string;
  kind: string;
  claimId: string | null;
  partnerId: string | null;
  roomId: string | null;
}

const ms = (x: Date | number): number => (typeof x === 'number' ? x : x.getTime());
const covers = (ranges: readonly InstantRange[], t: number) => ranges.some((r) => ms(r.start) <= t && t < ms(r.end));

function freeAllTheWay(q: SlotQuery, tutorId: string, start: number, end: number): boolean {
  const busy = [...(q.absences ?? []), ...(q.bookings ?? [])].filter((r) => r.tutorId === tutorId);
  for (let t = start; t < end; t += MIN) {
    if (!covers(q.openings, t)) return false;
    if (covers(q.closures ?? [], t)) return false;
    if (covers(busy, t)) return false;
  }
  return true;
}

function oracle(q: SlotQuery): PlainSlot[] {
  const zone = q.timeZone;
  const now = ms(q.now);
  const from = ms(q.from);
  const to = ms(q.to);
  const lastDate = DateTime.fromMillis(now, { zone }).plus({ days: q.policy.maxDaysAhead }).toISODate() as string;
  const found = new Map<string, PlainSlot>();

  const tryCandidates = (
    tutorId: string,
    source: Pick<PlainSlot, 'kind' | 'claimId' | 'partnerId' | 'roomId'>,
    ws: number,
    we: number,
    session: number,
    buffer: number,
  ) => {
    for (let s = ws; s + session * MIN <= we; s += (session + buffer) * MIN) {
      const e = s + session * MIN;
      if (s < from || s >= to) continue;
      if (s < now + q.policy.minNoticeMinutes * MIN) continue;
      if (!freeAllTheWay(q, tutorId, s, e)) continue;
      if ((DateTime.fromMillis(s, { zone }).toISODate() as string) > lastDate) continue;
      const slot = { start: s, end: e, tutorId, ...source };
      found.set(JSON.stringify(slot), slot);
    }
  };

  const firstDate = addDays(DateTime.fromMillis(from, { zone }).toISODate() as string, -2);
  const endDate = addDays(DateTime.fromMillis(to, { zone }).toISODate() as string, 2);
  for (let date = firstDate; date <= endDate; date = addDays(date, 1)) {
    const weekday = DateTime.fromISO(date, { zone: 'utc' }).weekday;
    for (const r of q.rules) {
      if (r.weekday !== weekday || date < r.validFrom || (r.validUntil !== null && date > r.validUntil)) continue;
      const ws = oracleWallTime(zone, date, r.startTime);
      const we = oracleWallTime(zone, date, r.endTime);
      tryCandidates(r.tutorId, { kind: 'tutoring', claimId: null, partnerId: null, roomId: null }, ws, we, r.sessionMinutes, r.bufferMinutes);
    }
  }
  for (const w of q.windows ?? []) {
    const source = { kind: w.kind ?? 'tutoring', claimId: w.claimId ?? null, partnerId: w.partnerId ?? null, roomId: w.roomId ?? null };
    tryCandidates(w.tutorId, source, ms(w.start), ms(w.end), w.sessionMinutes, w.bufferMinutes);
  }

  const key = (s: PlainSlot) => [s.start, s.tutorId, s.end, s.kind, s.claimId ?? '', s.partnerId ?? '', s.roomId ?? ''];
  return [...found.values()].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
    return 0;
  });
}

// ---------------------------------------------------------------- random schedules

const tutorArb = fc.constantFrom('t1', 't2', 't3');

const ruleArb = (baseDate: string): fc.Arbitrary<WeeklyAvailabilityRule> =>
  fc
    .record({
      tutorId: tutorArb,
      weekday: fc.oneof(
        { arbitrary: fc.integer({ min: 1, max: 7 }), weight: 1 },
        { arbitrary: fc.integer({ min: 0, max: 4 }).map((d) => DateTime.fromISO(addDays(baseDate, d), { zone: 'utc' }).weekday), weight: 3 },
      ),
      startMin: fc.oneof(
        { arbitrary: fc.integer({ min: 0, max: 95 }).map((q) => q * 15), weight: 1 }, // anywhere in the day
        { arbitrary: fc.integer({ min: 0, max: 30 }).map((q) => 60 + q * 10), weight: 2 }, // 01:00–06:00, across the changes
      ),
      lengthMin: fc.integer({ min: 1, max: 150 }).map((x) => x * 5),
      sessionMinutes: fc.integer({ min: 1, max: 24 }).map((x) => x * 5),
      bufferMinutes: fc.integer({ min: 0, max: 6 }).map((x) => x * 5),
      validFromOffset: fc.oneof({ arbitrary: fc.integer({ min: -4, max: 0 }), weight: 3 }, { arbitrary: fc.integer({ min: 1, max: 4 }), weight: 1 }),
      validDays: fc.option(fc.integer({ min: 0, max: 6 }), { nil: null, freq: 2 }),
    })
    .map((r) => {
      const validFrom = addDays(baseDate, r.validFromOffset);
      return {
        tutorId: r.tutorId,
        weekday: r.weekday,
        startTime: hhmm(r.startMin),
        endTime: hhmm(Math.min(r.startMin + r.lengthMin, 1440)),
        sessionMinutes: r.sessionMinutes,
        bufferMinutes: r.bufferMinutes,
        validFrom,
        validUntil: r.validDays === null ? null : addDays(validFrom, r.validDays),
      };
    });

/** A range of minutes after `base`; mostly on a 5-minute grid, so that ends often touch slots. */
const minutesArb = (min: number, max: number) =>
  fc.oneof(
    { arbitrary: fc.integer({ min: Math.ceil(min / 5), max: Math.floor(max / 5) }).map((x) => x * 5), weight: 3 },
    { arbitrary: fc.integer({ min, max }), weight: 1 },
  );
const rangeArb = (base: number, minLen: number, maxLen: number): fc.Arbitrary<InstantRange> =>
  fc
    .record({ start: minutesArb(-1440, SPAN_MIN), len: minutesArb(minLen, maxLen) })
    .map(({ start, len }) => ({ start: new Date(base + start * MIN), end: new Date(base + (start + len) * MIN) }));

const tutorRangeArb = (base: number, minLen: number, maxLen: number): fc.Arbitrary<TutorInstantRange> =>
  fc.record({ tutorId: tutorArb, range: rangeArb(base, minLen, maxLen) }).map(({ tutorId, range }) => ({ tutorId, ...range }));

const windowArb = (base: number): fc.Arbitrary<AvailabilityWindow> =>
  fc
    .record({
      tutorId: tutorArb,
      range: rangeArb(base, 0, 400),
      sessionMinutes: fc.integer({ min: 2, max: 12 }).map((x) => x * 5),
      bufferMinutes: fc.integer({ min: 0, max: 3 }).map((x) => x * 5),
      claimId: fc.constantFrom('c1', 'c2'),
    })
    .map((w) => ({
      tutorId: w.tutorId,
      start: w.range.start,
      end: w.range.end,
      sessionMinutes: w.sessionMinutes,
      bufferMinutes: w.bufferMinutes,
      kind: 'advisory' as const,
      claimId: w.claimId,
      partnerId: 'p1',
    }));

const queryArb: fc.Arbitrary<SlotQuery> = fc.constantFrom(...CASES).chain(([zone, baseDate]) => {
  const base = Date.parse(`${baseDate}T00:00:00Z`);
  return fc
    .record({
      rules: fc.array(ruleArb(baseDate), { minLength: 1, maxLength: 8 }),
      windows: fc.array(windowArb(base), { maxLength: 2 }),
      openings: fc.array(rangeArb(base, 5, 1200), { maxLength: 6 }),
      allDayOpen: fc.boolean(),
      manyOpenings: fc.array(rangeArb(base, 300, 900), { minLength: 3, maxLength: 8 }),
      closures: fc.array(rangeArb(base, 5, 600), { maxLength: 3 }),
      absences: fc.array(tutorRangeArb(base, 5, 600), { maxLength: 3 }),
      bookings: fc.array(tutorRangeArb(base, 15, 120), { maxLength: 8 }),
      nowMin: fc.oneof(
        { arbitrary: minutesArb(-2 * 1440, 0), weight: 4 },
        { arbitrary: minutesArb(0, SPAN_MIN), weight: 1 },
      ),
      nowSec: fc.constantFrom(0, 0, 0, 1, 59),
      minNoticeMinutes: fc.integer({ min: 0, max: 48 }).map((x) => x * 15),
      maxDaysAhead: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 3 }), weight: 1 }, { arbitrary: fc.integer({ min: 4, max: 9 }), weight: 3 }),
      fromMin: fc.oneof({ arbitrary: minutesArb(-1440, 720), weight: 4 }, { arbitrary: minutesArb(720, 4 * 1440), weight: 1 }),
      lenMin: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 1440 }), weight: 1 }, { arbitrary: fc.integer({ min: 3 * 1440, max: SPAN_MIN }), weight: 4 }),
    })
    .map((g) => ({
      locationId: 'loc-1',
      timeZone: zone,
      rules: g.rules,
      windows: g.windows,
      openings: g.allDayOpen ? [...g.openings, { start: base - 2 * 1440 * MIN, end: base + 2 * SPAN_MIN * MIN }] : [...g.openings, ...g.manyOpenings],
      closures: g.closures,
      absences: g.absences,
      bookings: g.bookings,
      policy: { minNoticeMinutes: g.minNoticeMinutes, maxDaysAhead: g.maxDaysAhead },
      now: base + g.nowMin * MIN + g.nowSec * 1000,
      from: new Date(base + g.fromMin * MIN),
      to: new Date(base + (g.fromMin + g.lenMin) * MIN),
    }));
});

const plain = (s: Slot): PlainSlot => ({
  start: s.start.getTime(),
  end: s.end.getTime(),
  tutorId: s.tutorId,
  kind: s.kind,
  claimId: s.claimId,
  partnerId: s.partnerId,
  roomId: s.roomId,
});

/** Change nights: [zone, date of the change (a Sunday in all of these)]. */
const CHANGE_DAYS: [string, string][] = [
  ['Europe/Helsinki', '2027-03-28'],
  ['Europe/Helsinki', '2027-10-31'],
  ['America/New_York', '2027-03-14'],
  ['America/New_York', '2027-11-07'],
  ['America/Santiago', '2027-09-05'], // at midnight
  ['America/Santiago', '2027-04-04'], // 24:00 Saturday → 23:00 Saturday
  ['Australia/Lord_Howe', '2027-04-04'], // half an hour
];

/** Night rules on the change day (and the Saturday before), everything else generous. */
const changeNightQueryArb: fc.Arbitrary<SlotQuery> = fc.constantFrom(...CHANGE_DAYS).chain(([zone, date]) => {
  const base = Date.parse(`${date}T00:00:00Z`);
  const nightRule = fc
    .record({
      tutorId: tutorArb,
      weekday: fc.constantFrom(7, 7, 7, 6),
      startMin: fc.oneof(fc.integer({ min: 0, max: 72 }).map((q) => q * 5), fc.integer({ min: 240, max: 287 }).map((q) => q * 5)),
      lengthMin: fc.integer({ min: 1, max: 80 }).map((x) => x * 5),
      sessionMinutes: fc.integer({ min: 1, max: 18 }).map((x) => x * 5),
      bufferMinutes: fc.integer({ min: 0, max: 6 }).map((x) => x * 5),
    })
    .map((r) => ({
      tutorId: r.tutorId,
      weekday: r.weekday,
      startTime: hhmm(r.startMin),
      endTime: hhmm(Math.min(r.startMin + r.lengthMin, 1440)),
      sessionMinutes: r.sessionMinutes,
      bufferMinutes: r.bufferMinutes,
      validFrom: '2027-01-01',
      validUntil: null,
    }));
  const near = (minLen: number, maxLen: number) =>
    fc
      .record({ start: minutesArb(-36 * 60, 24 * 60), len: minutesArb(minLen, maxLen) })
      .map(({ start, len }) => ({ start: base + start * MIN, end: base + (start + len) * MIN }));
  return fc
    .record({
      rules: fc.array(nightRule, { minLength: 1, maxLength: 5 }),
      closures: fc.array(near(5, 120), { maxLength: 2 }),
      absences: fc.array(fc.record({ tutorId: tutorArb, r: near(5, 120) }), { maxLength: 2 }),
      bookings: fc.array(fc.record({ tutorId: tutorArb, r: near(15, 90) }), { maxLength: 4 }),
      minNoticeMinutes: fc.constantFrom(0, 0, 60),
      fromMin: minutesArb(-48 * 60, 0),
    })
    .map((g) => ({
      locationId: 'loc-1',
      timeZone: zone,
      rules: g.rules,
      openings: [{ start: base - 3 * 1440 * MIN, end: base + 3 * 1440 * MIN }],
      closures: g.closures,
      absences: g.absences.map((a) => ({ tutorId: a.tutorId, ...a.r })),
      bookings: g.bookings.map((b) => ({ tutorId: b.tutorId, ...b.r })),
      policy: { minNoticeMinutes: g.minNoticeMinutes, maxDaysAhead: 30 },
      now: base - 3 * 1440 * MIN,
      from: base + g.fromMin * MIN,
      to: base + 2 * 1440 * MIN,
    }));
});

// ---------------------------------------------------------------- properties

describe('computeSlots (property tests against a brute-force oracle)', () => {
  it('lists exactly the slots the oracle finds', () => {
    let withSlots = 0;
    fc.assert(
      fc.property(queryArb, (q) => {
        const slots = computeSlots(q);
        if (slots.length > 0) withSlots++;
        expect(slots.map(plain)).toEqual(oracle(q));
      }),
      { numRuns: 300 },
    );
    expect(withSlots).toBeGreaterThan(75); // not vacuous: ~45% of runs list slots (~1,500 in all)
  });

  it('never lists a slot outside opening hours, in a closure, absence or booking, or of the wrong length', () => {
    fc.assert(
      fc.property(queryArb, (q) => {
        const slots = computeSlots(q);
        for (const s of slots) {
          const start = s.start.getTime();
          const end = s.end.getTime();
          expect(s.locationId).toBe('loc-1');
          expect(freeAllTheWay(q, s.tutorId, start, end)).toBe(true);
          // exactly sessionMinutes long, for a rule or window of that tutor and kind
          const lengths =
            s.kind === 'tutoring'
              ? q.rules.filter((r) => r.tutorId === s.tutorId).map((r) => r.sessionMinutes)
              : (q.windows ?? []).filter((w) => w.tutorId === s.tutorId && w.claimId === s.claimId).map((w) => w.sessionMinutes);
          expect(lengths).toContain((end - start) / MIN);
          expect(start).toBeGreaterThanOrEqual(Math.max(ms(q.from), ms(q.now) + q.policy.minNoticeMinutes * MIN));
          expect(start).toBeLessThan(ms(q.to));
        }
        for (let i = 1; i < slots.length; i++) {
          const a = slots[i - 1];
          const b = slots[i];
          const ordered = a.start < b.start || (a.start.getTime() === b.start.getTime() && a.tutorId <= b.tutorId);
          expect(ordered).toBe(true);
          expect(JSON.stringify(plain(a))).not.toBe(JSON.stringify(plain(b)));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('never lists two overlapping slots of a tutor from one rule, even across a change', () => {
    const oneRuleArb = queryArb.map((q) => ({ ...q, rules: q.rules.slice(0, 1), windows: [] }));
    fc.assert(
      fc.property(oneRuleArb, (q) => {
        const slots = computeSlots(q).sort((a, b) => a.start.getTime() - b.start.getTime());
        for (let i = 1; i < slots.length; i++) expect(slots[i].start.getTime()).toBeGreaterThanOrEqual(slots[i - 1].end.getTime());
      }),
      { numRuns: 200 },
    );
  });

  it('agrees with the oracle on the nights of daylight-saving changes, without overlaps within a rule', () => {
    let withSlots = 0;
    fc.assert(
      fc.property(changeNightQueryArb, (q) => {
        const slots = computeSlots(q);
        if (slots.length > 0) withSlots++;
        expect(slots.map(plain)).toEqual(oracle(q));
        const alone = computeSlots({ ...q, rules: q.rules.slice(0, 1) });
        for (let i = 1; i < alone.length; i++) expect(alone[i].start.getTime()).toBeGreaterThanOrEqual(alone[i - 1].end.getTime());
      }),
      { numRuns: 150 },
    );
    expect(withSlots).toBeGreaterThan(75);
  });
});
