import { formatInstant } from '../../../common/time/format';
import { computeSlots } from './slot-engine';
import type { Slot, SlotQuery, WeeklyAvailabilityRule } from './types';

// Europe/Helsinki: 2027-03-28 (Sunday) 03:00+02:00 → 04:00+03:00 (03:00–04:00 does not exist);
// 2027-10-31 (Sunday) 04:00+03:00 → 03:00+02:00 (03:00–04:00 occurs twice).
const H = 'Europe/Helsinki';
const SPRING = '2027-03-28';
const AUTUMN = '2027-10-31';
const SUNDAY = 7;

function rule(over: Partial<WeeklyAvailabilityRule>): WeeklyAvailabilityRule {
  return {
    tutorId: 'tutor-a',
    weekday: SUNDAY,
    startTime: '10:00',
    endTime: '11:00',
    sessionMinutes: 45,
    bufferMinutes: 15,
    validFrom: '2027-01-01',
    validUntil: null,
    ...over,
  };
}

/** The slots of one rule on one date, the location open all day. */
function on(date: string, over: Partial<WeeklyAvailabilityRule>, extra: Partial<SlotQuery> = {}): Slot[] {
  const midnightUtc = Date.parse(`${date}T00:00:00Z`);
  return computeSlots({
    locationId: 'loc-1',
    timeZone: H,
    rules: [rule(over)],
    openings: [{ start: midnightUtc - 86_400_000, end: midnightUtc + 2 * 86_400_000 }],
    policy: { minNoticeMinutes: 0, maxDaysAhead: 30 },
    now: midnightUtc - 7 * 86_400_000,
    from: midnightUtc - 86_400_000,
    to: midnightUtc + 2 * 86_400_000,
    ...extra,
  });
}

const show = (slots: Slot[]) => slots.map((s) => `${formatInstant(s.start, H)} → ${formatInstant(s.end, H)}`);
const realMinutes = (slots: Slot[]) => slots.map((s) => (s.end.getTime() - s.start.getTime()) / 60_000);

describe('slot engine across daylight-saving changes (Europe/Helsinki)', () => {
  it('gives a 10:00 rule +03:00 on 2027-03-28 and +02:00 on 2027-10-31', () => {
    expect(show(on(SPRING, {}))).toEqual(['2027-03-28T10:00:00+03:00 → 2027-03-28T10:45:00+03:00']);
    expect(show(on(AUTUMN, {}))).toEqual(['2027-10-31T10:00:00+02:00 → 2027-10-31T10:45:00+02:00']);
    expect(on(SPRING, {})[0].start.toISOString()).toBe('2027-03-28T07:00:00.000Z');
    expect(on(AUTUMN, {})[0].start.toISOString()).toBe('2027-10-31T08:00:00.000Z');
  });

  it('keeps the wall-clock grid on the days around the change', () => {
    expect(show(on('2027-03-21', {}))[0]).toBe('2027-03-21T10:00:00+02:00 → 2027-03-21T10:45:00+02:00');
    expect(show(on('2027-04-04', {}))[0]).toBe('2027-04-04T10:00:00+03:00 → 2027-04-04T10:45:00+03:00');
    expect(show(on('2027-11-07', {}))[0]).toBe('2027-11-07T10:00:00+02:00 → 2027-11-07T10:45:00+02:00');
  });

  describe('a rule 02:00–05:00 (45 + 15) lays its grid in real minutes from the resolved start', () => {
    it('spring forward: the window is 2 real hours, so 2 sessions', () => {
      const slots = on(SPRING, { startTime: '02:00', endTime: '05:00' });
      expect(show(slots)).toEqual([
        '2027-03-28T02:00:00+02:00 → 2027-03-28T02:45:00+02:00',
        '2027-03-28T04:00:00+03:00 → 2027-03-28T04:45:00+03:00',
      ]);
      expect(realMinutes(slots)).toEqual([45, 45]);
    });

    it('fall back: the window is 4 real hours, so 4 sessions, 03:00 twice', () => {
      const slots = on(AUTUMN, { startTime: '02:00', endTime: '05:00' });
      expect(show(slots)).toEqual([
        '2027-10-31T02:00:00+03:00 → 2027-10-31T02:45:00+03:00',
        '2027-10-31T03:00:00+03:00 → 2027-10-31T03:45:00+03:00',
        '2027-10-31T03:00:00+02:00 → 2027-10-31T03:45:00+02:00',
        '2027-10-31T04:00:00+02:00 → 2027-10-31T04:45:00+02:00',
      ]);
      expect(realMinutes(slots)).toEqual([45, 45, 45, 45]);
    });
  });

  describe('a rule 02:00–05:00 with 45-minute sessions and no buffer', () => {
    it('spring forward: sessions are 45 real minutes even across the change, and never overlap', () => {
      expect(show(on(SPRING, { startTime: '02:00', endTime: '05:00', bufferMinutes: 0 }))).toEqual([
        '2027-03-28T02:00:00+02:00 → 2027-03-28T02:45:00+02:00',
        '2027-03-28T02:45:00+02:00 → 2027-03-28T04:30:00+03:00', // 45 real minutes
      ]);
    });

    it('fall back: the grid continues through the repeated hour', () => {
      expect(show(on(AUTUMN, { startTime: '02:00', endTime: '05:00', bufferMinutes: 0 }))).toEqual([
        '2027-10-31T02:00:00+03:00 → 2027-10-31T02:45:00+03:00',
        '2027-10-31T02:45:00+03:00 → 2027-10-31T03:30:00+03:00',
        '2027-10-31T03:30:00+03:00 → 2027-10-31T03:15:00+02:00', // 45 real minutes
        '2027-10-31T03:15:00+02:00 → 2027-10-31T04:00:00+02:00',
        '2027-10-31T04:00:00+02:00 → 2027-10-31T04:45:00+02:00',
      ]);
    });
  });

  it('moves a start inside the gap forward by the gap (03:30 → 04:30+03:00)', () => {
    expect(show(on(SPRING, { startTime: '03:30', endTime: '05:00', sessionMinutes: 30, bufferMinutes: 0 }))).toEqual([
      '2027-03-28T04:30:00+03:00 → 2027-03-28T05:00:00+03:00',
    ]);
    // 03:30–04:00: the start (04:30+03:00) falls after the end (04:00+03:00) → nothing
    expect(on(SPRING, { startTime: '03:30', endTime: '04:00', sessionMinutes: 15, bufferMinutes: 0 })).toEqual([]);
  });

  it('reads an ambiguous start as its first occurrence and an ambiguous end too', () => {
    expect(show(on(AUTUMN, { startTime: '03:30', endTime: '04:30', sessionMinutes: 30, bufferMinutes: 0 }))).toEqual([
      '2027-10-31T03:30:00+03:00 → 2027-10-31T03:00:00+02:00',
      '2027-10-31T03:00:00+02:00 → 2027-10-31T03:30:00+02:00',
      '2027-10-31T03:30:00+02:00 → 2027-10-31T04:00:00+02:00',
      '2027-10-31T04:00:00+02:00 → 2027-10-31T04:30:00+02:00',
    ]);
    // ends at the FIRST 03:30 (+03:00): only the sessions before it
    expect(show(on(AUTUMN, { startTime: '02:00', endTime: '03:30', sessionMinutes: 45, bufferMinutes: 0 }))).toEqual([
      '2027-10-31T02:00:00+03:00 → 2027-10-31T02:45:00+03:00',
      '2027-10-31T02:45:00+03:00 → 2027-10-31T03:30:00+03:00',
    ]);
  });

  it('counts maxDaysAhead in local dates across the change', () => {
    // now: Saturday 2027-03-27 12:00+02:00; maxDaysAhead 1 → through Sunday 2027-03-28 23:59:59+03:00
    const extra = (maxDaysAhead: number): Partial<SlotQuery> => ({
      now: Date.parse('2027-03-27T12:00:00+02:00'),
      policy: { minNoticeMinutes: 0, maxDaysAhead },
    });
    const late = { startTime: '23:00', endTime: '24:00', sessionMinutes: 60, bufferMinutes: 0 };
    expect(show(on(SPRING, late, extra(1)))).toEqual(['2027-03-28T23:00:00+03:00 → 2027-03-29T00:00:00+03:00']);
    expect(on(SPRING, late, extra(0))).toEqual([]);
  });

  it('treats opening hours given as instants exactly, also on the change day', () => {
    // open 02:00+02:00 – 04:30+03:00 (1.5 real hours): the 04:00+03:00 session would end 04:45
    const slots = on(
      SPRING,
      { startTime: '02:00', endTime: '05:00' },
      { openings: [{ start: Date.parse('2027-03-28T02:00:00+02:00'), end: Date.parse('2027-03-28T04:30:00+03:00') }] },
    );
    expect(show(slots)).toEqual(['2027-03-28T02:00:00+02:00 → 2027-03-28T02:45:00+02:00']);
  });
});
