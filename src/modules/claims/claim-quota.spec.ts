import { minutesByMonth, quotaBreach, quotaMonthOf } from './claim-quota';

describe('claim quotas', () => {
  it('counts calendar months in Helsinki', () => {
    // 23:30 UTC on 31 January is already 1 February in Helsinki.
    expect(quotaMonthOf(new Date('2027-01-31T23:30:00Z'))).toEqual({ month: '2027-02', from: new Date('2027-01-31T22:00:00Z'), to: new Date('2027-02-28T22:00:00Z') });
    const months = minutesByMonth([
      { start: new Date('2027-01-20T08:00:00Z'), end: new Date('2027-01-20T10:00:00Z') },
      { start: new Date('2027-01-27T08:00:00Z'), end: new Date('2027-01-27T09:30:00Z') },
      { start: new Date('2027-02-03T08:00:00Z'), end: new Date('2027-02-03T10:00:00Z') },
    ]);
    expect([...months].map(([m, v]) => [m, v.minutes])).toEqual([
      ['2027-01', 210],
      ['2027-02', 120],
    ]);
  });

  it('applies both the partner-wide and the branch quota, and reports hours', () => {
    const limits = { partner: 20, location: 5 };
    expect(quotaBreach({ month: '2027-01', limits, usedMinutes: { partner: 600, location: 120 }, askedMinutes: 180 })).toBeNull();
    expect(quotaBreach({ month: '2027-01', limits, usedMinutes: { partner: 600, location: 120 }, askedMinutes: 210 })).toEqual({
      scope: 'location',
      month: '2027-01',
      limit: 5,
      used: 2,
      asked: 3.5,
    });
    expect(quotaBreach({ month: '2027-01', limits, usedMinutes: { partner: 1140, location: 0 }, askedMinutes: 90 })).toMatchObject({ scope: 'partner', used: 19, asked: 1.5 });
    expect(quotaBreach({ month: '2027-01', limits: { partner: null, location: null }, usedMinutes: { partner: 99999, location: 99999 }, askedMinutes: 600 })).toBeNull();
    expect(quotaBreach({ month: '2027-01', limits: { partner: 0, location: null }, usedMinutes: { partner: 0, location: 0 }, askedMinutes: 30 })).toMatchObject({ limit: 0 });
  });
});
