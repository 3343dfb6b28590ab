import { resolveOpeningHours } from '../locations/opening-hours/resolve-opening-hours';
import { claimOpeningProblem } from './claim-opening';

const H = 'Europe/Helsinki';
const weekdays = { validFrom: null, validUntil: null, days: Object.fromEntries([1, 2, 3, 4, 5].map((d) => [d, [[540, 1140] as const]])) };
const dayOf = (date: string, over: Partial<Parameters<typeof resolveOpeningHours>[0]> = {}) =>
  resolveOpeningHours({ timeZone: H, from: date, to: date, active: true, periods: [weekdays], exceptions: [], holidays: [], closures: [], ...over })[0];
const claim = (date: string, from: string, to: string) => ({ start: new Date(`${date}T${from}:00+02:00`), end: new Date(`${date}T${to}:00+02:00`) });

describe('claimOpeningProblem', () => {
  it('passes a claim inside the day’s hours', () => {
    expect(claimOpeningProblem(dayOf('2027-01-12'), [], claim('2027-01-12', '09:00', '19:00'))).toBeNull();
  });

  it('says outside-opening-hours past closing time and on an ordinary closed weekday', () => {
    expect(claimOpeningProblem(dayOf('2027-01-12'), [], claim('2027-01-12', '17:00', '20:00'))).toBe('outside-opening-hours');
    expect(claimOpeningProblem(dayOf('2027-01-16'), [], claim('2027-01-16', '10:00', '12:00'))).toBe('outside-opening-hours');
  });

  it('says location-closed on a holiday and where a closure overlaps', () => {
    const holiday = dayOf('2027-01-06', { holidays: [{ date: '2027-01-06', start: 0, end: 1440, name: { fi: 'Loppiainen', sv: 'Trettondagen', en: 'Epiphany' } }] });
    expect(claimOpeningProblem(holiday, [], claim('2027-01-06', '10:00', '12:00'))).toBe('location-closed');
    const closure = { start: new Date('2027-01-12T12:00:00+02:00'), end: new Date('2027-01-12T13:00:00+02:00') };
    const closed = dayOf('2027-01-12', { closures: [{ start: closure.start.getTime(), end: closure.end.getTime(), reason: null }] });
    expect(claimOpeningProblem(closed, [closure], claim('2027-01-12', '10:00', '14:00'))).toBe('location-closed');
    expect(claimOpeningProblem(closed, [closure], claim('2027-01-12', '13:00', '14:00'))).toBeNull();
  });
});
