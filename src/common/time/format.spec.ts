import { formatInstant, formatLocalDate } from './format';

const H = 'Europe/Helsinki';

describe('formatInstant', () => {
  it('writes the zone offset, no milliseconds', () => {
    expect(formatInstant(new Date('2027-03-28T07:00:00Z'), H)).toBe('2027-03-28T10:00:00+03:00');
    expect(formatInstant(new Date('2027-10-31T08:00:00Z'), H)).toBe('2027-10-31T10:00:00+02:00');
    expect(formatInstant(Date.parse('2026-12-01T08:00:00Z'), H)).toBe('2026-12-01T10:00:00+02:00');
  });

  it('prints both occurrences of a repeated hour with their own offsets', () => {
    expect(formatInstant(new Date('2027-10-31T00:30:00Z'), H)).toBe('2027-10-31T03:30:00+03:00');
    expect(formatInstant(new Date('2027-10-31T01:30:00Z'), H)).toBe('2027-10-31T03:30:00+02:00');
    expect(formatInstant(new Date('2027-03-28T00:59:59Z'), H)).toBe('2027-03-28T02:59:59+02:00');
    expect(formatInstant(new Date('2027-03-28T01:00:00Z'), H)).toBe('2027-03-28T04:00:00+03:00');
  });

  it('truncates milliseconds', () => {
    expect(formatInstant(new Date('2027-03-28T07:00:05.999Z'), H)).toBe('2027-03-28T10:00:05+03:00');
    expect(formatInstant(-1, 'UTC')).toBe('1969-12-31T23:59:59+00:00');
  });

  it('writes UTC and negative and non-hour offsets', () => {
    expect(formatInstant(new Date('2027-03-28T07:00:00Z'), 'UTC')).toBe('2027-03-28T07:00:00+00:00');
    expect(formatInstant(new Date('2027-01-02T03:00:00Z'), 'America/New_York')).toBe('2027-01-01T22:00:00-05:00');
    expect(formatInstant(new Date('2027-01-02T03:00:00Z'), 'Asia/Kathmandu')).toBe('2027-01-02T08:45:00+05:45');
    expect(formatInstant(new Date('2027-01-02T03:00:00Z'), 'America/St_Johns')).toBe('2027-01-01T23:30:00-03:30');
  });

  it('round-trips through Date parsing', () => {
    for (let t = Date.parse('2027-03-27T00:00:00Z'); t < Date.parse('2027-03-29T00:00:00Z'); t += 17 * 60_000) {
      expect(Date.parse(formatInstant(t, H))).toBe(t);
    }
  });

  it('rejects invalid instants and zones', () => {
    expect(() => formatInstant(new Date('nope'), H)).toThrow(RangeError);
    expect(() => formatInstant(0, 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('formatLocalDate', () => {
  it('gives the local date', () => {
    expect(formatLocalDate(new Date('2027-01-01T22:30:00Z'), H)).toBe('2027-01-02');
    expect(formatLocalDate(new Date('2027-01-01T21:30:00Z'), H)).toBe('2027-01-01');
  });
});
