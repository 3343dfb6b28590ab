import { randomInt } from 'node:crypto';

/**
 * Booking references such as `K7M-4QX`: six characters read out over the phone, so only
 * characters nobody confuses — no 0/O, 1/I/L. 31⁶ ≈ 887 million; the unique index catches the
 * rare clash and the caller draws again.
 */
export const REFERENCE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const REFERENCE_PATTERN = /^[2-9A-HJKMNP-Z]{3}-[2-9A-HJKMNP-Z]{3}$/;

/** `pick(n)` returns an integer in [0, n); crypto-random by default. */
export function newReference(pick: (n: number) => number = randomInt): string {
  let out = '';
  for (let i = 0; i < 6; i++) {
    if (i === 3) out += '-';
    out += REFERENCE_ALPHABET[pick(REFERENCE_ALPHABET.length)];
  }
  return out;
}

/** A reference as a person may type it (lower case, spaces, no dash) → canonical, or undefined. */
export function normalizeReference(input: string): string | undefined {
  const compact = input.toUpperCase().replace(/[\s-]/g, '');
  if (compact.length !== 6) return undefined;
  const ref = `${compact.slice(0, 3)}-${compact.slice(3)}`;
  return REFERENCE_PATTERN.test(ref) ? ref : undefined;
}
