import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * Residents' contact details. Phone numbers go through libphonenumber (full metadata, so a number
 * must be valid for its country and type, not only of a plausible length); numbers without a
 * country code are Finnish: `040 123 4567` → `+358401234567`.
 */
export const DEFAULT_PHONE_COUNTRY = 'FI';

/**
 * The last answer of normalizePhone: a request's phone is parsed by its transform, then its E.164
 * result is checked again by the validator (a valid E.164 number normalizes to itself).
 */
let last: { input: string; result: string | undefined } | undefined;

/** E.164, or undefined when the input is not a valid phone number. */
export function normalizePhone(input: string): string | undefined {
  if (typeof input !== 'string' || input.length > 40) return undefined;
  if (last && (last.input === input || last.result === input)) return last.result;
  const result = parsePhone(input);
  last = { input, result };
  return result;
}

function parsePhone(input: string): string | undefined {
  const trimmed = input.trim();
  // Only what people write in a phone number: digits, +, spaces and the usual separators.
  if (!/^\+?\(?[0-9][0-9 ()./-]*$/.test(trimmed)) return undefined;
  const parsed = parsePhoneNumberFromString(trimmed, DEFAULT_PHONE_COUNTRY);
  return parsed?.isValid() ? parsed.number : undefined;
}

/** True for a string already in the E.164 form normalizePhone gives. */
export function isE164(value: unknown): value is string {
  return typeof value === 'string' && /^\+[1-9][0-9]{6,14}$/.test(value) && normalizePhone(value) === value;
}

/** E-mail addresses are compared and stored lower-cased and trimmed. */
export function normalizeEmail(input: string): string {
  return input.trim().toLowerCase();
}
