import { createCipheriv, createDecipheriv, createHmac, hash, timingSafeEqual } from 'node:crypto';
import { deriveKey } from '../../common/crypto/keys';
import { randomBytesPooled } from '../../common/crypto/random';

/**
 * The secrets of the booking module, all keyed by purpose-bound keys derived from
 * TUKIAIKA_AUTH_SECRET:
 * - manage tokens: 256 random bits, base64url; only an HMAC of the token is stored;
 * - stored idempotent responses (they hold a manage token): AES-256-GCM;
 * - advisory-lock keys: 64-bit numbers from a hash of a namespaced value.
 */
export class BookingSecrets {
  private readonly tokenKey: Buffer;
  private readonly responseKey: Buffer;
  private readonly contactKey: Buffer;

  constructor(secret: string) {
    if (!secret) throw new Error('BookingSecrets needs the auth secret');
    this.tokenKey = deriveKey(secret, 'manage-token');
    this.responseKey = deriveKey(secret, 'idempotency');
    this.contactKey = deriveKey(secret, 'contact-key');
  }

  /** A new manage token and the hash to store. */
  newManageToken(): { token: string; hash: Buffer } {
    const token = randomBytesPooled(32).toString('base64url');
    return { token, hash: this.hashToken(token) };
  }

  /** The stored form of a token; undefined for anything that is not shaped like one. */
  hashToken(token: string): Buffer;
  hashToken(token: unknown): Buffer | undefined;
  hashToken(token: unknown): Buffer | undefined {
    if (!isTokenShaped(token)) return undefined;
    return createHmac('sha256', this.tokenKey).update(token, 'utf8').digest();
  }

  /** Constant-time comparison of a stored hash with a presented token. */
  tokenMatches(stored: Buffer | null | undefined, token: unknown): boolean {
    const presented = this.hashToken(token);
    if (!stored || !presented || stored.length !== presented.length) return false;
    return timingSafeEqual(stored, presented);
  }

  /** A keyed hash of a contact (phone or e-mail) for rate-limit keys: no plain contact is stored. */
  contactDigest(contact: string): string {
    return createHmac('sha256', this.contactKey).update(contact, 'utf8').digest('base64url').slice(0, 32);
  }

  /** AES-256-GCM; `aad` binds the ciphertext to its row (the idempotency key). Layout: iv ‖ tag ‖ data. */
  encrypt(plain: string, aad: string): Buffer {
    const iv = randomBytesPooled(12);
    const cipher = createCipheriv('aes-256-gcm', this.responseKey, iv);
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), data]);
  }

  /**
   * The manage token encrypted for its booking (base64), kept on the booking so that later
   * messages can carry the link; the same encryption as stored responses, bound to the booking.
   */
  sealManageToken(token: string, bookingId: string): string {
    return this.encrypt(token, `manage-token:${bookingId}`).toString('base64');
  }

  openManageToken(box: Buffer, bookingId: string): string {
    return this.decrypt(box, `manage-token:${bookingId}`);
  }

  /** Throws when the data was changed, or encrypted for another row or with another secret. */
  decrypt(box: Buffer, aad: string): string {
    const decipher = createDecipheriv('aes-256-gcm', this.responseKey, box.subarray(0, 12));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(box.subarray(12, 28));
    return Buffer.concat([decipher.update(box.subarray(28)), decipher.final()]).toString('utf8');
  }
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function isTokenShaped(token: unknown): token is string {
  return typeof token === 'string' && TOKEN_SHAPE.test(token);
}

/** A signed 64-bit advisory-lock key (as a decimal string for `$1::bigint`) for a namespaced value. */
export function advisoryLockKey(namespace: string, value: string): string {
  return hash('sha256', `${namespace}\u0000${value}`, 'buffer').readBigInt64BE(0).toString();
}

/** SHA-256 of a value's canonical JSON (object keys sorted, undefined members left out). */
export function requestHash(value: unknown): Buffer {
  return hash('sha256', canonicalJson(value), 'buffer');
}

/** Runs once per booking request with a key: a plain loop, no intermediate arrays of entries. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += value[i] === undefined ? 'null' : canonicalJson(value[i]);
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  let out = '{';
  // The default sort compares UTF-16 code units, as `<` does.
  for (const key of Object.keys(record).sort()) {
    if (record[key] === undefined) continue;
    if (out.length > 1) out += ',';
    out += `${JSON.stringify(key)}:${canonicalJson(record[key])}`;
  }
  return `${out}}`;
}
