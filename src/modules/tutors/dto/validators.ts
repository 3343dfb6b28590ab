import { ValidateBy, ValidationOptions } from 'class-validator';
import { isIsoDate, parseLocalTime } from '../availability-rules';
import { parseInstant } from '../../../common/time/instant';
import { isLanguageCode } from '../languages';
import { normalizePhone } from '../phone';

/**
 * class-validator decorators over the module's pure checks. Each constraint's name becomes the
 * error code (kebab-cased by the global ValidationPipe): `unknownLanguage` → `unknown-language`.
 */

export const IsLanguageCode = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'unknownLanguage',
      validator: {
        validate: (v: unknown) => typeof v === 'string' && isLanguageCode(v),
        defaultMessage: () => 'Languages are ISO 639-1 codes such as fi, sv, en.',
      },
    },
    options,
  );

/** Pair with `@Transform(toE164)`: anything normalizePhone could not read fails here. */
export const IsE164Phone = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'invalidPhone',
      validator: {
        validate: (v: unknown) => typeof v === 'string' && /^\+[1-9][0-9]{6,14}$/.test(v),
        defaultMessage: () => 'phone is a phone number such as 040 123 4567 or +358 40 123 4567.',
      },
    },
    options,
  );

export const toE164 = ({ value }: { value: unknown }) => (typeof value === 'string' ? (normalizePhone(value) ?? value) : value);

export const IsLocalTime = (asEnd: boolean, options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'invalidTime',
      validator: {
        validate: (v: unknown) => typeof v === 'string' && parseLocalTime(v, asEnd) !== undefined,
        defaultMessage: () => (asEnd ? 'A local time HH:mm from 00:01 to 24:00.' : 'A local time HH:mm from 00:00 to 23:59.'),
      },
    },
    options,
  );

export const IsIsoDateOnly = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'invalidDate',
      validator: {
        validate: (v: unknown) => typeof v === 'string' && isIsoDate(v),
        defaultMessage: () => 'A date YYYY-MM-DD.',
      },
    },
    options,
  );

export const IsInstantWithOffset = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'invalidInstant',
      validator: {
        validate: (v: unknown) => typeof v === 'string' && parseInstant(v) !== undefined,
        defaultMessage: () => 'An ISO 8601 instant with an offset, e.g. 2026-12-01T10:00:00+02:00 or …Z.',
      },
    },
    options,
  );

/** A list of strings as a set: trimmed, de-duplicated, order kept. */
export const uniqueStrings =
  (lowerCase = false) =>
  ({ value }: { value: unknown }) =>
    Array.isArray(value)
      ? [...new Set(value.map((v) => (typeof v === 'string' ? (lowerCase ? v.trim().toLowerCase() : v.trim()) : v)))]
      : value;
