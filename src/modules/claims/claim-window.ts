import { DateTime } from 'luxon';
import type { FieldError } from '../../common/problem/problem.exception';

/** A claim is a block of at most 12 hours on one local date (room-hours, not a standing booking). */
export const MAX_CLAIM_MINUTES = 12 * 60;

export type ClaimMode = 'bookable' | 'drop-in';

/**
 * What is wrong with a claim's time and session shape, by field (empty when nothing): start
 * before end, both on one local date in the branch's zone (an end at the next midnight counts as
 * that date), at most MAX_CLAIM_MINUTES, not started at `now`; a bookable claim names its
 * session length and holds at least one session, a drop-in claim names none.
 */
export function claimWindowErrors(q: {
  start: Date;
  end: Date;
  timeZone: string;
  now: Date;
  mode: ClaimMode;
  sessionMinutes: number | null;
  bufferMinutes: number;
}): FieldError[] {
  const errors: FieldError[] = [];
  const minutes = (q.end.getTime() - q.start.getTime()) / 60_000;
  if (minutes <= 0) errors.push({ field: 'end', code: 'end-before-start', message: 'end must be after start.' });
  else if (minutes > MAX_CLAIM_MINUTES) errors.push({ field: 'end', code: 'too-long', message: `A claim lasts at most ${MAX_CLAIM_MINUTES / 60} hours.` });
  else if (DateTime.fromJSDate(q.start, { zone: q.timeZone }).toISODate() !== DateTime.fromMillis(q.end.getTime() - 1, { zone: q.timeZone }).toISODate()) {
    errors.push({ field: 'end', code: 'not-same-day', message: 'start and end lie on one local date at the branch.' });
  }
  if (q.start.getTime() < q.now.getTime()) errors.push({ field: 'start', code: 'in-the-past', message: 'start is in the past.' });
  if (q.mode === 'bookable') {
    if (q.sessionMinutes === null) errors.push({ field: 'sessionMinutes', code: 'required', message: 'A bookable claim names its session length.' });
    else if (minutes > 0 && q.sessionMinutes > minutes) {
      errors.push({ field: 'sessionMinutes', code: 'no-session-fits', message: 'The claim is shorter than one session.' });
    }
  } else {
    if (q.sessionMinutes !== null) errors.push({ field: 'sessionMinutes', code: 'not-allowed', message: 'A drop-in claim has no sessions.' });
    if (q.bufferMinutes !== 0) errors.push({ field: 'bufferMinutes', code: 'not-allowed', message: 'A drop-in claim has no sessions.' });
  }
  return errors;
}
