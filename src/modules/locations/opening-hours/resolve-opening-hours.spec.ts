import { finnishHolidays } from './finnish-holidays';
import { CLOSED_REASONS, dayToInstants, OpeningHoursInput, openIntervalsOf, resolveOpeningHours } from './resolve-opening-hours';
import type { WeeklyPeriod } from './types';

const HKI = 'Europe/Helsinki';
const M = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
const iv = (s: string, e: string) => [M(s), M(e)] as const;
const ms = (s: string) => Date.parse(s);

const WINTER: WeeklyPeriod = {
  validFrom: '2026-08-15',
  validUntil: '2027-05-31',
  days: { 1: [iv('10:00', '19:00')], 2: [iv('10:00', '19:00')], 3: [iv('10:00', '19:00')], 4: [iv('10:00', '19:00')], 5: [iv('10:00', '16:00')], 6: [iv('10:00', '15:00')] },
};
const SUMMER: WeeklyPeriod = {
  validFrom: '2027-06-01',
  validUntil: '2027-08-14',
  days: { 1: [iv('12:00', '18:00')], 2: [iv('12:00', '18:00')], 3: [iv('12:00', '18:00')], 4: [iv('12:00', '18:00')], 5: [iv('10:00', '12:00'), iv('13:00', '15:00')] },
};

function input(overrides: Partial<OpeningHoursInput>): OpeningHoursInput {
  const from = overrides.from ?? '2026-12-01';
  const to = overrides.to ?? from;
  return { timeZone: HKI, from, to, active: true, periods: [WINTER, SUMMER], exceptions: [], holidays: finnishHolidays(from, to), closures: [], ...overrides };
}
const byDate = (days: ReturnType<typeof resolveOpeningHours>) => Object.fromEntries(days.map((d) => [d.date, d]));

describe('resolveOpeningHours', () => {
  it('gives one item per local date, to inclusive, with weekly hours by weekday', () => {
    const days = resolveOpeningHours(input({ from: '2026-11-30', to: '2026-12-06' }));
    expect(days.map((d) => d.date)).toEqual(['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05', '2026-12-06']);
    expect(days.map((d) => d.hours)).toEqual([
      [['10:00', '19:00']],
      [['10:00', '19:00']],
      [['10:00', '19:00']],
      [['10:00', '19:00']],
      [['10:00', '16:00']],
      [['10:00', '15:00']],
      [],
    ]);
    // 2026-11-30 is a Monday; the instants carry +02:00 in winter.
    expect(new Date(days[0].intervals[0].start).toISOString()).toBe('2026-11-30T08:00:00.000Z');
  });

  it('switches to summer hours on the period boundary', () => {
    const d = byDate(resolveOpeningHours(input({ from: '2027-05-31', to: '2027-06-04' })));
    expect(d['2027-05-31'].hours).toEqual([['10:00', '19:00']]); // Monday, last winter day
    expect(d['2027-06-01'].hours).toEqual([['12:00', '18:00']]); // Tuesday, first summer day
    expect(d['2027-06-04'].hours).toEqual([
      ['10:00', '12:00'],
      ['13:00', '15:00'],
    ]);
    expect(new Date(d['2027-06-01'].intervals[0].start).toISOString()).toBe('2027-06-01T09:00:00.000Z'); // +03:00
  });

  it('closes on Finnish holidays with the name in fi/sv/en', () => {
    const d = byDate(resolveOpeningHours(input({ from: '2026-12-06', to: '2027-01-06' })));
    for (const date of ['2026-12-24', '2026-12-25', '2026-12-26', '2026-12-31', '2027-01-01', '2027-01-06']) {
      expect(d[date].hours).toEqual([]);
      expect(d[date].holiday).toBeDefined();
      expect(d[date].closedReason).toEqual(d[date].holiday);
    }
    expect(d['2026-12-06'].holiday).toEqual({ fi: 'Itsenäisyyspäivä', sv: 'Självständighetsdagen', en: 'Independence Day' });
    // A weekday that is not a holiday stays open.
    expect(d['2026-12-23'].hours).toEqual([['10:00', '19:00']]);
    expect(d['2026-12-23'].holiday).toBeUndefined();
  });

  it('lets an exception open Christmas Eve (it beats the holiday) and keeps the holiday name', () => {
    const d = byDate(
      resolveOpeningHours(
        input({ from: '2026-12-24', to: '2026-12-25', exceptions: [{ date: '2026-12-24', hours: [iv('10:00', '13:00')], reason: 'Jouluaaton aamupäivä' }] }),
      ),
    );
    expect(d['2026-12-24'].hours).toEqual([['10:00', '13:00']]);
    expect(d['2026-12-24'].holiday?.en).toBe('Christmas Eve');
    expect(d['2026-12-24'].exception).toEqual({ reason: { fi: 'Jouluaaton aamupäivä', sv: 'Jouluaaton aamupäivä', en: 'Jouluaaton aamupäivä' } });
    expect(d['2026-12-24'].closedReason).toBeUndefined();
    expect(d['2026-12-25'].hours).toEqual([]);
  });

  it('lets an exception close a normal day, with its reason or a generic one', () => {
    const reason = { fi: 'Henkilökunnan koulutus', sv: 'Personalutbildning', en: 'Staff training' };
    const d = byDate(
      resolveOpeningHours(
        input({
          from: '2026-12-01',
          to: '2026-12-02',
          exceptions: [
            { date: '2026-12-01', hours: [], reason },
            { date: '2026-12-02', hours: [], reason: null },
          ],
        }),
      ),
    );
    expect(d['2026-12-01']).toMatchObject({ hours: [], closedReason: reason, exception: { reason } });
    expect(d['2026-12-02']).toMatchObject({ hours: [], closedReason: CLOSED_REASONS.exception });
  });

  it('subtracts a closure across midnight from both days, last of all', () => {
    const d = byDate(
      resolveOpeningHours(
        input({
          from: '2026-12-01',
          to: '2026-12-03',
          periods: [{ validFrom: null, validUntil: null, days: { 2: [iv('10:00', '24:00')], 3: [iv('00:00', '02:00'), iv('10:00', '19:00')] } }],
          closures: [{ start: ms('2026-12-01T22:00:00+02:00'), end: ms('2026-12-02T12:00:00+02:00'), reason: 'Vesivahinko' }],
        }),
      ),
    );
    expect(d['2026-12-01'].hours).toEqual([['10:00', '22:00']]);
    expect(d['2026-12-02'].hours).toEqual([['12:00', '19:00']]);
    expect(d['2026-12-03'].hours).toEqual([]);
  });

  it('subtracts a closure even from hours an exception opened, and names it when the day is gone', () => {
    const d = byDate(
      resolveOpeningHours(
        input({
          from: '2026-12-24',
          to: '2026-12-24',
          exceptions: [{ date: '2026-12-24', hours: [iv('10:00', '13:00')], reason: null }],
          closures: [{ start: ms('2026-12-24T00:00:00+02:00'), end: ms('2026-12-25T00:00:00+02:00'), reason: 'Sähkökatko' }],
        }),
      ),
    );
    expect(d['2026-12-24'].hours).toEqual([]);
    expect(d['2026-12-24'].closedReason).toEqual({ fi: 'Sähkökatko', sv: 'Sähkökatko', en: 'Sähkökatko' });
  });

  it('says why a day is closed when no period covers it, or the weekday has no hours', () => {
    const d = byDate(resolveOpeningHours(input({ from: '2027-08-14', to: '2027-08-16' })));
    expect(d['2027-08-14']).toMatchObject({ hours: [], closedReason: CLOSED_REASONS.weekday }); // Saturday, summer: no hours
    expect(d['2027-08-16']).toMatchObject({ hours: [], closedReason: CLOSED_REASONS.noHours });
  });

  it('closes every day of an inactive branch', () => {
    const days = resolveOpeningHours(input({ from: '2026-12-01', to: '2026-12-03', active: false }));
    expect(days.map((d) => d.closedReason)).toEqual([CLOSED_REASONS.inactive, CLOSED_REASONS.inactive, CLOSED_REASONS.inactive]);
    expect(days.flatMap((d) => d.intervals)).toEqual([]);
  });

  it('subtracts a partial holiday span from the day', () => {
    const d = byDate(
      resolveOpeningHours(
        input({ from: '2026-12-01', to: '2026-12-01', holidays: [{ date: '2026-12-01', start: M('14:00'), end: 1440, name: { fi: 'X', sv: 'X', en: 'X' } }] }),
      ),
    );
    expect(d['2026-12-01'].hours).toEqual([['10:00', '14:00']]);
    expect(d['2026-12-01'].closedReason).toBeUndefined();
  });

  it('applies the DST rule on the change days', () => {
    const period: WeeklyPeriod = { validFrom: null, validUntil: null, days: { 7: [iv('02:00', '05:00'), iv('10:00', '12:00')] } };
    const d = byDate(resolveOpeningHours(input({ from: '2027-03-28', to: '2027-03-28', periods: [period], holidays: [] })));
    // Spring forward: 03:00–04:00 does not exist; 02:00–05:00 is two real hours, written as on the wall.
    expect(d['2027-03-28'].intervals.map((i) => (i.end - i.start) / 3_600_000)).toEqual([2, 2]);
    expect(new Date(d['2027-03-28'].intervals[1].start).toISOString()).toBe('2027-03-28T07:00:00.000Z');
    const autumn = byDate(resolveOpeningHours(input({ from: '2027-10-31', to: '2027-10-31', periods: [period], holidays: [] })));
    expect(autumn['2027-10-31'].intervals.map((i) => (i.end - i.start) / 3_600_000)).toEqual([4, 2]);
    expect(autumn['2027-10-31'].hours).toEqual([
      ['02:00', '05:00'],
      ['10:00', '12:00'],
    ]);
  });

  it('rejects bad dates', () => {
    expect(() => resolveOpeningHours(input({ from: '2026-02-30' }))).toThrow(RangeError);
  });
});

describe('dayToInstants and openIntervalsOf', () => {
  it('turns a resolved day into instants and merges across midnight', () => {
    expect(dayToInstants({ date: '2027-03-28', hours: [['10:00', '12:00']] }, HKI)).toEqual([
      { start: ms('2027-03-28T10:00:00+03:00'), end: ms('2027-03-28T12:00:00+03:00') },
    ]);
    const days = resolveOpeningHours(
      input({ from: '2026-12-01', to: '2026-12-02', holidays: [], periods: [{ validFrom: null, validUntil: null, days: { 2: [iv('20:00', '24:00')], 3: [iv('00:00', '01:00')] } }] }),
    );
    expect(openIntervalsOf(days, ms('2026-12-01T00:00:00Z'), ms('2026-12-03T00:00:00Z'))).toEqual([
      { start: ms('2026-12-01T20:00:00+02:00'), end: ms('2026-12-02T01:00:00+02:00') },
    ]);
    expect(openIntervalsOf(days, ms('2026-12-01T21:00:00+02:00'), ms('2026-12-01T22:00:00+02:00'))).toEqual([
      { start: ms('2026-12-01T21:00:00+02:00'), end: ms('2026-12-01T22:00:00+02:00') },
    ]);
  });

  it('rejects a malformed wall time', () => {
    expect(() => dayToInstants({ date: '2026-12-01', hours: [['25:00', '26:00']] }, HKI)).toThrow(RangeError);
  });
});
