import { ValidationError, ValidationPipe } from '@nestjs/common';
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

export function createValidationPipe(): ValidationPipe {
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
