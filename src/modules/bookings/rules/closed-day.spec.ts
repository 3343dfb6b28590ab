import { resolveOpeningHours } from '../../locations/opening-hours/resolve-opening-hours';
import { isClosedDay } from './booking-rules';

const H = 'Europe/Helsinki';
const at = (iso: string) => Date.parse(iso);
/** Monday to Friday 10:00–18:00. */
const weekdays = { validFrom: null, validUntil: null, days: Object.fromEntries([1, 2, 3, 4, 5].map((d) => [d, [[600, 1080] as const]])) };
const resolve = (over: Partial<Parameters<typeof resolveOpeningHours>[0]> = {}) =>
  resolveOpeningHours({ timeZone: H, from: '2027-01-11', to: '2027-01-17', active: true, periods: [weekdays], exceptions: [], holidays: [], closures: [], ...over });

describe('isClosedDay (decided on the resolver’s closedBy code, not on display text)', () => {
  it('an ordinary weekend day or a day without published hours is not a closed day', () => {
    const days = resolve();
    expect(days.find((d) => d.date === '2027-01-16')).toMatchObject({ closedBy: 'weekday' });
    expect(isClosedDay(days.find((d) => d.date === '2027-01-16')!)).toBe(false);
    expect(resolve({ periods: [] }).map(isClosedDay)).toEqual([false, false, false, false, false, false, false]);
  });

  it('a whole-day closure is a closed day, whatever its reason says (even "Closed")', () => {
    const days = resolve({ closures: [{ start: at('2027-01-12T00:00:00+02:00'), end: at('2027-01-13T00:00:00+02:00'), reason: 'Closed' }] });
    const tuesday = days.find((d) => d.date === '2027-01-12')!;
    expect(tuesday).toMatchObject({ hours: [], closedBy: 'closure' });
    expect(isClosedDay(tuesday)).toBe(true);
  });

  it('a closing exception, a holiday and a branch out of use close the day', () => {
    expect(isClosedDay(resolve({ exceptions: [{ date: '2027-01-12', hours: [], reason: null }] }).find((d) => d.date === '2027-01-12')!)).toBe(true);
    expect(resolve({ active: false }).every(isClosedDay)).toBe(true);
    const holiday = resolve({ holidays: [{ date: '2027-01-13', start: 0, end: 1440, name: { fi: 'Pyhä', sv: 'Helg', en: 'Holiday' } }] });
    expect(isClosedDay(holiday.find((d) => d.date === '2027-01-13')!)).toBe(true);
  });
});
