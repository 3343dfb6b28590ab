import { longerThanDays, parseRangeBound } from './instants';

describe('instants', () => {
  it('reads date bounds as local days, the `to` date inclusive', () => {
    expect(parseRangeBound('2026-12-01', 'from', 'Europe/Helsinki')?.toISOString()).toBe('2026-11-30T22:00:00.000Z');
    expect(parseRangeBound('2026-12-01', 'to', 'Europe/Helsinki')?.toISOString()).toBe('2026-12-01T22:00:00.000Z');
    expect(parseRangeBound('2027-03-27', 'to', 'Europe/Helsinki')?.toISOString()).toBe('2027-03-27T22:00:00.000Z');
    expect(parseRangeBound('2026-12-01T10:00:00+02:00', 'to', 'Europe/Helsinki')?.toISOString()).toBe('2026-12-01T08:00:00.000Z');
    expect(parseRangeBound('2026-02-30', 'from', 'Europe/Helsinki')).toBeUndefined();
    expect(parseRangeBound('2026-12-01T10:00', 'from', 'Europe/Helsinki')).toBeUndefined();
  });

  it('measures ranges in real days', () => {
    const start = new Date('2026-01-01T00:00:00Z');
    expect(longerThanDays(start, new Date('2027-01-02T00:00:00Z'))).toBe(false);
    expect(longerThanDays(start, new Date('2027-01-02T00:00:01Z'))).toBe(true);
  });
});
