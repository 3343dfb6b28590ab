import { DateTime } from 'luxon';
import { expandWeekly, MAX_SERIES_CLAIMS } from './claim-series';

const H = 'Europe/Helsinki';
const local = (d: Date) => DateTime.fromJSDate(d, { zone: H });

describe('expandWeekly', () => {
  it('keeps the local wall time across the October change: the offset moves, the clock does not', () => {
    const r = expandWeekly({ start: new Date('2027-09-07T10:00:00+03:00'), end: new Date('2027-09-07T14:00:00+03:00'), timeZone: H, until: '2028-01-18' });
    if (!r.ok) throw new Error(r.message);
    expect(r.times).toHaveLength(20);
    expect(r.times.map((t) => local(t.start).toFormat('HH:mm'))).toEqual(Array(20).fill('10:00'));
    expect(r.times.map((t) => local(t.end).toFormat('HH:mm'))).toEqual(Array(20).fill('14:00'));
    expect(r.times.map((t) => local(t.start).weekday)).toEqual(Array(20).fill(2));
    expect(r.times[7].start.toISOString()).toBe('2027-10-26T07:00:00.000Z');
    expect(r.times[8].start.toISOString()).toBe('2027-11-02T08:00:00.000Z');
    expect(local(r.times[19].start).toISODate()).toBe('2028-01-18');
  });

  it('keeps the wall time across the March change, and moves a time in the gap forward', () => {
    const r = expandWeekly({ start: new Date('2027-03-21T03:30:00+02:00'), end: new Date('2027-03-21T05:00:00+02:00'), timeZone: H, until: '2027-04-04' });
    if (!r.ok) throw new Error(r.message);
    expect(r.times.map((t) => t.start.toISOString())).toEqual(['2027-03-21T01:30:00.000Z', '2027-03-28T01:30:00.000Z', '2027-04-04T00:30:00.000Z']);
    expect(local(r.times[1].start).toFormat('HH:mm')).toBe('04:30');
    expect(r.times.map((t) => t.end.toISOString())).toEqual(['2027-03-21T03:00:00.000Z', '2027-03-28T02:00:00.000Z', '2027-04-04T02:00:00.000Z']);
  });

  it('gives the one claim without until, and the first date alone when until is that date', () => {
    const start = new Date('2027-01-11T08:00:00Z');
    const end = new Date('2027-01-11T10:00:00Z');
    expect(expandWeekly({ start, end, timeZone: H, until: null })).toEqual({ ok: true, times: [{ start, end }] });
    expect(expandWeekly({ start, end, timeZone: H, until: '2027-01-17' })).toEqual({ ok: true, times: [{ start, end }] });
  });

  it('refuses an until before the first date, and a series over a year', () => {
    const start = new Date('2027-01-11T08:00:00Z');
    const end = new Date('2027-01-11T10:00:00Z');
    expect(expandWeekly({ start, end, timeZone: H, until: '2027-01-10' })).toMatchObject({ ok: false, code: 'until-before-start' });
    expect(expandWeekly({ start, end, timeZone: H, until: '2028-01-12' })).toMatchObject({ ok: false, code: 'too-long' });
    const year = expandWeekly({ start, end, timeZone: H, until: '2028-01-11' });
    expect(year.ok && year.times.length).toBe(MAX_SERIES_CLAIMS);
  });
});
