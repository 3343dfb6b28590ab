import { formatDate, formatDateTime, formatIsoDate, formatTime, formatTimeRange, localIsoDate, mondayOf } from './dates';

const HKI = 'Europe/Helsinki';
const at = (iso: string) => Date.parse(iso);

describe('dates as Finns, Swedish speakers and English readers write them', () => {
  const tuesday10 = at('2026-12-01T10:00:00+02:00');

  it('writes a date and time in each language', () => {
    expect(formatDateTime(tuesday10, HKI, 'fi')).toBe('ti 1.12. klo 10.00');
    expect(formatDateTime(tuesday10, HKI, 'sv')).toBe('tis 1.12. kl. 10.00');
    expect(formatDateTime(tuesday10, HKI, 'en')).toBe('Tue 1 Dec at 10:00');
  });

  it('uses the branch’s wall clock, not UTC', () => {
    // 23:30 UTC on Monday is already Tuesday 01:30 in Helsinki.
    expect(formatDateTime(at('2026-11-30T23:30:00Z'), HKI, 'fi')).toBe('ti 1.12. klo 1.30');
    expect(formatTime(at('2026-12-01T08:05:00Z'), HKI, 'en')).toBe('10:05');
  });

  it('follows summer time on the day it starts and ends (29.3.2026, 25.10.2026)', () => {
    // 29 March 2026: clocks go from 03:00 to 04:00; 10:00 local is 07:00 UTC.
    expect(formatDateTime(at('2026-03-29T07:00:00Z'), HKI, 'fi')).toBe('su 29.3. klo 10.00');
    expect(formatDateTime(at('2026-03-28T08:00:00Z'), HKI, 'fi')).toBe('la 28.3. klo 10.00');
    // 25 October 2026: back from 04:00 to 03:00; 10:00 local is 08:00 UTC again.
    expect(formatDateTime(at('2026-10-25T08:00:00Z'), HKI, 'sv')).toBe('sön 25.10. kl. 10.00');
    expect(formatDateTime(at('2026-10-24T07:00:00Z'), HKI, 'en')).toBe('Sat 24 Oct at 10:00');
  });

  it('writes a range with the end’s time only, and years when asked', () => {
    expect(formatTimeRange(tuesday10, tuesday10 + 45 * 60_000, HKI, 'fi')).toBe('ti 1.12. klo 10.00–10.45');
    expect(formatDate(tuesday10, HKI, 'fi', { year: true })).toBe('ti 1.12.2026');
    expect(formatDate(tuesday10, HKI, 'en', { year: true })).toBe('Tue 1 Dec 2026');
    expect(formatDate(tuesday10, HKI, 'sv', { long: true })).toBe('tisdag 1.12.');
  });

  it('writes local dates and finds the local week’s Monday', () => {
    expect(formatIsoDate('2027-01-04', 'fi', { long: true })).toBe('maanantai 4.1.');
    expect(localIsoDate(at('2026-11-30T23:30:00Z'), HKI)).toBe('2026-12-01');
    expect(mondayOf(at('2026-12-06T21:59:00Z'), HKI)).toBe('2026-11-30');
    expect(mondayOf(at('2026-12-06T22:00:00Z'), HKI)).toBe('2026-12-07');
  });
});
