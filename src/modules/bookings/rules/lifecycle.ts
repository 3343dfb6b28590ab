import { residentChangeProblem } from './booking-rules';
import { ACTIVE_STATUSES, BookingStatus } from './booking-status';

/**
 * The booking lifecycle of API.md as one pure function: which change a booking in a given state
 * allows, to whom, and when. No Nest, no database, no clock (callers pass `now`).
 *
 * | from                   | action       | to          | who, when                                        |
 * |------------------------|--------------|-------------|--------------------------------------------------|
 * | confirmed              | check-in     | checked_in  | staff/tutor, from 30 min before start until end  |
 * | confirmed              | cancel       | cancelled   | resident until the policy's deadline; staff before end |
 * | confirmed              | reschedule   | confirmed   | resident until the deadline; staff before start  |
 * | confirmed, checked_in  | complete     | completed   | staff/tutor, from the start on                   |
 * | confirmed              | no-show      | no_show     | staff/tutor, from the start on                   |
 * | confirmed, checked_in  | manage-link  | (unchanged) | staff, until the end                             |
 * | anything else          |              |             | 409 invalid-transition                           |
 *
 * Who may ask at all comes first (a tutor may not cancel, move or renew a link: 403), then the
 * state and the time (409, or 422 too-late-to-cancel for a resident past the deadline).
 */

export const LIFECYCLE_ACTIONS = ['check-in', 'complete', 'no-show', 'cancel', 'reschedule', 'manage-link'] as const;
export type LifecycleAction = (typeof LIFECYCLE_ACTIONS)[number];

/** `staff` covers admins too; `tutor` acts only on own sessions (the caller checks that). */
export type ActorKind = 'staff' | 'tutor' | 'resident';

/** Check-in opens this many minutes before the start. */
export const CHECK_IN_OPENS_MINUTES = 30;

export interface TransitionFacts {
  status: BookingStatus;
  /** Epoch ms. */
  start: number;
  end: number;
  now: number;
  action: LifecycleAction;
  actor: ActorKind;
  /** The branch's policy; needed for a resident's cancel or reschedule. */
  cancelUntilMinutesBefore?: number;
}

export type TransitionProblem = 'invalid-transition' | 'forbidden' | 'too-late-to-cancel';

export type TransitionVerdict = { allowed: true; to: BookingStatus } | { allowed: false; problem: TransitionProblem; detail: string };

const WHO: Record<LifecycleAction, readonly ActorKind[]> = {
  'check-in': ['staff', 'tutor'],
  complete: ['staff', 'tutor'],
  'no-show': ['staff', 'tutor'],
  cancel: ['staff', 'resident'],
  reschedule: ['staff', 'resident'],
  'manage-link': ['staff'],
};

const FROM: Record<LifecycleAction, readonly BookingStatus[]> = {
  'check-in': ['confirmed'],
  complete: ACTIVE_STATUSES,
  'no-show': ['confirmed'],
  cancel: ['confirmed'],
  reschedule: ['confirmed'],
  'manage-link': ACTIVE_STATUSES,
};

const MINUTE = 60_000;

const PAST: Record<LifecycleAction, string> = {
  'check-in': 'checked in',
  complete: 'completed',
  'no-show': 'marked as a no-show',
  cancel: 'cancelled',
  reschedule: 'moved',
  'manage-link': 'given a new manage link',
};

const statusWord = (s: BookingStatus) => s.replace('_', '-');

function refuse(problem: TransitionProblem, detail: string): TransitionVerdict {
  return { allowed: false, problem, detail };
}

/** May this kind of actor ever take this action (whatever the booking's state)? */
export function mayAct(action: LifecycleAction, actor: ActorKind): boolean {
  return WHO[action].includes(actor);
}

/** The detail of a 403 for an action the actor may never take. */
export function forbiddenDetail(actor: ActorKind): string {
  return actor === 'tutor' ? 'Tutors check in, complete and mark no-shows; ask the library staff for this.' : 'You may not do this.';
}

/** What `action` by `actor` on a booking in `status` at `now` meets: the new status, or the problem to answer with. */
export function decideTransition(f: TransitionFacts): TransitionVerdict {
  if (!mayAct(f.action, f.actor)) return refuse('forbidden', forbiddenDetail(f.actor));
  if (!FROM[f.action].includes(f.status)) {
    return refuse('invalid-transition', `A ${statusWord(f.status)} booking cannot be ${PAST[f.action]}.`);
  }

  if (f.actor === 'resident') {
    // Residents cancel and move confirmed bookings until the branch's deadline (422 after it).
    const problem = residentChangeProblem(f.status, f.start, f.now, f.cancelUntilMinutesBefore ?? 0);
    if (problem === 'invalid-transition') return refuse(problem, `A ${statusWord(f.status)} booking cannot be ${PAST[f.action]}.`);
    if (problem === 'too-late-to-cancel') {
      return refuse(problem, `Bookings can be ${PAST[f.action]} online until ${f.cancelUntilMinutesBefore} minutes before the start; please call the library.`);
    }
    return { allowed: true, to: f.action === 'cancel' ? 'cancelled' : 'confirmed' };
  }

  switch (f.action) {
    case 'check-in':
      if (f.now < f.start - CHECK_IN_OPENS_MINUTES * MINUTE) return refuse('invalid-transition', `Check-in opens ${CHECK_IN_OPENS_MINUTES} minutes before the start.`);
      if (f.now >= f.end) return refuse('invalid-transition', 'The session is over: mark it completed or a no-show.');
      return { allowed: true, to: 'checked_in' };
    case 'complete':
      if (f.now < f.start) return refuse('invalid-transition', 'A session can be completed only once it has started.');
      return { allowed: true, to: 'completed' };
    case 'no-show':
      if (f.now < f.start) return refuse('invalid-transition', 'A no-show can be marked only once the session has started.');
      return { allowed: true, to: 'no_show' };
    case 'cancel':
      if (f.now >= f.end) return refuse('invalid-transition', 'The session is over: mark it completed or a no-show.');
      return { allowed: true, to: 'cancelled' };
    case 'reschedule':
      if (f.now >= f.start) return refuse('invalid-transition', 'A session that has started cannot be moved.');
      return { allowed: true, to: 'confirmed' };
    case 'manage-link':
      if (f.now >= f.end) return refuse('invalid-transition', 'The session is over: its manage link is not renewed.');
      return { allowed: true, to: f.status };
  }
}
