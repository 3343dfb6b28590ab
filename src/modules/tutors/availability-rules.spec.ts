import fc from 'fast-check';
import {
  findOverlap,
  formatLocalTime,
  isIsoDate,
  parseLocalTime,
  RuleInput,
  rulesOverlap,
  rulesTag,
  toRuleView,
  toWeeklyRules,
  WeeklyRule,
} from './availability-rules';

const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const B = 'bbbbbbbb-0000-4000-8000-000000000002';

const input = (over: Partial<RuleInput> = {}): RuleInput => ({
  weekday: 2,
  startTime: '10:00',
  endTime: '14:00',
  sessionMinutes: 45,
  bufferMinutes: 15,
  validFrom: '2026-12-01',
  validUntil: null,
  ...over,
});

const rule = (over: Partial<WeeklyRule> = {}): WeeklyRule => ({
  locationId: A,
  weekday: 2,
  startMinute: 600,
  endMinute: 840,
  sessionMinutes: 45,
  bufferMinutes: 15,
  validFrom: '2026-12-01',
  validUntil: null,
  ...over,
});

describe('local times and dates', () => {
  it('parses HH:mm, allowing 24:00 only as an end', () => {
    expect(parseLocalTime('00:00')).toBe(0);
    expect(parseLocalTime('10:30')).toBe(630);
    expect(parseLocalTime('23:59')).toBe(1439);
    expect(parseLocalTime('24:00')).toBeUndefined();
    expect(parseLocalTime('24:00', true)).toBe(1440);
    for (const bad of ['25:00', '24:01', '12:60', '9:00', '09:5', '0900', '', 'noon', '10:00:00', ' 10:00']) {
      expect(parseLocalTime(bad, true)).toBeUndefined();
    }
  });

  it('formats minutes back to HH:mm', () => {
    expect(formatLocalTime(0)).toBe('00:00');
    expect(formatLocalTime(605)).toBe('10:05');
    expect(formatLocalTime(1440)).toBe('24:00');
  });

  it('accepts only real calendar dates', () => {
    expect(isIsoDate('2026-12-01')).toBe(true);
    expect(isIsoDate('2028-02-29')).toBe(true);
    for (const bad of ['2026-02-29', '2026-02-30', '2026-13-01', '2026-00-10', '2026-1-01', '26-12-01', '2026-12-01T00:00', '']) {
      expect(isIsoDate(bad)).toBe(false);
    }
  });
});

describe('toWeeklyRules', () => {
  it('converts valid rules to minutes', () => {
    const { rules, errors } = toWeeklyRules(A, [input(), input({ weekday: 7, startTime: '18:00', endTime: '24:00', bufferMinutes: 0, validUntil: '2027-05-31' })]);
    expect(errors).toEqual([]);
    expect(rules).toEqual([
      rule(),
      rule({ weekday: 7, startMinute: 1080, endMinute: 1440, bufferMinutes: 0, validUntil: '2027-05-31' }),
    ]);
  });

  const cases: [string, Partial<RuleInput>, string, string][] = [
    ['weekday 0', { weekday: 0 }, 'rules.0.weekday', 'invalid-weekday'],
    ['weekday 8', { weekday: 8 }, 'rules.0.weekday', 'invalid-weekday'],
    ['weekday 2.5', { weekday: 2.5 }, 'rules.0.weekday', 'invalid-weekday'],
    ['start 25:00', { startTime: '25:00' }, 'rules.0.startTime', 'invalid-time'],
    ['start 24:00', { startTime: '24:00', endTime: '24:00' }, 'rules.0.startTime', 'invalid-time'],
    ['end 25:00', { endTime: '25:00' }, 'rules.0.endTime', 'invalid-time'],
    ['end before start', { startTime: '14:00', endTime: '10:00' }, 'rules.0.endTime', 'end-before-start'],
    ['end equal to start', { startTime: '10:00', endTime: '10:00' }, 'rules.0.endTime', 'end-before-start'],
    ['session 0', { sessionMinutes: 0 }, 'rules.0.sessionMinutes', 'out-of-range'],
    ['session 4', { sessionMinutes: 4 }, 'rules.0.sessionMinutes', 'out-of-range'],
    ['session 241', { sessionMinutes: 241 }, 'rules.0.sessionMinutes', 'out-of-range'],
    ['session 600', { sessionMinutes: 600 }, 'rules.0.sessionMinutes', 'out-of-range'],
    ['session longer than the window', { startTime: '10:00', endTime: '10:30', sessionMinutes: 45 }, 'rules.0.sessionMinutes', 'longer-than-window'],
    ['buffer -1', { bufferMinutes: -1 }, 'rules.0.bufferMinutes', 'out-of-range'],
    ['buffer 121', { bufferMinutes: 121 }, 'rules.0.bufferMinutes', 'out-of-range'],
    ['validFrom not a date', { validFrom: '2026-02-30' }, 'rules.0.validFrom', 'invalid-date'],
    ['validUntil not a date', { validUntil: '31.5.2027' }, 'rules.0.validUntil', 'invalid-date'],
    ['validUntil before validFrom', { validFrom: '2026-12-01', validUntil: '2026-11-30' }, 'rules.0.validUntil', 'before-valid-from'],
  ];
  it.each(cases)('rejects %s', (_, over, field, code) => {
    const { rules, errors } = toWeeklyRules(A, [input(over)]);
    expect(rules).toEqual([]);
    expect(errors).toContainEqual({ field, code, message: expect.any(String) });
  });

  it('accepts the edges of every range', () => {
    const { errors } = toWeeklyRules(A, [
      input({ weekday: 1, sessionMinutes: 5, bufferMinutes: 0 }),
      input({ weekday: 7, startTime: '00:00', endTime: '24:00', sessionMinutes: 240, bufferMinutes: 120 }),
      input({ weekday: 3, validFrom: '2026-12-01', validUntil: '2026-12-01' }),
    ]);
    expect(errors).toEqual([]);
  });

  it('names the index of the bad rule', () => {
    const { errors } = toWeeklyRules(A, [input(), input({ weekday: 3, endTime: '09:00' })]);
    expect(errors.map((e) => e.field)).toEqual(['rules.1.endTime']);
  });

  it('refuses more than 100 rules', () => {
    const many = Array.from({ length: 101 }, (_, i) => input({ weekday: (i % 7) + 1, validFrom: `2030-01-${String((i % 28) + 1).padStart(2, '0')}` }));
    expect(toWeeklyRules(A, many).errors).toContainEqual(expect.objectContaining({ field: 'rules', code: 'too-many' }));
  });
});

describe('rule overlap', () => {
  it('finds two rules of one location on the same weekday at intersecting times', () => {
    const found = findOverlap([rule(), rule({ startMinute: 780, endMinute: 900 })], []);
    expect(found).toEqual({ index: 1, clashing: rule() });
  });

  it('finds a clash with a rule at another location', () => {
    const atB = rule({ locationId: B, startMinute: 480, endMinute: 660 });
    expect(findOverlap([rule({ weekday: 1 }), rule()], [atB])).toEqual({ index: 1, clashing: atB });
  });

  it('lets rules touch end to start, differ in weekday, or have disjoint validity', () => {
    const morning = rule({ startMinute: 480, endMinute: 600 });
    const afternoon = rule({ startMinute: 600, endMinute: 840 });
    expect(findOverlap([morning, afternoon], [])).toBeUndefined();
    expect(findOverlap([rule()], [rule({ locationId: B, weekday: 3 })])).toBeUndefined();
    const autumn = rule({ validFrom: '2026-08-15', validUntil: '2026-11-30' });
    expect(findOverlap([rule()], [{ ...autumn, locationId: B }])).toBeUndefined();
  });

  it('counts validUntil as inclusive and null as open-ended', () => {
    const untilFirst = rule({ locationId: B, validFrom: '2026-01-01', validUntil: '2026-12-01' });
    expect(rulesOverlap(rule(), untilFirst)).toBe(true);
    const farFuture = rule({ locationId: B, validFrom: '2099-01-01', validUntil: null });
    expect(rulesOverlap(rule(), farFuture)).toBe(true);
    expect(rulesOverlap(rule({ validUntil: '2098-12-31' }), farFuture)).toBe(false);
  });

  it('is symmetric and agrees with checking every minute of every day (property)', () => {
    const days = ['2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04'];
    const arb = fc
      .record({
        weekday: fc.integer({ min: 1, max: 2 }),
        s: fc.integer({ min: 0, max: 9 }),
        len: fc.integer({ min: 1, max: 5 }),
        from: fc.integer({ min: 0, max: 3 }),
        span: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
      })
      .map(({ weekday, s, len, from, span }) =>
        rule({ weekday, startMinute: s, endMinute: s + len, validFrom: days[from], validUntil: span === null ? null : days[Math.min(3, from + span)] }),
      );
    const active = (r: WeeklyRule, day: string) => r.validFrom <= day && (r.validUntil === null || day <= r.validUntil);
    fc.assert(
      fc.property(arb, arb, (a, b) => {
        let brute = false;
        for (const day of days) {
          for (let m = 0; m < 15; m++) {
            if (a.weekday === b.weekday && active(a, day) && active(b, day) && m >= a.startMinute && m < a.endMinute && m >= b.startMinute && m < b.endMinute) brute = true;
          }
        }
        expect(rulesOverlap(a, b)).toBe(brute);
        expect(rulesOverlap(b, a)).toBe(brute);
      }),
    );
  });
});

describe('views and tags', () => {
  it('writes rules back in API form', () => {
    expect(toRuleView(rule({ endMinute: 1440 }))).toEqual({
      locationId: A,
      weekday: 2,
      startTime: '10:00',
      endTime: '24:00',
      sessionMinutes: 45,
      bufferMinutes: 15,
      validFrom: '2026-12-01',
      validUntil: null,
    });
  });

  it('tags content: order does not matter, any change does', () => {
    const one = [rule(), rule({ weekday: 4 })];
    expect(rulesTag(one)).toBe(rulesTag([...one].reverse()));
    expect(rulesTag(one)).not.toBe(rulesTag([rule(), rule({ weekday: 4, bufferMinutes: 10 })]));
    expect(rulesTag([])).not.toBe(rulesTag(one));
    expect(rulesTag(one)).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
