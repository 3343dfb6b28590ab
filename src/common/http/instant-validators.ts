import { ValidateBy, ValidationOptions } from 'class-validator';
import { lacksOffset, parseInstant } from '../time/instant';

/** An instant with an offset (API.md). Two constraints so a missing offset gets its own code. */
export const IsInstant = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'invalidInstant',
      validator: { validate: (v: unknown) => lacksOffset(v) || parseInstant(v) !== undefined, defaultMessage: (a) => `${a?.property} is an ISO 8601 instant such as 2027-01-11T10:00:00+02:00.` },
    },
    options,
  );

export const HasOffset = (options?: ValidationOptions) =>
  ValidateBy(
    { name: 'offsetRequired', validator: { validate: (v: unknown) => !lacksOffset(v), defaultMessage: (a) => `${a?.property} must carry an offset (Z or +02:00).` } },
    options,
  );
