import { BOOKING_STATUSES, BookingStatus } from './booking-status';
import { ActorKind, decideTransition, LifecycleAction, LIFECYCLE_ACTIONS, TransitionFacts } from './lifecycle';

const at = (iso: string) => Date.parse(iso);
/** A 45-minute session on Monday 2027-01-11 at 10:00 Helsinki time. */
const START = at('2027-01-11T10:00:00+02:00');
const END = at('2027-01-11T10:45:00+02:00');
const MIN = 60_000;

const facts = (over: Partial<TransitionFacts> = {}): TransitionFacts => ({
  status: 'confirmed',
  start: START,
  end: END,
  now: START,
  action: 'check-in',
  actor: 'staff',
  cancelUntilMinutesBefore: 60,
  ...over,
});

const verdict = (over: Partial<TransitionFacts>) => {
  const v = decideTransition(facts(over));
  return v.allowed ? `→ ${v.to}` : v.problem;
};

describe('decideTransition', () => {
  describe('check-in (staff and tutors, 30 minutes before the start until the end)', () => {
    it.each<[string, string, number]>([
      ['a day early', 'invalid-transition', START - 24 * 60 * MIN],
      ['31 minutes early', 'invalid-transition', START - 31 * MIN],
      ['exactly 30 minutes early', '→ checked_in', START - 30 * MIN],
      ['at the start', '→ checked_in', START],
      ['a minute before the end', '→ checked_in', END - MIN],
      ['at the end', 'invalid-transition', END],
      ['the next day', 'invalid-transition', END + 24 * 60 * MIN],
    ])('%s → %s', (_, expected, now) => {
      expect(verdict({ action: 'check-in', now })).toBe(expected);
      expect(verdict({ action: 'check-in', now, actor: 'tutor' })).toBe(expected);
    });

    it('only from confirmed', () => {
      for (const status of ['checked_in', 'completed', 'no_show', 'cancelled'] as const) {
        expect(verdict({ action: 'check-in', status })).toBe('invalid-transition');
      }
    });

    it('not by a resident', () => {
      expect(verdict({ action: 'check-in', actor: 'resident' })).toBe('forbidden');
    });
  });

  describe('complete (staff and tutors, from the start on, from confirmed or checked in)', () => {
    it('is refused before the start and allowed from it, however late', () => {
      expect(verdict({ action: 'complete', now: START - MIN })).toBe('invalid-transition');
      expect(verdict({ action: 'complete', now: START })).toBe('→ completed');
      expect(verdict({ action: 'complete', now: END + 7 * 24 * 60 * MIN, status: 'checked_in', actor: 'tutor' })).toBe('→ completed');
    });

    it('only from confirmed or checked_in: a cancelled booking cannot be completed', () => {
      expect(verdict({ action: 'complete', status: 'checked_in' })).toBe('→ completed');
      expect(verdict({ action: 'complete', status: 'cancelled' })).toBe('invalid-transition');
      expect(verdict({ action: 'complete', status: 'completed' })).toBe('invalid-transition');
      expect(verdict({ action: 'complete', status: 'no_show' })).toBe('invalid-transition');
    });
  });

  describe('no-show (staff and tutors, from the start on, from confirmed)', () => {
    it('is refused before the start', () => {
      expect(verdict({ action: 'no-show', now: START - MIN })).toBe('invalid-transition');
      expect(verdict({ action: 'no-show', now: START })).toBe('→ no_show');
      expect(verdict({ action: 'no-show', now: END + MIN, actor: 'tutor' })).toBe('→ no_show');
    });

    it('not for someone who checked in, nor twice', () => {
      expect(verdict({ action: 'no-show', status: 'checked_in', now: END })).toBe('invalid-transition');
      expect(verdict({ action: 'no-show', status: 'no_show', now: END })).toBe('invalid-transition');
    });
  });

  describe('cancel', () => {
    it('staff: any time before the end, only confirmed', () => {
      expect(verdict({ action: 'cancel', now: START - 30 * 24 * 60 * MIN })).toBe('→ cancelled');
      expect(verdict({ action: 'cancel', now: END - MIN })).toBe('→ cancelled');
      expect(verdict({ action: 'cancel', now: END })).toBe('invalid-transition');
      expect(verdict({ action: 'cancel', status: 'checked_in' })).toBe('invalid-transition');
      expect(verdict({ action: 'cancel', status: 'cancelled' })).toBe('invalid-transition');
    });

    it('tutors may not cancel (403: they see the booking)', () => {
      const v = decideTransition(facts({ action: 'cancel', actor: 'tutor', now: START - 24 * 60 * MIN }));
      expect(v).toEqual({ allowed: false, problem: 'forbidden', detail: expect.stringContaining('staff') });
    });

    it('residents: until the policy deadline, then 422 too-late-to-cancel', () => {
      expect(verdict({ action: 'cancel', actor: 'resident', now: START - 60 * MIN })).toBe('→ cancelled');
      expect(verdict({ action: 'cancel', actor: 'resident', now: START - 59 * MIN })).toBe('too-late-to-cancel');
      expect(verdict({ action: 'cancel', actor: 'resident', now: START - 59 * MIN, cancelUntilMinutesBefore: 0 })).toBe('→ cancelled');
      expect(verdict({ action: 'cancel', actor: 'resident', status: 'cancelled', now: START - 600 * MIN })).toBe('invalid-transition');
    });
  });

  describe('reschedule', () => {
    it('staff: any time before the start (no deadline), only confirmed', () => {
      expect(verdict({ action: 'reschedule', now: START - MIN })).toBe('→ confirmed');
      expect(verdict({ action: 'reschedule', now: START })).toBe('invalid-transition');
      expect(verdict({ action: 'reschedule', status: 'checked_in', now: START - 10 * MIN })).toBe('invalid-transition');
      expect(verdict({ action: 'reschedule', status: 'no_show', now: START - 10 * MIN })).toBe('invalid-transition');
    });

    it('residents: until the deadline; tutors: never', () => {
      expect(verdict({ action: 'reschedule', actor: 'resident', now: START - 61 * MIN })).toBe('→ confirmed');
      expect(verdict({ action: 'reschedule', actor: 'resident', now: START - 30 * MIN })).toBe('too-late-to-cancel');
      expect(verdict({ action: 'reschedule', actor: 'tutor', now: START - 600 * MIN })).toBe('forbidden');
    });

    it('gives the resident’s message for a late move', () => {
      const v = decideTransition(facts({ action: 'reschedule', actor: 'resident', now: START - 30 * MIN }));
      expect(v).toEqual({ allowed: false, problem: 'too-late-to-cancel', detail: 'Bookings can be moved online until 60 minutes before the start; please call the library.' });
    });
  });

  describe('manage-link', () => {
    it('staff renew it for an active booking until the end; the status stays', () => {
      expect(decideTransition(facts({ action: 'manage-link', now: START - 24 * 60 * MIN }))).toEqual({ allowed: true, to: 'confirmed' });
      expect(decideTransition(facts({ action: 'manage-link', status: 'checked_in' }))).toEqual({ allowed: true, to: 'checked_in' });
      expect(verdict({ action: 'manage-link', now: END })).toBe('invalid-transition');
      expect(verdict({ action: 'manage-link', status: 'cancelled', now: START - 600 * MIN })).toBe('invalid-transition');
    });

    it('not tutors, not residents', () => {
      expect(verdict({ action: 'manage-link', actor: 'tutor' })).toBe('forbidden');
      expect(verdict({ action: 'manage-link', actor: 'resident' })).toBe('forbidden');
    });
  });

  it('names the state in the detail of a refused transition', () => {
    expect(decideTransition(facts({ action: 'complete', status: 'cancelled', now: END }))).toEqual({
      allowed: false,
      problem: 'invalid-transition',
      detail: 'A cancelled booking cannot be completed.',
    });
    expect(decideTransition(facts({ action: 'check-in', status: 'no_show' }))).toMatchObject({ detail: 'A no-show booking cannot be checked in.' });
  });

  it('matches API.md’s table for every status, action and actor (any other change is refused)', () => {
    // status → actions a staff member may take at some moment of the booking's life.
    const possible = new Map<BookingStatus, LifecycleAction[]>([
      ['confirmed', ['check-in', 'complete', 'no-show', 'cancel', 'reschedule', 'manage-link']],
      ['checked_in', ['complete', 'manage-link']],
      ['completed', []],
      ['no_show', []],
      ['cancelled', []],
    ]);
    const moments = [START - 2 * 24 * 60 * MIN, START - 20 * MIN, START + 10 * MIN, END + 60 * MIN];
    for (const status of BOOKING_STATUSES) {
      for (const action of LIFECYCLE_ACTIONS) {
        for (const actor of ['staff', 'tutor'] as ActorKind[]) {
          const allowedSomewhen = moments.some((now) => decideTransition(facts({ status, action, actor, now })).allowed);
          const expected = possible.get(status)!.includes(action) && (actor === 'staff' || ['check-in', 'complete', 'no-show'].includes(action));
          expect({ status, action, actor, allowedSomewhen }).toEqual({ status, action, actor, allowedSomewhen: expected });
        }
      }
    }
  });
});
