import { rangeIn, searchRange } from './search-range';

const now = Date.parse('2026-12-01T08:00:00Z');

describe('searchRange', () => {
  it('defaults to now … now + 14 days', () => {
    const r = searchRange(undefined, undefined, now);
    expect(rangeIn(r, 'Europe/Helsinki')).toEqual({ from: now, to: now + 14 * 86_400_000 });
  });

  it('reads dates as local days, `to` inclusive', () => {
    const r = searchRange('2027-03-28', '2027-03-28', now);
    expect(rangeIn(r, 'Europe/Helsinki')).toEqual({ from: Date.parse('2027-03-28T00:00:00+02:00'), to: Date.parse('2027-03-29T00:00:00+03:00') });
  });

  it('allows 62 days and refuses 63', () => {
    expect(() => searchRange('2026-12-01', '2027-01-31', now)).not.toThrow();
    expect(() => searchRange('2026-12-01', '2027-02-01', now)).toThrow(expect.objectContaining({ code: 'range-too-long' }));
    expect(() => searchRange('2026-12-01T00:00:00Z', '2027-02-02T00:00:00Z', now)).toThrow(expect.objectContaining({ code: 'range-too-long' }));
  });

  it('refuses instants without an offset, bad dates and reversed ranges with 422 on the field', () => {
    expect(() => searchRange('2026-12-01T10:00:00', undefined, now)).toThrow(expect.objectContaining({ code: 'validation-failed', errors: [expect.objectContaining({ field: 'from', code: 'offset-required' })] }));
    expect(() => searchRange('2026-02-30', undefined, now)).toThrow(expect.objectContaining({ errors: [expect.objectContaining({ field: 'from' })] }));
    expect(() => searchRange(undefined, 'tomorrow', now)).toThrow(expect.objectContaining({ errors: [expect.objectContaining({ field: 'to' })] }));
    expect(() => searchRange('2026-12-10', '2026-12-01', now)).toThrow(expect.objectContaining({ errors: [expect.objectContaining({ field: 'to', code: 'end-before-start' })] }));
  });
});
