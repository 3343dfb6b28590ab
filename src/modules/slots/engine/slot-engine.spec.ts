import { formatInstant } from '../../../common/time/format';
import { bookingWindow, computeSlots } from './slot-engine';
import type { Slot, SlotQuery, WeeklyAvailabilityRule } from './types';

// Helsinki in winter (+02:00); 2027-01-04 is a Monday.
const H = 'Europe/Helsinki';
const at = (iso: string): Date => new Date(iso);
const MON = '2027-01-04';

function rule(over: Partial<WeeklyAvailabilityRule> = {}): WeeklyAvailabilityRule {
  return {
    tutorId: 'tutor-a',
    weekday: 1,
    startTime: '10:00',
    endTime: '12:00',
    sessionMinutes: 45,
    bufferMinutes: 15,
    validFrom: '2027-01-01',
    validUntil: null,
    ...over,
  };
}

function query(over: Partial<SlotQuery> = {}): SlotQuery {
  return {
    locationId: 'loc-1',
    timeZone: H,
    rules: [rule()],
    openings: [{ start: at(`${MON}T08:00:00+02:00`), end: at(`${MON}T20:00:00+02:00`) }],
    policy: { minNoticeMinutes: 0, maxDaysAhead: 60 },
    now: at('2027-01-01T12:00:00+02:00'),
    from: at(`${MON}T00:00:00+02:00`),
    to: at('2027-01-11T00:00:00+02:00'),
    ...over,
  };
}

/** `HH:mm-HH:mm tutor` in Helsinki, or with the date when `withDate`. */
function show(slots: Slot[], withDate = false): string[] {
  return slots.map((s) => {
    const a = formatInstant(s.start, H);
    const b = formatInstant(s.end, H);
    return `${withDate ? a.slice(0, 11) : ''}${a.slice(11, 16)}-${b.slice(11, 16)} ${s.tutorId}`;
  });
}

describe('computeSlots: grid', () => {
  it('lays sessions out at startTime + n × (session + buffer)', () => {
    const slots = computeSlots(query());
    expect(slots).toEqual([
      {
        start: at(`${MON}T10:00:00+02:00`),
        end: at(`${MON}T10:45:00+02:00`),
        tutorId: 'tutor-a',
        locationId: 'loc-1',
        kind: 'tutoring',
        claimId: null,
        partnerId: null,
        roomId: null,
      },
      {
        start: at(`${MON}T11:00:00+02:00`),
        end: at(`${MON}T11:45:00+02:00`),
        tutorId: 'tutor-a',
        locationId: 'loc-1',
        kind: 'tutoring',
        claimId: null,
        partnerId: null,
        roomId: null,
      },
    ]);
  });

  it('drops a session the rule end would cut, but needs no buffer after the last one', () => {
    expect(show(computeSlots(query({ rules: [rule({ endTime: '12:44' })] })))).toEqual([
      '10:00-10:45 tutor-a',
      '11:00-11:45 tutor-a',
    ]);
    expect(show(computeSlots(query({ rules: [rule({ endTime: '12:45' })] })))).toEqual([
      '10:00-10:45 tutor-a',
      '11:00-11:45 tutor-a',
      '12:00-12:45 tutor-a',
    ]);
  });

  it('works without a buffer, with odd lengths, and with 24:00 as the end', () => {
    expect(show(computeSlots(query({ rules: [rule({ sessionMinutes: 50, bufferMinutes: 0, endTime: '12:29' })] })))).toEqual([
      '10:00-10:50 tutor-a',
      '10:50-11:40 tutor-a',
    ]);
    const lateOpen = [{ start: at(`${MON}T00:00:00+02:00`), end: at('2027-01-05T00:00:00+02:00') }];
    expect(
      show(computeSlots(query({ openings: lateOpen, rules: [rule({ startTime: '22:00', endTime: '24:00', sessionMinutes: 60, bufferMinutes: 0 })] }))),
    ).toEqual(['22:00-23:00 tutor-a', '23:00-00:00 tutor-a']);
  });

  it('reads HH:mm:ss times as PostgreSQL returns them', () => {
    expect(show(computeSlots(query({ rules: [rule({ startTime: '10:00:00', endTime: '11:00:00' })] })))).toEqual([
      '10:00-10:45 tutor-a',
    ]);
  });

  it('uses weekday 1 = Monday … 7 = Sunday', () => {
    const everyDay = [{ start: at(`${MON}T00:00:00+02:00`), end: at('2027-01-11T00:00:00+02:00') }];
    const sunday = computeSlots(query({ openings: everyDay, rules: [rule({ weekday: 7, endTime: '11:00' })] }));
    expect(show(sunday, true)).toEqual(['2027-01-10T10:00-10:45 tutor-a']);
  });

  it('honours validFrom and validUntil as inclusive local dates', () => {
    const threeMondays = [
      { start: at('2027-01-04T08:00:00+02:00'), end: at('2027-01-04T20:00:00+02:00') },
      { start: at('2027-01-11T08:00:00+02:00'), end: at('2027-01-11T20:00:00+02:00') },
      { start: at('2027-01-18T08:00:00+02:00'), end: at('2027-01-18T20:00:00+02:00') },
    ];
    const run = (validFrom: string, validUntil: string | null) =>
      show(
        computeSlots(
          query({
            openings: threeMondays,
            to: at('2027-01-25T00:00:00+02:00'),
            rules: [rule({ endTime: '11:00', validFrom, validUntil })],
          }),
        ),
        true,
      ).map((s) => s.slice(0, 10));
    expect(run('2027-01-04', null)).toEqual(['2027-01-04', '2027-01-11', '2027-01-18']);
    expect(run('2027-01-05', null)).toEqual(['2027-01-11', '2027-01-18']);
    expect(run('2027-01-11', '2027-01-11')).toEqual(['2027-01-11']);
    expect(run('2027-01-01', '2027-01-10')).toEqual(['2027-01-04']);
    expect(run('2027-01-01', '2027-01-03')).toEqual([]);
  });

  it('keeps slots with start in [from, to)', () => {
    const slots = computeSlots(query({ from: at(`${MON}T10:00:00+02:00`), to: at(`${MON}T11:00:00+02:00`) }));
    expect(show(slots)).toEqual(['10:00-10:45 tutor-a']);
    const later = computeSlots(query({ from: at(`${MON}T10:00:00.001+02:00`), to: at(`${MON}T11:00:00.001+02:00`) }));
    expect(show(later)).toEqual(['11:00-11:45 tutor-a']);
    // from on a later grid point keeps that point
    const onGrid = computeSlots(query({ from: at(`${MON}T11:00:00+02:00`) }));
    expect(show(onGrid)).toEqual(['11:00-11:45 tutor-a']);
  });

  it('accepts epoch milliseconds wherever it accepts a Date', () => {
    const q = query();
    const asNumbers = computeSlots({
      ...q,
      now: (q.now as Date).getTime(),
      from: (q.from as Date).getTime(),
      to: (q.to as Date).getTime(),
      openings: q.openings.map((o) => ({ start: (o.start as Date).getTime(), end: (o.end as Date).getTime() })),
    });
    expect(asNumbers).toEqual(computeSlots(q));
  });
});

describe('computeSlots: opening hours and closures', () => {
  it('keeps only slots that lie entirely inside opening hours', () => {
    const open = (from: string, to: string) => [{ start: at(`${MON}T${from}:00+02:00`), end: at(`${MON}T${to}:00+02:00`) }];
    expect(show(computeSlots(query({ openings: open('10:01', '19:00') })))).toEqual(['11:00-11:45 tutor-a']);
    expect(show(computeSlots(query({ openings: open('08:00', '11:44') })))).toEqual(['10:00-10:45 tutor-a']);
    expect(show(computeSlots(query({ openings: open('08:00', '11:45') })))).toEqual([
      '10:00-10:45 tutor-a',
      '11:00-11:45 tutor-a',
    ]);
    expect(computeSlots(query({ openings: [] }))).toEqual([]);
  });

  it('joins touching openings but not ones with a gap between them', () => {
    const touching = [
      { start: at(`${MON}T11:30:00+02:00`), end: at(`${MON}T14:00:00+02:00`) },
      { start: at(`${MON}T08:00:00+02:00`), end: at(`${MON}T11:30:00+02:00`) },
    ];
    expect(show(computeSlots(query({ openings: touching })))).toHaveLength(2);
    const gap = [
      { start: at(`${MON}T08:00:00+02:00`), end: at(`${MON}T11:30:00+02:00`) },
      { start: at(`${MON}T11:31:00+02:00`), end: at(`${MON}T14:00:00+02:00`) },
    ];
    expect(show(computeSlots(query({ openings: gap })))).toEqual(['10:00-10:45 tutor-a']);
  });

  it('subtracts closures (half-open: one ending at a slot start does not touch it)', () => {
    const closure = (from: string, to: string) => [{ start: at(`${MON}T${from}:00+02:00`), end: at(`${MON}T${to}:00+02:00`) }];
    expect(show(computeSlots(query({ closures: closure('11:15', '11:16') })))).toEqual(['10:00-10:45 tutor-a']);
    expect(show(computeSlots(query({ closures: closure('09:00', '11:00') })))).toEqual(['11:00-11:45 tutor-a']);
    expect(show(computeSlots(query({ closures: closure('10:45', '11:00') })))).toHaveLength(2);
    // a multi-day closure
    expect(computeSlots(query({ closures: [{ start: at('2027-01-01T00:00:00+02:00'), end: at('2027-02-01T00:00:00+02:00') }] }))).toEqual([]);
  });
});

describe('computeSlots: absences and bookings', () => {
  const twoTutors = [rule(), rule({ tutorId: 'tutor-b' })];
  const range = (from: string, to: string) => ({ start: at(`${MON}T${from}:00+02:00`), end: at(`${MON}T${to}:00+02:00`) });

  it('removes a tutor’s slots that overlap the tutor’s absence, not other tutors’ slots', () => {
    const slots = computeSlots(query({ rules: twoTutors, absences: [{ tutorId: 'tutor-a', ...range('10:44', '10:45') }] }));
    expect(show(slots)).toEqual(['10:00-10:45 tutor-b', '11:00-11:45 tutor-a', '11:00-11:45 tutor-b']);
  });

  it('removes slots overlapping the tutor’s active bookings only', () => {
    const slots = computeSlots(
      query({
        rules: twoTutors,
        bookings: [
          { tutorId: 'tutor-b', ...range('11:00', '11:45') },
          { tutorId: 'tutor-c', ...range('10:00', '12:00') },
          { tutorId: 'tutor-a', ...range('09:15', '10:00') }, // ends as the slot starts
          { tutorId: 'tutor-a', ...range('11:45', '12:30') }, // starts as the slot ends
        ],
      }),
    );
    expect(show(slots)).toEqual(['10:00-10:45 tutor-a', '10:00-10:45 tutor-b', '11:00-11:45 tutor-a']);
  });

  it('is blocked by a booking at another location or of another length (any overlap)', () => {
    const slots = computeSlots(query({ bookings: [{ tutorId: 'tutor-a', ...range('10:30', '11:15') }] }));
    expect(slots).toEqual([]);
  });

  it('ignores empty and inverted ranges', () => {
    const slots = computeSlots(
      query({
        absences: [{ tutorId: 'tutor-a', ...range('10:30', '10:30') }],
        bookings: [{ tutorId: 'tutor-a', start: at(`${MON}T11:30:00+02:00`), end: at(`${MON}T11:10:00+02:00`) }],
      }),
    );
    expect(show(slots)).toHaveLength(2);
  });
});

describe('computeSlots: booking policy', () => {
  it('requires start ≥ now + minNoticeMinutes (inclusive)', () => {
    const now = at(`${MON}T08:30:00+02:00`);
    expect(show(computeSlots(query({ now, policy: { minNoticeMinutes: 90, maxDaysAhead: 60 } })))).toHaveLength(2);
    expect(show(computeSlots(query({ now, policy: { minNoticeMinutes: 91, maxDaysAhead: 60 } })))).toEqual([
      '11:00-11:45 tutor-a',
    ]);
    // and never in the past
    expect(show(computeSlots(query({ now: at(`${MON}T10:00:01+02:00`), policy: { minNoticeMinutes: 0, maxDaysAhead: 60 } })))).toEqual([
      '11:00-11:45 tutor-a',
    ]);
  });

  it('ends the horizon at the end of local date today + maxDaysAhead', () => {
    // Friday 2027-01-01; Monday is 3 days ahead.
    const run = (now: string, maxDaysAhead: number) =>
      computeSlots(query({ now: at(now), policy: { minNoticeMinutes: 0, maxDaysAhead } })).length;
    expect(run('2027-01-01T00:00:00+02:00', 3)).toBe(2);
    expect(run('2027-01-01T23:59:00+02:00', 3)).toBe(2);
    expect(run('2027-01-01T23:59:00+02:00', 2)).toBe(0);
    // local date, not UTC date: 00:30 on Jan 2 in Helsinki is still Jan 1 in UTC
    expect(run('2027-01-02T00:30:00+02:00', 2)).toBe(2);
    expect(run('2027-01-04T09:00:00+02:00', 0)).toBe(2); // today only
  });

  it('cuts a day in the middle only by start, never by end', () => {
    const q = query({
      openings: [{ start: at(`${MON}T20:00:00+02:00`), end: at('2027-01-05T02:00:00+02:00') }],
      rules: [rule({ startTime: '23:30', endTime: '24:00', sessionMinutes: 30, bufferMinutes: 0 })],
      now: at('2027-01-01T12:00:00+02:00'),
      policy: { minNoticeMinutes: 0, maxDaysAhead: 3 },
    });
    expect(show(computeSlots(q), true)).toEqual(['2027-01-04T23:30-00:00 tutor-a']);
  });

  it('exposes the policy window', () => {
    const w = bookingWindow(H, at('2027-01-01T23:59:00+02:00'), { minNoticeMinutes: 120, maxDaysAhead: 3 });
    expect(new Date(w.earliestStart)).toEqual(at('2027-01-02T01:59:00+02:00'));
    expect(new Date(w.latestStartExclusive)).toEqual(at('2027-01-05T00:00:00+02:00'));
  });
});

describe('computeSlots: many tutors, order, duplicates, bad input', () => {
  it('orders by start, then tutorId', () => {
    const slots = computeSlots(
      query({
        rules: [
          rule({ tutorId: 'tutor-c', startTime: '10:30', endTime: '11:15' }),
          rule({ tutorId: 'tutor-b' }),
          rule({ tutorId: 'tutor-a', startTime: '11:00' }),
        ],
      }),
    );
    expect(show(slots)).toEqual([
      '10:00-10:45 tutor-b',
      '10:30-11:15 tutor-c',
      '11:00-11:45 tutor-a',
      '11:00-11:45 tutor-b',
    ]);
  });

  it('lists a slot given twice once', () => {
    expect(computeSlots(query({ rules: [rule(), rule()] }))).toHaveLength(2);
  });

  it('skips malformed rules and keeps the good ones', () => {
    const bad: WeeklyAvailabilityRule[] = [
      rule({ weekday: 0 }),
      rule({ weekday: 8 }),
      rule({ startTime: '24:00', endTime: '24:00' }),
      rule({ startTime: '12:00', endTime: '10:00' }),
      rule({ startTime: '10:00', endTime: '10:00' }),
      rule({ startTime: '1000' }),
      rule({ sessionMinutes: 0 }),
      rule({ bufferMinutes: -5 }),
      rule({ sessionMinutes: Number.NaN }),
      rule({ validFrom: '2027-13-01' }),
      rule({ validFrom: '2027-02-01', validUntil: '2027-01-01' }),
    ];
    expect(computeSlots(query({ rules: bad }))).toEqual([]);
    expect(computeSlots(query({ rules: [...bad, rule()] }))).toHaveLength(2);
  });

  it('rejects an unknown zone and an absurdly long range', () => {
    expect(() => computeSlots(query({ timeZone: 'Mars/Olympus' }))).toThrow(RangeError);
    expect(() =>
      computeSlots(
        query({
          to: at('2037-01-01T00:00:00Z'),
          policy: { minNoticeMinutes: 0, maxDaysAhead: 10_000 },
          openings: [{ start: at('2027-01-01T00:00:00Z'), end: at('2037-01-01T00:00:00Z') }],
        }),
      ),
    ).toThrow(RangeError);
  });

  it('returns nothing for an empty or inverted range', () => {
    expect(computeSlots(query({ from: at(`${MON}T10:00:00+02:00`), to: at(`${MON}T10:00:00+02:00`) }))).toEqual([]);
    expect(computeSlots(query({ from: at(`${MON}T12:00:00+02:00`), to: at(`${MON}T10:00:00+02:00`) }))).toEqual([]);
  });
});

describe('computeSlots: availability windows (the door for partner claims)', () => {
  it('lays out a window in real minutes and tags its slots', () => {
    const slots = computeSlots(
      query({
        rules: [],
        windows: [
          {
            tutorId: 'advisor-1',
            start: at(`${MON}T13:00:00+02:00`),
            end: at(`${MON}T14:10:00+02:00`),
            sessionMinutes: 30,
            bufferMinutes: 5,
            kind: 'advisory',
            claimId: 'claim-1',
            partnerId: 'partner-1',
            roomId: 'room-1',
          },
        ],
        bookings: [{ tutorId: 'advisor-1', start: at(`${MON}T10:00:00+02:00`), end: at(`${MON}T10:45:00+02:00`) }],
      }),
    );
    expect(slots).toEqual([
      {
        start: at(`${MON}T13:00:00+02:00`),
        end: at(`${MON}T13:30:00+02:00`),
        tutorId: 'advisor-1',
        locationId: 'loc-1',
        kind: 'advisory',
        claimId: 'claim-1',
        partnerId: 'partner-1',
        roomId: 'room-1',
      },
      {
        start: at(`${MON}T13:35:00+02:00`),
        end: at(`${MON}T14:05:00+02:00`),
        tutorId: 'advisor-1',
        locationId: 'loc-1',
        kind: 'advisory',
        claimId: 'claim-1',
        partnerId: 'partner-1',
        roomId: 'room-1',
      },
    ]);
  });

  it('applies opening hours, closures, absences, bookings and policy to windows too', () => {
    const window = {
      tutorId: 'advisor-1',
      start: at(`${MON}T19:00:00+02:00`),
      end: at(`${MON}T21:00:00+02:00`),
      sessionMinutes: 30,
      bufferMinutes: 0,
      kind: 'advisory' as const,
    };
    const slots = computeSlots(
      query({
        rules: [],
        windows: [window],
        bookings: [{ tutorId: 'advisor-1', start: at(`${MON}T19:00:00+02:00`), end: at(`${MON}T19:01:00+02:00`) }],
      }),
    );
    expect(show(slots)).toEqual(['19:30-20:00 advisor-1']); // the library closes at 20:00
  });

  it('keeps rule tags on rule slots (a rule can carry a source too)', () => {
    const slots = computeSlots(query({ rules: [rule({ kind: 'advisory', partnerId: 'p', claimId: 'c' })] }));
    expect(slots.map((s) => [s.kind, s.partnerId, s.claimId, s.roomId])).toEqual([
      ['advisory', 'p', 'c', null],
      ['advisory', 'p', 'c', null],
    ]);
  });
});
