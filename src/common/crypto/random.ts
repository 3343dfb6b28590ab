import { randomFillSync } from 'node:crypto';

/**
 * Cryptographically random bytes, served from a pool filled 4 KiB at a time (as node's own
 * randomUUID does). `randomBytes` sets up a job per call, ≈ 5 µs, and every booking needs two
 * draws (the manage token and the response's IV). Each byte of the pool is handed out once; the
 * caller gets its own copy.
 */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let offset = 0;

export function randomBytesPooled(size: number): Buffer {
  if (!Number.isInteger(size) || size < 0 || size > POOL_BYTES) throw new RangeError(`randomBytesPooled: size ${size} is not in 0–${POOL_BYTES}`);
  if (offset + size > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(POOL_BYTES));
    offset = 0;
  }
  const bytes = Buffer.from(pool.subarray(offset, offset + size));
  // Served bytes are wiped from the pool: no second copy of a token stays in memory here.
  pool.fill(0, offset, offset + size);
  offset += size;
  return bytes;
}
