/** Every problem type the API answers with (API.md), and what GET /problems/{code} says of it. */
export const PROBLEM_TYPES = {
  'malformed-request': { status: 400, title: 'Malformed request', description: 'The request could not be read: broken JSON, a wrong content type or a value of the wrong kind in the URL.' },
  unauthenticated: { status: 401, title: 'Authentication required', description: 'Log in and send the access token as "Authorization: Bearer <token>". The token may have expired or the account may be disabled.' },
  forbidden: { status: 403, title: 'Forbidden', description: 'You may see this resource but not make this change to it.' },
  'not-found': { status: 404, title: 'Not found', description: 'Nothing is here, or it is not yours to see.' },
  'slot-taken': { status: 409, title: 'Slot taken', description: 'Someone else booked this time first.' },
  'no-tutor-available': { status: 409, title: 'No tutor available', description: 'No suitable tutor is free at this time.' },
  'room-taken': { status: 409, title: 'Room taken', description: 'The room is already held at this time.' },
  'advisor-busy': { status: 409, title: 'Advisor busy', description: 'The advisor is already booked at this time.' },
  'already-exists': { status: 409, title: 'Already exists', description: 'Something with the same unique value (e-mail, slug, reference) exists already.' },
  'idempotency-in-progress': { status: 409, title: 'Request in progress', description: 'A request with the same Idempotency-Key is still running. Retry shortly.' },
  'invalid-transition': { status: 409, title: 'Invalid transition', description: 'The current state does not allow this change.' },
  'version-mismatch': { status: 412, title: 'Version mismatch', description: 'Someone changed this resource after you read it. Read it again and repeat your change.' },
  'payload-too-large': { status: 413, title: 'Payload too large', description: 'The request body is larger than the service accepts.' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type', description: 'The request body is not JSON: send it as application/json (or send no body).' },
  'validation-failed': { status: 422, title: 'Validation failed', description: 'Some fields are missing or invalid; see errors[] for each field.' },
  'outside-opening-hours': { status: 422, title: 'Outside opening hours', description: 'The library is not open at this time.' },
  'location-closed': { status: 422, title: 'Location closed', description: 'The library is closed at this time (holiday or closure).' },
  'tutor-unavailable': { status: 422, title: 'Tutor unavailable', description: 'The tutor has no availability at this time, or is absent.' },
  'not-on-slot-grid': { status: 422, title: 'Not on the slot grid', description: 'Sessions start only at the times the tutor\'s rules give.' },
  'too-soon': { status: 422, title: 'Too soon', description: 'The start is closer than the library\'s minimum notice.' },
  'too-far-ahead': { status: 422, title: 'Too far ahead', description: 'The start is further ahead than the library allows booking.' },
  'too-late-to-cancel': { status: 422, title: 'Too late to cancel', description: 'The cancellation deadline has passed; call the library.' },
  'booking-limit-reached': { status: 422, title: 'Booking limit reached', description: 'This contact already has the maximum number of active bookings.' },
  'quota-exceeded': { status: 422, title: 'Quota exceeded', description: 'The partner\'s monthly hours are used up.' },
  'rule-overlap': { status: 422, title: 'Rules overlap', description: 'The availability rules overlap in time.' },
  'advisor-inactive': { status: 422, title: 'Advisor inactive', description: 'An advisor the claim names is no longer an active advisor of the partner.' },
  'claim-not-bookable': { status: 422, title: 'Claim not bookable', description: 'The claim is not approved, is drop-in, or holds no session at this time (its window and session grid).' },
  'idempotency-key-reused': { status: 422, title: 'Idempotency key reused', description: 'The Idempotency-Key was used with a different request body.' },
  'range-too-long': { status: 422, title: 'Range too long', description: 'The requested time range is longer than allowed.' },
  'rate-limited': { status: 429, title: 'Too many requests', description: 'Slow down; retry after the number of seconds in Retry-After.' },
  'service-unavailable': { status: 503, title: 'Service unavailable', description: 'A dependency (the database) cannot be reached right now, or a change made at the same moment got in the way: retry (Retry-After when given).' },
  'internal-error': { status: 500, title: 'Internal error', description: 'Something went wrong on our side. Quote the request id when reporting it.' },
} as const;

export type ProblemCode = keyof typeof PROBLEM_TYPES;

export function isProblemCode(code: string): code is ProblemCode {
  return Object.prototype.hasOwnProperty.call(PROBLEM_TYPES, code);
}
