import { IDEMPOTENCY_TTL_MS } from '../../common/housekeeping/retention';
import { ProblemException } from '../../common/problem/problem.exception';
import type { PlaceBookingCall } from './bookings.repository';
import type { BookingView } from './dto/booking.dto';
import { advisoryLockKey, BookingSecrets, requestHash } from './secrets';

/**
 * Idempotency keys of booking requests (API.md): a key is 1–150 visible ASCII characters; within
 * IDEMPOTENCY_TTL_MS the same key and body return the first response, another body with the
 * same key is refused. Keys live in one table (idempotency_keys) with the route (and for staff,
 * the user) in front. place_booking decides in the database, under the key's advisory lock,
 * whether a request is new, a replay or still running; this is everything around it.
 */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,150}$/;

/** A request sent with a key: the stored (namespaced) key and the hash of what was asked. */
export interface IdempotentRequest {
  key: string;
  hash: Buffer;
}

/** The header's key namespaced for storage (`bookings:…`, `staff:<user>:…`); 422 for a malformed key. */
export function idempotencyKeyOf(header: string, prefix: string): string {
  if (!IDEMPOTENCY_KEY.test(header)) {
    throw ProblemException.validation('Idempotency-Key', 'invalid-idempotency-key', 'Idempotency-Key is 1 to 150 visible ASCII characters, e.g. a UUID.');
  }
  return `${prefix}:${header}`;
}

/** The key and the hash of the route and body it was sent with. */
export function idempotentRequest(key: string, route: string, body: unknown): IdempotentRequest {
  return { key, hash: requestHash({ route, body }) };
}

export class Idempotency {
  constructor(private readonly secrets: BookingSecrets) {}

  /** place_booking's idempotency arguments: the key, its lock, the hash, the freshness limit and each candidate's answer (encrypted). */
  forStatement(req: IdempotentRequest, now: Date, views: BookingView[]): NonNullable<PlaceBookingCall['idempotency']> {
    return {
      key: req.key,
      lock: advisoryLockKey('idempotency', req.key),
      requestHash: req.hash,
      freshAfter: new Date(now.getTime() - IDEMPOTENCY_TTL_MS),
      responses: views.map((view) => this.secrets.encrypt(JSON.stringify(view), req.key)),
    };
  }

  /** Whether a stored response created then still answers a replay at `now`. */
  isFresh(createdAt: Date, now: Date): boolean {
    return createdAt.getTime() > now.getTime() - IDEMPOTENCY_TTL_MS;
  }

  /** The stored answer to replay, or 422 when the key came with another body. */
  replay(stored: { requestHash: Buffer; responseEncrypted: Buffer }, req: IdempotentRequest): BookingView {
    if (!stored.requestHash.equals(req.hash)) {
      throw new ProblemException('idempotency-key-reused', 'This Idempotency-Key was used with a different request body; use a new key for a new booking.');
    }
    return JSON.parse(this.secrets.decrypt(stored.responseEncrypted, req.key)) as BookingView;
  }
}
