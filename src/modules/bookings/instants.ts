import { DateTime } from 'luxon';

/** API.md: instants in requests carry an offset (`Z` or `±hh:mm`); without one → 422. */
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const WITHOUT_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?$/;

/** The instant, or undefined when it lacks an offset, is not a real time, or is not an instant. */
export function parseInstant(value: unknown): Date | undefined {
  if (typeof value !== 'string' || !WITH_OFFSET.test(value)) return undefined;
  const parsed = DateTime.fromISO(value, { setZone: true });
  return parsed.isValid ? parsed.toJSDate() : undefined;
}

/** A local date-time without an offset (`2027-01-11T10:00`): the caller forgot the offset. */
export function lacksOffset(value: unknown): boolean {
  return typeof value === 'string' && WITHOUT_OFFSET.test(value);
}
