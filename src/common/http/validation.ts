import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { FieldError, ProblemException } from '../problem/problem.exception';
import { unsafeStringFields } from './safe-strings';

/**
 * One code per kind of mistake, whichever decorator found it. Constraints not named here keep
 * their own name, kebab-cased (`invalidPhone` → `invalid-phone`): those are already one kind each.
 */
const CODE_NAMES: Record<string, string> = {
  whitelistValidation: 'unknown-field',
  isDefined: 'required',
  isNotEmpty: 'required',
  isString: 'invalid-type',
  isInt: 'invalid-type',
  isNumber: 'invalid-type',
  isBoolean: 'invalid-type',
  isArray: 'invalid-type',
  isObject: 'invalid-type',
  nestedValidation: 'invalid-type',
  isEmail: 'invalid-email',
  isUuid: 'invalid-id',
  isEnum: 'not-allowed',
  isIn: 'not-allowed',
  arrayMinSize: 'min-length',
  arrayMaxSize: 'max-length',
};

/**
 * Which failure of a field is reported when several are: an unknown field, then a missing one,
 * then a value of the wrong type, then its length, then anything else (format, range, lookup).
 */
const RANK: Record<string, number> = { 'unknown-field': 0, required: 1, 'invalid-type': 2, 'min-length': 3, 'max-length': 3 };

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

function firstFailure(error: ValidationError): { code: string; message: string } | undefined {
  let best: { code: string; message: string; rank: number } | undefined;
  for (const [constraint, message] of Object.entries(error.constraints ?? {})) {
    const code = CODE_NAMES[constraint] ?? kebab(constraint);
    const rank = RANK[code] ?? 4;
    if (!best || rank < best.rank) best = { code, message, rank };
  }
  if (!best) return undefined;
  // A field that is absent fails every constraint it has; what is wrong is that it is missing.
  if (error.value === undefined && best.code !== 'unknown-field') return { code: 'required', message: `${error.property} is required.` };
  if (error.value === null && best.rank > 1) return { code: 'invalid-type', message: `${error.property} may not be null.` };
  return { code: best.code, message: best.message };
}

/**
 * Flattens class-validator's tree into API.md's `errors[]`: one error per field, never
 * including submitted values (the value is read only to tell a missing field from a wrong one).
 */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const failure = firstFailure(error);
    if (failure) out.push({ field, ...failure });
    else if (error.children?.length) out.push(...flattenValidationErrors(error.children, field));
  }
  return out;
}

type MetadataStorage = ReturnType<typeof getMetadataStorage>;
type Lookup = MetadataStorage['getTargetValidationMetadatas'];
type Grouping = MetadataStorage['groupByPropertyName'];
const memoised = new WeakSet<MetadataStorage>();

/**
 * class-validator finds a class's constraints anew on every validation, by filtering the
 * constraints of every decorated class in the process (and testing each class for inheritance);
 * on the booking path that was a fifth of the validation's time. The answer only changes when a
 * decorator registers something, so it is kept until then. Lookups that add nothing (a class
 * without constraints) are kept too: `forbidUnknownValues` turns those into an error anyway.
 */
export function memoiseValidationMetadata(storage: MetadataStorage = getMetadataStorage()): void {
  if (memoised.has(storage)) return;
  memoised.add(storage);
  const lookup: Lookup = storage.getTargetValidationMetadatas.bind(storage);
  const group: Grouping = storage.groupByPropertyName.bind(storage);
  let byTarget = new Map<unknown, Map<string, ReturnType<Lookup>>>();
  let grouped = new WeakMap<object, ReturnType<Grouping>>();
  const forget = () => {
    byTarget = new Map();
    grouped = new WeakMap();
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${schema ?? ''}\u0000${always}\u0000${strictGroups}\u0000${groups?.join('\u0000') ?? '-'}`;
    let forTarget = byTarget.get(target);
    if (!forTarget) byTarget.set(target, (forTarget = new Map()));
    let found = forTarget.get(key);
    if (!found) forTarget.set(key, (found = lookup(target, schema, always, strictGroups, groups)));
    return found;
  };
  storage.groupByPropertyName = (metadata) => {
    let found = grouped.get(metadata);
    if (!found) grouped.set(metadata, (found = group(metadata)));
    return found;
  };
  for (const name of ['addValidationMetadata', 'addConstraintMetadata'] as const) {
    const add = storage[name].bind(storage) as (m: never) => void;
    (storage as unknown as Record<string, (m: never) => void>)[name] = (m) => {
      forget();
      add(m);
    };
  }
}

/**
 * The global pipe: class-validator's checks, preceded by one rule for every string in a body or
 * query (see unsafeStringFields), so no DTO can forget it.
 */
class ApiValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query') {
      const unsafe = unsafeStringFields(value);
      if (unsafe.length) {
        throw new ProblemException(
          'validation-failed',
          'Some fields are missing or invalid.',
          unsafe.map((field) => ({ field, code: 'invalid-character', message: 'Text may not contain NUL characters or broken UTF-16.' })),
        );
      }
    }
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  memoiseValidationMetadata();
  return new ApiValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => {
      const fieldErrors = flattenValidationErrors(errors);
      return new ProblemException('validation-failed', 'Some fields are missing or invalid.', fieldErrors);
    },
  });
}
