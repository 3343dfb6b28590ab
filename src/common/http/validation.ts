import { ValidationError, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { FieldError, ProblemException } from '../problem/problem.exception';

const CODE_NAMES: Record<string, string> = {
  whitelistValidation: 'unknown-field',
  isDefined: 'required',
  isNotEmpty: 'required',
  isEmail: 'invalid-email',
  isUuid: 'invalid-id',
  isEnum: 'not-allowed',
  isIn: 'not-allowed',
};

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

/** Flattens class-validator's tree into API.md's `errors[]`, never including submitted values. */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    for (const [constraint, message] of Object.entries(error.constraints ?? {})) {
      out.push({ field, code: CODE_NAMES[constraint] ?? kebab(constraint), message });
    }
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, field));
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

export function createValidationPipe(): ValidationPipe {
  memoiseValidationMetadata();
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const fieldErrors = flattenValidationErrors(errors);
      return new ProblemException('validation-failed', 'Some fields are missing or invalid.', fieldErrors);
    },
  });
}
