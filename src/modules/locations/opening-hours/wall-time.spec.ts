import { formatClock, instantsToClock, isLocalDate, localDayToInstants, parseClock } from './wall-time';

const HKI = 'Europe/Helsinki';
const iso = (ms: number) => new Date(ms).toISOString();

describe('parseClock / formatClock', () => {
  it('reads HH:mm and 24:00 only as an end', () => {
    expect(parseClock('00:00')).toBe(0);
    expect(parseClock('10:30')).toBe(630);
    expect(parseClock('23:59')).toBe(1439);
    expect(parseClock('24:00', true)).toBe(1440);
    expect(parseClock('24:00')).toBeNull();
  });

  it.each(['25:00', '24:01', '10:60', '9:00', '10:00:00', '', 'noon', '1000'])('rejects %p', (value) => {
    expect(parseClock(value, true)).toBeNull();
  });

  it('rejects non-strings', () => {
    expect(parseClock(600)).toBeNull();
    expect(parseClock(null)).toBeNull();
  });

  it('writes minutes back', () => {
    expect(formatClock(0)).toBe('00:00');
    expect(formatClock(615)).toBe('10:15');
    expect(formatClock(1440)).toBe('24:00');
  });
});

describe('isLocalDate', () => {
  it('accepts real dates only', () => {
    expect(isLocalDate('2028-02-29')).toBe(true);
    expect(isLocalDate('2026-02-29')).toBe(false);
    expect(isLocalDate('2026-02-30')).toBe(false);
    expect(isLocalDate('2026-13-01')).toBe(false);
    expect(isLocalDate('2026-1-01')).toBe(false);
    expect(isLocalDate(20260101)).toBe(false);
  });
});

describe('localDayToInstants (DST rule of DESIGN.md)', () => {
  it('gives +03:00 for 10:00 on 2027-03-28 and +02:00 on 2027-10-31', () => {
    expect(localDayToInstants('2027-03-28', [[600, 660]], HKI).map((i) => iso(i.start))).toEqual(['2027-03-28T07:00:00.000Z']);
    expect(localDayToInstants('2027-10-31', [[600, 660]], HKI).map((i) => iso(i.start))).toEqual(['2027-10-31T08:00:00.000Z']);
  });

  it('moves a nonexistent time forward by the gap', () => {
    // 03:30 does not exist on 2027-03-28 in Helsinki: it becomes 04:30+03:00 = 01:30Z.
    const [i] = localDayToInstants('2027-03-28', [[210, 360]], HKI);
    expect(iso(i.start)).toBe('2027-03-28T01:30:00.000Z');
    expect(iso(i.end)).toBe('2027-03-28T03:00:00.000Z');
  });

  it('drops an interval that lies wholly in the gap', () => {
    expect(localDayToInstants('2027-03-28', [[180, 240]], HKI)).toEqual([]);
  });

  it('reads a repeated time as its first occurrence', () => {
    // 03:30 happens twice on 2027-10-31; the first is 03:30+03:00 = 00:30Z.
    const [i] = localDayToInstants('2027-10-31', [[210, 300]], HKI);
    expect(iso(i.start)).toBe('2027-10-31T00:30:00.000Z');
    // 05:00 is after the change: +02:00. The interval is 30 + 60 + 60 = 150 real minutes.
    expect(iso(i.end)).toBe('2027-10-31T03:00:00.000Z');
    expect((i.end - i.start) / 60_000).toBe(150);
  });

  it('ends 24:00 at the next day 00:00', () => {
    const [i] = localDayToInstants('2026-12-31', [[1200, 1440]], HKI);
    expect(iso(i.end)).toBe('2026-12-31T22:00:00.000Z');
  });

  it('rejects a bad date', () => {
    expect(() => localDayToInstants('2026-02-30', [[600, 660]], HKI)).toThrow(RangeError);
  });
});

describe('instantsToClock', () => {
  it('writes instants back as wall times of that date, 24:00 for the next midnight', () => {
    const intervals = localDayToInstants('2027-10-31', [[600, 720], [1200, 1440]], HKI);
    expect(instantsToClock('2027-10-31', intervals, HKI)).toEqual([
      ['10:00', '12:00'],
      ['20:00', '24:00'],
    ]);
  });
});
