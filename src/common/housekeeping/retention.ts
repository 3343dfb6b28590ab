/** How long a stored Idempotency-Key answer is replayed; after that the key is forgotten. */
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;

/** Rate-limit counters are kept a day past the end of their window, then deleted. */
export const RATE_COUNTER_RETENTION_MS = 24 * 3_600_000;

/**
 * A booking's encrypted manage token (kept only so later messages can carry the link) is erased a
 * day after the session ended or once it is cancelled, when no message about it is still to go.
 * The token's HMAC stays, so the link the resident has still opens the booking.
 */
export const MANAGE_TOKEN_RETENTION_MS = 24 * 3_600_000;
