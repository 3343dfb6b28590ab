import { hkdfSync } from 'node:crypto';

/**
 * Derives a purpose-bound key from TUKIAIKA_AUTH_SECRET (HKDF-SHA256), so one configured
 * secret serves token signing, stored-response encryption and token hashing without reuse.
 */
export function deriveKey(secret: string, purpose: string, bytes = 32): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'tukiaika', purpose, bytes));
}
