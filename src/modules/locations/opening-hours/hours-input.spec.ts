import { parseDayIntervals, parseException, parseReason, parseWeeklyHours, weeklyHoursView } from './hours-input';

const fields = (errors: { field: string; code: string }[]) => errors.map((e) => `${e.field}:${e.code}`);

describe('parseDayIntervals', () => {
  it('reads and sorts pairs, allowing touching intervals and a 24:00 end', () => {
    const errors: never[] = [];
    expect(parseDayIntervals([['13:00', '24:00'], ['10:00', '13:00']], 'd', errors)).toEqual([
      [600, 780],
      [780, 1440],
    ]);
    expect(errors).toEqual([]);
  });

  it.each([
    [[['25:00', '26:00']], ['d.0.0:invalid-time', 'd.0.1:invalid-time']],
    [[['24:00', '24:00']], ['d.0.0:invalid-time']],
    [[['12:00', '10:00']], ['d.0:end-before-start']],
    [[['10:00', '10:00']], ['d.0:end-before-start']],
    [[['10:00', '14:00'], ['13:00', '15:00']], ['d.1:overlap']],
    [[['10:00']], ['d.0:invalid-interval']],
    [['10:00-12:00'], ['d.0:invalid-interval']],
    ['10:00', ['d:invalid-hours']],
  ])('rejects %j', (value, expected) => {
    const errors: { field: string; code: string; message: string }[] = [];
    parseDayIntervals(value, 'd', errors);
    expect(fields(errors)).toEqual(expected);
  });
});

describe('parseWeeklyHours', () => {
  it('reads winter and summer periods', () => {
    const { periods, errors } = parseWeeklyHours({
      periods: [
        { validFrom: '2026-08-15', validUntil: '2027-05-31', days: { '1': [['10:00', '19:00']], '6': [['10:00', '15:00']] } },
        { validFrom: '2027-06-01', validUntil: null, days: { '1': [['12:00', '18:00']], '7': [] } },
      ],
    });
    expect(errors).toEqual([]);
    expect(periods).toEqual([
      { validFrom: '2026-08-15', validUntil: '2027-05-31', days: { 1: [[600, 1140]], 6: [[600, 900]] } },
      { validFrom: '2027-06-01', validUntil: null, days: { 1: [[720, 1080]] } },
    ]);
    expect(weeklyHoursView(periods).periods[0].days).toEqual({ '1': [['10:00', '19:00']], '6': [['10:00', '15:00']] });
  });

  it('rejects weekdays outside 1..7, bad dates, validFrom after validUntil and unknown fields', () => {
    const { errors } = parseWeeklyHours({
      periods: [
        { validFrom: '2026-02-30', validUntil: null, days: { '0': [], '8': [], '1': [['09:00', '10:00']] } },
        { validFrom: '2027-06-01', validUntil: '2027-05-01', days: {}, color: 'red' },
      ],
    });
    expect(fields(errors).sort()).toEqual(
      ['periods.0.validFrom:invalid-date', 'periods.0.days.0:invalid-weekday', 'periods.0.days.8:invalid-weekday', 'periods.1.validUntil:end-before-start', 'periods.1.color:unknown-field'].sort(),
    );
  });

  it('rejects overlapping periods, including open-ended ones', () => {
    expect(fields(parseWeeklyHours({ periods: [{ validFrom: '2026-01-01', validUntil: '2026-06-30', days: {} }, { validFrom: '2026-06-30', days: {} }] }).errors)).toEqual([
      'periods.1:overlap',
    ]);
    expect(fields(parseWeeklyHours({ periods: [{ days: {} }, { validFrom: '2030-01-01', days: {} }] }).errors)).toEqual(['periods.1:overlap']);
    expect(parseWeeklyHours({ periods: [{ validUntil: '2026-06-30', days: {} }, { validFrom: '2026-07-01', days: {} }] }).errors).toEqual([]);
  });

  it('needs periods and days', () => {
    expect(fields(parseWeeklyHours({}).errors)).toEqual(['periods:required']);
    expect(fields(parseWeeklyHours({ periods: [{ validFrom: '2026-01-01' }] }).errors)).toEqual(['periods.0.days:required']);
  });
});

describe('parseReason and parseException', () => {
  it('keeps strings, fills missing languages from fi and rejects other shapes', () => {
    const errors: { field: string; code: string; message: string }[] = [];
    expect(parseReason('Inventaario', 'reason', errors)).toBe('Inventaario');
    expect(parseReason({ fi: 'Inventaario', en: 'Stocktaking' }, 'reason', errors)).toEqual({ fi: 'Inventaario', sv: 'Inventaario', en: 'Stocktaking' });
    expect(errors).toEqual([]);
    parseReason({ sv: 'Inventering', de: 'Inventur' }, 'reason', errors);
    parseReason(42, 'r2', errors);
    parseReason('', 'r3', errors);
    expect(fields(errors)).toEqual(['reason.de:unknown-field', 'reason.fi:invalid-reason', 'r2:invalid-reason', 'r3:invalid-reason']);
  });

  it('needs hours ([] is closed) and refuses unknown fields', () => {
    expect(parseException('2026-12-24', { hours: [] })).toEqual({ exception: { date: '2026-12-24', hours: [], reason: null }, errors: [] });
    expect(fields(parseException('2026-12-24', { reason: 'x' }).errors)).toEqual(['hours:required']);
    expect(fields(parseException('2026-12-24', { hours: [], note: 'x' }).errors)).toEqual(['note:unknown-field']);
  });
});
