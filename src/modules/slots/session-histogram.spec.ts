import { SessionHistogram } from './session-histogram';

const ZONE = 'Europe/Helsinki';
const at = (iso: string) => Date.parse(iso);

describe('SessionHistogram', () => {
  // Tuesdays 10:00–12:00 local, 45 + 15 min: sessions at 10:00 and 11:00; Thursdays 13:00–14:00, one.
  const h = SessionHistogram.of([
    { timeZone: ZONE, weekday: 2, startMinute: 600, endMinute: 720, sessionMinutes: 45, bufferMinutes: 15 },
    { timeZone: ZONE, weekday: 2, startMinute: 600, endMinute: 720, sessionMinutes: 45, bufferMinutes: 15 },
    { timeZone: ZONE, weekday: 4, startMinute: 780, endMinute: 840, sessionMinutes: 60, bufferMinutes: 0 },
  ]);

  it('counts sessions a week and in a window, in local time', () => {
    expect(h.perWeek).toBe(5);
    // Tuesday 2026-12-01 is +02:00: 10:00 local = 08:00Z.
    expect(h.count(at('2026-12-01T08:00:00Z'), at('2026-12-01T09:00:00Z'))).toBe(2);
    expect(h.count(at('2026-12-01T08:00:00Z'), at('2026-12-03T12:00:00Z'))).toBe(5);
    expect(h.count(at('2026-12-01T10:00:00Z'), at('2026-12-03T11:00:00Z'))).toBe(0);
  });

  it('ends a window where enough sessions have started, skipping the quiet hours', () => {
    // From Monday evening, two sessions are found by the end of Tuesday's 10:00 quarter hour.
    expect(h.endFor(at('2026-11-30T17:00:00Z'), at('2026-12-15T00:00:00Z'), 2)).toBe(at('2026-12-01T08:15:00Z'));
    expect(h.endFor(at('2026-11-30T17:00:00Z'), at('2026-12-15T00:00:00Z'), 5)).toBe(at('2026-12-03T11:15:00Z'));
    // More than a week's worth: whole weeks are skipped first.
    expect(h.endFor(at('2026-11-30T17:00:00Z'), at('2026-12-31T00:00:00Z'), 7)).toBe(at('2026-12-08T08:15:00Z'));
    // Not enough before the limit, or nothing at all: the limit.
    expect(h.endFor(at('2026-11-30T17:00:00Z'), at('2026-12-02T00:00:00Z'), 5)).toBe(at('2026-12-02T00:00:00Z'));
    expect(SessionHistogram.of([]).endFor(0, 1000, 1)).toBe(1000);
  });

  it('ignores rules that give no session', () => {
    const none = SessionHistogram.of([
      { timeZone: ZONE, weekday: 8, startMinute: 600, endMinute: 720, sessionMinutes: 45, bufferMinutes: 15 },
      { timeZone: ZONE, weekday: 1, startMinute: 600, endMinute: 620, sessionMinutes: 45, bufferMinutes: 15 },
      { timeZone: ZONE, weekday: 1, startMinute: 600, endMinute: 720, sessionMinutes: 0, bufferMinutes: 0 },
    ]);
    expect(none.perWeek).toBe(0);
  });
});
