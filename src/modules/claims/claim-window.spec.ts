import { claimWindowErrors } from './claim-window';

const H = 'Europe/Helsinki';
const base = { timeZone: H, now: new Date('2027-01-04T06:00:00Z'), mode: 'bookable' as const, sessionMinutes: 45, bufferMinutes: 15 };
const at = (s: string) => new Date(s);
const codes = (over: Partial<Parameters<typeof claimWindowErrors>[0]>) =>
  claimWindowErrors({ ...base, start: at('2027-01-11T10:00:00+02:00'), end: at('2027-01-11T14:00:00+02:00'), ...over }).map((e) => `${e.field}:${e.code}`);

describe('claimWindowErrors', () => {
  it('accepts a bookable block holding sessions, and a drop-in block without', () => {
    expect(codes({})).toEqual([]);
    expect(codes({ mode: 'drop-in', sessionMinutes: null, bufferMinutes: 0 })).toEqual([]);
    expect(codes({ start: at('2027-01-11T14:00:00+02:00'), end: at('2027-01-12T00:00:00+02:00') })).toEqual([]);
  });

  it('refuses bad times: order, length, two dates, the past', () => {
    expect(codes({ end: at('2027-01-11T10:00:00+02:00') })).toEqual(['end:end-before-start']);
    expect(codes({ start: at('2027-01-11T06:00:00+02:00'), end: at('2027-01-11T18:30:00+02:00') })).toEqual(['end:too-long']);
    expect(codes({ start: at('2027-01-11T20:00:00+02:00'), end: at('2027-01-12T01:00:00+02:00') })).toEqual(['end:not-same-day']);
    expect(codes({ start: at('2027-01-03T10:00:00+02:00'), end: at('2027-01-03T12:00:00+02:00') })).toEqual(['start:in-the-past']);
  });

  it('asks a bookable claim for sessions that fit, and a drop-in one for none', () => {
    expect(codes({ sessionMinutes: null })).toEqual(['sessionMinutes:required']);
    expect(codes({ sessionMinutes: 300 })).toEqual(['sessionMinutes:no-session-fits']);
    expect(codes({ mode: 'drop-in', sessionMinutes: 30, bufferMinutes: 5 })).toEqual(['sessionMinutes:not-allowed', 'bufferMinutes:not-allowed']);
  });
});
