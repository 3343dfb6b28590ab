import { createHash } from 'node:crypto';
import type { FieldError } from '../../common/problem/problem.exception';
import { parseIsoDate } from '../../common/time/local-time';

/**
 * Weekly availability rules as plain data: parsing and validating local times, checking that a
 * tutor's rules never overlap (within one branch or across branches), and the content ETag.
 * No Nest, no database, no clock.
 */

/** A rule as the API speaks it. */
export interface RuleInput {
  weekday: number;
  startTime: string;
  endTime: string;
  sessionMinutes: number;
  bufferMinutes: number;
  validFrom: string;
  validUntil: string | null;
}

/** A rule as stored: minutes after local midnight (1440 = 24:00), dates as YYYY-MM-DD. */
export interface WeeklyRule {
  locationId: string;
  weekday: number;
  startMinute: number;
  endMinute: number;
  sessionMinutes: number;
  bufferMinutes: number;
  validFrom: string;
  validUntil: string | null;
}

export interface RuleView extends RuleInput {
  locationId: string;
}

export const SESSION_MINUTES = { min: 5, max: 240 } as const;
export const BUFFER_MINUTES = { min: 0, max: 120 } as const;
export const MAX_RULES_PER_LOCATION = 100;

const TIME = /^([01][0-9]|2[0-3]):([0-5][0-9])$/;

/** "HH:mm" → minutes after midnight; "24:00" only when `asEnd`. */
export function parseLocalTime(value: string, asEnd = false): number | undefined {
  if (asEnd && value === '24:00') return 1440;
  const m = TIME.exec(value);
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

export function formatLocalTime(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** A real calendar date written YYYY-MM-DD (2026-02-30 is not one). */
export function isIsoDate(value: string): boolean {
  return parseIsoDate(value) !== null;
}

const isInt = (v: unknown, min: number, max: number): v is number => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;

/**
 * Validates a location's rules and converts them to stored form. Every problem is reported with
 * its field (`rules.<i>.<name>`), none with the submitted value.
 */
export function toWeeklyRules(locationId: string, inputs: RuleInput[]): { rules: WeeklyRule[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const rules: WeeklyRule[] = [];
  if (inputs.length > MAX_RULES_PER_LOCATION) {
    errors.push({ field: 'rules', code: 'too-many', message: `At most ${MAX_RULES_PER_LOCATION} rules per location.` });
  }
  inputs.forEach((input, i) => {
    const field = (name: string) => `rules.${i}.${name}`;
    const fail = (name: string, code: string, message: string) => errors.push({ field: field(name), code, message });
    const before = errors.length;
    if (!isInt(input.weekday, 1, 7)) fail('weekday', 'invalid-weekday', 'weekday is 1 (Monday) … 7 (Sunday).');
    const start = typeof input.startTime === 'string' ? parseLocalTime(input.startTime) : undefined;
    const end = typeof input.endTime === 'string' ? parseLocalTime(input.endTime, true) : undefined;
    if (start === undefined) fail('startTime', 'invalid-time', 'startTime is a local time HH:mm from 00:00 to 23:59.');
    if (end === undefined) fail('endTime', 'invalid-time', 'endTime is a local time HH:mm from 00:01 to 24:00.');
    if (start !== undefined && end !== undefined && end <= start) {
      fail('endTime', 'end-before-start', 'endTime must be after startTime.');
    }
    if (!isInt(input.sessionMinutes, SESSION_MINUTES.min, SESSION_MINUTES.max)) {
      fail('sessionMinutes', 'out-of-range', `sessionMinutes is a whole number from ${SESSION_MINUTES.min} to ${SESSION_MINUTES.max}.`);
    } else if (start !== undefined && end !== undefined && end > start && input.sessionMinutes > end - start) {
      fail('sessionMinutes', 'longer-than-window', 'A session must fit between startTime and endTime.');
    }
    if (!isInt(input.bufferMinutes, BUFFER_MINUTES.min, BUFFER_MINUTES.max)) {
      fail('bufferMinutes', 'out-of-range', `bufferMinutes is a whole number from ${BUFFER_MINUTES.min} to ${BUFFER_MINUTES.max}.`);
    }
    const fromOk = typeof input.validFrom === 'string' && isIsoDate(input.validFrom);
    const untilOk = input.validUntil === null || (typeof input.validUntil === 'string' && isIsoDate(input.validUntil));
    if (!fromOk) fail('validFrom', 'invalid-date', 'validFrom is a date YYYY-MM-DD.');
    if (!untilOk) fail('validUntil', 'invalid-date', 'validUntil is a date YYYY-MM-DD or null.');
    if (fromOk && untilOk && input.validUntil !== null && input.validUntil < input.validFrom) {
      fail('validUntil', 'before-valid-from', 'validUntil may not be before validFrom.');
    }
    if (errors.length === before) {
      rules.push({
        locationId,
        weekday: input.weekday,
        startMinute: start as number,
        endMinute: end as number,
        sessionMinutes: input.sessionMinutes,
        bufferMinutes: input.bufferMinutes,
        validFrom: input.validFrom,
        validUntil: input.validUntil,
      });
    }
  });
  return { rules, errors };
}

/** Same weekday, intersecting times [start, end) and intersecting validity [from, until]. */
export function rulesOverlap(a: WeeklyRule, b: WeeklyRule): boolean {
  return (
    a.weekday === b.weekday &&
    a.startMinute < b.endMinute &&
    b.startMinute < a.endMinute &&
    (b.validUntil === null || a.validFrom <= b.validUntil) &&
    (a.validUntil === null || b.validFrom <= a.validUntil)
  );
}

export interface Overlap {
  /** Index in `candidates` of the rule that clashes. */
  index: number;
  /** The rule it clashes with: an earlier candidate or one of `others`. */
  clashing: WeeklyRule;
}

/**
 * The first clash among `candidates` (the rules about to be stored) or between a candidate and
 * `others` (the tutor's rules that stay: those at other branches). Undefined when none.
 */
export function findOverlap(candidates: WeeklyRule[], others: WeeklyRule[]): Overlap | undefined {
  for (let i = 0; i < candidates.length; i++) {
    for (let j = 0; j < i; j++) {
      if (rulesOverlap(candidates[i], candidates[j])) return { index: i, clashing: candidates[j] };
    }
    const other = others.find((o) => rulesOverlap(candidates[i], o));
    if (other) return { index: i, clashing: other };
  }
  return undefined;
}

export function toRuleView(rule: WeeklyRule): RuleView {
  return {
    locationId: rule.locationId,
    weekday: rule.weekday,
    startTime: formatLocalTime(rule.startMinute),
    endTime: formatLocalTime(rule.endMinute),
    sessionMinutes: rule.sessionMinutes,
    bufferMinutes: rule.bufferMinutes,
    validFrom: rule.validFrom,
    validUntil: rule.validUntil,
  };
}

/** Canonical order: location, weekday, start, validity. */
export function compareRules(a: WeeklyRule, b: WeeklyRule): number {
  return (
    a.locationId.localeCompare(b.locationId) ||
    a.weekday - b.weekday ||
    a.startMinute - b.startMinute ||
    a.validFrom.localeCompare(b.validFrom) ||
    a.endMinute - b.endMinute
  );
}

/** An ETag value for a set of rules: the same content, in any order, gives the same tag. */
export function rulesTag(rules: WeeklyRule[]): string {
  const canonical = [...rules]
    .sort(compareRules)
    .map((r) => [r.locationId, r.weekday, r.startMinute, r.endMinute, r.sessionMinutes, r.bufferMinutes, r.validFrom, r.validUntil]);
  return createHash('sha256').update(JSON.stringify(canonical)).digest('base64url').slice(0, 22);
}
