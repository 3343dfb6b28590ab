/** How long a stored Idempotency-Key answer is replayed; after that the key is forgotten. */
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;

/** Rate-limit counters are kept a day past the end of their window, then deleted. */
export const RATE_COUNTER_RETENTION_MS = 24 * 3_600_000;
