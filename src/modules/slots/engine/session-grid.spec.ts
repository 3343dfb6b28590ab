import { gridOfMinutes, gridOfTimes, gridSessionAt, inRuleWindow, sessionOnGrid } from './session-grid';

const H = 'Europe/Helsinki';
const at = (iso: string) => Date.parse(iso);
/** Monday 10:00–14:00, 45 + 15 minutes: sessions at 10, 11, 12, 13. */
const monday = { weekday: 1, startTime: '10:00', endTime: '14:00', sessionMinutes: 45, bufferMinutes: 15, validFrom: '2027-01-01', validUntil: null };

describe('session grid', () => {
  it('reads a rule given in wall times and one given in minutes the same way', () => {
    expect(gridOfTimes(monday)).toEqual(gridOfMinutes({ ...monday, startMinute: 600, endMinute: 840 }));
  });

  it('refuses malformed rules', () => {
    expect(gridOfTimes({ ...monday, weekday: 8 })).toBeNull();
    expect(gridOfTimes({ ...monday, endTime: '09:00' })).toBeNull();
    expect(gridOfTimes({ ...monday, sessionMinutes: 0 })).toBeNull();
    expect(gridOfTimes({ ...monday, bufferMinutes: -1 })).toBeNull();
    expect(gridOfTimes({ ...monday, validUntil: '2026-12-31' })).toBeNull();
  });

  it('gives a session only at grid points whose session ends by the window end', () => {
    const g = gridOfTimes(monday)!;
    expect(gridSessionAt(g, H, at('2027-01-11T13:00:00+02:00'))).toEqual({ start: at('2027-01-11T13:00:00+02:00'), end: at('2027-01-11T13:45:00+02:00') });
    expect(gridSessionAt(g, H, at('2027-01-11T10:30:00+02:00'))).toBeUndefined();
    expect(gridSessionAt(g, H, at('2027-01-11T14:00:00+02:00'))).toBeUndefined();
    expect(gridSessionAt(g, H, at('2027-01-12T10:00:00+02:00'))).toBeUndefined(); // Tuesday
  });

  it('lays the grid in real minutes from the resolved start across a DST change', () => {
    // 2027-10-31 (Sunday, fall back): 02:00–05:00 wall time is four real hours.
    const g = gridOfTimes({ ...monday, weekday: 7, startTime: '02:00', endTime: '05:00' })!;
    for (const start of ['02:00:00+03:00', '03:00:00+03:00', '03:00:00+02:00', '04:00:00+02:00']) {
      expect(gridSessionAt(g, H, at(`2027-10-31T${start}`))).toBeDefined();
    }
    expect(gridSessionAt(g, H, at('2027-10-31T05:00:00+02:00'))).toBeUndefined();
  });

  it('tells a time in the window from a session on the grid', () => {
    const g = gridOfTimes(monday)!;
    expect(inRuleWindow(g, H, at('2027-01-11T10:30:00+02:00'))).toBe(true);
    expect(inRuleWindow(g, H, at('2027-01-11T14:00:00+02:00'))).toBe(false);
    expect(sessionOnGrid(g, H, at('2027-01-11T13:00:00+02:00'), at('2027-01-11T14:00:00+02:00'))).toBe(true);
    expect(sessionOnGrid(g, H, at('2027-01-11T13:00:00+02:00'), at('2027-01-11T14:01:00+02:00'))).toBe(false);
  });
});
