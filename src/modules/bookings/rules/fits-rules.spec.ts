import type { GridRule } from '../../slots/engine';
import { fitsOpening, fitsRules } from './fits-rules';

const H = 'Europe/Helsinki';
const at = (iso: string) => Date.parse(iso);
/** Monday 10:00–14:00, 45 + 15 minutes: sessions at 10, 11, 12, 13. */
const rule = (over: Partial<GridRule> = {}): GridRule => ({
  weekday: 1,
  startMinute: 600,
  endMinute: 840,
  sessionMinutes: 45,
  bufferMinutes: 15,
  validFrom: '2027-01-01',
  validUntil: null,
  ...over,
});
const session = (startIso: string, minutes = 45): [number, number] => [at(startIso), at(startIso) + minutes * 60_000];

describe('fitsRules', () => {
  it('accepts a booking on the grid of a rule of its weekday', () => {
    expect(fitsRules([rule()], H, ...session('2027-01-11T10:00:00+02:00'))).toBe(true);
    expect(fitsRules([rule()], H, ...session('2027-01-11T13:00:00+02:00'))).toBe(true);
  });

  it('refuses another weekday, an off-grid start, or a session past the end', () => {
    expect(fitsRules([rule()], H, ...session('2027-01-12T10:00:00+02:00'))).toBe(false); // Tuesday
    expect(fitsRules([rule({ bufferMinutes: 0 })], H, ...session('2027-01-11T11:00:00+02:00'))).toBe(false); // grid 10:00, 10:45, 11:30
    expect(fitsRules([rule({ endMinute: 780 })], H, ...session('2027-01-11T13:00:00+02:00'))).toBe(false); // ends 13:00 now
    expect(fitsRules([rule({ startMinute: 660 })], H, ...session('2027-01-11T10:00:00+02:00'))).toBe(false); // starts 11:00 now
    expect(fitsRules([], H, ...session('2027-01-11T10:00:00+02:00'))).toBe(false);
  });

  it('keeps a shorter booking on the same grid when sessions grow, unless it now runs past the end', () => {
    expect(fitsRules([rule({ sessionMinutes: 60, bufferMinutes: 0 })], H, ...session('2027-01-11T12:00:00+02:00'))).toBe(true);
    // 90-minute sessions from 10:00: 10:00, 11:30 (a 13:00 start no longer fits in 14:00).
    expect(fitsRules([rule({ sessionMinutes: 90, bufferMinutes: 0 })], H, ...session('2027-01-11T11:30:00+02:00'))).toBe(true);
    expect(fitsRules([rule({ sessionMinutes: 90, bufferMinutes: 0 })], H, ...session('2027-01-11T13:00:00+02:00'))).toBe(false);
  });

  it('honours validity dates (inclusive)', () => {
    const [s, e] = session('2027-01-11T10:00:00+02:00');
    expect(fitsRules([rule({ validFrom: '2027-01-11' })], H, s, e)).toBe(true);
    expect(fitsRules([rule({ validFrom: '2027-01-12' })], H, s, e)).toBe(false);
    expect(fitsRules([rule({ validUntil: '2027-01-11' })], H, s, e)).toBe(true);
    expect(fitsRules([rule({ validUntil: '2027-01-10' })], H, s, e)).toBe(false);
  });

  it('reads the grid in the branch’s zone, across a DST change', () => {
    // Monday 2027-03-29 (after spring forward): 10:00 is +03:00.
    expect(fitsRules([rule()], H, ...session('2027-03-29T10:00:00+03:00'))).toBe(true);
    expect(fitsRules([rule()], H, ...session('2027-03-29T13:00:00+02:00'))).toBe(false); // 14:00+03:00
    expect(fitsRules([rule()], 'UTC', ...session('2027-01-11T10:00:00Z'))).toBe(true);
    expect(fitsRules([rule()], 'UTC', ...session('2027-01-11T10:00:00+02:00'))).toBe(false);
  });

  it('any one of several rules is enough', () => {
    const rules = [rule({ weekday: 2 }), rule({ startMinute: 900, endMinute: 1080 })];
    expect(fitsRules(rules, H, ...session('2027-01-11T16:00:00+02:00'))).toBe(true);
    expect(fitsRules(rules, H, ...session('2027-01-12T10:00:00+02:00'))).toBe(true);
    expect(fitsRules(rules, H, ...session('2027-01-11T10:00:00+02:00'))).toBe(false);
  });
});

describe('fitsOpening', () => {
  const open = [
    { start: 1_000, end: 2_000 },
    { start: 3_000, end: 4_000 },
  ];
  it('holds for a session inside one open interval, edges included', () => {
    expect(fitsOpening(open, 1_000, 2_000)).toBe(true);
    expect(fitsOpening(open, 3_200, 3_800)).toBe(true);
  });
  it('fails for a session that runs past closing, spans a break or falls on a closed day', () => {
    expect(fitsOpening(open, 1_500, 2_500)).toBe(false);
    expect(fitsOpening(open, 1_500, 3_500)).toBe(false);
    expect(fitsOpening([], 1_000, 2_000)).toBe(false);
  });
});
