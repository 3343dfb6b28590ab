import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  formatIsoDate,
  isValidTimeZone,
  isoWeekday,
  localDayOf,
  offsetMsAt,
  parseIsoDate,
  parseTimeOfDay,
  resolveLocalTime,
  startOfLocalDay,
} from './local-time';

const H = 'Europe/Helsinki';
const day = (iso: string): number => parseIsoDate(iso) as number;
const wall = (date: string, time: string): number => day(date) * DAY_MS + (parseTimeOfDay(time, true) as number);
const resolve = (zone: string, date: string, time: string): string =>
  new Date(resolveLocalTime(zone, wall(date, time))).toISOString();

describe('resolveLocalTime (DESIGN.md: gap moves forward, ambiguous = first occurrence)', () => {
  it('resolves ordinary wall times with the offset of the day', () => {
    expect(resolve(H, '2027-01-04', '10:00')).toBe('2027-01-04T08:00:00.000Z');
    expect(resolve(H, '2027-07-04', '10:00')).toBe('2027-07-04T07:00:00.000Z');
    expect(resolve(H, '2027-03-28', '10:00')).toBe('2027-03-28T07:00:00.000Z'); // +03:00
    expect(resolve(H, '2027-10-31', '10:00')).toBe('2027-10-31T08:00:00.000Z'); // +02:00
    expect(resolve('UTC', '2027-03-28', '03:30')).toBe('2027-03-28T03:30:00.000Z');
  });

  it('moves a non-existent time forward by the gap (2027-03-28 in Helsinki)', () => {
    expect(resolve(H, '2027-03-28', '02:59')).toBe('2027-03-28T00:59:00.000Z'); // 02:59+02:00
    expect(resolve(H, '2027-03-28', '03:00')).toBe('2027-03-28T01:00:00.000Z'); // 04:00+03:00
    expect(resolve(H, '2027-03-28', '03:30')).toBe('2027-03-28T01:30:00.000Z'); // 04:30+03:00
    expect(resolve(H, '2027-03-28', '04:00')).toBe('2027-03-28T01:00:00.000Z'); // 04:00+03:00
  });

  it('takes the first occurrence of a repeated time (2027-10-31 in Helsinki), unlike luxon', () => {
    expect(resolve(H, '2027-10-31', '02:59')).toBe('2027-10-30T23:59:00.000Z'); // +03:00
    expect(resolve(H, '2027-10-31', '03:00')).toBe('2027-10-31T00:00:00.000Z'); // 03:00+03:00
    expect(resolve(H, '2027-10-31', '03:59')).toBe('2027-10-31T00:59:00.000Z'); // 03:59+03:00
    expect(resolve(H, '2027-10-31', '04:00')).toBe('2027-10-31T02:00:00.000Z'); // 04:00+02:00
    // luxon itself picks the second occurrence, which is why it is not used for this:
    expect(DateTime.fromISO('2027-10-31T03:30', { zone: H }).toUTC().toISO()).toBe('2027-10-31T01:30:00.000Z');
  });

  it('handles a midnight gap and 24:00 (America/Santiago springs forward at 24:00 on 2027-09-04)', () => {
    expect(resolve('America/Santiago', '2027-09-04', '24:00')).toBe('2027-09-05T04:00:00.000Z'); // 01:00-03:00
    expect(resolve('America/Santiago', '2027-09-05', '00:00')).toBe('2027-09-05T04:00:00.000Z');
    expect(new Date(startOfLocalDay('America/Santiago', day('2027-09-05'))).toISOString()).toBe('2027-09-05T04:00:00.000Z');
    expect(resolve(H, '2027-01-04', '24:00')).toBe('2027-01-04T22:00:00.000Z');
  });

  it('handles half-hour shifts (Australia/Lord_Howe falls back 02:00 → 01:30 on 2027-04-04)', () => {
    expect(resolve('Australia/Lord_Howe', '2027-04-04', '01:45')).toBe('2027-04-03T14:45:00.000Z'); // +11:00
  });

  it('agrees with a brute-force search over luxon for random wall times near transitions', () => {
    // [zone, date, wall minute of that date where the offset changes]
    const cases: [string, string, number][] = [
      [H, '2027-03-28', 180],
      [H, '2027-10-31', 180],
      ['America/New_York', '2027-03-14', 120],
      ['America/New_York', '2027-11-07', 60],
      ['America/Santiago', '2027-09-05', 0],
      ['America/Santiago', '2027-04-04', -60],
      ['Australia/Lord_Howe', '2027-04-04', 90],
      ['Australia/Lord_Howe', '2027-10-03', 120],
      ['Asia/Kathmandu', '2027-06-01', 0],
      ['UTC', '2027-03-28', 0],
    ];
    const scenario = fc.constantFrom(...cases).chain(([zone, date, change]) =>
      fc.record({
        zone: fc.constant(zone),
        date: fc.constant(date),
        minute: fc.oneof(
          { arbitrary: fc.integer({ min: -2 * 1440, max: 2 * 1440 }), weight: 1 },
          { arbitrary: fc.integer({ min: change - 90, max: change + 90 }), weight: 3 }, // near the change
        ),
      }),
    );
    fc.assert(
      fc.property(scenario, ({ zone, date, minute }) => {
        const localMs = day(date) * DAY_MS + minute * MINUTE_MS;
        const text = new Date(localMs).toISOString().slice(0, 16); // wall reading, YYYY-MM-DDTHH:mm
        const viaLuxon = DateTime.fromISO(text, { zone }).toMillis(); // gap: forward; ambiguous: later
        const reads = (t: number) => DateTime.fromMillis(t, { zone }).toFormat("yyyy-MM-dd'T'HH:mm") === text;
        let expected = viaLuxon;
        if (reads(viaLuxon)) {
          for (let back = 15; back <= 180; back += 15) {
            if (reads(viaLuxon - back * MINUTE_MS)) expected = viaLuxon - back * MINUTE_MS;
          }
        }
        expect(resolveLocalTime(zone, localMs)).toBe(expected);
        expect(offsetMsAt(zone, expected)).toBe(DateTime.fromMillis(expected, { zone }).offset * MINUTE_MS);
      }),
      { numRuns: 400 },
    );
  });
});

describe('local dates and parsing', () => {
  it('finds the local date of an instant', () => {
    expect(formatIsoDate(localDayOf(H, Date.parse('2027-01-01T22:30:00Z')))).toBe('2027-01-02');
    expect(formatIsoDate(localDayOf(H, Date.parse('2027-01-01T21:59:59Z')))).toBe('2027-01-01');
    expect(formatIsoDate(localDayOf('America/New_York', Date.parse('2027-01-02T03:00:00Z')))).toBe('2027-01-01');
  });

  it('numbers weekdays 1 = Monday … 7 = Sunday', () => {
    expect(isoWeekday(day('2027-01-04'))).toBe(1);
    expect(isoWeekday(day('2027-01-10'))).toBe(7);
    expect(isoWeekday(day('2027-03-28'))).toBe(7);
    expect(isoWeekday(day('1969-12-31'))).toBe(3);
  });

  it('parses dates and times strictly', () => {
    expect(parseIsoDate('2027-02-28')).toBe(Date.UTC(2027, 1, 28) / DAY_MS);
    expect(parseIsoDate('2027-02-29')).toBeNull();
    expect(parseIsoDate('2027-2-01')).toBeNull();
    expect(parseTimeOfDay('10:15')).toBe(10 * HOUR_MS + 15 * MINUTE_MS);
    expect(parseTimeOfDay('10:15:00')).toBe(10 * HOUR_MS + 15 * MINUTE_MS);
    expect(parseTimeOfDay('24:00')).toBeNull();
    expect(parseTimeOfDay('24:00', true)).toBe(DAY_MS);
    expect(parseTimeOfDay('24:01', true)).toBeNull();
    expect(parseTimeOfDay('9:00')).toBeNull();
    expect(parseTimeOfDay('10:60')).toBeNull();
  });

  it('knows valid zones', () => {
    expect(isValidTimeZone(H)).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(() => resolveLocalTime('Mars/Olympus', 0)).toThrow(RangeError);
  });
});
