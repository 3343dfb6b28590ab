import type { WeeklyAvailabilityRule } from '../../slots/engine';
import { diagnose, DiagnoseInput, isoWeekOf, orderTutors, residentChangeProblem, ruleWindowCovers } from './booking-rules';

const H = 'Europe/Helsinki';
const at = (iso: string) => Date.parse(iso);
const rule = (over: Partial<WeeklyAvailabilityRule> = {}): WeeklyAvailabilityRule => ({
  tutorId: 'tutor-a',
  weekday: 1,
  startTime: '10:00',
  endTime: '14:00',
  sessionMinutes: 45,
  bufferMinutes: 15,
  validFrom: '2026-01-01',
  validUntil: null,
  ...over,
});

/** Monday 2027-01-11, branch open 09:00–19:00 (+02:00), tutor A 10:00–14:00 in 45 + 15 minutes. */
const base = (over: Partial<DiagnoseInput> = {}): DiagnoseInput => ({
  start: at('2027-01-11T10:00:00+02:00'),
  now: at('2027-01-04T08:00:00Z'),
  timeZone: H,
  policy: { minNoticeMinutes: 120, maxDaysAhead: 60 },
  rules: [rule()],
  openings: [{ start: at('2027-01-11T09:00:00+02:00'), end: at('2027-01-11T19:00:00+02:00') }],
  closed: [],
  absences: [],
  bookings: [],
  ...over,
});

describe('diagnose', () => {
  it('finds nothing wrong with a free slot on the grid', () => {
    expect(diagnose(base())).toBe('free');
    expect(diagnose(base({ start: at('2027-01-11T13:00:00+02:00') }))).toBe('free');
  });

  it('says taken when every suitable tutor is booked, free when one is not', () => {
    const booked = [{ tutorId: 'tutor-a', start: at('2027-01-11T10:00:00+02:00'), end: at('2027-01-11T10:45:00+02:00') }];
    expect(diagnose(base({ bookings: booked }))).toBe('taken');
    expect(diagnose(base({ bookings: booked, rules: [rule(), rule({ tutorId: 'tutor-b' })] }))).toBe('free');
    // Another tutor's booking does not block, nor one that ends as the session starts.
    expect(diagnose(base({ bookings: [{ ...booked[0], tutorId: 'tutor-b' }] }))).toBe('free');
    expect(diagnose(base({ bookings: [{ tutorId: 'tutor-a', start: at('2027-01-11T09:00:00+02:00'), end: at('2027-01-11T10:00:00+02:00') }] }))).toBe('free');
  });

  it("judges an advisory session on its claim window's grid: free, off the grid, outside it, the advisor absent or booked", () => {
    const window = { tutorId: 'advisor-a', start: at('2027-01-11T15:00:00+02:00'), end: at('2027-01-11T16:00:00+02:00'), sessionMinutes: 30, bufferMinutes: 0, kind: 'advisory' as const, claimId: 'c' };
    const advisory = (over: Partial<DiagnoseInput> = {}) => base({ rules: [], windows: [window], start: at('2027-01-11T15:30:00+02:00'), ...over });
    expect(diagnose(advisory())).toBe('free');
    expect(diagnose(advisory({ start: at('2027-01-11T15:10:00+02:00') }))).toBe('not-on-slot-grid');
    expect(diagnose(advisory({ start: at('2027-01-11T16:00:00+02:00') }))).toBe('tutor-unavailable');
    const span = { tutorId: 'advisor-a', start: at('2027-01-11T15:30:00+02:00'), end: at('2027-01-11T16:00:00+02:00') };
    expect(diagnose(advisory({ absences: [span] }))).toBe('tutor-unavailable');
    expect(diagnose(advisory({ bookings: [span] }))).toBe('taken');
    expect(diagnose(advisory({ openings: [{ start: at('2027-01-11T09:00:00+02:00'), end: at('2027-01-11T15:45:00+02:00') }] }))).toBe('outside-opening-hours');
  });

  it('is too soon before the minimum notice, and for any past time', () => {
    expect(diagnose(base({ now: at('2027-01-11T09:00:00+02:00') }))).toBe('too-soon'); // 60 min < 120
    expect(diagnose(base({ now: at('2027-01-11T08:00:00+02:00') }))).toBe('free'); // exactly 120 min
    expect(diagnose(base({ now: at('2027-01-12T08:00:00+02:00') }))).toBe('too-soon'); // in the past
    expect(diagnose(base({ now: at('2027-01-11T09:00:00+02:00'), policy: { minNoticeMinutes: 0, maxDaysAhead: 60 } }))).toBe('free');
  });

  it('is too far ahead after the last bookable local date', () => {
    expect(diagnose(base({ policy: { minNoticeMinutes: 120, maxDaysAhead: 6 } }))).toBe('too-far-ahead');
    expect(diagnose(base({ policy: { minNoticeMinutes: 120, maxDaysAhead: 7 } }))).toBe('free');
  });

  it('tells an off-grid time inside a tutor’s hours from a time nobody works', () => {
    expect(diagnose(base({ start: at('2027-01-11T10:10:00+02:00') }))).toBe('not-on-slot-grid');
    expect(diagnose(base({ start: at('2027-01-11T10:00:30+02:00') }))).toBe('not-on-slot-grid');
    expect(diagnose(base({ start: at('2027-01-11T15:00:00+02:00') }))).toBe('tutor-unavailable');
    expect(diagnose(base({ start: at('2027-01-11T10:00:00+02:00'), rules: [] }))).toBe('tutor-unavailable');
    // The rule is valid only from 2027-02-01.
    expect(diagnose(base({ rules: [rule({ validFrom: '2027-02-01' })] }))).toBe('tutor-unavailable');
  });

  it('says outside opening hours when the branch is simply not open then', () => {
    const early = rule({ startTime: '08:00', endTime: '12:00', sessionMinutes: 60, bufferMinutes: 0 });
    expect(diagnose(base({ start: at('2027-01-11T08:00:00+02:00'), rules: [early] }))).toBe('outside-opening-hours');
    expect(diagnose(base({ start: at('2027-01-11T20:00:00+02:00') }))).toBe('outside-opening-hours');
    // A session that would run past closing time.
    const closesEarly = [{ start: at('2027-01-11T09:00:00+02:00'), end: at('2027-01-11T10:30:00+02:00') }];
    expect(diagnose(base({ openings: closesEarly }))).toBe('outside-opening-hours');
  });

  it('says location closed on a holiday, closure or closing exception', () => {
    const wholeDay = [{ start: at('2027-01-11T00:00:00+02:00'), end: at('2027-01-12T00:00:00+02:00') }];
    expect(diagnose(base({ openings: [], closed: wholeDay }))).toBe('location-closed');
    expect(diagnose(base({ openings: [], closed: wholeDay, start: at('2027-01-11T10:10:00+02:00') }))).toBe('location-closed');
    // A closure from 09:30 to 12:00 inside the day's hours.
    const split = [
      { start: at('2027-01-11T09:00:00+02:00'), end: at('2027-01-11T09:30:00+02:00') },
      { start: at('2027-01-11T12:00:00+02:00'), end: at('2027-01-11T19:00:00+02:00') },
    ];
    const closure = [{ start: at('2027-01-11T09:30:00+02:00'), end: at('2027-01-11T12:00:00+02:00') }];
    expect(diagnose(base({ openings: split, closed: closure }))).toBe('location-closed');
    expect(diagnose(base({ openings: split, closed: closure, start: at('2027-01-11T12:00:00+02:00') }))).toBe('free');
    // A session that starts in opening hours but runs into a closure (10:00–10:45 against one from 10:30).
    const fromHalfPast = [{ start: at('2027-01-11T10:30:00+02:00'), end: at('2027-01-11T12:00:00+02:00') }];
    const untilHalfPast = [
      { start: at('2027-01-11T09:00:00+02:00'), end: at('2027-01-11T10:30:00+02:00') },
      { start: at('2027-01-11T12:00:00+02:00'), end: at('2027-01-11T19:00:00+02:00') },
    ];
    expect(diagnose(base({ openings: untilHalfPast, closed: fromHalfPast }))).toBe('location-closed');
    // The same opening hours without a closure: the session runs past closing time.
    expect(diagnose(base({ openings: untilHalfPast }))).toBe('outside-opening-hours');
    // Opening intervals given in touching pieces count as one.
    const pieces = [
      { start: at('2027-01-11T09:00:00+02:00'), end: at('2027-01-11T10:20:00+02:00') },
      { start: at('2027-01-11T10:20:00+02:00'), end: at('2027-01-11T19:00:00+02:00') },
    ];
    expect(diagnose(base({ openings: pieces }))).toBe('free');
  });

  it('says tutor unavailable when the only tutor is absent', () => {
    const away = [{ tutorId: 'tutor-a', start: at('2027-01-11T10:30:00+02:00'), end: at('2027-01-11T12:00:00+02:00') }];
    expect(diagnose(base({ absences: away }))).toBe('tutor-unavailable');
    expect(diagnose(base({ absences: away, rules: [rule(), rule({ tutorId: 'tutor-b' })] }))).toBe('free');
    expect(diagnose(base({ absences: [{ ...away[0], tutorId: 'tutor-b' }] }))).toBe('free');
  });

  it('judges the grid in local time across the spring-forward change', () => {
    // Sunday 2027-03-28: clocks go 03:00 → 04:00; a 10:00 rule means 10:00+03:00.
    const sunday = rule({ weekday: 7, startTime: '10:00', endTime: '14:00', sessionMinutes: 45, bufferMinutes: 30 });
    const input = base({
      now: at('2027-03-20T08:00:00Z'),
      rules: [sunday],
      openings: [{ start: at('2027-03-28T09:00:00+03:00'), end: at('2027-03-28T16:00:00+03:00') }],
    });
    expect(diagnose({ ...input, start: at('2027-03-28T10:00:00+03:00') })).toBe('free');
    expect(diagnose({ ...input, start: at('2027-03-28T11:15:00+03:00') })).toBe('free');
    expect(diagnose({ ...input, start: at('2027-03-28T10:00:00+02:00') })).toBe('not-on-slot-grid'); // = 11:00+03:00
  });
});

describe('ruleWindowCovers', () => {
  it('covers [start time, end time) on the rule’s weekday only', () => {
    const r = rule();
    expect(ruleWindowCovers(r, H, at('2027-01-11T10:00:00+02:00'))).toBe(true);
    expect(ruleWindowCovers(r, H, at('2027-01-11T13:59:00+02:00'))).toBe(true);
    expect(ruleWindowCovers(r, H, at('2027-01-11T14:00:00+02:00'))).toBe(false);
    expect(ruleWindowCovers(r, H, at('2027-01-12T10:30:00+02:00'))).toBe(false); // Tuesday
    expect(ruleWindowCovers(rule({ endTime: '24:00', startTime: '22:00' }), H, at('2027-01-11T23:30:00+02:00'))).toBe(true);
  });
});

describe('orderTutors', () => {
  it('puts the tutor with fewest bookings that week first', () => {
    const counts = new Map([
      ['a', 3],
      ['b', 1],
      ['c', 2],
    ]);
    expect(orderTutors(['a', 'b', 'c', 'd'], counts, () => 0.5)).toEqual(['d', 'b', 'c', 'a']);
  });

  it('breaks ties at random', () => {
    const counts = new Map([
      ['a', 1],
      ['b', 1],
      ['c', 0],
    ]);
    const draws = [0.9, 0.1, 0.5];
    expect(orderTutors(['a', 'b', 'c'], counts, () => draws.shift()!)).toEqual(['c', 'b', 'a']);
    const firsts = new Set<string>();
    for (let i = 0; i < 200; i++) firsts.add(orderTutors(['a', 'b'], new Map())[0]);
    expect(firsts).toEqual(new Set(['a', 'b']));
  });
});

describe('isoWeekOf', () => {
  it('runs Monday 00:00 to Monday 00:00 local, across a DST change', () => {
    expect(isoWeekOf(H, at('2027-03-31T12:00:00+03:00'))).toEqual({ start: at('2027-03-29T00:00:00+03:00'), end: at('2027-04-05T00:00:00+03:00') });
    expect(isoWeekOf(H, at('2027-03-28T23:59:00+03:00'))).toEqual({ start: at('2027-03-22T00:00:00+02:00'), end: at('2027-03-29T00:00:00+03:00') });
    expect(isoWeekOf(H, at('2027-03-29T00:00:00+03:00')).start).toBe(at('2027-03-29T00:00:00+03:00'));
  });
});

describe('residentChangeProblem', () => {
  const start = at('2027-01-11T10:00:00+02:00');
  it('allows a confirmed booking until the deadline', () => {
    expect(residentChangeProblem('confirmed', start, at('2027-01-11T09:00:00+02:00'), 60)).toBeNull();
    expect(residentChangeProblem('confirmed', start, at('2027-01-11T09:00:01+02:00'), 60)).toBe('too-late-to-cancel');
    expect(residentChangeProblem('confirmed', start, at('2027-01-11T11:00:00+02:00'), 0)).toBe('too-late-to-cancel');
  });
  it('refuses every other state as an invalid transition, even before the deadline', () => {
    for (const status of ['cancelled', 'checked_in', 'completed', 'no_show'] as const) {
      expect(residentChangeProblem(status, start, at('2027-01-01T00:00:00Z'), 60)).toBe('invalid-transition');
    }
  });
});
