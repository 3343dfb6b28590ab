import { DateTime } from 'luxon';
import { lacksOffset, parseInstant, parseInstantMs } from './instant';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe('parseInstantMs', () => {
  it('reads Z and ±hh:mm offsets, with or without seconds and fractions', () => {
    expect(iso(parseInstantMs('2026-12-01T10:00:00+02:00'))).toBe('2026-12-01T08:00:00.000Z');
    expect(iso(parseInstantMs('2026-12-01T08:00Z'))).toBe('2026-12-01T08:00:00.000Z');
    expect(iso(parseInstantMs('2026-12-01T08:00:00.5-01:30'))).toBe('2026-12-01T09:30:00.500Z');
    expect(iso(parseInstantMs('2026-12-01T08:00:00.123456789Z'))).toBe('2026-12-01T08:00:00.123Z');
    expect(iso(parseInstantMs('2026-12-01T14:00:00+14:00'))).toBe('2026-12-01T00:00:00.000Z');
    expect(iso(parseInstantMs('2026-12-01T00:00:00-14:00'))).toBe('2026-12-01T14:00:00.000Z');
    expect(iso(parseInstantMs('2028-02-29T23:59:59.999+02:00'))).toBe('2028-02-29T21:59:59.999Z');
  });

  it('reads both sides of the daylight-saving changes by their offsets', () => {
    // Helsinki, 2027-10-31: 03:30 happens twice, first at +03:00, then at +02:00.
    expect(iso(parseInstantMs('2027-10-31T03:30:00+03:00'))).toBe('2027-10-31T00:30:00.000Z');
    expect(iso(parseInstantMs('2027-10-31T03:30:00+02:00'))).toBe('2027-10-31T01:30:00.000Z');
    expect(iso(parseInstantMs('2027-03-28T04:00:00+03:00'))).toBe('2027-03-28T01:00:00.000Z');
  });

  it('crosses month, year and leap-day boundaries through the offset', () => {
    expect(iso(parseInstantMs('2027-01-01T01:00:00+02:00'))).toBe('2026-12-31T23:00:00.000Z');
    expect(iso(parseInstantMs('2028-02-29T23:00:00-02:00'))).toBe('2028-03-01T01:00:00.000Z');
    expect(iso(parseInstantMs('1970-01-01T00:00:00Z'))).toBe('1970-01-01T00:00:00.000Z');
    expect(iso(parseInstantMs('2199-12-31T23:59:59.999Z'))).toBe('2199-12-31T23:59:59.999Z');
  });

  it.each([
    '2026-12-01T10:00:00',
    '2026-12-01',
    '2026-02-29T10:00:00Z',
    '2026-04-31T10:00:00Z',
    '2026-13-01T10:00:00Z',
    '2026-00-01T10:00:00Z',
    '2026-12-00T10:00:00Z',
    '2026-12-01T24:00Z',
    '2026-12-01T25:00:00Z',
    '2026-12-01T10:60Z',
    '2026-12-01T10:00:60Z',
    '2026-12-01 10:00:00Z',
    '2026-12-01t10:00:00z',
    '2026-12-01T10:00:00+0200',
    '2026-12-01T10:00:00+02',
    '2026-12-01T10:00:00+25:00',
    '2026-12-01T10:00:00+14:30',
    '2026-12-01T10:00:00-14:01',
    '2026-12-01T10:00:00+02:60',
    '2026-12-01T10:00:00.Z',
    '2026-12-01T10:00:00.1234567890Z',
    '+02026-12-01T10:00:00Z',
    '0001-01-01T00:00:00Z',
    '1969-12-31T23:59:59Z',
    '1970-01-01T01:00:00+02:00',
    '2200-01-01T00:00:00Z',
    '２０２６-12-01T10:00:00Z',
    'yesterday',
    '',
    ' 2026-12-01T10:00:00Z',
    '2026-12-01T10:00:00Z ',
  ])('rejects %p', (value) => {
    expect(parseInstantMs(value)).toBeNull();
    expect(parseInstant(value)).toBeUndefined();
  });

  it.each([undefined, null, 1_700_000_000_000, new Date(Date.UTC(2026, 11, 1)), {}, ['2026-12-01T10:00:00Z']])('rejects the non-string %p', (value) => {
    expect(parseInstantMs(value)).toBeNull();
  });

  it('agrees with luxon on every well-formed instant it accepts, and accepts every real one', () => {
    // A deterministic walk over the fields, including impossible days and times.
    let seed = 42;
    const next = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    const two = (n: number) => String(n).padStart(2, '0');
    let accepted = 0;
    for (let i = 0; i < 5000; i++) {
      const year = 1971 + next(225);
      const month = 1 + next(12);
      const day = 1 + next(31);
      const time = `${two(next(24))}:${two(next(60))}${next(2) ? `:${two(next(60))}${next(2) ? `.${String(next(1_000_000)).padStart(6, '0')}` : ''}` : ''}`;
      const offset = next(3) === 0 ? 'Z' : `${next(2) ? '+' : '-'}${two(next(15))}:${two(next(4) * 15)}`;
      const value = `${year}-${two(month)}-${two(day)}T${time}${offset}`;
      const luxon = DateTime.fromISO(value, { setZone: true });
      const offsetOk = offset === 'Z' || Math.abs(luxon.offset) <= 14 * 60;
      const expected = luxon.isValid && offsetOk && luxon.toMillis() < Date.UTC(2200, 0, 1) ? luxon.toMillis() : null;
      expect({ value, ms: parseInstantMs(value) }).toEqual({ value, ms: expected });
      if (expected !== null) accepted++;
    }
    // The walk must exercise both answers.
    expect(accepted).toBeGreaterThan(3000);
    expect(accepted).toBeLessThan(5000);
  });
});

describe('lacksOffset', () => {
  it('spots a local date-time without an offset, nothing else', () => {
    expect(lacksOffset('2027-01-11T10:00')).toBe(true);
    expect(lacksOffset('2027-01-11T10:00:00.5')).toBe(true);
    expect(lacksOffset('2027-01-11T10:00Z')).toBe(false);
    expect(lacksOffset('2027-01-11')).toBe(false);
    expect(lacksOffset(20270111)).toBe(false);
  });
});
